import ICAL from 'ical.js'
import type { Db, Queryable } from '../db/index.ts'
import { ValidationError } from '../http/errors.ts'
import { recordChange, type Actor } from '../audit/index.ts'
import { cleanMultilingual, type MultilingualText } from '../i18n/multilingual.ts'
import { addDays, DAY_KINDS, isDay, kazakhstanDay, lawDays, WorkingCalendar, type CalendarDay, type Day, type DayKind } from './days.ts'
import { periodEnd, type Period } from './periods.ts'

/** A kept day with where it came from. */
export interface StoredCalendarDay extends CalendarDay {
  source: 'law' | 'admin' | 'import'
}

function yearOf(day: Day): number {
  return Number(day.slice(0, 4))
}

// The calendar knows these years: further out a deadline is a mistake, not a date.
const FIRST_YEAR = 2000
const LAST_YEAR = 2100

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) throw new RangeError(`The calendar covers ${FIRST_YEAR}–${LAST_YEAR}, not ${year}`)
}

/**
 * Writes the law's days of every year from `from` to `to` not written yet. A year is written once:
 * what an administrator changed afterwards stays changed.
 */
async function ensureYears(db: Db, fromYear: number, toYear: number): Promise<void> {
  checkYear(fromYear)
  checkYear(toYear)
  const rows = await db.query<{ year: number }>('select year from calendar_years where year between $1 and $2', [fromYear, toYear])
  const seeded = new Set(rows.map((r) => r.year))
  for (let year = fromYear; year <= toYear; year += 1) {
    if (seeded.has(year)) continue
    await db.transaction(async (tx) => {
      // Two processes needing the same year at once: the second finds it written and stops here.
      const [claimed] = await tx.query('insert into calendar_years (year) values ($1) on conflict do nothing returning year', [year])
      if (!claimed) return
      for (const d of lawDays(year)) {
        await tx.query(
          "insert into calendar_days (day, kind, name, source) values ($1, $2, $3, 'law') on conflict (day) do nothing",
          [d.day, d.kind, d.name],
        )
      }
    })
  }
}

/** The kept days from `from` to `to`, in order (the law's days of those years written first if needed). */
export async function keptDays(db: Db, from: Day, to: Day): Promise<StoredCalendarDay[]> {
  await ensureYears(db, yearOf(from), yearOf(to))
  return db.query<StoredCalendarDay>(
    'select day::text as day, kind, name, source from calendar_days where day between $1 and $2 order by day',
    [from, to],
  )
}

/** The working calendar from `from` to `to`. */
export async function workingCalendar(db: Db, from: Day, to: Day): Promise<WorkingCalendar> {
  return new WorkingCalendar(await keptDays(db, from, to), from, to)
}

// Public holidays and weekends together never make more than a few days off in a row: twice the
// working days plus a month always holds the answer.
function reach(n: number): number {
  return n * 2 + 31
}

/** The n-th working day after day, on Kazakhstan's calendar as kept. */
export async function addWorkingDays(db: Db, day: Day, n: number): Promise<Day> {
  return (await workingCalendar(db, day, addDays(day, reach(n)))).addWorkingDays(day, n)
}

/** The last day of a period that `event` starts, on Kazakhstan's calendar as kept (see periods.ts). */
export async function periodEndOn(db: Db, event: Day, period: Period): Promise<Day> {
  const calendar = period.unit === 'working-days' ? await workingCalendar(db, event, addDays(event, reach(period.length))) : undefined
  return periodEnd(event, period, calendar)
}

/** Working days after `from` up to and including `to`. */
export async function workingDaysBetween(db: Db, from: Day, to: Day): Promise<number> {
  if (to <= from) return 0
  return (await workingCalendar(db, from, to)).workingDaysBetween(from, to)
}

/** The deadline of a period of n working days that starts with an event at an instant (the day after it is day one). */
export async function deadlineAfter(db: Db, instant: Date, n: number): Promise<Day> {
  return addWorkingDays(db, kazakhstanDay(instant), n)
}

/** What an administrator enters for one day. */
export interface DayInput {
  day: string
  kind: string
  name: MultilingualText
}

function checkDayInput(input: DayInput): CalendarDay {
  const problems = []
  if (!isDay(input.day) || yearOf(input.day) < FIRST_YEAR || yearOf(input.day) > LAST_YEAR) problems.push({ field: 'day', messageKey: 'platform.calendar.dayInvalid' })
  if (!DAY_KINDS.includes(input.kind as DayKind)) problems.push({ field: 'kind', messageKey: 'platform.validation.enum', values: { allowed: DAY_KINDS.join(', ') } })
  const name = cleanMultilingual(input.name)
  if (Object.keys(name).length === 0) problems.push({ field: 'name', messageKey: 'platform.calendar.nameRequired' })
  for (const text of Object.values(name)) if (text.length > 200) problems.push({ field: 'name', messageKey: 'platform.validation.maxLength', values: { limit: 200 } })
  if (problems.length > 0) throw new ValidationError(problems)
  return { day: input.day, kind: input.kind as DayKind, name }
}

async function writeDay(tx: Queryable, actor: Actor, day: CalendarDay, source: 'admin' | 'import'): Promise<void> {
  const [before] = await tx.query<StoredCalendarDay>('select day::text as day, kind, name, source from calendar_days where day = $1 for update', [day.day])
  await tx.query(
    `insert into calendar_days (day, kind, name, source) values ($1, $2, $3, $4)
     on conflict (day) do update set kind = excluded.kind, name = excluded.name, source = excluded.source, updated_at = now()`,
    [day.day, day.kind, day.name, source],
  )
  await recordChange(tx, actor, { action: 'calendar.set', entity: 'calendar-day', entityId: day.day, before: before ?? null, after: { ...day, source } })
}

/** Keeps one day as a holiday, a day off or a working day (replacing what was kept for it). */
export async function setDay(db: Db, actor: Actor, input: DayInput): Promise<void> {
  const day = checkDayInput(input)
  // The law's days of that year first, so that they never come back over this one later.
  await ensureYears(db, yearOf(day.day), yearOf(day.day))
  await db.transaction((tx) => writeDay(tx, actor, day, 'admin'))
}

/** Forgets a kept day: it is again what its weekday makes it. */
export async function removeDay(db: Db, actor: Actor, day: string): Promise<boolean> {
  if (!isDay(day)) throw new ValidationError([{ field: 'day', messageKey: 'platform.calendar.dayInvalid' }])
  await ensureYears(db, yearOf(day), yearOf(day))
  return db.transaction(async (tx) => {
    const [before] = await tx.query<StoredCalendarDay>('delete from calendar_days where day = $1 returning day::text as day, kind, name, source', [day])
    if (!before) return false
    await recordChange(tx, actor, { action: 'calendar.remove', entity: 'calendar-day', entityId: day, before, after: null })
    return true
  })
}

const CATEGORY_OF_KIND: Record<DayKind, string> = { holiday: 'HOLIDAY', 'day-off': 'DAY-OFF', 'working-day': 'WORKING-DAY' }
const KIND_OF_CATEGORY = new Map(Object.entries(CATEGORY_OF_KIND).map(([kind, category]) => [category, kind as DayKind]))

/**
 * Reads the days of an iCalendar file (RFC 5545): every all-day event, over each day it lasts. An
 * event's kind is its category (HOLIDAY, DAY-OFF, WORKING-DAY, as this calendar exports them) or,
 * without one, the kind given for the file (a holiday calendar lists holidays). Its name is its
 * SUMMARY, in the file's language, with a LANGUAGE parameter saying which (Russian otherwise).
 */
export function parseICalendar(text: string, defaultKind: DayKind): CalendarDay[] {
  let root: ICAL.Component
  try {
    root = new ICAL.Component(ICAL.parse(text))
  } catch {
    throw new ValidationError([{ field: 'file', messageKey: 'platform.calendar.icsInvalid' }])
  }
  const days = new Map<Day, CalendarDay>()
  for (const component of root.getAllSubcomponents('vevent')) {
    const start = component.getFirstPropertyValue('dtstart')
    if (!(start instanceof ICAL.Time) || !start.isDate) continue
    const end = component.getFirstPropertyValue('dtend')
    const first = start.toString()
    const last = end instanceof ICAL.Time && end.isDate ? addDays(end.toString(), -1) : first
    const summary = component.getFirstProperty('summary')
    const text = String(summary?.getFirstValue() ?? '').trim()
    const language = String(summary?.getParameter('language') ?? 'ru').slice(0, 2).toLowerCase()
    const lang = language === 'kk' || language === 'en' ? language : 'ru'
    const categories = component.getAllProperties('categories').flatMap((p) => p.getValues().map((v) => String(v).toUpperCase()))
    const kind = categories.map((c) => KIND_OF_CATEGORY.get(c)).find(Boolean) ?? defaultKind
    for (let day = first; day <= last; day = addDays(day, 1)) {
      const kept = days.get(day)
      days.set(day, { day, kind, name: { ...kept?.name, [lang]: text || kept?.name[lang] || day } })
    }
  }
  if (days.size === 0) throw new ValidationError([{ field: 'file', messageKey: 'platform.calendar.icsEmpty' }])
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day))
}

/** Keeps every day of an iCalendar file, in one transaction; returns how many, and the year of the first. */
export async function importICalendar(db: Db, actor: Actor, text: string, defaultKind: DayKind): Promise<{ count: number; firstYear: number }> {
  const days = parseICalendar(text, defaultKind).map((d) => checkDayInput(d))
  const years = days.map((d) => yearOf(d.day))
  await ensureYears(db, Math.min(...years), Math.max(...years))
  await db.transaction(async (tx) => {
    for (const day of days) await writeDay(tx, actor, day, 'import')
  })
  return { count: days.length, firstYear: Math.min(...years) }
}

/** A year's kept days as iCalendar, one all-day event per day, in the language asked (the kind as its category). */
export function toICalendar(days: readonly CalendarDay[], lang: 'kk' | 'ru' | 'en', host: string): string {
  const calendar = new ICAL.Component(['vcalendar', [], []])
  calendar.addPropertyWithValue('prodid', '-//Ashyq//Working-day calendar of Kazakhstan//EN')
  calendar.addPropertyWithValue('version', '2.0')
  calendar.addPropertyWithValue('calscale', 'GREGORIAN')
  for (const d of days) {
    const event = new ICAL.Component('vevent')
    event.addPropertyWithValue('uid', `${d.day}@${host}`)
    event.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(new Date(`${d.day}T00:00:00Z`), true))
    event.addPropertyWithValue('dtstart', ICAL.Time.fromDateString(d.day))
    event.addPropertyWithValue('dtend', ICAL.Time.fromDateString(addDays(d.day, 1)))
    const summary = event.addPropertyWithValue('summary', d.name[lang] ?? d.name.ru ?? d.name.kk ?? d.name.en ?? d.day)
    summary.setParameter('language', lang)
    event.addPropertyWithValue('categories', CATEGORY_OF_KIND[d.kind])
    event.addPropertyWithValue('transp', 'TRANSPARENT')
    calendar.addSubcomponent(event)
  }
  return calendar.toString()
}
