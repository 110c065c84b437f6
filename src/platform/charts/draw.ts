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

/** What a chart draws: a bar or point per category, for each series. */
export interface ChartNumbers {
  categories: string[]
  series: Array<{ id: string; values: Array<number | null> }>
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
export function isHorizontal(spec: { type: ChartType }, data: ChartNumbers, look?: Pick<ChartLook, 'width' | 'fontSize'>): boolean {
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
    const item = LEGEND_KEY + [...name].reduce((width, char) => width + look.fontSize * (char <= '\u007f' ? 0.6 : 1), 0)
    if (used > 0 && used + LEGEND_GAP + item > look.width) {
      rows += 1
      used = item
    } else {
      used += (used > 0 ? LEGEND_GAP : 0) + item
    }
  }
  return rows
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
export async function chartSvg(spec: { type: ChartType }, data: ChartNumbers, look: ChartLook): Promise<string> {
  const echarts = await charting()
  const palette = PALETTES[look.contrast]
  const horizontal = isHorizontal(spec, data, look)
  const legendRoom = data.series.length > 1 ? legendRows(data.series.map((s) => look.seriesName(s.id)), look) * look.fontSize * 1.8 + look.fontSize * 1.2 : look.fontSize
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

/** The type size of a chart's text, by the reader's type size in the version for the visually impaired. */
export const CHART_FONT_SIZES: Record<AccessibilitySettings['size'], number> = { normal: 14, large: 18, larger: 22 }

/** How a chart looks to this reader: their contrast and type size, numbers shortened in their language. */
export function chartLookFor(settings: AccessibilitySettings, lang: Lang, seriesName: (id: string) => string): Omit<ChartLook, 'width' | 'height'> {
  return { contrast: settings.contrast, fontSize: CHART_FONT_SIZES[settings.size], seriesName, formatCompact: (value) => formatCompactNumber(lang, value) }
}

/** A chart drawn twice, for phones and for wider screens: the page's stylesheet shows one of them. */
export async function chartForScreens(spec: { type: ChartType }, data: ChartNumbers, look: Omit<ChartLook, 'width' | 'height'>): Promise<{ narrow: string; wide: string }> {
  return { narrow: await chartSvg(spec, data, { ...look, width: 360, height: 320 }), wide: await chartSvg(spec, data, { ...look, width: 760, height: 420 }) }
}
