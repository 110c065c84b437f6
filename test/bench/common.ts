// What the benchmarks share: load generators and a scratch database on the PostgreSQL server.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import pg from 'pg'
import { createWriteStream, existsSync } from 'node:fs'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { once } from 'node:events'
import { SERVER_NODE_FLAGS } from '../../src/platform/memory.ts'

export const CONCURRENCY = 16

/**
 * Requests pathFor(0), pathFor(1), … from base at CONCURRENCY for seconds, with headers; latencies
 * and throughput. fetch asks for compressed answers unless headers say otherwise.
 */
export async function loadTest(base: string, pathFor: (i: number) => string, seconds: number, headers: Record<string, string> = {}): Promise<{ p50: number; p95: number; rps: number; errors: number }> {
  const latencies: number[] = []
  let errors = 0
  let counter = 0
  const until = performance.now() + seconds * 1000
  // Each of the CONCURRENCY clients from an address of its own (the app trusts X-Forwarded-For
  // here), as many visitors are: limits per address would otherwise hold one client to its share.
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, client) => {
    const asked = { ...headers, 'x-forwarded-for': `198.18.0.${client + 1}` }
    while (performance.now() < until) {
      const i = counter++
      const started = performance.now()
      const response = await fetch(`${base}${pathFor(i)}`, { headers: asked })
      await response.arrayBuffer()
      if (!response.ok) errors += 1
      latencies.push(performance.now() - started)
    }
  }))
  latencies.sort((a, b) => a - b)
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!
  return { p50: at(0.5), p95: at(0.95), rps: latencies.length / seconds, errors }
}

/** Whether wrk (Debian's package wrk) is installed: the load then comes from outside the process measured. */
export const HAS_WRK = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' })
    return true
  } catch (error) {
    // wrk --version prints its version and exits with 1.
    return (error as { status?: number }).status === 1
  }
})()

const run = promisify(execFile)

/** wrk's "6.92ms", "812.00us", "1.20s" in milliseconds. */
function wrkMs(text: string): number {
  const [, value, unit] = /^([\d.]+)(us|ms|s)$/.exec(text.trim()) ?? []
  if (!value) throw new Error(`wrk printed an unexpected latency: ${text}`)
  return Number(value) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1)
}

/**
 * url requested by wrk from another process at CONCURRENCY for seconds (whole ones: wrk takes no fractions) (one thread: the machine's
 * other core is the server's), with headers; p50, p99, throughput, and answers that were not 2xx/3xx.
 * connections at once (CONCURRENCY unless told). With paths, url's host is asked for them in turn, each request from the next of CONCURRENCY
 * addresses (X-Forwarded-For: limits per address would otherwise hold the load to one's share).
 */
export async function wrkTest(url: string, seconds: number, headers: Record<string, string> = {}, paths: string[] = [], connections = CONCURRENCY): Promise<{ p50: number; p99: number; rps: number; errors: number }> {
  let script: string | undefined
  if (paths.length > 0) {
    script = path.join(await mkdtemp(path.join(tmpdir(), 'ashyq-wrk-')), 'paths.lua')
    await writeFile(script, `local paths = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, paths[(i % #paths) + 1], { ["X-Forwarded-For"] = "198.18.0." .. ((i % ${CONCURRENCY}) + 1) })
end
`)
  }
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${Math.max(1, Math.round(seconds))}s`, '--latency', ...(script ? ['-s', script] : []), ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url])
  if (script) await rm(path.dirname(script), { recursive: true, force: true })
  const line = (pattern: RegExp) => pattern.exec(stdout)?.[1] ?? ''
  return {
    p50: wrkMs(line(/^\s+50%\s+(\S+)/m)),
    p99: wrkMs(line(/^\s+99%\s+(\S+)/m)),
    rps: Number(line(/^Requests\/sec:\s+([\d.]+)/m)),
    errors: Number(line(/^\s+Non-2xx or 3xx responses: (\d+)/m) || 0) + Number(line(/Socket errors: connect (\d+)/) || 0),
  }
}

/** A fresh database `name` on the server (DATABASE_URL, else the local one), or undefined when none answers. */
export async function scratchServerDatabase(name: string): Promise<string | undefined> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
  try {
    await client.connect()
    await client.query(`drop database if exists ${name} with (force)`)
    await client.query(`create database ${name}`)
    const scratch = new URL(url)
    scratch.pathname = `/${name}`
    return scratch.toString()
  } catch {
    return undefined
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** The regions the generated CSV's rows take turns in. */
export const REGIONS = ['Астана', 'Алматы', 'Шымкент', 'Абайская область', 'Акмолинская область', 'Актюбинская область', 'Алматинская область', 'Атырауская область',
  'Восточно-Казахстанская область', 'Жамбылская область', 'Жетысуская область', 'Западно-Казахстанская область', 'Карагандинская область', 'Костанайская область',
  'Кызылординская область', 'Мангистауская область', 'Павлодарская область', 'Северо-Казахстанская область', 'Туркестанская область', 'Улытауская область']

/** Writes the benchmarks' CSV of payments, rows long (1M is ~100 MB); returns its size in bytes. */
export async function generateCsv(file: string, rows: number): Promise<number> {
  const out = createWriteStream(file)
  out.write('payment_id,region,year,amount,paid_on,recipient\n')
  let buffer = ''
  for (let i = 1; i <= rows; i += 1) {
    const day = String(1 + (i % 28)).padStart(2, '0')
    const month = String(1 + (i % 12)).padStart(2, '0')
    buffer += `${i},${REGIONS[i % REGIONS.length]},${2015 + (i % 10)},${(i * 7919 % 1_000_000) / 100},${2015 + (i % 10)}-${month}-${day},"Получатель ${i % 50_000}, ТОО"\n`
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain')
      buffer = ''
    }
  }
  out.end(buffer)
  await once(out, 'finish')
  return (await stat(file)).size
}

/**
 * How a benchmark runs the server: the compiled build/main.js as `npm run serve` runs it, or the
 * source as `npm start` runs it when BENCH_SERVER=source (both with SERVER_NODE_FLAGS).
 */
export function serverArgs(): string[] {
  if (process.env.BENCH_SERVER === 'source') return [...SERVER_NODE_FLAGS, '--import', 'tsx', 'src/main.ts']
  if (!existsSync('build/main.js')) throw new Error('No build/main.js: run npm run build first')
  return [...SERVER_NODE_FLAGS, 'build/main.js']
}

/** Starts the server with args and env (HOST 127.0.0.1); resolves once it says it is running. */
export async function startServer(args: string[], env: Record<string, string>): Promise<ChildProcess> {
  const server = spawn(process.execPath, args, {
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    let output = ''
    // Read to the end (the request log), kept only until the server says it is running.
    server.stdout!.on('data', (chunk: Buffer) => {
      if (output.includes('Ashyq is running')) return
      output += chunk.toString()
      if (output.includes('Ashyq is running')) resolve()
    })
    server.once('exit', (code) => reject(new Error(`the server stopped with code ${code}:\n${output}`)))
  })
  return server
}

/** Stops a server started by startServer, as a site is stopped (SIGTERM), and waits for it to end. */
export async function stopServer(server: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => server.once('exit', resolve))
  server.kill('SIGTERM')
  await exited
}
