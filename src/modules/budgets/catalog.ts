import { Readable } from 'node:stream'
import { stringify } from 'csv-stringify/sync'
import type { Db, Queryable } from '../../platform/db/index.ts'
import { SYSTEM_ACTOR, type Actor } from '../../platform/audit/index.ts'
import type { FileStore } from '../../platform/files/index.ts'
import { LANGS, type Lang } from '../../platform/i18n/index.ts'
import { localize, type MultilingualText } from '../../platform/i18n/multilingual.ts'
import { translate } from '../../platform/notifications/messages.ts'
import { NotFound } from '../../platform/http/errors.ts'
import { listRegions } from '../agencies/service.ts'
import { changeDataset, findDataset, insertDataset, type DatasetFields } from '../data/publishing/dataset.ts'
import { changeResource, insertResource } from '../data/publishing/resource.ts'
import { resourcesOf, showDataset } from '../data/catalog/service.ts'
import { titleColumns, type ColumnTitles } from '../data/datastore/dictionary.ts'
import type { Budget } from './service.ts'

/**
 * Every budget is also a dataset of the open data catalog, published by its keeper and kept in step
 * with its lines: after each import its totals (every node of each way it is read, in each phase)
 * become the dataset's CSV, which the datastore loads as a table. So the budget is read through the
 * catalog's pages, CKAN's API (package_show, datastore_search) and DCAT like any other dataset.
 */

/** The name of a budget's dataset in the catalog: budget-republican-2026, budget-almaty-2026. */
export function budgetDatasetName(budget: Budget): string {
  return `budget-${budget.key}`
}

/** The columns of a budget's totals as the dataset's table has them. */
export const TOTALS_COLUMNS = ['dimension', 'code', 'depth', 'name_kk', 'name_ru', 'name_en', 'approved', 'adjusted', 'executed'] as const

// Marks the resource that is the budget's totals among the dataset's (a publisher may add others).
const TOTALS_RESOURCE = { table: 'budget-totals' }

/** The budget's totals as CSV rows, every node named as its budget's pages name it (thousands of rows, not the lines' millions). */
async function totalsRows(db: Queryable, budget: Budget): Promise<Array<Array<string | number | null>>> {
  const rows = await db.query<{ dimension: string; code: string; depth: number; name: MultilingualText | null; approved: string | null; adjusted: string | null; executed: string | null }>(
    `select t.dimension, t.code, t.depth,
       (select n.name from budget_names n
         where (n.budget_id = t.budget_id or n.budget_id is null)
           and n.dimension = case when t.dimension = 'functional' and t.depth >= 3 then 'administrative' else t.dimension end
           and n.code = case when t.dimension = 'functional' and t.depth >= 3 then substr(t.code, 6) else t.code end
         order by n.budget_id nulls last limit 1) as name,
       max(t.amount) filter (where t.phase = 'approved')::text as approved, max(t.amount) filter (where t.phase = 'adjusted')::text as adjusted,
       max(t.amount) filter (where t.phase = 'executed')::text as executed
     from budget_totals t where t.budget_id = $1 and t.code <> ''
     group by t.budget_id, t.dimension, t.code, t.depth order by t.dimension, t.code`,
    [budget.id],
  )
  return [[...TOTALS_COLUMNS], ...rows.map((r) => [r.dimension, r.code, r.depth, r.name?.kk ?? null, r.name?.ru ?? null, r.name?.en ?? null, r.approved, r.adjusted, r.executed])]
}

/** The budget's territory in each language: the country, a region or city, or a district's code. */
async function territoryNames(db: Queryable, budget: Budget): Promise<Record<Lang, string>> {
  const names = {} as Record<Lang, string>
  for (const lang of LANGS) {
    if (budget.level === 'republican') names[lang] = translate(lang, 'budgets.level.republican')
    else if (budget.level === 'regional') names[lang] = localize((await listRegions(db, lang)).find((r) => r.code === budget.regionCode)?.name, lang)?.text ?? budget.regionCode ?? ''
    else names[lang] = localize(budget.title, lang)?.text ?? translate(lang, 'budgets.level.districtCode', { code: budget.districtCode ?? '' })
  }
  return names
}

/** The catalog's description of a budget's dataset, in kk, ru and en. */
async function datasetFields(db: Queryable, budget: Budget): Promise<DatasetFields> {
  const territory = await territoryNames(db, budget)
  const text = (key: string) => Object.fromEntries(LANGS.map((lang) => [lang, translate(lang, key, { year: String(budget.year), territory: territory[lang], key: budget.key })])) as MultilingualText
  return {
    name: budgetDatasetName(budget),
    agencySlug: budget.agency.slug,
    title: text('budgets.dataset.title'),
    description: text('budgets.dataset.description'),
    themeCode: 'econ',
    keywords: Object.fromEntries(LANGS.map((lang) => [lang, translate(lang, 'budgets.dataset.keywords').split(',').map((k) => k.trim())])),
    licenceId: 'cc-by',
    frequency: 'monthly',
    temporalStart: `${budget.year}-01-01`,
    temporalEnd: `${budget.year}-12-31`,
    regionCode: budget.regionCode,
    extras: { budget: budget.key },
  }
}

/**
 * Publishes or refreshes a budget's dataset inside the import's transaction: the dataset's
 * description, and its totals as a new CSV that the datastore loads in place of the last one.
 * Returns the dataset's name.
 */
export async function keepBudgetDataset(tx: Queryable, files: FileStore, actor: Actor, budget: Budget): Promise<string> {
  const stored = await files.save(Readable.from([stringify(await totalsRows(tx, budget))]))
  const file = { ...stored, fileName: `${budgetDatasetName(budget)}-totals.csv`, mediaType: 'text/csv' }
  const fields = await datasetFields(tx, budget)
  const resource = {
    name: Object.fromEntries(LANGS.map((lang) => [lang, translate(lang, 'budgets.dataset.resource')])) as MultilingualText,
    description: Object.fromEntries(LANGS.map((lang) => [lang, translate(lang, 'budgets.dataset.resourceDescription')])) as MultilingualText,
    format: 'CSV', extras: TOTALS_RESOURCE,
  }
  const existing = await findDataset(tx, fields.name).catch((error: unknown) => {
    if (error instanceof NotFound) return undefined
    throw error
  })
  if (!existing) {
    const id = await insertDataset(tx, actor, fields)
    await insertResource(tx, actor, id, resource, file)
    return fields.name
  }
  await changeDataset(tx, actor, existing.id, fields)
  const totals = (await resourcesOf(tx, [existing.id])).get(existing.id)?.find((r) => r.extras.table === TOTALS_RESOURCE.table)
  if (totals) await changeResource(tx, actor, totals.id, resource, file)
  else await insertResource(tx, actor, existing.id, resource, file)
  return fields.name
}

/** The totals table's columns as the budget's readers call them, in kk, ru and en. */
const COLUMN_TITLES: Record<(typeof TOTALS_COLUMNS)[number], ColumnTitles[string]> = {
  dimension: ['Қима', 'Разрез', 'Way of reading'],
  code: ['Код', 'Код', 'Code'],
  depth: ['Деңгей', 'Уровень', 'Depth'],
  name_kk: ['Атауы (қазақша)', 'Название (на казахском)', 'Name (Kazakh)'],
  name_ru: ['Атауы (орысша)', 'Название (на русском)', 'Name (Russian)'],
  name_en: ['Атауы (ағылшынша)', 'Название (на английском)', 'Name (English)'],
  approved: ['Бекітілген, теңге', 'Утверждённый, тенге', 'Approved, tenge'],
  adjusted: ['Нақтыланған, теңге', 'Уточнённый, тенге', 'Adjusted, tenge'],
  executed: ['Атқарылған, теңге', 'Исполненный, тенге', 'Executed, tenge'],
}

/**
 * Titles the columns of budgets' totals tables the datastore has loaded with a column untitled (a
 * table's first load; a reload keeps its titles). Returns how many tables it titled.
 */
export async function titleBudgetTables(db: Db, budgets: readonly Budget[]): Promise<number> {
  let titled = 0
  for (const budget of budgets) {
    const totals = (await showDataset(db, budgetDatasetName(budget)).catch(() => undefined))?.resources.find((r) => r.extras.table === TOTALS_RESOURCE.table)
    if (totals && await titleColumns(db, SYSTEM_ACTOR, totals.id, COLUMN_TITLES)) titled += 1
  }
  return titled
}
