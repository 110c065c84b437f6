import type { Db } from '../../../platform/db/index.ts'
import { ValidationError } from '../../../platform/http/errors.ts'
import { addDays, type Day } from '../../../platform/calendar/days.ts'
import { workingCalendar } from '../../../platform/calendar/service.ts'
import { periodLength } from '../../../platform/calendar/periods.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { today } from '../questions/service.ts'
import { questionSql } from '../questions/states.ts'

/**
 * How one body (or all, with agency null) dealt with the questions it received in a period, every
 * figure computed from the questions themselves: the openness index reads these too.
 */
export interface DialogueFigures {
  agency: { slug: string; name: MultilingualText } | null
  /** Questions whose (latest) receipt by this body fell in the period. */
  received: number
  published: number
  rejected: number
  /** Sent on to the competent body, counted for the body that sent them. */
  forwarded: number
  answered: number
  /** Answered by their deadline (extended or not). */
  answeredOnTime: number
  /** Still without an answer after their deadline, today. */
  overdue: number
  extended: number
  /** The median of working days from receipt to answer, over the answered ones (null without any). */
  medianWorkingDays: number | null
  rated: number
  satisfied: number
}

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** The period figures are asked for: the current year unless told, at most ten years. */
export function statisticsPeriod(query: { from?: string; to?: string }, day = today()): { from: Day; to: Day } {
  const from = query.from || `${day.slice(0, 4)}-01-01`
  const to = query.to || day
  if (to < from) throw new ValidationError([{ field: 'to', messageKey: 'dialogue.errors.periodReversed' }])
  if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) > 10) throw new ValidationError([{ field: 'from', messageKey: 'dialogue.errors.periodTooLong' }])
  return { from, to }
}

/** All bodies' questions received in one month of the period, and what became of them by today. */
export interface MonthFigures {
  /** 2026-03 */
  month: string
  received: number
  answered: number
  answeredOnTime: number
}

/** The months from one day's to another's, both included: 2026-01, 2026-02, … */
export function monthsBetween(from: Day, to: Day): string[] {
  const months: string[] = []
  for (let year = Number(from.slice(0, 4)), month = Number(from.slice(5, 7)); `${year}-${String(month).padStart(2, '0')}` <= to.slice(0, 7); month === 12 ? (year += 1, month = 1) : (month += 1)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`)
  }
  return months
}

/**
 * Each body's figures for the period (bodies that received nothing are left out), the figures of
 * all bodies together, and all bodies' by the month questions were received in.
 */
export async function dialogueStatistics(db: Db, period: { from: Day; to: Day }, day = today()): Promise<{ bodies: DialogueFigures[]; all: DialogueFigures; months: MonthFigures[] }> {
  const rows = await db.query<{
    slug: string; name: MultilingualText; status: string; received_on: Day; answered_on: Day | null; deadline: Day; extended: boolean; rating: number | null; overdue: boolean
  }>(
    `select a.slug, a.name, q.status, q.received_on::text as received_on, q.answered_on::text as answered_on,
       ${questionSql.deadline()}::text as deadline, q.extended_to is not null as extended, q.rating, ${questionSql.overdue('$3')} as overdue
     from dialogue_questions q join agencies a on a.id = q.agency_id
     where q.received_on between $1::date and $2::date`,
    [period.from, period.to, day],
  )
  const forwards = await db.query<{ slug: string; count: number }>(
    `select e.detail ->> 'from' as slug, count(*)::int as count from dialogue_question_events e
     where e.kind = 'forwarded' and (e.at at time zone 'UTC' + interval '5 hours')::date between $1::date and $2::date group by 1`,
    [period.from, period.to],
  )
  const answeredDays = rows.filter((r) => r.answered_on).map((r) => r.received_on).sort()
  const calendar = answeredDays.length
    ? await workingCalendar(db, answeredDays[0]!, rows.reduce((last, r) => (r.answered_on && r.answered_on > last ? r.answered_on : last), addDays(answeredDays[0]!, 1)))
    : null
  const figures = (agency: DialogueFigures['agency'], list: typeof rows, forwarded: number): DialogueFigures => ({
    agency,
    received: list.length,
    published: list.filter((r) => r.status === 'published' || r.status === 'answered').length,
    rejected: list.filter((r) => r.status === 'rejected').length,
    forwarded,
    answered: list.filter((r) => r.status === 'answered').length,
    answeredOnTime: list.filter((r) => r.status === 'answered' && r.answered_on! <= r.deadline).length,
    overdue: list.filter((r) => r.overdue).length,
    extended: list.filter((r) => r.extended).length,
    medianWorkingDays: median(list.filter((r) => r.status === 'answered').map((r) => periodLength(r.received_on, r.answered_on!, 'working-days', calendar!))),
    rated: list.filter((r) => r.rating !== null).length,
    satisfied: list.filter((r) => r.rating === 1).length,
  })
  const bySlug = new Map<string, typeof rows>()
  for (const r of rows) bySlug.set(r.slug, [...(bySlug.get(r.slug) ?? []), r])
  const forwardedBy = new Map(forwards.map((f) => [f.slug, f.count]))
  const slugs = [...new Set([...bySlug.keys(), ...forwardedBy.keys()])]
  const names = new Map((await db.query<{ slug: string; name: MultilingualText }>('select slug, name from agencies where slug = any($1)', [slugs])).map((a) => [a.slug, a.name]))
  const bodies = slugs.map((slug) => figures({ slug, name: names.get(slug)! }, bySlug.get(slug) ?? [], forwardedBy.get(slug) ?? 0))
    .sort((a, b) => b.received - a.received || a.agency!.slug.localeCompare(b.agency!.slug))
  const months = monthsBetween(period.from, period.to).map((month) => {
    const received = rows.filter((r) => r.received_on.startsWith(month))
    const all = figures(null, received, 0)
    return { month, received: all.received, answered: all.answered, answeredOnTime: all.answeredOnTime }
  })
  return { bodies, all: figures(null, rows, forwards.reduce((n, f) => n + f.count, 0)), months }
}
