// Benchmark (not a test): one app server against three on the same PostgreSQL database and S3
// bucket (s3rver), with the demo data, on this machine. The load is wrk's, as a load balancer would
// deal it: one wrk per server, each with its share of the connections (16 in all), at once. Pages
// an anonymous reader asks (kept pages, checked against the database's versions on every request),
// the catalog's API, and a file download (from the bucket). Each figure is the median of the rounds.
// Run: npm run bench:servers (BENCH_SECONDS, BENCH_ROUNDS; DATABASE_URL's server, else the local one)
import { HAS_WRK, scratchServerDatabase, serverArgs, startServer, stopServer, wrkTest } from './common.ts'
import { freePort } from '../helpers/ports.ts'
import { startS3 } from '../helpers/s3.ts'
import type { ChildProcess } from 'node:child_process'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CONNECTIONS = 16
const AS_A_BROWSER = { 'accept-encoding': 'br, gzip' }

if (!HAS_WRK) throw new Error('This benchmark needs wrk (apt-get install wrk)')
const url = await scratchServerDatabase('ashyq_bench_servers')
if (!url) throw new Error('No PostgreSQL server answers (DATABASE_URL, else postgres://postgres@127.0.0.1:5432)')
const s3 = await startS3()
const servers: Array<{ base: string; process: ChildProcess }> = []
const start = async () => {
  const port = await freePort()
  const child = await startServer(serverArgs(), { DATABASE_URL: url, ...s3.env, PORT: String(port), LOG_LEVEL: 'error', ASHYQ_TRUST_PROXY: 'true' })
  servers.push({ base: `http://127.0.0.1:${port}`, process: child })
}
try {
  // The first server seeds the demo (its files into the bucket); the others find it there.
  await start()
  const base = servers[0]!.base
  const packages = await (await fetch(`${base}/api/3/action/package_search?rows=50`)).json() as { result: { results: Array<{ name: string; resources: Array<{ url: string; url_type: string | null }> }> } }
  const download = packages.result.results.flatMap((p) => p.resources).find((r) => r.url_type === 'upload')
  if (!download) throw new Error('no uploaded file in the demo')
  const targets = [
    { name: 'catalog page', path: '/ru/data' },
    { name: 'dataset page', path: `/ru/data/datasets/${packages.result.results[0]!.name}` },
    { name: 'body page', path: '/kk/agencies' },
    { name: 'package_search', path: '/api/3/action/package_search?q=budget' },
    { name: 'file download', path: new URL(download.url).pathname },
  ]
  const measure = async (path: string) => {
    const share = Math.ceil(CONNECTIONS / servers.length)
    const runs = await Promise.all(servers.map((server) => wrkTest(`${server.base}${path}`, SECONDS, AS_A_BROWSER, [], share)))
    const errors = runs.reduce((sum, r) => sum + r.errors, 0)
    if (errors > 0) throw new Error(`${path}: ${errors} answers were not 2xx or 3xx`)
    return { rps: runs.reduce((sum, r) => sum + r.rps, 0) }
  }
  const oneServer = new Map<string, number[]>()
  const threeServers = new Map<string, number[]>()
  for (const target of targets) await measure(target.path)
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const target of targets) oneServer.set(target.name, [...oneServer.get(target.name) ?? [], (await measure(target.path)).rps])
  }
  await start()
  await start()
  for (const target of targets) await measure(target.path)
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const target of targets) {
      threeServers.set(target.name, [...threeServers.get(target.name) ?? [], (await measure(target.path)).rps])
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  console.log(`${CONNECTIONS} connections, ${SECONDS} s a measure, median of ${ROUNDS} rounds, requests a second:`)
  console.log('| what | 1 server | 3 servers | ratio |')
  console.log('|---|---:|---:|---:|')
  for (const target of targets) {
    const one = median(oneServer.get(target.name)!)
    const three = median(threeServers.get(target.name)!)
    console.log(`| ${target.name} | ${one.toFixed(0)} | ${three.toFixed(0)} | ${(three / one).toFixed(2)} |`)
  }
} finally {
  for (const server of servers) await stopServer(server.process)
  await s3.close()
}
