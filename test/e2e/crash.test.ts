import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../helpers/ports.ts'
import { randomBytes, randomInt } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type Db } from '../../src/platform/db/index.ts'
import { migrate } from '../../src/platform/db/migrate.ts'
import { registerUser, insertRoleGrant } from '../../src/platform/auth/accounts.ts'
import { createApiToken } from '../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.ts'
import { SERVER_URL } from '../helpers/db.ts'

const ROUNDS = 10

/** An administrator's API token, made directly in the database the server will use. */
async function adminToken(db: Db): Promise<string> {
  await migrate(db)
  const user = await db.transaction(async (tx) => {
    const created = await registerUser(tx, { email: 'crash-admin@example.kz', password: 'crash-test-password' })
    await insertRoleGrant(tx, SYSTEM_ACTOR, created.id, 'admin')
    return created
  })
  return (await createApiToken(db, SYSTEM_ACTOR, user.id, 'crash test')).token
}

function startServer(env: NodeJS.ProcessEnv): { child: ChildProcess; ready: Promise<void>; exited: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'error', ASHYQ_DEMO: 'false', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk
      if (/is running on/.test(output)) resolve()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before it was ready:\n${output}`)))
  })
  return { child, ready, exited, output: () => output }
}

async function crashRounds(env: NodeJS.ProcessEnv, token: string): Promise<void> {
  const acknowledged: string[] = []
  for (let round = 0; round < ROUNDS; round += 1) {
    const port = await freePort()
    const server = startServer({ ...env, PORT: String(port) })
    await server.ready
    const base = `http://127.0.0.1:${port}`

    // Everything acknowledged before, in earlier rounds, is there after each restart.
    for (const slug of acknowledged) {
      const response = await fetch(`${base}/api/agencies/${slug}`)
      assert.equal(response.status, 200, `round ${round}: ${slug} was acknowledged and is lost`)
    }

    // Four writers at once until the kill, at a random moment.
    let killed = false
    const writer = async (w: number) => {
      for (let i = 0; !killed; i += 1) {
        const slug = `crash-${round}-${w}-${i}`
        try {
          const response = await fetch(`${base}/api/agencies`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ slug, kind: 'quasi', name: { ru: `Организация ${slug}`, en: `Organisation ${slug}` } }),
          })
          if (response.status === 201) acknowledged.push(slug)
          else assert.fail(`round ${round}: ${slug} answered ${response.status}: ${await response.text()}`)
        } catch (error) {
          if (!killed) throw error
        }
      }
    }
    const writers = [0, 1, 2, 3].map(writer)
    await new Promise((r) => setTimeout(r, randomInt(150, 1200)))
    killed = true
    server.child.kill('SIGKILL')
    await Promise.allSettled(writers)
    await server.exited
  }
  assert.ok(acknowledged.length > ROUNDS, `writes were acknowledged (${acknowledged.length})`)

  // A last clean start: every acknowledged write is there.
  const port = await freePort()
  const server = startServer({ ...env, PORT: String(port) })
  try {
    await server.ready
    const all = (await (await fetch(`http://127.0.0.1:${port}/api/agencies?perPage=100&kind=quasi`)).json()) as { total: number }
    assert.ok(all.total >= acknowledged.length)
    for (const slug of acknowledged) {
      assert.equal((await fetch(`http://127.0.0.1:${port}/api/agencies/${slug}`)).status, 200, `${slug} is lost`)
    }
  } finally {
    server.child.kill('SIGTERM')
    await server.exited
  }
}

test(`every acknowledged write survives SIGKILL, ${ROUNDS} times in a row, on PGlite`, { skip: Boolean(SERVER_URL) && 'runs in the PGlite pass' }, async (t) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashyq-crash-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  const db = await openDatabase({ dataDir, databaseUrl: undefined })
  const token = await adminToken(db)
  await db.close()
  await crashRounds({ ASHYQ_DATA_DIR: dataDir, DATABASE_URL: '' }, token)
})

test(`every acknowledged write survives SIGKILL, ${ROUNDS} times in a row, on PostgreSQL`, { skip: !SERVER_URL && 'needs DATABASE_URL' }, async (t) => {
  const name = `ashyq_crash_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: SERVER_URL })
  await admin.connect()
  await admin.query(`create database ${name}`)
  t.after(async () => {
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  })
  const url = new URL(SERVER_URL!)
  url.pathname = `/${name}`
  const db = await openDatabase({ dataDir: '', databaseUrl: url.toString() })
  const token = await adminToken(db)
  await db.close()
  await crashRounds({ DATABASE_URL: url.toString() }, token)
})
