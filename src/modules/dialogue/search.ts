import type { SearchProvider } from '../../platform/search/index.ts'
import { localize } from '../../platform/i18n/multilingual.ts'
import { listQuestions } from './questions/service.ts'

/** Published questions in the site search: by a word of the question or its answer, typos tolerated. */
export const questionSearch: SearchProvider = {
  id: 'dialogue',
  morePath: (q) => `/dialogue?${new URLSearchParams({ q }).toString()}`,
  async search(db, q, lang, limit) {
    const { items, total } = await listQuestions(db, { q, perPage: limit })
    return {
      total,
      hits: items.map((question) => ({
        title: question.body.length > 140 ? `${question.body.slice(0, 139)}…` : question.body,
        path: `/dialogue/questions/${question.id}`,
        summary: localize(question.agency.name, lang)?.text ?? '',
      })),
    }
  },
}
