import { Type } from 'typebox'
import type { FastifyRequest } from 'fastify'

/**
 * A reader's mistake in an address (a page past the last, a sort the page does not know, a search
 * too long) is not a dead end: the page does the nearest thing it can and says what it did, in the
 * reader's language, with their input kept. These helpers collect such notes for the layout.
 */
export class QueryNotes {
  readonly items: string[] = []
  constructor(private readonly request: FastifyRequest) {}

  add(messageKey: string, values?: Record<string, string | number>): void {
    this.items.push(this.request.t(messageKey, values))
  }
}

/** A page number as the address gives it: text, so that "abc" or "0" is corrected rather than refused. */
export const LoosePage = Type.Optional(Type.String({ maxLength: 40 }))

/** The page asked for, as a whole number from 1; anything else is page 1, with a note. */
export function pageAsked(raw: string | undefined, notes: QueryNotes): number {
  if (raw === undefined || raw === '') return 1
  const page = Number(raw)
  if (Number.isSafeInteger(page) && page >= 1) return page
  notes.add('platform.forgiving.pageNotNumber', { page: raw.slice(0, 20) })
  return 1
}

/** The last page instead of one past it (with a note); the page itself when there are that many. */
export function pageWithin(page: number, pages: number, notes: QueryNotes): number {
  if (page <= pages) return page
  notes.add('platform.forgiving.pagePastLast', { page, pages })
  return pages
}

/** A search text cut to `limit` characters, with a note when it was longer. */
export function searchWithin(q: string | undefined, limit: number, notes: QueryNotes): string | undefined {
  if (q === undefined || q.length <= limit) return q
  notes.add('platform.forgiving.searchShortened', { limit })
  return q.slice(0, limit)
}

/** One of `allowed`, or undefined with a note naming the choices (as the reader reads them). */
export function choiceOf<T extends string>(raw: string | undefined, allowed: readonly T[], notes: QueryNotes, names: (value: T) => string, field: string): T | undefined {
  if (raw === undefined || raw === '') return undefined
  if ((allowed as readonly string[]).includes(raw)) return raw as T
  notes.add('platform.forgiving.unknownChoice', { field, value: raw.slice(0, 40), allowed: allowed.map(names).join(', ') })
  return undefined
}
