import { createHash, randomBytes } from 'node:crypto'
import type { TestContext } from 'node:test'
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { Db } from '../../src/platform/db/index.ts'
import { pgliteDb, pgliteOptions } from '../../src/platform/db/pglite.ts'
import { openPgliteThread } from '../../src/platform/db/pglite-thread.ts'
import { openPostgres, type PostgresOptions } from '../../src/platform/db/postgres.ts'
import { migrate, readMigrations } from '../../src/platform/db/migrate.ts'
import { loadModules } from '../../src/platform/modules.ts'

/** The PostgreSQL server the suite runs against, when DATABASE_URL is set; else PGlite. */
export const SERVER_URL = process.env.DATABASE_URL?.trim() || undefined

const CACHE_DIR = path.resolve('node_modules/.cache/ashyq-test')

// initdb takes seconds and the migrations some five more; templates of an empty and of a migrated
// database, dumped once and shared by every test file through files keyed by the migrations'
// content and the recipe below (kept in node_modules, so a fresh install makes them again), load in
// under one. The dumps are uncompressed tars: gzip's would take twice as long to open, for every test.
const templates = new Map<string, Promise<Blob>>()

// Changed when the way the PGlite templates are made changes, so that cached ones are made again.
const TEMPLATE_RECIPE = 'wal 1 MB, no template databases'

type Migrations = Awaited<ReturnType<typeof readMigrations>>

function migrationsKey(migrations: Migrations): string {
  return createHash('sha256').update(JSON.stringify(migrations)).digest('hex').slice(0, 16)
}

/** The cached PGlite template of these migrations (none: the empty database). */
function templateFile(migrations: Migrations): string {
  const key = createHash('sha256').update(TEMPLATE_RECIPE).update(migrationsKey(migrations)).digest('hex').slice(0, 16)
  return path.join(CACHE_DIR, `template-${key}.tar`)
}

function pgliteTemplate(migrated: boolean): Promise<Blob> {
  const kind = migrated ? 'migrated' : 'empty'
  let made = templates.get(kind)
  if (!made) {
    made = (async () => {
      const migrations = migrated ? await readMigrations() : []
      const file = templateFile(migrations)
      if (existsSync(file)) return new Blob([await readFile(file)])
      // What every test then unpacks is kept small: 43 MB as initdb leaves it took 0.8–1.1 s to
      // open, 15.5 MB 0.42–0.55 s (scratch timing, 2026-12-03). Its WAL in segments of 1 MB, of
      // which a checkpoint keeps two (not one of 16 MB), and without template0 and template1 (7.4 MB
      // each), which only CREATE DATABASE reads, and a test on PGlite never creates one.
      const defaults = pgliteOptions()
      const startParams = [...defaults.startParams, '-c', 'min_wal_size=2MB', '-c', 'max_wal_size=4MB']
      const pglite = migrated
        ? await PGlite.create({ ...defaults, startParams, loadDataDir: await pgliteTemplate(false) })
        : await PGlite.create({ ...defaults, startParams, initDbStartParams: ['--wal-segsize=1'] })
      if (migrated) {
        await migrate(pgliteDb(pglite), migrations)
      } else {
        await pglite.exec("update pg_database set datistemplate = false where datname in ('template0', 'template1')")
        for (const statement of ['drop database template0', 'drop database template1']) await pglite.exec(statement)
      }
      for (const statement of ['checkpoint', 'checkpoint']) await pglite.exec(statement)
      const dump = await pglite.dumpDataDir('none')
      await pglite.close()
      await mkdir(CACHE_DIR, { recursive: true })
      const tmp = `${file}.${process.pid}.tmp`
      await writeFile(tmp, Buffer.from(await dump.arrayBuffer()))
      await rename(tmp, file)
      // Templates of other migrations or recipes are not read again.
      const current = new Set([templateFile([]), templateFile(migrated ? migrations : await readMigrations())])
      for (const name of await readdir(CACHE_DIR)) {
        if (/^template-[0-9a-f]{16}\.tar$/.test(name) && !current.has(path.join(CACHE_DIR, name))) await rm(path.join(CACHE_DIR, name), { force: true })
      }
      return dump
    })()
    templates.set(kind, made)
  }
  return made
}

/** An empty PGlite database as a dump (initdb's output, cached), for tests that open PGlite themselves. */
export function emptyPgliteDump(): Promise<Blob> {
  return pgliteTemplate(false)
}

let serverTemplate: Promise<string> | undefined

/**
 * On the server, a migrated database every test's database is copied from (`create database …
 * template`), named by the migrations' content and made once, by whichever test file comes first
 * (the others wait on an advisory lock); templates of other migrations are dropped.
 */
function migratedServerTemplate(): Promise<string> {
  serverTemplate ??= (async () => {
    const name = `ashyq_tpl_${migrationsKey(await readMigrations())}`
    const admin = new pg.Client({ connectionString: SERVER_URL })
    await admin.connect()
    try {
      await admin.query("select pg_advisory_lock(hashtext('ashyq test template'))")
      const [found] = (await admin.query<{ ok: boolean }>('select true as ok from pg_database where datname = $1', [name])).rows
      if (!found) {
        await admin.query(`drop database if exists ${name}_making with (force)`)
        await admin.query(`create database ${name}_making`)
        const url = new URL(SERVER_URL!)
        url.pathname = `/${name}_making`
        const db = await openPostgres(url.toString(), 1)
        await migrate(db)
        await db.close()
        await admin.query(`alter database ${name}_making rename to ${name}`)
        for (const { datname } of (await admin.query<{ datname: string }>("select datname from pg_database where datname like 'ashyq\_tpl\_%' and datname <> $1", [name])).rows) {
          await admin.query(`drop database if exists ${datname} with (force)`).catch(() => undefined)
        }
      }
    } finally {
      await admin.query("select pg_advisory_unlock(hashtext('ashyq test template'))").catch(() => undefined)
      await admin.end()
    }
    return name
  })()
  serverTemplate.catch(() => { serverTemplate = undefined })
  return serverTemplate
}

/** A fresh database on the PostgreSQL server (DATABASE_URL), empty or migrated: its URL, and how to drop it. */
export async function createServerDatabase({ migrated = false } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ashyq_test_${randomBytes(6).toString('hex')}`
  const from = migrated ? await migratedServerTemplate() : null
  const admin = new pg.Client({ connectionString: SERVER_URL })
  await admin.connect()
  await admin.query(`create database ${name}${from ? ` template ${from}` : ''}`)
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

let modulesLoaded: Promise<unknown> | undefined

/**
 * A fresh database of its own for one test: migrated unless { migrated: false }. Closing drops it.
 * buffersMb: PGlite's shared buffers (pgliteOptions' default unless given).
 * Embedded, on the test's own thread unless { thread: true } puts it on a thread of its own as the
 * site runs it (src/platform/db/pglite-thread.ts, whose tests and the Db contract's use it): a thread
 * costs every open a worker and every statement an exchange, which the whole suite would pay
 * hundreds of times over; the server tests (main, crash, the built server) run it as the site does.
 */
export async function createTestDb({ migrated = true, thread = false, buffersMb }: { migrated?: boolean; thread?: boolean; buffersMb?: number } = {}): Promise<Db> {
  // The modules' policies are registered as the site registers them, when its modules are loaded: a
  // test that calls a module's service without an app finds the same rules.
  modulesLoaded ??= loadModules()
  await modulesLoaded
  if (SERVER_URL) {
    const { url, drop } = await createServerDatabase({ migrated })
    const db = await openPostgres(url, 4)
    return { ...db, close: async () => { await db.close(); await drop() } }
  }
  const loadDataDir = await pgliteTemplate(migrated)
  if (thread) return openPgliteThread(undefined, { loadDataDir, buffersMb })
  return pgliteDb(await PGlite.create({ ...pgliteOptions(buffersMb), loadDataDir }))
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
