import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './helpers/ports.ts'
import { openPglite } from '../src/platform/db/pglite.ts'
import { SERVER_NODE_FLAGS } from '../src/platform/memory.ts'

interface Run {
  output: () => string
  exited: Promise<number | null>
  stop: () => void
}

// As `npm start` starts it (a test below holds package.json's scripts to the same flags).
function start(env: NodeJS.ProcessEnv, args = [...SERVER_NODE_FLAGS, '--import', 'tsx', 'src/main.ts']): Run {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { output: () => output, exited, stop: () => child.kill('SIGTERM') }
}

async function waitFor(run: Run, pattern: RegExp, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!pattern.test(run.output())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output:\n${run.output()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

// This test is about the embedded mode that `npm start` uses on a fresh machine.
test('npm start on an empty data folder serves the demo, then refuses a schema newer than its code', { skip: Boolean(process.env.DATABASE_URL) && 'runs on PGlite only' }, async (t) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashyq-start-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  const port = await freePort()

  const first = start({ PORT: String(port), HOST: '127.0.0.1', ASHYQ_DATA_DIR: dataDir, DATABASE_URL: '', ASHYQ_SHUTDOWN_DELAY_SECONDS: '2' })
  try {
    await waitFor(first, new RegExp(`running on http://127.0.0.1:${port}`))
    assert.match(first.output(), /Demo data loaded: \d+ state bodies/)
    assert.match(first.output(), /admin\s+admin@demo\.ashyq\.kz\s+\S{12,}/, 'demo passwords are printed')
    assert.doesNotMatch(first.output(), /was started without/, 'started as npm start starts it, nothing is missing')
    const home = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual', headers: { 'accept-language': 'ru' } })
    assert.equal(home.status, 302)
    assert.equal(home.headers.get('location'), '/ru/')
    const agencies = (await (await fetch(`http://127.0.0.1:${port}/api/agencies?perPage=1`)).json()) as { total: number }
    assert.ok(agencies.total >= 30)
    assert.equal((await fetch(`http://127.0.0.1:${port}/health/ready`)).status, 200)
  } finally {
    first.stop()
  }
  // For ASHYQ_SHUTDOWN_DELAY_SECONDS after SIGTERM the server still answers, telling a load balancer it is going.
  let readiness = 200
  for (const deadline = Date.now() + 1500; readiness === 200 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    readiness = (await fetch(`http://127.0.0.1:${port}/health/ready`)).status
  }
  assert.equal(readiness, 503)
  assert.equal((await fetch(`http://127.0.0.1:${port}/health/live`)).status, 200)
  assert.equal(await first.exited, 0)

  const db = await openPglite(dataDir)
  await db.query("insert into schema_migrations (version, name) values (9999, 'from_the_future')")
  await db.close()

  const second = start({ PORT: String(port), HOST: '127.0.0.1', ASHYQ_DATA_DIR: dataDir, DATABASE_URL: '' })
  assert.equal(await second.exited, 1)
  assert.match(second.output(), /schema is at version 9999, newer than this code/)
})

test('a wrong environment variable stops the server with its name and the reason', async () => {
  const run = start({ PORT: 'eighty' })
  assert.equal(await run.exited, 1)
  assert.match(run.output(), /Invalid configuration: PORT must be a whole number from 1 to 65535, got "eighty"/)
  assert.doesNotMatch(run.output(), /at .*\.ts:\d+/, 'no stack trace')
})

test('npm run build compiles the site to build/, and npm run serve runs it on the demo without a TypeScript loader', { skip: Boolean(process.env.DATABASE_URL) && 'runs on PGlite only' }, async (t) => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'pipe' })
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashyq-serve-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  const port = await freePort()
  const built = start({ PORT: String(port), HOST: '127.0.0.1', ASHYQ_DATA_DIR: dataDir, DATABASE_URL: '' }, [...SERVER_NODE_FLAGS, 'build/main.js'])
  try {
    await waitFor(built, new RegExp(`running on http://127.0.0.1:${port}`))
    // Templates, locales, styles and migrations are found from the compiled tree.
    const catalog = await fetch(`http://127.0.0.1:${port}/ru/data`)
    assert.equal(catalog.status, 200)
    assert.match(await catalog.text(), /Открытые данные/)
    const style = await fetch(`http://127.0.0.1:${port}/static/ashyq.css`)
    assert.equal(style.status, 200)
    // The stylesheet was compiled by the build, not by the server at its start.
    // (fetch's text() drops the byte order mark Sass writes before a stylesheet with non-ASCII text.)
    assert.equal(await style.text(), readFileSync('build/platform/html/ashyq.css', 'utf8').replace(/^\uFEFF/, ''))
    const packages = (await (await fetch(`http://127.0.0.1:${port}/api/3/action/package_list`)).json()) as { result: string[] }
    assert.ok(packages.result.length > 0)
  } finally {
    built.stop()
  }
  assert.equal(await built.exited, 0, built.output())
})
