import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isEmail, isIsoDate, isUuid } from '../../../src/platform/http/validation.ts'

test('dates must be real days written YYYY-MM-DD; addresses and ids have their shapes', () => {
  assert.ok(isIsoDate('2024-02-29'))
  for (const bad of ['2023-02-29', '2024-13-01', '2024-1-01', '01.02.2024', '2024-02-29T00:00:00Z', '']) assert.ok(!isIsoDate(bad), bad)
  assert.ok(isEmail('opendata@minfin.gov.kz'))
  for (const bad of ['nope', 'a@b', 'a b@c.kz']) assert.ok(!isEmail(bad), bad)
  assert.ok(isUuid('48cc5c46-59df-41a9-8fe9-10f82abae461'))
  assert.ok(!isUuid('------------------------------------'))
})
