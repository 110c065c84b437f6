import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildApp } from '../../../src/app.ts'
import { rm, writeFile } from 'node:fs/promises'
import { readMigrations } from '../../../src/platform/db/migrate.ts'
import { createTestDb } from '../../helpers/db.ts'
import { testFileStore } from '../../helpers/files.ts'

test('/health/live answers while the process does; /health/ready only with the database migrated, the file store writable and no shutdown under way', async (t) => {
  const db = await createTestDb()
  let stopping = false
  const files = testFileStore()
  const app = await buildApp({ db, files, config: { logLevel: 'silent' }, stopping: () => stopping })
  t.after(async () => {
    await app.close()
    await db.close()
  })
  const ready = async () => {
    const response = await app.inject({ url: '/health/ready' })
    assert.equal(response.headers['cache-control'], 'no-store')
    return { status: response.statusCode, body: response.json() }
  }
  const live = await app.inject({ url: '/health/live' })
  assert.equal(live.statusCode, 200)
  assert.deepEqual(live.json(), { status: 'live' })
  assert.deepEqual(await ready(), { status: 200, body: { status: 'ready', checks: { database: 'ok', migrations: 'ok', files: 'ok', server: 'ok' } } })

  // A file store that cannot be written: a file stands where its folder was.
  await rm(files.dir, { recursive: true })
  await writeFile(files.dir, '')
  assert.deepEqual(await ready(), { status: 503, body: { status: 'not ready', checks: { database: 'ok', migrations: 'ok', files: 'unreachable', server: 'ok' } } })
  await rm(files.dir)
  assert.equal((await ready()).status, 200, 'the folder is made again')

  // The code knows a migration the database has not had (a release started before its migrations ran).
  const latest = (await readMigrations()).at(-1)!.version
  await db.query('delete from schema_migrations where version = $1', [latest])
  assert.equal((await ready()).body.checks.migrations, `behind: ${latest - 1} of ${latest}`)
  await db.query("insert into schema_migrations (version, name) values ($1, 'again')", [latest])
  assert.equal((await ready()).status, 200)

  stopping = true
  assert.deepEqual(await ready(), { status: 503, body: { status: 'not ready', checks: { database: 'ok', migrations: 'ok', files: 'ok', server: 'shutting down' } } })
  assert.equal((await app.inject({ url: '/health/live' })).statusCode, 200, 'alive while it shuts down')
})
