import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildApp } from '../../../src/app.ts'
import { enqueueMail } from '../../../src/platform/notifications/outbox.ts'
import { createTestDb } from '../../helpers/db.ts'
import { testFileStore } from '../../helpers/files.ts'
import { makeAgency, makeDataset, uploadResource } from '../../helpers/factories.ts'

function figure(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return line === undefined ? undefined : Number(line.slice(name.length + 1))
}

test('/metrics gives Prometheus the requests\' durations by route, the pool, the outbox and the jobs\' queues, to its own networks only', async (t) => {
  const db = await createTestDb()
  const files = testFileStore()
  const app = await buildApp({ db, files, config: { logLevel: 'silent', trustProxy: true, metricsNetworks: ['10.1.0.0/16'] } })
  t.after(async () => {
    await app.close()
    await db.close()
  })
  await makeAgency(db, { slug: 'stat' })
  await uploadResource(db, files, await makeDataset(db, 'stat', {}, null), 'table.csv', 'a,b\n1,2\n')
  await db.transaction((tx) => enqueueMail(tx, { to: 'someone@example.kz', lang: 'kk', kind: 'test', subject: 'Сәлем', text: 'Мәтін' }))
  assert.equal((await app.inject({ url: '/api/agencies/stat' })).statusCode, 200)
  assert.equal((await app.inject({ url: '/api/agencies/nobody' })).statusCode, 404)

  const scrape = (remoteAddress: string, headers: Record<string, string> = {}) => app.inject({ url: '/metrics', remoteAddress, headers })
  const scraped = await scrape('10.1.2.3')
  assert.equal(scraped.statusCode, 200)
  assert.match(scraped.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/)
  const text = scraped.body
  assert.equal(figure(text, 'http_request_duration_seconds_count{method="GET",route="/api/agencies/:slug",status_code="200"}'), 1)
  assert.equal(figure(text, 'http_request_duration_seconds_count{method="GET",route="/api/agencies/:slug",status_code="404"}'), 1)
  assert.equal(figure(text, 'outbox_backlog'), 1)
  assert.equal(figure(text, 'job_queue_depth{job="datastore-load"}'), 1, 'the uploaded table waits for its load')
  assert.equal(figure(text, 'job_queue_depth{job="harvest"}'), 0)
  if (db.kind === 'postgres') assert.ok((figure(text, 'db_pool_connections{state="total"}') ?? 0) >= 1)
  assert.match(text, /^process_resident_memory_bytes \d+/m, 'the process\'s own figures')

  assert.equal((await scrape('203.0.113.5')).statusCode, 404, 'another network')
  assert.equal((await scrape('203.0.113.5', { 'x-forwarded-for': '10.1.2.3' })).statusCode, 404, 'a forwarded address is not the connection\'s')
})
