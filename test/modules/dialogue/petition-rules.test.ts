import { test } from 'node:test'
import assert from 'node:assert/strict'
import { considerationWorkingDays, DEFAULT_PETITION_RULES, signaturesNeeded, type PetitionLevel } from '../../../src/modules/dialogue/petitions/rules.ts'

test('a petition needs the signatures its addressee\'s level sets: a number, or a share of the region\'s people rounded up', () => {
  const rules = DEFAULT_PETITION_RULES
  const table: Array<[PetitionLevel, number | null, number | null]> = [
    ['government', null, 50_000],
    ['district-akimat', 120_000, 2_500],
    ['district-maslikhat', null, 5_000],
    // 1% and 2% of a city of 2,250,000 people; one person more is one signature more, rounded up.
    ['regional-akimat', 2_250_000, 22_500],
    ['regional-akimat', 2_250_001, 22_501],
    ['regional-maslikhat', 2_250_000, 45_000],
    ['regional-maslikhat', 2_250_001, 45_001],
    ['regional-akimat', 99, 1],
    // A region whose population is not known: no number to count to.
    ['regional-akimat', null, null],
    ['regional-maslikhat', 0, null],
  ]
  for (const [level, population, needed] of table) assert.equal(signaturesNeeded(level, rules, population), needed, `${level} of ${population}`)
  assert.equal(signaturesNeeded('government', { ...rules, governmentSignatures: 10_000 }, null), 10_000, 'a number of configuration, not of code')
  assert.equal(signaturesNeeded('regional-akimat', { ...rules, regionalAkimatPercent: 0.5 }, 1_000_001), 5_001)
  assert.equal(considerationWorkingDays('government', rules), 40)
  assert.equal(considerationWorkingDays('regional-maslikhat', rules), 20)
})
