import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import { createTestDb, SERVER_URL } from '../../helpers/db.ts'

const skip = Boolean(SERVER_URL) && 'the embedded database only'

test('while the embedded database runs a long statement, the server\'s thread keeps turning', { skip }, async (t) => {
  const db = await createTestDb({ thread: true })
  t.after(() => db.close())
  let settled = false
  const long = db.query<{ n: number }>('select count(*)::int as n from generate_series(1, 3000000)')
    .finally(() => { settled = true })
  // Each turn of the event loop is a moment the server could answer a request. On the server's own
  // thread the engine would hold it from the statement's start to its end: a turn or two at most.
  let turns = 0
  while (!settled) {
    await nextTurn()
    turns += 1
  }
  assert.deepEqual(await long, [{ n: 3000000 }])
  assert.ok(turns > 100, `the event loop turned ${turns} times during the statement`)
})

test('an error from the embedded database keeps its code, constraint and detail, and its transaction is rolled back', { skip }, async (t) => {
  const db = await createTestDb({ thread: true })
  t.after(() => db.close())
  await db.exec('create table notes (id int primary key)')
  await db.query('insert into notes values (1)')
  const refused = await db.transaction(async (tx) => {
    await tx.query('insert into notes values (2)')
    await tx.query('insert into notes values (1)')
  }).catch((error: unknown) => error)
  assert.ok(refused instanceof Error)
  assert.equal((refused as Error & { code?: string }).code, '23505')
  assert.equal((refused as Error & { constraint?: string }).constraint, 'notes_pkey')
  assert.match((refused as Error & { detail?: string }).detail ?? '', /\(id\)=\(1\) already exists/)
  assert.deepEqual(await db.query('select id from notes order by id'), [{ id: 1 }])
  // The engine is usable again at once, in and out of transactions.
  assert.equal(await db.transaction(async (tx) => (await tx.query<{ n: number }>('select count(*)::int as n from notes'))[0]!.n), 1)
})

test('a closed embedded database says so to whoever still calls it', { skip }, async () => {
  const db = await createTestDb({ thread: true })
  await db.close()
  await assert.rejects(db.query('select 1'), /embedded database is closed/)
  // Closing twice is harmless, as shutting down from two signals would.
  await db.close()
})

test('on the embedded database, a job\'s statement waits for the site\'s statements asked before it ends', { skip }, async (t) => {
  const db = await createTestDb({ thread: true })
  t.after(() => db.close())
  const finished: string[] = []
  const note = (name: string) => () => { finished.push(name) }
  const long = db.query('select count(*) from generate_series(1, 2000000)').then(note('the site\'s long statement'))
  // Asked while the long statement runs: the job's first, then the site's next one.
  const job = db.background().query('select 1').then(note('the job\'s'))
  const next = db.query('select 2').then(note('the site\'s next'))
  await Promise.all([long, job, next])
  // In the order they were asked, the job's would have gone second.
  assert.deepEqual(finished, ['the site\'s long statement', 'the site\'s next', 'the job\'s'])
})

test('a transaction whose settings the embedded database refuses fails with that refusal, and the database goes on', { skip }, async (t) => {
  const db = await createTestDb({ thread: true })
  t.after(() => db.close())
  let ran = false
  const refused = await db.readOnly({ statement_timeout: 'soon' }, async (q) => {
    ran = true
    return q.query('select 1')
  }).catch((error: unknown) => error as Error & { code?: string })
  assert.ok(refused instanceof Error)
  assert.match(refused.message, /statement_timeout/)
  // Its statements were sent on BEGIN's heels; they got the same answer, not one of their own.
  assert.equal(ran, true)
  assert.deepEqual(await db.readOnly({ statement_timeout: '5s' }, (q) => q.query('show statement_timeout')), [{ statement_timeout: '5s' }])
  assert.deepEqual(await db.transaction((tx) => tx.query<{ n: number }>('select 2 as n')), [{ n: 2 }])
})

test('a read-only transaction that sends its statements at once is ended on their heels, not after their answers', { skip }, async (t) => {
  const db = await createTestDb({ thread: true })
  t.after(() => db.close())
  const sent: string[] = []
  const original = Worker.prototype.postMessage
  const post = t.mock.method(Worker.prototype, 'postMessage', function (this: Worker, message: { op: string }, ...rest: unknown[]) {
    sent.push(message.op)
    return original.call(this, message, ...(rest as []))
  })
  const [rows, total] = await db.readOnly({ DateStyle: 'ISO,DMY' }, (q) => Promise.all([
    q.query<{ day: string }>(`select '01.02.2024'::date::text as day`).then((answer) => {
      sent.push('answered')
      return answer
    }),
    // A longer statement: the end waits in the engine's thread for it.
    q.query<{ n: number }>('select count(*)::int as n from generate_series(1, 300000)'),
  ]), { atOnce: true })
  assert.deepEqual(rows, [{ day: '2024-02-01' }])
  assert.deepEqual(total, [{ n: 300000 }])
  assert.deepEqual(sent, ['begin', 'query', 'query', 'end', 'answered'])
  post.mock.restore()
  // A statement sent after fn first waits would land after the end: it is refused, and the database goes on.
  await assert.rejects(db.readOnly({}, async (q) => {
    await q.query('select 1')
    return q.query('select 2')
  }, { atOnce: true }), /after its read-only transaction was ended/)
  assert.deepEqual(await db.query('select 3 as n'), [{ n: 3 }])
})
