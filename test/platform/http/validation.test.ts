import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { isEmail, isIsoDate, isUuid } from '../../../src/platform/http/validation.ts'
import { lazyValidators } from '../../../src/platform/http/lazy-validators.ts'
import { createTestApp } from '../../helpers/app.ts'

test('dates must be real days written YYYY-MM-DD; addresses and ids have their shapes', () => {
  assert.ok(isIsoDate('2024-02-29'))
  for (const bad of ['2023-02-29', '2024-13-01', '2024-1-01', '01.02.2024', '2024-02-29T00:00:00Z', '']) assert.ok(!isIsoDate(bad), bad)
  assert.ok(isEmail('opendata@minfin.gov.kz'))
  for (const bad of ['nope', 'a@b', 'a b@c.kz']) assert.ok(!isEmail(bad), bad)
  assert.ok(isUuid('48cc5c46-59df-41a9-8fe9-10f82abae461'))
  assert.ok(!isUuid('------------------------------------'))
})

test('routes\' validators are compiled on first use, refuse as before, and every one of the site\'s compiles', async (t) => {
  // A schema that cannot compile passes the app's start and is found by compileAll.
  const broken = lazyValidators()
  const app = Fastify({ schemaController: { compilersFactory: { buildValidator: broken.buildValidator } } })
  app.get('/broken', { schema: { querystring: { type: 'nonsense' } } }, async () => 'ok')
  app.get('/counted', { schema: { querystring: { type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'] } } }, async (request) => request.query)
  await app.ready()
  t.after(() => app.close())
  assert.deepEqual((await app.inject('/counted?n=2')).json(), { n: 2 })
  const refused = await app.inject('/counted?n=0')
  assert.equal(refused.statusCode, 400)
  assert.match(refused.json().message, /querystring\/n must be >= 1/)
  assert.throws(() => broken.compileAll(), /schema is invalid/)

  const site = await createTestApp()
  t.after(() => site.close())
  await site.app.ready()
  const compiled = site.app.compileValidators()
  assert.ok(compiled > 100, `${compiled} validators`)
})
