import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../../helpers/app.ts'
import { makeAgency, makeDataset, uploadResource } from '../../../helpers/factories.ts'
import { runDatastoreLoads } from '../../../../src/modules/data/datastore/ingest.ts'
import { appWithTable } from '../../../helpers/datastore.ts'
import { showDataset } from '../../../../src/modules/data/catalog/service.ts'
import { signedInBrowser, editorToken } from '../../../helpers/users.ts'
import ExcelJS from 'exceljs'

const rows = ['school;region;pupils;opened']
for (let i = 1; i <= 120; i += 1) rows.push(`Школа №${i};${i % 2 ? 'Астана' : 'Алматы'};${100 + i};${String((i % 28) + 1).padStart(2, '0')}.09.19${50 + (i % 50)}`)
const CSV = `${rows.join('\n')}\n`

async function setup() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'edu' })
  })
  const datasetId = await makeDataset(testApp.db, 'edu', { name: 'schools' }, null)
  const resourceId = await uploadResource(testApp.db, testApp.files, datasetId, 'schools.csv', CSV)
  return { ...testApp, datasetId, resourceId, path: `/en/data/datasets/schools/resources/${resourceId}` }
}

test('the dataset page shows how far a table is, and links the table once it is loaded', async (t) => {
  const { app, db, files, resourceId, close } = await setup()
  t.after(close)
  const before = (await app.inject({ url: '/en/data/datasets/schools' })).body
  assert.match(before, /Waiting to be loaded/)
  assert.doesNotMatch(before, new RegExp(`resources/${resourceId}"`))
  await runDatastoreLoads({ db, files })
  const after = (await app.inject({ url: '/en/data/datasets/schools' })).body
  assert.match(after, /Loaded<\/strong>\s*120 rows/)
  assert.match(after, new RegExp(`href="/en/data/datasets/schools/resources/${resourceId}"`))
})

test('the table view pages, sorts, searches and filters on the server, without JavaScript', async (t) => {
  const { app, db, files, path, close } = await setup()
  t.after(close)
  await runDatastoreLoads({ db, files })
  const first = await app.inject({ url: path })
  assert.equal(first.statusCode, 200)
  assert.match(first.body, /Rows 1–50 of 120/)
  assert.match(first.body, /Школа №1</)
  assert.match(first.body, /href="[^"]*page=3"/)

  const third = (await app.inject({ url: `${path}?page=3` })).body
  assert.match(third, /Rows 101–120 of 120/)

  const sorted = (await app.inject({ url: `${path}?sort=pupils&dir=desc` })).body
  assert.match(sorted, /aria-sort="descending"/)
  assert.ok(sorted.indexOf('>220<') < sorted.indexOf('>219<'), 'the biggest school comes first')

  // "119" is school 119's number and school 19's pupils.
  const searched = (await app.inject({ url: `${path}?q=${encodeURIComponent('школа 119')}` })).body
  assert.match(searched, /Rows 1–2 of 2/)
  assert.match(searched, /Школа №119</)
  assert.match(searched, /Школа №19</)

  const filtered = (await app.inject({ url: `${path}?${new URLSearchParams({ 'f.region': 'Алматы', 'f.pupils': '102' })}` })).body
  assert.match(filtered, /Row 1 of 1/)
  assert.match(filtered, /Школа №2</)

  const wrong = await app.inject({ url: `${path}?${new URLSearchParams({ 'f.pupils': 'many' })}` })
  assert.equal(wrong.statusCode, 400)
  assert.match(wrong.body, /govuk-error-summary/)
  assert.match(wrong.body, /pupils: &quot;many&quot; is not a whole number|pupils: "many" is not a whole number/)
  assert.match(wrong.body, /href="#f.pupils"/)
})

test('exports stream the whole table or the filtered rows as CSV and JSON', async (t) => {
  const { app, db, files, resourceId, datasetId, close } = await setup()
  t.after(close)
  await runDatastoreLoads({ db, files })
  const csv = await app.inject({ url: `/data/resources/${resourceId}/export.csv` })
  assert.equal(csv.statusCode, 200)
  assert.match(csv.headers['content-type'] as string, /text\/csv/)
  const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\n')
  assert.equal(lines.length, 121)
  assert.equal(lines[0], 'school,region,pupils,opened')
  assert.equal(lines[1], 'Школа №1,Астана,101,1951-09-02')

  const json = await app.inject({ url: `/data/resources/${resourceId}/export.json?${new URLSearchParams({ 'f.region': 'Астана', sort: 'pupils', dir: 'desc' })}` })
  const records = json.json() as Array<{ school: string; pupils: number }>
  assert.equal(records.length, 60)
  assert.deepEqual(records[0], { school: 'Школа №119', region: 'Астана', pupils: 219, opened: '1969-09-08' })

  const xlsx = await app.inject({ url: `/data/resources/${resourceId}/export.xlsx?${new URLSearchParams({ 'f.region': 'Астана', sort: 'pupils', dir: 'desc' })}` })
  assert.equal(xlsx.statusCode, 200)
  assert.match(String(xlsx.headers['content-disposition']), /\.xlsx/)
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
  const sheet = book.worksheets[0]!
  assert.equal(sheet.rowCount, 61, 'the heading and the 60 rows of the filter')
  assert.deepEqual((sheet.getRow(1).values as unknown[]).slice(1), ['school', 'region', 'pupils', 'opened'])
  const first = (sheet.getRow(2).values as unknown[]).slice(1)
  assert.deepEqual(first.slice(0, 3), ['Школа №119', 'Астана', 219])
  assert.ok(first[3] instanceof Date, 'dates are spreadsheet dates')
  assert.equal((first[3] as Date).toISOString().slice(0, 10), '1969-09-08')

  const refused = await app.inject({ url: `/data/resources/${resourceId}/export.csv?sort=nothing` })
  assert.equal(refused.statusCode, 400)
  const dataset = await showDataset(db, datasetId)
  assert.equal(dataset.resources[0]!.datastore?.rowCount, 120)
})

test('exports neutralise text that a spreadsheet would run as a formula, and leave numbers as they are', async (t) => {
  const { app, resourceId, close } = await appWithTable({ agency: 'stat', dataset: 'formulas', fileName: 'f.csv',
    content: 'note;amount\n"=HYPERLINK(""http://evil.example"",""click"")";-5\n+cmd|calc;7\n@SUM(A1);-1.5\nплан;3\n' })
  t.after(close)
  const csv = await app.inject({ url: `/data/resources/${resourceId}/export.csv` })
  assert.deepEqual(csv.body.replace(/^\uFEFF/, '').trim().split('\n').slice(1), [
    `"'=HYPERLINK(""http://evil.example"",""click"")",-5`, "'+cmd|calc,7", "'@SUM(A1),-1.5", 'план,3',
  ])
  const api = await app.inject({ url: `/api/3/action/datastore_search?resource_id=${resourceId}&records_format=csv&fields=note,amount` })
  assert.match(api.json().result.records, /^"'=HYPERLINK/)
  assert.match(api.json().result.records, /\n'\+cmd\|calc,7\n/)
  // A spreadsheet's text cell is never a formula: the value stays as it was.
  const xlsx = await app.inject({ url: `/data/resources/${resourceId}/export.xlsx` })
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
  const cell = book.worksheets[0]!.getCell('A2')
  assert.equal(cell.type, ExcelJS.ValueType.String)
  assert.equal(cell.value, '=HYPERLINK("http://evil.example","click")')
})

test('an editor uploads a table through the form, then names its columns in three languages and changes a type', async (t) => {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'edu' })
    await makeAgency(db, { slug: 'health' })
  })
  t.after(testApp.close)
  const { app, db, files } = testApp
  await makeDataset(db, 'edu', { name: 'schools' }, null)
  const editor = await signedInBrowser(app, db, 'agency-editor', 'edu')
  const uploaded = await editor.postFile('/en/data/datasets/schools/resources/new', { 'name.en': 'Schools', url: '', format: '' }, { field: 'file', name: 'schools.csv', content: CSV, type: 'text/csv' })
  assert.equal(uploaded.statusCode, 303, uploaded.body)
  await runDatastoreLoads({ db, files })
  const [{ id } = { id: '' }] = await db.query<{ id: string }>('select resource_id as id from data_datastore')
  const path = `/en/data/datasets/schools/resources/${id}`
  assert.match((await editor.get(path)).body, new RegExp(`href="${path}/dictionary"`))

  const form = await editor.get(`${path}/dictionary`)
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /<legend[^>]*>\s*pupils\s*<\/legend>/)
  const fields: Record<string, string> = { 'c0.type': 'text', 'c1.type': 'text', 'c2.type': 'integer', 'c3.type': 'date' }
  Object.assign(fields, { 'c2.title.en': 'Pupils', 'c2.title.ru': 'Учащиеся', 'c2.title.kk': 'Оқушылар', 'c2.description.en': 'On 1 September' })
  const wrong = await editor.post(`${path}/dictionary`, { ...fields, 'c0.type': 'integer' })
  assert.equal(wrong.statusCode, 400)
  assert.match(wrong.body, /is not a whole number/)
  assert.match(wrong.body, /href="#c0.type"/)

  const saved = await editor.post(`${path}/dictionary`, { ...fields, 'c2.type': 'text' })
  assert.equal(saved.statusCode, 303, saved.body)
  const ru = (await app.inject({ url: path.replace('/en/', '/ru/') })).body
  assert.match(ru, />Учащиеся<span/)
  const info = (await app.inject({ url: `/api/3/action/datastore_info?id=${id}`, headers: { 'accept-language': 'en' } })).json()
  assert.deepEqual(info.result.fields[2], { id: 'pupils', type: 'text', info: { label: 'Pupils', notes: 'On 1 September', type_override: '' } })
  const [type] = await db.query<{ type: string }>(`select data_type as type from information_schema.columns where table_schema = 'datastore' and table_name = $1 and column_name = 'pupils'`, [id])
  assert.equal(type?.type, 'text')

  const other = await signedInBrowser(app, db, 'agency-editor', 'health')
  assert.equal((await other.get(`${path}/dictionary`)).statusCode, 403)
})

test('an editor uploads a spreadsheet and names the sheet to show; CKAN resource_patch can choose another', async (t) => {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'edu' })
  })
  t.after(testApp.close)
  const { app, db, files } = testApp
  await makeDataset(db, 'edu', { name: 'schools' }, null)
  const book = new ExcelJS.Workbook()
  book.addWorksheet('Титул').addRow(['Школы Астаны, 2024'])
  const sheet = book.addWorksheet('Школы')
  sheet.addRow(['school', 'pupils'])
  sheet.addRow(['№ 1', 900])
  const teachers = book.addWorksheet('Учителя')
  teachers.addRow(['teacher', 'school'])
  teachers.addRow(['Абаева А.', '№ 1'])
  const content = Buffer.from(await book.xlsx.writeBuffer())

  const editor = await signedInBrowser(app, db, 'agency-editor', 'edu')
  const form = await editor.get('/en/data/datasets/schools/resources/new')
  assert.match(form.body, /name="sheet"/)
  const uploaded = await editor.postFile('/en/data/datasets/schools/resources/new', { 'name.en': 'Schools', url: '', format: '', sheet: 'Школы' },
    { field: 'file', name: 'schools.xlsx', content, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
  assert.equal(uploaded.statusCode, 303, uploaded.body)
  await runDatastoreLoads({ db, files })
  const [loaded] = await db.query<{ id: string; fields: Array<{ id: string }>; state: string; error: unknown }>('select resource_id as id, fields, load_state as state, load_error as error from data_datastore')
  assert.equal(loaded?.state, 'ready', `the load's error: ${JSON.stringify(loaded?.error)}`)
  assert.deepEqual(loaded?.fields.map((f) => f.id), ['school', 'pupils'])
  const view = await app.inject({ url: `/en/data/datasets/schools/resources/${loaded!.id}` })
  assert.match(view.body, /№ 1/)

  const token = await editorToken(db, 'edu')
  const patched = await app.inject({ method: 'POST', url: '/api/3/action/resource_patch', payload: { id: loaded!.id, datastore_sheet: 'Учителя' }, headers: { authorization: token } })
  assert.equal(patched.statusCode, 200, patched.body)
  await runDatastoreLoads({ db, files })
  const [again] = await db.query<{ fields: Array<{ id: string }>; state: string; error: unknown }>('select fields, load_state as state, load_error as error from data_datastore')
  assert.deepEqual({ state: again?.state, error: again?.error, fields: again?.fields.map((f) => f.id) }, { state: 'ready', error: null, fields: ['teacher', 'school'] })
})
