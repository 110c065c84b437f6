import type { SitemapSource } from '../../platform/html/sitemap.ts'
import { PUBLIC_DATASET } from './catalog/visibility.ts'

/** Every public dataset's page (never a private or deleted one), for search engines. */
export const datasetSitemap: SitemapSource = {
  name: 'data',
  topics: ['data'],
  pages: async (db) => (await db.query<{ name: string; updated_at: Date }>(`select d.name, d.updated_at from datasets d where ${PUBLIC_DATASET} order by d.name`))
    .map((d) => ({ path: `/data/datasets/${d.name}`, modified: d.updated_at })),
}
