// Benchmark (not a test): the portal's pages under load, on PGlite and, when reachable, on a
// PostgreSQL server, with the demo data: the catalog's first page and a dataset page with its chart
// and map, at concurrency 16, asked as a browser asks (Brotli accepted), each beside a bare Fastify
// route that sends the same bytes kept in memory (what the server can send at all), and beside the
// same page made afresh for every request (an app that keeps no pages). Rounds alternate; medians
// are compared. The load comes from wrk in another process when it is installed (apt-get install
// wrk), else from fetch in this one (which then takes some of the server's CPU: lower figures).
// The process's resident memory after start, after the rounds, and after a pause is printed too.
// Then every other public page and a static file, each measured in turn with the catalog's page in
// the same round, as a ratio to it (the goal: pages at least half the catalog's rate, static files
// at least the catalog's), and pages as a signed-in reader gets them (made afresh: reported only).
// Run: npm run bench:pages (BENCH_SECONDS, BENCH_ROUNDS, BENCH_SITE_SECONDS, BENCH_ONLY=postgres|pglite)
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import Fastify from 'fastify'
import { CONCURRENCY, HAS_WRK, loadTest, scratchServerDatabase, wrkTest } from './common.ts'
import { buildApp } from '../../src/app.ts'
import { migrate } from '../../src/platform/db/migrate.ts'
import { openPgliteThread } from '../../src/platform/db/pglite-thread.ts'
import { loadConfig } from '../../src/platform/config.ts'
import { openPostgres } from '../../src/platform/db/postgres.ts'
import type { Db } from '../../src/platform/db/index.ts'
import { FolderFileStore, type FileStore } from '../../src/platform/files/index.ts'
import { seedDemo } from '../../src/demo/index.ts'
import { runDatastoreLoads } from '../../src/modules/data/datastore/ingest.ts'
import { registerUser } from '../../src/platform/auth/accounts.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SITE_SECONDS = Number(process.env.BENCH_SITE_SECONDS ?? 3)
const SITE_ROUNDS = Number(process.env.BENCH_SITE_ROUNDS ?? 2)
const PAGES = [
  { name: 'catalog, first page', path: '/ru/data', goal: 1000 },
  { name: 'dataset page with chart and map', path: '/ru/data/datasets/air-quality-almaty', goal: 800 },
]
const rssMb = () => (process.memoryUsage().rss / 1048576).toFixed(0)
const AS_A_BROWSER = { 'accept-encoding': 'br, gzip' }

/** Requests path at base under load: wrk from outside when installed, else fetch from here. */
async function measure(base: string, path: string, seconds = SECONDS, headers: Record<string, string> = {}): Promise<{ p50: number; tail: number; rps: number; errors: number }> {
  if (HAS_WRK) {
    const { p99, ...rest } = await wrkTest(`${base}${path}`, seconds, { ...AS_A_BROWSER, ...headers })
    return { ...rest, tail: p99 }
  }
  const { p95, ...rest } = await loadTest(base, () => path, seconds, headers)
  return { ...rest, tail: p95 }
}

async function run(label: string, db: Db): Promise<void> {
  await migrate(db)
  const files = new FolderFileStore(await mkdtemp(path.join(tmpdir(), 'ashyq-bench-files-')), 1024 ** 3)
  await seedDemo(db, files)
  while (await runDatastoreLoads({ db, files }) > 0);
  const app = await buildApp({ db, files, config: { logLevel: 'silent' } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  // The same pages made afresh for every request: an app on the same database that keeps none.
  const afresh = await buildApp({ db, files, config: { logLevel: 'silent', pageCacheBytes: 0 } })
  await afresh.listen({ port: 0, host: '127.0.0.1' })
  const afreshBase = `http://127.0.0.1:${(afresh.server.address() as AddressInfo).port}`
  console.log(`\n${label}: ${rssMb()} MB resident after start`)
  // The same pages as bytes, as the browser got them, sent by a bare route: the ceiling for a page of that size.
  const kept = new Map<string, { body: Buffer; encoding: string; length: number }>()
  for (const page of PAGES) {
    const response = await app.inject({ url: page.path, headers: AS_A_BROWSER })
    kept.set(page.path, { body: response.rawPayload, encoding: String(response.headers['content-encoding'] ?? 'identity'), length: (await app.inject({ url: page.path })).rawPayload.length })
  }
  const bare = Fastify()
  bare.get('/*', async (request, reply) => {
    const page = kept.get(request.url)!
    return reply.type('text/html; charset=utf-8').header('content-encoding', page.encoding).send(page.body)
  })
  await bare.listen({ port: 0, host: '127.0.0.1' })
  const bareBase = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`

  console.log(`\nLoad from ${HAS_WRK ? 'wrk, in another process' : 'fetch in this process (wrk is not installed)'}, at concurrency ${CONCURRENCY}, Brotli accepted; ${HAS_WRK ? 'p99' : 'p95'} is the tail.`)
  console.log(`\n| ${label} | p50 ms | tail ms | req/s | bytes sent | cached bytes req/s | ratio | made afresh req/s | goal |`)
  console.log('|---|---|---|---|---|---|---|---|---|')
  for (const page of PAGES) {
    const runs: Array<Awaited<ReturnType<typeof measure>>> = []
    const bareRuns: typeof runs = []
    const afreshRuns: typeof runs = []
    for (let round = 0; round < ROUNDS; round += 1) {
      runs.push(await measure(base, page.path))
      bareRuns.push(await measure(bareBase, page.path))
      afreshRuns.push(await measure(afreshBase, page.path))
    }
    const median = (list: typeof runs) => [...list].sort((a, b) => a.rps - b.rps)[Math.floor(list.length / 2)]!
    const measured = median(runs)
    const ceiling = median(bareRuns)
    const made = median(afreshRuns)
    const { body, encoding, length } = kept.get(page.path)!
    console.log(`| ${page.name}, ${page.path} (${(length / 1024).toFixed(0)} KB) | ${measured.p50.toFixed(1)} | ${measured.tail.toFixed(1)} | ${measured.rps.toFixed(0)}${measured.errors ? ` (${measured.errors} errors)` : ''} | ${(body.length / 1024).toFixed(0)} KB ${encoding} | ${ceiling.rps.toFixed(0)} | ${(measured.rps / ceiling.rps).toFixed(3)} | ${made.rps.toFixed(0)} | ≥ ${page.goal} req/s ${measured.rps >= page.goal ? 'met' : 'not met'} |`)
  }
  await sitePages(label, db, app, base)
  console.log(`\n${label}: ${rssMb()} MB resident after the rounds`)
  global.gc?.()
  await sleep(5000)
  console.log(`${label}: ${rssMb()} MB resident 5 s later${global.gc ? ' (after a collection)' : ''}`)
  await bare.close()
  await afresh.close()
  await app.close()
  await rm(files.dir, { recursive: true, force: true })
}

/** The demo's public pages of every portal, by what a reader would open. */
async function publicPages(db: Db): Promise<Array<{ name: string; path: string; goal: number }>> {
  const one = async (sql: string) => String((await db.query<{ v: string }>(sql))[0]?.v ?? '')
  const question = await one("select id::text as v from dialogue_questions where status in ('published', 'answered') order by (status = 'answered') desc, id limit 1")
  const draft = await one("select id::text as v from legal_act_drafts where status <> 'preparation' order by (status = 'discussion') desc, id limit 1")
  const blog = await one('select a.slug as v from dialogue_blogs b join agencies a on a.id = b.agency_id order by b.agency_id limit 1')
  const post = await one('select id::text as v from dialogue_posts order by id limit 1')
  const agency = await one('select slug as v from agencies order by id limit 1')
  const pages = [
    { name: 'home', path: '/ru/' },
    { name: 'a dataset with chart and map', path: PAGES[1]!.path },
    { name: 'bodies', path: '/ru/agencies' },
    { name: 'a body', path: `/ru/agencies/${agency}` },
    { name: 'dialogue', path: '/ru/dialogue' },
    { name: 'a head\'s blog', path: blog && `/ru/dialogue/${blog}` },
    { name: 'a question', path: question && `/ru/dialogue/questions/${question}` },
    { name: 'a blog post', path: post && `/ru/dialogue/posts/${post}` },
    { name: 'dialogue statistics (charts)', path: '/ru/dialogue/statistics' },
    { name: 'legal acts', path: '/ru/legal-acts' },
    { name: 'a draft with comments', path: draft && `/ru/legal-acts/drafts/${draft}` },
    { name: 'bodies\' discussion facts', path: '/ru/legal-acts/bodies' },
    { name: 'search', path: '/ru/search?q=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82' },
    { name: 'API reference', path: '/ru/api' },
  ]
  return [
    ...pages.filter((p) => p.path).map((p) => ({ ...p, goal: 0.5 })),
    { name: 'static file (favicon.svg)', path: '/assets/images/favicon.svg', goal: 1 },
  ]
}

/** Each public page against the catalog's, in the same rounds; then pages as a signed-in reader gets them. */
async function sitePages(label: string, db: Db, app: Awaited<ReturnType<typeof buildApp>>, base: string): Promise<void> {
  const catalog = PAGES[0]!.path
  console.log(`\n| ${label}: page | status | req/s | the catalog's req/s, same rounds | ratio | goal |`)
  console.log('|---|---|---|---|---|---|')
  for (const page of await publicPages(db)) {
    const status = (await app.inject({ url: page.path })).statusCode
    const ratios: number[] = []
    let rps = 0
    let catalogRps = 0
    for (let round = 0; round < SITE_ROUNDS; round += 1) {
      const theCatalog = await measure(base, catalog, SITE_SECONDS)
      const it = await measure(base, page.path, SITE_SECONDS)
      ratios.push(it.rps / theCatalog.rps)
      rps += it.rps / SITE_ROUNDS
      catalogRps += theCatalog.rps / SITE_ROUNDS
    }
    const ratio = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!
    console.log(`| ${page.name}, ${page.path} | ${status} | ${rps.toFixed(0)} | ${catalogRps.toFixed(0)} | ${ratio.toFixed(2)}× | ≥ ${page.goal}× ${ratio >= page.goal ? 'met' : 'not met'} |`)
  }
  // A signed-in reader's pages are theirs (their name, their forms' token): made for each request.
  const email = `bench-${Date.now()}@example.kz`
  await registerUser(db, { email, password: 'steppe-eagle-over-altai', displayName: 'Bench Reader' })
  const form = await app.inject({ url: '/ru/sign-in' })
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
  const formCookies = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  const signIn = await app.inject({ method: 'POST', url: '/ru/sign-in', headers: { cookie: formCookies, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: token, email, password: 'steppe-eagle-over-altai' }).toString() })
  const session = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  if (signIn.statusCode !== 303 || !session) {
    console.log(`\nSigning in for the signed-in figures failed (${signIn.statusCode}): skipped.`)
    return
  }
  console.log(`\n| ${label}: signed in | req/s | p50 ms |`)
  console.log('|---|---|---|')
  for (const path of ['/ru/', '/ru/data', '/ru/dialogue', '/ru/legal-acts', '/ru/dialogue/statistics', '/ru/account']) {
    const it = await measure(base, path, SITE_SECONDS, { cookie: `${formCookies}; ${session}` })
    console.log(`| ${path} | ${it.rps.toFixed(0)}${it.errors ? ` (${it.errors} errors)` : ''} | ${it.p50.toFixed(1)} |`)
  }
}

if (process.env.BENCH_ONLY !== 'postgres') {
  const dir = await mkdtemp(path.join(tmpdir(), 'ashyq-bench-pglite-'))
  const db = await openPgliteThread(dir, { buffersMb: loadConfig().pgliteBuffersMb })
  await run('PGlite', db)
  await db.close()
  await rm(dir, { recursive: true, force: true })
}
const url = process.env.BENCH_ONLY === 'pglite' ? undefined : await scratchServerDatabase('ashyq_bench_pages')
if (url) {
  const server = await openPostgres(url, 20)
  await run('PostgreSQL', server)
  await server.close()
} else if (process.env.BENCH_ONLY !== 'pglite') {
  console.log('\nNo PostgreSQL server reachable: the server figures are skipped.')
}
