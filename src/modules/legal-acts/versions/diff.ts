import { diffWords } from 'diff'
import type { Lang } from '../../../platform/i18n/index.ts'
import type { TextUnit } from './text.ts'

/** A run of words: kept, added or removed. */
export interface DiffPart {
  text: string
  change: 'same' | 'added' | 'removed'
}

/** One unit of the text compared between two versions. */
export interface UnitDiff {
  eId: string
  num: string
  kind: TextUnit['kind']
  change: 'same' | 'added' | 'removed' | 'changed'
  parts: DiffPart[]
}

// jsdiff's own word splitting knows Latin letters only: Kazakh and Russian words are split as the
// runtime's Unicode word segmentation splits them.
const segmenters = new Map<Lang, Intl.Segmenter>()
function segmenter(lang: Lang): Intl.Segmenter {
  let found = segmenters.get(lang)
  if (!found) {
    found = new Intl.Segmenter(lang, { granularity: 'word' })
    segmenters.set(lang, found)
  }
  return found
}

/**
 * The word-level difference between two versions' texts in one language, unit by unit: units
 * matched by eId, in the newer version's order with removed ones where they stood.
 */
export function diffVersions(previous: readonly TextUnit[], next: readonly TextUnit[], lang: Lang): UnitDiff[] {
  const before = new Map(previous.map((u) => [u.eId, u]))
  const after = new Set(next.map((u) => u.eId))
  const result: UnitDiff[] = []
  const removedAfter = (eId: string | null) => {
    // Units of the previous version gone from the next, placed after the unit they followed.
    const start = eId === null ? 0 : previous.findIndex((u) => u.eId === eId) + 1
    for (let i = start; i < previous.length && !after.has(previous[i]!.eId); i += 1) {
      const gone = previous[i]!
      result.push({ eId: gone.eId, num: gone.num, kind: gone.kind, change: 'removed', parts: [{ text: gone.text[lang] ?? '', change: 'removed' }] })
    }
  }
  removedAfter(null)
  for (const unit of next) {
    const old = before.get(unit.eId)
    const text = unit.text[lang] ?? ''
    if (!old) {
      result.push({ eId: unit.eId, num: unit.num, kind: unit.kind, change: 'added', parts: [{ text, change: 'added' }] })
    } else {
      const parts: DiffPart[] = diffWords(old.text[lang] ?? '', text, { intlSegmenter: segmenter(lang) }).map((p) => ({ text: p.value, change: p.added ? 'added' : p.removed ? 'removed' : 'same' }))
      result.push({ eId: unit.eId, num: unit.num, kind: unit.kind, change: parts.some((p) => p.change !== 'same') ? 'changed' : 'same', parts })
      removedAfter(unit.eId)
    }
  }
  return result
}
