import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyRequest } from 'fastify'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { makeUser } from '../../helpers/users.ts'
import { buildApp } from '../../../src/app.ts'
import { PageCache } from '../../../src/platform/html/page-cache.ts'
import { topicsVersion, TOPICS } from '../../../src/platform/html/page-versions.ts'
import { SharedRead } from '../../../src/platform/cache/index.ts'

/**
 * Tables no public page shows, or shows only through another table's version, and why. Every other
 * table must move a topic's version (migration 0035) or the catalog's generation (0023, 0024):
 * a page kept under it would otherwise show a change only when it is a minute old.
 */
const NOT_SHOWN: Record<string, string> = {
  role_grants: 'who may edit: no public page shows it',
  site_link_problems: 'broken links: shown to a body\'s staff only',
  sessions: 'signed-in readers never get kept pages',
  sign_in_failures: 'counted for limits only',
  api_tokens: 'a person\'s own, on their account page',
  audit_log: 'shown to staff only',
  email_confirmations: 'mailed links',
  password_resets: 'mailed links',
  outbox: 'mail waiting to go',
  rate_limit_hits: 'counted for limits only',
  subscriptions: 'a person\'s own',
  data_daily_stats: 'views and downloads: pages show them at most a minute old',
  data_harvest_sources: 'shown to staff only',
  data_search_words: 'a search index, made from datasets (which move the catalog\'s generation)',
  data_datastore: 'a dataset page keeps its own version of each table (data/catalog/generation.ts)',
  data_datastore_aliases: 'other names of a table, read by the datastore API on each call, shown by no page',
  data_catalog_generation: 'the catalog\'s generation: its change moves the topic "data"',
  platform_versions: 'the versions themselves',
  schema_migrations: 'the migrations applied',
  budget_lines: 'budgets\' pages read budget_totals and budget_execution, made from the lines in the import\'s transaction',
  budget_staging: 'an import\'s rows while they are checked',
  budget_publications: 'the days each phase and period was published, read by the openness index, not by a page',
}

test('every table a public page shows moves a version in the transaction that changes it', async (t) => {
  const { db, close } = await createTestApp()
  t.after(close)
  const tables = (await db.query<{ name: string }>("select tablename as name from pg_tables where schemaname = 'public' order by 1")).map((r) => r.name)
  const moving = new Set((await db.query<{ name: string }>(
    `select distinct c.relname as name from pg_trigger g join pg_class c on c.oid = g.tgrelid join pg_proc p on p.oid = g.tgfoid
     where not g.tgisinternal and p.proname in ('ashyq_version_moved', 'ashyq_catalog_changed')`,
  )).map((r) => r.name))
  const unaccounted = tables.filter((name) => !moving.has(name) && !(name in NOT_SHOWN) && !name.startsWith('datastore_'))
  assert.deepEqual(unaccounted, [], 'each table moves a version or says why no page needs it to')
  assert.deepEqual(Object.keys(NOT_SHOWN).filter((name) => !tables.includes(name)), [], 'the list names tables that exist')

  const before = await topicsVersion(db, TOPICS)
  assert.match(before, /^agencies\.\d+,budgets\.\d+,calendar\.\d+,comments\.\d+,data\.\d+,dialogue\.\d+,legal-acts\.\d+,openness\.\d+,petitions\.\d+,polls\.\d+,sites\.\d+,studies\.\d+,users\.\d+$/)
  await db.query("update calendar_days set kind = kind where day = (select min(day) from calendar_days)")
  assert.notEqual(await topicsVersion(db, TOPICS), before, 'a statement that touches no row still moves its topic (the change may be seen)')
})

test('a page kept by one process is made again by its next request after another process commits a change to what it shows', async (t) => {
  const { app, db, files, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'akimat', name: { en: 'Akimat of Almaty' } })
  })
  t.after(close)
  // Another server process on the same database: its own memory, nothing shared but the database.
  const other = await buildApp({ db, files, config: { logLevel: 'silent' } })
  t.after(() => other.close())
  const asker = await makeUser(db, undefined, undefined, { displayName: 'Aigerim Sarsenova' })
  const [{ id } = { id: 0 }] = await db.query<{ id: number }>(
    `insert into dialogue_questions (agency_id, asked_agency_id, asker_id, show_name, topic, lang, body, status, received_on, moderation_due, forward_due, due_on)
     select id, id, $1, true, 'health', 'en', 'When will the clinic open?', 'published', current_date, current_date, current_date, current_date + 30 from agencies where slug = 'akimat' returning id`,
    [asker.id],
  )
  const page = `/en/dialogue/questions/${id}`
  const first = await app.inject({ url: page })
  assert.equal(first.statusCode, 200)
  assert.match(first.body, /When will the clinic open\?/)
  assert.match(first.body, /Aigerim Sarsenova/)
  assert.equal((await app.inject({ url: page })).headers.etag, first.headers.etag, 'the page is kept')

  await db.query("update dialogue_questions set body = 'When will the new clinic open?' where id = $1", [id])
  assert.match((await app.inject({ url: page })).body, /When will the new clinic open\?/, 'the question\'s change is seen')
  await db.query("update users set display_name = 'Aigerim S.' where id = $1", [asker.id])
  assert.match((await app.inject({ url: page })).body, /Aigerim S\./, 'the asker\'s new name is seen')
  await db.query("update agencies set name = '{\"en\": \"Akimat of the City of Almaty\"}' where slug = 'akimat'")
  assert.match((await app.inject({ url: page })).body, /Akimat of the City of Almaty/, 'the body\'s new name is seen')

  // The body's page, kept by the other process, after a change made through this one's API.
  assert.match((await other.inject({ url: '/en/agencies/akimat' })).body, /Akimat of the City of Almaty/)
  await db.query("update agencies set name = '{\"en\": \"Almaty City Akimat\"}' where slug = 'akimat'")
  assert.match((await other.inject({ url: '/en/agencies/akimat' })).body, /Almaty City Akimat/)
})

test('readers of a page that is being made wait for it: sixteen at once make it once', async (t) => {
  const app = Fastify()
  t.after(() => app.close())
  const cache = new PageCache({ maxBytes: 1024 * 1024 })
  app.decorateRequest('user', null)
  app.decorateRequest('pageSlot', null)
  app.addHook('preHandler', async (request, reply) => {
    if (await cache.sendKept(request, reply)) return reply
  })
  app.addHook('onResponse', async (request: FastifyRequest) => PageCache.release(request))
  let made = 0
  let failNext = false
  let version = '1'
  app.get('/page', { config: { pageCache: { current: async () => ({ version }) } } }, async (request, reply) => {
    made += 1
    await new Promise((resolve) => setTimeout(resolve, 50))
    if (failNext) {
      failNext = false
      return reply.code(500).send('no')
    }
    const html = `<p>page ${made}</p>`
    cache.keep(request, reply, html)
    return reply.type('text/html').send(html)
  })
  const bodies = await Promise.all(Array.from({ length: 16 }, () => app.inject({ url: '/page' }).then((r) => r.body)))
  assert.equal(made, 1)
  assert.deepEqual(new Set(bodies), new Set(['<p>page 1</p>']))

  // A page that could not be made lets those who waited make it, at once.
  version = '2'
  failNext = true
  const started = Date.now()
  const [failed, ...rest] = await Promise.all(Array.from({ length: 3 }, () => app.inject({ url: '/page' })))
  assert.equal(failed!.statusCode, 500)
  assert.deepEqual(rest.map((r) => r.statusCode), [200, 200])
  assert.ok(Date.now() - started < 5000, 'those who waited did not wait out the limit')
  assert.equal(made, 4, 'the failed page, then each waiter its own (both found none kept)')
})

test('readers arriving together share one version read, but never one that started before they came', async () => {
  let committed = 1
  const reads: Array<{ saw: number; answer: () => void }> = []
  const shared = new SharedRead(() => new Promise<number>((resolve) => {
    const saw = committed
    reads.push({ saw, answer: () => resolve(saw) })
  }))
  const first = shared.get()
  assert.equal(reads.length, 1)
  // A change is committed while the first read runs; then three readers come.
  committed = 2
  const later = [shared.get(), shared.get(), shared.get()]
  assert.equal(reads.length, 1, 'no second read while one runs')
  reads[0]!.answer()
  assert.equal(await first, 1)
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(reads.length, 2, 'one read for the three, started after the first ended')
  reads[1]!.answer()
  assert.deepEqual(await Promise.all(later), [2, 2, 2], 'each sees the change committed before it came')
  // Alone, a reader reads at once.
  const alone = shared.get()
  assert.equal(reads.length, 3)
  reads[2]!.answer()
  assert.equal(await alone, 2)
})
