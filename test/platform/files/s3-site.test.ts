import { test } from 'node:test'
import assert from 'node:assert/strict'
import ExcelJS from 'exceljs'
import { buildApp } from '../../../src/app.ts'
import { S3FileStore } from '../../../src/platform/files/s3.ts'
import { runDatastoreLoads } from '../../../src/modules/data/datastore/ingest.ts'
import { createTestDb } from '../../helpers/db.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { editorToken } from '../../helpers/users.ts'
import { startS3 } from '../../helpers/s3.ts'

async function keysIn(files: S3FileStore): Promise<string[]> {
  const keys: string[] = []
  for await (const { key } of files.keys()) keys.push(key)
  return keys
}

test('a site whose files are in an S3 bucket takes uploads, loads them into the datastore (CSV and XLSX) and serves them whole or by range; a refused upload leaves nothing', async (t) => {
  const s3 = await startS3()
  t.after(() => s3.close())
  const db = await createTestDb()
  await makeAgency(db, { slug: 'stat' })
  const files = new S3FileStore(s3.location)
  const app = await buildApp({ db, files, config: { logLevel: 'silent' } })
  t.after(async () => {
    await app.close()
    await db.close()
  })
  const token = await editorToken(db, 'stat')
  const pkg = (await app.inject({ method: 'POST', url: '/api/3/action/package_create', headers: { authorization: token }, payload: { name: 'population', title: 'Population', owner_org: 'stat', resources: [] } })).json().result

  const upload = async (fileName: string, bytes: Buffer, who: string | null = token) => {
    const form = new FormData()
    form.append('package_id', pkg.id)
    form.append('upload', new Blob([new Uint8Array(bytes)]), fileName)
    return app.inject({ method: 'POST', url: '/api/3/action/resource_create', payload: form, headers: who ? { authorization: who } : {} })
  }
  const csv = Buffer.from('region,people\nАстана,1350000\nАлматы,2230000\n')
  const csvResource = await upload('population.csv', csv)
  assert.equal(csvResource.statusCode, 200, csvResource.body)
  const book = new ExcelJS.Workbook()
  book.addWorksheet('Халық').addRows([['region', 'people'], ['Шымкент', 1200000]])
  const xlsxResource = await upload('population.xlsx', Buffer.from(await book.xlsx.writeBuffer()))
  assert.equal(xlsxResource.statusCode, 200, xlsxResource.body)
  assert.equal((await keysIn(files)).length, 2, 'both files are in the bucket')

  await makeAgency(db, { slug: 'health' })
  const other = await editorToken(db, 'health')
  assert.equal((await upload('theirs.csv', csv, other)).statusCode, 403, "another body's editor")
  assert.equal((await upload('anonymous.csv', csv, null)).statusCode, 403)
  assert.equal((await keysIn(files)).length, 2, 'a refused upload leaves nothing in the bucket')

  assert.equal(await runDatastoreLoads({ db, files }), 2)
  for (const [resource, rows] of [[csvResource.json().result.id, 2], [xlsxResource.json().result.id, 1]] as const) {
    const search = await app.inject({ url: `/api/3/action/datastore_search?resource_id=${resource}` })
    assert.equal(search.statusCode, 200, search.body)
    assert.equal(search.json().result.total, rows)
  }
  assert.equal((await app.inject({ url: `/api/3/action/datastore_search?resource_id=${xlsxResource.json().result.id}` })).json().result.records[0].region, 'Шымкент')

  const download = `/data/resources/${csvResource.json().result.id}/download`
  const whole = await app.inject({ url: download })
  assert.equal(whole.statusCode, 200)
  assert.equal(whole.headers['accept-ranges'], 'bytes')
  assert.deepEqual(whole.rawPayload, csv)
  const part = await app.inject({ url: download, headers: { range: 'bytes=7-12' } })
  assert.equal(part.statusCode, 206)
  assert.equal(part.headers['content-range'], `bytes 7-12/${csv.length}`)
  assert.equal(part.body, 'people')
  const rest = await app.inject({ url: download, headers: { range: `bytes=${csv.length - 8}-` } })
  assert.deepEqual(rest.rawPayload, csv.subarray(csv.length - 8))
  const past = await app.inject({ url: download, headers: { range: `bytes=${csv.length}-` } })
  assert.equal(past.statusCode, 416)
  assert.equal(past.headers['content-range'], `bytes */${csv.length}`)
  const resumedElsewhere = await app.inject({ url: download, headers: { range: 'bytes=7-12', 'if-range': '"x"' } })
  assert.equal(resumedElsewhere.statusCode, 200, 'an If-Range this site cannot check gets the whole file')
})
