import type { Db, Queryable } from '../db/index.ts'
import { NotFound, ValidationError } from '../http/errors.ts'
import { recordChange, type Actor } from '../audit/index.ts'
import { findUser } from './accounts.ts'
import type { User } from './roles.ts'
import { newSecret, secretHash } from './secrets.ts'

export const TOKEN_PREFIX = 'ashyq_'

export interface ApiToken {
  id: number
  name: string
  prefix: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

/** Creates a token for a user; the returned secret is shown once and never stored. */
export async function createApiToken(db: Db, actor: Actor, userId: number, name: string): Promise<{ token: string; id: number }> {
  const trimmed = name.trim()
  if (trimmed.length < 1 || trimmed.length > 100) {
    throw new ValidationError([{ field: 'name', messageKey: 'platform.auth.tokenNameLength' }])
  }
  const token = `${TOKEN_PREFIX}${newSecret()}`
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      'insert into api_tokens (user_id, name, token_hash, token_prefix) values ($1, $2, $3, $4) returning id',
      [userId, trimmed, secretHash(token), token.slice(0, TOKEN_PREFIX.length + 6)],
    )
    await recordChange(tx, actor, { action: 'token.create', entity: 'user', entityId: String(userId), before: null, after: { token: row!.id, name: trimmed } })
    return { token, id: row!.id }
  })
}

export async function listApiTokens(db: Queryable, userId: number): Promise<ApiToken[]> {
  const rows = await db.query<{ id: number; name: string; token_prefix: string; created_at: Date | string; last_used_at: Date | string | null; revoked_at: Date | string | null }>(
    'select id, name, token_prefix, created_at, last_used_at, revoked_at from api_tokens where user_id = $1 order by created_at desc, id desc',
    [userId],
  )
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString())
  return rows.map((r) => ({ id: r.id, name: r.name, prefix: r.token_prefix, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at) }))
}

/** Revokes one of the user's own tokens; it opens nothing afterwards. */
export async function revokeApiToken(db: Db, actor: Actor, userId: number, tokenId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx.query('update api_tokens set revoked_at = now() where id = $1 and user_id = $2 and revoked_at is null returning id', [tokenId, userId])
    if (rows.length === 0) throw new NotFound('token', String(tokenId))
    await recordChange(tx, actor, { action: 'token.revoke', entity: 'user', entityId: String(userId), before: { token: tokenId }, after: null })
  })
}

/** The user a live token belongs to, or undefined. */
export async function tokenUser(db: Queryable, token: string): Promise<User | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined
  const [row] = await db.query<{ user_id: number }>(
    'update api_tokens set last_used_at = now() where token_hash = $1 and revoked_at is null returning user_id',
    [secretHash(token)],
  )
  return row ? findUser(db, row.user_id) : undefined
}
