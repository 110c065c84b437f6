import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency, makeDataset } from '../../helpers/factories.ts'
import { makeUser, signedInBrowser } from '../../helpers/users.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'

async function setup() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
    await makeAgency(db, { slug: 'ministry-of-finance' })
    await makeDataset(db, 'ministry-of-health', { name: 'hospital-beds' })
    await makeDataset(db, 'ministry-of-finance', { name: 'salaries', private: true })
  })
  const { app, db } = testApp
  const tokenOf = async (agency: string) => (await createApiToken(db, SYSTEM_ACTOR, (await makeUser(db, 'agency-editor', agency, { confirmed: true })).id, 'api')).token
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token?: string, payload?: object) =>
    app.inject({ method, url, ...(payload ? { payload } : {}), headers: { 'accept-language': 'en', ...(token ? { authorization: `Bearer ${token}` } : {}) } })
  return {
    ...testApp, call, staffToken: await tokenOf('ministry-of-health'), otherToken: await tokenOf('ministry-of-finance'),
    staff: await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health'), other: await signedInBrowser(app, db, 'agency-editor', 'ministry-of-finance'),
  }
}

const PERSON = (ru: string) => ({ kk: `${ru} (kk)`, ru })

test('a body\'s staff keep its leadership: one head and one executive secretary at a time, deputies by rank, each position with its days; the page lists who leads it now and before', async (t) => {
  const { app, db, call, staff, other, staffToken, otherToken, close } = await setup()
  t.after(close)
  const page = '/ru/agencies/ministry-of-health/site/leadership'
  assert.equal((await other.get(page)).statusCode, 403, 'another body\'s staff')
  assert.equal((await (await signedInBrowser(app, db)).get(page)).statusCode, 403, 'a citizen')
  const form = { role: 'deputy', 'name.kk': 'Асқар Жұмабаев', 'name.ru': 'Аскар Жумабаев', 'name.en': '', 'title.kk': 'Бірінші вице-министр', 'title.ru': 'Первый вице-министр', 'title.en': '', rank: '0', since: '2026-01-15' }
  assert.equal((await staff.post(page, form, { csrf: false })).statusCode, 403, 'no CSRF token')
  const missing = await staff.post(page, { ...form, 'name.kk': '' })
  assert.equal(missing.statusCode, 400)
  assert.match(missing.body, /href="#name.kk">Укажите фамилию, имя и отчество на казахском и русском языках/)
  assert.equal((await staff.post(page, form)).statusCode, 303)
  assert.equal((await staff.post(page, { ...form, 'name.ru': 'Гульнар Оспанова', 'name.kk': 'Гүлнар Оспанова', 'title.ru': 'Вице-министр', 'title.kk': 'Вице-министр', rank: '1' })).statusCode, 303, 'deputies are several')

  const appoint = (role: string, ru: string, since: string, token = staffToken) => call('POST', '/api/agencies/ministry-of-health/leadership', token, { role, name: PERSON(ru), title: PERSON(role), since })
  assert.equal((await appoint('secretary', 'Ерлан Сарсенов', '2026-03-01', otherToken)).statusCode, 403)
  assert.equal((await appoint('secretary', 'Ерлан Сарсенов', '2026-03-01')).statusCode, 201)
  assert.equal((await appoint('secretary', 'Бауыржан Ахметов', '2026-03-01')).statusCode, 400, 'the next secretary starts after the last one started')
  assert.equal((await appoint('secretary', 'Бауыржан Ахметов', '2026-03-02')).statusCode, 201, 'one day later')
  const leadership = (await call('GET', '/api/agencies/ministry-of-health/leadership')).json() as { current: Array<{ id: number; role: string; name: { ru: string }; since: string }>; past: Array<{ name: { ru: string }; until: string }> }
  assert.deepEqual(leadership.current.map((l) => [l.role, l.name.ru]), [['deputy', 'Аскар Жумабаев'], ['deputy', 'Гульнар Оспанова'], ['secretary', 'Бауыржан Ахметов']])
  assert.deepEqual(leadership.past.map((l) => [l.name.ru, l.until]), [['Ерлан Сарсенов', '2026-03-01']], 'the one before ends the day before')

  const deputy = leadership.current[1]!
  const end = (until: string, token = staffToken) => call('POST', `/api/agencies/ministry-of-health/leadership/${deputy.id}/end`, token, { until })
  assert.equal((await end('2026-06-30', otherToken)).statusCode, 403)
  assert.equal((await end('2026-01-14')).statusCode, 400, 'the last day is not before the first')
  assert.equal((await end('2026-06-30')).statusCode, 204)
  assert.equal((await end('2026-07-30')).statusCode, 404, 'an ended position ends once')

  const publicPage = await app.inject({ url: '/ru/agencies/ministry-of-health/leadership' })
  assert.equal(publicPage.statusCode, 200)
  assert.match(publicPage.body, /Аскар Жумабаев[\s\S]*Первый вице-министр[\s\S]*С 15 января 2026/)
  assert.match(publicPage.body, /Прежде[\s\S]*Гульнар Оспанова/)
  assert.match((await app.inject({ url: '/kk/agencies/ministry-of-health/leadership' })).body, /2026 жылғы 15 қаңтардан бастап/, 'a date in the case its postposition needs')
  assert.match((await app.inject({ url: '/ru/agencies/ministry-of-health' })).body, /href="\/ru\/agencies\/ministry-of-health\/leadership">Руководство/)
  assert.doesNotMatch((await app.inject({ url: '/ru/agencies/ministry-of-finance' })).body, /finance\/leadership/, 'a body with no one recorded has no link')
  assert.match((await app.inject({ url: '/ru/agencies/ministry-of-health' })).body, /href="\/ru\/data\?publisher=ministry-of-health">Открытые данные органа/, 'and its open data')
  assert.doesNotMatch((await app.inject({ url: '/ru/agencies/ministry-of-finance' })).body, /publisher=ministry-of-finance/, 'a private dataset is not a reason to link')
})

test('a body\'s staff keep its offices; the contacts page lists them numbered as on its map, and a place outside Kazakhstan or half a place is refused', async (t) => {
  const { app, call, staff, other, staffToken, otherToken, close } = await setup()
  t.after(close)
  const page = '/ru/agencies/ministry-of-health/site/offices'
  assert.equal((await other.get(page)).statusCode, 403)
  const office = { 'name.kk': 'Орталық аппарат', 'name.ru': 'Центральный аппарат', 'address.kk': 'Астана қ., Мәңгілік Ел, 8', 'address.ru': 'г. Астана, Мангилик Ел, 8', 'hours.ru': 'Пн–Пт 9:00–18:30', phone: '+7 7172 74 37 43', email: '', lat: '51,1282', lon: '71,4304' }
  const half = await staff.post(page, { ...office, lon: '' })
  assert.equal(half.statusCode, 400)
  assert.match(half.body, /href="#lat">Укажите и широту, и долготу места в Казахстане/)
  assert.equal((await staff.post(page, { ...office, lat: '48.85', lon: '2.35' })).statusCode, 400, 'Paris is not in Kazakhstan')
  assert.equal((await staff.post(page, { ...office, phone: 'call us' })).statusCode, 400)
  assert.equal((await staff.post(page, office)).statusCode, 303)
  assert.equal((await staff.post(page, { ...office, 'name.ru': 'Приёмная', 'name.kk': 'Қабылдау бөлмесі', lat: '', lon: '' })).statusCode, 303, 'an office may stay off the map')

  const contacts = await app.inject({ url: '/ru/agencies/ministry-of-health/contacts' })
  assert.equal(contacts.statusCode, 200)
  assert.match(contacts.body, /<svg[\s\S]*<\/svg>/, 'the map')
  assert.match(contacts.body, /1\. <span>Центральный аппарат<\/span>/, 'numbered as on the map')
  assert.match(contacts.body, /<span>Приёмная<\/span>/)
  assert.doesNotMatch(contacts.body, /\d\. <span>Приёмная/, 'an office off the map has no number')
  assert.match(contacts.body, /href="tel:\+77172743743"/)
  assert.match((await app.inject({ url: '/ru/agencies/ministry-of-health' })).body, /href="\/ru\/agencies\/ministry-of-health\/contacts">Контакты и приёмные/)

  const replaced = await call('PUT', '/api/agencies/ministry-of-health/offices', staffToken, { offices: [{ name: { kk: 'Кеңсе', ru: 'Офис' }, address: { kk: 'Алматы', ru: 'Алматы' }, lat: 43.24, lon: 76.89 }] })
  assert.equal(replaced.statusCode, 200, replaced.body)
  assert.equal((await call('PUT', '/api/agencies/ministry-of-health/offices', otherToken, { offices: [] })).statusCode, 403)
  const wrong = await call('PUT', '/api/agencies/ministry-of-health/offices', staffToken, { offices: [{ name: { ru: 'Без казахского' }, address: { kk: 'А', ru: 'А' } }] })
  assert.equal(wrong.statusCode, 400)
  assert.match(wrong.body, /offices\[0\]\.name\.kk/)
  assert.deepEqual((await call('GET', '/api/agencies/ministry-of-health/offices')).json().offices.map((o: { name: { ru: string } }) => o.name.ru), ['Офис'], 'a refused list changes nothing')
})

test('a body has one page about itself, published in editions per language, listing the bodies under it; its page links it', async (t) => {
  const { app, db, staff, close } = await setup()
  t.after(close)
  await db.query("update agencies set parent_id = (select id from agencies where slug = 'ministry-of-health') where slug = 'ministry-of-finance'")
  const site = '/ru/agencies/ministry-of-health/site'
  assert.equal((await app.inject({ url: '/ru/agencies/ministry-of-health/about' })).statusCode, 404, 'nothing published yet')
  const created = await staff.postFile(`${site}/new`, { kind: 'about', lang: 'ru', title: 'О министерстве', summary: '', body: 'Центральный исполнительный орган.\n\n## Структура\n\n- Департамент цифровизации' }, null, { from: `${site}/new` })
  assert.equal(created.statusCode, 303, created.body.slice(0, 1500))
  const edition = String(created.headers.location)
  await staff.post(`${edition}/submit`, {}, { from: edition })
  assert.equal((await staff.post(`${edition}/publish`, {}, { from: edition })).statusCode, 303)
  const again = await staff.postFile(`${site}/new`, { kind: 'about', lang: 'kk', title: 'Министрлік туралы', summary: '', body: '' }, null, { from: `${site}/new` })
  assert.equal(again.statusCode, 400, 'one page about itself')
  assert.match(again.body, /У органа уже есть страница о себе/)

  const about = await app.inject({ url: '/ru/agencies/ministry-of-health/about' })
  assert.equal(about.statusCode, 200)
  assert.match(about.body, /<h2 class="govuk-heading-m">Структура<\/h2>/)
  assert.match(about.body, /Подведомственные организации[\s\S]*href="\/ru\/agencies\/ministry-of-finance"/)
  assert.match(about.body, /Нет версии на казахском/, 'the site says which language the page lacks')
  assert.match((await app.inject({ url: '/ru/agencies/ministry-of-health' })).body, /href="\/ru\/agencies\/ministry-of-health\/about">Об органе/)
  assert.doesNotMatch((await app.inject({ url: '/ru/agencies/news.atom' })).body, /О министерстве/, 'the feeds carry news and documents')
})
