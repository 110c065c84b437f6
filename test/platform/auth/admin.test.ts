import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { Browser } from '../../helpers/forms.ts'
import { makeUser, TEST_PASSWORD } from '../../helpers/users.ts'
import { findUserByEmail } from '../../../src/platform/auth/accounts.ts'

test('an administrator grants and revokes roles on the accounts page; others get 403', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'akimat-almaty', kind: 'local', name: { kk: 'Алматы қаласының әкімдігі', ru: 'Акимат города Алматы', en: 'Akimat of Almaty' } })
  })
  t.after(close)
  const admin = await makeUser(db, 'admin')
  const citizen = await makeUser(db)
  const browser = new Browser(app)
  await browser.post('/ru/sign-in', { email: admin.email, password: TEST_PASSWORD })

  const page = await browser.get('/ru/admin/users')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<option value="akimat-almaty">Акимат города Алматы<\/option>/)

  const missingBody = await browser.post('/ru/admin/users', { email: citizen.email, role: 'agency-editor', agency: '' })
  assert.equal(missingBody.statusCode, 400)
  assert.match(missingBody.body, /Выберите госорган/)
  const granted = await browser.post('/ru/admin/users', { email: citizen.email, role: 'agency-editor', agency: 'akimat-almaty' })
  assert.equal(granted.statusCode, 303)
  const user = await findUserByEmail(db, citizen.email)
  assert.deepEqual(user?.roles.map((g) => [g.role, g.agencySlug]), [['agency-editor', 'akimat-almaty']])
  assert.match((await browser.get('/ru/admin/users')).body, /Редактор госоргана — Акимат города Алматы/)

  const [audit] = await db.query<{ action: string; actor_email: string }>("select action, actor_email from audit_log where entity = 'user' and entity_id = $1", [String(citizen.id)])
  assert.deepEqual(audit, { action: 'role.grant', actor_email: admin.email })

  const revoked = await browser.post(`/ru/admin/users/grants/${user!.roles[0]!.id}/revoke`, {}, { from: '/ru/admin/users' })
  assert.equal(revoked.statusCode, 303)
  assert.deepEqual((await findUserByEmail(db, citizen.email))?.roles, [])

  const other = new Browser(app)
  await other.post('/en/sign-in', { email: citizen.email, password: TEST_PASSWORD })
  assert.equal((await other.get('/en/admin/users')).statusCode, 403)
  const forged = await other.post('/en/admin/users', { email: citizen.email, role: 'admin' }, { from: '/en/account' })
  assert.equal(forged.statusCode, 403)
  assert.deepEqual((await findUserByEmail(db, citizen.email))?.roles, [])
})
