import { test } from 'node:test'
import assert from 'node:assert/strict'
import { lawDays, WorkingCalendar, type CalendarDay } from '../../../src/platform/calendar/days.ts'
import { DEFAULT_DIALOGUE_RULES } from '../../../src/platform/config.ts'
import { extensionLimit, questionDeadlines } from '../../../src/modules/dialogue/questions/deadlines.ts'
import { questionState } from '../../../src/modules/dialogue/questions/states.ts'
import { addMonths } from '../../../src/platform/calendar/periods.ts'

const calendar = (moved: Array<Pick<CalendarDay, 'day' | 'kind'>> = []) => {
  const days = new Map([...lawDays(2026), ...lawDays(2027)].map((d) => [d.day, d.kind]))
  for (const m of moved) days.set(m.day, m.kind)
  return new WorkingCalendar([...days].map(([day, kind]) => ({ day, kind })), '2026-01-01', '2027-12-31')
}

// Each row: received on, moved days, and the days moderation, forwarding and the answer are due by.
const CASES: Array<{ why: string; received: string; moved?: Array<Pick<CalendarDay, 'day' | 'kind'>>; moderation: string; forward: string; due: string }> = [
  { why: 'a plain Tuesday: 15 working days are three weeks', received: '2026-12-01', moderation: '2026-12-03', forward: '2026-12-04', due: '2026-12-23' },
  { why: 'a Friday: the weekend is not counted', received: '2026-12-04', moderation: '2026-12-08', forward: '2026-12-09', due: '2026-12-28' },
  { why: 'a Saturday counts as the Friday before would', received: '2026-12-05', moderation: '2026-12-08', forward: '2026-12-09', due: '2026-12-28' },
  { why: 'across Independence Day, the New Year and the Monday off for 2 January 2027', received: '2026-12-10', moderation: '2026-12-14', forward: '2026-12-15', due: '2027-01-05' },
  { why: 'received on a holiday', received: '2026-12-16', moderation: '2026-12-18', forward: '2026-12-21', due: '2027-01-11' },
  { why: 'across the year end and Orthodox Christmas', received: '2026-12-25', moderation: '2026-12-29', forward: '2026-12-30', due: '2027-01-20' },
  { why: 'a day off moved by the government to 31 December', received: '2026-12-25', moved: [{ day: '2026-12-31', kind: 'day-off' }], moderation: '2026-12-29', forward: '2026-12-30', due: '2027-01-21' },
  { why: 'a Saturday made a working day', received: '2026-12-04', moved: [{ day: '2026-12-05', kind: 'working-day' }], moderation: '2026-12-07', forward: '2026-12-08', due: '2026-12-25' },
  { why: 'Nauryz and the days off carried from its weekend', received: '2026-03-18', moderation: '2026-03-20', forward: '2026-03-26', due: '2026-04-13' },
  { why: 'the May holidays', received: '2026-05-06', moderation: '2026-05-12', forward: '2026-05-13', due: '2026-06-01' },
]

for (const c of CASES) {
  test(`a question's deadlines: ${c.why}`, () => {
    const d = questionDeadlines(calendar(c.moved), c.received, DEFAULT_DIALOGUE_RULES)
    assert.deepEqual(d, { receivedOn: c.received, moderationDue: c.moderation, forwardDue: c.forward, dueOn: c.due })
  })
}

test('a deadline is extended to at most two months from the day received, the month\'s last day where the date has none', () => {
  assert.equal(extensionLimit('2026-12-10', DEFAULT_DIALOGUE_RULES), '2027-02-10')
  assert.equal(extensionLimit('2026-12-31', DEFAULT_DIALOGUE_RULES), '2027-02-28')
  assert.equal(addMonths('2027-12-31', 2), '2028-02-29', 'a leap year')
  assert.equal(extensionLimit('2026-12-31', { ...DEFAULT_DIALOGUE_RULES, extensionMonths: 1 }), '2027-01-31')
})

test('a question\'s state reads forwarded, extended and overdue from its days', () => {
  const q = { status: 'published', forwardedFrom: null, extendedTo: null, dueOn: '2026-12-23' }
  assert.equal(questionState(q, '2026-12-23'), 'published', 'the last day is still on time')
  assert.equal(questionState(q, '2026-12-24'), 'overdue')
  assert.equal(questionState({ ...q, extendedTo: '2027-01-20' }, '2026-12-24'), 'extended')
  assert.equal(questionState({ ...q, extendedTo: '2027-01-20' }, '2027-01-21'), 'overdue')
  assert.equal(questionState({ ...q, status: 'moderation', forwardedFrom: 7 }, '2026-12-01'), 'forwarded')
  assert.equal(questionState({ ...q, status: 'moderation' }, '2026-12-01'), 'moderation')
  assert.equal(questionState({ ...q, status: 'answered' }, '2027-03-01'), 'answered', 'answered late is answered')
})
