import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { Browser } from '../../helpers/forms.ts'
import { makeUser, TEST_PASSWORD } from '../../helpers/users.ts'

test('a publisher creates a token shown once, stored as a hash, used as Bearer, then revoked', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-justice', name: { kk: 'Әділет министрлігі', ru: 'Министерство юстиции', en: 'Ministry of Justice' } })
  })
  t.after(close)
  const editor = await makeUser(db, 'agency-editor', 'ministry-of-justice')
  const browser = new Browser(app)
  await browser.post('/en/sign-in', { email: editor.email, password: TEST_PASSWORD })

  const created = await browser.post('/en/account/tokens', { name: 'nightly import' }, { from: '/en/account' })
  assert.equal(created.statusCode, 200)
  const token = /<code class="ashyq-token">(ashyq_[A-Za-z0-9_-]+)<\/code>/.exec(created.body)?.[1]
  assert.ok(token, 'the token is shown')
  assert.match(created.body, /shown only once/)

  const again = await browser.get('/en/account')
  assert.ok(!again.body.includes(token), 'never shown again')
  assert.match(again.body, /nightly import/)
  assert.ok(again.body.includes(token.slice(0, 12)), 'its start identifies it')

  const [stored] = await db.query<{ token_hash: string }>('select token_hash from api_tokens')
  assert.ok(stored && !stored.token_hash.includes(token) && stored.token_hash.length === 64, 'only a SHA-256 is stored')

  const used = await app.inject({ method: 'PATCH', url: '/api/agencies/ministry-of-justice', headers: { authorization: `Bearer ${token}` }, payload: { phone: '+7 7172 74 07 00' } })
  assert.equal(used.statusCode, 200, used.body)

  const [{ id } = { id: 0 }] = await db.query<{ id: number }>('select id from api_tokens')
  // The account page links to a confirmation; nothing is revoked until it is confirmed.
  const confirmHref = `/en/account/tokens/${id}/revoke`
  assert.ok(again.body.includes(`href="${confirmHref}"`), 'the account page links to the confirmation')
  const confirm = await browser.get(confirmHref)
  assert.equal(confirm.statusCode, 200)
  assert.match(confirm.body, /Revoke the token “nightly import”\?/)
  assert.match(confirm.body, /No, back to my account/)
  const stillThere = await app.inject({ method: 'GET', url: '/api/agencies/ministry-of-justice', headers: { authorization: `Bearer ${token}` } })
  assert.equal(stillThere.statusCode, 200)
  const revoked = await browser.post(confirmHref, {}, { from: confirmHref })
  assert.equal(revoked.statusCode, 303)
  assert.equal((await browser.get(confirmHref)).statusCode, 404, 'a revoked token has nothing to confirm')
  const refused = await app.inject({ method: 'PATCH', url: '/api/agencies/ministry-of-justice', headers: { authorization: `Bearer ${token}` }, payload: { phone: '+7 7172 74 07 01' } })
  assert.equal(refused.statusCode, 401)
  assert.match((await browser.get('/en/account')).body, /Revoked/)
})

test('a citizen whose address is not confirmed has no tokens: the form is not offered and a forged post is refused', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const citizen = await makeUser(db)
  const browser = new Browser(app)
  await browser.post('/en/sign-in', { email: citizen.email, password: TEST_PASSWORD })
  const account = await browser.get('/en/account')
  assert.doesNotMatch(account.body, /API tokens/)
  const forged = await browser.post('/en/account/tokens', { name: 'x' }, { from: '/en/account' })
  assert.equal(forged.statusCode, 403)
  const [count] = await db.query<{ n: number }>('select count(*)::int as n from api_tokens')
  assert.equal(count?.n, 0)

  // Once the address is confirmed, the citizen may hold tokens (to ask and rate through the API).
  await db.query('update users set email_confirmed_at = now() where id = $1', [citizen.id])
  assert.match((await browser.get('/en/account')).body, /API tokens/)
  assert.equal((await browser.post('/en/account/tokens', { name: 'my questions' }, { from: '/en/account' })).statusCode, 200)
})

test('a user cannot revoke another user\'s token', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => { await makeAgency(db, { slug: 'body-a' }) })
  t.after(close)
  const owner = await makeUser(db, 'agency-editor', 'body-a')
  const other = await makeUser(db, 'agency-editor', 'body-a')
  const ownerBrowser = new Browser(app)
  await ownerBrowser.post('/en/sign-in', { email: owner.email, password: TEST_PASSWORD })
  await ownerBrowser.post('/en/account/tokens', { name: 'mine' }, { from: '/en/account' })
  const [{ id } = { id: 0 }] = await db.query<{ id: number }>('select id from api_tokens')
  const otherBrowser = new Browser(app)
  await otherBrowser.post('/en/sign-in', { email: other.email, password: TEST_PASSWORD })
  const response = await otherBrowser.post(`/en/account/tokens/${id}/revoke`, {}, { from: '/en/account' })
  assert.equal(response.statusCode, 404)
  const [row] = await db.query<{ revoked_at: unknown }>('select revoked_at from api_tokens where id = $1', [id])
  assert.equal(row?.revoked_at, null)
})
