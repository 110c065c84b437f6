import type { SitemapSource } from '../../platform/html/sitemap.ts'

/** Every draft the public may read (not one still in preparation), for search engines. */
export const draftSitemap: SitemapSource = {
  name: 'legal-acts',
  topics: ['legal-acts'],
  pages: async (db) => (await db.query<{ id: string; updated_at: Date }>("select d.id, d.updated_at from legal_act_drafts d where d.status <> 'preparation' order by d.id"))
    .map((d) => ({ path: `/legal-acts/drafts/${d.id}`, modified: d.updated_at })),
}
