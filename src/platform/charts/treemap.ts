import { createHash } from 'node:crypto'
import type { AccessibilitySettings } from '../html/accessibility.ts'
import { CHART_WIDTHS, LETTER_WIDTH, charting, drawSvg, keptDrawing } from './draw.ts'

/** One part of a whole: its name, its amount and how the amount is written for the reader. */
export interface TreemapPart {
  name: string
  value: number
  label: string
}

export interface TreemapLook {
  contrast: AccessibilitySettings['contrast']
  fontSize: number
  narrowFontSize: number
}

// The same hues as the bar and line charts (draw.ts), each dark enough for white text on it (4.5:1
// and more), light ones with black text on the dark version's black.
const FILLS: Record<AccessibilitySettings['contrast'], { fills: string[]; text: string; gap: string }> = {
  normal: { fills: ['#1d70b8', '#b54d00', '#4c2c92', '#00703c', '#6f4a1f', '#a4145a'], text: '#ffffff', gap: '#ffffff' },
  light: { fills: ['#003078', '#7a3300', '#3b1f73', '#004e2a', '#4d3315', '#6e0d3c'], text: '#ffffff', gap: '#ffffff' },
  dark: { fills: ['#85c1ff', '#ffb366', '#d9b8ff', '#a0e0a0', '#e0c080', '#ffa6d2'], text: '#0b0c0c', gap: '#0b0c0c' },
}

/**
 * Parts of a whole as rectangles whose areas are their shares (ECharts' squarified treemap), drawn
 * for phones and wider screens. A rectangle is named, with its amount, only where two lines of the
 * type fit in it six letters wide: a smaller one is left unnamed (the table beside the drawing names
 * every part), so that no name runs into another. Parts of nothing or less are not drawn.
 */
export async function treemapForScreens(parts: TreemapPart[], look: TreemapLook): Promise<{ narrow: string; wide: string }> {
  const key = createHash('sha1').update(JSON.stringify(['treemap', parts, look])).digest('base64url')
  return keptDrawing(key, async () => ({
    narrow: await treemapSvg(parts, { ...look, fontSize: look.narrowFontSize, width: CHART_WIDTHS.narrow, height: 320 }),
    wide: await treemapSvg(parts, { ...look, width: CHART_WIDTHS.wide, height: 420 }),
  }))
}

async function treemapSvg(parts: TreemapPart[], look: TreemapLook & { width: number; height: number }): Promise<string> {
  const echarts = await charting()
  const { fills, text, gap } = FILLS[look.contrast]
  const shown = parts.filter((p) => p.value > 0)
  const lineHeight = Math.round(look.fontSize * 1.2)
  const padding = 4
  const series = (labels: string[]) => ({
    type: 'treemap', roam: false, nodeClick: false, breadcrumb: { show: false },
    left: 0, top: 0, right: 0, bottom: 0, squareRatio: 1,
    itemStyle: { borderColor: gap, borderWidth: 2, gapWidth: 2 },
    // Names are fitted here, not by the renderer: with no fonts on the server it takes a Cyrillic
    // letter to be as wide as the type is high, and would cut "Трансферты" to "Тра…".
    label: { show: true, color: text, fontSize: look.fontSize, lineHeight, overflow: 'none', padding, position: 'insideTopLeft' },
    upperLabel: { show: false },
    data: shown.map((p, i) => ({ name: p.name, value: p.value, itemStyle: { color: fills[i % fills.length] }, label: { formatter: labels[i] ?? '' } })),
  })
  return drawSvg(echarts, { width: look.width, height: look.height }, { animation: false, series: [series([])] }, (chart) => {
    // Where the first drawing put each part: a part is named, with its amount, where two lines of
    // at least six letters fit in its rectangle; a smaller one is left unnamed (the table beside
    // the drawing names every part), so that no name runs into another or past its rectangle.
    const data = (chart as unknown as { getModel(): { getSeriesByIndex(i: number): { getData(): { getItemLayout(i: number): { width: number; height: number } | null } } } })
      .getModel().getSeriesByIndex(0).getData()
    const labels = shown.map((p, i) => {
      const box = data.getItemLayout(i + 1)
      if (!box || box.height < lineHeight * 2 + padding * 2 + 4) return ''
      const chars = Math.floor((box.width - padding * 2 - 4) / (look.fontSize * LETTER_WIDTH))
      if (chars < 6 || p.label.length > chars) return ''
      return `${fitted(p.name, chars)}\n${p.label}`
    })
    return { series: [series(labels)] }
  })
}

/** A name in at most this many characters, cut at the end with an ellipsis. */
function fitted(name: string, chars: number): string {
  return name.length <= chars ? name : `${name.slice(0, chars - 1).trimEnd()}…`
}
