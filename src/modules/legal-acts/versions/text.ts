import type { Lang } from '../../../platform/i18n/index.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'

/** One unit of a draft's text: a section's heading or a paragraph, with its eId (as in Akoma Ntoso). */
export interface TextUnit {
  eId: string
  kind: 'section' | 'paragraph'
  /** Its number as the text writes it ("3", "2-1"), or '' for an unnumbered one. */
  num: string
  text: MultilingualText
}

// A chapter or section heading in any of the three languages: "Глава 2. …", "2-тарау. …", "Section 2".
// (JavaScript's \b knows only Latin letters: the end of a word is a space, a full stop, a colon or the line's end.)
const SECTION = /^(?:(?:глава|раздел|chapter|section|part|бөлім|тарау)\s+(\d+(?:-\d+)?)|(\d+(?:-\d+)?)\s*-\s*(?:тарау|бөлім))(?=[\s.:]|$)/iu
// An article of a law or code: "Статья 5.", "5-бап.", "Article 5."
const ARTICLE = /^(?:(?:статья|article)\s+(\d+(?:-\d+)?)|(\d+(?:-\d+)?)\s*-\s*бап)(?=[\s.:]|$)/iu
// A numbered paragraph (пункт, тармақ): "3.", "3-1." A subparagraph ("1)") continues its paragraph.
const PARAGRAPH = /^(\d+(?:-\d+)?)\.\s+\S/u

/** A problem with a pasted text: which line, and why. */
export class TextProblem extends Error {
  constructor(
    readonly messageKey: string,
    readonly values: Record<string, unknown>,
  ) {
    super(messageKey)
  }
}

/**
 * Splits a draft's text, as it is pasted, into sections and paragraphs: a line that starts a chapter
 * ("Глава 1", "1-тарау"), an article ("Статья 5", "5-бап") or a numbered paragraph ("3.") starts a
 * unit; every other line belongs to the unit before it (a subparagraph "1)" to its paragraph), and
 * lines before the first numbered one make the preamble.
 */
export function splitText(text: string): Array<{ eId: string; kind: TextUnit['kind']; num: string; text: string }> {
  const units: Array<{ eId: string; kind: TextUnit['kind']; num: string; lines: string[] }> = []
  const seen = new Set<string>()
  let preambles = 0
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  lines.forEach((raw, index) => {
    const line = raw.trim()
    if (!line) return
    const section = SECTION.exec(line)
    const article = section ? null : ARTICLE.exec(line)
    const paragraph = section || article ? null : PARAGRAPH.exec(line)
    let unit: (typeof units)[number] | undefined
    if (section) unit = { eId: `chp_${section[1] ?? section[2]}`, kind: 'section', num: section[1] ?? section[2]!, lines: [] }
    else if (article) unit = { eId: `art_${article[1] ?? article[2]}`, kind: 'paragraph', num: article[1] ?? article[2]!, lines: [] }
    else if (paragraph) unit = { eId: `para_${paragraph[1]}`, kind: 'paragraph', num: paragraph[1]!, lines: [] }
    else if (units.length === 0 || units.at(-1)!.kind === 'section') {
      preambles += 1
      unit = { eId: `intro_${preambles}`, kind: 'paragraph', num: '', lines: [] }
    }
    if (unit) {
      if (seen.has(unit.eId)) throw new TextProblem('legalActs.text.numberTwice', { num: unit.num, line: index + 1 })
      seen.add(unit.eId)
      units.push(unit)
    }
    units.at(-1)!.lines.push(line)
  })
  return units.map(({ lines: unitLines, ...unit }) => ({ ...unit, text: unitLines.join('\n') }))
}

/**
 * The text of a version from its languages' pasted texts: Kazakh and Russian are required (the
 * state language and the official one) and must have the same chapters and numbered paragraphs, so
 * that a comment on a paragraph is on the same paragraph whatever language its reader reads.
 */
export function structureText(texts: Partial<Record<Lang, string>>): TextUnit[] {
  const split = Object.entries(texts)
    .filter((entry): entry is [Lang, string] => typeof entry[1] === 'string' && entry[1].trim() !== '')
    .map(([lang, text]) => ({ lang, units: splitText(text) }))
  const base = split.find((s) => s.lang === 'kk') ?? split[0]
  if (!base) return []
  const order = base.units.map((u) => u.eId)
  for (const other of split) {
    const eIds = other.units.map((u) => u.eId)
    if (eIds.join(' ') !== order.join(' ')) {
      const differs = eIds.find((eId, i) => eId !== order[i]) ?? order.find((eId) => !eIds.includes(eId)) ?? ''
      throw new TextProblem('legalActs.text.structureDiffers', { lang: other.lang, base: base.lang, unit: differs })
    }
  }
  return base.units.map((unit, i) => ({
    eId: unit.eId,
    kind: unit.kind,
    num: unit.num,
    text: Object.fromEntries(split.map((s) => [s.lang, s.units[i]!.text])),
  }))
}

/** A version's text in one language, as it would be pasted again (for editing a new version). */
export function joinText(units: readonly TextUnit[], lang: Lang): string {
  return units.map((u) => u.text[lang] ?? '').filter(Boolean).join('\n\n')
}

/** A part of a unit's text as it is shown: lines of text, or a table (its rows of cells, the first the header). */
export type TextBlock = { kind: 'lines'; lines: string[] } | { kind: 'table'; rows: string[][] }

// A table's row as the text writes it (and the Word import makes it): "| cell | cell |".
const TABLE_ROW = /^\|(.*)\|$/

/** A table's row as a line of the text: its cells between bars, a bar inside a cell written "/". */
export function tableRowLine(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '/').replace(/\s+/g, ' ').trim()).join(' | ')} |`
}

/** A unit's text in blocks: runs of lines, and tables (runs of lines written "| … | … |"). */
export function textBlocks(text: string): TextBlock[] {
  const blocks: TextBlock[] = []
  for (const line of text.split('\n')) {
    const row = TABLE_ROW.exec(line.trim())
    const last = blocks.at(-1)
    if (row) {
      const cells = row[1]!.split('|').map((c) => c.trim())
      if (last?.kind === 'table') last.rows.push(cells)
      else blocks.push({ kind: 'table', rows: [cells] })
    } else if (last?.kind === 'lines') last.lines.push(line)
    else blocks.push({ kind: 'lines', lines: [line] })
  }
  return blocks
}
