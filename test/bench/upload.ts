// Benchmark (not a test): from a publisher's upload to a table readers can query, end to end, on a
// PostgreSQL server. The server runs as a site runs it (build/main.js, or the source with
// BENCH_SERVER=source); a CSV of BENCH_ROWS rows (1M, ~100 MB) is sent to CKAN's resource_create
// over HTTP, and the clock stops when datastore_search first answers for it (its loading job woken
// by the upload's commit, the file sniffed, copied, vacuumed and swapped in). Beside it, rounds
// alternated, `psql \copy` of the same file into a table of the same columns: what loading that
// file costs at least. Medians are compared.
// Run: npm run bench:upload (BENCH_ROWS, BENCH_ROUNDS, BENCH_SERVER=built|source)
import { execFile } from 'node:child_process'
import { openAsBlob } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { generateCsv, scratchServerDatabase, serverArgs, startServer, stopServer } from './common.ts'
import { migrate } from '../../src/platform/db/migrate.ts'
import { openPostgres } from '../../src/platform/db/postgres.ts'
import { makeAgency, makeDataset } from '../helpers/factories.ts'
import { editorToken } from '../helpers/users.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const PORT = 3191
const BASE = `http://127.0.0.1:${PORT}`
const run = promisify(execFile)
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const url = await scratchServerDatabase('ashyq_bench_upload')
if (!url) {
  console.log('No PostgreSQL server reachable: nothing to measure.')
  process.exit(0)
}
const scratch = await mkdtemp(path.join(tmpdir(), 'ashyq-bench-upload-'))
const file = path.join(scratch, 'payments.csv')
const size = await generateCsv(file, ROWS)
const db = await openPostgres(url)
await migrate(db)
await makeAgency(db, { slug: 'bench' })
const datasetId = await makeDataset(db, 'bench', { name: 'bench-upload' }, null)
const token = await editorToken(db, 'bench')
await db.exec('create table raw_copy (payment_id int8, region text, year int8, amount numeric, paid_on date, recipient text)')
const server = await startServer(serverArgs(), { PORT: String(PORT), DATABASE_URL: url, ASHYQ_DEMO: 'false', ASHYQ_FILES_DIR: path.join(scratch, 'files'), LOG_LEVEL: 'warn' })

/** Seconds from the upload's first byte to the first answer of datastore_search, and of the upload alone. */
async function uploadToLive(round: number): Promise<{ live: number; upload: number }> {
  const form = new FormData()
  form.append('package_id', datasetId)
  form.append('name', `Payments ${round}`)
  form.append('upload', await openAsBlob(file, { type: 'text/csv' }), `payments-${round}.csv`)
  const started = performance.now()
  const response = await fetch(`${BASE}/api/3/action/resource_create`, { method: 'POST', body: form, headers: { authorization: token } })
  if (!response.ok) throw new Error(`resource_create answered ${response.status}: ${await response.text()}`)
  const upload = (performance.now() - started) / 1000
  const { result } = (await response.json()) as { result: { id: string } }
  for (;;) {
    const search = await fetch(`${BASE}/api/3/action/datastore_search?resource_id=${result.id}&limit=0`)
    await search.arrayBuffer()
    if (search.ok) return { live: (performance.now() - started) / 1000, upload }
    await sleep(20)
  }
}

async function psqlCopy(): Promise<number> {
  await db.exec('truncate raw_copy')
  const started = performance.now()
  await run('psql', [url!, '-qc', `\\copy raw_copy from '${file}' with (format csv, header true)`])
  return (performance.now() - started) / 1000
}

const lives: number[] = []
const uploads: number[] = []
const copies: number[] = []
for (let round = 1; round <= ROUNDS; round += 1) {
  const { live, upload } = await uploadToLive(round)
  lives.push(live)
  uploads.push(upload)
  copies.push(await psqlCopy())
  console.log(`round ${round}: upload to live ${live.toFixed(2)} s (the upload itself ${upload.toFixed(2)} s), psql \\copy ${copies.at(-1)!.toFixed(2)} s`)
}
console.log(`\n${ROWS.toLocaleString('en')} rows, ${(size / 1048576).toFixed(0)} MB, server run as \`node ${serverArgs().join(' ')}\`, medians of ${ROUNDS} rounds:\n`)
console.log('| upload to live (s) | of which the upload (s) | psql \\copy (s) | ratio | goal |\n|---|---|---|---|---|')
const ratio = median(lives) / median(copies)
console.log(`| ${median(lives).toFixed(2)} | ${median(uploads).toFixed(2)} | ${median(copies).toFixed(2)} | ${ratio.toFixed(2)}× | ≤ 1.5× ${ratio <= 1.5 ? 'met' : 'not met'} |`)
await stopServer(server)
await db.close()
await rm(scratch, { recursive: true, force: true })
