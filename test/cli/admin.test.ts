import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb } from '../helpers/db.ts'
import { makeAgency } from '../helpers/factories.ts'
import { runAdminCommand, UsageError } from '../../src/cli/admin.ts'
import { authenticate, findUserByEmail } from '../../src/platform/auth/accounts.ts'

test('create-user makes an administrator who can sign in with the printed password', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  const output = await runAdminCommand(db, ['create-user', '--email', 'Root@Example.kz', '--role', 'admin'])
  const password = /Password \(shown once\): (\S+)/.exec(output)?.[1]
  assert.ok(password)
  const user = await authenticate(db, 'root@example.kz', password)
  assert.ok(user)
  assert.deepEqual(user.roles.map((g) => g.role), ['admin'])
})

test('an agency role needs an existing body, and a failed grant leaves no account behind', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  await assert.rejects(runAdminCommand(db, ['create-user', '--email', 'ed@example.kz', '--role', 'agency-editor', '--agency', 'no-such-body']), /Invalid input: agency/)
  assert.equal(await findUserByEmail(db, 'ed@example.kz'), undefined)
  await makeAgency(db, { slug: 'ministry-of-health' })
  await runAdminCommand(db, ['create-user', '--email', 'ed@example.kz', '--role', 'agency-editor', '--agency', 'ministry-of-health', '--password', 'a-long-enough-password'])
  const user = await findUserByEmail(db, 'ed@example.kz')
  assert.deepEqual(user?.roles.map((g) => [g.role, g.agencySlug]), [['agency-editor', 'ministry-of-health']])
})

test('unknown commands and roles print the usage', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  await assert.rejects(runAdminCommand(db, ['drop-everything', '--email', 'x@example.kz']), UsageError)
  await assert.rejects(runAdminCommand(db, ['create-user', '--email', 'x@example.kz', '--role', 'emperor']), /Unknown role "emperor"/)
})
