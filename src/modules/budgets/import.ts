import { randomUUID } from 'node:crypto'
import type { FileStore } from '../../platform/files/index.ts'
import type { Db, Queryable } from '../../platform/db/index.ts'
import { ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { authorize } from '../../platform/auth/policies.ts'
import type { User } from '../../platform/auth/roles.ts'
import { recordChange, type Actor } from '../../platform/audit/index.ts'
import type { Day } from '../../platform/calendar/days.ts'
import type { RowPass } from '../data/datastore/sources.ts'
import { keepBudgetDataset } from './catalog.ts'
import { PHASES, type Budget, type Phase } from './service.ts'

/**
 * A budget's lines from a file in the documented layout (README: "Import"), one row an amount:
 *
 *   direction,code,economic,phase,period,amount,name_kk,name_ru,name_en
 *   expense,04 2 225 001 015,111,approved,Y,1250000.00,…
 *   revenue,1 01 1 01,,executed,M03,500000,…
 *
 * Every row is checked before any is kept; a file with a wrong row changes nothing and is answered
 * with each wrong row's number, column and reason (the first MAX_PROBLEMS). A file replaces the
 * phases and periods it brings (executed M03 again replaces executed M03; approved Y replaces the
 * approved budget), leaving the others as they were. Rows pass through budget_staging in batches,
 * so a file of a million rows is held a batch at a time.
 */

export const LINE_COLUMNS = ['direction', 'code', 'economic', 'phase', 'period', 'amount', 'name_kk', 'name_ru', 'name_en'] as const
const REQUIRED = ['direction', 'code', 'phase', 'period', 'amount'] as const
type Column = (typeof LINE_COLUMNS)[number]

/** Wrong rows listed in a refusal: the count says how many more there were. */
export const MAX_PROBLEMS = 100
const BATCH = 2000

const EXPENSE_CODE = /^[0-9]{2} [0-9] [0-9]{3} [0-9]{3}( [0-9]{3})?$/
const REVENUE_CODE = /^[0-9] [0-9]{2} [0-9] [0-9]{2}$/
const PERIOD = /^(Y|Q[1-4]|M(0[1-9]|1[0-2]))$/
// A date of the year: 2026, 2026-Q1, 2026-03, or a day of the month (2026-03-31), as a Fiscal Data Package's dates are.
const DATED = /^([0-9]{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?))?$/

/** A period as kept (Y, Q1–Q4, M01–M12), with the year a date of it names; null when it is neither. */
function periodOf(text: string): { period: string; year: number | null } | null {
  if (PERIOD.test(text)) return { period: text, year: null }
  const date = DATED.exec(text)
  if (!date) return null
  return { period: date[2] ? `Q${date[2]}` : date[3] ? `M${date[3]}` : 'Y', year: Number(date[1]) }
}
// Up to 18 digits before the decimal mark, two after; a comma for the mark, spaces between thousands.
const AMOUNT = /^-?[0-9]{1,18}([.,][0-9]{1,2})?$/

export interface ImportReport {
  rows: number
  /** The budget's dataset in the open data catalog, refreshed with the import (when a file store was given). */
  dataset: string | null
  /** The phases and periods the file brought, which replaced what the budget had for them. */
  replaced: Array<{ phase: Phase; period: string }>
}

interface Staged {
  row: number; direction: string; code: string; economic: string | null; phase: string; period: string; amount: string; name: string | null
}

/** Checks one row; returns its problems, or the row as it is kept. */
function checkRow(row: number, cell: (column: Column) => string, fieldOf: (column: Column) => string, year: number, problems: FieldError[]): Staged | null {
  const found: FieldError[] = []
  const problem = (field: Column, messageKey: string, values: Record<string, string | number> = {}) =>
    found.push({ field: fieldOf(field), messageKey: `budgets.import.errors.${messageKey}`, values: { row, ...values } })
  const direction = cell('direction').toLowerCase()
  const code = cell('code').replace(/\s+/g, ' ')
  const economic = cell('economic') || null
  const phase = cell('phase').toLowerCase()
  const dated = periodOf(cell('period').toUpperCase())
  const amount = cell('amount').replace(/[\s\u00a0\u202f]/g, '')
  if (direction !== 'expense' && direction !== 'revenue') problem('direction', 'direction')
  else if (direction === 'expense' ? !EXPENSE_CODE.test(code) : !REVENUE_CODE.test(code)) problem('code', direction === 'expense' ? 'expenseCode' : 'revenueCode')
  if (economic !== null && (direction === 'revenue' || !/^[0-9]{3}$/.test(economic))) problem('economic', direction === 'revenue' ? 'economicOfRevenue' : 'economic')
  if (!PHASES.includes(phase as Phase)) problem('phase', 'phase')
  const period = dated?.period ?? ''
  if (!dated) problem('period', 'period', { year: String(year) })
  else if (dated.year !== null && dated.year !== year) problem('period', 'otherYear', { period: cell('period'), year: String(year) })
  else if (phase !== 'executed' && period !== 'Y') problem('period', 'planByYear')
  if (!AMOUNT.test(amount)) problem('amount', 'amount')
  const names = { kk: cell('name_kk'), ru: cell('name_ru'), en: cell('name_en') }
  for (const lang of ['kk', 'ru', 'en'] as const) if (names[lang].length > 500) problem(`name_${lang}`, 'nameLength')
  if (found.length > 0) {
    problems.push(...found)
    return null
  }
  const name = Object.fromEntries(Object.entries(names).filter(([, v]) => v))
  return { row, direction, code, economic, phase, period, amount: amount.replace(',', '.'), name: Object.keys(name).length > 0 ? JSON.stringify(name) : null }
}

/** Thrown with the first MAX_PROBLEMS wrong rows, and how many there were in all. */
export class ImportRefused extends ValidationError {
  constructor(fields: FieldError[], readonly total: number) {
    super(fields.slice(0, MAX_PROBLEMS))
  }
}

async function stage(db: Queryable, importId: string, rows: Staged[]): Promise<void> {
  if (rows.length === 0) return
  await db.query(
    `insert into budget_staging (import_id, row, direction, code, economic, phase, period, amount, name)
     select $1, r, d, c, e, p, t, a, n::jsonb from unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::text[]) as u(r, d, c, e, p, t, a, n)`,
    [importId, rows.map((r) => r.row), rows.map((r) => r.direction), rows.map((r) => r.code), rows.map((r) => r.economic), rows.map((r) => r.phase),
      rows.map((r) => r.period), rows.map((r) => r.amount), rows.map((r) => r.name)],
  )
}

/**
 * Imports a file's rows into a budget (its keeper's staff, or an administrator): all of them, or
 * none with the report of what is wrong. Then its totals and execution by period are made again.
 */
export async function importLines(db: Db, user: User | null, budget: Budget, pass: RowPass, day: Day, catalog?: FileStore): Promise<ImportReport> {
  const actor = authorize(user, 'budget.import', { agencyId: budget.agency.id })
  return importLinesAs(db, { id: actor.id, email: actor.email }, budget, pass, day, catalog)
}

/**
 * The import itself, by whoever was let do it (the system for the demo's budgets). With `catalog`
 * (the site's file store), the budget's dataset in the open data catalog is refreshed in the same
 * transaction: the import and its dataset are kept together or not at all.
 */
export async function importLinesAs(db: Db, actor: Actor, budget: Budget, pass: RowPass, day: Day, catalog?: FileStore): Promise<ImportReport> {
  const importId = `${budget.id}:${randomUUID()}`
  await db.query("delete from budget_staging where created_at < now() - interval '1 day'")
  const problems: FieldError[] = []
  let total = 0
  let rows = 0
  let batch: Staged[] = []
  let columns: Map<Column, string> | undefined
  try {
    for await (const source of pass.rows) {
      // The header is read once the first row is: the readers name the columns as they meet them.
      columns ??= headerOf(pass.names)
      const cell = (column: Column) => {
        const k = columns!.get(column)
        return (k ? source.values.get(k) ?? '' : '').trim()
      }
      rows += 1
      const before = problems.length
      const staged = checkRow(source.row, cell, (column) => source.fields?.get(column) ?? column, budget.year, problems)
      total += problems.length - before
      if (problems.length > MAX_PROBLEMS) problems.length = MAX_PROBLEMS
      // Once a row is wrong nothing will be kept: the rest is only checked, to report it.
      if (staged && total === 0) {
        batch.push(staged)
        if (batch.length >= BATCH) {
          await stage(db, importId, batch)
          batch = []
        }
      }
    }
    columns ??= headerOf(pass.names)
    if (rows === 0) throw new ValidationError([{ field: 'file', messageKey: 'budgets.import.errors.empty' }])
    if (total > 0) throw new ImportRefused(problems, total)
    await stage(db, importId, batch)
    await refuseDuplicates(db, importId)
    return await db.transaction(async (tx) => {
      // The budget's row is the import's lock: two imports into one budget run one after the other.
      await tx.query('select 1 from budgets where id = $1 for update', [budget.id])
      await refuseMixedPeriods(tx, budget, importId)
      const replaced = await tx.query<{ phase: Phase; period: string }>(
        'select distinct phase, period from budget_staging where import_id = $1 order by phase, period', [importId])
      await tx.query(
        `delete from budget_lines where budget_id = $1 and (phase, period) in (select phase, period from budget_staging where import_id = $2)`, [budget.id, importId])
      await tx.query(
        `insert into budget_lines (budget_id, direction, code, economic, phase, period, amount)
         select $1, direction, code, economic, phase, period, amount from budget_staging where import_id = $2`, [budget.id, importId])
      // A line's name names its own code: an expense's on the budget's administrator, programme or subprogramme.
      await tx.query(
        `insert into budget_names (budget_id, dimension, code, name)
         select distinct on (dimension, code) $1::bigint, dimension, code, name from (
           select case direction when 'expense' then 'administrative' else 'revenue' end as dimension,
             case direction when 'expense' then substr(code, 6) else code end as code, name, row
           from budget_staging where import_id = $2 and name is not null) named
         order by dimension, code, row desc
         on conflict (coalesce(budget_id, 0), dimension, code) do update set name = excluded.name`, [budget.id, importId])
      await makeTotals(tx, budget.id)
      const phases = new Set(replaced.map((r) => r.phase))
      await tx.query(
        `update budgets set updated_at = now(),
           approved_on = case when $2 and approved_on is null then $4::date else approved_on end,
           executed_through = case when $3 then (select max(period) from budget_lines where budget_id = $1 and phase = 'executed' and period <> 'Y') else executed_through end,
           executed_updated_on = case when $3 then $4::date else executed_updated_on end
         where id = $1`, [budget.id, phases.has('approved'), phases.has('executed'), day])
      // The day each phase and period was first published, and last (the openness index's facts).
      await tx.query(
        `insert into budget_publications (budget_id, phase, period, first_on, last_on)
         select $1, phase, period, $2::date, $2::date from budget_staging where import_id = $3 group by phase, period
         on conflict (budget_id, phase, period) do update set last_on = excluded.last_on`, [budget.id, day, importId])
      await recordChange(tx, actor, {
        action: 'budget.import', entity: 'budget', entityId: String(budget.id), before: null, after: { rows, replaced },
      })
      const dataset = catalog ? await keepBudgetDataset(tx, catalog, actor, budget) : null
      return { rows, replaced, dataset }
    })
  } finally {
    await db.query('delete from budget_staging where import_id = $1', [importId])
  }
}

/** The file's columns, by name (any case); a required one missing, or one not in the layout, is refused. */
function headerOf(names: Map<string, string>): Map<Column, string> {
  const columns = new Map<Column, string>()
  const problems: FieldError[] = []
  for (const [k, name] of names) {
    const column = name.trim().toLowerCase() as Column
    if (!name.trim()) continue
    if (!LINE_COLUMNS.includes(column)) problems.push({ field: name, messageKey: 'budgets.import.errors.unknownColumn', values: { column: name, columns: LINE_COLUMNS.join(', ') } })
    else columns.set(column, k)
  }
  for (const column of REQUIRED) if (!columns.has(column)) problems.push({ field: column, messageKey: 'budgets.import.errors.missingColumn', values: { column } })
  if (problems.length > 0) throw new ValidationError(problems)
  return columns
}

/** The same code, economic specific, phase and period twice in one file: which of them would count is not the file's to leave open. */
async function refuseDuplicates(db: Queryable, importId: string): Promise<void> {
  const twice = await db.query<{ first: number; again: number }>(
    `select min(row) as first, max(row) as again from budget_staging where import_id = $1
     group by direction, code, coalesce(economic, ''), phase, period having count(*) > 1 order by 1 limit ${MAX_PROBLEMS}`, [importId])
  if (twice.length > 0) {
    throw new ImportRefused(twice.map((d) => ({ field: 'code', messageKey: 'budgets.import.errors.duplicate', values: { row: d.again, first: d.first } })), twice.length)
  }
}

/**
 * A budget's executed amounts are of one kind of period, months, quarters or the year, so that
 * the year's execution is their sum: a file that would leave two kinds side by side is refused.
 */
async function refuseMixedPeriods(db: Queryable, budget: Budget, importId: string): Promise<void> {
  const kinds = await db.query<{ kind: string }>(
    `select distinct left(period, 1) as kind from budget_staging where import_id = $2 and phase = 'executed'
     union select distinct left(period, 1) from budget_lines where budget_id = $1 and phase = 'executed'
       and (phase, period) not in (select phase, period from budget_staging where import_id = $2)`, [budget.id, importId])
  if (kinds.length > 1) throw new ValidationError([{ field: 'period', messageKey: 'budgets.import.errors.mixedPeriods' }])
}

/**
 * Makes a budget's totals again from its lines: each way of reading, at every depth, in each phase
 * (the executed phase summing its periods), and its execution by period. Within a way of reading a
 * node's total is the sum of its parts' (tested at every depth and phase).
 */
export async function makeTotals(tx: Queryable, budgetId: number): Promise<void> {
  await tx.query('delete from budget_totals where budget_id = $1', [budgetId])
  await tx.query(
    `insert into budget_totals (budget_id, dimension, code, depth, phase, amount)
     with leaves as (
       select direction, string_to_array(code, ' ') as parts, economic, phase, sum(amount) as amount
       from budget_lines where budget_id = $1 group by direction, code, economic, phase
     )
     select $1, 'functional', array_to_string(parts[1:d], ' '), d, phase, sum(amount)
       from leaves, generate_series(0, array_length(parts, 1)) d where direction = 'expense' group by 3, 4, 5
     union all
     select $1, 'administrative', array_to_string(parts[3:2 + d], ' '), d, phase, sum(amount)
       from leaves, generate_series(0, array_length(parts, 1) - 2) d where direction = 'expense' group by 3, 4, 5
     union all
     select $1, 'economic', case d when 0 then '' when 1 then left(economic, 1) else economic end, d, phase, sum(amount)
       from leaves, generate_series(0, 2) d where direction = 'expense' and economic is not null group by 3, 4, 5
     union all
     select $1, 'revenue', array_to_string(parts[1:d], ' '), d, phase, sum(amount)
       from leaves, generate_series(0, array_length(parts, 1)) d where direction = 'revenue' group by 3, 4, 5`,
    [budgetId],
  )
  await tx.query('delete from budget_execution where budget_id = $1', [budgetId])
  await tx.query(
    `insert into budget_execution (budget_id, direction, period, amount)
     select $1, direction, period, sum(amount) from budget_lines where budget_id = $1 and phase = 'executed' group by direction, period`, [budgetId])
}
