import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { Browser } from '../../helpers/forms.ts'
import { makeUser, signedInBrowser, TEST_PASSWORD } from '../../helpers/users.ts'
import { startTestSmtp } from '../../helpers/smtp.ts'
import { sendDueMail } from '../../../src/platform/notifications/outbox.ts'
import { findUserByEmail } from '../../../src/platform/auth/accounts.ts'

test('a person registers in Russian, gets the link by mail in Russian, and confirms the address with it once', async (t) => {
  const { app, db, close } = await createTestApp()
  const smtp = await startTestSmtp()
  t.after(async () => { await smtp.close(); await close() })
  const browser = new Browser(app)
  const registered = await browser.post('/ru/register', { email: 'Aigerim@Example.kz', password: TEST_PASSWORD, displayName: 'Айгерим' })
  assert.equal(registered.statusCode, 303)
  const account = await browser.get('/ru/account')
  assert.match(account.body, /Адрес почты подтверждён[\s\S]*?Ещё нет/)
  assert.match(account.body, /Отправить ссылку ещё раз/)
  assert.equal((await findUserByEmail(db, 'aigerim@example.kz'))?.lang, 'ru')

  await sendDueMail(db, smtp.sender)
  const [mail] = smtp.received
  assert.equal(mail?.subject, 'Подтвердите адрес электронной почты на портале «Ашық»')
  const link = /http:\/\/localhost:3000(\/ru\/account\/confirm\?token=[\w%-]+)/.exec(mail?.text ?? '')?.[1]
  assert.ok(link, mail?.text)

  // Following the link shows a button; a scanner fetching it confirms nothing.
  const page = await browser.get(link)
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Подтвердить адрес/)
  assert.equal((await findUserByEmail(db, 'aigerim@example.kz'))?.emailConfirmed, false)
  const token = decodeURIComponent(link.split('token=')[1]!)
  const confirmed = await browser.post('/ru/account/confirm', { token }, { from: link })
  assert.equal(confirmed.statusCode, 200)
  assert.match(confirmed.body, /Адрес электронной почты подтверждён/)
  assert.equal((await findUserByEmail(db, 'aigerim@example.kz'))?.emailConfirmed, true)
  assert.match((await browser.get('/ru/account')).body, /Адрес почты подтверждён[\s\S]*?Да/)

  const again = await browser.post('/ru/account/confirm', { token }, { from: link })
  assert.equal(again.statusCode, 400)
  assert.match(again.body, /Ссылка не работает/)
})

test('an expired link is refused and says so; another link can be asked for, a few an hour', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const user = await makeUser(db)
  const browser = new Browser(app)
  await browser.post('/kk/sign-in', { email: user.email, password: TEST_PASSWORD })
  const sent = await browser.post('/kk/account/confirmation', {}, { from: '/kk/account' })
  assert.equal(sent.statusCode, 200)
  assert.match(sent.body, /мекенжайына сілтеме жібердік/)
  const [queued] = await db.query<{ body: string; lang: string; subject: string }>('select body, lang, subject from outbox where recipient = $1', [user.email])
  // makeUser registers without a page: the language is Kazakh, the site's first.
  assert.equal(queued?.lang, 'kk')
  assert.match(queued?.subject ?? '', /растаңыз/)
  const token = decodeURIComponent(/token=([\w%-]+)/.exec(queued!.body)![1]!)
  await db.query("update email_confirmations set expires_at = now() - interval '1 minute'")
  const expired = await browser.post('/kk/account/confirm', { token }, { from: '/kk/account/confirm?token=x' })
  assert.equal(expired.statusCode, 400)
  assert.match(expired.body, /Сілтеменің мерзімі өтті/)
  assert.equal((await findUserByEmail(db, user.email))?.emailConfirmed, false)

  for (let i = 0; i < 4; i += 1) assert.equal((await browser.post('/kk/account/confirmation', {}, { from: '/kk/account' })).statusCode, 200)
  assert.equal((await browser.post('/kk/account/confirmation', {}, { from: '/kk/account' })).statusCode, 429)
  assert.equal((await db.query('select * from outbox where recipient = $1', [user.email])).length, 5)
})

test('administrators read the outbox, and are told mail is not sent without ASHYQ_SMTP_URL; others get 403', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  await new Browser(app).post('/en/register', { email: 'reader@example.kz', password: TEST_PASSWORD })
  const admin = await signedInBrowser(app, db, 'admin')
  const page = await admin.get('/en/admin/outbox')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /ASHYQ_SMTP_URL is not set/)
  assert.match(page.body, /reader@example\.kz[\s\S]*?Confirm your email address for Ashyq[\s\S]*?\/en\/account\/confirm\?token=[\s\S]*?Waiting/)
  const citizen = await signedInBrowser(app, db)
  assert.equal((await citizen.get('/en/admin/outbox')).statusCode, 403)
  assert.equal((await citizen.post('/en/admin/outbox/retry', {}, { from: '/en/account' })).statusCode, 403)
})
