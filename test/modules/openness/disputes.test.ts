import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Db } from '../../../src/platform/db/index.ts'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { makeUser, signedInBrowser } from '../../helpers/users.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'
import { kazakhstanDay } from '../../../src/platform/calendar/days.ts'
import { snapshotScores, takeSnapshot } from '../../../src/modules/openness/service.ts'
import { decideDispute, reviewWindow, submitDispute } from '../../../src/modules/openness/disputes/service.ts'
import { findUser } from '../../../src/platform/auth/accounts.ts'
import { ValidationError } from '../../../src/platform/http/errors.ts'

/** A news item of the body's site in the given languages, drafted at one moment and published at another. */
async function newsItem(db: Db, agencyId: string, langs: readonly string[], drafted: string, published: string): Promise<void> {
  const [item] = await db.query<{ id: string }>("insert into site_items (agency_id, kind, created_at) values ($1, 'news', $2) returning id", [agencyId, drafted])
  for (const lang of langs) await db.query("insert into site_editions (item_id, lang, number, status, title, published_at) values ($1, $2, 1, 'published', 'x', $3)", [item!.id, lang, published])
}

const agencyIdOf = async (db: Db, slug: string) => ((await db.query<{ id: string }>('select id from agencies where slug = $1', [slug]))[0]!).id

test('a body\'s staff dispute an indicator of the month\'s snapshot; the commission accepts one (the count and the score corrected, the change public) and rejects another with its reason; everyone else is refused', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
    await makeAgency(db, { slug: 'ministry-of-finance' })
  })
  t.after(close)
  const health = await agencyIdOf(db, 'ministry-of-health')
  // Half its news items in Kazakh, half on time: 50 of 100.
  await newsItem(db, health, ['ru'], new Date(Date.now() - 2 * 86400_000).toISOString(), new Date().toISOString())
  await newsItem(db, health, ['kk', 'ru'], new Date().toISOString(), new Date().toISOString())
  await takeSnapshot(db, kazakhstanDay(new Date()))
  const commissionUser = await makeUser(db, 'commission', undefined, { confirmed: true })
  const commission = await signedInBrowser(app, db, 'commission')
  const editor = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health')
  const form = '/ru/openness/agencies/ministry-of-health/dispute'
  const fields = { indicator: 'sites.complete-kk', reason: 'Новость «x» вышла и на казахском языке, но на другой странице.', evidence: 'https://example.kz/kk/news/1', claimedNumerator: '2', claimedDenominator: '2' }

  // The body's page offers its staff the form, and no one else.
  assert.match((await editor.get('/ru/openness/agencies/ministry-of-health')).body, /openness\/agencies\/ministry-of-health\/dispute/)
  assert.doesNotMatch((await app.inject({ url: '/ru/openness/agencies/ministry-of-health' })).body, /\/dispute"/)
  const anonymous = await app.inject({ url: form })
  assert.equal(anonymous.statusCode, 303, 'no one signed in: sent to sign in')
  assert.match(anonymous.headers.location as string, /sign-in/)
  for (const [who, browser] of [['another body\'s editor', await signedInBrowser(app, db, 'agency-editor', 'ministry-of-finance')], ['a citizen', await signedInBrowser(app, db)], ['the commission', commission]] as const) {
    assert.equal((await browser.get(form)).statusCode, 403, who)
    assert.equal((await browser.post(form, fields, { from: '/ru/openness' })).statusCode, 403, who)
  }
  assert.equal((await editor.post(form, fields, { csrf: false })).statusCode, 403, 'no CSRF token')
  const blank = await editor.post(form, { ...fields, reason: ' ', claimedNumerator: '3' })
  assert.equal(blank.statusCode, 400)
  assert.match(blank.body, /href="#reason">Напишите причину/)
  assert.match(blank.body, /href="#claimedNumerator">Укажите два целых числа, первое не больше второго/)
  assert.match((await editor.post(form, { ...fields, indicator: 'sites.nothing' })).body, /href="#indicator">Выберите показатель оценки органа/)

  const sent = await editor.post(form, fields)
  assert.equal(sent.statusCode, 303)
  const page = sent.headers.location as string
  const id = Number(page.split('/').pop())
  assert.match((await app.inject({ url: page })).body, /На рассмотрении[\s\S]*Новость «x» вышла/, 'public while it waits')
  assert.equal((await editor.post(form, fields)).statusCode, 400, 'one dispute of an indicator at a time')
  const [told] = await db.query<{ recipient: string; subject: string }>("select recipient, subject from outbox where kind = 'openness-dispute-submitted' and recipient = $1", [commissionUser.email])
  assert.match(told!.subject, new RegExp(`№ ${id}`), 'the commission is told')

  // Deciding: the commission alone, with a reason and, accepting, the corrected count.
  const accept = `/ru/openness/disputes/${id}/accept`
  assert.equal((await editor.post(accept, { numerator: '2', denominator: '2', decision: 'Да' }, { from: page })).statusCode, 403, 'the body itself')
  assert.equal((await commission.post(accept, { numerator: '2', denominator: '2', decision: 'Да' }, { from: page, csrf: false })).statusCode, 403, 'no CSRF token')
  const noCount = await commission.post(accept, { numerator: '', denominator: '2', decision: 'Да' }, { from: page })
  assert.equal(noCount.statusCode, 400)
  assert.match(noCount.body, /href="#correctedNumerator"/)
  assert.equal((await commission.post(accept, { numerator: '2', denominator: '2', decision: ' ' }, { from: page })).statusCode, 400, 'no reason')
  assert.equal((await commission.post(accept, { numerator: '2', denominator: '2', decision: 'Казахская версия найдена по ссылке.' }, { from: page })).statusCode, 303)
  assert.equal((await commission.post(accept, { numerator: '1', denominator: '2', decision: 'Ещё раз' }, { from: page })).statusCode, 400, 'decided once')

  const api = (await app.inject({ url: `/api/openness/disputes/${id}` })).json()
  assert.deepEqual([api.status, api.measured, api.corrected, api.scoreBefore, api.scoreAfter], ['accepted', { numerator: 1, denominator: 2 }, { numerator: 2, denominator: 2 }, 50, 75])
  const score = (await app.inject({ url: '/api/openness/agencies/ministry-of-health' })).json().score
  assert.equal(score.score, 75, 'the score is made again')
  assert.deepEqual(score.indicators.find((i: { code: string }) => i.code === 'sites.complete-kk').correction, { dispute: id, numerator: 1, denominator: 0 })
  assert.match((await app.inject({ url: page })).body, /Принято[\s\S]*Казахская версия найдена по ссылке[\s\S]*1 из 2[\s\S]*2 из 2[\s\S]*с 50 на 75/)
  const [decided] = await db.query<{ body: string }>("select body from outbox where kind = 'openness-dispute-decided'")
  assert.match(decided!.body, /Қабылданды[\s\S]*Казахская версия найдена/, 'the body\'s staff are told, in their language')

  // Another dispute, rejected with its reason: the score stays.
  const second = await editor.post(form, { ...fields, indicator: 'sites.on-time', claimedNumerator: '', claimedDenominator: '' })
  const secondPage = second.headers.location as string
  assert.equal((await commission.post(`${secondPage}/reject`, { decision: 'Новость вышла через два дня после подготовки.' }, { from: secondPage })).statusCode, 303)
  assert.match((await app.inject({ url: secondPage })).body, /Отклонено[\s\S]*через два дня/)
  assert.equal((await app.inject({ url: '/api/openness/agencies/ministry-of-health' })).json().score.score, 75)
  const list = (await app.inject({ url: '/api/openness/disputes?agency=ministry-of-health' })).json().disputes
  assert.deepEqual(list.map((d: { status: string }) => d.status), ['rejected', 'accepted'])
  assert.match((await app.inject({ url: '/kk/openness/disputes?status=rejected' })).body, /Қабылданбады/)
  const accepted = (await app.inject({ url: '/ru/openness/disputes?status=accepted' })).body
  assert.match(accepted, /ashyq-status">Принято/)
  assert.doesNotMatch(accepted, /ashyq-status">Отклонено/)

  // The API, with a token: the same rules.
  const token = (await createApiToken(db, SYSTEM_ACTOR, (await makeUser(db, 'agency-editor', 'ministry-of-finance')).id, 'api')).token
  const foreign = await app.inject({ method: 'POST', url: '/api/openness/agencies/ministry-of-health/disputes', headers: { authorization: `Bearer ${token}` }, payload: { indicator: 'sites.on-time', reason: 'r', evidence: 'e' } })
  assert.equal(foreign.statusCode, 403)
})

test('the review window closes ten working days after the month\'s first snapshot; an accepted correction is carried into the month\'s later snapshots, not the next month\'s; a disputed snapshot is never replaced', async (t) => {
  const { db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
  })
  t.after(close)
  const health = await agencyIdOf(db, 'ministry-of-health')
  // March 2026: one news item in Russian alone, one in both; both on time.
  await newsItem(db, health, ['ru'], '2026-02-20T10:00:00+05:00', '2026-02-20T12:00:00+05:00')
  await newsItem(db, health, ['kk', 'ru'], '2026-02-21T10:00:00+05:00', '2026-02-21T12:00:00+05:00')
  const first = await takeSnapshot(db, '2026-03-02')
  // Ten working days after Monday 2 March, with 8 March (a Sunday in 2026) moved to Monday 9 March: 17 March.
  const window = await reviewWindow(db, '2026-03-17')
  assert.deepEqual([window?.snapshot.id, window?.closes, window?.open], [first.id, '2026-03-17', true])
  assert.equal((await reviewWindow(db, '2026-03-18'))?.open, false, 'one working day past it')
  const editor = (await findUser(db, (await makeUser(db, 'agency-editor', 'ministry-of-health')).id))!
  const commission = (await findUser(db, (await makeUser(db, 'commission')).id))!
  const input = { indicator: 'sites.complete-kk', reason: 'r', evidence: 'e' }
  await assert.rejects(submitDispute(db, editor, 'ministry-of-health', input, 'http://localhost', '2026-03-18'), (e: unknown) => e instanceof ValidationError && e.fields[0]?.messageKey === 'openness.disputes.errors.closed')
  const dispute = await submitDispute(db, editor, 'ministry-of-health', input, 'http://localhost', '2026-03-17')
  await decideDispute(db, commission, dispute.id, 'accept', { decision: 'ok', numerator: 2, denominator: 2 }, 'http://localhost')

  const scoreOn = async (day: string) => {
    const snapshot = await takeSnapshot(db, day)
    return (await snapshotScores(db, snapshot.id))[0]!.indicators.find((i) => i.code === 'sites.complete-kk')!
  }
  assert.deepEqual(await scoreOn('2026-03-02').then((i) => [i.numerator, i.denominator]), [2, 2], 'taken again, the disputed snapshot stays as corrected')
  const later = await scoreOn('2026-03-20')
  assert.deepEqual([later.numerator, later.denominator, later.correction?.dispute], [2, 2, dispute.id], 'the month\'s later snapshot carries the correction')
  const next = await scoreOn('2026-04-01')
  assert.deepEqual([next.numerator, next.denominator, next.correction], [1, 2, undefined], 'the next month is measured afresh')
})
