import { createHash, randomBytes } from 'node:crypto'
import type { Queryable } from '../db/index.ts'

/** A random secret for a cookie or a token: 32 bytes, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** What the database keeps of a secret: its SHA-256, so a leaked table opens nothing. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/**
 * A link's token sent by mail to an account's address (confirming it, setting a new password): kept
 * as its hash with the address it went to and when it stops working, in the caller's transaction.
 * Returns the token, which only the mail carries.
 */
export async function storeMailedToken(tx: Queryable, table: 'email_confirmations' | 'password_resets', user: { id: number; email: string }, minutes: number): Promise<string> {
  const secret = newSecret()
  await tx.query(
    `insert into ${table} (token_hash, user_id, email, expires_at) values ($1, $2, $3, now() + make_interval(mins => $4))`,
    [secretHash(secret), user.id, user.email, minutes],
  )
  return secret
}
