import type * as Echarts from 'echarts'
import type { Db } from '../../../platform/db/index.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { ValidationError, type FieldError } from '../../../platform/http/index.ts'
import type { AccessibilitySettings } from '../../../platform/html/accessibility.ts'
import { collatorFor, type Lang } from '../../../platform/i18n/index.ts'
import { isNumericType as isNumeric } from './detect.ts'
import type { DatastoreField } from './ingest.ts'
import { aggregateDatastore, type DatastoreQuery, type DatastoreTable } from './query.ts'

/**
 * Charts of a datastore table: one column along the axis, one or more numeric columns aggregated
 * per value of it, as bars or lines. Drawn on the server by Apache ECharts into SVG, so the chart is
 * in the page without JavaScript; the same numbers are given as a table for screen readers.
 */

export const CHART_TYPES = ['bar', 'line'] as const
export const CHART_AGGREGATES = ['sum', 'avg', 'min', 'max', 'count'] as const
export type ChartType = (typeof CHART_TYPES)[number]
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

export interface ChartData {
  categories: string[]
  series: Array<{ id: string; values: Array<number | null> }>
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

// GOV.UK Frontend's colours; in the visually impaired version, black on white or yellow on black.
const PALETTES: Record<AccessibilitySettings['contrast'], { series: string[]; text: string; lines: string }> = {
  normal: { series: ['#1d70b8', '#d4351c', '#00703c', '#f47738', '#4c2c92', '#b58840'], text: '#0b0c0c', lines: '#b1b4b6' },
  light: { series: ['#0b0c0c', '#1d70b8', '#d4351c', '#00703c', '#4c2c92', '#505a5f'], text: '#0b0c0c', lines: '#0b0c0c' },
  dark: { series: ['#ffdd00', '#ffffff', '#85c1ff', '#ffb380', '#a0e0a0', '#e0a0ff'], text: '#ffffff', lines: '#ffffff' },
}

export interface ChartLook {
  width: number
  height: number
  contrast: AccessibilitySettings['contrast']
  /** Text size in pixels (larger in the visually impaired version). */
  fontSize: number
  seriesName: (id: string) => string
  /** A number shortened for an axis ("2,5 млн"). */
  formatCompact: (value: number) => string
}

/** Categories this many or more, or labels this long, and bars lie on their side. */
const MANY_CATEGORIES = 8
const LONG_LABEL = 12

// A character is about this share of the type size wide (the renderer has no fonts to measure).
const CHAR_WIDTH = 0.58

/**
 * Whether a chart's bars lie on their side: with many categories or long names, side by side bars
 * leave room for neither the bars nor their names, and names cut short ("область А…") look alike.
 * Given the width and type size it is drawn for, also when a name's longest word is wider than its
 * bar's share of the width (six districts on a phone in the largest type).
 */
export function isHorizontal(spec: ChartSpec, data: ChartData, look?: Pick<ChartLook, 'width' | 'fontSize'>): boolean {
  if (spec.type !== 'bar') return false
  if (data.categories.length >= MANY_CATEGORIES || data.categories.some((c) => c.length > LONG_LABEL)) return true
  if (!look) return false
  const share = (look.width - numberRoom(look.fontSize) - look.fontSize * 3) / Math.max(1, data.categories.length)
  const longestWord = Math.max(0, ...data.categories.flatMap((c) => c.split(/(?<=-)|\s+/)).map((word) => word.length))
  return longestWord * look.fontSize * CHAR_WIDTH > share
}

/** The room the widest axis number takes ("−1,5 млн" is about eight characters). */
function numberRoom(fontSize: number): number {
  return 8 * fontSize * CHAR_WIDTH
}

/**
 * A category's name in lines of at most `chars` characters, broken at spaces and after hyphens, so
 * that "Западно-Казахстанская область" reads "Западно- / Казахстанская / область", never mid-word.
 */
export function wrapLabel(text: string, chars: number): string[] {
  const words = text.split(/(?<=-)|\s+/).filter(Boolean)
  const lines: string[] = []
  for (const word of words) {
    const last = lines.at(-1)
    const joined = last === undefined ? word : last.endsWith('-') ? last + word : `${last} ${word}`
    if (last !== undefined && joined.length <= chars) lines[lines.length - 1] = joined
    else lines.push(word)
  }
  return lines.length > 0 ? lines : ['']
}

/**
 * The chart as an SVG document (Apache ECharts' server-side renderer), drawn for the width it gets
 * and the reader's type size: names in full, wrapped rather than cut, and axis numbers shortened in
 * the reader's language ("2,5 млн"). Bars on their side grow the drawing down, a row a category.
 */
export async function chartSvg(spec: ChartSpec, data: ChartData, look: ChartLook): Promise<string> {
  const echarts = await charting()
  const palette = PALETTES[look.contrast]
  const horizontal = isHorizontal(spec, data, look)
  const legendRoom = data.series.length > 1 ? look.fontSize * 3 : look.fontSize
  // A category's name may take up to two fifths of the width (a character is about half the type
  // size wide), in as many lines as it needs; side by side, a bar's share of the width.
  const lineHeight = Math.round(look.fontSize * 1.25)
  const chars = Math.max(6, Math.floor((horizontal ? Math.min(look.width * 0.4, look.fontSize * 14) : (look.width - 80) / Math.max(1, data.categories.length)) / (look.fontSize * 0.55)))
  const labels = data.categories.map((c) => wrapLabel(c, chars))
  const lines = Math.max(...labels.map((l) => l.length))
  const charWidth = look.fontSize * CHAR_WIDTH
  const longest = Math.max(...labels.flat().map((line) => line.length))
  const rowHeight = Math.max(lines * lineHeight + look.fontSize * 0.8, look.fontSize * 1.6 * data.series.length)
  const height = horizontal ? Math.max(look.height / 2, legendRoom + data.categories.length * rowHeight + look.fontSize * 3) : look.height + (lines - 1) * lineHeight
  const categoryAxis = {
    type: 'category' as const, data: labels.map((l) => l.join('\n')),
    inverse: horizontal, // the first category on top, as in the table
    axisLabel: { color: palette.text, fontSize: look.fontSize, interval: 0, lineHeight },
    axisLine: { lineStyle: { color: palette.lines } },
  }
  const valueAxis = {
    type: 'value' as const,
    // Bars start at zero (their length is the value); a line may show only the range its values span.
    scale: spec.type === 'line',
    axisLabel: { color: palette.text, fontSize: look.fontSize, formatter: (value: number) => look.formatCompact(value), hideOverlap: true },
    splitLine: { lineStyle: { color: palette.lines, opacity: look.contrast === 'normal' ? 0.5 : 0.8 } },
    splitNumber: look.width < 500 ? 3 : 5,
  }
  return drawSvg(echarts, { width: look.width, height: Math.round(height) }, {
    animation: false,
    color: palette.series,
    textStyle: { color: palette.text, fontSize: look.fontSize, fontFamily: 'inherit' },
    legend: data.series.length > 1 ? { top: 0, itemGap: 24, textStyle: { color: palette.text, fontSize: look.fontSize } } : undefined,
    // Room for the names and numbers, reckoned here: the renderer, with no fonts on the server,
    // takes every Cyrillic letter to be as wide as the type is high and leaves the bars no room.
    grid: {
      left: (horizontal ? longest * charWidth : numberRoom(look.fontSize)) + look.fontSize,
      right: look.fontSize * 2,
      top: legendRoom,
      bottom: (horizontal ? lineHeight : lines * lineHeight) + look.fontSize,
      containLabel: false,
      outerBoundsMode: 'none' as const,
    },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: data.series.map((s) => ({
      type: spec.type, name: look.seriesName(s.id), data: s.values,
      ...(spec.type === 'line' ? { symbolSize: 6, lineStyle: { width: 3 } } : {}),
    })),
  })
}

let echartsLoaded: typeof Echarts | undefined

/** Apache ECharts (some 35 MB of the server's memory), loaded the first time something is drawn. */
export async function charting(): Promise<typeof Echarts> {
  echartsLoaded ??= await import('echarts')
  return echartsLoaded
}

/**
 * Draws an ECharts option as an SVG document (the server-side renderer), sized by its container
 * (`more` may add to it once the first drawing has placed things):
 * the drawing keeps its proportions at any width, and is hidden from screen readers (its numbers
 * are given in words or as a table beside it).
 */
export function drawSvg(echarts: typeof Echarts, size: { width: number; height: number }, option: Echarts.EChartsCoreOption, more?: (chart: Echarts.ECharts) => Echarts.EChartsCoreOption | undefined): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height })
  try {
    chart.setOption(option)
    // What depends on where the first drawing put things (a map's scale bar).
    const extra = more?.(chart)
    if (extra) chart.setOption(extra)
    const svg = chart.renderToSVGString().replace(/^<svg width="[\d.]+" height="[\d.]+"/, '<svg class="ashyq-chart__svg" focusable="false" aria-hidden="true"')
    return withoutInlineStyles(svg)
  } finally {
    chart.dispose()
  }
}

/**
 * The drawing without what the page's Content-Security-Policy blocks: style attributes become SVG
 * presentation attributes (font-size="12px"), which the policy allows, and the renderer's <style>
 * block (hover effects for a pointer, of no use in a static drawing) goes.
 */
export function withoutInlineStyles(svg: string): string {
  return svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_whole, declarations: string) => declarations.split(';')
      .map((declaration) => /^\s*([a-z-]+)\s*:\s*(.+?)\s*$/.exec(declaration))
      .filter((match) => match !== null)
      .map(([, property, value]) => ` ${property}="${value!.replaceAll('"', '&quot;')}"`)
      .join(''))
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
