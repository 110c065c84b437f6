import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addDays, lawDays, WorkingCalendar } from '../../../src/platform/calendar/days.ts'
import { addMonths, periodEnd, periodLength, periodStart, type Period } from '../../../src/platform/calendar/periods.ts'

const calendar = new WorkingCalendar([...lawDays(2026), ...lawDays(2027)], '2026-01-01', '2027-12-31')

test('every period starts on the day after the date or event that starts it (Civil Code art. 170)', () => {
  for (const [event, start] of [['2026-12-02', '2026-12-03'], ['2026-12-31', '2027-01-01'], ['2028-02-28', '2028-02-29'], ['2026-12-05', '2026-12-06']]) {
    assert.equal(periodStart(event!), start, event)
  }
})

// Each row: the event, the period, its last day, and why.
const ENDS: Array<[string, Period, string, string]> = [
  ['2026-12-01', { length: 10, unit: 'days' }, '2026-12-11', 'a draft published on 1 December is discussed for 10 days to the 11th, not the 10th'],
  ['2026-12-01', { length: 1, unit: 'days' }, '2026-12-02', 'one day is the next day'],
  ['2026-12-25', { length: 10, unit: 'days' }, '2027-01-04', 'across the year end; calendar days count holidays'],
  ['2026-12-01', { length: 15, unit: 'working-days' }, '2026-12-23', 'a Tuesday: 15 working days are three weeks'],
  ['2026-12-04', { length: 1, unit: 'working-days' }, '2026-12-07', 'a Friday: the next working day is Monday'],
  ['2026-12-05', { length: 1, unit: 'working-days' }, '2026-12-07', 'a Saturday counts as the Friday before would'],
  ['2026-12-15', { length: 1, unit: 'working-days' }, '2026-12-17', 'Independence Day is not a working day'],
  ['2026-12-25', { length: 10, unit: 'working-days' }, '2027-01-13', 'the New Year, the Monday off for 2 January and Orthodox Christmas are not working days'],
  ['2026-12-10', { length: 2, unit: 'months' }, '2027-02-10', 'months end on the same date (art. 171)'],
  ['2026-12-31', { length: 2, unit: 'months' }, '2027-02-28', 'or on the month\'s last day where it has no such date'],
  ['2027-12-31', { length: 2, unit: 'months' }, '2028-02-29', 'a leap year'],
]

for (const [event, period, last, why] of ENDS) {
  test(`a period's last day: ${why}`, () => {
    assert.equal(periodEnd(event, period, calendar), last)
    if (period.unit !== 'months') {
      assert.equal(periodLength(event, last, period.unit, calendar), period.length, 'its length, counted back, is the period')
      assert.equal(periodLength(event, addDays(last, -1), period.unit, calendar) < period.length, true, 'a day short is short')
    }
  })
}

test('a period is at least one whole unit, and working days need the calendar', () => {
  assert.throws(() => periodEnd('2026-12-01', { length: 0, unit: 'days' }), RangeError)
  assert.throws(() => periodEnd('2026-12-01', { length: 1.5, unit: 'days' }), RangeError)
  assert.throws(() => periodEnd('2026-12-01', { length: 3, unit: 'working-days' }), RangeError)
  assert.equal(periodLength('2026-12-01', '2026-12-01', 'days'), 0, 'the event\'s own day is not one of its days')
  assert.equal(addMonths('2027-01-31', 1), '2027-02-28')
})
