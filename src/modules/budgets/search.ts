import type { SearchProvider } from '../../platform/search/index.ts'
import { localize } from '../../platform/i18n/multilingual.ts'
import { searchProgrammes } from './service.ts'

/** Budget programmes in the site search: by name in any language or by code, the newest budgets first. */
export const budgetSearch: SearchProvider = {
  id: 'budgets',
  morePath: (q) => `/budgets?${new URLSearchParams({ q }).toString()}`,
  async search(db, q, lang, limit) {
    const { total, found } = await searchProgrammes(db, q, limit)
    return {
      total,
      hits: found.map((f) => ({
        title: localize(f.name, lang)?.text ?? f.code,
        path: `/budgets/${f.budget.key}?${new URLSearchParams({ dimension: 'administrative', code: f.code }).toString()}`,
        summary: `${f.code} · ${f.budget.year}`,
      })),
    }
  },
}
