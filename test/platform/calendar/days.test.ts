import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addDays, isDay, kazakhstanDay, lawDays, WorkingCalendar, type CalendarDay } from '../../../src/platform/calendar/days.ts'

// The law's days of 2026 and 2027, and two days moved as a decree moves them: Saturday 2026-01-03
// made a working day, Monday 2026-01-05 made a day off; and the year end 2026/2027 with a day off on
// Thursday 2026-12-31 moved from Saturday 2027-01-09 (made a working day).
const moved: CalendarDay[] = [
  { day: '2026-01-03', kind: 'working-day', name: { en: 'Working Saturday' } },
  { day: '2026-01-05', kind: 'day-off', name: { en: 'Moved day off' } },
  { day: '2026-12-31', kind: 'day-off', name: { en: 'Moved day off' } },
  { day: '2027-01-09', kind: 'working-day', name: { en: 'Working Saturday' } },
]
const calendar = new WorkingCalendar([...lawDays(2026), ...lawDays(2027), ...moved], '2026-01-01', '2027-12-31')

test("the law's days of 2026: holidays, and a weekday off after each national holiday on a weekend", () => {
  const days = lawDays(2026)
  const holidays = days.filter((d) => d.kind === 'holiday').map((d) => d.day)
  assert.deepEqual(holidays, [
    '2026-01-01', '2026-01-02', '2026-01-07', '2026-03-08', '2026-03-21', '2026-03-22', '2026-03-23',
    '2026-05-01', '2026-05-07', '2026-05-09', '2026-05-27', '2026-07-06', '2026-08-30', '2026-10-25', '2026-12-16',
  ])
  // 8 March and 30 August, 25 October are Sundays; 9 May a Saturday; Nauryz takes Saturday to Monday,
  // so its two weekend days move to Tuesday and Wednesday.
  assert.deepEqual(days.filter((d) => d.kind === 'day-off').map((d) => d.day), [
    '2026-03-09', '2026-03-24', '2026-03-25', '2026-05-11', '2026-08-31', '2026-10-26',
  ])
  assert.match(days.find((d) => d.day === '2026-03-09')!.name.ru!, /Международный женский день/)
})

test('religious holidays on a weekend are not carried over', () => {
  // 7 January 2024 was a Sunday; 7 January 2029 is a Sunday too.
  for (const year of [2024, 2029]) {
    const days = lawDays(year)
    assert.equal(days.find((d) => d.day === `${year}-01-07`)?.kind, 'holiday')
    assert.equal(days.some((d) => d.day === `${year}-01-08` && d.kind === 'day-off'), false, `${year}: 8 January stays a working day`)
  }
})

test('a year without a known Kurban Ait date still has the fixed holidays', () => {
  const days = lawDays(2035)
  assert.equal(days.filter((d) => d.kind === 'holiday').length, 14)
})

const cases: Array<{ from: string; n: number; expected: string; why: string }> = [
  { from: '2026-11-27', n: 0, expected: '2026-11-27', why: 'no working days: the day itself' },
  { from: '2026-11-27', n: 1, expected: '2026-11-30', why: 'Friday + 1 is Monday' },
  { from: '2026-11-23', n: 15, expected: '2026-12-14', why: 'three weeks, Monday to Monday' },
  { from: '2026-12-10', n: 5, expected: '2026-12-18', why: 'Independence Day (Wednesday 16 December) is skipped' },
  { from: '2026-12-28', n: 3, expected: '2027-01-05', why: 'the year end: the moved 31 December, 1 January, and Monday 4 January for 2 January, a Saturday, are off' },
  { from: '2026-12-30', n: 1, expected: '2027-01-05', why: 'from the last working day of the year' },
  { from: '2027-01-05', n: 5, expected: '2027-01-12', why: 'Christmas (Thursday 7 January) off, Saturday 9 January worked' },
  { from: '2026-01-02', n: 1, expected: '2026-01-03', why: 'the Saturday made a working day counts' },
  { from: '2026-01-03', n: 1, expected: '2026-01-06', why: 'the Monday made a day off does not' },
  { from: '2026-03-20', n: 1, expected: '2026-03-26', why: 'Nauryz and its two carried days' },
  { from: '2026-03-20', n: 15, expected: '2026-04-15', why: 'fifteen working days across Nauryz' },
  { from: '2026-05-06', n: 3, expected: '2026-05-13', why: '7 May and the Monday after Victory Day are off' },
  { from: '2026-08-28', n: 1, expected: '2026-09-01', why: 'Constitution Day on Sunday moves to Monday 31 August' },
]

for (const c of cases) {
  test(`addWorkingDays(${c.from}, ${c.n}) is ${c.expected}: ${c.why}`, () => {
    assert.equal(calendar.addWorkingDays(c.from, c.n), c.expected)
    // And back: the working days between the two are n.
    assert.equal(calendar.workingDaysBetween(c.from, c.expected), c.n)
  })
}

test('working days between: none when the end is not after the start, and whole years', () => {
  assert.equal(calendar.workingDaysBetween('2026-05-01', '2026-05-01'), 0)
  assert.equal(calendar.workingDaysBetween('2026-05-10', '2026-05-01'), 0)
  // 261 weekdays in 2026, less 9 holidays on weekdays, less 6 days carried over, plus 1 working
  // Saturday, less 2 moved days off.
  assert.equal(calendar.workingDaysBetween('2025-12-31', '2026-12-31'), 261 - 9 - 6 + 1 - 2)
})

test('a day outside the loaded stretch is refused, not guessed', () => {
  assert.throws(() => calendar.isWorkingDay('2028-01-03'), RangeError)
  assert.throws(() => calendar.addWorkingDays('2027-12-30', 5), RangeError)
  assert.throws(() => calendar.addWorkingDays('2026-05-01', -1), RangeError)
})

test('dates: real ones only, arithmetic across months and leap years, the day in Kazakhstan', () => {
  assert.equal(isDay('2028-02-29'), true)
  assert.equal(isDay('2026-02-29'), false)
  assert.equal(isDay('2026-2-3'), false)
  assert.equal(addDays('2028-02-28', 1), '2028-02-29')
  assert.equal(addDays('2027-01-01', -1), '2026-12-31')
  // 20:30 UTC is 01:30 the next day in Astana (UTC+5).
  assert.equal(kazakhstanDay(new Date('2026-12-31T20:30:00Z')), '2027-01-01')
  assert.equal(kazakhstanDay(new Date('2026-12-31T18:59:59Z')), '2026-12-31')
})
