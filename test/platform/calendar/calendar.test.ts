import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { Browser } from '../../helpers/forms.ts'
import { makeUser, signedInBrowser, TEST_PASSWORD } from '../../helpers/users.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'
import { addWorkingDays, deadlineAfter, parseICalendar, removeDay, setDay, workingDaysBetween } from '../../../src/platform/calendar/service.ts'

test("deadlines on the kept calendar: the law's days written when a year is first needed, an administrator's changes kept", async (t) => {
  const { db, close } = await createTestApp()
  t.after(close)
  assert.equal((await db.query('select * from calendar_days')).length, 0)
  // Independence Day, Wednesday 16 December 2026, is skipped.
  assert.equal(await addWorkingDays(db, '2026-12-10', 5), '2026-12-18')
  assert.equal((await db.query("select * from calendar_years where year = 2026")).length, 1)
  // A question received late on Friday 27 November in Astana (UTC+5): day one is Monday the 30th.
  assert.equal(await deadlineAfter(db, new Date('2026-11-27T18:30:00Z'), 15), '2026-12-21')

  // The government makes Thursday 17 December a day off: the deadline moves by a day.
  await setDay(db, SYSTEM_ACTOR, { day: '2026-12-17', kind: 'day-off', name: { ru: 'Перенос' } })
  assert.equal(await addWorkingDays(db, '2026-12-10', 5), '2026-12-21')
  // A day of the law removed stays removed: the year is not written again.
  assert.equal(await removeDay(db, SYSTEM_ACTOR, '2026-12-16'), true)
  assert.equal(await addWorkingDays(db, '2026-12-10', 5), '2026-12-18')
  assert.equal(await workingDaysBetween(db, '2026-12-10', '2026-12-18'), 5)
  const [audit] = await db.query<{ action: string }>("select action from audit_log where entity = 'calendar-day' and entity_id = '2026-12-16'")
  assert.equal(audit?.action, 'calendar.remove')

  // A year far from now is written as it is first asked for, across the year end.
  assert.equal(await addWorkingDays(db, '2030-12-30', 3), '2031-01-06')
})

test('the public API gives a year as JSON and as iCalendar that reads back the same', async (t) => {
  const { app, close } = await createTestApp()
  t.after(close)
  const json = await app.inject({ url: '/api/calendar/2026' })
  assert.equal(json.statusCode, 200)
  const body = json.json() as { workingDays: number; days: Array<{ day: string; kind: string; source: string }> }
  assert.equal(body.workingDays, 261 - 9 - 6)
  assert.deepEqual(body.days.find((d) => d.day === '2026-03-25'), { ...body.days.find((d) => d.day === '2026-03-25'), kind: 'day-off', source: 'law' })

  const ics = await app.inject({ url: '/api/calendar/2026.ics?lang=kk' })
  assert.equal(ics.statusCode, 200)
  assert.match(String(ics.headers['content-type']), /^text\/calendar/)
  assert.match(ics.body, /SUMMARY;LANGUAGE=kk:Наурыз мейрамы/)
  const read = parseICalendar(ics.body, 'holiday')
  assert.deepEqual(read.map((d) => [d.day, d.kind]), body.days.map((d) => [d.day, d.kind]))

  assert.equal((await app.inject({ url: '/api/calendar/1999' })).statusCode, 400)
  const wrongLang = await app.inject({ url: '/api/calendar/2026.ics?lang=de', headers: { 'accept-language': 'ru' } })
  assert.equal(wrongLang.statusCode, 400)
  assert.match(wrongLang.body, /lang/)
})

// A holiday calendar as other calendar programs export one: no categories, one event over two days.
const GOVERNMENT_DECREE = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Example//Holidays//RU',
  'BEGIN:VEVENT', 'UID:a@example.kz', 'DTSTAMP:20261101T000000Z', 'DTSTART;VALUE=DATE:20270104', 'DTEND;VALUE=DATE:20270106',
  'SUMMARY;LANGUAGE=ru:Перенесённый выходной', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:b@example.kz', 'DTSTAMP:20261101T000000Z', 'DTSTART;VALUE=DATE:20270109', 'CATEGORIES:WORKING-DAY',
  'SUMMARY:Рабочая суббота', 'END:VEVENT',
  'END:VCALENDAR', '',
].join('\r\n')

test('an administrator keeps days and imports an iCalendar file; bad input is refused in the page language; others get 403', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const admin = await makeUser(db, 'admin')
  const browser = new Browser(app)
  await browser.post('/ru/sign-in', { email: admin.email, password: TEST_PASSWORD })

  const page = await browser.get('/ru/admin/calendar?year=2026')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Производственный календарь, 2026/)
  assert.match(page.body, /В 2026 году 246 рабочих дней/)
  assert.match(page.body, /Выходной день \(перенесён с праздника «Наурыз мейрамы»\)/)

  const bad = await browser.post('/ru/admin/calendar/days', { day: '2026-02-30', kind: 'day-off', 'name.ru': '' }, { from: '/ru/admin/calendar' })
  assert.equal(bad.statusCode, 400)
  assert.match(bad.body, /Введите существующую дату/)
  assert.match(bad.body, /Введите название дня хотя бы на одном языке/)
  const kept = await browser.post('/ru/admin/calendar/days', { day: '2026-12-17', kind: 'day-off', 'name.ru': 'Перенесённый выходной', 'name.kk': 'Ауыстырылған демалыс' }, { from: '/ru/admin/calendar' })
  assert.equal(kept.statusCode, 303)
  assert.match((await browser.get('/ru/admin/calendar?year=2026')).body, /id="day-2026-12-17"[\s\S]*?Выходной день[\s\S]*?Перенесённый выходной[\s\S]*?Внесён администратором/)
  assert.equal(await addWorkingDays(db, '2026-12-15', 1), '2026-12-18')

  const removed = await browser.post('/ru/admin/calendar/days/2026-12-17/remove', {}, { from: '/ru/admin/calendar?year=2026' })
  assert.equal(removed.statusCode, 303)
  assert.equal(await addWorkingDays(db, '2026-12-15', 1), '2026-12-17')

  const imported = await browser.postFile('/ru/admin/calendar/import', { kind: 'day-off' }, { field: 'file', name: 'decree.ics', content: GOVERNMENT_DECREE, type: 'text/calendar' }, { from: '/ru/admin/calendar' })
  assert.equal(imported.statusCode, 200)
  assert.match(imported.body, /Импортировано 3 дня/)
  const days = await db.query<{ day: string; kind: string; source: string; name: { ru: string } }>("select day::text as day, kind, source, name from calendar_days where source = 'import' order by day")
  assert.deepEqual(days.map((d) => [d.day, d.kind, d.name.ru]), [
    ['2027-01-04', 'day-off', 'Перенесённый выходной'], ['2027-01-05', 'day-off', 'Перенесённый выходной'], ['2027-01-09', 'working-day', 'Рабочая суббота'],
  ])

  const notIcs = await browser.postFile('/ru/admin/calendar/import', { kind: 'holiday' }, { field: 'file', name: 'x.ics', content: 'not a calendar' }, { from: '/ru/admin/calendar' })
  assert.equal(notIcs.statusCode, 400)
  assert.match(notIcs.body, /Файл не является файлом iCalendar/)
  assert.equal((await db.query("select * from calendar_days where source = 'import'")).length, 3, 'a refused file changes nothing')

  const citizen = await signedInBrowser(app, db)
  assert.equal((await citizen.get('/en/admin/calendar')).statusCode, 403)
  const editor = await signedInBrowser(app, db)
  assert.equal((await editor.post('/en/admin/calendar/days', { day: '2026-12-17', kind: 'day-off', 'name.en': 'x' }, { from: '/en/account' })).statusCode, 403)
  assert.equal((await app.inject({ url: '/en/admin/calendar' })).statusCode, 303)
})
