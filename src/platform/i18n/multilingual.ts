import { LANGS, type Lang } from './index.ts'

/** Text kept in the three languages, stored as jsonb; any of them may be missing. */
export type MultilingualText = Partial<Record<Lang, string>>

/** What a page shows for a multilingual value: the text, its language, and whether that is a fallback. */
export interface LocalizedText {
  text: string
  lang: Lang
  fallback: boolean
}

// Which language to show when the wanted one is missing: readers of English more often read Russian
// than Kazakh; readers of Kazakh and of Russian read each other's.
const FALLBACK_ORDER: Record<Lang, readonly Lang[]> = {
  kk: ['kk', 'ru', 'en'],
  ru: ['ru', 'kk', 'en'],
  en: ['en', 'ru', 'kk'],
}

function present(value: string | undefined): value is string {
  return typeof value === 'string' && value.trim() !== ''
}

/** The languages to try, in order, for a reader of lang. */
export function fallbackOrder(lang: Lang): readonly Lang[] {
  return FALLBACK_ORDER[lang]
}

/** Lists kept per language (keywords): {"kk": [...], "ru": [...], "en": [...]}; any may be missing. */
export type MultilingualList = Partial<Record<Lang, string[]>>

/** What a page shows for a multilingual list: the one in lang, or in the nearest language that has any (marked). */
export function localizeList(value: MultilingualList | null | undefined, lang: Lang): { items: string[]; lang: Lang; fallback: boolean } | undefined {
  for (const candidate of FALLBACK_ORDER[lang]) {
    const items = value?.[candidate]
    if (items && items.length > 0) return { items, lang: candidate, fallback: candidate !== lang }
  }
  return undefined
}

/** Every item of a multilingual list once, in the order kk, ru, en. */
export function allItems(value: MultilingualList | null | undefined): string[] {
  return [...new Set(LANGS.flatMap((lang) => value?.[lang] ?? []))]
}

/** Reads a multilingual value in lang, falling back to another language (marked) when it is missing. */
export function localize(value: MultilingualText | null | undefined, lang: Lang): LocalizedText | undefined {
  if (!value) return undefined
  for (const candidate of FALLBACK_ORDER[lang]) {
    const text = value[candidate]
    if (present(text)) return { text, lang: candidate, fallback: candidate !== lang }
  }
  return undefined
}

/** Share (0..1) of the given multilingual values that are filled in, per language. */
export function completeness(values: readonly (MultilingualText | null | undefined)[]): Record<Lang, number> {
  const result = { kk: 0, ru: 0, en: 0 } as Record<Lang, number>
  if (values.length === 0) return { kk: 1, ru: 1, en: 1 }
  for (const lang of LANGS) {
    result[lang] = values.filter((v) => present(v?.[lang])).length / values.length
  }
  return result
}

/** The value as stored: each language trimmed, empty ones left out. */
export function cleanMultilingual(value: MultilingualText | null | undefined): MultilingualText {
  const result: MultilingualText = {}
  for (const lang of LANGS) {
    const text = value?.[lang]?.trim()
    if (text) result[lang] = text
  }
  return result
}

/** A list as stored: each item trimmed, empty items and languages without any left out. */
export function cleanMultilingualList(value: MultilingualList | null | undefined): MultilingualList {
  const result: MultilingualList = {}
  for (const lang of LANGS) {
    const items = (value?.[lang] ?? []).map((s) => s.trim()).filter(Boolean)
    if (items.length > 0) result[lang] = items
  }
  return result
}

/** A text field as stored: trimmed, and null when blank. */
export function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim()
  return trimmed ? trimmed : null
}

/** A multilingual value from a form's flat fields "<field>.kk", "<field>.ru" and "<field>.en". */
export function fromFormFields(body: Readonly<Record<string, string | undefined>>, field: string): MultilingualText {
  return Object.fromEntries(LANGS.map((lang) => [lang, body[`${field}.${lang}`]]))
}

/** A multilingual value as a form's flat fields, each language present (empty when missing). */
export function toFormFields(field: string, value: MultilingualText | null | undefined): Record<string, string> {
  return Object.fromEntries(LANGS.map((lang) => [`${field}.${lang}`, value?.[lang] ?? '']))
}
