import type { FastifyRequest } from 'fastify'
import type { Queryable } from '../db/index.ts'
import type { PageCacheRule } from './page-cache.ts'
import { SharedRead } from '../cache/index.ts'

/**
 * What a public page can show, each with a version moved on by the database in the transaction of
 * every change to its tables (migration 0035: `platform_versions`, one trigger per table). A page
 * kept under the topics it shows is made again by the next request after a change is committed,
 * in every process, whichever process made the change.
 */
export const TOPICS = ['agencies', 'budgets', 'calendar', 'comments', 'data', 'dialogue', 'legal-acts', 'openness', 'petitions', 'polls', 'sites', 'studies', 'users'] as const
export type Topic = (typeof TOPICS)[number]

const versionReads = new WeakMap<Queryable, SharedRead<Map<string, string>>>()

/** Every topic's version now, by topic: one read of a few rows, shared by the requests that arrive while another runs. */
function versionsNow(db: Queryable): Promise<Map<string, string>> {
  let shared = versionReads.get(db)
  if (!shared) {
    shared = new SharedRead(async () => new Map((await db.query<{ topic: string; n: string }>('select topic, n::text as n from platform_versions')).map((row) => [row.topic, row.n])))
    versionReads.set(db, shared)
  }
  return shared.get()
}

/** The version of what the topics show now. */
export async function topicsVersion(db: Queryable, topics: readonly Topic[]): Promise<string> {
  if (topics.length === 0) return ''
  const versions = await versionsNow(db)
  return [...topics].sort().map((topic) => `${topic}.${versions.get(topic) ?? '0'}`).join(',')
}

/**
 * A route's pages kept for anonymous readers under the versions of the topics they show (none for a
 * page that shows only the code's own text). What depends on the clock (a deadline passed, today's
 * period) is at most maxAgeMs old; `unless` names requests whose page is made afresh every time.
 */
export function keptUnder(db: Queryable, topics: readonly Topic[], options: { maxAgeMs?: number; unless?: (request: FastifyRequest) => boolean } = {}): PageCacheRule {
  return {
    current: async (request) => (options.unless?.(request) ? null : { version: await topicsVersion(db, topics) }),
    ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
  }
}

/** A page that shows the code's own text only (the home page, the API's reference): kept until it is a minute old. */
export const KEPT_AS_CODE: PageCacheRule = { current: async () => ({ version: '' }) }
