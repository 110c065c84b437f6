import type { Db } from '../../platform/db/index.ts'
import type { Day } from '../../platform/calendar/days.ts'
import type { MultilingualText } from '../../platform/i18n/multilingual.ts'
import { agencyNames } from '../agencies/service.ts'
import { listEntries } from '../data/unified-list/service.ts'
import { datasetsInKazakh } from '../data/catalog/service.ts'
import { legalActFacts } from '../legal-acts/facts/service.ts'
import { dialogueStatistics } from '../dialogue/statistics/service.ts'
import { petitionStatistics } from '../dialogue/petitions/statistics.ts'
import { discussionFacts } from '../budgets/discussions.ts'
import { siteOpennessFactsOf, type SiteOpennessFacts } from '../sites/facts.ts'
import { itemPath } from '../sites/editions/pages.ts'

/** The components of openness the indicators belong to (open data, legal acts, budgets, dialogue, petitions, the official site). */
export const COMPONENTS = ['data', 'legal-acts', 'budgets', 'dialogue', 'petitions', 'sites'] as const
export type Component = (typeof COMPONENTS)[number]

/** A record behind a measure (an overdue dataset, a late answer), named in its language and linked. */
export interface EvidenceRecord {
  text: MultilingualText
  /** A path on this site after the language ("/data/datasets/beds"). */
  path: string
}

/** What an indicator measured of one body: a share (numerator of denominator), and the records that fell short. */
export interface Measure {
  numerator: number
  denominator: number
  records: EvidenceRecord[]
}

/** The facts an indicator reads: the period (the twelve months before the snapshot's day) and the day itself. */
export interface Period {
  from: Day
  to: Day
  today: Day
}

/**
 * One indicator of the index: what it measures (a share from 0 to 1, higher is more open), from the
 * facts of which module, for every body at once. Each module's facts come through its own service.
 */
export interface Indicator {
  code: string
  component: Component
  measure(db: Db, period: Period): Promise<Map<number, Measure>>
}

// At most this many records are kept behind a measure: enough to act on, small enough to publish.
const RECORDS_KEPT = 20

/**
 * A module's facts read once per snapshot (its period), however many indicators use them: the
 * sites' facts feed three indicators, the legal acts' two, and every indicator names the bodies.
 */
function oncePerPeriod<T>(read: (db: Db, period: Period) => Promise<T>): (db: Db, period: Period) => Promise<T> {
  const kept = new WeakMap<Period, Promise<T>>()
  return (db, period) => {
    if (!kept.has(period)) kept.set(period, read(db, period))
    return kept.get(period)!
  }
}

const bodyIds = oncePerPeriod(async (db) => new Map((await agencyNames(db, 'ru')).map((a) => [a.slug, a.id])))
const legalActsRead = oncePerPeriod((db, period) => legalActFacts(db, period, period.today))
const siteFactsRead = oncePerPeriod((db, period) => siteOpennessFactsOf(db, null, period.from, period.to, undefined, period.today))
const siteFacts = async (db: Db, period: Period, agencyId: number): Promise<SiteOpennessFacts> => (await siteFactsRead(db, period)).get(agencyId)!

/** The indicators the index knows, each with its code as the methodology weighs it. */
export const INDICATORS: readonly Indicator[] = [
  {
    // Entries of the Unified List published by their deadline, of those due (upcoming ones are not yet due).
    code: 'data.unified-list-on-time', component: 'data',
    async measure(db, period) {
      const found = new Map<number, Measure>()
      for (const entry of await listEntries(db, {}, new Date(`${period.today}T12:00:00+05:00`))) {
        if (entry.state === 'upcoming') continue
        const m = found.get(entry.agency.id) ?? { numerator: 0, denominator: 0, records: [] }
        m.denominator += 1
        if (entry.state === 'on-time') m.numerator += 1
        else if (m.records.length < RECORDS_KEPT) m.records.push({ text: entry.title, path: entry.dataset ? `/data/datasets/${entry.dataset.name}` : `/data/unified-list/${entry.agency.slug}` })
        found.set(entry.agency.id, m)
      }
      return found
    },
  },
  {
    // The body's public datasets whose title and description are written in Kazakh (the portal in both state languages).
    code: 'data.complete-kk', component: 'data',
    async measure(db) {
      const found = new Map<number, Measure>()
      for (const [id, f] of await datasetsInKazakh(db, RECORDS_KEPT)) {
        found.set(id, { numerator: f.total - f.missing.length - f.moreMissing, denominator: f.total, records: f.missing.map((d) => ({ text: d.title, path: `/data/datasets/${d.name}` })) })
      }
      return found
    },
  },
  {
    // Answers to the proposals on closed drafts published by the day due (the rules' working days).
    code: 'legal-acts.answers-on-time', component: 'legal-acts',
    async measure(db, period) {
      const ids = await bodyIds(db, period)
      const found = new Map<number, Measure>()
      for (const f of await legalActsRead(db, period)) {
        const id = ids.get(f.agency.slug)
        const due = f.answersOnTime + f.answersLate + f.answersOverdue
        if (id === undefined || due === 0) continue
        found.set(id, { numerator: f.answersOnTime, denominator: due, records: f.answersOnTime < due ? [{ text: { kk: 'Жауаптары кешіккен жобалар', ru: 'Проекты с опоздавшими ответами', en: 'Drafts answered late' }, path: `/legal-acts?agency=${f.agency.slug}` }] : [] })
      }
      return found
    },
  },
  {
    // Drafts published for a discussion at least as long as the rules ask (Civil Code art. 170 counts its days).
    code: 'legal-acts.discussion-length', component: 'legal-acts',
    async measure(db, period) {
      const ids = await bodyIds(db, period)
      const found = new Map<number, Measure>()
      for (const f of await legalActsRead(db, period)) {
        const id = ids.get(f.agency.slug)
        if (id === undefined || f.draftsPublished === 0) continue
        found.set(id, { numerator: f.draftsPublished - f.belowMinimum, denominator: f.draftsPublished, records: f.belowMinimum > 0 ? [{ text: { kk: 'Талқылауы қысқа жобалар', ru: 'Проекты с коротким обсуждением', en: 'Drafts discussed too briefly' }, path: `/legal-acts?agency=${f.agency.slug}` }] : [] })
      }
      return found
    },
  },
  {
    // Citizens' comments on the body's budget discussions that closed in the period, answered by the body.
    code: 'budgets.comments-answered', component: 'budgets',
    async measure(db, period) {
      return perBody(db, period, async (id) => {
        const facts = await discussionFacts(db, id, period.from, period.to)
        if (facts.comments === 0) return null
        return { numerator: facts.answered, denominator: facts.comments, records: facts.answered < facts.comments ? [{ text: { kk: 'Жауапсыз пікірлер', ru: 'Комментарии без ответа', en: 'Comments without an answer' }, path: '/budgets/discussions' }] : [] }
      })
    },
  },
  {
    // Questions to the head answered by their deadline, of those answered or overdue today.
    code: 'dialogue.answered-on-time', component: 'dialogue',
    async measure(db, period) {
      return answeredOnTime(await bodyIds(db, period), (await dialogueStatistics(db, period, period.today)).bodies,
        (slug) => ({ text: { kk: 'Кешіккен және мерзімі өткен жауаптар', ru: 'Опоздавшие и просроченные ответы', en: 'Late and overdue answers' }, path: `/dialogue/${slug}` }))
    },
  },
  {
    // Petitions addressed to the body, supported, and decided by their consideration's deadline (the
    // Law "On public control"'s working days, config.petitions), of those decided or overdue today.
    code: 'petitions.answered-on-time', component: 'petitions',
    async measure(db, period) {
      return answeredOnTime(await bodyIds(db, period), (await petitionStatistics(db, period, period.today)).bodies,
        () => ({ text: { kk: 'Кешіккен және мерзімі өткен шешімдер', ru: 'Опоздавшие и просроченные решения', en: 'Late and overdue decisions' }, path: '/dialogue/petitions/statistics' }))
    },
  },
  {
    // The body's site: items first published in the period that have a Kazakh edition.
    code: 'sites.complete-kk', component: 'sites',
    async measure(db, period) {
      return perBody(db, period, async (id, slug) => {
        const facts = await siteFacts(db, period, id)
        if (facts.items.length === 0) return null
        const missing = facts.items.filter((i) => !i.languages.includes('kk'))
        return { numerator: facts.items.length - missing.length, denominator: facts.items.length, records: missing.slice(0, RECORDS_KEPT).map((i) => ({ text: { kk: 'Қазақша нұсқасы жоқ', ru: 'Нет версии на казахском', en: 'No Kazakh edition' }, path: itemPath(slug, i.kind, i.id) })) }
      })
    },
  },
  {
    // The body's site: news within a day of its draft, documents within 3 working days of their signing (sites/facts.ts).
    code: 'sites.on-time', component: 'sites',
    async measure(db, period) {
      return perBody(db, period, async (id, slug) => {
        const timed = (await siteFacts(db, period, id)).items.filter((i) => i.dueOn !== null)
        if (timed.length === 0) return null
        const late = timed.filter((i) => i.late)
        return { numerator: timed.length - late.length, denominator: timed.length, records: late.slice(0, RECORDS_KEPT).map((i) => ({ text: { kk: 'Кеш жарияланды', ru: 'Опубликовано с опозданием', en: 'Published late' }, path: itemPath(slug, i.kind, i.id) })) }
      })
    },
  },
  {
    // The public council's recommendations answered within 10 working days (Law "On public control"), of those due in the period.
    code: 'sites.council-answers', component: 'sites',
    async measure(db, period) {
      return perBody(db, period, async (id, slug) => {
        const council = (await siteFacts(db, period, id)).council
        if (council.due === 0) return null
        const short = council.due - council.answeredOnTime
        return { numerator: council.answeredOnTime, denominator: council.due, records: short > 0 ? [{ text: { kk: 'Кешіккен жауаптар', ru: 'Опоздавшие ответы', en: 'Late answers' }, path: `/agencies/${slug}/council#recommendations` }] : [] }
      })
    },
  },
]

/** Each body's share answered by the deadline of what was answered or is overdue, from a module's figures per body; a body short of it has the record `late` names. */
function answeredOnTime(ids: ReadonlyMap<string, number>, bodies: ReadonlyArray<{ agency: { slug: string } | null; answered: number; answeredOnTime: number; overdue: number }>, late: (slug: string) => EvidenceRecord): Map<number, Measure> {
  const found = new Map<number, Measure>()
  for (const f of bodies) {
    const id = f.agency ? ids.get(f.agency.slug) : undefined
    const due = f.answered + f.overdue
    if (id === undefined || due === 0) continue
    found.set(id, { numerator: f.answeredOnTime, denominator: due, records: f.answeredOnTime < due ? [late(f.agency!.slug)] : [] })
  }
  return found
}

async function perBody(db: Db, period: Period, measure: (id: number, slug: string) => Promise<Measure | null>): Promise<Map<number, Measure>> {
  const found = new Map<number, Measure>()
  for (const [slug, id] of await bodyIds(db, period)) {
    const m = await measure(id, slug)
    if (m) found.set(id, m)
  }
  return found
}
