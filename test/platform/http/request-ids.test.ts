import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildApp } from '../../../src/app.ts'
import { sendDueMail, type MailTransport } from '../../../src/platform/notifications/outbox.ts'
import { createTestApp } from '../../helpers/app.ts'
import { Browser } from '../../helpers/forms.ts'
import { TEST_PASSWORD, editorToken } from '../../helpers/users.ts'
import { makeAgency } from '../../helpers/factories.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

test('every answer names its request id; a proxy\'s X-Request-Id is kept only behind a trusted proxy', async (t) => {
  const { app, db, close } = await createTestApp()
  const proxied = await buildApp({ db, config: { logLevel: 'silent', trustProxy: true } })
  t.after(async () => {
    await proxied.close()
    await close()
  })
  const first = await app.inject({ url: '/health/live' })
  const second = await app.inject({ url: '/health/live' })
  assert.match(first.headers['x-request-id'] as string, UUID)
  assert.notEqual(first.headers['x-request-id'], second.headers['x-request-id'])
  assert.match((await app.inject({ url: '/health/live', headers: { 'x-request-id': 'lb-0123456789' } })).headers['x-request-id'] as string, UUID, 'not behind a trusted proxy')
  assert.equal((await proxied.inject({ url: '/health/live', headers: { 'x-request-id': 'lb-0123456789' } })).headers['x-request-id'], 'lb-0123456789')
  assert.match((await proxied.inject({ url: '/health/live', headers: { 'x-request-id': 'a b\nforged log line' } })).headers['x-request-id'] as string, UUID, 'an id that could break a log line is replaced')
})

test('a mail and a table\'s load keep the id of the request that queued them; the mail is sent with it', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const registered = await new Browser(app).post('/en/register', { email: 'new@example.kz', password: TEST_PASSWORD, displayName: 'New' })
  assert.equal(registered.statusCode, 303)
  const [mail] = await db.query<{ request_id: string }>("select request_id from outbox where recipient = 'new@example.kz'")
  assert.equal(mail?.request_id, registered.headers['x-request-id'])
  const sent: Array<Record<string, string>> = []
  const transport: MailTransport = { sendMail: async (message) => { sent.push(message.headers) } }
  await sendDueMail(db, { transport, from: 'Ашық <noreply@example.kz>' })
  assert.equal(sent[0]?.['X-Request-Id'], registered.headers['x-request-id'])

  await makeAgency(db, { slug: 'stat' })
  const token = await editorToken(db, 'stat')
  const pkg = (await app.inject({ method: 'POST', url: '/api/3/action/package_create', headers: { authorization: token }, payload: { name: 'population', owner_org: 'stat', resources: [] } })).json().result
  const form = new FormData()
  form.append('package_id', pkg.id)
  form.append('upload', new Blob(['a,b\n1,2\n']), 'table.csv')
  const uploaded = await app.inject({ method: 'POST', url: '/api/3/action/resource_create', payload: form, headers: { authorization: token } })
  const [load] = await db.query<{ load_request_id: string }>('select load_request_id from data_datastore where resource_id = $1', [uploaded.json().result.id])
  assert.equal(load?.load_request_id, uploaded.headers['x-request-id'])
})
