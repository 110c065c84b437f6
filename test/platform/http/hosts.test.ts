import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency, makeDataset } from '../../helpers/factories.ts'
import { Browser } from '../../helpers/forms.ts'
import { loadConfig } from '../../../src/platform/config.ts'

const SITE = 'https://ashyq.example.kz'

test('a confirmation link mailed after registering points at the configured site, whatever Host the request named', async (t) => {
  const { app, db, close } = await createTestApp(undefined, { publicUrl: SITE })
  t.after(close)
  const attacker = new Browser(app, '127.0.0.1', 'evil.example')
  const registered = await attacker.post('/en/register', { email: 'victim@example.kz', password: 'tulpan-v-stepi-2026' })
  assert.equal(registered.statusCode, 303)
  const [mail] = await db.query<{ body: string }>('select body from outbox where recipient = $1', ['victim@example.kz'])
  assert.match(mail!.body, /https:\/\/ashyq\.example\.kz\/en\/account\/confirm\?token=/)
  assert.doesNotMatch(mail!.body, /evil\.example/)
})

test('the DCAT catalog names its records on the configured site, not on the Host of the request', async (t) => {
  const { app, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'finance' })
    await makeDataset(db, 'finance', { name: 'budget' })
  }, { publicUrl: SITE })
  t.after(close)
  const catalog = await app.inject({ url: '/catalog.ttl', headers: { host: 'evil.example' } })
  assert.equal(catalog.statusCode, 200)
  assert.match(catalog.body, /https:\/\/ashyq\.example\.kz\/data\/datasets\/budget/)
  assert.doesNotMatch(catalog.body, /evil\.example/)
})

test('in production a request for a host that is not the site\'s is refused with 400 naming Host; the site\'s hosts are answered', async (t) => {
  const { app, close } = await createTestApp(undefined, { publicUrl: SITE, production: true, allowedHosts: ['ashyq.example.kz', 'www.ashyq.example.kz'] })
  t.after(close)
  const page = await app.inject({ url: '/ru/', headers: { host: 'evil.example' } })
  assert.equal(page.statusCode, 400)
  assert.match(page.body, /Host: не адрес этого сайта: откройте https:\/\/ashyq\.example\.kz/)
  const api = await app.inject({ url: '/api/agencies', headers: { host: 'evil.example', 'accept-language': 'kk' } })
  assert.equal(api.statusCode, 400)
  assert.deepEqual(api.json().errors, [{ field: 'Host', message: 'Host: бұл сайттың мекенжайы емес: https://ashyq.example.kz ашыңыз' }])
  for (const host of ['ashyq.example.kz', 'WWW.ashyq.example.kz']) {
    assert.equal((await app.inject({ url: '/ru/', headers: { host } })).statusCode, 200, host)
  }
})

test('ASHYQ_HOSTS adds hosts beside the public address\'s; a value that is not a host is refused at start', () => {
  const config = loadConfig({ ASHYQ_PUBLIC_URL: 'https://ashyq.example.kz/', ASHYQ_HOSTS: 'www.ashyq.example.kz, 10.0.0.5:3000' })
  assert.deepEqual(config.allowedHosts, ['ashyq.example.kz', 'www.ashyq.example.kz', '10.0.0.5:3000'])
  assert.throws(() => loadConfig({ ASHYQ_HOSTS: 'https://evil.example/' }), /ASHYQ_HOSTS/)
})
