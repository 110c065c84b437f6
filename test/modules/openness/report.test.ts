import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency, makeDataset } from '../../helpers/factories.ts'
import { signedInBrowser } from '../../helpers/users.ts'
import { pdfPages, pdfStructure } from '../../helpers/pdf.ts'
import { kazakhstanDay } from '../../../src/platform/calendar/days.ts'
import { takeSnapshot } from '../../../src/modules/openness/service.ts'

test('the commission prepares the year\'s report on access to information, writes its text and publishes it; it is then public as a page and a tagged PDF in each language, its figures kept as published', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    for (const slug of ['ministry-of-health', 'ministry-of-justice']) await makeAgency(db, { slug })
  })
  t.after(close)
  for (const [slug, langs] of [['ministry-of-health', ['kk', 'ru']], ['ministry-of-justice', ['ru']]] as const) {
    const [item] = await db.query<{ id: string }>("insert into site_items (agency_id, kind, created_at) select id, 'news', now() from agencies where slug = $1 returning id", [slug])
    for (const lang of langs) await db.query("insert into site_editions (item_id, lang, number, status, title, published_at) values ($1, $2, 1, 'published', 'x', now())", [item!.id, lang])
  }
  const year = Number(kazakhstanDay(new Date()).slice(0, 4))
  await takeSnapshot(db, kazakhstanDay(new Date()))
  await makeDataset(db, 'ministry-of-health')
  const commission = await signedInBrowser(app, db, 'commission')
  const editor = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health')
  const page = `/ru/openness/reports/${year}`

  assert.equal((await app.inject({ url: page })).statusCode, 404, 'a draft is the commission\'s alone')
  assert.equal((await editor.get(page)).statusCode, 404)
  const draft = await commission.get(page)
  assert.equal(draft.statusCode, 200)
  // The figures as they are: one body of two in full, the other half (its items in Kazakh missing).
  assert.match(draft.body, /Черновик: показатели на/)
  assert.match(draft.body, /оценены 2 органа; средняя оценка — 75/)
  assert.match(draft.body, /Материалы сайта на казахском языке: в среднем 50 % по 2 органам/, 'the weakest indicator is named among the problems')
  assert.doesNotMatch(draft.body, /Опубликовать доклад/, 'nothing to publish before the commission\'s text')

  const text = { 'text.kk': 'Комиссия органдардың ашықтығын бағалады.', 'text.ru': 'Комиссия оценила открытость органов.\n\nГлавная проблема — тексты на казахском языке.' }
  // To anyone else the draft is not there: their writes find nothing to write to.
  assert.equal((await editor.post(page, text, { from: '/ru/openness' })).statusCode, 404)
  assert.equal((await commission.post(page, text, { from: page, csrf: false })).statusCode, 403, 'no CSRF token')
  const noKazakh = await commission.post(page, { ...text, 'text.kk': '' }, { from: page })
  assert.equal(noKazakh.statusCode, 400)
  assert.match(noKazakh.body, /href="#text.kk">Напишите текст Комиссии на казахском и русском языках/)
  assert.equal((await commission.post(page, text, { from: page })).statusCode, 303)
  assert.equal((await editor.post(`${page}/publish`, {}, { from: '/ru/openness' })).statusCode, 404)
  assert.equal((await commission.post(`${page}/publish`, {}, { from: page })).statusCode, 303)
  const again = await commission.post(`${page}/publish`, {}, { from: page })
  assert.equal(again.statusCode, 400, 'published once')
  assert.match(again.body, /Доклад уже опубликован/)

  // Public now, as published: a dataset added later does not change it.
  await makeDataset(db, 'ministry-of-justice')
  const published = await app.inject({ url: page })
  assert.equal(published.statusCode, 200)
  assert.match(published.body, /Вступление и выводы Комиссии[\s\S]*Главная проблема — тексты на казахском языке/)
  assert.match(published.body, /Открытые наборы данных<\/td>\s*<td class="govuk-table__cell">1</)
  assert.match((await app.inject({ url: '/ru/openness/reports' })).body, new RegExp(`href="/ru/openness/reports/${year}">Доклад о доступе к информации за ${year} год`))
  const api = (await app.inject({ url: `/api/openness/reports/${year}` })).json()
  assert.equal(api.status, 'published')
  assert.equal(api.figures.data.datasets, 1)
  for (const lang of ['kk', 'ru', 'en'] as const) {
    const pdf = await app.inject({ url: `/${lang}/openness/reports/${year}.pdf` })
    assert.equal(pdf.statusCode, 200, lang)
    assert.equal(pdf.headers['content-type'], 'application/pdf')
    const structure = await pdfStructure(pdf.rawPayload)
    assert.equal(structure.lang, lang)
    assert.ok(['H1', 'H2', 'P', 'Table', 'TH'].every((role) => structure.roles.includes(role)), `${lang}: ${structure.roles.join(' ')}`)
    const words = (await pdfPages(pdf.rawPayload)).join(' ')
    assert.match(words, { kk: /ақпаратқа қол жеткізу туралы баяндама/, ru: /Доклад о доступе к информации/, en: /Report on access to information/ }[lang])
  }
})
