import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb, emptyPgliteDump } from '../../helpers/db.ts'
import { openPgliteThread } from '../../../src/platform/db/pglite-thread.ts'

test('a transaction commits when its function resolves and rolls back when it throws', async (t) => {
  const db = await createTestDb({ thread: true })
  t.after(() => db.close())
  await db.exec('create table notes (id int primary key, body text)')
  await db.transaction(async (tx) => {
    await tx.query('insert into notes values ($1, $2)', [1, 'kept'])
  })
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.query('insert into notes values ($1, $2)', [2, 'lost'])
      throw new Error('changed my mind')
    }),
    /changed my mind/,
  )
  const rows = await db.query<{ id: number; body: string }>('select id, body from notes order by id')
  assert.deepEqual(rows, [{ id: 1, body: 'kept' }])
})

test('copyFrom bulk-loads CSV rows, quotes and Cyrillic included', async (t) => {
  const db = await createTestDb({ thread: true })
  t.after(() => db.close())
  await db.exec('create table population (region text, year int, people bigint)')
  const csv = 'Астана,2025,1423726\n"Алматы, город",2025,2291246\nShymkent,2025,1246000\n'
  assert.equal(await db.copyFrom('population', ['region', 'year', 'people'], csv), 3)
  const rows = await db.query<{ region: string; people: number }>('select region, people::int as people from population order by people')
  assert.deepEqual(rows.map((r) => r.region), ['Shymkent', 'Астана', 'Алматы, город'])
  // In parts, one after another, cut anywhere (here inside a row and inside a Cyrillic letter).
  const bytes = Buffer.from('Абай,2025,1\nЖетісу,2025,2\n')
  assert.equal(await db.copyFrom('population', ['region', 'year', 'people'], [bytes.subarray(0, 3), bytes.subarray(3, 17), bytes.subarray(17)]), 2)
  const added = await db.query<{ region: string }>('select region from population where year = 2025 and people < 3 order by people')
  assert.deepEqual(added.map((r) => r.region), ['Абай', 'Жетісу'])
})

test('multilingual jsonb round-trips', async (t) => {
  const db = await createTestDb({ thread: true })
  t.after(() => db.close())
  await db.exec('create table texts (body jsonb)')
  const body = { kk: 'Ашық деректер', ru: 'Открытые данные', en: 'Open data' }
  await db.query('insert into texts values ($1)', [body])
  const [row] = await db.query<{ body: typeof body }>('select body from texts')
  assert.deepEqual(row?.body, body)
})

test('queryText gives every value as the database writes it, inside a transaction or not, while other queries at the same time keep their types', async (t) => {
  const db = await createTestDb({ thread: true })
  t.after(() => db.close())
  const sql = `select 9007199254740993::int8, 1.50::numeric, true, '2024-02-29'::date, '2024-02-29 10:00:00.123456'::timestamp, '{"a":1}'::jsonb, array[1,2], null::text`
  const asText = ['9007199254740993', '1.50', 't', '2024-02-29', '2024-02-29 10:00:00.123456', '{"a": 1}', '{1,2}', null]
  assert.deepEqual(await db.queryText(sql), [asText])
  // Other queries run while one in a transaction reads text; each keeps its own types.
  const typed = 'select 2::int8 as n, true as yes, \'{"a":1}\'::jsonb as doc'
  const [first, inTransaction, inReadOnly, alone, ...others] = await Promise.all([
    db.query(typed),
    db.transaction((tx) => tx.queryText(sql)),
    db.readOnly({}, (tx) => tx.queryText(sql)),
    db.queryText(sql),
    ...Array.from({ length: 4 }, () => db.query(typed)),
    db.transaction((tx) => tx.query(typed)),
  ])
  assert.deepEqual([inTransaction, inReadOnly, alone], [[asText], [asText], [asText]])
  others.push(first)
  for (const rows of others) assert.deepEqual(rows, [{ n: 2, yes: true, doc: { a: 1 } }])
  // And after them.
  assert.deepEqual(await db.query(typed), [{ n: 2, yes: true, doc: { a: 1 } }])
})

test('the embedded database opens with the shared buffers it is given, 16 MB unless told', async (t) => {
  // From initdb's output, cached: the setting is the server's, not the data folder's.
  const usual = await openPgliteThread(undefined, { loadDataDir: await emptyPgliteDump() })
  t.after(() => usual.close())
  assert.deepEqual(await usual.query('show shared_buffers'), [{ shared_buffers: '16MB' }])
  const larger = await openPgliteThread(undefined, { buffersMb: 64, loadDataDir: await emptyPgliteDump() })
  t.after(() => larger.close())
  assert.deepEqual(await larger.query('show shared_buffers'), [{ shared_buffers: '64MB' }])
})
