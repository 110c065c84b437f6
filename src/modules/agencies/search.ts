import type { SearchProvider } from '../../platform/search/index.ts'
import { localize } from '../../platform/i18n/multilingual.ts'
import { listAgencies } from './service.ts'

/** State bodies in the site search: by name in any language, typos tolerated, as on the registry. */
export const agencySearch: SearchProvider = {
  id: 'agencies',
  morePath: (q) => `/agencies?${new URLSearchParams({ q }).toString()}`,
  async search(db, q, lang, limit) {
    const page = await listAgencies(db, { q, perPage: limit }, lang)
    return {
      total: page.total,
      hits: page.items.map((agency) => ({
        title: localize(agency.name, lang)?.text ?? agency.slug,
        path: `/agencies/${agency.slug}`,
        summary: [localize(agency.region?.name, lang)?.text, localize(agency.parent?.name, lang)?.text].filter(Boolean).join(' · '),
      })),
    }
  },
}
