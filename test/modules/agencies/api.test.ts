import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { makeAgency, makeRegion } from '../../helpers/factories.ts'

let t: TestApp
before(async () => {
  t = await createTestApp(async (db) => {
    await makeRegion(db, { code: 'karaganda', name: { kk: 'Қарағанды облысы', ru: 'Карагандинская область', en: 'Karaganda Region' } })
    await makeRegion(db, { code: 'astana', kind: 'city', name: { kk: 'Астана қаласы', ru: 'город Астана', en: 'Astana' } })
    await makeAgency(db, {
      slug: 'ministry-of-finance',
      name: { kk: 'Қаржы министрлігі', ru: 'Министерство финансов', en: 'Ministry of Finance' },
      regionCode: 'astana',
      headName: { kk: 'Асқар Жақсылықов', ru: 'Аскар Жаксылыков', en: 'Askar Zhaksylykov' },
      headTitle: { kk: 'Министр', ru: 'Министр', en: 'Minister' },
      phone: '+7 7172 74 00 00',
      email: 'kense@minfin.gov.kz',
      website: 'https://www.gov.kz/memleket/entities/minfin',
    })
    await makeAgency(db, {
      slug: 'treasury-committee',
      name: { kk: 'Қазынашылық комитеті', ru: 'Комитет казначейства', en: 'Treasury Committee' },
      parentSlug: 'ministry-of-finance',
      regionCode: 'astana',
    })
    await makeAgency(db, {
      slug: 'akimat-karaganda',
      kind: 'local',
      name: { kk: 'Қарағанды облысының әкімдігі', ru: 'Акимат Карагандинской области', en: 'Akimat of Karaganda Region' },
      regionCode: 'karaganda',
    })
    await makeAgency(db, {
      slug: 'samruk-kazyna',
      kind: 'quasi',
      name: { kk: 'Самұрық-Қазына', ru: 'Самрук-Казына', en: 'Samruk-Kazyna' },
      regionCode: 'astana',
    })
  })
})
after(() => t.close())

async function slugs(query: string): Promise<string[]> {
  const response = await t.app.inject({ url: `/api/agencies${query}` })
  assert.equal(response.statusCode, 200, response.body)
  return response.json().items.map((a: { slug: string }) => a.slug).sort()
}

test('lists every body, paginated', async () => {
  const body = (await t.app.inject({ url: '/api/agencies?perPage=2&page=2' })).json()
  assert.equal(body.total, 4)
  assert.equal(body.pages, 2)
  assert.equal(body.page, 2)
  assert.equal(body.items.length, 2)
  const first = (await t.app.inject({ url: '/api/agencies?perPage=2' })).json()
  const all = [...first.items, ...body.items].map((a: { slug: string }) => a.slug)
  assert.equal(new Set(all).size, 4, 'pages do not overlap')
})

test('filters by kind and by region', async () => {
  assert.deepEqual(await slugs('?kind=local'), ['akimat-karaganda'])
  assert.deepEqual(await slugs('?kind=quasi'), ['samruk-kazyna'])
  assert.deepEqual(await slugs('?region=karaganda'), ['akimat-karaganda'])
  assert.deepEqual(await slugs('?region=astana&kind=central'), ['ministry-of-finance', 'treasury-committee'])
})

test('searches names in Kazakh, Russian and English, in any case and by part of a word', async () => {
  assert.deepEqual(await slugs(`?q=${encodeURIComponent('қаржы')}`), ['ministry-of-finance'])
  assert.deepEqual(await slugs(`?q=${encodeURIComponent('МИНИСТЕРСТВО ФИНАНСОВ')}`), ['ministry-of-finance'])
  assert.deepEqual(await slugs('?q=treasury'), ['treasury-committee'])
  assert.deepEqual(await slugs(`?q=${encodeURIComponent('казначей')}`), ['treasury-committee'])
})

test('a misspelt name still finds the body', async () => {
  assert.deepEqual(await slugs(`?q=${encodeURIComponent('Министерсво финансв')}`), ['ministry-of-finance'])
  assert.deepEqual(await slugs(`?q=${encodeURIComponent('Минстерство финансов')}`), ['ministry-of-finance'])
  assert.deepEqual(await slugs('?q=Ministy%20of%20Finanse'), ['ministry-of-finance'])
  assert.deepEqual(await slugs(`?q=${encodeURIComponent('Қарағады')}`), ['akimat-karaganda'])
})

test('a name typed in Latin letters finds the Kazakh or Russian name', async () => {
  assert.deepEqual(await slugs('?q=Qarzhy%20ministrligi'), ['ministry-of-finance'])
  assert.deepEqual(await slugs(`?q=${encodeURIComponent('Qarjy mınıstrlıgı')}`), ['ministry-of-finance'])
  assert.deepEqual(await slugs('?q=ministerstvo%20finansov'), ['ministry-of-finance'])
  assert.deepEqual(await slugs('?q=kaznacheistva'), ['treasury-committee'])
  assert.deepEqual(await slugs('?q=Samruk'), ['samruk-kazyna'])
})

test('LIKE wildcards in a search are taken literally', async () => {
  assert.deepEqual(await slugs('?q=%25'), [])
  assert.deepEqual(await slugs('?q=_'), [])
})

test('one body shows names, head, contacts, region, parent and subordinates', async () => {
  const minfin = (await t.app.inject({ url: '/api/agencies/ministry-of-finance' })).json()
  assert.equal(minfin.name.kk, 'Қаржы министрлігі')
  assert.equal(minfin.head.name.en, 'Askar Zhaksylykov')
  assert.equal(minfin.email, 'kense@minfin.gov.kz')
  assert.equal(minfin.region.code, 'astana')
  assert.deepEqual(minfin.children.map((c: { slug: string }) => c.slug), ['treasury-committee'])
  const treasury = (await t.app.inject({ url: '/api/agencies/treasury-committee' })).json()
  assert.equal(treasury.parent.slug, 'ministry-of-finance')
})

test('an unknown body is a 404 problem in the request language', async () => {
  const response = await t.app.inject({ url: '/api/agencies/no-such-body', headers: { 'accept-language': 'kk' } })
  assert.equal(response.statusCode, 404)
  assert.match(String(response.headers['content-type']), /application\/problem\+json/)
  assert.equal(response.json().title, 'Бет табылмады')
  assert.equal(response.json().status, 404)
  assert.equal(response.headers['content-language'], 'kk')
  assert.match(String(response.headers.vary), /Accept-Language/)
})

test('bad query values are a 400 problem naming each field, in the request language', async () => {
  const ru = await t.app.inject({ url: '/api/agencies?kind=ministry&perPage=500&colour=red', headers: { 'accept-language': 'ru' } })
  assert.equal(ru.statusCode, 400)
  assert.match(String(ru.headers['content-type']), /application\/problem\+json/)
  const body = ru.json()
  assert.equal(body.title, 'В запросе есть недопустимые значения')
  const byField = Object.fromEntries(body.errors.map((e: { field: string; message: string }) => [e.field, e.message]))
  assert.match(byField.kind, /должно быть одним из: central, local, quasi/)
  assert.match(byField.perPage, /не больше 100/)
  assert.match(byField.colour, /неизвестное поле/)

  const en = await t.app.inject({ url: '/api/agencies?page=zero', headers: { 'accept-language': 'en' } })
  assert.equal(en.statusCode, 400)
  assert.match(en.json().errors[0].message, /^page: must be of type integer/)

  const kk = await t.app.inject({ url: `/api/agencies?q=${'а'.repeat(201)}`, headers: { 'accept-language': 'kk' } })
  assert.equal(kk.statusCode, 400)
  assert.match(kk.json().errors[0].message, /^q: 200 таңбадан аспауы керек/)
})

test('a malformed slug is refused before any lookup', async () => {
  const response = await t.app.inject({ url: '/api/agencies/Bad%20Slug', headers: { 'accept-language': 'en' } })
  assert.equal(response.statusCode, 400)
  assert.equal(response.json().errors[0].field, 'slug')
})

test('regions are listed in the reader\'s alphabetical order', async () => {
  const ru = (await t.app.inject({ url: '/api/regions', headers: { 'accept-language': 'ru' } })).json()
  assert.deepEqual(ru.map((r: { code: string }) => r.code), ['astana', 'karaganda'])
  const en = (await t.app.inject({ url: '/api/regions', headers: { 'accept-language': 'en' } })).json()
  assert.deepEqual(en.map((r: { code: string }) => r.code), ['astana', 'karaganda'])
})
