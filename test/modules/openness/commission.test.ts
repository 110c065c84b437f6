import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Db } from '../../../src/platform/db/index.ts'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { makeUser, signedInBrowser } from '../../helpers/users.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'
import { addDays, kazakhstanDay } from '../../../src/platform/calendar/days.ts'
import { takeSnapshot } from '../../../src/modules/openness/service.ts'
import { findRecommendation } from '../../../src/modules/openness/commission/service.ts'
import { recommendationState } from '../../../src/modules/openness/commission/states.ts'

/** A news item of the body's site in the given languages, published some days after its draft. */
async function newsItem(db: Db, slug: string, langs: readonly string[], lateDays: number): Promise<void> {
  const [item] = await db.query<{ id: string }>("insert into site_items (agency_id, kind, created_at) select id, 'news', now() - make_interval(days => $2) from agencies where slug = $1 returning id", [slug, lateDays])
  for (const lang of langs) await db.query("insert into site_editions (item_id, lang, number, status, title, published_at) values ($1, $2, 1, 'published', 'x', now())", [item!.id, lang])
}

test('a recommendation awaits its report until its day, is overdue after it, and is reported on time or late', () => {
  assert.equal(recommendationState({ status: 'open', dueOn: '2026-03-10', reportedOn: null }, '2026-03-10'), 'awaiting')
  assert.equal(recommendationState({ status: 'open', dueOn: '2026-03-10', reportedOn: null }, '2026-03-11'), 'overdue', 'one day past it')
  assert.equal(recommendationState({ status: 'reported', dueOn: '2026-03-10', reportedOn: '2026-03-10' }, '2026-04-01'), 'reported')
  assert.equal(recommendationState({ status: 'reported', dueOn: '2026-03-10', reportedOn: '2026-03-11' }, '2026-04-01'), 'reported-late')
})

test('the commission records its members, plans a meeting hearing the lowest scorers, records it held with minutes and recommendations; the body reports; all of it public, and no one else may', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    for (const slug of ['ministry-of-health', 'ministry-of-finance', 'ministry-of-education']) await makeAgency(db, { slug })
  })
  t.after(close)
  const today = kazakhstanDay(new Date())
  // Finance 100, health 50, education 0.
  await newsItem(db, 'ministry-of-finance', ['kk', 'ru'], 0)
  await newsItem(db, 'ministry-of-health', ['kk', 'ru'], 3)
  await newsItem(db, 'ministry-of-education', ['ru'], 3)
  await takeSnapshot(db, today)
  const commissionUser = await makeUser(db, 'commission', undefined, { confirmed: true })
  const commission = await signedInBrowser(app, db, 'commission')
  const editor = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-education')
  const manage = '/ru/openness/commission/manage'

  assert.equal((await app.inject({ url: manage })).statusCode, 303, 'no one signed in: sent to sign in')
  assert.equal((await editor.get(manage)).statusCode, 403, 'a body\'s editor')
  const page = await commission.get(manage)
  assert.equal(page.statusCode, 200)
  // The lowest scorers proposed, the lowest first, with their scores.
  assert.match(page.body, /value="ministry-of-education" checked[\s\S]*\(0\)[\s\S]*value="ministry-of-health" checked[\s\S]*\(50\)[\s\S]*value="ministry-of-finance" checked/)

  const member = { 'name.kk': 'Асқар Асқаров', 'name.ru': 'Аскар Аскаров', 'affiliation.kk': 'Мәжіліс депутаты', 'affiliation.ru': 'Депутат Мажилиса', position: 'chair', startedOn: '2026-01-15' }
  assert.equal((await editor.post('/ru/openness/commission/members', member, { from: '/ru/openness/commission' })).statusCode, 403)
  assert.equal((await commission.post('/ru/openness/commission/members', member, { from: manage, csrf: false })).statusCode, 403, 'no CSRF token')
  const noKazakh = await commission.post('/ru/openness/commission/members', { ...member, 'name.kk': '' }, { from: manage })
  assert.equal(noKazakh.statusCode, 400)
  assert.match(noKazakh.body, /href="#name.kk">Напишите имя на казахском и русском языках/)
  assert.equal((await commission.post('/ru/openness/commission/members', member, { from: manage })).statusCode, 303)
  assert.match((await app.inject({ url: '/ru/openness/commission' })).body, /Аскар Аскаров<\/span><\/strong>, председатель/)

  const planned = await commission.post('/ru/openness/commission/meetings', { heldOn: today, place: 'Астана, Дом министерств', hearings: ['ministry-of-education', 'ministry-of-health'] }, { from: manage })
  assert.equal(planned.statusCode, 303)
  const meetingPage = planned.headers.location as string
  const meetingId = Number(meetingPage.split('/').pop())
  assert.match((await app.inject({ url: meetingPage })).body, /Запланировано[\s\S]*ministry-of-education[\s\S]*оценка 0[\s\S]*ministry-of-health[\s\S]*оценка 50/)
  assert.equal((await commission.post('/ru/openness/commission/meetings', { heldOn: today, place: '', hearings: [] }, { from: manage })).statusCode, 400, 'an empty agenda')

  const token = (await createApiToken(db, SYSTEM_ACTOR, commissionUser.id, 'api')).token
  const recommendation = { agency: 'ministry-of-education', text: { kk: 'Сайттағы материалдарды қазақ тілінде жариялаңыз', ru: 'Публикуйте материалы сайта на казахском языке' }, dueOn: addDays(today, 30) }
  const early = await app.inject({ method: 'POST', url: `/api/openness/commission/meetings/${meetingId}/recommendations`, headers: { authorization: `Bearer ${token}` }, payload: recommendation })
  assert.equal(early.statusCode, 400, 'not before the meeting is held')
  const minutes = `/ru/openness/commission/meetings/${meetingId}/minutes`
  assert.equal((await editor.post(minutes, { 'minutes.kk': 'x', 'minutes.ru': 'x' }, { from: meetingPage })).statusCode, 403)
  assert.equal((await commission.post(minutes, { 'minutes.kk': 'Тыңдалды', 'minutes.ru': '' }, { from: meetingPage })).statusCode, 400, 'no Russian minutes')
  assert.equal((await commission.post(minutes, { 'minutes.kk': 'Екі орган тыңдалды.', 'minutes.ru': 'Заслушаны два органа.' }, { from: meetingPage })).statusCode, 303)
  assert.equal((await commission.post(minutes, { 'minutes.kk': 'Қайта', 'minutes.ru': 'Снова' }, { from: meetingPage })).statusCode, 400, 'held once')

  const recommend = `/ru/openness/commission/meetings/${meetingId}/recommendations`
  const form = { agency: 'ministry-of-education', 'text.kk': recommendation.text.kk, 'text.ru': recommendation.text.ru, dueOn: today }
  const sameDay = await commission.post(recommend, form, { from: meetingPage })
  assert.equal(sameDay.statusCode, 400)
  assert.match(sameDay.body, /href="#dueOn">Срок должен быть позже даты заседания/)
  assert.equal((await commission.post(recommend, { ...form, dueOn: addDays(today, 30) }, { from: meetingPage })).statusCode, 303)
  const [{ id: recommendationId }] = await db.query<{ id: string }>('select id from openness_recommendations') as [{ id: string }]
  const [toBody] = await db.query<{ body: string }>("select body from outbox where kind = 'openness-recommendation-made'")
  assert.match(toBody!.body, /Сайттағы материалдарды қазақ тілінде жариялаңыз/, 'the body\'s staff are told, in their language')
  assert.match((await app.inject({ url: meetingPage })).body, /Проведено[\s\S]*Заслушаны два органа[\s\S]*Ожидает отчёта/)
  assert.equal((await findRecommendation(db, Number(recommendationId), addDays(today, 31))).state, 'overdue', 'a day past its day')

  const recommendationPage = `/ru/openness/commission/recommendations/${recommendationId}`
  const report = { 'report.kk': 'Материалдар екі тілде жарияланады.', 'report.ru': 'Материалы публикуются на двух языках.' }
  assert.equal((await (await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health')).post(`${recommendationPage}/report`, report, { from: recommendationPage })).statusCode, 403, 'another body\'s editor')
  assert.equal((await commission.post(`${recommendationPage}/report`, report, { from: recommendationPage })).statusCode, 403, 'the commission does not report for the body')
  assert.equal((await editor.post(`${recommendationPage}/report`, report, { from: recommendationPage })).statusCode, 303)
  assert.match((await app.inject({ url: recommendationPage })).body, /Отчёт в срок[\s\S]*Материалы публикуются на двух языках/)
  assert.equal((await editor.post(`${recommendationPage}/report`, report, { from: recommendationPage })).statusCode, 400, 'reported once')
  const [toCommission] = await db.query<{ recipient: string }>("select recipient from outbox where kind = 'openness-recommendation-reported'")
  assert.equal(toCommission!.recipient, commissionUser.email)
  assert.match((await app.inject({ url: '/ru/openness/agencies/ministry-of-education' })).body, /Рекомендация № \d+<\/a>[\s\S]*Отчёт в срок/, 'the body\'s score page lists them')

  const api = (await app.inject({ url: '/api/openness/commission' })).json()
  assert.deepEqual(api.meetings[0].agenda.map((i: { agency: string }) => i.agency), ['ministry-of-education', 'ministry-of-health'])
  assert.equal(api.recommendations[0].state, 'reported')
  assert.equal(api.members[0].position, 'chair')
  assert.match((await app.inject({ url: '/kk/openness/commission' })).body, /Ақпаратқа қол жеткізу мәселелері жөніндегі комиссия/)
})
