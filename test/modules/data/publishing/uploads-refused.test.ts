import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { Readable } from 'node:stream'
import { createTestApp } from '../../../helpers/app.ts'
import { makeAgency, makeDataset } from '../../../helpers/factories.ts'
import { signedInBrowser } from '../../../helpers/users.ts'

const BOUNDARY = 'ashyq-test-boundary'
const MEGABYTE = Buffer.alloc(1024 * 1024, 'x')

/** A multipart body with one file of `megabytes` MB, generated as it is read; `read()` says how much was. */
function endlessUpload(field: string, megabytes: number) {
  let read = 0
  const parts = (function* () {
    yield Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`)
    for (let i = 0; i < megabytes; i += 1) yield MEGABYTE
    yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`)
  })()
  const stream = new Readable({
    read() {
      const next = parts.next()
      if (next.done) this.push(null)
      else {
        read += next.value.length
        this.push(next.value)
      }
    },
  })
  return { stream, read: () => read, headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } }
}

function storedFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name)
}

test('who may not upload is refused before the body is read: no byte of the file reaches the disk', async (t) => {
  const { app, db, files, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'finance' })
  })
  t.after(close)
  await makeDataset(db, 'finance', { name: 'budget' })
  const citizen = await signedInBrowser(app, db)
  const cases = [
    { who: 'no one signed in, a publishing form', url: '/en/data/datasets/budget/resources/new', field: 'file', cookie: '' },
    { who: 'a citizen, a publishing form', url: '/en/data/datasets/budget/resources/new', field: 'file', cookie: citizen.cookieHeader() },
    { who: 'no one signed in, the Unified List\'s upload', url: '/en/data/unified-list/upload', field: 'file', cookie: '' },
    { who: 'no one, a CKAN read action', url: '/api/3/action/package_search', field: 'upload', cookie: '' },
    { who: 'no token, CKAN\'s resource_create', url: '/api/3/action/resource_create', field: 'upload', cookie: '' },
  ]
  for (const { who, url, field, cookie } of cases) {
    const upload = endlessUpload(field, 64)
    const response = await app.inject({ method: 'POST', url, payload: upload.stream, headers: { ...upload.headers, cookie } })
    assert.equal(response.statusCode, 403, `${who}: ${response.statusCode} ${response.body.slice(0, 200)}`)
    assert.ok(upload.read() < 8 * 1024 * 1024, `${who}: ${upload.read()} bytes read`)
    assert.deepEqual(storedFiles(files.dir), [], who)
  }
})
