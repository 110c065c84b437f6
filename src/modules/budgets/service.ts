import type { Db, Queryable } from '../../platform/db/index.ts'
import { escapeLike } from '../../platform/db/parameters.ts'
import { NotFound, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { authorize } from '../../platform/auth/policies.ts'
import type { User } from '../../platform/auth/roles.ts'
import { cleanMultilingual, type MultilingualText } from '../../platform/i18n/multilingual.ts'
import { agencyWithRegion, normalizeSearch, regionExists } from '../agencies/service.ts'
import { recordChange, type Actor } from '../../platform/audit/index.ts'

/**
 * Open Budgets' records: budgets of each level and year, the totals every drill-down reads, the
 * names of codes. Imports are import.ts; the classification's shape is here.
 */

export const BUDGET_LEVELS = ['republican', 'regional', 'district'] as const
export type BudgetLevel = (typeof BUDGET_LEVELS)[number]

/** A budget's phases: the law approved, as adjusted during the year, and executed. */
export const PHASES = ['approved', 'adjusted', 'executed'] as const
export type Phase = (typeof PHASES)[number]

/**
 * The ways a budget is read: expenses by function (group → subgroup → administrator → programme →
 * subprogramme), by administrator, a state body (administrator → programme → subprogramme), by
 * economic specific (category → specific), and revenues (category → class → subclass → specific).
 */
export const DIMENSIONS = ['functional', 'administrative', 'economic', 'revenue'] as const
export type Dimension = (typeof DIMENSIONS)[number]

/** How deep each way goes: a code of this many space-separated parts is a leaf. */
export const DIMENSION_DEPTH: Record<Dimension, number> = { functional: 5, administrative: 3, economic: 2, revenue: 4 }

export interface Budget {
  id: number
  /** Its address: republican-2026, almaty-city-2026 (a region's code), 751210000-2026 (a district's KATO code). */
  key: string
  level: BudgetLevel
  regionCode: string | null
  districtCode: string | null
  year: number
  agency: { id: number; slug: string; name: MultilingualText }
  title: MultilingualText
  approvedOn: string | null
  executedThrough: string | null
  executedUpdatedOn: string | null
}

const SELECT = `select b.id, b.level, b.region_code, b.district_code, b.year, b.agency_id, a.slug as agency_slug, a.name as agency_name, b.title,
  b.approved_on::text, b.executed_through, b.executed_updated_on::text
  from budgets b join agencies a on a.id = b.agency_id`

interface Row {
  id: string; level: BudgetLevel; region_code: string | null; district_code: string | null; year: number; agency_id: string; agency_slug: string
  agency_name: MultilingualText; title: MultilingualText; approved_on: string | null; executed_through: string | null; executed_updated_on: string | null
}

export function budgetKey(b: { level: BudgetLevel; regionCode: string | null; districtCode: string | null; year: number }): string {
  const territory = b.level === 'republican' ? 'republican' : b.level === 'regional' ? b.regionCode : b.districtCode
  return `${territory}-${b.year}`
}

function toBudget(r: Row): Budget {
  const b = {
    id: Number(r.id), level: r.level, regionCode: r.region_code, districtCode: r.district_code, year: r.year,
    agency: { id: Number(r.agency_id), slug: r.agency_slug, name: r.agency_name }, title: r.title,
    approvedOn: r.approved_on, executedThrough: r.executed_through, executedUpdatedOn: r.executed_updated_on,
  }
  return { ...b, key: budgetKey(b) }
}

const KEY = /^(.+)-(\d{4})$/

/** A budget by its key, or NotFound. */
export async function findBudget(db: Queryable, key: string): Promise<Budget> {
  const match = KEY.exec(key)
  if (!match) throw new NotFound('budget', key)
  const [, territory, year] = match
  const [row] = await db.query<Row>(
    `${SELECT} where b.year = $2 and case when $1 = 'republican' then b.level = 'republican' when $1 ~ '^[0-9]{9}$' then b.district_code = $1 else b.level = 'regional' and b.region_code = $1 end`,
    [territory!, Number(year)],
  )
  if (!row) throw new NotFound('budget', key)
  return toBudget(row)
}

/**
 * Every budget, the newest year first, the republican one first in a year; or only those a body
 * keeps, those of given ids, or a territory's.
 */
export async function listBudgets(db: Queryable, filter: { agencyId?: number; ids?: number[]; territoryOf?: Budget } = {}): Promise<Budget[]> {
  const territory = filter.territoryOf
  const rows = await db.query<Row>(
    `${SELECT} where ($1::bigint is null or b.agency_id = $1) and ($2::bigint[] is null or b.id = any($2))
       and ($3::text is null or (b.level = $3 and b.region_code is not distinct from $4 and b.district_code is not distinct from $5))
     order by b.year desc, array_position(array['republican', 'regional', 'district'], b.level), b.region_code nulls first, b.district_code`,
    [filter.agencyId ?? null, filter.ids ?? null, territory?.level ?? null, territory?.regionCode ?? null, territory?.districtCode ?? null],
  )
  return rows.map(toBudget)
}

export interface NewBudget {
  level: string
  regionCode?: string | null
  districtCode?: string | null
  year: number
  agencySlug: string
  title?: MultilingualText
}

/** An administrator opens a budget for a year and a territory, kept by a body whose staff then import its lines. */
export async function createBudget(db: Db, user: User | null, input: NewBudget): Promise<Budget> {
  const actor = authorize(user, 'budget.create')
  return createBudgetAs(db, { id: actor.id, email: actor.email }, input)
}

/** Opening a budget, by whoever was let do it (the system for the demo's budgets). */
export async function createBudgetAs(db: Db, actor: Actor, input: NewBudget): Promise<Budget> {
  const problems: FieldError[] = []
  const level = input.level as BudgetLevel
  if (!BUDGET_LEVELS.includes(level)) problems.push({ field: 'level', messageKey: 'budgets.errors.level' })
  const regionCode = input.regionCode?.trim() || null
  const districtCode = input.districtCode?.trim() || null
  if (level !== 'republican' && !regionCode) problems.push({ field: 'regionCode', messageKey: 'budgets.errors.regionNeeded' })
  if (level === 'republican' && regionCode) problems.push({ field: 'regionCode', messageKey: 'budgets.errors.regionNotAllowed' })
  if (regionCode && !(await regionExists(db, regionCode))) problems.push({ field: 'regionCode', messageKey: 'agencies.errors.regionUnknown' })
  if (level === 'district' && !/^[0-9]{9}$/.test(districtCode ?? '')) problems.push({ field: 'districtCode', messageKey: 'budgets.errors.districtCode' })
  if (level !== 'district' && districtCode) problems.push({ field: 'districtCode', messageKey: 'budgets.errors.districtNotAllowed' })
  if (!Number.isInteger(input.year) || input.year < 1991 || input.year > 2100) problems.push({ field: 'year', messageKey: 'budgets.errors.year' })
  const agency = await agencyWithRegion(db, input.agencySlug)
  if (!agency) problems.push({ field: 'agency', messageKey: 'budgets.errors.agency' })
  if (problems.length > 0) throw new ValidationError(problems)
  const budget = { level, regionCode, districtCode: level === 'district' ? districtCode : null, year: input.year }
  return db.transaction(async (tx) => {
    const existing = await tx.query(
      "select 1 from budgets where level = $1 and coalesce(region_code, '') = coalesce($2, '') and coalesce(district_code, '') = coalesce($3, '') and year = $4",
      [budget.level, budget.regionCode, budget.districtCode, budget.year])
    if (existing.length > 0) throw new ValidationError([{ field: 'year', messageKey: 'budgets.errors.exists', values: { key: budgetKey(budget) } }])
    const [row] = await tx.query<{ id: string }>(
      'insert into budgets (level, region_code, district_code, year, agency_id, title) values ($1, $2, $3, $4, $5, $6) returning id',
      [budget.level, budget.regionCode, budget.districtCode, budget.year, agency!.id, cleanMultilingual(input.title ?? {})])
    await recordChange(tx, actor, { action: 'budget.create', entity: 'budget', entityId: row!.id, before: null, after: { ...budget, agency: input.agencySlug } })
    return findBudget(tx, budgetKey(budget))
  })
}

// A node's totals as one row: its amount in each phase (a phase it has none in, null).
const BY_PHASE = `max(amount) filter (where phase = 'approved')::text as approved, max(amount) filter (where phase = 'adjusted')::text as adjusted,
  max(amount) filter (where phase = 'executed')::text as executed`

/** One node's amounts in each phase, with its name (null where none is kept). */
export interface BudgetNode {
  code: string
  name: MultilingualText | null
  /** The body behind an administrator's code, when one is linked. */
  agencySlug: string | null
  approved: string | null
  adjusted: string | null
  executed: string | null
  /** Whether it is read further down (a programme with subprogrammes; a subprogramme never). */
  hasParts: boolean
}

/**
 * The name a node of a way of reading has: an administrator's, programme's or subprogramme's on
 * its budget (a functional node below its subgroup is named as that administrator's node), the
 * classification's nationally (kept with no budget) otherwise.
 */
function namedAs(dimension: Dimension, code: string): { dimension: Dimension; code: string } {
  if (dimension === 'functional') {
    const parts = code.split(' ')
    if (parts.length >= 3) return { dimension: 'administrative', code: parts.slice(2).join(' ') }
  }
  return { dimension, code }
}

/**
 * The codes from the whole budget ('') down to a node, the node's own last: '04 2 225' is reached
 * through '04' and '04 2'; an economic specific ('111') through its category ('1').
 */
export function pathCodes(dimension: Dimension, code: string): string[] {
  if (code === '') return ['']
  if (dimension === 'economic') return code.length === 1 ? ['', code] : ['', code.slice(0, 1), code]
  const parts = code.split(' ')
  return ['', ...parts.map((_, i) => parts.slice(0, i + 1).join(' '))]
}

/** Whether a node of this way of reading has parts below it. */
export function hasParts(dimension: Dimension, code: string): boolean {
  return pathCodes(dimension, code).length <= DIMENSION_DEPTH[dimension]
}

/**
 * The parts of a node (code '' is the whole budget) in one way of reading, each with its amounts by
 * phase as exact decimal strings, the largest first (adjusted, else approved, else executed).
 */
export async function budgetChildren(db: Queryable, budget: Budget, dimension: Dimension, code: string): Promise<BudgetNode[]> {
  const depth = pathCodes(dimension, code).length
  if (depth > DIMENSION_DEPTH[dimension]) return []
  const rows = await db.query<{ code: string; approved: string | null; adjusted: string | null; executed: string | null; has_parts: boolean }>(
    `select t.code, ${BY_PHASE},
       exists (select 1 from budget_totals c where c.budget_id = $1 and c.dimension = $2 and c.depth = $3 + 1
         and (c.code like t.code || ' %' or ($2 = 'economic' and left(c.code, 1) = t.code))) as has_parts
     from budget_totals t where budget_id = $1 and dimension = $2 and depth = $3
       and ($4 = '' or code like $4 || ' %' or ($2 = 'economic' and left(code, 1) = $4))
     group by t.code order by coalesce(max(amount) filter (where phase = 'adjusted'), max(amount) filter (where phase = 'approved'), max(amount) filter (where phase = 'executed')) desc nulls last, code`,
    [budget.id, dimension, depth, code],
  )
  const names = await codeNames(db, budget.id, rows.map((r) => namedAs(dimension, r.code)))
  return rows.map(({ has_parts, ...r }) => {
    const named = names.get(key(namedAs(dimension, r.code)))
    return { ...r, name: named?.name ?? null, agencySlug: named?.agencySlug ?? null, hasParts: has_parts }
  })
}

/** A node's own amounts, and the path to it from the whole budget (each step with its name). */
export async function budgetNode(db: Queryable, budget: Budget, dimension: Dimension, code: string): Promise<{ node: BudgetNode; path: BudgetNode[] } | null> {
  const codes = pathCodes(dimension, code)
  const rows = await db.query<{ code: string; approved: string | null; adjusted: string | null; executed: string | null }>(
    `select code, ${BY_PHASE}
     from budget_totals where budget_id = $1 and dimension = $2 and code = any($3::text[]) group by code`,
    [budget.id, dimension, codes],
  )
  if (!rows.some((r) => r.code === code)) return null
  const names = await codeNames(db, budget.id, codes.filter(Boolean).map((c) => namedAs(dimension, c)))
  const byCode = new Map(rows.map((r) => [r.code, r]))
  const path = codes.map((c) => {
    const r = byCode.get(c) ?? { code: c, approved: null, adjusted: null, executed: null }
    const named = c ? names.get(key(namedAs(dimension, c))) : undefined
    return { ...r, name: named?.name ?? null, agencySlug: named?.agencySlug ?? null, hasParts: c !== code || hasParts(dimension, c) }
  })
  return { node: path.at(-1)!, path: path.slice(0, -1) }
}

const key = (n: { dimension: string; code: string }) => `${n.dimension}:${n.code}`

/** Names of codes: the budget's own first, the classification's (no budget) otherwise; with an administrator's body. */
async function codeNames(db: Queryable, budgetId: number, codes: Array<{ dimension: Dimension; code: string }>): Promise<Map<string, { name: MultilingualText; agencySlug: string | null }>> {
  if (codes.length === 0) return new Map()
  const rows = await db.query<{ dimension: string; code: string; name: MultilingualText; slug: string | null }>(
    `select distinct on (n.dimension, n.code) n.dimension, n.code, n.name, a.slug
     from budget_names n left join agencies a on a.id = n.agency_id
     where (n.budget_id = $1 or n.budget_id is null) and (n.dimension, n.code) in (select * from unnest($2::text[], $3::text[]))
     order by n.dimension, n.code, n.budget_id nulls last`,
    [budgetId, codes.map((c) => c.dimension), codes.map((c) => c.code)],
  )
  return new Map(rows.map((r) => [key(r), { name: r.name, agencySlug: r.slug }]))
}

/** Programmes' names on their budgets (the budget's own, else the classification's), read at once for a list: by `budgetId:code`. */
export async function programmeNames(db: Queryable, items: Array<{ budgetId: number; code: string }>): Promise<Map<string, MultilingualText>> {
  if (items.length === 0) return new Map()
  const rows = await db.query<{ budget_id: string; code: string; name: MultilingualText }>(
    `select distinct on (w.b, w.c) w.b as budget_id, w.c as code, n.name
     from unnest($1::bigint[], $2::text[]) as w(b, c)
     join budget_names n on n.dimension = 'administrative' and n.code = w.c and (n.budget_id = w.b or n.budget_id is null)
     order by w.b, w.c, n.budget_id nulls last`,
    [items.map((i) => i.budgetId), items.map((i) => i.code)],
  )
  return new Map(rows.map((r) => [`${r.budget_id}:${r.code}`, r.name]))
}

/** Amounts in each phase, as exact decimal strings (null: none in that phase). */
export interface Amounts {
  approved: string | null
  adjusted: string | null
  executed: string | null
}

/** Each budget's whole expenses in each phase, by the budget's id. */
export async function budgetWholes(db: Queryable, budgets: Budget[]): Promise<Map<number, Amounts>> {
  const rows = await db.query<Amounts & { budget_id: string }>(
    `select budget_id, ${BY_PHASE} from budget_totals where budget_id = any($1::bigint[]) and dimension = 'functional' and code = '' group by budget_id`,
    [budgets.map((b) => b.id)],
  )
  return new Map(rows.map(({ budget_id, ...amounts }) => [Number(budget_id), amounts]))
}

/**
 * The share of the year a budget's execution covers: M06 half, Q3 three quarters, Y or M12 all of
 * it; 0 before any execution is imported. What each part would have spent at an even pace.
 */
export function elapsedShare(executedThrough: string | null): number {
  if (!executedThrough) return 0
  if (executedThrough === 'Y') return 1
  const n = Number(executedThrough.slice(1))
  return executedThrough.startsWith('Q') ? n / 4 : n / 12
}

/** The amount a part is read by: as adjusted during the year, else as approved, else as executed. */
export function planOf(amounts: Amounts): string | null {
  return amounts.adjusted ?? amounts.approved
}

/**
 * How much of an even pace a part may fall short of before it is marked: a programme spends by its
 * financing plan's months, not in twelve equal parts, so a tenth behind an even pace is taken as
 * ordinary and more as falling behind. A reading rule of this portal's, not a threshold of the law;
 * the page says it in words beside the chart.
 */
export const EVEN_PACE_TOLERANCE = 0.9

/**
 * How far a part's execution goes: executed ÷ its plan for the year (adjusted, else approved), and
 * whether it is under-spent: below nine tenths of the share of the year its budget's execution
 * covers (0.45 of the plan by the end of June).
 */
export function executionOf(amounts: Amounts, elapsed: number): { share: number | null; underSpent: boolean } {
  const plan = Number(planOf(amounts) ?? 0)
  if (plan <= 0 || elapsed === 0) return { share: null, underSpent: false }
  const share = Number(amounts.executed ?? 0) / plan
  return { share, underSpent: share < elapsed * EVEN_PACE_TOLERANCE }
}

/** A body's place in budgets as an administrator of budget programmes: in which budgets, under which code, with its amounts. */
export interface AdministratorOf extends Amounts {
  budget: Budget
  code: string
}

/** Every budget a body administers programmes of (its code named with its body), the newest year first. */
export async function budgetsAdministeredBy(db: Queryable, agencyId: number): Promise<AdministratorOf[]> {
  const rows = await db.query<Amounts & { budget_id: string; code: string }>(
    `select t.budget_id, t.code, ${BY_PHASE}
     from budget_names n join budget_totals t on (n.budget_id is null or t.budget_id = n.budget_id) and t.dimension = 'administrative' and t.code = n.code
     where n.agency_id = $1 and n.dimension = 'administrative' and strpos(n.code, ' ') = 0
     group by t.budget_id, t.code`,
    [agencyId],
  )
  const budgets = await listBudgets(db, { ids: [...new Set(rows.map((r) => Number(r.budget_id)))] })
  const position = new Map(budgets.map((b, i) => [b.id, i]))
  return rows.flatMap(({ budget_id, ...r }) => {
    const budget = budgets[position.get(Number(budget_id)) ?? -1]
    return budget ? [{ ...r, budget }] : []
  }).sort((a, b) => position.get(a.budget.id)! - position.get(b.budget.id)!)
}

/** A node of a way of reading in every year's budget of the same territory, the earliest first: a programme across years. */
export async function nodeAcrossYears(db: Queryable, budget: Budget, dimension: Dimension, code: string): Promise<Array<Amounts & { budget: Budget }>> {
  const years = await listBudgets(db, { territoryOf: budget })
  const rows = await db.query<Amounts & { budget_id: string }>(
    `select budget_id, ${BY_PHASE} from budget_totals where budget_id = any($1::bigint[]) and dimension = $2 and code = $3 group by budget_id`,
    [years.map((b) => b.id), dimension, code],
  )
  const byBudget = new Map(rows.map(({ budget_id, ...amounts }) => [Number(budget_id), amounts]))
  return years.flatMap((b) => {
    const amounts = byBudget.get(b.id)
    return amounts ? [{ ...amounts, budget: b }] : []
  }).sort((a, b) => a.budget.year - b.budget.year)
}

/** A programme or subprogramme found: in which budget, its code and name, its amounts. */
export interface FoundProgramme extends Amounts {
  budget: Budget
  code: string
  name: MultilingualText
}

/**
 * Programmes and subprogrammes by name in any language (Cyrillic typed in Latin letters too), or by
 * code ("225 001", "225001", or the functional code "04 2 225 001"), the newest budgets first.
 */
export async function searchProgrammes(db: Queryable, q: string, limit: number): Promise<{ total: number; found: FoundProgramme[] }> {
  const text = normalizeSearch(q)
  if (!text) return { total: 0, found: [] }
  const digits = /^[0-9 ]+$/.test(text) ? text.replace(/ /g, '') : null
  // A functional code ends with the administrator's: its first three digits (group and subgroup) go.
  const rows = await db.query<{ budget_id: string; code: string; name: MultilingualText; total: number }>(
    `select n.budget_id, n.code, n.name, count(*) over ()::int as total
     from budget_names n join budgets b on b.id = n.budget_id
     where n.dimension = 'administrative' and strpos(n.code, ' ') > 0
       and case when $2::text is null then n.search_text like '%' || $1 || '%'
         else replace(n.code, ' ', '') like $2 || '%' or (length($2) > 6 and replace(n.code, ' ', '') like substr($2, 4) || '%') end
     order by b.year desc, n.code limit $3`,
    [escapeLike(text), digits, limit],
  )
  if (rows.length === 0) return { total: 0, found: [] }
  const budgets = new Map((await listBudgets(db, { ids: [...new Set(rows.map((r) => Number(r.budget_id)))] })).map((b) => [b.id, b]))
  const amounts = await db.query<Amounts & { budget_id: string; code: string }>(
    `select budget_id, code, ${BY_PHASE} from budget_totals where dimension = 'administrative' and (budget_id, code) in (select * from unnest($1::bigint[], $2::text[])) group by budget_id, code`,
    [rows.map((r) => r.budget_id), rows.map((r) => r.code)],
  )
  const byKey = new Map(amounts.map(({ budget_id, code, ...a }) => [`${budget_id}:${code}`, a]))
  return {
    total: rows[0]!.total,
    found: rows.map((r) => ({
      budget: budgets.get(Number(r.budget_id))!, code: r.code, name: r.name,
      ...(byKey.get(`${r.budget_id}:${r.code}`) ?? { approved: null, adjusted: null, executed: null }),
    })),
  }
}


/** A year of the consumer price index: its average prices against the year before's (108.7: 8.7 % higher), and its source. */
export interface PriceIndexYear {
  year: number
  index: number
  source: { name: MultilingualText; url: string | null }
}

/** The consumer price index as kept, the earliest year first. */
export async function priceIndex(db: Queryable): Promise<PriceIndexYear[]> {
  const rows = await db.query<{ year: number; index: string; source: PriceIndexYear['source'] }>('select year, index::text, source from budget_price_index order by year')
  return rows.map((r) => ({ year: r.year, index: Number(r.index), source: r.source }))
}

/**
 * What an amount of one year is worth in another year's prices: the product of the index of every
 * year after it up to that year (2024 in 2026 prices: × 1.114 × 1.110), or the inverse going back;
 * null when a year between them has no index.
 */
export function priceFactor(index: PriceIndexYear[], from: number, to: number): number | null {
  const byYear = new Map(index.map((y) => [y.year, y.index / 100]))
  let factor = 1
  for (let year = Math.min(from, to) + 1; year <= Math.max(from, to); year += 1) {
    const step = byYear.get(year)
    if (step === undefined) return null
    factor *= step
  }
  return from <= to ? factor : 1 / factor
}

/** An administrator keeps the consumer price index's years from a named source; a year sent again is replaced. */
export async function keepPriceIndex(db: Db, user: User | null, input: PriceIndexInput): Promise<number> {
  authorize(user, 'budget.create')
  return storePriceIndex(db, input)
}

type PriceIndexInput = { source: { name: MultilingualText; url?: string | null }; years: Array<{ year: number; index: number }> }

/** The index kept, by whoever was let keep it (the system for the demo's). */
export async function storePriceIndex(db: Db, input: PriceIndexInput): Promise<number> {
  const problems: FieldError[] = []
  if (!Object.values(cleanMultilingual(input.source.name)).some(Boolean)) problems.push({ field: 'source.name', messageKey: 'budgets.errors.sourceName' })
  if (input.source.url && !/^https?:\/\/\S+$/.test(input.source.url)) problems.push({ field: 'source.url', messageKey: 'budgets.errors.sourceUrl' })
  input.years.forEach((y, i) => {
    if (!Number.isInteger(y.year) || y.year < 1991 || y.year > 2100) problems.push({ field: `years[${i}].year`, messageKey: 'budgets.errors.year' })
    if (!(y.index > 0 && y.index < 100_000) || Math.abs(Math.round(y.index * 100) - y.index * 100) > 1e-6) problems.push({ field: `years[${i}].index`, messageKey: 'budgets.errors.index' })
  })
  if (problems.length > 0) throw new ValidationError(problems)
  const source = { name: cleanMultilingual(input.source.name), url: input.source.url ?? null }
  await db.transaction(async (tx) => {
    for (const y of input.years) {
      await tx.query('insert into budget_price_index (year, index, source) values ($1, $2, $3) on conflict (year) do update set index = excluded.index, source = excluded.source', [y.year, y.index, source])
    }
  })
  return input.years.length
}

/** Whether a body keeps a budget or administers programmes in one: its page then links to its budgets. */
export async function hasBudgets(db: Queryable, agencyId: number): Promise<boolean> {
  const [row] = await db.query<{ found: boolean }>(
    `select exists (select 1 from budgets where agency_id = $1)
       or exists (select 1 from budget_names where agency_id = $1 and dimension = 'administrative') as found`, [agencyId])
  return row?.found ?? false
}

/** Executed amounts by period, for the year's curve. */
export async function executionByPeriod(db: Queryable, budget: Budget, direction: 'expense' | 'revenue'): Promise<Array<{ period: string; amount: string }>> {
  return db.query('select period, amount::text from budget_execution where budget_id = $1 and direction = $2 order by period', [budget.id, direction])
}

/** The names of the classification's codes, nationally (an administrator's import of the reference). */
export async function nameCodes(db: Db, user: User | null, budget: Budget | null, names: Array<{ dimension: string; code: string; name: MultilingualText; agencySlug?: string | null }>): Promise<number> {
  authorize(user, budget ? 'budget.import' : 'budget.create', budget ? { agencyId: budget.agency.id } : undefined)
  return keepCodeNames(db, budget, names)
}

/** Names kept, by whoever was let name them (the system for the demo's budgets). */
export async function keepCodeNames(db: Db, budget: Budget | null, names: Array<{ dimension: string; code: string; name: MultilingualText; agencySlug?: string | null }>): Promise<number> {
  const problems: FieldError[] = []
  names.forEach((n, i) => {
    if (!DIMENSIONS.includes(n.dimension as Dimension)) problems.push({ field: `names[${i}].dimension`, messageKey: 'budgets.errors.dimension' })
    if (!/^[0-9]+( [0-9]+)*$/.test(n.code)) problems.push({ field: `names[${i}].code`, messageKey: 'budgets.errors.code' })
  })
  if (problems.length > 0) throw new ValidationError(problems)
  await db.transaction(async (tx) => {
    for (const n of names) {
      const agency = n.agencySlug ? await agencyWithRegion(tx, n.agencySlug) : undefined
      await tx.query(
        `insert into budget_names (budget_id, dimension, code, name, agency_id) values ($1, $2, $3, $4, $5)
         on conflict (coalesce(budget_id, 0), dimension, code) do update set name = excluded.name, agency_id = coalesce(excluded.agency_id, budget_names.agency_id)`,
        [budget?.id ?? null, n.dimension, n.code, cleanMultilingual(n.name), agency?.id ?? null])
    }
  })
  return names.length
}
