import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeUser } from '../../helpers/users.ts'
import { startSession } from '../../../src/platform/auth/sessions.ts'

test('a page with several forms gives them one token and sets one secret, so any of them can be sent first', async (t) => {
  const { app, db, close } = await createTestApp()
  t.after(close)
  const user = await makeUser(db, 'admin')
  // A visitor whose browser holds no CSRF secret yet: a session, and nothing else.
  const session = await startSession(db, user.id)
  const page = await app.inject({ url: '/en/admin/calendar?year=2026', headers: { cookie: `ashyq_session=${session}` } })
  const tokens = new Set([...page.body.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]))
  assert.ok(page.body.match(/name="_csrf"/g)!.length > 3, 'the page has many forms')
  assert.equal(tokens.size, 1)
  const secrets = (page.cookies as Array<{ name: string; value: string }>).filter((c) => c.name === '_csrf')
  assert.equal(secrets.length, 1)
  const removed = await app.inject({
    method: 'POST', url: '/en/admin/calendar/days/2026-01-07/remove',
    headers: { cookie: `ashyq_session=${session}; _csrf=${secrets[0]!.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: [...tokens][0]! }).toString(),
  })
  assert.equal(removed.statusCode, 303)
})
