import type { SearchProvider } from '../../../platform/search/index.ts'
import { localize } from '../../../platform/i18n/multilingual.ts'
import { searchCatalog } from './search.ts'

/** Datasets in the site search: the catalog's own search, best matches first. */
export const datasetSearch: SearchProvider = {
  id: 'data',
  morePath: (q) => `/data?${new URLSearchParams({ q }).toString()}`,
  async search(db, q, lang, limit) {
    const result = await searchCatalog(db, { q, limit, facets: [] })
    return {
      total: result.total,
      hits: result.datasets.map((dataset) => ({
        title: localize(dataset.title, lang)?.text ?? dataset.name,
        path: `/data/datasets/${dataset.name}`,
        summary: localize(dataset.agency.name, lang)?.text ?? '',
      })),
    }
  },
}
