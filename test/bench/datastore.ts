// Benchmark (not a test): the datastore on a generated CSV of BENCH_ROWS rows (1M, ~100 MB, by
// default), on PGlite and, when reachable, on a PostgreSQL server.
// 1. Ingest: the whole background load (sniffing, chunking, COPY, swap) in rows per second and the
//    process's peak RSS, beside a raw COPY of the same file into the same database in the same run.
//    The load timed is a warm process's (one that has loaded such a file before, as a running site's
//    has); the first load of a new process is printed beside it.
// 2. datastore_search with a filter and a sort at concurrency 16, beside a bare Fastify route that
//    runs the same SQL through the same connection and returns the rows, loaded by wrk from another
//    process when installed (one region a request, in turn), else by fetch from this one.
// Run: npm run bench:datastore (BENCH_ROWS, BENCH_SECONDS, BENCH_ROUNDS, BENCH_ONLY=postgres|pglite; PGlite gets ASHYQ_PGLITE_BUFFERS_MB)
import { createReadStream } from 'node:fs'
import { mkdtemp, open as open_, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { pipeline } from 'node:stream/promises'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { CONCURRENCY, generateCsv, HAS_WRK, loadTest, REGIONS, scratchServerDatabase, wrkTest } from './common.ts'
import { from as copyFrom } from 'pg-copy-streams'
import Fastify from 'fastify'
import { buildApp } from '../../src/app.ts'
import { migrate } from '../../src/platform/db/migrate.ts'
import { openPgliteThread } from '../../src/platform/db/pglite-thread.ts'
import { loadConfig } from '../../src/platform/config.ts'
import { openPostgres } from '../../src/platform/db/postgres.ts'
import type { Db } from '../../src/platform/db/index.ts'
import { indexLoadedTables } from '../../src/modules/data/datastore/ingest.ts'
import { FolderFileStore, type FileStore } from '../../src/platform/files/index.ts'
import { makeAgency, makeDataset, uploadResource } from '../helpers/factories.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const execFileAsync = promisify(execFile)
// Answers asked uncompressed, as wrk asks (the bare route compresses nothing): what is compared is
// the work of answering. Compressing 100 rows (Brotli, quality 4) costs the API ~1 ms of CPU more.
const UNCOMPRESSED = { 'accept-encoding': 'identity' }
/** Samples the process's resident memory while fn runs; returns fn's time and the peak. */
async function measured<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; peakRssMb: number; startRssMb: number }> {
  const start = process.memoryUsage().rss
  let peak = start
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 20)
  const started = performance.now()
  try {
    const result = await fn()
    return { result, seconds: (performance.now() - started) / 1000, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 1048576, startRssMb: start / 1048576 }
  } finally {
    clearInterval(timer)
  }
}

/**
 * Requests pathFor(0…19) (one a region) from base for seconds, uncompressed: wrk from another process
 * when installed, else fetch from this one; p50, p95 (wrk: p99) and throughput.
 */
async function measure(base: string, pathFor: (i: number) => string, seconds: number): Promise<{ p50: number; p95: number; rps: number; errors: number }> {
  if (!HAS_WRK) return loadTest(base, pathFor, seconds, UNCOMPRESSED)
  const paths = REGIONS.map((_, i) => pathFor(i))
  const { p99, ...rest } = await wrkTest(`${base}${paths[0]}`, seconds, UNCOMPRESSED, paths)
  return { ...rest, p95: p99 }
}

const RAW_TABLE = `create table raw_copy (payment_id int8, region text, year int8, amount numeric, paid_on date, recipient text)`

async function rawCopy(db: Db, url: string | undefined, file: string): Promise<number> {
  await db.exec(`drop table if exists raw_copy; ${RAW_TABLE}`)
  if (url) {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const stream = client.query(copyFrom('COPY raw_copy FROM STDIN WITH (FORMAT csv, HEADER true)'))
      await pipeline(createReadStream(file), stream)
      return Number(stream.rowCount)
    } finally {
      await client.end()
    }
  }
  // The file read whole and copied in one COPY through the same thread the loader's pieces take,
  // its header left out.
  const bytes = await readFile(file)
  return db.copyFrom('raw_copy', ['payment_id', 'region', 'year', 'amount', 'paid_on', 'recipient'], bytes.subarray(bytes.indexOf(10) + 1))
}


/**
 * Loads the queued files (the warm-up file, then the benchmark's twice) in a process of its own
 * (datastore-load.ts): the seconds of the second load (a warm process's), of the first, and memory.
 */
async function loadInChild(target: string, filesDir: string): Promise<{ seconds: number; firstSeconds: number; startRssMb: number; peakRssMb: number }> {
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('datastore-load.ts', import.meta.url)), target, filesDir], { maxBuffer: 1 << 20 })
  const result = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { loaded: number; seconds: number[]; startRssMb: number; peakRssMb: number }
  if (result.loaded !== 3) throw new Error(`the loading process loaded ${result.loaded} files, not the warm-up file and the benchmark's twice`)
  return { ...result, seconds: result.seconds[2]!, firstSeconds: result.seconds[1]! }
}

/**
 * The benchmark on one database: `open` opens it (again: PGlite is closed while another process
 * loads into its directory), `target` is what the loading process opens.
 */
async function run(label: string, open: () => Promise<Db>, target: string, url: string | undefined, file: string, size: number): Promise<void> {
  let db = await open()
  await migrate(db)
  const files = new FolderFileStore(await mkdtemp(path.join(tmpdir(), 'ashyq-bench-files-')), 10 * 1024 ** 3)
  await makeAgency(db, { slug: 'bench' })
  const datasetId = await makeDataset(db, 'bench', { name: 'bench-payments' }, null)
  // The file's first rows, loaded first in the loading process to warm it up.
  const head = Buffer.alloc(2 * 1024 * 1024)
  const handle = await open_(file, 'r')
  const { bytesRead } = await handle.read(head, 0, head.length, 0).finally(() => handle.close())
  const warmUp = head.subarray(0, head.lastIndexOf(10, bytesRead - 1) + 1)
  // Loads and raw COPYs take turns, ROUNDS times each; the medians are compared (a single COPY on
  // this machine varies by half from one run to the next).
  const loads: Array<{ seconds: number; firstSeconds: number; startRssMb: number; peakRssMb: number }> = []
  const raws: Array<Awaited<ReturnType<typeof measured<number>>>> = []
  let resourceId = ''
  for (let round = 0; round < ROUNDS; round += 1) {
    await uploadResource(db, files, datasetId, `warm-up-${round}.csv`, warmUp)
    await uploadResource(db, files, datasetId, `first-${round}.csv`, createReadStream(file))
    const id = await uploadResource(db, files, datasetId, `payments-${round}.csv`, createReadStream(file))
    resourceId ||= id
    if (!url) await db.close()
    loads.push(await loadInChild(target, files.dir))
    if (!url) db = await open()
    const [state] = await db.query<{ state: string; error: unknown }>('select load_state as state, load_error as error from data_datastore where resource_id = $1', [id])
    if (state?.state !== 'ready') throw new Error(`the load failed: ${JSON.stringify(state)}`)
    raws.push(await measured(() => rawCopy(db, url, file)))
  }
  const indexing = await measured(() => indexLoadedTables(db))
  const [{ rows } = { rows: 0 }] = await db.query<{ rows: number }>('select row_count::int as rows from data_datastore where resource_id = $1', [resourceId])
  const median = <T extends { seconds: number }>(runs: T[]): T => [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!
  const ingest = median(loads)
  const raw = median(raws)
  const peak = (runs: Array<{ peakRssMb: number }>) => Math.max(...runs.map((r) => r.peakRssMb)).toFixed(0)
  const times = (runs: Array<{ seconds: number }>) => runs.map((r) => r.seconds.toFixed(1)).join(', ')
  console.log(`\n${label}: ${rows} rows, ${(size / 1048576).toFixed(0)} MB, ${ROUNDS} rounds (medians; each round's seconds in brackets)`)
  console.log('| database | what | seconds | rows/s | RSS before → peak, MB |')
  console.log('|---|---|---|---|---|')
  console.log(`| ${label} | Ashyq load to a live table (sniff, chunks, numbers, COPY, swap), in a process of its own that has loaded one such file before | ${ingest.seconds.toFixed(1)} (${times(loads)}) | ${(rows / ingest.seconds).toFixed(0)} | ${loads[0]!.startRssMb.toFixed(0)} → ${peak(loads)} |`)
  const firsts = loads.map((l) => ({ seconds: l.firstSeconds }))
  const first = median(firsts)
  console.log(`| ${label} | the same, as the first load of a new process (after the warm-up file) | ${first.seconds.toFixed(1)} (${times(firsts)}) | ${(rows / first.seconds).toFixed(0)} | |`)
  console.log(`| ${label} | then the row number's key, an index per column (6) and statistics, on ${2 * ROUNDS} tables, already live | ${indexing.seconds.toFixed(1)} | | ${indexing.startRssMb.toFixed(0)} → ${indexing.peakRssMb.toFixed(0)} |`)
  console.log(`| ${label} | raw COPY of the same file | ${raw.seconds.toFixed(1)} (${times(raws)}) | ${(raw.result / raw.seconds).toFixed(0)} | ${raws[0]!.startRssMb.toFixed(0)} → ${peak(raws)} |`)
  console.log(`| ${label} | ratio (load / raw; a first load's in brackets) | | ${(raw.seconds / ingest.seconds).toFixed(2)}× (${(raw.seconds / first.seconds).toFixed(2)}×) | |`)

  // The same filter and sort through the API and through a bare route, on a settled table: as a
  // site's autovacuum would have by then, the rows' hint bits are set and the index builds' pages
  // written, so neither side pays for them in its first round.
  await db.exec(`vacuum datastore."${resourceId}"`)
  await db.exec('checkpoint')
  const app = await buildApp({ db, files, config: { logLevel: 'silent', trustProxy: true } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const bare = Fastify()
  bare.get('/rows', async (request) => {
    const region = (request.query as { region: string }).region
    return db.query(`select _id, payment_id, region, year, amount, paid_on, recipient from datastore."${resourceId}" where region = any($1::text[]) order by amount desc, _id limit 100`, [[region]])
  })
  await bare.listen({ port: 0, host: '127.0.0.1' })
  const bareBase = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`
  const search = (i: number) => `/api/3/action/datastore_search?resource_id=${resourceId}&filters=${encodeURIComponent(JSON.stringify({ region: REGIONS[i % REGIONS.length] }))}&sort=${encodeURIComponent('amount desc')}&limit=100&include_total=false`
  const bareRows = (i: number) => `/rows?region=${encodeURIComponent(REGIONS[i % REGIONS.length]!)}`
  await measure(base, search, SECONDS / 2)
  await measure(bareBase, bareRows, SECONDS / 2)
  // The two take turns, ROUNDS times each, and their medians are compared: what else the machine
  // (or the database: autovacuum on the new tables) does then weighs on both alike.
  const apiRuns: Array<Awaited<ReturnType<typeof measure>>> = []
  const bareRuns: Array<Awaited<ReturnType<typeof measure>>> = []
  for (let round = 0; round < ROUNDS; round += 1) {
    apiRuns.push(await measure(base, search, SECONDS))
    bareRuns.push(await measure(bareBase, bareRows, SECONDS))
  }
  const byRps = (runs: typeof apiRuns) => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!
  const api = byRps(apiRuns)
  const baseline = byRps(bareRuns)
  console.log(`\n| database | datastore_search, filter + sort, concurrency ${CONCURRENCY} | p50 ms | ${HAS_WRK ? 'p99' : 'p95'} ms | req/s |`)
  console.log('|---|---|---|---|---|')
  console.log(`| ${label} | datastore_search | ${api.p50.toFixed(1)} | ${api.p95.toFixed(1)} | ${api.rps.toFixed(0)} |${api.errors ? ` ${api.errors} errors` : ''}`)
  console.log(`| ${label} | bare route, same SQL | ${baseline.p50.toFixed(1)} | ${baseline.p95.toFixed(1)} | ${baseline.rps.toFixed(0)} |`)
  const roundRatios = apiRuns.map((a, i) => a.rps / bareRuns[i]!.rps)
  const ratioGoal = label === 'PostgreSQL' ? ` (goal ≥ 0.9×: ${api.rps / baseline.rps >= 0.9 ? 'met' : 'not met'})` : ''
  console.log(`| ${label} | ratio of the medians (each round's ratio in brackets; their median)${ratioGoal} | | | ${(api.rps / baseline.rps).toFixed(2)}× (${roundRatios.map((r) => r.toFixed(2)).join(', ')}; ${[...roundRatios].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!.toFixed(2)}×) |`)
  // With the total (CKAN's default): the rows and a count of every matching row.
  const withTotal = (i: number) => search(i).replace('include_total=false', 'include_total=true')
  const totals: Array<Awaited<ReturnType<typeof measure>>> = []
  for (let round = 0; round < ROUNDS; round += 1) totals.push(await measure(base, withTotal, SECONDS))
  const total = byRps(totals)
  const totalGoal = label === 'PGlite' ? ` (goal ≥ 200: ${total.rps >= 200 ? 'met' : 'not met'})` : ''
  console.log(`| ${label} | datastore_search with the total (${totals.map((r) => r.rps.toFixed(0)).join(', ')}) | ${total.p50.toFixed(1)} | ${total.p95.toFixed(1)} | ${total.rps.toFixed(0)}${totalGoal} |${total.errors ? ` ${total.errors} errors` : ''}`)
  await bare.close()
  await app.close()
  await rm(files.dir, { recursive: true, force: true })
}


const dir = await mkdtemp(path.join(tmpdir(), 'ashyq-bench-'))
const file = path.join(dir, 'payments.csv')
const size = await generateCsv(file, ROWS)
if (process.env.BENCH_ONLY !== 'postgres') {
  // On disk, as `npm start` runs it: in memory, the table's own pages would count as the process's RSS.
  const pgliteDir = path.join(dir, 'pglite')
  let pglite: Db | null = null
  await run('PGlite', async () => (pglite = await openPgliteThread(pgliteDir, { buffersMb: loadConfig().pgliteBuffersMb })), pgliteDir, undefined, file, size)
  await pglite!.close()
}
const url = process.env.BENCH_ONLY === 'pglite' ? undefined : await scratchServerDatabase('ashyq_bench_datastore')
if (url) {
  const server = await openPostgres(url, 20)
  await run('PostgreSQL', async () => server, url, url, file, size)
  await server.close()
} else if (process.env.BENCH_ONLY !== 'pglite') {
  console.log('\nNo PostgreSQL server reachable: the server figures are skipped.')
}
await rm(dir, { recursive: true, force: true })
