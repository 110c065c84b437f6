// Benchmark (not a test): the portal's pages under load, on PGlite and, when reachable, on a
// PostgreSQL server, with the demo data: the catalog's first page and a dataset page with its chart
// and map, at concurrency 16, each beside a bare Fastify route that sends the same page as a string
// kept in memory (what the server can send at all). Rounds alternate; medians are compared.
// The process's resident memory after start, after the rounds, and after a pause is printed too.
// Run: npm run bench:pages (BENCH_SECONDS, BENCH_ROUNDS, BENCH_ONLY=postgres|pglite)
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import Fastify from 'fastify'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { CONCURRENCY, loadTest, scratchServerDatabase } from './common.ts'
import { buildApp } from '../../src/app.ts'
import { migrate } from '../../src/platform/db/migrate.ts'
import { pgliteDb } from '../../src/platform/db/pglite.ts'
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

async function run(label: string, db: Db): Promise<void> {
  await migrate(db)
  const files = new FileStore(await mkdtemp(path.join(tmpdir(), 'ashyq-bench-files-')), 1024 ** 3)
  await seedDemo(db, files)
  while (await runDatastoreLoads({ db, files }) > 0);
  const app = await buildApp({ db, files, config: { logLevel: 'silent' } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  console.log(`\n${label}: ${rssMb()} MB resident after start`)
  // The same pages as strings, sent by a bare route: the ceiling for a page of that size.
  const kept = new Map<string, string>()
  for (const page of PAGES) kept.set(page.path, await (await fetch(`${base}${page.path}`)).text())
  const bare = Fastify()
  bare.get('/*', async (request, reply) => reply.type('text/html; charset=utf-8').send(kept.get(request.url)))
  await bare.listen({ port: 0, host: '127.0.0.1' })
  const bareBase = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`

  console.log(`\n| ${label} | concurrency ${CONCURRENCY} | p50 ms | p95 ms | req/s | cached string req/s | ratio | goal |`)
  console.log('|---|---|---|---|---|---|---|---|')
  for (const page of PAGES) {
    const runs: Array<Awaited<ReturnType<typeof loadTest>>> = []
    const bareRuns: typeof runs = []
    for (let round = 0; round < ROUNDS; round += 1) {
      runs.push(await loadTest(base, () => page.path, SECONDS))
      bareRuns.push(await loadTest(bareBase, () => page.path, SECONDS))
    }
    const median = (list: typeof runs) => [...list].sort((a, b) => a.rps - b.rps)[Math.floor(list.length / 2)]!
    const measured = median(runs)
    const ceiling = median(bareRuns)
    console.log(`| ${page.name} (${(kept.get(page.path)!.length / 1024).toFixed(0)} KB) | ${page.path} | ${measured.p50.toFixed(1)} | ${measured.p95.toFixed(1)} | ${measured.rps.toFixed(0)}${measured.errors ? ` (${measured.errors} errors)` : ''} | ${ceiling.rps.toFixed(0)} | ${(measured.rps / ceiling.rps).toFixed(3)} | ≥ ${page.goal} req/s ${measured.rps >= page.goal ? 'met' : 'not met'} |`)
  }
  console.log(`\n${label}: ${rssMb()} MB resident after the rounds`)
  global.gc?.()
  await sleep(5000)
  console.log(`${label}: ${rssMb()} MB resident 5 s later${global.gc ? ' (after a collection)' : ''}`)
  await bare.close()
  await app.close()
  await rm(files.dir, { recursive: true, force: true })
}

if (process.env.BENCH_ONLY !== 'postgres') {
  const dir = await mkdtemp(path.join(tmpdir(), 'ashyq-bench-pglite-'))
  const raw = await PGlite.create(dir, { extensions: { pg_trgm } })
  const db = pgliteDb(raw)
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
