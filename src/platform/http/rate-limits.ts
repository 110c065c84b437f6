import type { FastifyRequest } from 'fastify'
import type { Db, Queryable } from '../db/index.ts'
import { TooManyRequests } from './errors.ts'

/** So many actions of one kind in a window of time, per key (an account, an address). */
export interface Limit {
  name: string
  max: number
  windowSeconds: number
}

/**
 * Counts one action against each key's limit, in the caller's transaction, and throws TooManyRequests
 * (with the seconds until the oldest counted action leaves the window) when one is used up. Kept in
 * the database, so every process of the site counts together; an action whose transaction rolls back
 * is not counted. Each bucket is locked for the transaction: two processes cannot both take its last place.
 */
export async function spendLimits(tx: Queryable, checks: ReadonlyArray<{ limit: Limit; key: string }>): Promise<void> {
  const buckets = checks.map(({ limit, key }) => ({ limit, bucket: `${limit.name}:${key}` })).sort((a, b) => a.bucket.localeCompare(b.bucket))
  for (const { limit, bucket } of buckets) {
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [bucket])
    await tx.query('delete from rate_limit_hits where bucket = $1 and at <= now() - make_interval(secs => $2)', [bucket, limit.windowSeconds])
    const [row] = await tx.query<{ count: number; wait: number | null }>(
      'select count(*)::int as count, ceil(extract(epoch from min(at) + make_interval(secs => $2) - now()))::int as wait from rate_limit_hits where bucket = $1',
      [bucket, limit.windowSeconds],
    )
    if ((row?.count ?? 0) >= limit.max) throw new TooManyRequests(Math.max(1, row?.wait ?? limit.windowSeconds))
  }
  for (const { bucket } of buckets) await tx.query('insert into rate_limit_hits (bucket) values ($1)', [bucket])
}

/**
 * A route's hook that counts each request against limit per network address before its body is
 * read, in the database: every server of the site counts together (three servers do not give three
 * allowances). Over the limit, 429 with Retry-After.
 */
export function limitPerAddress(db: Db, limit: Limit): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    await db.transaction((tx) => spendLimits(tx, [{ limit, key: request.ip }]))
  }
}
