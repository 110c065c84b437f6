import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { Browser } from '../../helpers/forms.ts'
import { makeUser, TEST_PASSWORD } from '../../helpers/users.ts'
import { findUserByEmail } from '../../../src/platform/auth/accounts.ts'
import { registerUser } from '../../../src/platform/auth/accounts.ts'

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
  assert.equal(granted.headers.location, `/ru/admin/users?q=${encodeURIComponent(citizen.email)}&done=roleGranted&item=user-${citizen.id}#done`)
  assert.match((await browser.get(String(granted.headers.location))).body, new RegExp(`id="user-${citizen.id}"[^>]*>\\s*<td[^>]*>[^<]*<p class="govuk-body ashyq-done" id="done"[^>]*><strong>Роль назначена\\.</strong>[\\s\\S]*?Редактор госоргана — Акимат города Алматы`))

  const [audit] = await db.query<{ action: string; actor_email: string }>("select action, actor_email from audit_log where entity = 'user' and entity_id = $1", [String(citizen.id)])
  assert.deepEqual(audit, { action: 'role.grant', actor_email: admin.email })

  const grantHref = `/ru/admin/users/grants/${user!.roles[0]!.id}/revoke`
  const confirm = await browser.get(grantHref)
  assert.equal(confirm.statusCode, 200)
  assert.match(confirm.body, /Отозвать роль «Редактор госоргана — Акимат города Алматы» у /)
  assert.doesNotMatch(confirm.body, /Это ваша собственная роль/)
  assert.equal((await findUserByEmail(db, citizen.email))?.roles.length, 1, 'asking is not revoking')
  const revoked = await browser.post(grantHref, {}, { from: grantHref })
  assert.equal(revoked.statusCode, 303)
  assert.match((await browser.get(String(revoked.headers.location))).body, new RegExp(`id="user-${citizen.id}"[\\s\\S]*?Роль снята\\.`))
  assert.deepEqual((await findUserByEmail(db, citizen.email))?.roles, [])

  const other = new Browser(app)
  await other.post('/en/sign-in', { email: citizen.email, password: TEST_PASSWORD })
  assert.equal((await other.get('/en/admin/users')).statusCode, 403)
  const forged = await other.post('/en/admin/users', { email: citizen.email, role: 'admin' }, { from: '/en/account' })
  assert.equal(forged.statusCode, 403)
  assert.deepEqual((await findUserByEmail(db, citizen.email))?.roles, [])
})

test('revoking a role asks first, warns about one\'s own, and never removes the last administrator', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const admin = await makeUser(db, 'admin')
  const browser = new Browser(app)
  await browser.post('/kk/sign-in', { email: admin.email, password: TEST_PASSWORD })
  const own = (await findUserByEmail(db, admin.email))!.roles[0]!.id
  const href = `/kk/admin/users/grants/${own}/revoke`
  assert.ok((await browser.get('/kk/admin/users')).body.includes(`href="${href}"`), 'the list links to the confirmation, not a button that revokes')

  const confirm = await browser.get(href)
  assert.equal(confirm.statusCode, 200)
  assert.match(confirm.body, /Бұл сіздің өз рөліңіз/)
  const refused = await browser.post(href, {}, { from: href })
  assert.equal(refused.statusCode, 409)
  assert.match(refused.body, /Бұл соңғы әкімші рөлі/)
  assert.deepEqual((await findUserByEmail(db, admin.email))?.roles.map((g) => g.role), ['admin'])
  assert.equal((await browser.get('/kk/admin/users')).statusCode, 200, 'still an administrator')

  // With a second administrator, the first may step down.
  const second = await makeUser(db, 'admin')
  assert.equal((await browser.post(href, {}, { from: href })).statusCode, 303)
  assert.deepEqual((await findUserByEmail(db, admin.email))?.roles, [])
  assert.deepEqual((await findUserByEmail(db, second.email))?.roles.map((g) => g.role), ['admin'])
  assert.equal((await browser.get('/kk/admin/users')).statusCode, 403)
})

test('the accounts page lists those holding a role, fifty a page, and finds any other by address or name, wildcards taken as letters', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const admin = await makeUser(db, 'admin')
  const browser = new Browser(app)
  await browser.post('/ru/sign-in', { email: admin.email, password: TEST_PASSWORD })
  // Fifty accounts with a role (the administrator and 49 reviewers), and citizens without one.
  // Written straight into the tables: hashing 49 passwords would take most of the test's time.
  await db.query(`with made as (insert into users (email, password_hash, display_name) select 'reviewer' || n || '@example.kz', 'x', '' from generate_series(1, 49) n returning id)
    insert into role_grants (user_id, role) select id, 'commission' from made`)
  await registerUser(db, { email: 'a_b@example.kz', password: TEST_PASSWORD, displayName: 'Айгерим Нурлановна' })
  await registerUser(db, { email: 'axb@example.kz', password: TEST_PASSWORD, displayName: 'Бауыржан' })

  const first = await browser.get('/ru/admin/users')
  assert.match(first.body, /50 учётных записей имеют роли/)
  assert.equal(first.body.match(/<tr class="govuk-table__row" id="user-/g)?.length, 50)
  assert.doesNotMatch(first.body, /a_b@example\.kz|axb@example\.kz/, 'a citizen without a role is not listed')
  assert.doesNotMatch(first.body, /govuk-pagination/, 'fifty fit one page')
  await makeUser(db, 'commission')
  const two = await browser.get('/ru/admin/users')
  assert.match(two.body, /51 учётная запись имеет роль/)
  assert.match(two.body, /href="\/ru\/admin\/users\?page=2"/)
  assert.equal((await browser.get('/ru/admin/users?page=2')).body.match(/<tr class="govuk-table__row" id="user-/g)?.length, 1)

  const found = await browser.get(`/ru/admin/users?q=${encodeURIComponent('A_B@')}`)
  assert.match(found.body, /По запросу «A_B@» найдена 1 учётная запись/)
  assert.match(found.body, /a_b@example\.kz/)
  assert.doesNotMatch(found.body, /axb@example\.kz/, 'an underscore is a letter, not any letter')
  assert.match((await browser.get(`/kk/admin/users?q=${encodeURIComponent('нурлан')}`)).body, /a_b@example\.kz/, 'found by name')
  assert.match((await browser.get('/ru/admin/users?q=nobody-here')).body, /найдено 0 учётных записей/)
  assert.equal((await browser.get('/ru/admin/users?page=0')).statusCode, 400)
})
