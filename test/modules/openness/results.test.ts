import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'
import { takeSnapshot } from '../../../src/modules/openness/service.ts'
import { keepResultsDataset } from '../../../src/modules/openness/results.ts'

test('each month\'s first snapshot is published as CSV and JSON for one year or several, and each year as a dataset of the catalog with the methodology', async (t) => {
  const { app, db, files, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
    await makeAgency(db, { slug: 'ministry-of-culture-and-information' })
  })
  t.after(close)
  const [item] = await db.query<{ id: string }>("insert into site_items (agency_id, kind, created_at) select id, 'news', '2025-02-10T10:00:00+05:00' from agencies where slug = 'ministry-of-health' returning id")
  await db.query("insert into site_editions (item_id, lang, number, status, title, published_at) values ($1, 'ru', 1, 'published', 'x', '2025-02-10T12:00:00+05:00')", [item!.id])
  // March 2025: its first snapshot is the month's result, the later one is not; and March 2026.
  for (const day of ['2025-03-02', '2025-03-20', '2026-01-05']) await takeSnapshot(db, day)

  const csv = (await app.inject({ url: '/ru/openness/results.csv?from=2025&to=2026' })).body
  assert.match(csv, /^\ufeffsnapshot_day,methodology,agency,score,indicator,value,numerator,denominator,weight,points,corrected_by_dispute/)
  assert.match(csv, /2025-03-02,1,ministry-of-health,50,sites\.complete-kk,0,0,1,10,0,/)
  assert.doesNotMatch(csv, /2025-03-20/, 'a month\'s later snapshot is not its result')
  assert.match(csv, /2026-01-05,1,ministry-of-health,/)
  assert.doesNotMatch((await app.inject({ url: '/ru/openness/results.csv?from=2026&to=2026' })).body, /2025-03-02/)
  const json = (await app.inject({ url: '/api/openness/results?from=2025&to=2026' })).json()
  assert.deepEqual(json.snapshots.map((s: { day: string }) => s.day), ['2025-03-02', '2026-01-05'])
  assert.equal(json.snapshots[0].scores.find((s: { agency: string }) => s.agency === 'ministry-of-health').score, 50)
  const backwards = await app.inject({ url: '/api/openness/results?from=2026&to=2025' })
  assert.equal(backwards.statusCode, 400)
  assert.equal((await app.inject({ url: '/api/openness/results?from=2016&to=2025' })).statusCode, 200, 'ten years at once')
  assert.equal((await app.inject({ url: '/api/openness/results?from=2015&to=2025' })).statusCode, 400, 'eleven')
  assert.match((await app.inject({ url: '/ru/openness/results.csv?from=2015&to=2025', headers: { accept: 'text/html' } })).body, /Не больше 10 лет за раз/)

  assert.equal(await keepResultsDataset(db, files, SYSTEM_ACTOR, 'no-such-body', 2025), null, 'no publisher in the register: no dataset')
  assert.equal(await keepResultsDataset(db, files, SYSTEM_ACTOR, 'ministry-of-culture-and-information', 2025), 'openness-index-2025')
  const dataset = (await app.inject({ url: '/api/3/action/package_show?id=openness-index-2025' })).json().result
  assert.equal(dataset.organization.name, 'ministry-of-culture-and-information')
  assert.deepEqual(dataset.resources.map((r: { format: string }) => r.format), ['CSV', 'JSON'])
  // Made again, the dataset keeps its two resources.
  await keepResultsDataset(db, files, SYSTEM_ACTOR, 'ministry-of-culture-and-information', 2025)
  assert.equal((await app.inject({ url: '/api/3/action/package_show?id=openness-index-2025' })).json().result.resources.length, 2)
  const page = (await app.inject({ url: '/ru/openness/results' })).body
  assert.match(page, /2026[\s\S]*2025[\s\S]*href="\/ru\/data\/datasets\/openness-index-2025">в каталоге открытых данных/)
})
