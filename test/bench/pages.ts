// Benchmark (not a test): the portal's pages under load, on PGlite and, when reachable, on a
// PostgreSQL server, with the demo data: the catalog's first page and a dataset page with its chart
// and map, at concurrency 16, asked as a browser asks (Brotli accepted), each beside a bare Fastify
// route that sends the same bytes kept in memory (what the server can send at all), and beside the
// same page made afresh for every request (an app that keeps no pages). Rounds alternate; medians
// are compared. The load comes from wrk in another process when it is installed (apt-get install
// wrk), else from fetch in this one (which then takes some of the server's CPU: lower figures).
// The process's resident memory after start, after the rounds, and after a pause is printed too.
// Run: npm run bench:pages (BENCH_SECONDS, BENCH_ROUNDS, BENCH_ONLY=postgres|pglite)
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
import { FileStore } from '../../src/platform/files/index.ts'
import { seedDemo } from '../../src/demo/index.ts'
import { runDatastoreLoads } from '../../src/modules/data/datastore/ingest.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const PAGES = [
  { name: 'catalog, first page', path: '/ru/data', goal: 1000 },
  { name: 'dataset page with chart and map', path: '/ru/data/datasets/air-quality-almaty', goal: 800 },
]
const rssMb = () => (process.memoryUsage().rss / 1048576).toFixed(0)
const AS_A_BROWSER = { 'accept-encoding': 'br, gzip' }

/** Requests path at base under load: wrk from outside when installed, else fetch from here. */
async function measure(base: string, path: string): Promise<{ p50: number; tail: number; rps: number; errors: number }> {
  if (HAS_WRK) {
    const { p99, ...rest } = await wrkTest(`${base}${path}`, SECONDS, AS_A_BROWSER)
    return { ...rest, tail: p99 }
  }
  const { p95, ...rest } = await loadTest(base, () => path, SECONDS)
  return { ...rest, tail: p95 }
}

async function run(label: string, db: Db): Promise<void> {
  await migrate(db)
  const files = new FileStore(await mkdtemp(path.join(tmpdir(), 'ashyq-bench-files-')), 1024 ** 3)
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
  console.log(`\n${label}: ${rssMb()} MB resident after the rounds`)
  global.gc?.()
  await sleep(5000)
  console.log(`${label}: ${rssMb()} MB resident 5 s later${global.gc ? ' (after a collection)' : ''}`)
  await bare.close()
  await afresh.close()
  await app.close()
  await rm(files.dir, { recursive: true, force: true })
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
