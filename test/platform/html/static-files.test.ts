import { test } from 'node:test'
import assert from 'node:assert/strict'
import zlib from 'node:zlib'
import Fastify from 'fastify'
import { StaticFiles, TYPES } from '../../../src/platform/html/static-files.ts'

function serve(files: StaticFiles) {
  const app = Fastify()
  app.get('/*', async (request, reply) => {
    if (!(await files.send(request, reply, request.url))) return reply.callNotFound()
    return reply
  })
  return app
}

test('a body that failed to be made is made again for the next reader, at both its addresses', async () => {
  const files = new StaticFiles()
  let tries = 0
  const printed = files.add('/static/site.css', {
    type: TYPES['.css']!,
    body: async () => {
      tries += 1
      if (tries === 1) throw new Error('the compiler was killed')
      return Buffer.from('body { color: black }')
    },
  }, { fingerprint: '0123456789' })
  assert.equal(printed, '/static/site.0123456789.css')
  const app = serve(files)
  assert.equal((await app.inject('/static/site.css')).statusCode, 500)
  const plain = await app.inject('/static/site.css')
  assert.equal(plain.statusCode, 200)
  assert.equal(plain.body, 'body { color: black }')
  const fingerprinted = await app.inject(printed)
  assert.equal(fingerprinted.statusCode, 200)
  assert.equal(fingerprinted.headers['cache-control'], 'public, max-age=31536000, immutable')
  assert.equal(plain.headers['etag'], fingerprinted.headers['etag'])
  assert.equal(tries, 2, 'made once more, then held for both addresses')
})

test('a file is compressed once for both its addresses', async (t) => {
  const files = new StaticFiles()
  const text = Buffer.from('const greeting = "сәлем";\n'.repeat(200))
  const printed = files.add('/static/site.js', { type: TYPES['.js']!, body: async () => text }, { fingerprint: 'abcdef0123' })
  const app = serve(files)
  const compressions = t.mock.method(zlib, 'brotliCompress')
  for (const address of ['/static/site.js', printed, '/static/site.js']) {
    const response = await app.inject({ url: address, headers: { 'accept-encoding': 'br' } })
    assert.equal(response.headers['content-encoding'], 'br')
    assert.deepEqual(zlib.brotliDecompressSync(response.rawPayload), text)
  }
  assert.equal(compressions.mock.callCount(), 1)
  const again = await app.inject({ url: printed, headers: { 'if-none-match': (await app.inject('/static/site.js')).headers['etag'] as string } })
  assert.equal(again.statusCode, 304)
})
