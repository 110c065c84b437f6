import type { Db } from '../../platform/db/index.ts'
import { addDays, kazakhstanDay, type Day } from '../../platform/calendar/days.ts'
import { workingCalendar } from '../../platform/calendar/service.ts'
import type { Lang } from '../../platform/i18n/index.ts'
import type { ItemKind } from './editions/states.ts'
import { councilFacts } from './councils/service.ts'

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
  const rows = await db.query<{ id: string; kind: ItemKind; created_at: Date; signed_on: string | null; first: Date; languages: Lang[] }>(
    `select i.id, i.kind, i.created_at, to_char(i.signed_on, 'YYYY-MM-DD') as signed_on, min(e.published_at) as first,
       array(select distinct c.lang from site_editions c where c.item_id = i.id and c.status = 'published' order by c.lang) as languages
     from site_items i join site_editions e on e.item_id = i.id and e.published_at is not null
     where i.agency_id = $1 group by i.id
     having min(e.published_at) >= ($2::date - interval '5 hours') and min(e.published_at) < ($3::date + interval '19 hours')
     order by min(e.published_at)`,
    [agencyId, from, to],
  )
  const starts = rows.map((r) => (r.kind === 'document' && r.signed_on ? r.signed_on : kazakhstanDay(new Date(r.created_at))))
  const earliest = starts.reduce((min, d) => (d < min ? d : min), from)
  // Weekends and holidays never make more days off in a row than twice the working days and a month.
  const calendar = rows.some((r) => r.kind === 'document') ? await workingCalendar(db, earliest, addDays(to, rule.documentWorkingDays * 2 + 31)) : null
  const items = rows.map((r, i): SiteItemFact => {
    const startedOn = starts[i]!
    const firstPublishedOn = kazakhstanDay(new Date(r.first))
    const dueOn = r.kind === 'news' ? addDays(startedOn, rule.newsDays) : r.kind === 'document' && calendar ? calendar.addWorkingDays(startedOn, rule.documentWorkingDays) : null
    return { id: Number(r.id), kind: r.kind, languages: r.languages, startedOn, firstPublishedOn, dueOn, late: dueOn !== null && firstPublishedOn > dueOn }
  })
  const share = (lang: Lang) => (items.length === 0 ? 1 : items.filter((i) => i.languages.includes(lang)).length / items.length)
  const brokenLinks = (await db.query<{ item_id: string; lang: Lang; url: string; status: number }>(
    'select p.item_id, p.lang, p.url, p.status from site_link_problems p join site_items i on i.id = p.item_id where i.agency_id = $1 order by p.item_id, p.lang, p.url', [agencyId],
  )).map((p) => ({ itemId: Number(p.item_id), lang: p.lang, url: p.url, status: p.status }))
  const [services] = await db.query<{ total: number; kk: number; ru: number }>(
    `select count(*)::int as total,
       count(*) filter (where name ? 'kk' and term ? 'kk' and result ? 'kk')::int as kk,
       count(*) filter (where name ? 'ru' and term ? 'ru' and result ? 'ru')::int as ru
     from public_services where agency_id = $1 and excluded_on is null`, [agencyId])
  return {
    rule, items, complete: { kk: share('kk'), ru: share('ru') }, late: items.filter((i) => i.late).length, brokenLinks,
    services: { total: services?.total ?? 0, complete: { kk: services?.kk ?? 0, ru: services?.ru ?? 0 } },
    council: await councilFacts(db, agencyId, from, to, kazakhstanDay(new Date())),
  }
}
