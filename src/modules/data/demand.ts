import type { Queryable } from '../../platform/db/index.ts'

export type DemandKind = 'views' | 'downloads' | 'api_calls'

// One statement per kind: the column is never built from input.
const COUNT: Record<DemandKind, string> = {
  views: `insert into data_daily_stats (dataset_id, day, views) values ($1, $2, 1)
          on conflict (dataset_id, day) do update set views = data_daily_stats.views + 1`,
  downloads: `insert into data_daily_stats (dataset_id, day, downloads) values ($1, $2, 1)
              on conflict (dataset_id, day) do update set downloads = data_daily_stats.downloads + 1`,
  api_calls: `insert into data_daily_stats (dataset_id, day, api_calls) values ($1, $2, 1)
              on conflict (dataset_id, day) do update set api_calls = data_daily_stats.api_calls + 1`,
}

/** Counts one view, download or API call of a dataset for the day; nothing about who asked is kept. */
export async function countDemand(db: Queryable, datasetId: string, kind: DemandKind, now: Date = new Date()): Promise<void> {
  const day = now.toISOString().slice(0, 10)
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
  const [row] = await db.query<{ views: number; downloads: number; api_calls: number }>(
    `select coalesce(sum(views), 0)::int as views, coalesce(sum(downloads), 0)::int as downloads, coalesce(sum(api_calls), 0)::int as api_calls
     from data_daily_stats where dataset_id = $1`,
    [datasetId],
  )
  return { views: row?.views ?? 0, downloads: row?.downloads ?? 0, apiCalls: row?.api_calls ?? 0 }
}
