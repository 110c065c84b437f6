import type { FastifyRequest } from 'fastify'
import type { MultilingualText } from '../../platform/i18n/multilingual.ts'
import { localize } from '../../platform/i18n/multilingual.ts'

/** State bodies as a GOV.UK select's items, the chosen one selected, after a first "none" item if given. */
export function agencyOptions(request: FastifyRequest, agencies: readonly { slug: string; name: MultilingualText }[], selected: string | undefined, emptyText?: string) {
  const items = agencies.map((a) => ({ value: a.slug, text: localize(a.name, request.lang)?.text ?? a.slug, selected: selected === a.slug }))
  return emptyText === undefined ? items : [{ value: '', text: emptyText, selected: false }, ...items]
}
