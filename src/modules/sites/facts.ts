import type { Db } from '../../platform/db/index.ts'
import { addDays, kazakhstanDay, type Day } from '../../platform/calendar/days.ts'
import { workingCalendar } from '../../platform/calendar/service.ts'
import type { Lang } from '../../platform/i18n/index.ts'
import type { ItemKind } from './editions/states.ts'
import { councilFactsOf, type councilFacts } from './councils/service.ts'

/**
 * How fast a body's site is to publish, as gov.kz's single platform of state bodies' sites asks:
 * news within a day of being written, and a document within 3 working days of being signed. The
 * openness index may apply other periods (its methodology is versioned): they are parameters here.
 */
export interface UpdateRule {
  newsDays: number
  documentWorkingDays: number
}
export const GOV_KZ_UPDATE_RULE: UpdateRule = { newsDays: 1, documentWorkingDays: 3 }

/** A body's published item, with the languages it is published in and whether it came late against the rule. */
export interface SiteItemFact {
  id: number
  kind: ItemKind
  languages: Lang[]
  /** The day its work began: a news item's first draft, a document's signing. */
  startedOn: Day
  firstPublishedOn: Day
  /** The last day it was on time by the rule, or null for a kind the rule does not time (the page about the body). */
  dueOn: Day | null
  late: boolean
}

export interface SiteOpennessFacts {
  rule: UpdateRule
  /** Items first published in the period. */
  items: SiteItemFact[]
  /** The share of those items published in Kazakh and in Russian (1 when there are none). */
  complete: { kk: number; ru: number }
  late: number
  /** Links of its published items that lead nowhere, as the last check found them. */
  brokenLinks: Array<{ itemId: number; lang: Lang; url: string; status: number }>
  /** The register's services it provides, and how many have their name, term and result in each language. */
  services: { total: number; complete: { kk: number; ru: number } }
  /** Its public council's recommendations whose answer was due in the period: answered on time, late, or overdue today. */
  council: Awaited<ReturnType<typeof councilFacts>>
}

/**
 * What a body's site shows of its openness, for the openness index: the items it first published in
 * the period, each with its languages and its lateness by the update rule, the share complete in
 * Kazakh and in Russian, its broken links and the completeness of the services it provides.
 */
export async function siteOpennessFacts(db: Db, agencyId: number, from: Day, to: Day, rule: UpdateRule = GOV_KZ_UPDATE_RULE): Promise<SiteOpennessFacts> {
  return (await siteOpennessFactsOf(db, [agencyId], from, to, rule)).get(agencyId)!
}

/** siteOpennessFacts of many bodies at once (every body when null): a few statements however many bodies. */
export async function siteOpennessFactsOf(db: Db, agencyIds: readonly number[] | null, from: Day, to: Day, rule: UpdateRule = GOV_KZ_UPDATE_RULE, today: Day = kazakhstanDay(new Date())): Promise<Map<number, SiteOpennessFacts>> {
  const ids = agencyIds === null ? null : [...agencyIds]
  const rows = await db.query<{ id: string; agency_id: string; kind: ItemKind; created_at: Date; signed_on: string | null; first: Date; languages: Lang[] }>(
    `select i.id, i.agency_id, i.kind, i.created_at, to_char(i.signed_on, 'YYYY-MM-DD') as signed_on, min(e.published_at) as first,
       array(select distinct c.lang from site_editions c where c.item_id = i.id and c.status = 'published' order by c.lang) as languages
     from site_items i join site_editions e on e.item_id = i.id and e.published_at is not null
     where ($1::bigint[] is null or i.agency_id = any($1::bigint[])) group by i.id
     having min(e.published_at) >= ($2::date - interval '5 hours') and min(e.published_at) < ($3::date + interval '19 hours')
     order by min(e.published_at)`,
    [ids, from, to],
  )
  const starts = rows.map((r) => (r.kind === 'document' && r.signed_on ? r.signed_on : kazakhstanDay(new Date(r.created_at))))
  const earliest = starts.reduce((min, d) => (d < min ? d : min), from)
  // Weekends and holidays never make more days off in a row than twice the working days and a month.
  const calendar = rows.some((r) => r.kind === 'document') ? await workingCalendar(db, earliest, addDays(to, rule.documentWorkingDays * 2 + 31)) : null
  const items = rows.map((r, i): SiteItemFact & { agencyId: number } => {
    const startedOn = starts[i]!
    const firstPublishedOn = kazakhstanDay(new Date(r.first))
    const dueOn = r.kind === 'news' ? addDays(startedOn, rule.newsDays) : r.kind === 'document' && calendar ? calendar.addWorkingDays(startedOn, rule.documentWorkingDays) : null
    return { agencyId: Number(r.agency_id), id: Number(r.id), kind: r.kind, languages: r.languages, startedOn, firstPublishedOn, dueOn, late: dueOn !== null && firstPublishedOn > dueOn }
  })
  const broken = await db.query<{ agency_id: string; item_id: string; lang: Lang; url: string; status: number }>(
    `select i.agency_id, p.item_id, p.lang, p.url, p.status from site_link_problems p join site_items i on i.id = p.item_id
     where ($1::bigint[] is null or i.agency_id = any($1::bigint[])) order by p.item_id, p.lang, p.url`, [ids])
  const services = new Map((await db.query<{ agency_id: string; total: number; kk: number; ru: number }>(
    `select agency_id, count(*)::int as total,
       count(*) filter (where name ? 'kk' and term ? 'kk' and result ? 'kk')::int as kk,
       count(*) filter (where name ? 'ru' and term ? 'ru' and result ? 'ru')::int as ru
     from public_services where ($1::bigint[] is null or agency_id = any($1::bigint[])) and excluded_on is null group by agency_id`, [ids])).map((r) => [Number(r.agency_id), r]))
  const councils = await councilFactsOf(db, ids, from, to, today)
  const bodies = ids ?? (await db.query<{ id: string }>('select id from agencies')).map((a) => Number(a.id))
  return new Map(bodies.map((agencyId) => {
    const own = items.filter((i) => i.agencyId === agencyId).map(({ agencyId: _, ...item }) => item)
    const share = (lang: Lang) => (own.length === 0 ? 1 : own.filter((i) => i.languages.includes(lang)).length / own.length)
    const svc = services.get(agencyId)
    return [agencyId, {
      rule, items: own, complete: { kk: share('kk'), ru: share('ru') }, late: own.filter((i) => i.late).length,
      brokenLinks: broken.filter((b) => Number(b.agency_id) === agencyId).map((p) => ({ itemId: Number(p.item_id), lang: p.lang, url: p.url, status: p.status })),
      services: { total: svc?.total ?? 0, complete: { kk: svc?.kk ?? 0, ru: svc?.ru ?? 0 } },
      council: councils.get(agencyId) ?? { due: 0, answeredOnTime: 0, answeredLate: 0, overdue: 0 },
    }]
  }))
}
