import { test } from 'node:test'
import assert from 'node:assert/strict'
import { deflateRawSync } from 'node:zlib'
import ExcelJS from 'exceljs'
import { replaceResourceFile, uploadResource } from '../../../helpers/factories.ts'
import { datasetForLoads, loadStateOf, uploadAndLoad } from '../../../helpers/datastore.ts'
import { queueDatastoreLoad, runDatastoreLoads } from '../../../../src/modules/data/datastore/ingest.ts'
import type { Db } from '../../../../src/platform/db/index.ts'
import type { FileStore } from '../../../../src/platform/files/index.ts'

const typesOf = (state: { fields: Array<{ id: string; type: string }> }) => state.fields.map((f) => [f.id, f.type])

/** Replaces a resource's file (as a publisher's new upload does) and loads it. */
async function replace(db: Db, files: FileStore, id: string, fileName: string, content: string | Buffer) {
  await replaceResourceFile(db, files, id, fileName, content)
  await runDatastoreLoads({ db, files })
}

async function spreadsheet(): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('Население')
  sheet.addRow([])
  sheet.addRow(['Регион', 'КАТО', 'Год', 'Численность', 'Доля', 'Дата переписи', 'Обновлено', 'Столица', 'Удвоено', 'Примечание'])
  sheet.addRow(['Астана', '011000000', 2023, 1354556, 6.8, new Date(Date.UTC(2023, 9, 1)), new Date(Date.UTC(2023, 9, 1, 10, 30)), true, { formula: 'C3*2', result: 4046 }, { richText: [{ text: 'столица ' }, { text: 'с 1997', font: { bold: true } }] }])
  sheet.addRow(['Алматы', '751000000', 2023, 2228675, 11.2, new Date(Date.UTC(2023, 9, 1)), new Date(Date.UTC(2023, 9, 2, 8, 0)), false, { formula: 'C4*2', result: 4046 }, null])
  sheet.addRow(['Шымкент', '791000000', 2023, null, null, null, null, null, null, 'город "республиканского" значения'])
  const second = book.addWorksheet('Школы')
  second.addRow(['Школа', 'Учеников'])
  second.addRow(['№ 1', 900])
  return Buffer.from(await book.xlsx.writeBuffer())
}

test('an XLSX spreadsheet loads its first sheet: heading row, numbers, dates, booleans, formulas by their result', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const id = await uploadAndLoad(db, files, datasetId, 'population.xlsx', await spreadsheet())
  const state = await loadStateOf(db, id)
  assert.equal(state.loadState, 'ready', JSON.stringify(state.loadError))
  assert.equal(state.rowCount, 3)
  assert.deepEqual(typesOf(state), [
    ['Регион', 'text'], ['КАТО', 'text'], ['Год', 'integer'], ['Численность', 'integer'], ['Доля', 'decimal'],
    ['Дата переписи', 'date'], ['Обновлено', 'timestamp'], ['Столица', 'boolean'], ['Удвоено', 'integer'], ['Примечание', 'text'],
  ])
  const rows = await db.query<Record<string, unknown>>(`select "Регион", "КАТО", "Численность"::text as n, "Дата переписи"::text as d, "Обновлено"::text as u, "Столица", "Удвоено"::int as f, "Примечание" from datastore."${id}" order by _id`)
  assert.deepEqual(rows[0], { Регион: 'Астана', КАТО: '011000000', n: '1354556', d: '2023-10-01', u: '2023-10-01 10:30:00', Столица: true, f: 4046, Примечание: 'столица с 1997' })
  assert.equal(rows[2]!.n, null)
  assert.equal(rows[2]!.Примечание, 'город "республиканского" значения')
})

test('the sheet to load can be chosen by name; a missing one is named with the sheets there are', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const book = await spreadsheet()
  const id = await uploadResource(db, files, datasetId, 'schools.xlsx', book)
  const [resource] = await db.query<{ key: string }>('select storage_key as key from data_resources where id = $1', [id])
  await queueDatastoreLoad(db, id, { key: resource!.key, size: book.length }, 'XLSX', { sheet: 'Школы' })
  await runDatastoreLoads({ db, files })
  const state = await loadStateOf(db, id)
  assert.equal(state.loadState, 'ready', JSON.stringify(state.loadError))
  assert.deepEqual(typesOf(state), [['Школа', 'text'], ['Учеников', 'integer']])

  await queueDatastoreLoad(db, id, { key: resource!.key, size: book.length }, 'XLSX', { sheet: 'Бюджет' })
  await runDatastoreLoads({ db, files })
  const missing = await loadStateOf(db, id)
  assert.equal(missing.loadError?.key, 'data.datastore.errors.noSheet')
  assert.equal(missing.loadError?.values.sheets, 'Население, Школы')
  assert.equal(missing.active, true, 'the loaded sheet stays live')
})

test('without a sheet named, a blank first tab is passed over; a sheet of Kazakh and Russian text far larger than one unpacked piece loads every letter whole', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const book = new ExcelJS.Workbook()
  book.addWorksheet('Мұқаба').addRow([])
  const sheet = book.addWorksheet('Тізім')
  sheet.addRow(['Атауы', 'Саны'])
  // Some 400 KB of two-byte letters in the shared strings: unpacked in pieces of 16 KB, many of
  // which end inside a letter.
  const names = Array.from({ length: 4000 }, (_, i) => `Әлихан Бөкейхан атындағы № ${i} мектеп-гимназия, Жетісу облысы`)
  for (const [i, name] of names.entries()) sheet.addRow([name, i])
  const id = await uploadAndLoad(db, files, datasetId, 'schools.xlsx', Buffer.from(await book.xlsx.writeBuffer()))
  const state = await loadStateOf(db, id)
  assert.equal(state.loadState, 'ready', JSON.stringify(state.loadError))
  const rows = await db.query<{ name: string }>(`select "Атауы" as name from datastore."${id}" order by _id`)
  assert.deepEqual(rows.map((row) => row.name), names)
})

/** A ZIP of one deflated part whose header may state any sizes (yauzl reads the central directory). */
function zipOf(name: string, data: Buffer, declaredSize: number): Buffer {
  const packed = deflateRawSync(data)
  const fileName = Buffer.from(name)
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8)
  local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(declaredSize, 22); local.writeUInt16LE(fileName.length, 26)
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10)
  central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(declaredSize, 24); central.writeUInt16LE(fileName.length, 28)
  const directoryStart = local.length + fileName.length + packed.length
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10)
  end.writeUInt32LE(central.length + fileName.length, 12); end.writeUInt32LE(directoryStart, 16)
  return Buffer.concat([local, fileName, packed, central, fileName, end])
}

test('an XLSX that unpacks to gigabytes is refused before it is read, whether its sizes tell the truth or lie', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const id = await uploadAndLoad(db, files, datasetId, 'data.csv', 'a,b\n1,2\n')
  const zeros = Buffer.alloc(64 * 1024 * 1024)
  // Declares 4 GB: refused by the sizes alone.
  await replace(db, files, id, 'bomb.xlsx', zipOf('xl/worksheets/sheet1.xml', Buffer.alloc(1024), 4_000_000_000))
  let state = await loadStateOf(db, id)
  assert.equal(state.loadError?.key, 'data.datastore.errors.unpacksTooBig', JSON.stringify(state.loadError))
  // Declares 1 KB but unpacks to 64 MB: refused as it unpacks, at the declared size.
  const before = process.memoryUsage().rss
  await replace(db, files, id, 'liar.xlsx', zipOf('xl/sharedStrings.xml', zeros, 1024))
  state = await loadStateOf(db, id)
  assert.equal(state.loadError?.key, 'data.datastore.errors.unpacksTooBig', JSON.stringify(state.loadError))
  assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'memory stays bounded')
  // Not a ZIP at all.
  await replace(db, files, id, 'fake.xlsx', 'region,year\nАстана,2023\n')
  state = await loadStateOf(db, id)
  assert.equal(state.loadError?.key, 'data.datastore.errors.notXlsx')
  assert.equal(state.active, true)
  assert.deepEqual((await db.query(`select a::int, b::int from datastore."${id}"`)), [{ a: 1, b: 2 }], 'the CSV table is still live')
})

test('an XLSX of a few kilobytes holding one cell of 20 MB is refused as it is unpacked, and so is a row past the limit', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const id = await uploadAndLoad(db, files, datasetId, 'data.csv', 'a,b\n1,2\n')
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('Бомба')
  sheet.addRow(['note'])
  sheet.addRow(['x'.repeat(20 * 1024 * 1024)])
  const file = Buffer.from(await book.xlsx.writeBuffer())
  assert.ok(file.length < 200 * 1024, `${file.length} bytes`)
  const before = process.memoryUsage().rss
  await replace(db, files, id, 'bomb.xlsx', file)
  const state = await loadStateOf(db, id)
  assert.equal(state.loadError?.key, 'data.datastore.errors.cellTooLong', JSON.stringify(state.loadError))
  assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'memory stays bounded')
  assert.equal(state.active, true, 'the previous table stays live')

  // Twenty cells of a megabyte: no cell too long, the row is (16 MB, as a CSV's row).
  const wide = new ExcelJS.Workbook()
  const widths = wide.addWorksheet('Широко')
  widths.addRow(Array.from({ length: 20 }, (_, i) => `c${i}`))
  widths.addRow(Array.from({ length: 20 }, () => 'y'.repeat(1024 * 1024)))
  await replace(db, files, id, 'wide.xlsx', Buffer.from(await wide.xlsx.writeBuffer()))
  assert.equal((await loadStateOf(db, id)).loadError?.key, 'data.datastore.errors.rowTooLong')
})

test('a JSON array of records loads each key as a column (keys of later records too), nested values as JSON text', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const records = [
    { region: 'Астана', year: 2023, population: 1354556, capital: true, counted_on: '2023-10-01' },
    { region: 'Алматы', year: 2023, population: 2228675.5, capital: false, counted_on: null, districts: ['Алатауский', 'Бостандыкский'] },
    { region: 'Шымкент', year: 2023, note: { source: 'census' } },
  ]
  const id = await uploadAndLoad(db, files, datasetId, 'population.json', `\uFEFF${JSON.stringify(records, null, 2)}`)
  const state = await loadStateOf(db, id)
  assert.equal(state.loadState, 'ready', JSON.stringify(state.loadError))
  assert.deepEqual(typesOf(state), [
    ['region', 'text'], ['year', 'integer'], ['population', 'decimal'], ['capital', 'boolean'], ['counted_on', 'date'], ['districts', 'text'], ['note', 'text'],
  ])
  const rows = await db.query<Record<string, unknown>>(`select region, population::text as p, districts, note from datastore."${id}" order by _id`)
  assert.deepEqual(rows.map((r) => r.p), ['1354556', '2228675.5', null])
  assert.equal(rows[1]!.districts, '["Алатауский","Бостандыкский"]')
  assert.equal(rows[2]!.note, '{"source":"census"}')

  // CKAN's own answer ({"result": {"records": [...]}}) is a table too.
  await replace(db, files, id, 'export.json', JSON.stringify({ help: '', success: true, result: { records: [{ a: 1 }, { a: 2 }] } }))
  assert.equal((await loadStateOf(db, id)).rowCount, 2)
})

test('broken JSON ends in an error with the record, and the previous table stays', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const id = await uploadAndLoad(db, files, datasetId, 'data.json', '[{"a": 1}, {"a": 2}]')
  const cases: Array<[string, string, string, number | null]> = [
    ['cut', '[{"a": 1}, {"a": 2}, {"a":', 'data.datastore.errors.notJson', 3],
    ['syntax', '[{"a": 1}, {"a" 2}]', 'data.datastore.errors.notJson', 2],
    ['not records', '[{"a": 1}, 5]', 'data.datastore.errors.notRecord', 2],
    ['not json', 'a,b\n1,2\n', 'data.datastore.errors.notJson', null],
    ['empty array', '[]', 'data.datastore.errors.empty', null],
  ]
  for (const [label, content, key, row] of cases) {
    await replace(db, files, id, `${label}.json`, content)
    const state = await loadStateOf(db, id)
    assert.equal(state.loadError?.key, key, `${label}: ${JSON.stringify(state.loadError)}`)
    if (row !== null) assert.equal(state.loadError?.values.row, row, label)
    assert.equal(state.active, true, label)
    assert.equal(state.rowCount, 2, label)
  }
  // One record larger than the limit is refused before it is held whole.
  await replace(db, files, id, 'huge.json', `[{"a": 1}, {"a": "${'x'.repeat(17 * 1024 * 1024)}"}]`)
  assert.equal((await loadStateOf(db, id)).loadError?.key, 'data.datastore.errors.rowTooLong')
})

test('GeoJSON features load their properties as columns and their geometry as GeoJSON text', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const collection = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { name: 'Школа № 1', pupils: 900 }, geometry: { type: 'Point', coordinates: [71.43, 51.13] } },
      { type: 'Feature', properties: { name: 'Школа № 2', pupils: 1200 }, geometry: { type: 'Point', coordinates: [76.95, 43.24] } },
      { type: 'Feature', properties: { name: 'Без места', pupils: null }, geometry: null },
    ],
  }
  const id = await uploadAndLoad(db, files, datasetId, 'schools.geojson', JSON.stringify(collection))
  const state = await loadStateOf(db, id)
  assert.equal(state.loadState, 'ready', JSON.stringify(state.loadError))
  assert.deepEqual(typesOf(state), [['name', 'text'], ['pupils', 'integer'], ['geometry', 'text']])
  const rows = await db.query<{ geometry: string | null }>(`select geometry from datastore."${id}" order by _id`)
  assert.deepEqual(JSON.parse(rows[0]!.geometry!), { type: 'Point', coordinates: [71.43, 51.13] })
  assert.equal(rows[2]!.geometry, null)

  await replace(db, files, id, 'wrong.geojson', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Point', coordinates: [0, 0] }] }))
  assert.equal((await loadStateOf(db, id)).loadError?.key, 'data.datastore.errors.notFeature')
})
