import type { Db, Queryable } from '../../platform/db/index.ts'
import { ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { authorize } from '../../platform/auth/policies.ts'
import type { User } from '../../platform/auth/roles.ts'
import { recordChange, type Actor } from '../../platform/audit/index.ts'
import { cleanMultilingual, type MultilingualText } from '../../platform/i18n/multilingual.ts'
import type { Budget } from './service.ts'

/**
 * Budget programmes' passports: each programme's goal and the target indicators it is judged by,
 * planned for the year and achieved once its execution is reported. Kept per budget by its keeper.
 */

export interface Indicator {
  name: MultilingualText
  unit: MultilingualText
  better: 'higher' | 'lower'
  /** Exact as kept, as decimal strings ("98.5"). */
  planned: string
  achieved: string | null
}

export interface Passport {
  code: string
  goal: MultilingualText
  indicators: Indicator[]
}

export interface PassportInput {
  programme: string
  goal?: MultilingualText
  indicators: Array<{ name: MultilingualText; unit?: MultilingualText; better: string; planned: number; achieved?: number | null }>
}

/** Whether an indicator met its plan: as much or more where more is better, as little or less otherwise; null until achieved is reported. */
export function indicatorMet(indicator: Pick<Indicator, 'better' | 'planned' | 'achieved'>): boolean | null {
  if (indicator.achieved === null) return null
  const [planned, achieved] = [Number(indicator.planned), Number(indicator.achieved)]
  return indicator.better === 'higher' ? achieved >= planned : achieved <= planned
}

/** A programme's passport on a budget ('225 099'), or null when none is kept. */
export async function passportOf(db: Queryable, budget: Budget, code: string): Promise<Passport | null> {
  const [programme] = await db.query<{ goal: MultilingualText }>('select goal from budget_programmes where budget_id = $1 and code = $2', [budget.id, code])
  if (!programme) return null
  const indicators = await db.query<{ name: MultilingualText; unit: MultilingualText; better: 'higher' | 'lower'; planned: string; achieved: string | null }>(
    `select name, unit, better, trim_scale(planned)::text as planned, trim_scale(achieved)::text as achieved
     from budget_indicators where budget_id = $1 and code = $2 order by position`, [budget.id, code])
  return { code, goal: programme.goal, indicators }
}

/** The budget's keeper's staff keep passports of its programmes; each programme sent replaces its passport. */
export async function keepPassports(db: Db, user: User | null, budget: Budget, passports: PassportInput[]): Promise<number> {
  const actor = authorize(user, 'budget.import', { agencyId: budget.agency.id })
  return storePassports(db, { id: actor.id, email: actor.email }, budget, passports)
}

/** Passports kept, by whoever was let keep them (the system for the demo's). */
export async function storePassports(db: Db, actor: Actor, budget: Budget, passports: PassportInput[]): Promise<number> {
  const problems: FieldError[] = []
  const known = new Set((await db.query<{ code: string }>(
    "select distinct code from budget_totals where budget_id = $1 and dimension = 'administrative' and depth = 2", [budget.id])).map((r) => r.code))
  passports.forEach((p, i) => {
    if (!/^[0-9]{3} [0-9]{3}$/.test(p.programme)) problems.push({ field: `passports[${i}].programme`, messageKey: 'budgets.errors.programme' })
    else if (!known.has(p.programme)) problems.push({ field: `passports[${i}].programme`, messageKey: 'budgets.errors.noSuchProgramme', values: { code: p.programme } })
    p.indicators.forEach((indicator, j) => {
      const field = `passports[${i}].indicators[${j}]`
      if (!Object.values(cleanMultilingual(indicator.name)).some(Boolean)) problems.push({ field: `${field}.name`, messageKey: 'budgets.errors.indicatorName' })
      if (indicator.better !== 'higher' && indicator.better !== 'lower') problems.push({ field: `${field}.better`, messageKey: 'budgets.errors.better' })
      for (const key of ['planned', 'achieved'] as const) {
        const value = indicator[key]
        if (value === undefined || value === null) {
          if (key === 'planned') problems.push({ field: `${field}.planned`, messageKey: 'budgets.errors.indicatorValue' })
        } else if (!Number.isFinite(value) || Math.abs(value) >= 1e16) problems.push({ field: `${field}.${key}`, messageKey: key === 'planned' ? 'budgets.errors.indicatorValue' : 'budgets.errors.achievedValue' })
      }
    })
  })
  if (new Set(passports.map((p) => p.programme)).size !== passports.length) problems.push({ field: 'passports', messageKey: 'budgets.errors.programmeTwice' })
  if (problems.length > 0) throw new ValidationError(problems)
  await db.transaction(async (tx) => {
    for (const p of passports) {
      await tx.query('delete from budget_programmes where budget_id = $1 and code = $2', [budget.id, p.programme])
      await tx.query('insert into budget_programmes (budget_id, code, goal) values ($1, $2, $3)', [budget.id, p.programme, cleanMultilingual(p.goal ?? {})])
      for (const [position, indicator] of p.indicators.entries()) {
        await tx.query(
          'insert into budget_indicators (budget_id, code, position, name, unit, better, planned, achieved) values ($1, $2, $3, $4, $5, $6, $7, $8)',
          [budget.id, p.programme, position, cleanMultilingual(indicator.name), cleanMultilingual(indicator.unit ?? {}), indicator.better, String(indicator.planned), indicator.achieved === undefined || indicator.achieved === null ? null : String(indicator.achieved)])
      }
    }
    await recordChange(tx, actor, { action: 'budget.passports', entity: 'budget', entityId: String(budget.id), before: null, after: { programmes: passports.map((p) => p.programme) } })
  })
  return passports.length
}

/** How many of each programme's indicators are met, reported and kept, by `${budget id}:${programme}`: for lists of programmes. */
export async function indicatorCounts(db: Queryable, budgetIds: number[]): Promise<Map<string, { met: number; reported: number; total: number }>> {
  const rows = await db.query<{ budget_id: string; code: string; met: number; reported: number; total: number }>(
    `select budget_id, code, count(*)::int as total, count(achieved)::int as reported,
       count(*) filter (where (better = 'higher' and achieved >= planned) or (better = 'lower' and achieved <= planned))::int as met
     from budget_indicators where budget_id = any($1::bigint[]) group by budget_id, code`, [budgetIds])
  return new Map(rows.map((r) => [`${r.budget_id}:${r.code}`, { met: r.met, reported: r.reported, total: r.total }]))
}
