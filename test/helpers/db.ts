import { createHash, randomBytes } from 'node:crypto'
import type { TestContext } from 'node:test'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { Db } from '../../src/platform/db/index.ts'
import { pgliteDb, pgliteOptions } from '../../src/platform/db/pglite.ts'
import { openPgliteThread } from '../../src/platform/db/pglite-thread.ts'
import { openPostgres, type PostgresOptions } from '../../src/platform/db/postgres.ts'
import { migrate, readMigrations } from '../../src/platform/db/migrate.ts'

/** The PostgreSQL server the suite runs against, when DATABASE_URL is set; else PGlite. */
export const SERVER_URL = process.env.DATABASE_URL?.trim() || undefined

const CACHE_DIR = path.resolve('node_modules/.cache/ashyq-test')

// initdb takes seconds; a migrated template, dumped once and shared by every test file through a
// file keyed by the migrations' content, takes about one to load.
async function pgliteTemplate(): Promise<Blob> {
  const migrations = await readMigrations()
  const key = createHash('sha256').update(JSON.stringify(migrations)).digest('hex').slice(0, 16)
  const file = path.join(CACHE_DIR, `template-${key}.tar.gz`)
  if (existsSync(file)) return new Blob([await readFile(file)])
  const pglite = await PGlite.create(pgliteOptions())
  await migrate(pgliteDb(pglite), migrations)
  const dump = await pglite.dumpDataDir('gzip')
  await pglite.close()
  await mkdir(CACHE_DIR, { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, Buffer.from(await dump.arrayBuffer()))
  await rename(tmp, file)
  return dump
}

/** A fresh, empty database on the PostgreSQL server (DATABASE_URL): its URL, and how to drop it. */
export async function createServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ashyq_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: SERVER_URL })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(SERVER_URL!)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: SERVER_URL })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}

/**
 * A fresh database of its own for one test: migrated unless { migrated: false }. Closing drops it.
 * Embedded, on the test's own thread unless { thread: true } puts it on a thread of its own as the
 * site runs it (src/platform/db/pglite-thread.ts, whose tests and the Db contract's use it): a thread
 * costs every open a worker and every statement an exchange, which the whole suite would pay
 * hundreds of times over; the server tests (main, crash, the built server) run it as the site does.
 */
export async function createTestDb({ migrated = true, thread = false } = {}): Promise<Db> {
  if (SERVER_URL) {
    const { url, drop } = await createServerDatabase()
    const db = await openPostgres(url, 4)
    if (migrated) await migrate(db)
    return { ...db, close: async () => { await db.close(); await drop() } }
  }
  const loadDataDir = migrated ? await pgliteTemplate() : undefined
  if (thread) return openPgliteThread(undefined, { loadDataDir })
  return pgliteDb(await PGlite.create({ ...pgliteOptions(), loadDataDir }))
}

/**
 * On the PostgreSQL server, a database of its own owned by a fresh role that is no superuser and may
 * not create roles, as a site's user is in production; both are dropped after the test.
 */
export async function openAsSiteOwner(t: TestContext, options: PostgresOptions = {}): Promise<Db> {
  const suffix = randomBytes(4).toString('hex')
  const role = `ashyq_app_${suffix}`
  const database = `ashyq_own_${suffix}`
  const admin = new pg.Client({ connectionString: SERVER_URL })
  await admin.connect()
  await admin.query(`create role ${role} login`)
  await admin.query(`create database ${database} owner ${role}`)
  t.after(async () => {
    await admin.query(`drop database if exists ${database} with (force)`)
    await admin.query(`drop role if exists ${role}`)
    await admin.end()
  })
  const url = new URL(SERVER_URL!)
  url.username = role
  url.password = ''
  url.pathname = `/${database}`
  return openPostgres(url.toString(), 2, options)
}
