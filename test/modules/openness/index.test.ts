import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency, makeDataset } from '../../helpers/factories.ts'
import { makeUser, signedInBrowser } from '../../helpers/users.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'
import { addDays, kazakhstanDay } from '../../../src/platform/calendar/days.ts'
import { scoreOf, takeSnapshot } from '../../../src/modules/openness/service.ts'
import { INDICATORS } from '../../../src/modules/openness/indicators.ts'

test('a score shares the weights of the indicators that applied out to 100 and adds each one\'s part times its value; nothing applied, no score', () => {
  const weights = { a: 30, b: 10, c: 60 }
  const { score, indicators } = scoreOf(weights, new Map([['a', { numerator: 1, denominator: 2, records: [] }], ['b', { numerator: 4, denominator: 4, records: [] }], ['c', { numerator: 0, denominator: 0, records: [] }]]))
  // a and b applied (40 of the weights): a gives 75 × 0.5, b gives 25 × 1.
  assert.equal(score, 62.5)
  assert.deepEqual(indicators.map((i) => [i.code, i.value, i.points]), [['a', 0.5, 37.5], ['b', 1, 25], ['c', null, null]])
  assert.equal(scoreOf(weights, new Map()).score, null)
  assert.equal(scoreOf({ a: 0, b: 10 }, new Map([['a', { numerator: 0, denominator: 5, records: [] }], ['b', { numerator: 1, denominator: 2, records: [] }]])).score, 50, 'a weight of 0 does not count')
})

test('a snapshot scores every body from the modules\' facts; each score explains itself and can be made again from its published values and the methodology; the commission publishes a new version', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
    await makeAgency(db, { slug: 'ministry-of-finance' })
  })
  t.after(close)
  const today = kazakhstanDay(new Date())
  const [{ id: health }] = await db.query<{ id: string }>("select id from agencies where slug = 'ministry-of-health'") as [{ id: string }]
  // The health ministry's site: a news item only in Russian, published two days after its draft (late), and one in both languages on time.
  for (const [langs, ago] of [[['ru'], 2], [['kk', 'ru'], 0]] as const) {
    const [item] = await db.query<{ id: string }>("insert into site_items (agency_id, kind, created_at) values ($1, 'news', now() - make_interval(days => $2)) returning id", [health, ago])
    for (const lang of langs) await db.query("insert into site_editions (item_id, lang, number, status, title, published_at) values ($1, $2, 1, 'published', 'x', now())", [item!.id, lang])
  }
  const snapshot = await takeSnapshot(db, today)
  const api = (await app.inject({ url: '/api/openness' })).json()
  assert.equal(api.snapshot.day, today)
  assert.equal(api.snapshot.from, addDays(today, -364))
  const scored = new Map((api.scores as Array<{ agency: string; score: number | null; indicators: Array<{ code: string; value: number | null; weight: number; points: number | null; records: Array<{ path: string }> }> }>).map((s) => [s.agency, s]))
  const h = scored.get('ministry-of-health')!
  // Two site indicators applied (10 and 10 of the weights): half of the items in Kazakh, half on time.
  assert.equal(h.score, 50)
  assert.deepEqual(h.indicators.filter((i) => i.value !== null).map((i) => [i.code, i.value, i.points]), [['sites.complete-kk', 0.5, 25], ['sites.on-time', 0.5, 25]])
  assert.equal(h.indicators.find((i) => i.code === 'sites.on-time')!.records.length, 1, 'the late item, linked')
  assert.equal(scored.get('ministry-of-finance')!.score, null, 'nothing applied')
  // Made again from what is published: the values and the methodology's weights.
  const weights = (await app.inject({ url: '/api/openness/methodology' })).json().versions[0].weights as Record<string, number>
  const again = scoreOf(weights, new Map(h.indicators.filter((i) => i.value !== null).map((i) => [i.code, { numerator: i.value! * 100, denominator: 100, records: [] }])))
  assert.equal(again.score, h.score)

  const page = await app.inject({ url: '/ru/openness/agencies/ministry-of-health' })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Материалы сайта на казахском языке[\s\S]*1 из 2[\s\S]*50 %/)
  assert.match(page.body, /Что сильнее всего поднимет оценку/)
  assert.match((await app.inject({ url: '/ru/openness' })).body, /href="\/ru\/openness\/agencies\/ministry-of-health">[^<]*<\/a><\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">50</)
  assert.match((await app.inject({ url: '/ru/openness.csv' })).body, /ministry-of-health,50,/)
  assert.match((await app.inject({ url: '/ru/agencies/ministry-of-health' })).body, /href="\/ru\/openness\/agencies\/ministry-of-health">Оценка открытости органа/, 'the body\'s page links its score')
  assert.doesNotMatch((await app.inject({ url: '/ru/agencies/ministry-of-finance' })).body, /openness\/agencies/, 'a body without a score has no link')

  // The commission publishes a new version; the next snapshot uses it and says so.
  const commission = await signedInBrowser(app, db, 'commission')
  const editor = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health')
  const form = Object.fromEntries([...Object.keys(weights).map((code) => [`weight.${code}`, code === 'sites.on-time' ? '30' : String(weights[code])]), ['note.kk', 'Уақтылық салмағы өсті'], ['note.ru', 'Вырос вес своевременности']])
  assert.equal((await editor.post('/ru/openness/methodology', form, { from: '/ru/openness/methodology' })).statusCode, 403, 'a body\'s editor')
  assert.equal((await commission.post('/ru/openness/methodology', form, { from: '/ru/openness/methodology', csrf: false })).statusCode, 403, 'no CSRF token')
  const wrong = await commission.post('/ru/openness/methodology', { ...form, 'weight.sites.on-time': '101' }, { from: '/ru/openness/methodology' })
  assert.equal(wrong.statusCode, 400)
  assert.equal((await commission.post('/ru/openness/methodology', form, { from: '/ru/openness/methodology' })).statusCode, 303)
  const second = await takeSnapshot(db, today)
  assert.equal(second.version, 2)
  const now = (await app.inject({ url: '/api/openness/agencies/ministry-of-health' })).json()
  // 10 and 30 of the weights: 25 × 0.5 + 75 × 0.5.
  assert.equal(now.score.score, 50)
  assert.equal(now.snapshot.methodology, 2)
  assert.deepEqual(now.history.map((x: { methodology: number }) => x.methodology), [1, 2])
  assert.ok(snapshot.id !== second.id)
  const token = (await createApiToken(db, SYSTEM_ACTOR, (await makeUser(db, 'agency-editor', 'ministry-of-health', { confirmed: true })).id, 'api')).token
  assert.equal((await app.inject({ method: 'POST', url: '/api/openness/snapshots', headers: { authorization: `Bearer ${token}` } })).statusCode, 403)
})

test('the catalog in Kazakh: a body\'s public datasets whose title and description have their Kazakh text, the others linked', async (t) => {
  const { db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
  })
  t.after(close)
  await makeDataset(db, 'ministry-of-health', { name: 'beds', title: { kk: 'Төсектер', ru: 'Койки' }, description: { kk: 'Аурухана төсектері', ru: 'Больничные койки' } })
  await makeDataset(db, 'ministry-of-health', { name: 'clinics', title: { kk: 'Емханалар', ru: 'Поликлиники' }, description: { ru: 'Только по-русски' } })
  await makeDataset(db, 'ministry-of-health', { name: 'hidden', title: { ru: 'Скрытый' }, private: true })
  const today = kazakhstanDay(new Date())
  const measured = await INDICATORS.find((i) => i.code === 'data.complete-kk')!.measure(db, { from: addDays(today, -364), to: today, today })
  const [{ id }] = await db.query<{ id: string }>("select id from agencies where slug = 'ministry-of-health'") as [{ id: string }]
  const m = measured.get(Number(id))!
  assert.deepEqual([m.numerator, m.denominator], [1, 2], 'a private dataset is not counted')
  assert.deepEqual(m.records.map((r) => r.path), ['/data/datasets/clinics'])
})
