import { test } from 'node:test'
import assert from 'node:assert/strict'
import { appWithTable, ckanAction } from '../../../helpers/datastore.ts'
import type { FastifyInstance } from 'fastify'
import { readOnly } from '../../../../src/modules/data/datastore/query.ts'

const CSV = `region;year;population;share;counted_on
Астана;2022;1350228;6.9;01.01.2022
Астана;2023;1354556;6.8;01.01.2023
Алматы;2022;2161819;11.0;01.01.2022
Алматы;2023;2228675;11.2;01.01.2023
Шымкент;2023;1176520;5.9;
Абайская область;2023;607532;3.1;01.01.2023
`

const setup = () => appWithTable({ agency: 'stat', dataset: 'population', fileName: 'population.csv', content: CSV })

async function search(app: FastifyInstance, params: Record<string, unknown>, method: 'GET' | 'POST' = 'POST') {
  if (method === 'POST') return ckanAction(app, 'datastore_search', null, params)
  const response = await app.inject({ method, url: `/api/3/action/datastore_search?${new URLSearchParams(params as Record<string, string>).toString()}`, headers: { 'accept-language': 'en' } })
  return { status: response.statusCode, body: response.json() }
}

test('datastore_search answers as CKAN 2.10 does: records, fields, total, links', async (t) => {
  const { app, resourceId, close } = await setup()
  t.after(close)
  const { status, body } = await search(app, { resource_id: resourceId, limit: 2 })
  assert.equal(status, 200)
  assert.equal(body.success, true)
  const result = body.result
  assert.equal(result.total, 6)
  assert.equal(result.limit, 2)
  assert.equal(result.records_format, 'objects')
  assert.deepEqual(result.fields.map((f: { id: string; type: string }) => [f.id, f.type]), [
    ['_id', 'int'], ['region', 'text'], ['year', 'int8'], ['population', 'int8'], ['share', 'numeric'], ['counted_on', 'date'],
  ])
  assert.deepEqual(result.records[0], { _id: 1, region: 'Астана', year: 2022, population: 1350228, share: 6.9, counted_on: '2022-01-01' })
  assert.equal(result.records.length, 2)
  assert.match(result._links.next, /offset=2/)

  const next = await search(app, { resource_id: resourceId, limit: '2', offset: '2' }, 'GET')
  assert.deepEqual(next.body.result.records.map((r: { _id: number }) => r._id), [3, 4])
})

test('every type comes back as JSON gives it, alike on both databases: big integers, decimals, booleans, dates, timestamps, nulls', async (t) => {
  const { app, resourceId, close } = await appWithTable({
    agency: 'stat', dataset: 'payments', fileName: 'payments.csv',
    content: 'code;amount;paid;paid_on;registered_at\n'
      + '9007199254740993;1234.50;true;2024-05-01;2024-05-01 10:00:00\n'
      + '42;-0.125;false;2024-12-31;2024-05-01 10:00:00.25\n'
      + ';;;;\n',
  })
  t.after(close)
  const { status, body } = await search(app, { resource_id: resourceId })
  assert.equal(status, 200, JSON.stringify(body))
  assert.deepEqual(body.result.fields.map((f: { id: string; type: string }) => [f.id, f.type]), [
    ['_id', 'int'], ['code', 'int8'], ['amount', 'numeric'], ['paid', 'bool'], ['paid_on', 'date'], ['registered_at', 'timestamp'],
  ])
  assert.deepEqual(body.result.records, [
    // Beyond 2^53 an integer is given as its digits rather than rounded.
    { _id: 1, code: '9007199254740993', amount: 1234.5, paid: true, paid_on: '2024-05-01', registered_at: '2024-05-01T10:00:00' },
    { _id: 2, code: 42, amount: -0.125, paid: false, paid_on: '2024-12-31', registered_at: '2024-05-01T10:00:00.25' },
    { _id: 3, code: null, amount: null, paid: null, paid_on: null, registered_at: null },
  ])
  const lists = await search(app, { resource_id: resourceId, records_format: 'lists', fields: 'paid,registered_at', filters: { paid: true } })
  assert.deepEqual(lists.body.result.records, [[true, '2024-05-01T10:00:00']])
})

test('filters, q, fields, sort, distinct and the record formats', async (t) => {
  const { app, resourceId, close } = await setup()
  t.after(close)
  const filtered = await search(app, { resource_id: resourceId, filters: { year: 2023, region: ['Астана', 'Алматы'] }, fields: ['region', 'population'], sort: 'population desc' })
  assert.equal(filtered.status, 200, JSON.stringify(filtered.body))
  assert.deepEqual(filtered.body.result.records, [{ region: 'Алматы', population: 2228675 }, { region: 'Астана', population: 1354556 }])
  assert.equal(filtered.body.result.total, 2)

  const viaGet = await search(app, { resource_id: resourceId, filters: JSON.stringify({ region: 'Шымкент' }), fields: 'region,counted_on' }, 'GET')
  assert.deepEqual(viaGet.body.result.records, [{ region: 'Шымкент', counted_on: null }])

  const words = await search(app, { resource_id: resourceId, q: 'абай обл' })
  assert.deepEqual(words.body.result.records.map((r: { region: string }) => r.region), ['Абайская область'])
  const perColumn = await search(app, { resource_id: resourceId, q: { region: 'алм' }, fields: 'year' })
  assert.deepEqual(perColumn.body.result.records, [{ year: 2022 }, { year: 2023 }])

  const distinct = await search(app, { resource_id: resourceId, fields: 'year', distinct: true, sort: 'year' })
  assert.deepEqual(distinct.body.result.records, [{ year: 2022 }, { year: 2023 }])
  assert.equal(distinct.body.result.total, 2)

  const lists = await search(app, { resource_id: resourceId, fields: 'region,year', limit: 1, records_format: 'lists' })
  assert.deepEqual(lists.body.result.records, [['Астана', 2022]])
  const csv = await search(app, { resource_id: resourceId, fields: 'region,share', limit: 2, records_format: 'csv' })
  assert.equal(csv.body.result.records, 'Астана,6.9\nАстана,6.8\n')
})

test('datastore_info gives the columns and the count; resource_show says the datastore is active', async (t) => {
  const { app, resourceId, close } = await setup()
  t.after(close)
  const info = (await app.inject({ url: `/api/3/action/datastore_info?id=${resourceId}` })).json()
  assert.equal(info.result.meta.count, 6)
  assert.deepEqual(info.result.fields.map((f: { id: string }) => f.id), ['region', 'year', 'population', 'share', 'counted_on'])
  const resource = (await app.inject({ url: `/api/3/action/resource_show?id=${resourceId}` })).json()
  assert.equal(resource.result.datastore_active, true)
  const missing = await app.inject({ url: '/api/3/action/datastore_search?resource_id=00000000-0000-4000-8000-000000000000' })
  assert.equal(missing.statusCode, 404)
  assert.equal(missing.json().error.__type, 'Not Found Error')
})

test('SQL in filters, sort, fields and q is refused or taken as a plain value, and nothing changes', async (t) => {
  const { app, db, resourceId, close } = await setup()
  t.after(close)
  const refused: Array<[Record<string, unknown>, string]> = [
    [{ filters: { 'region" = region; drop table datasets; --': 'x' } }, 'filters.region" = region; drop table datasets; --'],
    [{ filters: { year: '2023; drop table datasets' } }, 'filters.year'],
    [{ filters: { year: "2023' or '1'='1" } }, 'filters.year'],
    [{ sort: 'year; drop table datasets' }, 'sort'],
    [{ sort: '(select pg_sleep(5))' }, 'sort'],
    [{ sort: 'year desc nulls first, region' }, 'sort'],
    [{ fields: ['region', 'pg_sleep(5)'] }, 'fields'],
    [{ fields: 'region,(select password_hash from accounts)' }, 'fields'],
    [{ q: { 'region) or true or (region': 'x' } }, 'q.region) or true or (region'],
    [{ filters: '{"year": [2023, {"$gt": 1}]}' }, 'filters'],
  ]
  for (const [params, field] of refused) {
    const { status, body } = await search(app, { resource_id: resourceId, ...params })
    assert.equal(status, 409, `${JSON.stringify(params)}: ${JSON.stringify(body)}`)
    assert.equal(body.error.__type, 'Validation Error')
    assert.ok(body.error[field], `${JSON.stringify(params)} names ${field}: ${JSON.stringify(body.error)}`)
  }
  const asValues = [
    { filters: { region: "Астана'; drop table datasets; --" } },
    { q: "'):* | !x & (select 1)" },
    { q: "астана'; delete from data_resources; --" },
  ]
  for (const params of asValues) {
    const { status, body } = await search(app, { resource_id: resourceId, ...params })
    assert.equal(status, 200, JSON.stringify(body))
    assert.equal(body.result.records.length, 0)
  }
  const [counts] = await db.query<{ datasets: number; rows: number }>(
    `select (select count(*)::int from datasets) as datasets, (select count(*)::int from datastore."${resourceId}") as rows`)
  assert.deepEqual(counts, { datasets: 1, rows: 6 })
  const notTable = await search(app, { resource_id: 'accounts' })
  assert.equal(notTable.status, 404)
})

test('what the datastore runs for the public cannot write, whatever reaches it', async (t) => {
  const { db, close } = await setup()
  t.after(close)
  await assert.rejects(readOnly(db, (tx) => tx.query('delete from datasets')), /read-only transaction/)
  await assert.rejects(readOnly(db, (tx) => tx.query('create table datastore.planted (x int)')), /read-only transaction/)
  // With its time limit and day-first dates, and only inside: the site's own statements keep theirs.
  const settings = `select current_setting('transaction_read_only') as ro, current_setting('statement_timeout') as timeout, current_setting('DateStyle') as style`
  assert.deepEqual(await readOnly(db, (tx) => tx.query(settings)), [{ ro: 'on', timeout: '10s', style: 'ISO, DMY' }])
  assert.deepEqual(await db.query(settings), [{ ro: 'off', timeout: '0', style: 'ISO, MDY' }])
  const [row] = await db.query<{ count: number }>('select count(*)::int as count from datasets')
  assert.equal(row?.count, 1)
})

// ckanext/datastore/backend/postgres.py (search_data, _textsearch_query) and logic/schema.py.
test('q adds CKAN\'s rank column and orders by it; plain: false takes tsquery syntax; limit above the cap is lowered; _links has prev', async (t) => {
  const { app, resourceId, close } = await setup()
  t.after(close)
  const ranked = await search(app, { resource_id: resourceId, q: 'Алматы 2023' })
  assert.equal(ranked.status, 200, JSON.stringify(ranked.body))
  assert.deepEqual(ranked.body.result.fields.at(-1), { id: 'rank', type: 'float' })
  assert.equal(ranked.body.result.records.length, 1)
  assert.equal(typeof ranked.body.result.records[0].rank, 'number')
  const byRank = await search(app, { resource_id: resourceId, q: 'Астана | 2022', plain: false })
  assert.equal(byRank.status, 200, JSON.stringify(byRank.body))
  const ranks = byRank.body.result.records.map((r: { rank: number }) => r.rank)
  assert.equal(ranks.length, 3, 'Астана or 2022: rows 1, 2 and 3')
  assert.deepEqual(ranks, [...ranks].sort((a: number, b: number) => b - a), 'best first')
  assert.equal(byRank.body.result.records[0].region, 'Астана', 'the row with both words first')
  const perColumn = await search(app, { resource_id: resourceId, q: { region: 'Шымкент' } })
  assert.deepEqual(Object.keys(perColumn.body.result.records[0]).at(-1), 'rank region')
  const badSyntax = await search(app, { resource_id: resourceId, q: 'Астана &', plain: false })
  assert.equal(badSyntax.status, 409, 'a tsquery the database cannot read is the asker\'s error')

  const many = await search(app, { resource_id: resourceId, limit: 1_000_000 })
  assert.equal(many.status, 200)
  assert.equal(many.body.result.limit, 32_000)
  const second = await search(app, { resource_id: resourceId, limit: 2, offset: 3 })
  assert.match(second.body.result._links.prev, /offset=1/)
  assert.equal((await search(app, { resource_id: resourceId, limit: 2 })).body.result._links.prev, undefined)
})

test('json and list columns: made with CKAN\'s type names, given back as JSON, refused as filters with a reason', async (t) => {
  const { createTestApp } = await import('../../../helpers/app.ts')
  const { editorToken } = await import('../../../helpers/users.ts')
  const { makeAgency, makeDataset } = await import('../../../helpers/factories.ts')
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'stat' })
    await makeDataset(db, 'stat', { name: 'places' }, { url: 'https://stat.gov.kz/places' })
  })
  t.after(close)
  const token = await editorToken(db, 'stat')
  const [resource] = await db.query<{ id: string }>('select id from data_resources')
  const created = await ckanAction(app, 'datastore_create', token, {
    resource_id: resource!.id,
    fields: [{ id: 'name', type: 'text' }, { id: 'geometry', type: 'json' }, { id: 'tags', type: '_text' }, { id: 'counts', type: 'int[]' }, { id: 'shares', type: '_numeric' }],
    records: [{ name: 'Астана', geometry: { type: 'Point', coordinates: [71.43, 51.13] }, tags: ['capital', 'city, "big"'], counts: [1, 2], shares: [0.5, 1.25] }],
  })
  assert.equal(created.status, 200, JSON.stringify(created.body))
  const found = await ckanAction(app, 'datastore_search', null, { resource_id: resource!.id })
  assert.deepEqual(found.body.result.fields.map((f: { id: string; type: string }) => [f.id, f.type]), [
    ['_id', 'int'], ['name', 'text'], ['geometry', 'json'], ['tags', '_text'], ['counts', '_int8'], ['shares', '_numeric'],
  ])
  assert.deepEqual(found.body.result.records[0], {
    _id: 1, name: 'Астана', geometry: { type: 'Point', coordinates: [71.43, 51.13] }, tags: ['capital', 'city, "big"'], counts: [1, 2], shares: [0.5, 1.25],
  })
  const lists = await ckanAction(app, 'datastore_search', null, { resource_id: resource!.id, records_format: 'lists' })
  assert.deepEqual(lists.body.result.records[0][3], ['capital', 'city, "big"'])
  const filtered = await ckanAction(app, 'datastore_search', null, { resource_id: resource!.id, filters: { tags: 'capital' } })
  assert.equal(filtered.status, 409)
  assert.match(JSON.stringify(filtered.body.error), /holds JSON or lists/)
  const searched = await ckanAction(app, 'datastore_search', null, { resource_id: resource!.id, q: 'capital' })
  assert.equal(searched.body.result.records.length, 1, 'q finds words inside lists')
  const exported = await app.inject({ url: `/data/resources/${resource!.id}/export.json` })
  assert.deepEqual(JSON.parse(exported.body)[0].geometry, { type: 'Point', coordinates: [71.43, 51.13] })
})

test('total_estimation_threshold: a filtered total the planner expects to reach it is its estimate, said so; below it, a count', async (t) => {
  const { app, resourceId, close } = await setup()
  t.after(close)
  const filtered = { resource_id: resourceId, filters: { region: 'Астана' } }
  const counted = (await search(app, { ...filtered, total_estimation_threshold: 1_000_000 })).body.result
  assert.deepEqual([counted.total, counted.total_was_estimated, counted.total_estimation_threshold], [2, false, 1_000_000])
  const estimated = (await search(app, { ...filtered, total_estimation_threshold: 0 })).body.result
  assert.equal(estimated.total_was_estimated, true)
  assert.ok(Number.isInteger(estimated.total) && estimated.total >= 0, `the planner's estimate: ${estimated.total}`)
  assert.equal(estimated.records.length, 2, 'the rows are the rows, whatever the total')
  const whole = (await search(app, { resource_id: resourceId, total_estimation_threshold: 0 })).body.result
  assert.deepEqual([whole.total, whole.total_was_estimated], [6, false], 'a whole table\'s count is known, never estimated')
})
