import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb, openAsSiteOwner, SERVER_URL } from '../helpers/db.ts'
import { migrate } from '../../src/platform/db/migrate.ts'
import { recordChange, historyOf, SYSTEM_ACTOR } from '../../src/platform/audit/index.ts'

test('audit rows cannot be updated, deleted or truncated', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  await recordChange(db, SYSTEM_ACTOR, { action: 'agency.update', entity: 'agency', entityId: 'x', before: { a: 1 }, after: { a: 2 } })
  await assert.rejects(db.query("update audit_log set action = 'forged'"), /append-only/)
  await assert.rejects(db.query('delete from audit_log'), /append-only/)
  await assert.rejects(db.exec('truncate audit_log'), /append-only/)
  const history = await historyOf(db, 'agency', 'x')
  assert.equal(history.length, 1)
  assert.equal(history[0]?.action, 'agency.update')
  assert.deepEqual(history[0]?.after, { a: 2 })
})

test('on PostgreSQL, the role the app runs as holds no UPDATE or DELETE privilege on the audit log', { skip: !SERVER_URL && 'needs a PostgreSQL server (PGlite runs as a superuser; the trigger holds there)' }, async (t) => {
  // The app's own, non-superuser role owns its database and runs the migrations, as in production.
  const db = await openAsSiteOwner(t)
  try {
    await migrate(db)
    await recordChange(db, SYSTEM_ACTOR, { action: 'agency.update', entity: 'agency', entityId: 'x', before: null, after: { a: 1 } })
    const [row] = await db.query<{ can_update: boolean; can_delete: boolean; can_insert: boolean }>(
      `select has_table_privilege('audit_log', 'UPDATE') as can_update,
              has_table_privilege('audit_log', 'DELETE') as can_delete,
              has_table_privilege('audit_log', 'INSERT') as can_insert`,
    )
    assert.deepEqual(row, { can_update: false, can_delete: false, can_insert: true })
    await assert.rejects(db.query("update audit_log set action = 'forged'"), /permission denied/)
    await assert.rejects(db.query('delete from audit_log'), /permission denied/)
  } finally {
    await db.close()
  }
})
