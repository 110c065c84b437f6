import { Type } from 'typebox'
import type { Queryable } from '../db/index.ts'
import { ValidationError } from './errors.ts'

/** The longest key a client may send (the columns that keep keys hold this many characters). */
export const IDEMPOTENCY_KEY_MAX = 100

/** The API's Idempotency-Key header: a retry with the same key returns what the first request made. */
export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX })) })

/** A form's or header's key, trimmed (none when empty); a longer one than kept is the sender's mistake, named by its field. */
export function idempotencyKey(raw: string | null | undefined, field: string): string | null {
  const key = raw?.trim() || null
  if (key && key.length > IDEMPOTENCY_KEY_MAX) throw new ValidationError([{ field, messageKey: 'platform.validation.maxLength', values: { limit: IDEMPOTENCY_KEY_MAX } }])
  return key
}

/**
 * Holds one owner's key for the rest of the transaction, so that two requests with the same key at
 * once run one after the other: the second finds what the first made instead of failing on the
 * unique index. Call it before looking for what the key made.
 */
export async function holdIdempotencyKey(tx: Queryable, scope: string, ownerId: number, key: string): Promise<void> {
  await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`idempotency:${scope}:${ownerId}:${key}`])
}
