import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { Browser } from '../../helpers/forms.ts'
import { makeUser, TEST_PASSWORD } from '../../helpers/users.ts'
import { RESET_LIMITS } from '../../../src/platform/auth/password-reset.ts'
import type { Db } from '../../../src/platform/db/index.ts'

const NEW_PASSWORD = 'qyzyl-tas-astynda-2026'

/** The reset link in the last mail to an address, and the token in it. */
async function resetLink(db: Db, email: string): Promise<{ path: string; token: string }> {
  const [mail] = await db.query<{ body: string }>("select body from outbox where recipient = $1 and kind = 'password-reset' order by id desc limit 1", [email])
  const match = /https?:\/\/[^/\s]+(\/\S+\?token=(\S+))/.exec(mail!.body)!
  return { path: match[1]!, token: decodeURIComponent(match[2]!) }
}

test('a person who forgot their password gets a link by mail, sets a new one once, every session ends, and they are told', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const owner = await makeUser(db, undefined, undefined, { lang: 'ru' })
  const thief = new Browser(app)
  assert.equal((await thief.post('/en/sign-in', { email: owner.email, password: TEST_PASSWORD })).statusCode, 303)
  assert.equal((await thief.get('/ru/account')).statusCode, 200)

  const browser = new Browser(app)
  assert.match((await browser.get('/ru/sign-in')).body, /href="\/ru\/account\/forgot">Забыли пароль\?/)
  const empty = await browser.post('/ru/account/forgot', { email: ' ' })
  assert.equal(empty.statusCode, 400)
  assert.match(empty.body, /href="#email">Введите адрес электронной почты/)

  // The same answer for an address nobody uses: nothing tells whether an account exists.
  const known = await browser.post('/ru/account/forgot', { email: owner.email.toUpperCase() })
  const unknown = await browser.post('/ru/account/forgot', { email: 'nobody@example.kz' })
  assert.equal(known.statusCode, 200)
  assert.equal(unknown.statusCode, 200)
  const answer = (body: string, email: string) => body.replace(/name="_csrf" value="[^"]+"/, '').replaceAll(email, 'ADDRESS')
  assert.equal(answer(known.body, owner.email.toUpperCase()), answer(unknown.body, 'nobody@example.kz'))
  assert.match(known.body, /Проверьте почту[\s\S]*в течение 60 минут/)
  const mails = await db.query<{ recipient: string; subject: string }>("select recipient, subject from outbox where kind = 'password-reset'")
  assert.deepEqual(mails.map((m) => [m.recipient, m.subject]), [[owner.email, 'Новый пароль на портале «Ашық»']], 'mailed to the account alone, in its language')

  const { path, token } = await resetLink(db, owner.email)
  assert.equal((await db.query('select * from password_resets where token_hash = $1', [token])).length, 0, 'the table keeps the token\'s hash, not the token')
  const form = await browser.get(path)
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /Новый пароль[\s\S]*name="token"/)
  const weak = await browser.post('/ru/account/reset', { token, password: 'short' }, { from: path })
  assert.equal(weak.statusCode, 400)
  assert.match(weak.body, /href="#password">/)
  assert.equal((await browser.post('/ru/account/reset', { token, password: NEW_PASSWORD }, { csrf: false })).statusCode, 403, 'no CSRF token, no change')

  const done = await browser.post('/ru/account/reset', { token, password: NEW_PASSWORD }, { from: path })
  assert.equal(done.statusCode, 200, done.body.slice(0, 500))
  assert.match(done.body, /Пароль изменён[\s\S]*Все сеансы вашей учётной записи завершены/)
  assert.equal((await thief.get('/ru/account')).statusCode, 303, 'the session opened with the old password has ended')
  assert.equal((await new Browser(app).post('/en/sign-in', { email: owner.email, password: TEST_PASSWORD })).statusCode, 400, 'the old password opens nothing')
  assert.equal((await new Browser(app).post('/en/sign-in', { email: owner.email, password: NEW_PASSWORD })).statusCode, 303)
  const told = await db.query<{ subject: string }>("select subject from outbox where recipient = $1 and kind = 'password-changed'", [owner.email])
  assert.deepEqual(told.map((m) => m.subject), ['Пароль на портале «Ашық» изменён'])
  const [{ confirmed }] = await db.query<{ confirmed: boolean }>('select email_confirmed_at is not null as confirmed from users where id = $1', [owner.id]) as [{ confirmed: boolean }]
  assert.ok(confirmed, 'the link reached the address: it counts as confirmed')

  const again = await browser.post('/ru/account/reset', { token, password: 'another-long-password-9' }, { from: '/ru/account/forgot' })
  assert.equal(again.statusCode, 400, 'a link works once')
  assert.match(again.body, /Ссылка не действует/)
  assert.match((await browser.get(path)).body, /Ссылка не действует[\s\S]*href="\/ru\/account\/forgot"/)
})

test('a reset link expires after an hour, an earlier link stops working once one is used, and asking is limited per account and per network address', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const owner = await makeUser(db, undefined, undefined, { lang: 'kk' })
  const browser = new Browser(app, '10.0.0.7')
  await browser.post('/kk/account/forgot', { email: owner.email })
  const first = await resetLink(db, owner.email)
  await browser.post('/kk/account/forgot', { email: owner.email })
  const second = await resetLink(db, owner.email)

  await db.query("update password_resets set expires_at = now() - interval '1 second'")
  const expired = await browser.post('/kk/account/reset', { token: second.token, password: NEW_PASSWORD }, { from: '/kk/account/forgot' })
  assert.equal(expired.statusCode, 400)
  assert.match(expired.body, /Сілтеменің мерзімі өтті: ол 60 минут жұмыс істейді/)
  await db.query("update password_resets set expires_at = now() + interval '1 hour'")
  assert.equal((await browser.post('/kk/account/reset', { token: second.token, password: NEW_PASSWORD }, { from: second.path })).statusCode, 200)
  assert.equal((await browser.post('/kk/account/reset', { token: first.token, password: 'one-more-long-password' }, { from: '/kk/account/forgot' })).statusCode, 400, 'the earlier link died with the reset')

  // Per account: past the limit no more mail goes, and the answer stays the same.
  await db.query('delete from outbox')
  for (let i = 0; i < RESET_LIMITS.account.max + 1; i += 1) assert.equal((await browser.post('/kk/account/forgot', { email: owner.email })).statusCode, 200)
  const [{ n }] = await db.query<{ n: number }>("select count(*)::int as n from outbox where kind = 'password-reset'") as [{ n: number }]
  assert.equal(n, RESET_LIMITS.account.max - 2, 'three an hour, counting the two asked before')

  // Per network address: a script trying many addresses is stopped with 429.
  const script = new Browser(app, '10.0.0.9')
  for (let i = 0; i < RESET_LIMITS.address.max; i += 1) assert.equal((await script.post('/en/account/forgot', { email: `guess${i}@example.kz` })).statusCode, 200)
  const stopped = await script.post('/en/account/forgot', { email: 'guess-last@example.kz' })
  assert.equal(stopped.statusCode, 429)
  assert.ok(Number(stopped.headers['retry-after']) > 0)
})
