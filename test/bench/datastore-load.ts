// Part of the datastore benchmark (datastore.ts), not run on its own: loads every queued file
// into the datastore in a process of its own and prints its time and memory as JSON, so that the
// peak memory measured is a loading process's (code, driver and, for PGlite, the database itself),
// not the benchmark's, which has just generated the file.
// Usage: tsx test/bench/datastore-load.ts <postgres URL | PGlite directory> <files directory>
import { performance } from 'node:perf_hooks'
import { openPgliteThread } from '../../src/platform/db/pglite-thread.ts'
import { loadConfig } from '../../src/platform/config.ts'
import { openPostgres } from '../../src/platform/db/postgres.ts'
import { loadDueFiles } from '../../src/modules/data/datastore/ingest.ts'
import { FolderFileStore, type FileStore } from '../../src/platform/files/index.ts'

const [target, filesDir] = process.argv.slice(2) as [string, string]
const db = target.startsWith('postgres') ? await openPostgres(target) : await openPgliteThread(target, { buffersMb: loadConfig().pgliteBuffersMb })
const files = new FolderFileStore(filesDir, 10 * 1024 ** 3)
const startRssMb = process.memoryUsage().rss / 1048576
// One file at a time, in the order queued: a small one first warms the process up (compiled code,
// connections, PGlite's grown memory), then the benchmark's file twice: the first is a first load in
// a new process, the second is timed as the load of a server that has loaded files before.
const seconds: number[] = []
for (;;) {
  const started = performance.now()
  // As the site's job runs it (Db.background).
  if ((await loadDueFiles({ db: db.background(), files }, 1)) === 0) break
  seconds.push((performance.now() - started) / 1000)
}
await db.close()
process.stdout.write(JSON.stringify({ loaded: seconds.length, seconds, startRssMb, peakRssMb: process.resourceUsage().maxRSS / 1024 }))
