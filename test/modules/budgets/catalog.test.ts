import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LINES, setup } from './fixture.ts'
import { runDatastoreLoads } from '../../../src/modules/data/datastore/ingest.ts'
import { titleBudgetTables } from '../../../src/modules/budgets/catalog.ts'
import { listBudgets } from '../../../src/modules/budgets/service.ts'

test('every imported budget is a dataset of the catalog, its totals a datastore table read through CKAN\'s API, refreshed by each import and untouched by a refused one', async (t) => {
  const { app, db, files, headers, keeper, close } = await setup()
  t.after(close)
  const ckan = async (action: string, query: Record<string, string>) => {
    const response = await app.inject({ url: `/api/3/action/${action}?${new URLSearchParams(query)}` })
    assert.equal(response.statusCode, 200, response.body)
    return response.json().result
  }
  const upload = (content: string) => {
    const form = new FormData()
    form.append('file', new Blob([content], { type: 'text/csv' }), 'lines.csv')
    return app.inject({ method: 'PUT', url: '/api/budgets/republican-2026/lines', payload: form, headers: headers(keeper) })
  }
  const shown = await ckan('package_show', { id: 'budget-republican-2026' })
  assert.equal(shown.organization.name, 'ministry-of-finance', 'published by the budget\'s keeper')
  assert.equal(shown.title_translated.ru, 'Республика Казахстан: бюджет на 2026 год, план и исполнение')
  assert.equal(shown.resources.length, 1)
  assert.equal(shown.resources[0].format, 'CSV')
  const resource = shown.resources[0].id as string

  await runDatastoreLoads({ db, files })
  // Its columns titled in each language once loaded, and only then.
  assert.equal(await titleBudgetTables(db, await listBudgets(db)), 1)
  assert.equal(await titleBudgetTables(db, await listBudgets(db)), 0, 'titled already')
  const info = await app.inject({ url: `/api/3/action/datastore_search?resource_id=${resource}&limit=0`, headers: { 'accept-language': 'ru' } })
  assert.equal(info.json().result.fields.find((f: { id: string }) => f.id === 'approved').info.label, 'Утверждённый, тенге')
  const programme = async () => (await ckan('datastore_search', { resource_id: resource, filters: JSON.stringify({ dimension: 'administrative', code: '226 002' }) })).records
  const [medicines] = await programme()
  assert.equal(Number(medicines.approved), 1000)
  assert.equal(medicines.name_en, 'Medicines')
  assert.equal(medicines.name_ru, 'Лекарственное обеспечение')
  const whole = await ckan('datastore_search', { resource_id: resource, filters: JSON.stringify({ dimension: 'functional', depth: 1 }) })
  assert.equal(whole.records.reduce((sum: number, r: { approved: string }) => sum + Number(r.approved), 0), 1900, 'the groups sum to the budget')

  // A new import of the approved plan: the same dataset and resource, its table the new figures.
  const changed = await upload(LINES.replace('121,approved,Y,1000.00', '121,approved,Y,1200.00'))
  assert.equal(changed.statusCode, 200, changed.body)
  assert.equal(changed.json().dataset, 'budget-republican-2026')
  await runDatastoreLoads({ db, files })
  const again = await ckan('package_show', { id: 'budget-republican-2026' })
  assert.deepEqual(again.resources.map((r: { id: string }) => r.id), [resource])
  assert.equal(Number((await programme())[0].approved), 1200)
  assert.equal(await titleBudgetTables(db, await listBudgets(db)), 0, 'a reload keeps the titles')

  // A refused import changes neither the budget nor its dataset.
  const before = again.resources[0].hash
  assert.equal((await upload(`${LINES}\nexpense,05 9 226 002,121,approved,Y,not-a-number,,,`)).statusCode, 400)
  assert.equal((await ckan('package_show', { id: 'budget-republican-2026' })).resources[0].hash, before)
})
