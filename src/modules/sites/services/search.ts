import type { SearchProvider } from '../../../platform/search/index.ts'
import { localize } from '../../../platform/i18n/multilingual.ts'
import { listServices } from './register.ts'

/** Public services in the site search: by words of their names and descriptions in any language, or their code. */
export const serviceSearch: SearchProvider = {
  id: 'sites',
  morePath: (q) => `/services?${new URLSearchParams({ q }).toString()}`,
  async search(db, q, lang, limit) {
    const found = await listServices(db, { q, limit })
    return {
      total: found.total,
      hits: found.items.map((s) => ({ title: localize(s.name, lang)?.text ?? s.code, path: `/services/${s.code}`, summary: `${s.code} · ${localize(s.term, lang)?.text ?? ''}` })),
    }
  },
}
