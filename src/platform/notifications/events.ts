import type { Queryable } from '../db/index.ts'
import { agencyStaff, roleHolders } from '../auth/accounts.ts'
import { formatDate, type Lang } from '../i18n/index.ts'
import { localize, type MultilingualText } from '../i18n/multilingual.ts'
import { enqueueMail } from './outbox.ts'
import { mailText, translate } from './messages.ts'
import { mailFollowers } from './subscriptions.ts'

/** A role of the whole site, not of one body. */
type SiteRole = 'admin' | 'commission'

/**
 * A value of a mail's message, written in each reader's language when the mail is: a text in
 * several languages, a date, a page of the site, a message of the locale files. Plain strings and
 * numbers are the same in every language (a question's number, a citizen's own words).
 */
export type Said =
  | string | number | null
  | { readonly $text: MultilingualText | null }
  | { readonly $date: string | Date }
  | { readonly $page: string }
  | { readonly $message: string }
export type SaidValues = Readonly<Record<string, Said>>

/** Builders of the values that are said in the reader's language. */
export const say = {
  /** A text in several languages, in the reader's (or the first there is). */
  text: (text: MultilingualText | null | undefined): Said => ({ $text: text ?? null }),
  /** A day (YYYY-MM-DD) or an instant, as the reader's language writes a date. */
  date: (date: string | Date): Said => ({ $date: date }),
  /** A page of the site without its language (`/dialogue/questions/5`), linked in the reader's. */
  page: (path: string): Said => ({ $page: path }),
  /** A message of the locale files (a reason's name). */
  message: (key: string): Said => ({ $message: key }),
}

/** Whom a telling reaches. */
export type Audience =
  /** One account (the asker, a proposal's author); `key` tells apart several mails of one event to one person. */
  | { person: number; values?: SaidValues; key?: string }
  /** The editors and head of a body. */
  | { staffOf: number }
  /** Everyone granted a role of the whole site (the commission). */
  | { holders: SiteRole }
  /** Who follows any of the topics (with a confirmed address), except the one who acted. */
  | { followers: readonly string[]; except?: number | null }

/** One message an event sends, and to whom. */
export interface Telling<P> {
  /** The message's locale keys: `<message>.subject` and `<message>.body`, in kk, ru and en (a test checks). */
  message: string
  /** Whom, for this occurrence: none (null, false, []) when it is not told to anyone. */
  to(payload: P): Audience | readonly Audience[] | null | false | undefined
  /** Values of this message beside the event's own (a moderation's deadline, not the answer's). */
  values?(payload: P): SaidValues
}

/**
 * An event that tells people of itself: a question published, a draft's discussion closed. Declared
 * once per kind in the module that owns it, listed in its definition (`events`), and announced in
 * the transaction that makes it happen: its mail is in the outbox if, and only if, that commits.
 */
export interface EventKind<P> {
  /** The kind's name, which its mail in the outbox is of (`question-published`). */
  name: string
  /** What makes one occurrence itself (the question's number): told twice, a person gets one mail. None: every announcement is news. */
  occurrence?(payload: P): string | number
  /** The values every message of it may say. */
  values(payload: P): SaidValues
  /** Its messages, in order: a person reached by several is told by the first alone. */
  tells: readonly Telling<P>[]
}

/** Declares an event's kind (the identity function, for its types). */
export function defineEvent<P>(kind: EventKind<P>): EventKind<P> {
  return kind
}

/** An event of a kind with what happened: what `transition` announces with the change (`tell`). */
export interface Announcement {
  announce(tx: Queryable): Promise<number>
}

/** The occurrence of an event, ready to be announced in a transaction, in pages of `origin`. */
export function told<P>(kind: EventKind<P>, payload: P, origin: string): Announcement {
  return { announce: (tx) => announce(tx, kind, payload, origin) }
}

function render(values: SaidValues, lang: Lang, origin: string): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const [name, value] of Object.entries(values)) {
    if (value === null) out[name] = ''
    else if (typeof value !== 'object') out[name] = value
    else if ('$text' in value) out[name] = localize(value.$text, lang)?.text ?? ''
    else if ('$date' in value) out[name] = formatDate(lang, value.$date)
    else if ('$page' in value) out[name] = `${origin}/${lang}${value.$page}`
    else out[name] = translate(lang, value.$message)
  }
  return out
}

function audiences<P>(telling: Telling<P>, payload: P): readonly Audience[] {
  const to = telling.to(payload)
  if (!to) return []
  return Array.isArray(to) ? to : [to as Audience]
}

/**
 * Puts an event's mail in the outbox, in the caller's transaction: each telling's message to its
 * audience, in each reader's language. Returns how many mails were queued.
 */
export async function announce<P>(tx: Queryable, kind: EventKind<P>, payload: P, origin: string): Promise<number> {
  const occurrence = kind.occurrence ? `${kind.name}:${kind.occurrence(payload)}` : null
  const base = kind.values(payload)
  // Who was told already by an earlier telling of this occurrence: the first one's message is theirs.
  const reached = new Set<number>()
  let queued = 0
  for (const telling of kind.tells) {
    const own = { ...base, ...telling.values?.(payload) }
    for (const audience of audiences(telling, payload)) {
      if ('followers' in audience) {
        queued += await mailFollowers(tx, audience.followers, occurrence, (lang) => mailText(lang, telling.message, render(own, lang, origin)), {
          origin, kind: 'subscription', except: [...reached, ...(audience.except ? [audience.except] : [])],
        })
        continue
      }
      const people = 'person' in audience
        ? await tx.query<{ id: number; email: string; lang: Lang }>('select id, email, lang from users where id = $1', [audience.person])
        : 'staffOf' in audience ? await agencyStaff(tx, audience.staffOf) : await roleHolders(tx, audience.holders)
      const values = 'person' in audience ? { ...own, ...audience.values } : own
      const key = 'person' in audience && audience.key ? `:${audience.key}` : ''
      for (const person of people) {
        if (!key && reached.has(person.id)) continue
        reached.add(person.id)
        const sent = await enqueueMail(tx, {
          to: person.email, lang: person.lang, kind: kind.name, ...mailText(person.lang, telling.message, render(values, person.lang, origin)),
          ...(occurrence ? { dedupeKey: `${occurrence}:${person.id}${key}` } : {}),
        })
        if (sent) queued += 1
      }
    }
  }
  return queued
}

/** Every message key an event may send (for the test that each is said in kk, ru and en). */
export function messagesOf(kind: EventKind<unknown>): string[] {
  return kind.tells.map((telling) => telling.message)
}
