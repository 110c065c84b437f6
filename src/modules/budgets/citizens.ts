import type { Db, Queryable } from '../../platform/db/index.ts'
import { ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { authorize } from '../../platform/auth/policies.ts'
import type { User } from '../../platform/auth/roles.ts'
import { recordChange, type Actor } from '../../platform/audit/index.ts'
import { cleanMultilingual, type MultilingualText } from '../../platform/i18n/multilingual.ts'
import type { Budget } from './service.ts'

/**
 * The citizens' budget: a budget told in plain words by its keeper, in kk and ru (and en), a lead
 * and sections, each of which may carry a chart the page draws from the budget's own figures.
 */

/** What a section's chart shows: a way of reading the budget as a treemap, or its execution as bars. */
export const CITIZEN_CHARTS = ['functional', 'administrative', 'economic', 'revenue', 'execution'] as const
export type CitizenChart = (typeof CITIZEN_CHARTS)[number]

/** Sections a citizens' budget has at most: a page read on a phone, not a report. */
export const CITIZEN_SECTIONS_MAX = 6
const TEXT_MAX = 10_000

export interface CitizensBudget {
  lead: MultilingualText
  sections: Array<{ heading: MultilingualText; body: MultilingualText; chart: CitizenChart | null }>
  updatedAt: Date
}

export async function citizensBudgetOf(db: Queryable, budget: Budget): Promise<CitizensBudget | null> {
  const [row] = await db.query<{ lead: MultilingualText; sections: CitizensBudget['sections']; updated_at: Date }>(
    'select lead, sections, updated_at from budget_citizens where budget_id = $1', [budget.id])
  return row ? { lead: row.lead, sections: row.sections, updatedAt: row.updated_at } : null
}

export interface CitizensBudgetInput {
  lead: MultilingualText
  sections: Array<{ heading: MultilingualText; body: MultilingualText; chart: string }>
}

/** The budget's keeper's staff write its citizens' budget; saving replaces it whole. */
export async function saveCitizensBudget(db: Db, user: User | null, budget: Budget, input: CitizensBudgetInput): Promise<void> {
  const actor = authorize(user, 'budget.import', { agencyId: budget.agency.id })
  await storeCitizensBudget(db, { id: actor.id, email: actor.email }, budget, input)
}

/** A citizens' budget kept, by whoever was let write it (the system for the demo's). */
export async function storeCitizensBudget(db: Db, actor: Actor, budget: Budget, input: CitizensBudgetInput): Promise<void> {
  const problems: FieldError[] = []
  const lead = cleanMultilingual(input.lead)
  // Kazakh and Russian, the state's languages, are required; English where the keeper writes it.
  for (const lang of ['kk', 'ru'] as const) if (!lead[lang]) problems.push({ field: `lead.${lang}`, messageKey: 'budgets.citizens.errors.lead' })
  const sections: CitizensBudget['sections'] = []
  input.sections.forEach((s, i) => {
    const heading = cleanMultilingual(s.heading)
    const body = cleanMultilingual(s.body)
    const chart = s.chart ? s.chart as CitizenChart : null
    if (Object.keys(heading).length === 0 && Object.keys(body).length === 0 && !chart) return
    const field = `section${i + 1}`
    for (const lang of ['kk', 'ru'] as const) if (!heading[lang]) problems.push({ field: `${field}.heading.${lang}`, messageKey: 'budgets.citizens.errors.heading' })
    if (chart && !CITIZEN_CHARTS.includes(chart)) problems.push({ field: `${field}.chart`, messageKey: 'budgets.citizens.errors.chart' })
    for (const [lang, text] of Object.entries({ ...body, ...heading })) if ((text ?? '').length > TEXT_MAX) problems.push({ field: `${field}.body.${lang}`, messageKey: 'budgets.citizens.errors.long' })
    sections.push({ heading, body, chart })
  })
  if (input.sections.length > CITIZEN_SECTIONS_MAX) problems.push({ field: 'sections', messageKey: 'budgets.citizens.errors.many' })
  if (sections.length === 0 && problems.length === 0) problems.push({ field: 'section1.heading.kk', messageKey: 'budgets.citizens.errors.noSection' })
  if (problems.length > 0) throw new ValidationError(problems)
  await db.transaction(async (tx) => {
    const [before] = await tx.query<{ lead: MultilingualText; sections: unknown }>('select lead, sections from budget_citizens where budget_id = $1 for update', [budget.id])
    await tx.query(
      `insert into budget_citizens (budget_id, lead, sections) values ($1, $2, $3)
       on conflict (budget_id) do update set lead = excluded.lead, sections = excluded.sections, updated_at = now()`,
      [budget.id, lead, JSON.stringify(sections)])
    await recordChange(tx, actor, { action: 'budget.citizens', entity: 'budget', entityId: String(budget.id), before: before ?? null, after: { lead, sections } })
  })
}
