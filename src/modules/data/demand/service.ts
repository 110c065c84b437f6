import { createHmac, randomBytes } from 'node:crypto'
import type { Queryable } from '../../../platform/db/index.ts'

export type DemandKind = 'views' | 'downloads' | 'api_calls'

// One statement per kind: the column is never built from input.
const COUNT: Record<Exclude<DemandKind, 'api_calls'>, string> = {
  views: `insert into data_daily_stats (dataset_id, day, views) values ($1, $2, 1)
          on conflict (dataset_id, day) do update set views = data_daily_stats.views + 1`,
  downloads: `insert into data_daily_stats (dataset_id, day, downloads) values ($1, $2, 1)
              on conflict (dataset_id, day) do update set downloads = data_daily_stats.downloads + 1`,
}

// API calls come many a second (bulk users, scripts): they are added up in memory and written
// together every FLUSH_MS, in one statement, instead of one write (and commit) per call. Whoever
// reads the counts flushes first; a process that dies loses at most the last FLUSH_MS of API calls.
const FLUSH_MS = 1000
const pendingCalls = new WeakMap<Queryable, Map<string, number>>()
const flushing = new WeakMap<Queryable, Promise<void>>()

/** Writes the API calls counted in memory; safe to call any time (readers of the counts do). */
export async function flushDemand(db: Queryable): Promise<void> {
  await flushing.get(db)
  const calls = pendingCalls.get(db)
  if (!calls || calls.size === 0) return
  pendingCalls.delete(db)
  const keys = [...calls.keys()]
  const write = db.query(
    `insert into data_daily_stats (dataset_id, day, api_calls)
     select d::uuid, day::date, n from unnest($1::text[], $2::text[], $3::int[]) as t(d, day, n)
     on conflict (dataset_id, day) do update set api_calls = data_daily_stats.api_calls + excluded.api_calls`,
    [keys.map((k) => k.split(' ')[0]!), keys.map((k) => k.split(' ')[1]!), [...calls.values()]],
  ).then(() => undefined)
  flushing.set(db, write.catch(() => undefined))
  await write
}

// Who already counted, per kind, dataset and address, for the hour: kept in this process's memory
// only, by a keyed hash (the address itself is never kept), the oldest dropped past MAX_SEEN.
const SEEN_FOR_MS = 60 * 60 * 1000
const MAX_SEEN = 200_000
const seenKey = randomBytes(16)
const seen = new Map<string, number>()

/** Whether this address already counted this kind for this dataset within the hour (and now it has). */
function countedAlready(kind: DemandKind, datasetId: string, address: string, now: number): boolean {
  const key = createHmac('sha256', seenKey).update(`${kind} ${datasetId} ${address}`).digest('base64')
  const until = seen.get(key)
  if (until !== undefined && until > now) return true
  seen.delete(key)
  seen.set(key, now + SEEN_FOR_MS)
  if (seen.size > MAX_SEEN) seen.delete(seen.keys().next().value!)
  return false
}

/**
 * Counts one view, download or API call of a dataset for the day: at most once an hour for one
 * address (given), so that reloading or a script does not inflate what the demand figures show.
 * Nothing about who asked is kept in the database.
 */
export async function countDemand(db: Queryable, datasetId: string, kind: DemandKind, options: { address?: string; now?: Date } = {}): Promise<void> {
  const now = options.now ?? new Date()
  if (options.address !== undefined && countedAlready(kind, datasetId, options.address, now.getTime())) return
  const day = now.toISOString().slice(0, 10)
  if (kind === 'api_calls') {
    let calls = pendingCalls.get(db)
    if (!calls) {
      pendingCalls.set(db, (calls = new Map()))
      setTimeout(() => {
        flushDemand(db).catch((error: unknown) => process.emitWarning(`API calls could not be counted: ${(error as Error).message}`))
      }, FLUSH_MS).unref()
    }
    const key = `${datasetId} ${day}`
    calls.set(key, (calls.get(key) ?? 0) + 1)
    return
  }
  await db.query(COUNT[kind], [datasetId, day])
  if (kind === 'views') await db.query('update datasets set views_total = views_total + 1 where id = $1', [datasetId])
}

export interface DemandTotals {
  views: number
  downloads: number
  apiCalls: number
}

/** A dataset's views, downloads and API calls, over all days. */
export async function demandOf(db: Queryable, datasetId: string): Promise<DemandTotals> {
  await flushDemand(db)
  const [row] = await db.query<{ views: number; downloads: number; api_calls: number }>(
    `select coalesce(sum(views), 0)::int as views, coalesce(sum(downloads), 0)::int as downloads, coalesce(sum(api_calls), 0)::int as api_calls
     from data_daily_stats where dataset_id = $1`,
    [datasetId],
  )
  return { views: row?.views ?? 0, downloads: row?.downloads ?? 0, apiCalls: row?.api_calls ?? 0 }
}
