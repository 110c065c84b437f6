// Benchmark (not a test): how the site answers while it loads a large file into the datastore on
// PGlite, with the engine on the server's own thread and on a thread of its own (as the site runs
// it). A client in another process asks, one request after another every 100 ms, for CKAN's
// status_show (no database), a dataset (package_show: the database) and the catalog page (kept
// whole after its first request) while the same process loads BENCH_ROWS rows (1M, ~100 MB) and
// builds their indexes; their latencies are printed with the load's time.
// Run: npm run bench:during-load (BENCH_ROWS; ASHYQ_PGLITE_BUFFERS_MB)
import { spawn } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { generateCsv } from './common.ts'
import { buildApp } from '../../src/app.ts'
import { migrate } from '../../src/platform/db/migrate.ts'
import { openPglite } from '../../src/platform/db/pglite.ts'
import { openPgliteThread } from '../../src/platform/db/pglite-thread.ts'
import { loadConfig } from '../../src/platform/config.ts'
import type { Db } from '../../src/platform/db/index.ts'
import { FolderFileStore, type FileStore } from '../../src/platform/files/index.ts'
import { runDatastoreLoads } from '../../src/modules/data/datastore/ingest.ts'
import { makeAgency, makeDataset, uploadResource } from '../helpers/factories.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)

// The client: asks for each path in turn every 100 ms until its input closes, then prints each
// path's latencies in milliseconds as JSON.
const CLIENT = `
const [base, ...paths] = process.argv.slice(1)
const seen = Object.fromEntries(paths.map((p) => [p, []]))
let open = true
process.stdin.on('close', () => { open = false }).resume()
;(async () => {
  while (open) {
    for (const p of paths) {
      const started = performance.now()
      const response = await fetch(base + p)
      await response.arrayBuffer()
      if (!response.ok) throw new Error(p + ' answered ' + response.status)
      seen[p].push(performance.now() - started)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  console.log(JSON.stringify(seen))
})()
`

function summary(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!.toFixed(0)
  return `${at(0.5)} | ${at(0.95)} | ${sorted.at(-1)!.toFixed(0)}`
}

async function run(label: string, open: (dir: string) => Promise<Db>, file: string): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ashyq-bench-during-load-'))
  const db = await open(path.join(dir, 'data'))
  await migrate(db)
  const files = new FolderFileStore(path.join(dir, 'files'), 10 * 1024 ** 3)
  await makeAgency(db, { slug: 'bench' })
  const datasetId = await makeDataset(db, 'bench', { name: 'bench-payments' }, null)
  const app = await buildApp({ db, files, config: { logLevel: 'silent' } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const paths = ['/api/3/action/status_show', `/api/3/action/package_show?id=${datasetId}`, '/ru/data']
  await uploadResource(db, files, datasetId, 'payments.csv', createReadStream(file))
  const client = spawn(process.execPath, ['-e', CLIENT, base, ...paths], { stdio: ['pipe', 'pipe', 'inherit'] })
  let output = ''
  client.stdout.on('data', (chunk: Buffer) => { output += chunk })
  const exited = new Promise((resolve) => client.once('exit', resolve))
  const started = performance.now()
  // As the site's job runs it (Db.background).
  while (await runDatastoreLoads({ db: db.background(), files }) > 0);
  const seconds = (performance.now() - started) / 1000
  client.stdin.end()
  await exited
  const seen = JSON.parse(output) as Record<string, number[]>
  console.log(`\n${label}: the load and its indexes took ${seconds.toFixed(1)} s\n`)
  console.log('| Request during the load | requests | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|')
  for (const p of paths) console.log(`| ${p.replace(datasetId, '…')} | ${seen[p]!.length} | ${summary(seen[p]!)} |`)
  await app.close()
  await db.close()
  await rm(dir, { recursive: true, force: true })
}

const scratch = await mkdtemp(path.join(tmpdir(), 'ashyq-bench-during-load-csv-'))
const file = path.join(scratch, 'payments.csv')
await generateCsv(file, ROWS)
const buffersMb = loadConfig().pgliteBuffersMb
await run('PGlite on the server\'s thread', (dir) => openPglite(dir, { buffersMb }), file)
await run('PGlite on a thread of its own (as the site runs it)', (dir) => openPgliteThread(dir, { buffersMb }), file)
await rm(scratch, { recursive: true, force: true })
