import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../../helpers/app.ts'
import { editorToken } from '../../../helpers/users.ts'
import { makeAgency, makeDataset } from '../../../helpers/factories.ts'
import { appWithTable, ckanAction } from '../../../helpers/datastore.ts'

async function setup() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'stat' })
    await makeAgency(db, { slug: 'health' })
  })
  await makeDataset(testApp.db, 'stat', { name: 'prices' }, { url: 'https://stat.gov.kz/prices' })
  const [resource] = await testApp.db.query<{ id: string }>('select id from data_resources')
  return { ...testApp, resourceId: resource!.id, stat: await editorToken(testApp.db, 'stat'), health: await editorToken(testApp.db, 'health') }
}


const FIELDS = [{ id: 'code', type: 'text' }, { id: 'product', type: 'text' }, { id: 'price', type: 'numeric' }, { id: 'on', type: 'date' }]

test('a publisher creates a table through the API, upserts, updates and deletes records, as CKAN clients do', async (t) => {
  const { app, resourceId, stat, close } = await setup()
  t.after(close)
  const created = await ckanAction(app, 'datastore_create', stat, {
    resource_id: resourceId, fields: FIELDS, primary_key: 'code',
    records: [{ code: '01', product: 'Хлеб', price: 210.5, on: '2024-05-01' }, { code: '02', product: 'Молоко', price: 480, on: '01.05.2024' }],
  })
  assert.equal(created.status, 200, JSON.stringify(created.body))
  assert.deepEqual(created.body.result.primary_key, ['code'])
  const rows = async () => (await ckanAction(app, 'datastore_search', null, { resource_id: resourceId, sort: 'code' })).body.result.records
    .map((r: Record<string, unknown>) => [r.code, r.product, r.price, r.on])
  assert.deepEqual(await rows(), [['01', 'Хлеб', 210.5, '2024-05-01'], ['02', 'Молоко', 480, '2024-05-01']])

  const upserted = await ckanAction(app, 'datastore_upsert', stat, { resource_id: resourceId, records: [{ code: '02', price: 495 }, { code: '03', product: 'Сахар', price: 600 }] })
  assert.equal(upserted.status, 200, JSON.stringify(upserted.body))
  assert.deepEqual(await rows(), [['01', 'Хлеб', 210.5, '2024-05-01'], ['02', 'Молоко', 495, '2024-05-01'], ['03', 'Сахар', 600, null]])

  const duplicate = await ckanAction(app, 'datastore_upsert', stat, { resource_id: resourceId, method: 'insert', records: [{ code: '01', product: 'Again' }] })
  assert.equal(duplicate.status, 409)
  const missing = await ckanAction(app, 'datastore_upsert', stat, { resource_id: resourceId, method: 'update', records: [{ code: '99', price: 1 }] })
  assert.equal(missing.status, 409)
  assert.match(missing.body.error.records[0], /1 record|One record/)
  const badValue = await ckanAction(app, 'datastore_upsert', stat, { resource_id: resourceId, records: [{ code: '04', price: 'cheap' }] })
  assert.equal(badValue.status, 409)
  assert.match(badValue.body.error.records[0], /cheap/)
  const unknownColumn = await ckanAction(app, 'datastore_upsert', stat, { resource_id: resourceId, records: [{ code: '05', colour: 'red' }] })
  assert.equal(unknownColumn.status, 409)
  assert.ok(unknownColumn.body.error['records.0.colour'])
  assert.equal((await rows()).length, 3, 'refused writes changed nothing')

  const deleted = await ckanAction(app, 'datastore_delete', stat, { resource_id: resourceId, filters: { code: '03' } })
  assert.equal(deleted.status, 200)
  assert.deepEqual((await rows()).map((r: unknown[]) => r[0]), ['01', '02'])
  const info = await ckanAction(app, 'datastore_info', null, { id: resourceId })
  assert.equal(info.body.result.meta.count, 2)

  const dropped = await ckanAction(app, 'datastore_delete', stat, { resource_id: resourceId })
  assert.equal(dropped.status, 200)
  assert.equal((await ckanAction(app, 'datastore_search', null, { resource_id: resourceId })).status, 404)
})

test('only an editor of the dataset\'s body writes its table', async (t) => {
  const { app, db, resourceId, health, close } = await setup()
  t.after(close)
  const payload = { resource_id: resourceId, fields: FIELDS, records: [] }
  assert.equal((await ckanAction(app, 'datastore_create', null, payload)).status, 403)
  assert.equal((await ckanAction(app, 'datastore_create', health, payload)).status, 403)
  assert.equal((await ckanAction(app, 'datastore_delete', health, { resource_id: resourceId })).status, 403)
  const [row] = await db.query<{ count: number }>('select count(*)::int as count from data_datastore')
  assert.equal(row?.count, 0)
})

test('rows loaded from a file are numbered 1, 2, 3… in file order, and rows added later through the API go on from there', async (t) => {
  const { app, db, resourceId, close } = await appWithTable({ agency: 'stat', dataset: 'prices', fileName: 'prices.csv', content: 'code;product\n01;"Хлеб\nржаной"\n02;Молоко\n03;Сахар\n' })
  t.after(close)
  const token = await editorToken(db, 'stat')
  const inserted = await ckanAction(app, 'datastore_upsert', token, { resource_id: resourceId, method: 'insert', records: [{ code: '04', product: 'Соль' }] })
  assert.equal(inserted.status, 200, JSON.stringify(inserted.body))
  const records = (await ckanAction(app, 'datastore_search', null, { resource_id: resourceId, sort: '_id' })).body.result.records
  assert.deepEqual(records.map((r: Record<string, unknown>) => [r._id, r.code, r.product]), [[1, '01', 'Хлеб\nржаной'], [2, '02', 'Молоко'], [3, '03', 'Сахар'], [4, '04', 'Соль']])
})

test('a JSON file\'s records are numbered in file order too', async (t) => {
  const { app, db, resourceId, close } = await appWithTable({ agency: 'stat', dataset: 'prices', fileName: 'prices.json', content: JSON.stringify([{ code: '01' }, { code: '02' }]) })
  t.after(close)
  const token = await editorToken(db, 'stat')
  assert.equal((await ckanAction(app, 'datastore_upsert', token, { resource_id: resourceId, method: 'insert', records: [{ code: '03' }] })).status, 200)
  const records = (await ckanAction(app, 'datastore_search', null, { resource_id: resourceId, sort: '_id' })).body.result.records
  assert.deepEqual(records.map((r: Record<string, unknown>) => [r._id, r.code]), [[1, '01'], [2, '02'], [3, '03']])
})

test('no column is named __proto__ (records are plain objects): the API refuses the name, a file\'s header loses its underscores', async (t) => {
  const { app, resourceId, stat, close } = await setup()
  t.after(close)
  const refused = await ckanAction(app, 'datastore_create', stat, { resource_id: resourceId, fields: [{ id: '__proto__', type: 'text' }, { id: 'constructor', type: 'text' }] })
  assert.equal(refused.status, 409, JSON.stringify(refused.body))
  assert.ok(refused.body.error['fields.0.id'])

  const loaded = await appWithTable({ agency: 'stat', dataset: 'odd', fileName: 'odd.csv', content: '__proto__;constructor\np;x\n' })
  t.after(loaded.close)
  const found = await ckanAction(loaded.app, 'datastore_search', null, { resource_id: loaded.resourceId })
  assert.deepEqual(found.body.result.records, [{ _id: 1, proto__: 'p', constructor: 'x' }])
  assert.equal(Object.getPrototypeOf(found.body.result.records[0]), Object.prototype)
})

// ckanext/datastore/backend/postgres.py keeps each field's "info" (the data dictionary) and gives it back.
test('each column\'s info (the data dictionary) is kept and returned; naming a column again with info replaces it', async (t) => {
  const { app, resourceId, stat, close } = await setup()
  t.after(close)
  const created = await ckanAction(app, 'datastore_create', stat, {
    resource_id: resourceId,
    fields: [{ id: 'code', type: 'text', info: { label: 'Product code', notes: 'As in the classifier', unit: '', example: '01' } }, { id: 'price', type: 'numeric' }],
  })
  assert.equal(created.status, 200, JSON.stringify(created.body))
  const info = async () => (await ckanAction(app, 'datastore_info', null, { id: resourceId })).body.result.fields
  const [code, price] = await info()
  assert.deepEqual(code.info, { label: 'Product code', notes: 'As in the classifier', type_override: '', unit: '', example: '01' })
  assert.deepEqual(price.info, { label: '', notes: '', type_override: '' })
  const page = await app.inject({ url: `/en/data/datasets/prices` })
  assert.match(page.body, /Product code/, 'the label is the column\'s title on the pages')

  await ckanAction(app, 'datastore_create', stat, { resource_id: resourceId, fields: [{ id: 'price', type: 'numeric', info: { label: 'Price, tenge' } }] })
  const [, priced] = await info()
  assert.equal(priced.info.label, 'Price, tenge')
  assert.equal((await info())[0].info.example, '01', 'a column not named again keeps its info')
})

// ckanext/datastore/logic/action.py, datastore_create: "resource" makes a resource whose data is the
// table only (url_type "datastore"), its url the table's dump.
test('datastore_create with a resource dict makes a resource that lives only in the datastore; refused input leaves nothing', async (t) => {
  const { app, db, stat, close } = await setup()
  t.after(close)
  const resources = async () => (await db.query<{ n: number }>('select count(*)::int as n from data_resources'))[0]!.n
  const before = await resources()
  const refused = await ckanAction(app, 'datastore_create', stat, {
    resource: { package_id: 'prices', name: 'Prices' }, fields: [{ id: 'price', type: 'numeric' }], records: [{ price: 'not a number' }],
  })
  assert.equal(refused.status, 409)
  assert.equal(await resources(), before, 'no resource without its table')

  const created = await ckanAction(app, 'datastore_create', stat, {
    resource: { package_id: 'prices', name: 'Prices by day', description: 'Entered through the API' },
    fields: [{ id: 'product', type: 'text' }, { id: 'price', type: 'numeric' }], records: [{ product: 'Хлеб', price: 210.5 }],
  })
  assert.equal(created.status, 200, JSON.stringify(created.body))
  const id = created.body.result.resource_id
  const shown = (await ckanAction(app, 'resource_show', null, { id })).body.result
  assert.equal(shown.url_type, 'datastore')
  assert.match(shown.url, new RegExp(`/datastore/dump/${id}$`))
  assert.equal(shown.name, 'Prices by day')
  assert.equal(shown.datastore_active, true)
  const dump = await app.inject({ url: new URL(shown.url).pathname })
  assert.equal(dump.statusCode, 302)
  const csv = await app.inject({ url: String(dump.headers.location) })
  assert.match(csv.body, /Хлеб/)
  const download = await app.inject({ url: `/data/resources/${id}/download` })
  assert.equal(download.headers.location, `/data/resources/${id}/export.csv`)
  const rows = await ckanAction(app, 'datastore_search', null, { resource_id: id })
  assert.deepEqual(rows.body.result.records.map((r: { price: number }) => r.price), [210.5])
})

test('datastore_create guesses types from the first record as CKAN does, makes columns of its other keys, and takes aliases wherever a resource id goes', async (t) => {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'stat' })
  }, { datastoreSql: true })
  const { app, db, close } = testApp
  t.after(close)
  await makeDataset(db, 'stat', { name: 'prices' }, { url: 'https://stat.gov.kz/prices' })
  const [resource] = await db.query<{ id: string }>('select id from data_resources')
  const resourceId = resource!.id
  const stat = await editorToken(db, 'stat')

  const created = await ckanAction(app, 'datastore_create', stat, {
    resource_id: resourceId, aliases: 'prices-2024,prices_latest', fields: [{ id: 'code' }, { id: 'label', type: 'text' }],
    records: [{ code: '01', label: '7', price: 210.5, count: 3, measured: '2024-05-01T10:00:00', on: '2024-05-01', extra: { unit: 'kg' }, tags: ['bread'], fresh: true, note: 'Хлеб' }],
  })
  assert.equal(created.status, 200, JSON.stringify(created.body))
  const types = Object.fromEntries(created.body.result.fields.map((f: { id: string; type: string }) => [f.id, f.type]))
  assert.deepEqual(types, {
    code: 'int8', label: 'text', price: 'numeric', count: 'int8', measured: 'timestamp', on: 'timestamp', extra: 'json', tags: 'json', fresh: 'bool', note: 'text',
  })
  const first = (await ckanAction(app, 'datastore_search', null, { resource_id: 'prices-2024' })).body.result
  assert.equal(first.records[0].measured, '2024-05-01T10:00:00', 'a timestamp stays a timestamp')
  assert.deepEqual(first.records[0].extra, { unit: 'kg' })

  // A later create guesses nothing for columns the table has, and adds the new key's column.
  const more = await ckanAction(app, 'datastore_create', stat, { resource_id: 'prices_latest', records: [{ code: 2, label: 'x', weight: 1.5 }] })
  assert.equal(more.status, 200, JSON.stringify(more.body))
  assert.equal((await ckanAction(app, 'datastore_search', null, { resource_id: resourceId })).body.result.total, 2)

  const info = await ckanAction(app, 'datastore_info', null, { id: 'prices-2024' })
  assert.deepEqual(info.body.result.meta.aliases, ['prices-2024', 'prices_latest'])
  assert.equal(info.body.result.meta.id, resourceId)
  assert.equal((await ckanAction(app, 'datastore_upsert', stat, { resource_id: 'prices-2024', method: 'insert', records: [{ code: 3 }] })).status, 200)
  const sql = await app.inject({ method: 'POST', url: '/api/3/action/datastore_search_sql', payload: { sql: 'select count(*) as n from "prices-2024" a join datastore.prices_latest b using (_id)' } })
  assert.equal(sql.statusCode, 200, sql.body)
  assert.equal(sql.json().result.records[0].n, 3)
  assert.equal((await ckanAction(app, 'datastore_delete', stat, { resource_id: 'prices_latest', filters: { code: 3 } })).status, 200)
  assert.equal((await ckanAction(app, 'datastore_search', null, { resource_id: 'prices_latest' })).body.result.total, 2)

  // An alias is a name, not an id, and names one table.
  await makeDataset(db, 'stat', { name: 'wages' }, { url: 'https://stat.gov.kz/wages' })
  const [other] = await db.query<{ id: string }>('select id from data_resources where id <> $1', [resourceId])
  const taken = await ckanAction(app, 'datastore_create', stat, { resource_id: other!.id, aliases: ['prices-2024'], fields: [{ id: 'a', type: 'text' }] })
  assert.equal(taken.status, 409)
  assert.match(JSON.stringify(taken.body.error), /prices-2024/)
  const badName = await ckanAction(app, 'datastore_create', stat, { resource_id: other!.id, aliases: 'a b', fields: [{ id: 'a', type: 'text' }] })
  assert.equal(badName.status, 409)
  assert.equal((await ckanAction(app, 'datastore_search', null, { resource_id: 'no-such-alias' })).status, 404)
})
