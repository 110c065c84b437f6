import { test } from 'node:test'
import assert from 'node:assert/strict'
import zlib from 'node:zlib'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency, makeDataset } from '../../helpers/factories.ts'
import { signedInBrowser } from '../../helpers/users.ts'

test('pages and API answers are compressed for clients that accept it (Brotli first, else gzip), and the same once unpacked', async (t) => {
  const { app, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'finance' })
    await makeDataset(db, 'finance', { name: 'budget', title: { en: 'Budget' } })
  })
  t.after(close)
  const plain = await app.inject({ url: '/en/data' })
  assert.equal(plain.headers['content-encoding'], undefined, 'not asked for: not compressed')
  const brotli = await app.inject({ url: '/en/data', headers: { 'accept-encoding': 'gzip, deflate, br' } })
  assert.equal(brotli.headers['content-encoding'], 'br')
  const page = zlib.brotliDecompressSync(brotli.rawPayload).toString()
  assert.match(page, /Budget/)
  assert.ok(brotli.rawPayload.length < page.length / 3, `${brotli.rawPayload.length} bytes for ${page.length}`)
  const gzip = await app.inject({ url: '/api/3/action/package_search', headers: { 'accept-encoding': 'gzip' } })
  assert.equal(gzip.headers['content-encoding'], 'gzip')
  assert.equal(JSON.parse(zlib.gunzipSync(gzip.rawPayload).toString()).result.count, 1)
})

test('pages are kept by the reader\'s browser only and asked again each time; a signed-in page is not kept', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'finance' })
  })
  t.after(close)
  assert.equal((await app.inject({ url: '/en/data' })).headers['cache-control'], 'private, no-cache')
  const browser = await signedInBrowser(app, db)
  assert.equal((await browser.get('/en/data')).headers['cache-control'], 'private, no-store')
  assert.equal((await browser.get('/en/account')).headers['cache-control'], 'private, no-store')
})
