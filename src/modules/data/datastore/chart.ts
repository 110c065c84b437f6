import type { Db } from '../../../platform/db/index.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { ValidationError, type FieldError } from '../../../platform/http/index.ts'
import { collatorFor, type Lang } from '../../../platform/i18n/index.ts'
import { CHART_TYPES, type ChartNumbers, type ChartType } from '../../../platform/charts/draw.ts'
import { isNumericType as isNumeric } from './detect.ts'
import type { DatastoreField } from './ingest.ts'
import { aggregateDatastore, type DatastoreQuery, type DatastoreTable } from './query.ts'

/**
 * Charts of a datastore table: one column along the axis, one or more numeric columns aggregated
 * per value of it, as bars or lines. Drawn on the server by Apache ECharts into SVG, so the chart is
 * in the page without JavaScript; the same numbers are given as a table for screen readers.
 */

export const CHART_AGGREGATES = ['sum', 'avg', 'min', 'max', 'count'] as const
export type ChartAggregate = (typeof CHART_AGGREGATES)[number]

export interface ChartSpec {
  type: ChartType
  /** The column along the horizontal axis: one bar or point per value. */
  x: string
  /** The numeric columns drawn (with count, none is needed). */
  y: string[]
  agg: ChartAggregate
}

const MAX_SERIES = 6
/** Bars or points a chart draws at most; the rest is left out and said so. */
export const MAX_POINTS = 200


/** A chart as the address asks for it (chart, x, y, agg), checked against the table's columns. */
export function chartSpecOf(table: DatastoreTable, query: { chart?: string; x?: string; y?: string | string[]; agg?: string }): ChartSpec {
  const problems: FieldError[] = []
  const type = (CHART_TYPES as readonly string[]).includes(query.chart ?? '') ? query.chart as ChartType : 'bar'
  const agg = (CHART_AGGREGATES as readonly string[]).includes(query.agg ?? '') ? query.agg as ChartAggregate : 'sum'
  const x = query.x ?? ''
  if (!table.fields.some((f) => f.id === x)) problems.push({ field: 'x', messageKey: 'data.datastore.chart.chooseX' })
  const y = (Array.isArray(query.y) ? query.y : query.y ? [query.y] : []).filter((id, i, all) => all.indexOf(id) === i)
  for (const id of y) {
    const field = table.fields.find((f) => f.id === id)
    if (!field || !isNumeric(field.type)) problems.push({ field: 'y', messageKey: 'data.datastore.chart.notNumber', values: { column: id } })
  }
  if (y.length === 0 && agg !== 'count') problems.push({ field: 'y', messageKey: 'data.datastore.chart.chooseY' })
  if (y.length > MAX_SERIES) problems.push({ field: 'y', messageKey: 'data.datastore.chart.tooManyY', values: { max: MAX_SERIES } })
  if (problems.length > 0) throw new ValidationError(problems)
  return { type, x, y, agg }
}

// Numbers that name something rather than measure it: adding them up means nothing.
const LABEL_LIKE = /(^|_)(year|years|год|жыл|code|код|kato|като|bin|бин|iin|иин|id|no|номер|нөмір)(_|$)|№/i
// Numbers nobody sums: where a row is, or when something began.
const NOT_A_MEASURE = /(^|_)(lat|latitude|lon|lng|long|longitude|широта|долгота|ендік|бойлық|founded|established|основан|құрылған)(_|$)/i

/**
 * A first chart for a table nobody has configured: a measure (the first number column that is not a
 * year, a code, a coordinate or a founding year) summed along the first date column, else the first text column that is not a
 * code (in the reader's language when there is one per language), else a year.
 */
export function suggestedChart(table: DatastoreTable, lang: string): ChartSpec | null {
  const numbers = table.fields.filter((f) => isNumeric(f.type))
  const y = numbers.find((f) => !LABEL_LIKE.test(f.id) && !NOT_A_MEASURE.test(f.id))
  const names = table.fields.filter((f) => f.type === 'text' && !LABEL_LIKE.test(f.id))
  // Tables with a name per language (region_kk, region_ru, region_en) show the reader's.
  const x = table.fields.find((f) => f.type === 'date' || f.type === 'timestamp')
    ?? names.find((f) => f.id.toLowerCase().endsWith(`_${lang}`))
    ?? names[0]
    ?? table.fields.find((f) => f.type === 'text')
    ?? numbers.find((f) => f !== y && LABEL_LIKE.test(f.id))
  if (!x || !y) return null
  const overTime = x.type === 'date' || x.type === 'timestamp' || isNumeric(x.type)
  return { type: overTime ? 'line' : 'bar', x: x.id, y: [y.id], agg: 'sum' }
}

/** A saved chart still fits the table (a new file may have other columns); null when it does not. */
export function validChart(table: DatastoreTable, saved: { type: string; x: string; y: string[]; agg: string } | null): ChartSpec | null {
  if (!saved) return null
  try {
    return chartSpecOf(table, { chart: saved.type, x: saved.x, y: saved.y, agg: saved.agg })
  } catch {
    return null
  }
}

export interface ChartData extends ChartNumbers {
  /** More values of x than MAX_POINTS: the chart shows the first of them. */
  more: boolean
}

/** The numbers of a chart: per value of x, each y aggregated over the rows the filters leave. */
export async function chartData(db: Db, table: DatastoreTable, spec: ChartSpec, rows: Pick<DatastoreQuery, 'filters' | 'q'>, lang: Lang): Promise<ChartData> {
  const measures = spec.agg === 'count' ? [{ column: spec.x, fn: 'count' as const }] : spec.y.map((column) => ({ column, fn: spec.agg }))
  const { groups, more } = await aggregateDatastore(db, table, rows, { groupBy: spec.x, measures, limit: MAX_POINTS })
  const xField = table.fields.find((f) => f.id === spec.x)!
  // The database orders text by bytes; people read it in their alphabet.
  if (xField.type === 'text') {
    const collator = collatorFor(lang)
    groups.sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : collator.compare(String(a.key), String(b.key))))
  }
  return {
    // A timestamp reads as "2024-05-01 10:00", not with ISO's T; any other value as it is.
    categories: groups.map((g) => (g.key === null ? '—' : xField.type === 'timestamp' ? String(g.key).replace('T', ' ') : String(g.key))),
    series: measures.map((m, i) => ({ id: spec.agg === 'count' ? 'count' : m.column, values: groups.map((g) => g.values[i] ?? null) })),
    more,
  }
}

/** The columns a chart may use, for its form. */
export function chartColumns(fields: DatastoreField[]): { x: DatastoreField[]; y: DatastoreField[] } {
  return { x: fields, y: fields.filter((f) => isNumeric(f.type)) }
}

/** Makes a chart (or none) the one shown first with a table, in the dataset's history. */
export async function saveDefaultChart(db: Db, actor: Actor, table: DatastoreTable, spec: ChartSpec | null): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('update data_datastore set default_chart = $2 where resource_id = $1', [table.resourceId, spec ? JSON.stringify(spec) : null])
    await recordChange(tx, actor, {
      action: 'datastore.chart', entity: 'dataset', entityId: table.datasetId,
      before: { resourceId: table.resourceId, chart: table.defaultChart }, after: { resourceId: table.resourceId, chart: spec },
    })
  })
}
