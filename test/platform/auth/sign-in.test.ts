import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { buildApp } from '../../../src/app.ts'
import { Browser } from '../../helpers/forms.ts'
import { makeUser, TEST_PASSWORD } from '../../helpers/users.ts'
import { authenticate, signInDelayMs } from '../../../src/platform/auth/accounts.ts'

test('a citizen registers, is signed in, signs out from the header, and signs in again', async (t) => {
  const { app, close } = await createTestApp()
  t.after(close)
  const browser = new Browser(app)
  const registered = await browser.post('/ru/register', { email: 'Aigerim@Example.kz', password: 'tulpan-v-stepi-2026', displayName: 'Айгерим' })
  assert.equal(registered.statusCode, 303)
  assert.equal(registered.headers.location, '/ru/account')
  const account = await browser.get('/ru/account')
  assert.equal(account.statusCode, 200)
  assert.match(account.body, /aigerim@example.kz/)
  assert.match(account.body, /Гражданин/)
  assert.match(account.body, /action="\/ru\/sign-out"/, 'the header offers sign-out')

  const out = await browser.post('/ru/sign-out', {}, { from: '/ru/account' })
  assert.equal(out.statusCode, 303)
  const afterOut = await browser.get('/ru/account')
  assert.equal(afterOut.statusCode, 303, 'the account page asks to sign in again')
  assert.equal(afterOut.headers.location, '/ru/sign-in?next=%2Fru%2Faccount')

  const back = await browser.post('/kk/sign-in', { email: 'aigerim@example.kz', password: 'tulpan-v-stepi-2026', next: '/kk/account' })
  assert.equal(back.statusCode, 303)
  assert.equal(back.headers.location, '/kk/account')
  assert.equal((await browser.get('/kk/account')).statusCode, 200)
})

test('the session cookie is HttpOnly and SameSite=Lax, and Secure behind HTTPS', async (t) => {
  const { db, close } = await createTestApp()
  t.after(close)
  const user = await makeUser(db)
  const { buildApp } = await import('../../../src/app.ts')
  const proxied = await buildApp({ db, config: { logLevel: 'silent', trustProxy: true } })
  t.after(() => proxied.close())
  const browser = new Browser(proxied)
  const csrf = await browser.csrfFrom('/en/sign-in')
  const response = await proxied.inject({
    method: 'POST', url: '/en/sign-in',
    payload: new URLSearchParams({ email: user.email, password: TEST_PASSWORD, _csrf: csrf }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-proto': 'https' },
  })
  assert.equal(response.statusCode, 303)
  const setCookie = [response.headers['set-cookie']].flat().find((c) => String(c).startsWith('ashyq_session='))
  assert.ok(setCookie)
  assert.match(setCookie, /HttpOnly/)
  assert.match(setCookie, /SameSite=Lax/)
  assert.match(setCookie, /Secure/)
  const plain = await new Browser(proxied).post('/en/sign-in', { email: user.email, password: TEST_PASSWORD })
  const plainCookie = [plain.headers['set-cookie']].flat().find((c) => String(c).startsWith('ashyq_session='))
  assert.doesNotMatch(String(plainCookie), /Secure/, 'no Secure flag over plain HTTP (localhost)')
  // The CSRF secret's cookie too.
  const form = await proxied.inject({ url: '/en/sign-in', headers: { 'x-forwarded-proto': 'https' } })
  const csrfCookie = [form.headers['set-cookie']].flat().find((c) => String(c).startsWith('_csrf='))
  assert.match(String(csrfCookie), /Secure/)
  assert.match(String(csrfCookie), /HttpOnly/)
})

test('signing in gives a new session id, and signing out ends the old one on the server', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const user = await makeUser(db)
  const browser = new Browser(app)
  await browser.post('/en/sign-in', { email: user.email, password: TEST_PASSWORD })
  const first = browser.cookies.get('ashyq_session')
  assert.ok(first)
  await browser.post('/en/sign-in', { email: user.email, password: TEST_PASSWORD })
  const second = browser.cookies.get('ashyq_session')
  assert.ok(second && second !== first, 'rotated at sign-in')
  const stale = await app.inject({ url: '/en/account', headers: { cookie: `ashyq_session=${first}` } })
  assert.equal(stale.statusCode, 303, 'the session before sign-in opens nothing')

  await browser.post('/en/sign-out', {}, { from: '/en/account' })
  const replayed = await app.inject({ url: '/en/account', headers: { cookie: `ashyq_session=${second}` } })
  assert.equal(replayed.statusCode, 303, 'a copied cookie opens nothing after sign-out')
  const [sessions] = await db.query<{ count: number }>('select count(*)::int as count from sessions')
  assert.equal(sessions?.count, 0)
})

test('"no such user" and "wrong password" get the same answer', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const user = await makeUser(db)
  const wrong = await new Browser(app).post('/en/sign-in', { email: user.email, password: 'not-the-password-at-all' })
  const nobody = await new Browser(app).post('/en/sign-in', { email: 'nobody@example.kz', password: 'not-the-password-at-all' })
  assert.equal(wrong.statusCode, 400)
  assert.equal(nobody.statusCode, 400)
  const message = (body: string) => /govuk-error-summary__list">\s*<li>\s*<a href="#email">([^<]+)</.exec(body)?.[1]
  assert.equal(message(wrong.body), 'The email address or the password is not right')
  assert.equal(message(wrong.body), message(nobody.body))
})

test('registration refuses short and common passwords and a bad address, in the page language, and stores nothing', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const short = await new Browser(app).post('/ru/register', { email: 'a@example.kz', password: 'short' })
  assert.equal(short.statusCode, 400)
  assert.match(short.body, /Пароль должен быть не короче 10 символов/)
  const common = await new Browser(app).post('/en/register', { email: 'a@example.kz', password: 'password123' })
  assert.equal(common.statusCode, 400)
  assert.match(common.body, /too common/)
  assert.match(common.body, /value="a@example.kz"/, 'the email is kept in the form')
  const badEmail = await new Browser(app).post('/kk/register', { email: 'not-an-email', password: 'tulpan-v-stepi-2026' })
  assert.equal(badEmail.statusCode, 400)
  assert.match(badEmail.body, /name@example.kz түрінде/)
  const [users] = await db.query<{ count: number }>('select count(*)::int as count from users')
  assert.equal(users?.count, 0)
  const user = await makeUser(db)
  const taken = await new Browser(app).post('/en/register', { email: user.email.toUpperCase(), password: 'tulpan-v-stepi-2026' })
  assert.equal(taken.statusCode, 400)
  assert.match(taken.body, /already exists/)
})

test('passwords are stored as argon2id hashes', async (t) => {
  const { db, close } = await createTestApp()
  t.after(close)
  const user = await makeUser(db)
  const [row] = await db.query<{ password_hash: string }>('select password_hash from users where id = $1', [user.id])
  assert.match(row!.password_hash, /^\$argon2id\$/)
  assert.ok(!row!.password_hash.includes(TEST_PASSWORD))
})

test('a form posted without its CSRF token is refused with 403 and changes nothing', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const refused = await new Browser(app).post('/en/register', { email: 'x@example.kz', password: 'tulpan-v-stepi-2026' }, { csrf: false })
  assert.equal(refused.statusCode, 403)
  const forged = await new Browser(app).post('/en/register', { email: 'x@example.kz', password: 'tulpan-v-stepi-2026', _csrf: 'forged' }, { csrf: false })
  assert.equal(forged.statusCode, 403)
  const [users] = await db.query<{ count: number }>('select count(*)::int as count from users')
  assert.equal(users?.count, 0)
})

test('sign-in redirects only within the site', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const user = await makeUser(db)
  const response = await new Browser(app).post('/en/sign-in', { email: user.email, password: TEST_PASSWORD, next: '//evil.example/phish' })
  assert.equal(response.headers.location, '/en/account')
  const backslash = await new Browser(app).post('/en/sign-in', { email: user.email, password: TEST_PASSWORD, next: '/\\evil.example/phish' })
  assert.equal(backslash.headers.location, '/en/account')
  // Dot segments that resolve to "//evil.example", which a browser reads as another host.
  for (const next of ['/.//evil.example', '/a/..//evil.example', '/%2e//evil.example', '/./\\evil.example', '/%2E%2E//evil.example']) {
    const dotted = await new Browser(app).post('/en/sign-in', { email: user.email, password: TEST_PASSWORD, next })
    assert.equal(dotted.headers.location, '/en/account', next)
  }
  const tab = await new Browser(app).post('/en/sign-in', { email: user.email, password: TEST_PASSWORD, next: '/\t/evil.example' })
  assert.equal(tab.statusCode, 400)
  const newline = await app.inject({ url: '/en/sign-in?next=%2F%0D%0ALocation%3A%20%2F%2Fevil.example' })
  assert.equal(newline.statusCode, 400)
})

test('ten wrong passwords from one address lock the account for that address only; from another, the right one signs in, slowed down', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const user = await makeUser(db)
  const attacker = new Browser(app, '10.0.0.66')
  for (let i = 0; i < 10; i += 1) {
    const wrong = await attacker.post('/en/sign-in', { email: user.email, password: `wrong-${i}` })
    assert.equal(wrong.statusCode, 400)
  }
  const again = await new Browser(app, '10.0.0.66').post('/en/sign-in', { email: user.email, password: TEST_PASSWORD })
  assert.equal(again.statusCode, 429, 'that address is refused, even with the right password')
  assert.match(again.body, /Too many attempts/)
  assert.equal(again.cookies.find((c) => c.name === 'ashyq_session'), undefined)

  const started = performance.now()
  const owner = await new Browser(app, '10.0.1.1').post('/en/sign-in', { email: user.email, password: TEST_PASSWORD })
  assert.equal(owner.statusCode, 303, 'the owner, from elsewhere, is not locked out')
  assert.ok(owner.cookies.find((c) => c.name === 'ashyq_session'))
  assert.ok(performance.now() - started >= 450, 'but the attempt is slowed down')
})

test('attempts on an account are slowed the more it failed in the last minute, from any address, up to five seconds', async (t) => {
  const { db, close } = await createTestApp()
  t.after(close)
  assert.deepEqual([0, 9, 10, 11, 15, 100].map(signInDelayMs), [0, 0, 500, 1000, 3000, 5000])
  const user = await makeUser(db)
  // Twelve failures from twelve addresses: none is locked out, each later attempt waits longer.
  const waited: number[] = []
  for (let i = 0; i < 12; i += 1) {
    await authenticate(db, user.email, 'wrong-password', { address: `192.0.2.${i}`, sleep: async (ms) => { waited.push(ms) } })
  }
  assert.deepEqual(waited, [500, 1000])
  const signedIn = await authenticate(db, user.email, TEST_PASSWORD, { address: '192.0.2.200', sleep: async (ms) => { waited.push(ms) } })
  assert.equal(signedIn?.id, user.id)
  assert.equal(waited.at(-1), 1500)
})

test('one address gets at most 10 sign-in attempts a minute, whatever the accounts, counted by every server of the site together', async (t) => {
  const { app, db, close } = await createTestApp()
  // A second server on the same database.
  const other = await buildApp({ db, config: { logLevel: 'silent' } })
  t.after(async () => {
    await other.close()
    await close()
  })
  const browsers = [new Browser(app), new Browser(other)]
  const statuses: number[] = []
  for (let i = 0; i < 11; i += 1) {
    statuses.push((await browsers[i % 2]!.post('/en/sign-in', { email: `someone${i}@example.kz`, password: 'whatever-password' })).statusCode)
  }
  assert.deepEqual(statuses.slice(0, 10), Array(10).fill(400))
  assert.equal(statuses[10], 429)
  assert.equal((await browsers[1]!.post('/en/sign-in', { email: 'someone@example.kz', password: 'whatever-password' })).statusCode, 429, 'on either server')
  assert.equal((await new Browser(other, '203.0.113.7').post('/en/sign-in', { email: 'someone@example.kz', password: 'whatever-password' })).statusCode, 400, 'another address is not held back')
})

test('one address makes at most 10 accounts in ten minutes', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const statuses: number[] = []
  for (let i = 0; i < 12; i += 1) {
    statuses.push((await new Browser(app, '203.0.113.9').post('/en/register', { email: `new${i}@example.kz`, password: TEST_PASSWORD, displayName: `Person ${i}` })).statusCode)
  }
  assert.deepEqual(statuses, [...Array(10).fill(303), 429, 429])
  const [made] = await db.query<{ n: number }>("select count(*)::int as n from users where email like 'new%@example.kz'")
  assert.equal(made?.n, 10)
  assert.equal((await new Browser(app, '203.0.113.10').post('/en/register', { email: 'other@example.kz', password: TEST_PASSWORD, displayName: 'Other' })).statusCode, 303, 'another address is not held back')
})
