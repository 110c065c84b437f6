import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { createTestApp, type TestApp } from '../../../helpers/app.ts'
import { makeAgency, makeDataset, makeRegion } from '../../../helpers/factories.ts'
import { Browser } from '../../../helpers/forms.ts'
import { makeUser, TEST_PASSWORD } from '../../../helpers/users.ts'
import { SYSTEM_ACTOR, historyOf } from '../../../../src/platform/audit/index.ts'
import { deleteDataset, findDataset, updateDataset } from '../../../../src/modules/data/publishing/dataset.ts'
import { createSource, runDueSources, runSource, showSource, type HarvestReport } from '../../../../src/modules/data/harvest/service.ts'

/** A second Ashyq on 127.0.0.1: the portal harvested from. */
async function remotePortal(): Promise<TestApp & { base: string }> {
  const remote = await createTestApp(async (db) => {
    await makeRegion(db, { code: 'almaty', kind: 'city', name: { kk: 'Алматы', ru: 'Алматы', en: 'Almaty' } })
    await makeAgency(db, { slug: 'akimat-almaty', name: { kk: 'Алматы әкімдігі', ru: 'Акимат Алматы', en: 'Akimat of Almaty' } })
    await makeDataset(db, 'akimat-almaty', {
      name: 'air-quality', title: { kk: 'Ауа сапасы', ru: 'Качество воздуха', en: 'Air quality' }, description: { ru: 'PM2.5 по постам' },
      keywords: { en: ['air'], ru: ['экология'] }, themeCode: 'envi', frequency: 'daily', licenceId: 'cc-zero', regionCode: 'almaty',
      contactName: { en: 'Eco office' }, contactEmail: 'eco@almaty.kz', author: 'Kazhydromet', version: '3', sourceUrl: 'https://www.kazhydromet.kz/air',
      extraThemeCodes: ['heal'], extras: { station_count: '16' },
    }, { url: 'https://almaty.kz/air.csv', name: { en: 'Air, CSV' } })
    await makeDataset(db, 'akimat-almaty', { name: 'parks', title: { ru: 'Парки', en: 'Parks' }, themeCode: 'regi', frequency: 'annual' }, { url: 'https://almaty.kz/parks.json' })
  })
  await remote.app.listen({ port: 0, host: '127.0.0.1' })
  return { ...remote, base: `http://127.0.0.1:${(remote.app.server.address() as AddressInfo).port}` }
}

async function localPortal() {
  return createTestApp(async (db) => {
    await makeRegion(db, { code: 'almaty', kind: 'city', name: { kk: 'Алматы', ru: 'Алматы', en: 'Almaty' } })
    await makeAgency(db, { slug: 'akimat-almaty', name: { kk: 'Алматы әкімдігі', ru: 'Акимат Алматы', en: 'Akimat of Almaty' } })
    await makeDataset(db, 'akimat-almaty', { name: 'parks', title: { en: 'Our own parks dataset' } })
  })
}

// The test's own sources are on 127.0.0.1: allowed as an administrator would allow an internal network.
const LOCAL = { privateNetworks: ['127.0.0.1/32'] }

const report = (outcome: HarvestReport | Error) => {
  assert.ok(!(outcome instanceof Error), String(outcome))
  return outcome
}

test('a CKAN source is harvested: datasets added with their source, changes updated, those gone withdrawn', async (t) => {
  const remote = await remotePortal()
  t.after(remote.close)
  const local = await localPortal()
  t.after(local.close)
  const id = await createSource(local.db, { name: 'Almaty open data', url: remote.base, kind: 'ckan', agencySlug: 'akimat-almaty', lang: 'ru', intervalHours: 24 })
  const source = (await showSource(local.db, id))!

  assert.deepEqual(report(await runSource(local.db, source, LOCAL)), { created: 2, updated: 0, unchanged: 0, withdrawn: 0, failed: [] })
  const air = (await local.app.inject({ url: '/api/3/action/package_show?id=air-quality' })).json().result
  assert.deepEqual(air.title_translated, { kk: 'Ауа сапасы', ru: 'Качество воздуха', en: 'Air quality' })
  assert.deepEqual(air.tags.map((tag: { name: string }) => tag.name).sort(), ['air', 'экология'])
  assert.deepEqual(air.keywords, { en: ['air'], ru: ['экология'] }, 'each keyword in its language')
  assert.deepEqual(air.maintainer_translated, { en: 'Eco office' })
  assert.equal(air.groups[0].name, 'envi')
  assert.equal(air.frequency, 'daily')
  assert.equal(air.license_id, 'cc-zero')
  assert.equal(air.region, 'almaty')
  assert.equal(air.maintainer_email, 'eco@almaty.kz')
  assert.deepEqual([air.author, air.version, air.url], ['Kazhydromet', '3', 'https://www.kazhydromet.kz/air'], 'what CKAN keeps beside is kept')
  assert.deepEqual(air.groups.map((g: { name: string }) => g.name), ['envi', 'heal'])
  assert.deepEqual(air.extras, [{ key: 'station_count', value: '16' }])
  assert.equal(air.resources[0].url, 'https://almaty.kz/air.csv')
  const names = (await local.app.inject({ url: '/api/3/action/package_list' })).json().result
  assert.deepEqual(names, ['air-quality', 'parks', `parks-h${id}`], 'a name taken here gets the source\'s number')
  const [row] = await local.db.query<{ harvest_source_id: number; harvest_key: string }>(`select harvest_source_id, harvest_key from datasets where name = 'air-quality'`)
  const remoteAir = await findDataset(remote.db, 'air-quality')
  assert.deepEqual(row, { harvest_source_id: id, harvest_key: remoteAir.id }, 'each record keeps its source and its key there')

  await updateDataset(remote.db, SYSTEM_ACTOR, remoteAir.id, { title: { kk: 'Ауа сапасы', ru: 'Качество атмосферного воздуха', en: 'Air quality' } })
  await deleteDataset(remote.db, SYSTEM_ACTOR, (await findDataset(remote.db, 'parks')).id)
  assert.deepEqual(report(await runSource(local.db, source, LOCAL)), { created: 0, updated: 1, unchanged: 0, withdrawn: 1, failed: [] })
  assert.equal((await local.app.inject({ url: '/api/3/action/package_show?id=air-quality', headers: { 'accept-language': 'ru' } })).json().result.title, 'Качество атмосферного воздуха')
  assert.equal((await local.app.inject({ url: `/api/3/action/package_show?id=parks-h${id}` })).statusCode, 404)
  assert.equal((await local.app.inject({ url: '/api/3/action/package_show?id=parks' })).statusCode, 200, 'our own dataset of the same name is untouched')
  const localAir = await findDataset(local.db, 'air-quality')
  assert.deepEqual((await historyOf(local.db, 'dataset', localAir.id)).map((h) => h.action), ['dataset.update', 'resource.create', 'dataset.create'])

  assert.deepEqual(report(await runSource(local.db, source, LOCAL)), { created: 0, updated: 0, unchanged: 1, withdrawn: 0, failed: [] })
  const after = (await showSource(local.db, id))!
  assert.equal(after.lastStatus, 'ok')
  assert.ok(new Date(after.nextRunAt).getTime() > Date.now() + 23 * 3600 * 1000, 'the next run is a day later')
})

test('a DCAT catalog is harvested from its Turtle, with languages, theme and frequency read back', async (t) => {
  const remote = await remotePortal()
  t.after(remote.close)
  const local = await localPortal()
  t.after(local.close)
  const id = await createSource(local.db, { name: 'Almaty DCAT', url: `${remote.base}/catalog.ttl`, kind: 'dcat', agencySlug: 'akimat-almaty', lang: 'ru', intervalHours: 12 })
  assert.equal(report(await runSource(local.db, (await showSource(local.db, id))!, LOCAL)).created, 2)
  const air = (await local.app.inject({ url: '/api/3/action/package_show?id=air-quality' })).json().result
  assert.deepEqual(air.title_translated, { kk: 'Ауа сапасы', ru: 'Качество воздуха', en: 'Air quality' })
  assert.equal(air.groups[0].name, 'envi')
  assert.equal(air.frequency, 'daily')
  assert.equal(air.license_id, 'cc-zero', 'the licence is recognised by its address')
  assert.deepEqual(air.keywords, { en: ['air'], ru: ['экология'] }, 'keywords by their language tags')
  assert.deepEqual(air.maintainer_translated, { en: 'Eco office' })
  assert.equal(air.resources[0].url, 'https://almaty.kz/air.csv')
  assert.equal(report(await runSource(local.db, (await showSource(local.db, id))!, LOCAL)).unchanged, 2)
})

test('a source that cannot be reached is recorded as failed; due sources are claimed once; administrators manage sources on a page', async (t) => {
  const local = await localPortal()
  t.after(local.close)
  const id = await createSource(local.db, { name: 'Gone', url: 'http://127.0.0.1:9/', kind: 'ckan', agencySlug: 'akimat-almaty', lang: 'ru', intervalHours: 1 })
  assert.equal(await runDueSources(local.db, LOCAL), 1)
  assert.equal(await runDueSources(local.db, LOCAL), 0, 'not due again until its interval has passed')
  const failed = (await showSource(local.db, id))!
  assert.equal(failed.lastStatus, 'error')
  assert.ok(failed.lastMessage)

  const admin = await makeUser(local.db, 'admin')
  const browser = new Browser(local.app)
  await browser.post('/en/sign-in', { email: admin.email, password: TEST_PASSWORD })
  const page = await browser.get('/en/data/harvest')
  assert.match(page.body, /Gone/)
  assert.match(page.body, /Failed/)
  const bad = await browser.post('/en/data/harvest', { name: 'x', url: 'ftp://x', kind: 'ckan', agencySlug: 'akimat-almaty', lang: 'ru', intervalHours: '0' })
  assert.equal(bad.statusCode, 400)
  assert.match(bad.body, /Enter a web address starting with https:\/\//)
  assert.match(bad.body, /Enter a whole number of hours from 1 to 720/)
  const citizen = await makeUser(local.db)
  const other = new Browser(local.app)
  await other.post('/en/sign-in', { email: citizen.email, password: TEST_PASSWORD })
  assert.equal((await other.get('/en/data/harvest')).statusCode, 403)
})

test('a harvest fetches only from public addresses: private ones, however written, and redirects or next pages leading to them are refused', async (t) => {
  const remote = await remotePortal()
  t.after(remote.close)
  const local = await localPortal()
  t.after(local.close)
  const port = new URL(remote.base).port
  // A server on an allowed address that sends the harvester on to addresses that are not.
  const { createServer } = await import('node:http')
  const hops: Record<string, string> = {
    '/redirect': `http://127.0.0.2:${port}/`,
    '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
  }
  const bouncer = createServer((request, response) => {
    if (request.url === '/catalog.ttl') {
      response.writeHead(200, { 'content-type': 'text/turtle' })
      response.end(`@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
<http://127.0.0.1/catalog.ttl?page=1> a hydra:PagedCollection ; hydra:nextPage <http://10.0.0.1/catalog.ttl?page=2> .`)
      return
    }
    const hop = Object.keys(hops).find((path) => request.url?.startsWith(path))
    response.writeHead(302, { location: hop ? hops[hop]! : '/' })
    response.end()
  })
  await new Promise<void>((resolve) => bouncer.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => bouncer.close(() => resolve())))
  const bouncerBase = `http://127.0.0.1:${(bouncer.address() as AddressInfo).port}`

  const refusedSources: Array<[string, 'ckan' | 'dcat', typeof LOCAL | undefined, RegExp]> = [
    [remote.base, 'ckan', undefined, /127\.0\.0\.1 is not a public address/],
    [`http://2130706433:${port}/`, 'ckan', undefined, /127\.0\.0\.1 is not a public address/],
    [`http://0x7f.1:${port}/`, 'ckan', undefined, /127\.0\.0\.1 is not a public address/],
    [`http://[::ffff:127.0.0.1]:${port}/`, 'ckan', undefined, /is not a public address/],
    [`http://localhost:${port}/`, 'ckan', undefined, /is not a public address/],
    ['http://10.1.2.3/', 'ckan', undefined, /10\.1\.2\.3 is not a public address/],
    ['http://192.168.0.10/', 'dcat', undefined, /192\.168\.0\.10 is not a public address/],
    [`${bouncerBase}/redirect`, 'ckan', LOCAL, /127\.0\.0\.2 is not a public address/],
    [`${bouncerBase}/to-metadata`, 'ckan', LOCAL, /169\.254\.169\.254 is not a public address/],
    [`${bouncerBase}/catalog.ttl`, 'dcat', LOCAL, /10\.0\.0\.1 is not a public address/],
  ]
  for (const [url, kind, options, reason] of refusedSources) {
    const id = await createSource(local.db, { name: url, url, kind, agencySlug: 'akimat-almaty', lang: 'ru', intervalHours: 24 })
    const outcome = await runSource(local.db, (await showSource(local.db, id))!, options)
    assert.ok(outcome instanceof Error, url)
    assert.match(outcome.message, reason, url)
    const [harvested] = await local.db.query<{ n: number }>('select count(*)::int as n from datasets where harvest_source_id = $1', [id])
    assert.equal(harvested?.n, 0, url)
  }
  // The same portal, its network allowed by the administrator, is harvested.
  const id = await createSource(local.db, { name: 'Allowed', url: remote.base, kind: 'ckan', agencySlug: 'akimat-almaty', lang: 'ru', intervalHours: 24 })
  assert.equal(report(await runSource(local.db, (await showSource(local.db, id))!, LOCAL)).created, 2)
})
