/**
 * The numbers of online petitions, each configuration with these defaults (platform/config.ts reads
 * them from the environment): the Law of the Republic of Kazakhstan "On public control" (2023) and
 * the Administrative Procedural Code set them; a change of the law is a change of configuration.
 */

/** Whom a petition addresses: the level of the body decides how many signatures it needs. */
export const PETITION_LEVELS = ['government', 'regional-akimat', 'regional-maslikhat', 'district-akimat', 'district-maslikhat'] as const
export type PetitionLevel = (typeof PETITION_LEVELS)[number]

export { DEFAULT_PETITION_RULES, type PetitionRules } from '../../../platform/config.ts'
import type { PetitionRules } from '../../../platform/config.ts'

/**
 * The signatures a petition to a body of this level needs. A regional akimat's or maslikhat's share
 * is of its region's (or city's) population, rounded up: a petition is supported by at least that share.
 * Null when the population the share is of is not known (the body's region keeps none).
 */
export function signaturesNeeded(level: PetitionLevel, rules: PetitionRules, regionPopulation: number | null): number | null {
  switch (level) {
    case 'government': return rules.governmentSignatures
    case 'district-akimat': return rules.districtAkimatSignatures
    case 'district-maslikhat': return rules.districtMaslikhatSignatures
    case 'regional-akimat':
    case 'regional-maslikhat': {
      if (regionPopulation === null || regionPopulation <= 0) return null
      const percent = level === 'regional-akimat' ? rules.regionalAkimatPercent : rules.regionalMaslikhatPercent
      // In whole people: the share of a population, rounded up (1% of 2,250,001 is 22,501).
      return Math.ceil((regionPopulation * Math.round(percent * 1000)) / 100_000)
    }
  }
}

/** Working days a supported petition is considered in, by its body: the Government's and central bodies' longer. */
export function considerationWorkingDays(level: PetitionLevel, rules: PetitionRules): number {
  return level === 'government' ? rules.centralWorkingDays : rules.localWorkingDays
}
