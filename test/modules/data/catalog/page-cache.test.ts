import { test } from 'node:test'
import assert from 'node:assert/strict'
import { brotliDecompressSync } from 'node:zlib'
import { appWithTable } from '../../../helpers/datastore.ts'
import { makeDataset, replaceResourceFile } from '../../../helpers/factories.ts'
import { signedInBrowser } from '../../../helpers/users.ts'
import { updateDataset } from '../../../../src/modules/data/publishing/dataset.ts'
import { runDatastoreLoads } from '../../../../src/modules/data/datastore/ingest.ts'
import { demandOf } from '../../../../src/modules/data/demand/service.ts'
import { SYSTEM_ACTOR } from '../../../../src/platform/audit/index.ts'

const TABLE = { agency: 'stat', dataset: 'towns', fileName: 'towns.csv', content: 'town,people\nAlmaty,2200000\nAstana,1400000\n' }

test('an anonymous reader gets the kept catalog page, with an ETag that answers 304, until a change is committed', async (t) => {
  const { app, db, close } = await appWithTable(TABLE)
  t.after(close)
  const first = await app.inject({ url: '/en/data' })
  assert.equal(first.statusCode, 200)
  const etag = String(first.headers.etag)
  assert.match(etag, /^W\/"[\w-]+"$/)
  assert.deepEqual(app.pageCache.size.pages, 1, 'the page was kept')
  const again = await app.inject({ url: '/en/data' })
  assert.equal(again.body, first.body)
  assert.equal(again.headers.etag, etag)
  assert.equal(again.headers['cache-control'], 'private, no-cache')
  const revalidated = await app.inject({ url: '/en/data', headers: { 'if-none-match': etag } })
  assert.equal(revalidated.statusCode, 304)
  assert.equal(revalidated.body, '')

  // A new dataset, committed by anyone: the next reader sees it, and the old copy is not current.
  await makeDataset(db, 'stat', { name: 'rivers', title: { en: 'Rivers of Kazakhstan' } })
  const changed = await app.inject({ url: '/en/data', headers: { 'if-none-match': etag } })
  assert.equal(changed.statusCode, 200)
  assert.match(changed.body, /Rivers of Kazakhstan/)
  assert.notEqual(changed.headers.etag, etag)
})

test('kept pages are sent compressed to readers that take it, and each look of the VI version is kept apart', async (t) => {
  const { app, close } = await appWithTable(TABLE)
  t.after(close)
  const plain = await app.inject({ url: '/ru/data' })
  const compressed = await app.inject({ url: '/ru/data', headers: { 'accept-encoding': 'gzip, br' } })
  assert.equal(compressed.headers['content-encoding'], 'br')
  assert.match(String(compressed.headers.vary), /Accept-Encoding/)
  assert.equal(brotliDecompressSync(compressed.rawPayload).toString(), plain.body)
  const vi = await app.inject({ url: '/ru/data', cookies: { ashyq_a11y: 'on.larger.dark.show.wide' } })
  assert.match(vi.body, /ashyq-vi--contrast-dark/)
  assert.doesNotMatch(plain.body, /ashyq-vi--contrast-dark/)
  const viAgain = await app.inject({ url: '/ru/data', cookies: { ashyq_a11y: 'on.larger.dark.show.wide' } })
  assert.equal(viAgain.body, vi.body)
  assert.equal((await app.inject({ url: '/ru/data' })).body, plain.body)
})

test('a signed-in reader never gets a kept page, and pages made for them are not kept', async (t) => {
  const { app, db, close } = await appWithTable(TABLE)
  t.after(close)
  await app.inject({ url: '/en/data' })
  const browser = await signedInBrowser(app, db, 'agency-editor', 'stat')
  const signedIn = await browser.get('/en/data')
  assert.match(signedIn.body, /Sign out/)
  assert.equal(signedIn.headers['cache-control'], 'private, no-store')
  assert.equal(signedIn.headers.etag, undefined)
  const anonymous = await app.inject({ url: '/en/data' })
  assert.doesNotMatch(anonymous.body, /Sign out/)
})

test('a dataset page is kept until its record or its table changes, and every visit is still counted', async (t) => {
  const { app, db, files, datasetId, resourceId, close } = await appWithTable(TABLE)
  t.after(close)
  const first = await app.inject({ url: '/en/data/datasets/towns', remoteAddress: '198.51.100.1' })
  assert.match(first.body, /Almaty/)
  assert.ok(first.headers.etag)
  const kept = await app.inject({ url: '/en/data/datasets/towns', remoteAddress: '198.51.100.2' })
  assert.equal(kept.headers.etag, first.headers.etag, 'the second reader got the kept page')
  assert.equal((await demandOf(db, datasetId)).views, 2, 'the kept page\'s reader was counted')

  await replaceResourceFile(db, files, resourceId, 'towns.csv', 'town,people\nShymkent,1200000\n')
  await runDatastoreLoads({ db, files })
  const reloaded = await app.inject({ url: '/en/data/datasets/towns' })
  assert.match(reloaded.body, /Shymkent/, 'a new load of its table shows at once')

  await updateDataset(db, SYSTEM_ACTOR, datasetId, { title: { en: 'Towns and their people' } })
  assert.match((await app.inject({ url: '/en/data/datasets/towns' })).body, /Towns and their people/)

  // The same address still answers RDF clients, whatever page is kept.
  const turtle = await app.inject({ url: '/en/data/datasets/towns', headers: { accept: 'text/turtle' } })
  assert.match(String(turtle.headers['content-type']), /text\/turtle/)

  // Made private: its kept page is not sent to anyone who may not see it.
  await updateDataset(db, SYSTEM_ACTOR, datasetId, { private: true })
  assert.equal((await app.inject({ url: '/en/data/datasets/towns' })).statusCode, 404)
})
