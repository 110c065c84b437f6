import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { CKAN_ACTIONS } from '../../../src/modules/data/ckan/routes.ts'

test('every write route refuses an anonymous request without a CSRF token, and changes nothing', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  await app.ready()
  // CKAN's Action API takes reads by POST too: those are not writes.
  const ckanReads = new Set(CKAN_ACTIONS.filter((a) => !a.write).flatMap((a) => [`/api/3/action/${a.name}`, `/api/action/${a.name}`]))
  const writes = app.routeList.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !ckanReads.has(r.url))
  assert.ok(writes.length >= 10, `found ${writes.length} write routes`)
  const tables = ['users', 'agencies', 'api_tokens', 'role_grants', 'audit_log', 'datasets', 'data_resources']
  const count = async () => Promise.all(tables.map(async (table) => (await db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]?.n))
  const before = await count()
  for (const route of writes) {
    const url = route.url.replace(/:slug/g, 'some-body').replace(/:id/g, '1').replace(/:action/g, 'package_create')
    const response = await app.inject({ method: route.method as 'POST', url, payload: {} })
    // CKAN answers an unsigned write with 403 "Authorization Error", and clients expect it.
    const ckan = url.startsWith('/api/3/action/') || url.startsWith('/api/action/')
    const expected = ckan ? [403] : url.startsWith('/api/') ? [401] : [403]
    assert.ok(expected.includes(response.statusCode), `${route.method} ${route.url} answered ${response.statusCode}`)
  }
  assert.deepEqual(await count(), before)
})
