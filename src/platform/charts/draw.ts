import { createHash } from 'node:crypto'
import type * as Echarts from 'echarts'
import type { AccessibilitySettings } from '../html/accessibility.ts'
import { formatCompactNumber, type Lang } from '../i18n/index.ts'

/**
 * Charts drawn on the server by Apache ECharts into SVG, so that a chart is in the page without
 * JavaScript, for any portal: bars or lines, one series or several, in GOV.UK's colours or the
 * version for the visually impaired. The same numbers always go beside it as a table.
 */

export const CHART_TYPES = ['bar', 'line'] as const
export type ChartType = (typeof CHART_TYPES)[number]

/** How a chart draws: bars or lines; stacked, a category's values of all series in one bar (a series with null where another has its value, to tell kinds of bars apart). */
export interface ChartSpec {
  type: ChartType
  stacked?: boolean
}

/** What a chart draws: a bar or point per category, for each series. */
export interface ChartNumbers {
  categories: string[]
  series: Array<{ id: string; values: Array<number | null> }>
}

// One hue per series in every version, so that a series keeps its colour when the reader switches:
// blue, orange, purple, green, brown, pink, none of them red beside green (which colour-blind readers
// cannot tell apart). GOV.UK Frontend's shades on white; darker ones in the version for the visually
// impaired (black on white); light ones on its black.
const PALETTES: Record<AccessibilitySettings['contrast'], { series: string[]; text: string; lines: string }> = {
  normal: { series: ['#1d70b8', '#b54d00', '#4c2c92', '#00703c', '#6f4a1f', '#a4145a'], text: '#0b0c0c', lines: '#b1b4b6' },
  light: { series: ['#003078', '#7a3300', '#3b1f73', '#004e2a', '#4d3315', '#6e0d3c'], text: '#0b0c0c', lines: '#0b0c0c' },
  dark: { series: ['#85c1ff', '#ffb366', '#d9b8ff', '#a0e0a0', '#e0c080', '#ffa6d2'], text: '#ffffff', lines: '#ffffff' },
}

// Besides its colour, each series has its own marker and dash (lines) or pattern (bars): a chart
// reads in black and white, and to a reader who cannot tell its colours apart.
const MARKERS = ['circle', 'rect', 'triangle', 'diamond', 'pin', 'arrow'] as const
const DASHES = ['solid', 'dashed', 'dotted', 'solid', 'dashed', 'dotted'] as const
const PATTERNS: Array<Record<string, unknown> | undefined> = [
  undefined,
  { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [3, 3], rotation: Math.PI / 4, color: 'rgba(255, 255, 255, 0.55)' },
  { symbol: 'circle', symbolSize: 0.8, dashArrayX: [[4, 4]], dashArrayY: [4, 4], color: 'rgba(255, 255, 255, 0.6)' },
  { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: -Math.PI / 4, color: 'rgba(255, 255, 255, 0.55)' },
  { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 3], color: 'rgba(255, 255, 255, 0.55)' },
  { symbol: 'rect', symbolSize: 1, dashArrayX: [[2, 2]], dashArrayY: [2, 2], color: 'rgba(255, 255, 255, 0.55)' },
]

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
// The widest a letter is in the reader's fonts (Arial, Roboto, Times: a Cyrillic capital some 0.7 of
// the type size, most letters under 0.6): what names drawn side by side are spaced by.
export const LETTER_WIDTH = 0.62

/**
 * Whether a chart's bars lie on their side: with many categories or long names, side by side bars
 * leave room for neither the bars nor their names, and names cut short ("область А…") look alike.
 * Given the width and type size it is drawn for, also when a name's longest word is wider than its
 * bar's share of the width (six districts on a phone in the largest type).
 */
export function isHorizontal(spec: ChartSpec, data: ChartNumbers, look?: Pick<ChartLook, 'width' | 'fontSize'>): boolean {
  if (spec.type !== 'bar') return false
  if (data.categories.length >= MANY_CATEGORIES || data.categories.some((c) => c.length > LONG_LABEL)) return true
  if (!look) return false
  const share = (look.width - numberRoom(look.fontSize) - look.fontSize * 3) / Math.max(1, data.categories.length)
  const longestWord = Math.max(0, ...data.categories.flatMap((c) => c.split(/(?<=-)|\s+/)).map((word) => word.length))
  return longestWord * look.fontSize * CHAR_WIDTH > share
}

// ECharts' legend: a 25 px key and a gap of 24 px to the next item, which goes to a new row when the width runs out.
const LEGEND_KEY = 25 + 5
const LEGEND_GAP = 24

/**
 * How many rows the legend of these series' names takes at this width and type size, as the
 * renderer lays it out: with no fonts on the server, it takes a Latin letter to be some 0.6 of the
 * type size wide and any other (Cyrillic) as wide as the type is high.
 */
export function legendRows(names: string[], look: Pick<ChartLook, 'width' | 'fontSize'>): number {
  let rows = 1
  let used = 0
  for (const name of names) {
    const item = LEGEND_KEY + textWidth(name, look.fontSize)
    if (used > 0 && used + LEGEND_GAP + item > look.width) {
      rows += 1
      used = item
    } else {
      used += (used > 0 ? LEGEND_GAP : 0) + item
    }
  }
  return rows
}

/**
 * How the legend is laid out: in rows (legendRows) while every name fits the width beside its key;
 * else one name a row from the left, each wrapped at spaces to the width, so that a long name in the
 * largest type on a phone ("Біркелкі қарқында немесе озық") is never cut at the drawing's edges.
 */
export function legendLayout(names: string[], look: Pick<ChartLook, 'width' | 'fontSize'>): { height: number; option: Record<string, unknown> } {
  const lineHeight = Math.round(look.fontSize * 1.25)
  if (names.every((name) => LEGEND_KEY + textWidth(name, look.fontSize) <= look.width)) {
    // A row is a line of its type high, and the renderer puts the gap between items (24 px) between rows too.
    const rows = legendRows(names, look)
    return { height: Math.max(rows * look.fontSize * 1.8, rows * lineHeight + (rows - 1) * LEGEND_GAP + look.fontSize * 0.4), option: {} }
  }
  const chars = Math.max(6, Math.floor((look.width - LEGEND_KEY) / (look.fontSize * LETTER_WIDTH)))
  const wrapped = new Map(names.map((name) => [name, wrapLabel(name, chars)]))
  const gap = Math.round(look.fontSize * 0.5)
  const lines = [...wrapped.values()].reduce((sum, l) => sum + l.length, 0)
  return {
    height: lines * lineHeight + gap * (names.length - 1) + look.fontSize * 0.6,
    option: { orient: 'vertical', left: 0, itemGap: gap, formatter: (name: string) => (wrapped.get(name) ?? [name]).join('\n') },
  }
}

/**
 * Which names of a category axis laid along the width are written: every one when each fits its
 * share of the plot's width, else every second, third…, so that no two ever touch (twelve months
 * on a phone in the largest type). The result is ECharts' interval: how many to skip between two.
 */
export function labelInterval(labels: string[][], look: Pick<ChartLook, 'fontSize'>, plotWidth: number): number {
  if (labels.length < 2) return 0
  const widest = Math.max(...labels.flat().map((line) => line.length * look.fontSize * LETTER_WIDTH))
  const share = plotWidth / labels.length
  return Math.max(0, Math.ceil((widest + look.fontSize) / share) - 1)
}

/** A text's width as the renderer lays it out with no fonts: a Latin letter some 0.6 of the type size, any other as wide as the type is high. */
function textWidth(text: string, fontSize: number): number {
  return [...text].reduce((width, char) => width + fontSize * (char <= '\u007f' ? 0.6 : 1), 0)
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
export async function chartSvg(spec: ChartSpec, data: ChartNumbers, look: ChartLook): Promise<string> {
  const echarts = await charting()
  const palette = PALETTES[look.contrast]
  const horizontal = isHorizontal(spec, data, look)
  const legend = legendLayout(data.series.map((s) => look.seriesName(s.id)), look)
  const legendRoom = data.series.length > 1 ? legend.height + look.fontSize * 1.2 : look.fontSize
  const lineHeight = Math.round(look.fontSize * 1.25)
  const charWidth = look.fontSize * CHAR_WIDTH
  // The axis numbers take the room of the widest of them ("1,5 млн", or "40").
  const values = data.series.flatMap((s) => s.values).filter((v): v is number => v !== null)
  const widestNumber = Math.max(2, ...[Math.max(0, ...values), Math.min(0, ...values)].map((v) => look.formatCompact(v).length))
  const valueRoom = widestNumber * look.fontSize * LETTER_WIDTH + look.fontSize
  let gridRight = look.fontSize * 2
  let chars: number
  if (horizontal) {
    // On their side, a name may take up to two fifths of the width, in as many lines as it needs.
    chars = Math.max(6, Math.floor(Math.min(look.width * 0.4, look.fontSize * 14) / (look.fontSize * 0.55)))
  } else {
    // Along the width: a name on one line if it fits its share, else in two (never inside a word).
    const share = (look.width - valueRoom - gridRight) / Math.max(1, data.categories.length)
    const longestName = Math.max(1, ...data.categories.map((c) => c.length))
    const longestWord = Math.max(1, ...data.categories.flatMap((c) => c.split(/(?<=-)|\s+/)).map((w) => w.length))
    const fit = Math.floor(share / (look.fontSize * LETTER_WIDTH))
    chars = longestName <= fit ? longestName : Math.max(longestWord, Math.ceil(longestName / 2), fit)
  }
  const labels = data.categories.map((c) => wrapLabel(c, chars))
  const lines = Math.max(...labels.map((l) => l.length))
  const longest = Math.max(...labels.flat().map((line) => line.length))
  const rowHeight = Math.max(lines * lineHeight + look.fontSize * 0.8, look.fontSize * 1.6 * (spec.stacked ? 1 : data.series.length))
  const height = horizontal ? Math.max(look.height / 2, legendRoom + data.categories.length * rowHeight + look.fontSize * 3) : look.height + (lines - 1) * lineHeight
  let gridLeft = horizontal ? longest * charWidth + look.fontSize : valueRoom
  if (!horizontal) {
    // A name wider than its share reaches past it by half the difference: at the first and last
    // points, into the axis numbers or off the drawing, unless the plot leaves that room.
    const overhang = Math.max(0, (longest * look.fontSize * LETTER_WIDTH - (look.width - gridLeft - gridRight) / Math.max(1, data.categories.length)) / 2)
    gridLeft += overhang
    gridRight = Math.max(gridRight, overhang + look.fontSize * 0.5)
  }
  // A line's points may leave names out (every second month…); a bar is never left unnamed: bars
  // whose names do not fit lie on their side instead (isHorizontal).
  const interval = horizontal || spec.type === 'bar' ? 0 : labelInterval(labels, look, look.width - gridLeft - gridRight)
  const categoryAxis = {
    type: 'category' as const, data: labels.map((l) => l.join('\n')),
    inverse: horizontal, // the first category on top, as in the table
    // Each name in the middle of its own share of the width, a line's points too: the first and last
    // names never reach past the plot into the axis numbers.
    boundaryGap: true,
    // Below the lowest axis number's own half line, so that the two never touch at the corner.
    axisLabel: { color: palette.text, fontSize: look.fontSize, interval, lineHeight, margin: horizontal ? 8 : Math.round(look.fontSize * 0.75) },
    axisLine: { lineStyle: { color: palette.lines } },
  }
  const valueAxis = {
    type: 'value' as const,
    // Bars start at zero (their length is the value); a line may show only the range its values span.
    scale: spec.type === 'line',
    axisLabel: { color: palette.text, fontSize: look.fontSize, formatter: (value: number) => look.formatCompact(value), hideOverlap: true },
    splitLine: { lineStyle: { color: palette.lines, opacity: look.contrast === 'normal' ? 0.5 : 0.8 } },
    // As many steps as the numbers have room for, a line and a half of the type each.
    splitNumber: Math.max(2, Math.min(look.width < 500 ? 3 : 5, Math.floor((horizontal ? look.width - gridLeft - gridRight : height - legendRoom - (lines * lineHeight + look.fontSize * 1.75)) / (look.fontSize * (horizontal ? 4 : 1.8))))),
  }
  return drawSvg(echarts, { width: look.width, height: Math.round(height) }, {
    animation: false,
    color: palette.series,
    textStyle: { color: palette.text, fontSize: look.fontSize, fontFamily: 'inherit' },
    legend: data.series.length > 1 ? { top: 0, itemGap: 24, textStyle: { color: palette.text, fontSize: look.fontSize, lineHeight: Math.round(look.fontSize * 1.25) }, ...legend.option } : undefined,
    // Room for the names and numbers, reckoned here: the renderer, with no fonts on the server,
    // takes every Cyrillic letter to be as wide as the type is high and leaves the bars no room.
    grid: {
      left: gridLeft,
      right: gridRight,
      top: legendRoom,
      bottom: (horizontal ? lineHeight : lines * lineHeight) + look.fontSize * 1.75,
      containLabel: false,
      outerBoundsMode: 'none' as const,
    },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: data.series.map((s, i) => ({
      type: spec.type, name: look.seriesName(s.id), data: s.values, ...(spec.stacked ? { stack: 'all' } : {}),
      ...(spec.type === 'line'
        ? { symbol: MARKERS[i % MARKERS.length], symbolSize: Math.round(look.fontSize * 0.6), showAllSymbol: true, lineStyle: { width: 3, type: DASHES[i % DASHES.length] } }
        : PATTERNS[i % PATTERNS.length] ? { itemStyle: { decal: PATTERNS[i % PATTERNS.length] } } : {}),
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

/** The type size of a map's text, by the reader's type size in the version for the visually impaired. */
export const CHART_FONT_SIZES: Record<AccessibilitySettings['size'], number> = { normal: 14, large: 18, larger: 22 }

/**
 * A chart's text as large as the page's body text on each screen: GOV.UK's 16 px on phones and 19 px
 * wider, and 125% and 150% of them in the version for the visually impaired. The drawings are made
 * at the width they are shown at (a phone's 290 px column, and 760 px), so these are the sizes read.
 */
export const CHART_TEXT_SIZES: Record<AccessibilitySettings['size'], { narrow: number; wide: number }> = {
  normal: { narrow: 16, wide: 19 }, large: { narrow: 20, wide: 24 }, larger: { narrow: 24, wide: 28 },
}

/** The widths a chart is drawn at: a phone's column (320 px less GOV.UK's margins) and the widest the page gives it. */
export const CHART_WIDTHS = { narrow: 290, wide: 760 } as const

/** How a chart looks to this reader: their contrast and type size, numbers shortened in their language. */
export function chartLookFor(settings: AccessibilitySettings, lang: Lang, seriesName: (id: string) => string): Omit<ChartLook, 'width' | 'height'> & { narrowFontSize: number } {
  const sizes = CHART_TEXT_SIZES[settings.size]
  return { contrast: settings.contrast, fontSize: sizes.wide, narrowFontSize: sizes.narrow, seriesName, formatCompact: (value) => formatCompactNumber(lang, value) }
}

/** Drawings kept, by what they show and how, up to this many bytes (the least recently used go first). */
const DRAWINGS_MAX_BYTES = 8 * 1024 * 1024
const drawings = new Map<string, { narrow: string; wide: string; bytes: number }>()
let drawingBytes = 0

/**
 * A chart drawn twice, for phones and for wider screens: the page's stylesheet shows one of them.
 * Kept under what it draws (the numbers, the series' names, the look, the language's numbers), so
 * the same chart is drawn once for every reader, signed in or not, until its numbers change.
 */
export async function chartForScreens(spec: ChartSpec, data: ChartNumbers, look: Omit<ChartLook, 'width' | 'height'> & { narrowFontSize?: number }): Promise<{ narrow: string; wide: string }> {
  const { narrowFontSize, ...rest } = look
  const key = createHash('sha1').update(JSON.stringify([
    spec, data, rest.contrast, rest.fontSize, narrowFontSize ?? null, data.series.map((s) => rest.seriesName(s.id)), rest.formatCompact(1_234_567.5),
  ])).digest('base64url')
  return keptDrawing(key, async () => ({
    narrow: await chartSvg(spec, data, { ...rest, fontSize: narrowFontSize ?? rest.fontSize, width: CHART_WIDTHS.narrow, height: 320 }),
    wide: await chartSvg(spec, data, { ...rest, width: CHART_WIDTHS.wide, height: 420 }),
  }))
}

/**
 * A drawing for phones and wider screens kept under its key, the least recently read going first
 * once the kept drawings pass DRAWINGS_MAX_BYTES; draw makes it when it is not kept.
 */
export async function keptDrawing(key: string, draw: () => Promise<{ narrow: string; wide: string }>): Promise<{ narrow: string; wide: string }> {
  const kept = drawings.get(key)
  if (kept) {
    drawings.delete(key)
    drawings.set(key, kept)
    return { narrow: kept.narrow, wide: kept.wide }
  }
  const drawn = await draw()
  const bytes = 2 * (drawn.narrow.length + drawn.wide.length)
  drawings.set(key, { ...drawn, bytes })
  drawingBytes += bytes
  for (const [oldKey, old] of drawings) {
    if (drawingBytes <= DRAWINGS_MAX_BYTES) break
    drawings.delete(oldKey)
    drawingBytes -= old.bytes
  }
  return drawn
}
