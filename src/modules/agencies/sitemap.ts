import type { SitemapSource } from '../../platform/html/sitemap.ts'

/** Every body's page, for search engines. */
export const agencySitemap: SitemapSource = {
  name: 'agencies',
  topics: ['agencies'],
  pages: async (db) => (await db.query<{ slug: string; updated_at: Date }>('select slug, updated_at from agencies order by slug'))
    .map((a) => ({ path: `/agencies/${a.slug}`, modified: a.updated_at })),
}
