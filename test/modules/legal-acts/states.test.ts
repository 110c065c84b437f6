import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb } from '../../helpers/db.ts'
import { DRAFT_EVENT_KINDS, STATUSES } from '../../../src/modules/legal-acts/kinds.ts'
import { I18n, LANGS } from '../../../src/platform/i18n/index.ts'

test('a draft\'s states and the kinds of its history are the lists the code names, each told in kk, ru and en, and the tables take no other', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  const checkOf = async (table: string, column: string) => {
    const [check] = await db.query<{ definition: string }>(
      `select pg_get_constraintdef(c.oid) as definition from pg_constraint c join pg_class r on r.oid = c.conrelid
       where r.relname = $1 and c.contype = 'c' and pg_get_constraintdef(c.oid) like $2`, [table, `%${column}%`],
    )
    return [...check!.definition.matchAll(/'([a-z-]+)'::text/g)].map((m) => m[1]).sort()
  }
  assert.deepEqual(await checkOf('legal_act_events', 'kind'), [...DRAFT_EVENT_KINDS].sort())
  assert.deepEqual(await checkOf('legal_act_drafts', 'status'), [...STATUSES].sort())
  const { catalogs } = new I18n()
  for (const lang of LANGS) {
    for (const kind of DRAFT_EVENT_KINDS) assert.ok(catalogs[lang][`legalActs.events.${kind}`], `the event ${kind} in ${lang}`)
    for (const status of STATUSES) assert.ok(catalogs[lang][`legalActs.statuses.${status}`], `the state ${status} in ${lang}`)
  }
  await assert.rejects(db.query("insert into legal_act_events (draft_id, kind) values (1, 'escalated')"), /check/)
})
