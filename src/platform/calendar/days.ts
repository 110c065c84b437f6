import type { MultilingualText } from '../i18n/multilingual.ts'

/** A calendar date in Kazakhstan, written YYYY-MM-DD. */
export type Day = string

/**
 * What a kept day is: a public holiday; a weekday made a day off (a holiday carried over from a
 * weekend, or moved by the government); a Saturday or Sunday made a working day.
 */
export type DayKind = 'holiday' | 'day-off' | 'working-day'
export const DAY_KINDS: readonly DayKind[] = ['holiday', 'day-off', 'working-day']

/** A day that is not what its weekday alone would make it. */
export interface CalendarDay {
  day: Day
  kind: DayKind
  name: MultilingualText
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/
const MS_PER_DAY = 86_400_000

/** Whether text is a real date written YYYY-MM-DD (no 2026-02-30). */
export function isDay(text: string): boolean {
  const match = DAY_PATTERN.exec(text)
  if (!match) return false
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).toISOString().slice(0, 10) === text
}

function toUtc(day: Day): number {
  if (!isDay(day)) throw new RangeError(`Not a date (YYYY-MM-DD): ${day}`)
  return Date.parse(`${day}T00:00:00Z`)
}

function fromUtc(ms: number): Day {
  return new Date(ms).toISOString().slice(0, 10)
}

/** The day so many calendar days after day (before it, when negative). */
export function addDays(day: Day, days: number): Day {
  return fromUtc(toUtc(day) + days * MS_PER_DAY)
}

/** Calendar days from `from` to `to` (negative when `to` comes first). */
export function daysBetween(from: Day, to: Day): number {
  return Math.round((toUtc(to) - toUtc(from)) / MS_PER_DAY)
}

/** Saturday or Sunday. */
export function isWeekend(day: Day): boolean {
  const weekday = new Date(toUtc(day)).getUTCDay()
  return weekday === 0 || weekday === 6
}

// Kazakhstan has kept one time zone, UTC+5, since 1 March 2024; the zone's name carries its history.
const KAZAKHSTAN_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit', day: '2-digit' })

/** The date it is in Kazakhstan at an instant: a question received at 23:30 in Astana is received that day. */
export function kazakhstanDay(instant: Date): Day {
  return KAZAKHSTAN_DATE.format(instant)
}

/**
 * Working days over a stretch of dates: Monday to Friday, except the kept days. Deadlines are counted
 * as the Administrative Procedural Code counts them: from the day after the event, and a period of N
 * working days ends at the end of the N-th working day after it.
 */
export class WorkingCalendar {
  private readonly kept: ReadonlyMap<Day, DayKind>

  /** from and to: the first and last date this calendar knows (the kept days of that stretch are given). */
  constructor(
    days: Iterable<Pick<CalendarDay, 'day' | 'kind'>>,
    readonly from: Day,
    readonly to: Day,
  ) {
    this.kept = new Map([...days].map((d) => [d.day, d.kind]))
  }

  private known(day: Day): void {
    if (day < this.from || day > this.to) throw new RangeError(`${day} is outside the calendar loaded (${this.from} to ${this.to})`)
  }

  isWorkingDay(day: Day): boolean {
    this.known(day)
    const kind = this.kept.get(day)
    if (kind === 'working-day') return true
    if (kind === 'holiday' || kind === 'day-off') return false
    return !isWeekend(day)
  }

  /** The n-th working day after day (n ≥ 0; with 0, day itself). */
  addWorkingDays(day: Day, n: number): Day {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`A whole number of working days, not ${n}`)
    let current = day
    for (let left = n; left > 0;) {
      current = addDays(current, 1)
      if (this.isWorkingDay(current)) left -= 1
    }
    return current
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
  workingDaysBetween(from: Day, to: Day): number {
    let count = 0
    for (let current = addDays(from, 1); current <= to; current = addDays(current, 1)) {
      if (this.isWorkingDay(current)) count += 1
    }
    return count
  }
}

const ml = (kk: string, ru: string, en: string): MultilingualText => ({ kk, ru, en })

// The Law "On holidays in the Republic of Kazakhstan" (art. 1, 5): national and state holidays,
// each a day off. Month and day.
const HOLIDAYS: ReadonlyArray<{ date: string; name: MultilingualText; religious?: boolean }> = [
  { date: '01-01', name: ml('Жаңа жыл', 'Новый год', 'New Year') },
  { date: '01-02', name: ml('Жаңа жыл', 'Новый год', 'New Year') },
  { date: '01-07', name: ml('Православиелік Рождество', 'Православное Рождество', 'Orthodox Christmas'), religious: true },
  { date: '03-08', name: ml('Халықаралық әйелдер күні', 'Международный женский день', "International Women's Day") },
  { date: '03-21', name: ml('Наурыз мейрамы', 'Наурыз мейрамы', 'Nauryz') },
  { date: '03-22', name: ml('Наурыз мейрамы', 'Наурыз мейрамы', 'Nauryz') },
  { date: '03-23', name: ml('Наурыз мейрамы', 'Наурыз мейрамы', 'Nauryz') },
  { date: '05-01', name: ml('Қазақстан халқының бірлігі мерекесі', 'Праздник единства народа Казахстана', 'Unity Day of the People of Kazakhstan') },
  { date: '05-07', name: ml('Отан қорғаушы күні', 'День защитника Отечества', 'Defender of the Fatherland Day') },
  { date: '05-09', name: ml('Жеңіс күні', 'День Победы', 'Victory Day') },
  { date: '07-06', name: ml('Астана күні', 'День столицы', 'Capital Day') },
  { date: '08-30', name: ml('Конституция күні', 'День Конституции', 'Constitution Day') },
  { date: '10-25', name: ml('Республика күні', 'День Республики', 'Republic Day') },
  { date: '12-16', name: ml('Тәуелсіздік күні', 'День Независимости', 'Independence Day') },
]

const KURBAN_AIT = ml('Құрбан айт', 'Курбан айт', 'Kurban Ait')

/**
 * The first day of Kurban Ait, a day off, follows the lunar calendar: the Spiritual Administration
 * of Muslims announces it. These are the expected dates; an administrator corrects one that differs.
 */
export const KURBAN_AIT_DAYS: Readonly<Record<number, Day>> = {
  2024: '2024-06-16',
  2025: '2025-06-06',
  2026: '2026-05-27',
  2027: '2027-05-16',
  2028: '2028-05-05',
  2029: '2029-04-24',
  2030: '2030-04-13',
}

/**
 * The days a year has by law: the holidays, and for each national or state holiday on a Saturday or
 * Sunday a day off on the next working day after it (Labour Code, art. 85; the religious holidays are
 * not carried over). Days the government moves by decree are not in the law: an administrator enters
 * them, or imports them, when the decree is published.
 */
export function lawDays(year: number): CalendarDay[] {
  const holidays = HOLIDAYS.map((h) => ({ day: `${year}-${h.date}`, name: h.name, religious: h.religious ?? false }))
  const kurban = KURBAN_AIT_DAYS[year]
  if (kurban) holidays.push({ day: kurban, name: KURBAN_AIT, religious: true })
  holidays.sort((a, b) => a.day.localeCompare(b.day))
  const taken = new Set(holidays.map((h) => h.day))
  const days: CalendarDay[] = holidays.map((h) => ({ day: h.day, kind: 'holiday', name: h.name }))
  for (const holiday of holidays) {
    if (holiday.religious || !isWeekend(holiday.day)) continue
    let off = addDays(holiday.day, 1)
    while (isWeekend(off) || taken.has(off)) off = addDays(off, 1)
    taken.add(off)
    days.push({ day: off, kind: 'day-off', name: carriedOver(holiday.name) })
  }
  return days.sort((a, b) => a.day.localeCompare(b.day))
}

function carriedOver(name: MultilingualText): MultilingualText {
  return {
    kk: `Демалыс күні (${name.kk} мерекесінен ауыстырылған)`,
    ru: `Выходной день (перенесён с праздника «${name.ru}»)`,
    en: `Day off (carried over from ${name.en})`,
  }
}
