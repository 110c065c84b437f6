import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SRC, sourceMatches } from '../helpers/source.ts'
import path from 'node:path'
import { createTestDb } from '../helpers/db.ts'
import { NOW, StateConflict, transition } from '../../src/platform/states/index.ts'

test('a transition changes the state only from the states it names, and writes its columns, event and audit row with it, or nothing', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  await db.exec(`create table items (id int primary key, status text not null, note text, changed_at timestamptz);
    create table item_events (item_id int not null, kind text not null, detail jsonb not null);
    insert into items (id, status) values (1, 'draft'), (2, 'draft')`)
  const actor = { id: null, email: 'editor@example.kz' }
  const publish = (id: number) => db.transaction((tx) => transition(tx, {
    table: 'items', id, from: ['draft'], to: 'published', set: { note: 'ready', changed_at: NOW },
    event: { table: 'item_events', itemColumn: 'item_id', kind: 'published', detail: { by: 'test' } },
    audit: { actor, action: 'item.publish', entity: 'item', after: { note: 'ready' } },
  }))

  assert.deepEqual(await publish(1), { from: 'draft' })
  const [item] = await db.query<{ status: string; note: string; changed: boolean }>('select status, note, changed_at is not null as changed from items where id = 1')
  assert.deepEqual(item, { status: 'published', note: 'ready', changed: true })
  assert.deepEqual(await db.query('select item_id, kind, detail from item_events'), [{ item_id: 1, kind: 'published', detail: { by: 'test' } }])
  const [audit] = await db.query<{ action: string; before: unknown; after: unknown }>("select action, before, after from audit_log where entity = 'item'")
  assert.deepEqual(audit, { action: 'item.publish', before: { status: 'draft' }, after: { status: 'published', note: 'ready' } })

  // Once more from a state it does not name: a conflict saying the state, and nothing written.
  await assert.rejects(publish(1), (error: unknown) => error instanceof StateConflict && error.current === 'published' && error.status === 409)
  await assert.rejects(publish(3), (error: unknown) => error instanceof StateConflict && error.current === null)
  assert.equal((await db.query('select 1 from item_events')).length, 1)
  assert.equal((await db.query("select 1 from audit_log where entity = 'item'")).length, 1)

  // What the caller writes after it in the same transaction is undone with it when it fails later.
  await assert.rejects(db.transaction(async (tx) => {
    await transition(tx, { table: 'items', id: 2, from: ['draft'], to: 'published', event: { table: 'item_events', itemColumn: 'item_id', kind: 'published' } })
    throw new Error('a mail could not be queued')
  }))
  assert.deepEqual(await db.query('select status from items where id = 2'), [{ status: 'draft' }])
  assert.equal((await db.query('select 1 from item_events')).length, 1)
})

// An UPDATE that sets a status column (in its SET list, not its WHERE), as SQL in the source writes it.
const STATUS_UPDATE = /\bupdate\s+[\w."]+\s+(?:as\s+\w+\s+)?set\b(?:(?!\bwhere\b)[^;`])*?\bstatus\s*=/gi


test('no module changes a status column but through the state step', () => {
  const found = (sql: string) => [...sql.matchAll(STATUS_UPDATE)].length
  assert.equal(found("`update legal_act_drafts set adopted_on = $2, status = 'adopted' where id = $1`"), 1, 'the search finds such an update')
  assert.equal(found("`update dialogue_questions set agency_id = $2 where id = $1 and status = 'moderation'`"), 0, 'a guard on the status is no change of it')
  assert.deepEqual(sourceMatches(SRC, STATUS_UPDATE, [path.join('platform', 'states')]), [])
})
