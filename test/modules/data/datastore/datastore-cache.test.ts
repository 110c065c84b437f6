import { test } from 'node:test'
import assert from 'node:assert/strict'
import { appWithTable, ckanAction } from '../../../helpers/datastore.ts'
import { replaceResourceFile } from '../../../helpers/factories.ts'
import { liveTable, runDatastoreLoads } from '../../../../src/modules/data/datastore/ingest.ts'

// datastore_search keeps tables' dictionaries in memory; these changes are made in the database
// directly, as another process of the site would make them, and must show at once.

const setup = () => appWithTable({ agency: 'stat', dataset: 'prices', fileName: 'prices.csv', content: 'code;product;price\n01;Хлеб;210\n02;Молоко;480\n' })

const search = (app: Awaited<ReturnType<typeof setup>>['app'], params: Record<string, unknown>) => ckanAction(app, 'datastore_search', null, params)

test('a remembered dictionary gives way to a newer one: column titles, a new file with other columns, row counts', async (t) => {
  const { app, db, files, resourceId, close } = await setup()
  t.after(close)
  const first = await search(app, { resource_id: resourceId })
  assert.equal(first.status, 200)
  assert.equal(first.body.result.total, 2)
  assert.equal(first.body.result.fields.find((f: { id: string }) => f.id === 'price').info.label, '')

  // A title given to a column elsewhere.
  await db.query(`update data_datastore set fields = jsonb_set(fields, '{2,title}', '{"en": "Price, tenge"}') where resource_id = $1`, [resourceId])
  const titled = await search(app, { resource_id: resourceId })
  assert.equal(titled.body.result.fields.find((f: { id: string }) => f.id === 'price').info.label, 'Price, tenge')

  // A new file with other columns and more rows.
  await replaceResourceFile(db, files, resourceId, 'prices.csv', 'code;product;price;unit\n01;Хлеб;210;шт\n02;Молоко;480;л\n03;Сахар;600;кг\n')
  await runDatastoreLoads({ db, files })
  const reloaded = await search(app, { resource_id: resourceId, filters: { unit: 'кг' } })
  assert.equal(reloaded.status, 200, JSON.stringify(reloaded.body))
  assert.deepEqual(reloaded.body.result.records.map((r: Record<string, unknown>) => r.product), ['Сахар'])
  assert.equal((await search(app, { resource_id: resourceId })).body.result.total, 3)
})

test('a remembered table is not served once its dataset or resource is withdrawn, and empty answers stay empty', async (t) => {
  const { app, db, datasetId, resourceId, close } = await setup()
  t.after(close)
  assert.equal((await search(app, { resource_id: resourceId })).status, 200)
  const none = await search(app, { resource_id: resourceId, filters: { code: '99' } })
  assert.equal(none.status, 200)
  assert.deepEqual(none.body.result.records, [])
  assert.equal(none.body.result.total, 0)

  await db.query(`update datasets set state = 'deleted' where id = $1`, [datasetId])
  assert.equal((await search(app, { resource_id: resourceId })).status, 404)
  await db.query(`update datasets set state = 'active' where id = $1`, [datasetId])
  assert.equal((await search(app, { resource_id: resourceId })).status, 200)
  await db.query(`update data_resources set state = 'deleted' where id = $1`, [resourceId])
  assert.equal((await search(app, { resource_id: resourceId })).status, 404)
})

test('every change to a datastore record, or to whether its resource and dataset are live, moves its version on', async (t) => {
  const { db, datasetId, resourceId, close } = await setup()
  t.after(close)
  const version = async () => Number((await db.query<{ version: string }>('select version from data_datastore where resource_id = $1', [resourceId]))[0]!.version)
  let expected = await version()
  const moves = async (sql: string, params: unknown[], by: number) => {
    await db.query(sql, params as never)
    expected += by
    assert.equal(await version(), expected, sql)
  }
  await moves('update data_datastore set default_chart = null where resource_id = $1', [resourceId], 1)
  await moves(`update datasets set state = 'deleted' where id = $1`, [datasetId], 1)
  await moves(`update datasets set state = 'active' where id = $1`, [datasetId], 1)
  await moves(`update data_resources set state = 'deleted' where id = $1`, [resourceId], 1)
  // Edits that leave the table as readable as it was leave the number alone.
  await moves(`update datasets set views_total = views_total + 1 where id = $1`, [datasetId], 0)
  await moves(`update data_resources set state = 'deleted' where id = $1`, [resourceId], 0)
})

test('a filtered total is counted once for each version of the table, and counted again when the rows change', async (t) => {
  const { app, db, resourceId, close } = await setup()
  t.after(close)
  const bread = async () => (await search(app, { resource_id: resourceId, filters: { product: 'Хлеб' }, limit: 1 })).body.result
  assert.equal((await bread()).total, 1)
  assert.equal((await bread()).total, 1)
  // A row put in behind the version's back, only to see whether the count is made again: it is not,
  // while the rows' own statement sees the row.
  await db.query(`insert into ${liveTable(resourceId)} (_id, code, product, price) values (3, '03', 'Хлеб', 220)`)
  const remembered = await search(app, { resource_id: resourceId, filters: { product: 'Хлеб' } })
  assert.equal(remembered.body.result.records.length, 2)
  assert.equal(remembered.body.result.total, 1)
  // Every write moves the version in its transaction (as datastore_upsert's does): the next search counts.
  await db.query('update data_datastore set row_count = row_count + 1 where resource_id = $1', [resourceId])
  assert.equal((await bread()).total, 2)
  // Another filter, another count; a page further on takes the same count.
  assert.equal((await search(app, { resource_id: resourceId, filters: { product: 'Молоко' } })).body.result.total, 1)
  assert.equal((await search(app, { resource_id: resourceId, filters: { product: 'Хлеб' }, limit: 1, offset: 1 })).body.result.total, 2)
})
