import { addDays, daysBetween, type Day, type WorkingCalendar } from './days.ts'

/**
 * How every period of the portals is counted, in one place, as the Civil Code of the Republic of
 * Kazakhstan counts a period of time (General Part, chapter "Counting periods"):
 * - art. 170: a period runs from the day after the date or the event that starts it, so the day a
 *   question is received, a draft published or a discussion closed is never one of its days;
 * - art. 171: a period of months ends on the same date of its last month, or on that month's last
 *   day when it has no such date;
 * - a period of working days (the Administrative Procedural Code counts answers so, art. 76) ends
 *   with its n-th working day on Kazakhstan's calendar as kept.
 */
export type PeriodUnit = 'days' | 'working-days' | 'months'

export interface Period {
  length: number
  unit: PeriodUnit
}

/** The first day of a period that the date or event `event` starts (Civil Code art. 170). */
export function periodStart(event: Day): Day {
  return addDays(event, 1)
}

/** The same day so many months later, or the month's last day where it has no such day (31 January + 1 month: 28 or 29 February). */
export function addMonths(day: Day, months: number): Day {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(year, month - 1 + months, 1))
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(date, last))
  return target.toISOString().slice(0, 10)
}

/**
 * The last day of a period that `event` starts: the n-th calendar day, or the n-th working day
 * (which needs the calendar), from the day after it; or, for months, the same date so many months on.
 */
export function periodEnd(event: Day, period: Period, calendar?: WorkingCalendar): Day {
  const { length, unit } = period
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`A period is a whole number of ${unit} from 1, not ${length}`)
  if (unit === 'months') return addMonths(event, length)
  if (unit === 'days') return addDays(periodStart(event), length - 1)
  if (!calendar) throw new RangeError('A period of working days needs the working calendar')
  return calendar.addWorkingDays(event, length)
}

/** How many days, or working days, of a period that `event` starts lie up to and including `last` (0 when `last` is not after it). */
export function periodLength(event: Day, last: Day, unit: Exclude<PeriodUnit, 'months'>, calendar?: WorkingCalendar): number {
  if (last <= event) return 0
  if (unit === 'days') return daysBetween(event, last)
  if (!calendar) throw new RangeError('A period of working days needs the working calendar')
  return calendar.workingDaysBetween(event, last)
}
