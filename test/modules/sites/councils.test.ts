import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { editorToken, signedInBrowser } from '../../helpers/users.ts'
import { addDays, kazakhstanDay } from '../../../src/platform/calendar/days.ts'
import { addWorkingDays } from '../../../src/platform/calendar/service.ts'
import { siteOpennessFacts } from '../../../src/modules/sites/facts.ts'

test('a public council\'s record: members with their days, meetings with agendas and minutes, recommendations whose answer is due 10 working days after they reach the body, overdue ones flagged', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
    await makeAgency(db, { slug: 'ministry-of-finance' })
  })
  t.after(close)
  const staff = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health')
  const page = '/ru/agencies/ministry-of-health/site/council'
  assert.equal((await (await signedInBrowser(app, db, 'agency-editor', 'ministry-of-finance')).get(page)).statusCode, 403, 'another body\'s staff')
  assert.equal((await (await signedInBrowser(app, db)).get(page)).statusCode, 403, 'a citizen')
  assert.equal((await app.inject({ url: '/ru/agencies/ministry-of-health/council' })).statusCode, 404, 'no council yet')
  const open = { 'name.kk': 'Денсаулық сақтау министрлігінің қоғамдық кеңесі', 'name.ru': 'Общественный совет при Министерстве здравоохранения' }
  assert.equal((await staff.post(`${page}/council`, open, { from: page, csrf: false })).statusCode, 403, 'no CSRF token')
  assert.equal((await staff.post(`${page}/council`, open, { from: page })).statusCode, 303)

  const member = (name: string, role: string, since: string) => staff.post(`${page}/members`, { 'name.kk': name, 'name.ru': name, role, 'position.ru': 'НПО «Здоровье»', since }, { from: page })
  assert.equal((await member('Алия Сеитова', 'chair', '2026-01-10')).statusCode, 303)
  assert.equal((await member('Нурлан Абенов', 'chair', '2026-01-10')).statusCode, 400, 'a new chair starts after the last one started')
  assert.equal((await member('Нурлан Абенов', 'chair', '2026-02-01')).statusCode, 303)
  assert.equal((await member('Дина Омарова', 'member', '2026-01-10')).statusCode, 303)

  const meeting = await staff.post(`${page}/meetings`, { heldOn: '2026-03-05', 'agenda.ru': '1. О доступности лекарств в сёлах', 'agenda.kk': '1. Ауылдардағы дәрілердің қолжетімділігі туралы' }, { from: page })
  assert.equal(meeting.statusCode, 303)
  const [{ id: meetingId }] = await db.query<{ id: string }>('select id from council_meetings') as [{ id: string }]
  assert.equal((await staff.post(`${page}/meetings/${meetingId}/minutes`, { [`minutes.${meetingId}.ru`]: 'Решили: рекомендовать министерству…' }, { from: page })).statusCode, 303)

  const today = kazakhstanDay(new Date())
  const token = await editorToken(db, 'ministry-of-health')
  const recommend = (sentOn: string, text: string, tokenOf = token) => app.inject({
    method: 'POST', url: '/api/agencies/ministry-of-health/council/recommendations', headers: { authorization: `Bearer ${tokenOf}` }, payload: { meetingId: Number(meetingId), text: { ru: text }, sentOn },
  })
  assert.equal((await recommend(today, 'Чужая', await editorToken(db, 'ministry-of-finance'))).statusCode, 403)
  const long = (await recommend(addDays(today, -40), 'Открыть аптечные пункты в сёлах')).json().id
  const late = (await recommend(addDays(today, -40), 'Публиковать остатки лекарств')).json().id
  const fresh = (await recommend(today, 'Провести выездные приёмы')).json().id
  const [row] = await db.query<{ answer_due: string }>('select answer_due::text as answer_due from council_recommendations where id = $1', [fresh])
  assert.equal(row!.answer_due, await addWorkingDays(db, today, 10), '10 working days on the calendar as kept')

  const answer = (id: number, answeredOn: string) => staff.post(`${page}/recommendations/${id}/answer`, { [`answer.${id}.ru`]: 'Министерство согласно: пункты откроются в 2027 году.', answeredOn }, { from: page })
  assert.equal((await answer(late, addDays(today, -1))).statusCode, 303)
  assert.equal((await answer(late, today)).statusCode, 400, 'answered once')
  assert.equal((await answer(fresh, addDays(today, -1))).statusCode, 400, 'not before it reached the body')

  const council = await app.inject({ url: '/ru/agencies/ministry-of-health/council' })
  assert.equal(council.statusCode, 200)
  assert.match(council.body, /Нурлан Абенов<\/span><\/strong> — Председатель/)
  assert.match(council.body, /Бывшие члены[\s\S]*Алия Сеитова/, 'the chair before, ended the day before the new one')
  assert.match(council.body, new RegExp(`Рекомендация № ${long} <strong class="govuk-tag govuk-tag--red">Срок ответа пропущен`))
  assert.match(council.body, new RegExp(`Рекомендация № ${late} <strong class="govuk-tag govuk-tag--orange">Ответ дан с опозданием`))
  assert.match(council.body, new RegExp(`Рекомендация № ${fresh} <strong class="govuk-tag govuk-tag--blue">Ожидает ответа`))
  assert.match(council.body, /Решили: рекомендовать министерству/)
  assert.match((await app.inject({ url: '/kk/agencies/ministry-of-health/council' })).body, /2026 жылғы 5 наурыздағы отырыс/)
  // The council sends its final document within 7 working days of the meeting.
  const inTime = (await recommend('2026-03-06', 'Отправлена на следующий день')).json().id
  const states = new Map(((await app.inject({ url: '/api/agencies/ministry-of-health/council' })).json().recommendations as Array<{ id: number; sendDue: string; sentLate: boolean }>).map((r) => [r.id, r]))
  assert.equal(states.get(inTime)!.sendDue, await addWorkingDays(db, '2026-03-05', 7))
  assert.equal(states.get(inTime)!.sentLate, false)
  assert.equal(states.get(fresh)!.sentLate, true)
  assert.match((await app.inject({ url: '/ru/agencies/ministry-of-health/council' })).body, new RegExp(`Рекомендация № ${fresh}[\\s\\S]*Направлена позже 7 рабочих дней после заседания`))
  assert.match((await app.inject({ url: '/ru/agencies/ministry-of-health' })).body, /href="\/ru\/agencies\/ministry-of-health\/council">Общественный совет/)
  const json = (await app.inject({ url: '/api/agencies/ministry-of-health/council' })).json()
  assert.deepEqual(json.recommendations.map((r: { id: number; state: string }) => [r.id, r.state]).filter(([id]: [number]) => id !== inTime).sort(), [[long, 'overdue'], [late, 'answered-late'], [fresh, 'awaiting']].sort())

  const [{ id: agencyId }] = await db.query<{ id: string }>("select id from agencies where slug = 'ministry-of-health'") as [{ id: string }]
  const facts = await siteOpennessFacts(db, Number(agencyId), addDays(today, -60), addDays(today, 30))
  assert.deepEqual(facts.council, { due: 3, answeredOnTime: 0, answeredLate: 1, overdue: 1 })
})
