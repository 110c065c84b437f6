import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { IntlMessageFormat } from 'intl-messageformat'
import { caseValues } from './kazakh.ts'
import Negotiator from 'negotiator'

export const LANGS = ['kk', 'ru', 'en'] as const
export type Lang = (typeof LANGS)[number]
export const DEFAULT_LANG: Lang = 'kk'

/** The locale each language is formatted in (dates, numbers, plurals). */
export const LOCALES: Record<Lang, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' }

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value)
}

/** Picks the interface language from an Accept-Language header; Kazakh when nothing matches. */
export function negotiateLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return DEFAULT_LANG
  const [best] = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).languages([...LANGS])
  return isLang(best) ? best : DEFAULT_LANG
}

export type Messages = Record<string, string>

const SRC_DIR = fileURLToPath(new URL('../../', import.meta.url))

function flatten(prefix: string, value: unknown, into: Messages): void {
  if (typeof value === 'string') {
    into[prefix] = value
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) flatten(prefix ? `${prefix}.${key}` : key, inner, into)
  } else {
    throw new Error(`Message "${prefix}" must be a string or an object of messages`)
  }
}

/** Every `locales/` folder under src/: the platform's and each module's, found without a hand-kept list. */
export function findLocaleDirs(root = SRC_DIR): string[] {
  const found: string[] = []
  for (const entry of readdirSync(root)) {
    const full = path.join(root, entry)
    if (!statSync(full).isDirectory()) continue
    if (entry === 'locales') found.push(full)
    else found.push(...findLocaleDirs(full))
  }
  return found.sort()
}

/** Reads one catalog per language from the locale folders; keys are dotted paths. */
export function loadCatalogs(dirs = findLocaleDirs()): Record<Lang, Messages> {
  const catalogs = { kk: {}, ru: {}, en: {} } as Record<Lang, Messages>
  for (const dir of dirs) {
    for (const lang of LANGS) {
      const file = path.join(dir, `${lang}.json`)
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
      const flat: Messages = {}
      flatten('', parsed, flat)
      for (const key of Object.keys(flat)) {
        if (key in catalogs[lang]) throw new Error(`Message key "${key}" is defined twice (${file})`)
      }
      Object.assign(catalogs[lang], flat)
    }
  }
  return catalogs
}

/** Keys present in one language's catalog and missing in another's. */
export function missingKeys(catalogs: Record<Lang, Messages>): { lang: Lang; key: string }[] {
  const all = new Set(LANGS.flatMap((lang) => Object.keys(catalogs[lang])))
  const missing: { lang: Lang; key: string }[] = []
  for (const key of [...all].sort()) {
    for (const lang of LANGS) if (!(key in catalogs[lang])) missing.push({ lang, key })
  }
  return missing
}

export type Translate = (key: string, values?: Record<string, unknown>) => string

/** The messages of all three languages, formatted as ICU MessageFormat (plurals by each language's rules). */
export class I18n {
  private readonly formats = new Map<string, IntlMessageFormat>()

  constructor(readonly catalogs: Record<Lang, Messages> = loadCatalogs()) {}

  t(lang: Lang, key: string, values?: Record<string, unknown>): string {
    const cacheKey = `${lang}\u0000${key}`
    let format = this.formats.get(cacheKey)
    const message = this.catalogs[lang][key]
    // A missing key is a bug the i18n test catches; show the key rather than break the page.
    if (message === undefined) return key
    if (!format) {
      // Messages are plain text: "<token>" is text to show, not rich-text markup.
      format = new IntlMessageFormat(message, LOCALES[lang], undefined, { ignoreTag: true })
      this.formats.set(cacheKey, format)
    }
    // A Kazakh message puts a date or a name in the case its sentence needs: "{due_dative} дейін".
    const all = lang === 'kk' && message.includes('_') ? { ...values, ...caseValues(message, values) } : values
    return String(format.format(all as Record<string, string>))
  }

  /** A translate function bound to one language, for a request or a page. */
  for(lang: Lang): Translate {
    return (key, values) => this.t(lang, key, values)
  }
}

// Building an Intl formatter costs tens of microseconds, formatting with one about one: a page shows
// hundreds of numbers and dates, so each formatter is made once per language and options.
const FORMATTERS = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.Collator>()

function formatter<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.Collator>(kind: string, lang: Lang, options: object, make: () => T): T {
  const key = `${kind} ${lang} ${JSON.stringify(options)}`
  let found = FORMATTERS.get(key) as T | undefined
  if (!found) FORMATTERS.set(key, found = make())
  return found
}

/** Intl.NumberFormat for lang with the given options, made once. */
export function numberFormat(lang: Lang, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return formatter('number', lang, options, () => new Intl.NumberFormat(LOCALES[lang], options))
}

/** Intl.Collator for lang (the reader's alphabetical order), made once. */
export function collatorFor(lang: Lang): Intl.Collator {
  return formatter('collator', lang, {}, () => new Intl.Collator(LOCALES[lang]))
}

/**
 * A date as a sentence of lang writes it: "2026 жылғы 4 желтоқсан" (a Kazakh message declines it:
 * "{date_dative} дейін"), "4 декабря 2026 года" (no "г." to meet a sentence's full stop), "4 December 2026".
 */
export function formatDate(lang: Lang, date: Date | string): string {
  // A day (YYYY-MM-DD) is the day written; an instant is the day it was in Kazakhstan.
  const timeZone = typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) ? 'UTC' : 'Asia/Almaty'
  const parts = formatter('date', lang, { timeZone }, () => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone })).formatToParts(new Date(date))
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  if (lang === 'kk') return `${part('year')} жылғы ${Number(part('day'))} ${part('month')}`
  if (lang === 'ru') return `${Number(part('day'))} ${part('month')} ${part('year')} года`
  return `${Number(part('day'))} ${part('month')} ${part('year')}`
}

/** An instant as the day and the time it was in Kazakhstan: "4 декабря 2026 года, 14:05". */
export function formatDateTime(lang: Lang, instant: Date): string {
  const time = formatter('time', lang, {}, () => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Almaty' })).format(instant)
  return `${formatDate(lang, instant)}, ${time}`
}

/**
 * A month ("2026-03") as readers of lang write it on a chart's axis, short: "март 2026", "2026 наур.",
 * "Mar 2026" (the year's abbreviation, "г." or "ж.", is left out: an axis of months has room for little).
 */
export function formatMonth(lang: Lang, month: string): string {
  const text = formatter('month', lang, {}, () => new Intl.DateTimeFormat(LOCALES[lang], { month: 'short', year: 'numeric', timeZone: 'UTC' })).format(new Date(`${month}-01T00:00:00Z`))
  return text.replace(/\s(г|ж)\.(?=\s|$)/u, '')
}

export function formatNumber(lang: Lang, value: number): string {
  return numberFormat(lang).format(value)
}

/** A share (0.425) as readers of lang write a percentage: "42,5 %", "42.5%", one decimal at most. */
export function formatPercent(lang: Lang, share: number): string {
  return numberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(share)
}

/** A number shortened as readers of lang write it on a chart's axis: "2,5 млн", "12,5 мың", "2.5M". */
export function formatCompactNumber(lang: Lang, value: number): string {
  return numberFormat(lang, { notation: 'compact', maximumFractionDigits: 1 }).format(value)
}

/** A byte count as a reader of lang writes it: "1,2 МБ". */
export function formatBytes(lang: Lang, bytes: number | null): string {
  if (bytes === null) return ''
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return numberFormat(lang, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: 1 }).format(value)
}
