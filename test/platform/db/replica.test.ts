import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildApp } from '../../../src/app.ts'
import { openPostgres } from '../../../src/platform/db/postgres.ts'
import { isReplicaRead } from '../../../src/platform/db/read-routing.ts'
import { createServerDatabase, SERVER_URL } from '../../helpers/db.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { editorToken, signedInBrowser, TEST_PASSWORD } from '../../helpers/users.ts'
import { Browser } from '../../helpers/forms.ts'

test('a statement goes to the replica only when it is a plain SELECT that neither locks, writes nor notifies', () => {
  assert.ok(isReplicaRead('select * from agencies where slug = $1'))
  assert.ok(isReplicaRead('  (select 1) union (select 2)'))
  for (const write of ['insert into votes values (1)', 'update agencies set slug = 1', 'with moved as (update x set a = 1 returning *) select * from moved',
    "select pg_notify('outbox', '')", 'select nextval(\'s\')', 'select * from outbox for update skip locked', 'select pg_advisory_xact_lock(1)', 'select * from x for share']) {
    assert.equal(isReplicaRead(write), false, write)
  }
})

// The "replica" is a second database with the same schema and none of the primary's rows, so that
// where a query went shows in what it finds.
test('with ASHYQ_DATABASE_READ_URL, anonymous readers read the replica; signed-in readers, API clients, writes and whoever just wrote read the primary', { skip: !SERVER_URL && 'needs DATABASE_URL' }, async (t) => {
  const primary = await createServerDatabase({ migrated: true })
  const replica = await createServerDatabase({ migrated: true })
  const db = await openPostgres(primary.url, 4, { readUrl: replica.url })
  const replicaDb = await openPostgres(replica.url, 2)
  const app = await buildApp({ db, config: { logLevel: 'silent', databaseReadUrl: replica.url, readAfterWriteSeconds: 30 } })
  t.after(async () => {
    await app.close()
    await db.close()
    await replicaDb.close()
    await primary.drop()
    await replica.drop()
  })
  await makeAgency(db, { slug: 'stat', name: { kk: 'Статистика', ru: 'Статистика', en: 'Statistics' } })
  await makeAgency(replicaDb, { slug: 'replica-only', name: { kk: 'Көшірме', ru: 'Копия', en: 'Replica' } })

  assert.equal((await app.inject({ url: '/api/agencies/replica-only' })).statusCode, 200, 'an anonymous reader reads the replica')
  assert.equal((await app.inject({ url: '/api/agencies/stat' })).statusCode, 404)
  const token = await editorToken(db, 'stat')
  assert.equal((await app.inject({ url: '/api/agencies/stat', headers: { authorization: `Bearer ${token}` } })).statusCode, 200, 'an API client reads the primary')
  const browser = await signedInBrowser(app, db)
  assert.equal((await browser.get('/en/agencies/stat')).statusCode, 200, 'a signed-in reader reads the primary')

  // A citizen registers (a write, on the primary) and signs out: for the next seconds, anonymous, they still read the primary.
  const citizen = new Browser(app)
  const registered = await citizen.post('/en/register', { email: 'new@example.kz', password: TEST_PASSWORD, displayName: 'New' })
  assert.equal(registered.statusCode, 303)
  assert.match(String(registered.headers['set-cookie']), /ashyq_wrote=1; Max-Age=30/)
  const [kept] = await replicaDb.query<{ n: number }>("select count(*)::int as n from users where email = 'new@example.kz'")
  assert.equal(kept?.n, 0, 'the write went to the primary')
  citizen.cookies.delete('ashyq_session')
  assert.equal((await citizen.get('/api/agencies/stat')).statusCode, 200, 'whoever just wrote reads the primary')
  assert.equal((await app.inject({ url: '/api/agencies/stat', method: 'HEAD' })).statusCode, 404)
  // A refused write is no write: no cookie.
  const refused = await new Browser(app).post('/en/sign-in', { email: 'nobody@example.kz', password: 'whatever-password' })
  assert.equal(refused.statusCode, 400)
  assert.doesNotMatch(String(refused.headers['set-cookie']), /ashyq_wrote/)
})
