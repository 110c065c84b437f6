import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildApp } from '../../../src/app.ts'
import { openPostgres } from '../../../src/platform/db/postgres.ts'
import { migrate } from '../../../src/platform/db/migrate.ts'
import { createServerDatabase, SERVER_URL } from '../../helpers/db.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { editorToken } from '../../helpers/users.ts'
import { testFileStore } from '../../helpers/files.ts'

// Two servers are two processes, each with its own kept pages, counts and drawings: here two apps,
// each on a connection pool of its own to one database (in-process caches are kept per pool).
test('a page kept by one server is made again as soon as another server commits a change to what it shows: the catalog, a body, a table', { skip: !SERVER_URL && 'needs DATABASE_URL: two servers share a PostgreSQL database' }, async (t) => {
  const { url, drop } = await createServerDatabase({ migrated: true })
  const first = await openPostgres(url, 4)
  const second = await openPostgres(url, 4)
  await migrate(first)
  const files = testFileStore()
  const reader = await buildApp({ db: first, files, config: { logLevel: 'silent' } })
  const writer = await buildApp({ db: second, files, config: { logLevel: 'silent' } })
  t.after(async () => {
    await reader.close()
    await writer.close()
    await first.close()
    await second.close()
    await drop()
  })
  await makeAgency(second, { slug: 'stat', name: { kk: 'Статистика бюросы', ru: 'Бюро статистики', en: 'Bureau of Statistics' } })
  const token = await editorToken(second, 'stat')
  const action = async (name: string, payload: object) => {
    const response = await writer.inject({ method: 'POST', url: `/api/3/action/${name}`, headers: { authorization: token }, payload })
    assert.equal(response.statusCode, 200, response.body)
    return response.json().result
  }
  // Asked twice, so that the second is the kept page (the same ETag).
  const keptPage = async (path: string) => {
    const made = await reader.inject({ url: path })
    const again = await reader.inject({ url: path })
    assert.equal(made.statusCode, 200)
    assert.equal(again.headers.etag, made.headers.etag, `${path} is kept`)
    return again.body
  }
  const created = await action('package_create', { name: 'population', title: 'Population by region', owner_org: 'stat', resources: [] })
  const table = await action('datastore_create', { resource: { package_id: created.id, name: 'Regions' }, fields: [{ id: 'region', type: 'text' }, { id: 'people', type: 'int' }], records: [{ region: 'Астана', people: 1350000 }] })

  assert.doesNotMatch(await keptPage('/en/data'), /Births by month/)
  await action('package_create', { name: 'births', title: 'Births by month', owner_org: 'stat', resources: [] })
  assert.match((await reader.inject({ url: '/en/data' })).body, /Births by month/, 'the catalog shows the other server\'s dataset at once')

  assert.match(await keptPage('/en/agencies/stat'), /Bureau of Statistics/)
  await action('organization_patch', { id: 'stat', title: 'National Bureau of Statistics' })
  assert.match((await reader.inject({ url: '/en/agencies/stat' })).body, /National Bureau of Statistics/, 'the body\'s page shows its new name at once')

  const tablePage = `/en/data/datasets/population/resources/${table.resource_id}`
  assert.doesNotMatch(await keptPage(tablePage), /Шымкент/)
  await action('datastore_upsert', { resource_id: table.resource_id, method: 'insert', records: [{ region: 'Шымкент', people: 1200000 }] })
  assert.match((await reader.inject({ url: tablePage })).body, /Шымкент/, 'the table\'s page shows the other server\'s row at once')
})
