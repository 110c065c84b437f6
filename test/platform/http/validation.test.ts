import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { isEmail, isIsoDate, isUuid } from '../../../src/platform/http/validation.ts'
import { lazyCompilers } from '../../../src/platform/http/lazy-compilers.ts'
import { createTestApp } from '../../helpers/app.ts'

test('dates must be real days written YYYY-MM-DD; addresses and ids have their shapes', () => {
  assert.ok(isIsoDate('2024-02-29'))
  for (const bad of ['2023-02-29', '2024-13-01', '2024-1-01', '01.02.2024', '2024-02-29T00:00:00Z', '']) assert.ok(!isIsoDate(bad), bad)
  assert.ok(isEmail('opendata@minfin.gov.kz'))
  for (const bad of ['nope', 'a@b', 'a b@c.kz']) assert.ok(!isEmail(bad), bad)
  assert.ok(isUuid('48cc5c46-59df-41a9-8fe9-10f82abae461'))
  assert.ok(!isUuid('------------------------------------'))
})

test('routes\' validators and serializers are compiled on first use, refuse and leave out as before, and every one of the site\'s compiles', async (t) => {
  // A schema that cannot compile passes the app's start and is found by compileAll.
  const broken = lazyCompilers()
  const app = Fastify({ schemaController: { compilersFactory: { buildValidator: broken.buildValidator, buildSerializer: broken.buildSerializer } } })
  app.get('/broken', { schema: { querystring: { type: 'nonsense' } } }, async () => 'ok')
  app.get('/counted', { schema: { querystring: { type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'] }, response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } } } }, async (request) => ({ ...request.query as object, secret: 'not in the schema' }))
  await app.ready()
  t.after(() => app.close())
  assert.deepEqual((await app.inject('/counted?n=2')).json(), { n: 2 }, 'what the response schema does not name is left out')
  const refused = await app.inject('/counted?n=0')
  assert.equal(refused.statusCode, 400)
  assert.match(refused.json().message, /querystring\/n must be >= 1/)
  assert.throws(() => broken.compileAll(), /schema is invalid/)
  const brokenAnswer = lazyCompilers()
  const answers = Fastify({ schemaController: { compilersFactory: { buildSerializer: brokenAnswer.buildSerializer } } })
  answers.get('/answer', { schema: { response: { 200: { $ref: '#/definitions/nowhere' } } } }, async () => 'ok')
  await answers.ready()
  t.after(() => answers.close())
  assert.throws(() => brokenAnswer.compileAll())

  const site = await createTestApp()
  t.after(() => site.close())
  await site.app.ready()
  const compiled = site.app.compileSchemas()
  assert.ok(compiled > 200, `${compiled} validators and serializers`)
})
