import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb } from '../../helpers/db.ts'
import { checkedValues } from '../../helpers/checks.ts'
import { isPublic, QUESTION_EVENT_KINDS, QUESTION_FILTERS, QUESTION_STATES, QUESTION_STATUSES, questionSql, questionState, type QuestionFilter, type QuestionState } from '../../../src/modules/dialogue/questions/states.ts'
import type { Day } from '../../../src/platform/calendar/days.ts'
import { translate } from '../../../src/platform/notifications/messages.ts'
import { LANGS } from '../../../src/platform/i18n/index.ts'

// Every stored status, forwarded or not, extended or not, read on the day before, on and after each deadline.
const ROWS = QUESTION_STATUSES.flatMap((status) => [null, 7].flatMap((forwardedFrom) => [null, '2027-01-20'].map((extendedTo) => ({
  status, forwardedFrom, extendedTo: extendedTo as Day | null, dueOn: '2026-12-23' as Day,
}))))
const DAYS: Day[] = ['2026-12-22', '2026-12-23', '2026-12-24', '2027-01-20', '2027-01-21']

test('a question\'s state: the TypeScript rule and its SQL say the same of the same rows, on every day around the deadlines', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  const values = ROWS.map((_, i) => `($${i * 4 + 1}::text, $${i * 4 + 2}::bigint, $${i * 4 + 3}::date, $${i * 4 + 4}::date)`).join(', ')
  const params = ROWS.flatMap((r) => [r.status, r.forwardedFrom, r.extendedTo, r.dueOn])
  const day = `$${params.length + 1}`
  const filters = Object.keys(QUESTION_FILTERS) as QuestionFilter[]
  const seen = new Set<QuestionState>()
  for (const today of DAYS) {
    const rows = await db.query<Record<string, unknown>>(
      `select ${questionSql.state(day)} as state, ${questionSql.public(day)} as public, ${questionSql.overdue(day)} as overdue,
         ${filters.map((name) => `coalesce(${questionSql.filter(name, day)}, false) as "${name}"`).join(', ')}
       from (values ${values}) as q (status, forwarded_from, extended_to, due_on)`,
      [...params, today],
    )
    ROWS.forEach((row, i) => {
      const state = questionState(row, today)
      seen.add(state)
      const sql = rows[i]!
      const what = `${JSON.stringify(row)} on ${today}`
      assert.equal(sql.state, state, what)
      assert.equal(sql.public, isPublic({ status: row.status, state }), `public: ${what}`)
      assert.equal(sql.overdue, state === 'overdue', `overdue: ${what}`)
      for (const name of filters) {
        const expected = (QUESTION_FILTERS[name] as readonly string[]).includes(state) && isPublic({ status: row.status, state })
        assert.equal(sql[name], expected, `filter ${name}: ${what}`)
      }
    })
  }
  assert.deepEqual([...seen].sort(), Object.keys(QUESTION_STATES).sort(), 'the rows reach every state readers are told of')
})

test('the database keeps the statuses the state model names, and no other', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  const [check] = await db.query<{ definition: string }>(
    `select pg_get_constraintdef(c.oid) as definition from pg_constraint c
     where c.conrelid = 'dialogue_questions'::regclass and c.contype = 'c' and pg_get_constraintdef(c.oid) like '%status%'`,
  )
  const stored = [...check!.definition.matchAll(/'([a-z-]+)'::text/g)].map((m) => m[1]).sort()
  assert.deepEqual(stored, [...QUESTION_STATUSES].sort())
})

test('a question\'s history takes the kinds of event the state model names, each told in kk, ru and en, and no other kind', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  assert.deepEqual(await checkedValues(db, 'dialogue_question_events_kind'), [...QUESTION_EVENT_KINDS].sort())
  for (const kind of QUESTION_EVENT_KINDS) {
    for (const lang of LANGS) assert.notEqual(translate(lang, `dialogue.events.${kind}`), `dialogue.events.${kind}`, `${kind} in ${lang}`)
  }
  await assert.rejects(db.query("insert into dialogue_question_events (question_id, kind) values (1, 'escalated')"), /dialogue_question_events_kind|violates check/)
})
