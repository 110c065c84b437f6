import type { Queryable } from '../db/index.ts'
import { findUser } from './accounts.ts'
import type { User } from './roles.ts'
import { newSecret, secretHash } from './secrets.ts'

export const SESSION_DAYS = 14

/** Starts a session for a user; returns the secret for the cookie (the table keeps only its hash). */
export async function startSession(db: Queryable, userId: number): Promise<string> {
  const secret = newSecret()
  await db.query(
    `insert into sessions (id_hash, user_id, expires_at) values ($1, $2, now() + make_interval(days => $3))`,
    [secretHash(secret), userId, SESSION_DAYS],
  )
  return secret
}

/** The user of a live session, or undefined for an unknown or expired one. */
export async function sessionUser(db: Queryable, secret: string): Promise<User | undefined> {
  const [row] = await db.query<{ user_id: number }>(
    'select user_id from sessions where id_hash = $1 and expires_at > now()',
    [secretHash(secret)],
  )
  return row ? findUser(db, row.user_id) : undefined
}

/** Ends a session on the server: its cookie opens nothing afterwards. */
export async function endSession(db: Queryable, secret: string): Promise<void> {
  await db.query('delete from sessions where id_hash = $1 or expires_at < now()', [secretHash(secret)])
}
