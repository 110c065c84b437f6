import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb } from '../../helpers/db.ts'
import { migrate, readMigrations, SchemaTooNewError } from '../../../src/platform/db/migrate.ts'

test('migrations are applied once, in order, and recorded', async (t) => {
  const db = await createTestDb({ migrated: false })
  t.after(() => db.close())
  const known = await readMigrations()
  assert.ok(known.length >= 2)
  assert.deepEqual(await migrate(db), known.map((m) => m.version))
  assert.deepEqual(await migrate(db), [], 'a second run applies nothing')
  const rows = await db.query<{ version: number }>('select version from schema_migrations order by version')
  assert.deepEqual(rows.map((r) => r.version), known.map((m) => m.version))
  const [agencies] = await db.query<{ count: number }>('select count(*)::int as count from agencies')
  assert.equal(agencies?.count, 0)
})

test('the server refuses a database whose schema is newer than the code', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  await db.query("insert into schema_migrations (version, name) values (9999, 'from_the_future')")
  await assert.rejects(migrate(db), (error: unknown) => {
    assert.ok(error instanceof SchemaTooNewError)
    assert.equal(error.databaseVersion, 9999)
    assert.match(error.message, /newer than this code/)
    return true
  })
})

test('a failing migration leaves no trace and stops the rest', async (t) => {
  const db = await createTestDb({ migrated: false })
  t.after(() => db.close())
  const migrations = [
    { version: 1, name: 'good', sql: 'create table good (id int)' },
    { version: 2, name: 'bad', sql: 'create table half (id int); select no_such_function()' },
    { version: 3, name: 'later', sql: 'create table later (id int)' },
  ]
  await assert.rejects(migrate(db, migrations), /no_such_function/)
  const tables = await db.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_name in ('good', 'half', 'later')",
  )
  assert.deepEqual(tables.map((r) => r.name), ['good'])
  const versions = await db.query<{ version: number }>('select version from schema_migrations')
  assert.deepEqual(versions.map((r) => r.version), [1])
})
