import type { SitemapSource } from '../../platform/html/sitemap.ts'
import { itemPath } from './editions/pages.ts'
import type { ItemKind } from './editions/states.ts'

/** Bodies' published news and documents (a withdrawn item is left out), the register's services, the life situations and the studies, for search engines. */
export const siteSitemap: SitemapSource = {
  name: 'sites',
  topics: ['sites', 'agencies', 'studies'],
  async pages(db) {
    const items = await db.query<{ slug: string; kind: ItemKind; id: string; at: Date }>(
      `select a.slug, i.kind, i.id, max(e.published_at) as at
       from site_items i join agencies a on a.id = i.agency_id join site_editions e on e.item_id = i.id and e.status = 'published'
       group by a.slug, i.kind, i.id order by i.id`,
    )
    const services = await db.query<{ code: string; updated_at: Date }>('select code, updated_at from public_services where excluded_on is null order by code')
    const situations = await db.query<{ slug: string; updated_at: Date }>('select slug, updated_at from life_situations order by sphere_code, code')
    const studies = await db.query<{ slug: string; updated_at: Date }>('select slug, updated_at from studies order by published_on desc, id desc')
    return [
      { path: '/services' }, { path: '/life-situations' },
      ...items.map((i) => ({ path: itemPath(i.slug, i.kind, Number(i.id)), modified: i.at })),
      ...services.map((s) => ({ path: `/services/${s.code}`, modified: s.updated_at })),
      ...situations.map((s) => ({ path: `/life-situations/${s.slug}`, modified: s.updated_at })),
      { path: '/studies' }, ...studies.map((s) => ({ path: `/studies/${s.slug}`, modified: s.updated_at })),
    ]
  },
}
