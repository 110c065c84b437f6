// Benchmark (not a test): the resident memory of the server process as a site runs it (the compiled
// build/main.js of `npm run build`, or the source as `npm start` runs it when BENCH_SERVER=source), with
// the demo data, on PGlite and, when reachable, on a PostgreSQL server, read from /proc. The server
// starts once to fill the demo (its peak is printed), then again on the same data, as a site
// restarts: its memory idle after start, idle after one request for each page, after each of several rounds of load on the catalog and
// dataset pages (wrk when installed, else fetch from here), and after a pause. Rounds that end
// where the one before ended show memory that is used again rather than memory that grows. The
// restart's time to its first page is printed too. Goals: idle under 150 MB on PostgreSQL and 250 MB
// on PGlite; a minute after the load, within 20% of idle; the first page within 3 s of a restart.
// Run: npm run bench:memory (it builds first; BENCH_SECONDS per round, BENCH_ROUNDS, BENCH_ONLY=postgres|pglite, BENCH_SERVER=built|source)
import { readFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { HAS_WRK, loadTest, scratchServerDatabase, serverArgs, startServer, stopServer, wrkTest } from './common.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const PORT = 3190
const PAGES = ['/ru/data', '/kk/data', '/en/data?q=budget', '/ru/data/datasets/air-quality-almaty', '/kk/data/datasets/population-by-region',
  '/ru/', '/kk/dialogue', '/ru/dialogue/statistics', '/ru/legal-acts', '/kk/agencies', '/static/ashyq.css']
const QUIET_MS = 10_000
const IDLE_GOAL_MB: Record<string, number> = { PGlite: 250, PostgreSQL: 150 }

/** The process's resident and peak resident memory, in MB, from /proc. */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) }
}

const SERVER_ARGS = serverArgs()

async function run(label: string, env: Record<string, string>): Promise<void> {
  const first = await startServer(SERVER_ARGS, { PORT: String(PORT), ...env })
  const filled = await memoryOf(first.pid!)
  await stopServer(first)
  const started = performance.now()
  const server = await startServer(SERVER_ARGS, { PORT: String(PORT), ...env })
  const running = performance.now() - started
  const firstPage = await fetch(`http://127.0.0.1:${PORT}/ru/`)
  const answered = performance.now() - started
  const pid = server.pid!
  // Idle is read once the site has been quiet long enough for its collection (QuietCollector: 5 s).
  await sleep(QUIET_MS)
  const rows: Array<[string, { rss: number; peak: number }]> = [['idle after start', await memoryOf(pid)]]
  // What a site holds once each page has been asked for (templates compiled, routes' validators,
  // pages kept) and nothing more: what a load should come back to.
  for (const page of PAGES) await (await fetch(`http://127.0.0.1:${PORT}${page}`, { headers: { 'accept-encoding': 'br, gzip' } })).arrayBuffer()
  await sleep(QUIET_MS)
  rows.push(['idle after each page once', await memoryOf(pid)])
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const page of PAGES) {
      const url = `http://127.0.0.1:${PORT}${page}`
      if (HAS_WRK) await wrkTest(url, SECONDS / PAGES.length, { 'accept-encoding': 'br, gzip' })
      else await loadTest(`http://127.0.0.1:${PORT}`, () => page, SECONDS / PAGES.length)
    }
    rows.push([`after load round ${round}`, await memoryOf(pid)])
  }
  await sleep(60_000)
  rows.push(['a minute after the load', await memoryOf(pid)])
  await stopServer(server)
  const idle = rows[0]![1].rss
  const warm = rows[1]![1].rss
  const after = rows.at(-1)![1].rss
  console.log(`\n| ${label} | RSS MB | peak MB | goal |\n|---|---|---|---|`)
  console.log(`| first start, filling the demo | ${filled.rss} | ${filled.peak} | |`)
  for (const [what, memory] of rows) {
    const goal = what === 'idle after start' ? `< ${IDLE_GOAL_MB[label]} MB ${idle < IDLE_GOAL_MB[label]! ? 'met' : 'not met'}`
      : what.startsWith('a minute') ? `within 20% of idle (${Math.round(idle * 1.2)} MB) ${after <= idle * 1.2 ? 'met' : 'not met'}; ` +
        `of idle after each page once (${Math.round(warm * 1.2)} MB) ${after <= warm * 1.2 ? 'met' : 'not met'}` : ''
    console.log(`| ${what} | ${memory.rss} | ${memory.peak} | ${goal} |`)
  }
  console.log(`\n${label}: a restart said it was running after ${(running / 1000).toFixed(2)} s and answered its first page (${firstPage.status}) after ${(answered / 1000).toFixed(2)} s (goal < 3 s: ${answered < 3000 ? 'met' : 'not met'}).`)
}

console.log(`Server: Node.js ${process.version} ${SERVER_ARGS.join(' ')}. Load: ${HAS_WRK ? 'wrk' : 'fetch from the benchmark'} at concurrency 16 over ${PAGES.join(', ')}, ${SECONDS} s a round.`)
if (process.env.BENCH_ONLY !== 'postgres') {
  const dir = await mkdtemp(path.join(tmpdir(), 'ashyq-bench-memory-'))
  await run('PGlite', { ASHYQ_DATA_DIR: path.join(dir, 'data'), ASHYQ_FILES_DIR: path.join(dir, 'files') })
  await rm(dir, { recursive: true, force: true })
}
const url = process.env.BENCH_ONLY === 'pglite' ? undefined : await scratchServerDatabase('ashyq_bench_memory')
if (url) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ashyq-bench-memory-'))
  await run('PostgreSQL', { DATABASE_URL: url, ASHYQ_FILES_DIR: path.join(dir, 'files') })
  await rm(dir, { recursive: true, force: true })
} else if (process.env.BENCH_ONLY !== 'pglite') {
  console.log('\nNo PostgreSQL server reachable: the server figures are skipped.')
}
