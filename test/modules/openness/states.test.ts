import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb } from '../../helpers/db.ts'
import { checkedValues } from '../../helpers/checks.ts'
import { DISPUTE_STATES, DISPUTE_STATUSES } from '../../../src/modules/openness/disputes/states.ts'
import { MEETING_STATES, MEETING_STATUSES, MEMBER_POSITIONS, RECOMMENDATION_STATUSES } from '../../../src/modules/openness/commission/states.ts'

test('the tables\' CHECKs hold the states and positions their models list, and every stored state has its tag', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  assert.deepEqual(await checkedValues(db, 'openness_disputes_status_check'), [...DISPUTE_STATUSES].sort())
  assert.deepEqual(await checkedValues(db, 'openness_meetings_status_check'), [...MEETING_STATUSES].sort())
  assert.deepEqual(await checkedValues(db, 'openness_recommendations_status_check'), [...RECOMMENDATION_STATUSES].sort())
  assert.deepEqual(await checkedValues(db, 'openness_commission_members_position_check'), [...MEMBER_POSITIONS].sort())
  assert.deepEqual(Object.keys(DISPUTE_STATES).sort(), [...DISPUTE_STATUSES].sort())
  assert.deepEqual(Object.keys(MEETING_STATES).sort(), [...MEETING_STATUSES].sort())
})
