import type { SearchProvider } from '../../platform/search/index.ts'
import { localize } from '../../platform/i18n/multilingual.ts'
import { listDrafts } from './drafts/service.ts'

/** Drafts in the site search: by a word of their title or summary in any language, typos tolerated. */
export const draftSearch: SearchProvider = {
  id: 'legalActs',
  morePath: (q) => `/legal-acts?${new URLSearchParams({ q }).toString()}`,
  async search(db, q, lang, limit) {
    const { items, total } = await listDrafts(db, { q, perPage: limit })
    return {
      total,
      hits: items.map((d) => ({
        title: localize(d.title, lang)?.text ?? String(d.id),
        path: `/legal-acts/drafts/${d.id}`,
        summary: localize(d.agency.name, lang)?.text ?? '',
      })),
    }
  },
}
