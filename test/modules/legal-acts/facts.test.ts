import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { makeUser } from '../../helpers/users.ts'
import type { Db } from '../../../src/platform/db/index.ts'
import { findUser } from '../../../src/platform/auth/accounts.ts'
import type { User } from '../../../src/platform/auth/roles.ts'
import { addDays } from '../../../src/platform/calendar/days.ts'
import { postComment } from '../../../src/platform/comments/service.ts'
import { DEFAULT_LEGAL_ACT_RULES } from '../../../src/platform/config.ts'
import { today } from '../../../src/modules/legal-acts/drafts/service.ts'
import { closeEndedDiscussions, publishAnswers } from '../../../src/modules/legal-acts/drafts/lifecycle.ts'
import { findVersion } from '../../../src/modules/legal-acts/versions/service.ts'
import { answerProposal } from '../../../src/modules/legal-acts/answers/service.ts'
import { importDraft } from '../../../src/modules/legal-acts/imports/service.ts'
import { legalActFacts } from '../../../src/modules/legal-acts/facts/service.ts'

const DRAFT = {
  agency: 'ministry-of-health', kind: 'order', topic: 'health', title: { kk: 'Жоба', ru: 'Проект' },
  text: { kk: '1. Бір.\n2. Екі.', ru: '1. Один.\n2. Два.' },
}
const origin = 'http://site'

async function discussed(db: Db, editor: User, externalId: string, days: number, proposals: number) {
  const start = today()
  const { id } = await importDraft(db, editor, externalId, { ...DRAFT, discussion: { start, end: addDays(start, days) } }, DEFAULT_LEGAL_ACT_RULES, origin)
  const version = await findVersion(db, id)
  const ids: number[] = []
  for (let n = 0; n < proposals; n += 1) {
    const citizen = await makeUser(db, undefined, undefined, { confirmed: true })
    ids.push((await postComment(db, { user: citizen, address: `10.0.0.${n + 1}` }, { subjectType: 'legal-act-version', subjectId: String(version.id), anchor: 'para_1', body: `Предложение ${n + 1}` }, origin)).id)
  }
  // The discussion ended yesterday: the job closes it and sets when answers are due.
  await db.query('update legal_act_drafts set discussion_start = discussion_start - 40, discussion_end = discussion_end - 40 where id = $1', [id])
  await closeEndedDiscussions(db, DEFAULT_LEGAL_ACT_RULES, origin)
  return { id, proposals: ids }
}

test('the facts per body count drafts, days of discussion, the minimum, and answers on time, late and overdue', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
    await makeAgency(db, { slug: 'ministry-of-finance' })
  })
  t.after(close)
  const editor = (await findUser(db, (await makeUser(db, 'agency-editor', 'ministry-of-health')).id))!
  const onTime = await discussed(db, editor, 'A', 15, 2)
  await db.query('update legal_act_drafts set answers_due = $2 where id = $1', [onTime.id, addDays(today(), 5)])
  for (const id of onTime.proposals) await answerProposal(db, editor, onTime.id, id, { decision: 'accepted', reason: {} })
  await publishAnswers(db, editor, onTime.id, origin)

  const late = await discussed(db, editor, 'B', 21, 1)
  await answerProposal(db, editor, late.id, late.proposals[0]!, { decision: 'rejected', reason: { ru: 'Нет оснований' } })
  await db.query('update legal_act_drafts set answers_due = $2 where id = $1', [late.id, addDays(today(), -3)])
  await publishAnswers(db, editor, late.id, origin)

  const overdue = await discussed(db, editor, 'C', 5, 3)
  await db.query('update legal_act_drafts set answers_due = $2 where id = $1', [overdue.id, addDays(today(), -1)])

  const from = addDays(today(), -60)
  const [health, ...others] = await legalActFacts(db, { from, to: today() })
  assert.equal(others.length, 0, 'a body without drafts in the period has no row')
  assert.deepEqual(health, {
    agency: health!.agency, draftsPublished: 3, medianDiscussionDays: 15, shortestDiscussionDays: 5, belowMinimum: 1,
    proposals: 6, proposalsAnswered: 3, answersOnTime: 1, answersLate: 1, answersOverdue: 1, meanDaysLate: 3,
  })
  assert.equal(health!.agency.slug, 'ministry-of-health')
  assert.deepEqual(await legalActFacts(db, { from: addDays(today(), 1), to: addDays(today(), 30) }), [])

  const api = await app.inject({ url: `/api/legal-acts/facts?from=${from}&to=${today()}` })
  assert.equal(api.statusCode, 200)
  assert.equal(api.json().items[0].answersOverdue, 1)
  assert.equal((await app.inject({ url: `/api/legal-acts/facts?from=${today()}&to=${from}`, headers: { 'accept-language': 'ru' } })).statusCode, 400)
  const page = await app.inject({ url: `/ru/legal-acts/bodies?year=${from.slice(0, 4)}` })
  assert.equal(page.statusCode, 200)
  if (from.slice(0, 4) === today().slice(0, 4)) assert.match(page.body, /data-label="Короче минимума"[^>]*>\s*1\s*</)
})
