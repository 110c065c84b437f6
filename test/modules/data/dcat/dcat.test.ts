import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../../helpers/app.ts'
import { makeAgency, makeDataset, makeRegion } from '../../../helpers/factories.ts'
import { parseRdf, PREFIXES } from '../../../../src/modules/data/dcat/service.ts'
import type { Quad } from '@rdfjs/types'

const { dcat, dct, rdf, hydra } = PREFIXES

function objects(quads: Quad[], subject: string, predicate: string): string[] {
  return quads.filter((q) => q.subject.value === subject && q.predicate.value === predicate).map((q) => (q.object.termType === 'Literal' && q.object.language ? `${q.object.value}@${q.object.language}` : q.object.value))
}

async function site() {
  return createTestApp(async (db) => {
    await makeRegion(db, { code: 'astana', kind: 'city', name: { kk: 'Астана', ru: 'Астана', en: 'Astana' } })
    await makeAgency(db, { slug: 'finance', name: { kk: 'Қаржы министрлігі', ru: 'Министерство финансов', en: 'Ministry of Finance' } })
    await makeDataset(db, 'finance', {
      name: 'budget', themeCode: 'econ', keywords: { en: ['budget'], ru: ['бюджет'] }, frequency: 'monthly', regionCode: 'astana', temporalStart: '2024-01-01', temporalEnd: '2024-12-31',
      contactName: { en: 'Open data office', ru: 'Отдел открытых данных' }, contactEmail: 'data@minfin.kz',
      title: { kk: 'Бюджет', ru: 'Бюджет', en: 'Budget' }, description: { en: 'Monthly spending' },
    })
  })
}

test('a dataset is DCAT-AP in Turtle and JSON-LD, at its own address by content negotiation and at /dcat.*', async (t) => {
  const { app, close } = await site()
  t.after(close)
  const turtle = await app.inject({ url: '/data/datasets/budget', headers: { accept: 'text/turtle' } })
  assert.equal(turtle.statusCode, 200)
  assert.match(String(turtle.headers['content-type']), /text\/turtle/)
  const quads = await parseRdf(turtle.body, 'text/turtle')
  const subject = 'http://localhost:3000/data/datasets/budget'
  assert.deepEqual(objects(quads, subject, `${rdf}type`), [`${dcat}Dataset`])
  assert.deepEqual(objects(quads, subject, `${dct}title`).sort(), ['Budget@en', 'Бюджет@kk', 'Бюджет@ru'])
  assert.deepEqual(objects(quads, subject, `${dcat}keyword`).sort(), ['budget@en', 'бюджет@ru'], 'each keyword in its language')
  const [contact] = objects(quads, subject, `${dcat}contactPoint`)
  assert.deepEqual(objects(quads, contact!, 'http://www.w3.org/2006/vcard/ns#fn').sort(), ['Open data office@en', 'Отдел открытых данных@ru'])
  assert.deepEqual(objects(quads, subject, `${dcat}theme`), ['http://publications.europa.eu/resource/authority/data-theme/ECON'])
  assert.deepEqual(objects(quads, subject, `${dct}accrualPeriodicity`), ['http://publications.europa.eu/resource/authority/frequency/MONTHLY'])
  assert.deepEqual(objects(quads, subject, `${dct}publisher`), ['http://localhost:3000/agencies/finance'])
  const [distribution] = objects(quads, subject, `${dcat}distribution`)
  assert.ok(distribution)
  assert.deepEqual(objects(quads, distribution, `${dct}format`), ['http://publications.europa.eu/resource/authority/file-type/CSV'])
  assert.deepEqual(objects(quads, distribution, `${dct}license`), ['https://creativecommons.org/licenses/by/4.0/'])
  const [period] = objects(quads, subject, `${dct}temporal`)
  assert.deepEqual(objects(quads, period!, `${dcat}startDate`), ['2024-01-01'])

  const json = await app.inject({ url: '/en/data/datasets/budget', headers: { accept: 'application/ld+json' } })
  assert.match(String(json.headers['content-type']), /application\/ld\+json/)
  assert.ok(JSON.parse(json.body)['@context'], 'compact JSON-LD with its context inline')
  const fromJson = await parseRdf(json.body, 'application/ld+json')
  assert.equal(fromJson.length, quads.length, 'the same triples in both formats')

  const html = await app.inject({ url: '/en/data/datasets/budget', headers: { accept: 'text/html,*/*' } })
  assert.match(String(html.headers['content-type']), /text\/html/)
  const redirect = await app.inject({ url: '/data/datasets/budget', headers: { accept: 'text/html', 'accept-language': 'ru' } })
  assert.equal(redirect.headers.location, '/ru/data/datasets/budget')
  assert.equal((await app.inject({ url: '/data/datasets/budget/dcat.ttl' })).statusCode, 200)
})

test('the catalog is DCAT-AP with its datasets, paged by hydra a hundred at a time', async (t) => {
  const { app, db, close } = await site()
  t.after(close)
  for (let i = 0; i < 100; i += 1) await makeDataset(db, 'finance', { name: `extra-${String(i).padStart(3, '0')}` }, null)
  const first = await parseRdf((await app.inject({ url: '/catalog.ttl' })).body, 'text/turtle')
  const catalog = 'http://localhost:3000/catalog'
  assert.deepEqual(objects(first, catalog, `${rdf}type`), [`${dcat}Catalog`])
  assert.equal(objects(first, catalog, `${dcat}dataset`).length, 100)
  const page = 'http://localhost:3000/catalog.ttl?page=1'
  assert.deepEqual(objects(first, page, `${hydra}totalItems`), ['101'])
  assert.deepEqual(objects(first, page, `${hydra}nextPage`), ['http://localhost:3000/catalog.ttl?page=2'])
  const second = await parseRdf((await app.inject({ url: '/catalog.jsonld?page=2' })).body, 'application/ld+json')
  assert.equal(objects(second, catalog, `${dcat}dataset`).length, 1)
})

test('an address cannot add triples to the catalog: links are kept as URLs write them, and what is stored is escaped on the way out', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'finance' })
    await makeAgency(db, { slug: 'health' })
    await makeDataset(db, 'health', { name: 'clinics' })
  })
  t.after(close)
  const hostile = "https://example.kz/a.csv> . <http://localhost:3000/data/datasets/clinics> <http://purl.org/dc/terms/title> 'Planted'@en . <x:y"
  // Given today, a link is taken as a browser reads it: its > and spaces percent-encoded.
  const datasetId = await makeDataset(db, 'finance', { name: 'budget' }, { url: hostile })
  const [stored] = await db.query<{ url: string }>('select url from data_resources where dataset_id = $1', [datasetId])
  assert.doesNotMatch(stored!.url, /[> ]/)
  // Stored before (or harvested through an older check): written out escaped.
  await db.query(`update data_resources set url = $1 where dataset_id = $2`, [hostile, datasetId])
  await db.query(`update datasets set contact_email = $1 where id = $2`, ['a>b@example.kz', datasetId])

  const turtle = await app.inject({ url: '/catalog.ttl' })
  assert.equal(turtle.statusCode, 200)
  const quads = await parseRdf(turtle.body, 'text/turtle')
  assert.deepEqual(objects(quads, 'http://localhost:3000/data/datasets/clinics', `${dct}title`).filter((title) => title.startsWith('Planted')), [])
  assert.ok(quads.every((q) => !q.subject.value.startsWith('x:')), 'no subject of the hostile address')
  const access = quads.filter((q) => q.predicate.value === `${dcat}accessURL`).map((q) => q.object.value)
  assert.ok(access.some((url) => url.startsWith('https://example.kz/a.csv%3E%20.%20%3Chttp')), access.join(' '))
  const jsonLd = await app.inject({ url: '/catalog.jsonld' })
  assert.equal(jsonLd.statusCode, 200)
  assert.ok((await parseRdf(jsonLd.body, 'application/ld+json')).length > 0)
  const one = await app.inject({ url: '/data/datasets/budget/dcat.ttl' })
  assert.equal(one.statusCode, 200)
  assert.ok((await parseRdf(one.body, 'text/turtle')).length > 0)
})
