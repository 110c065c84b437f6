import type { Db, Queryable } from '../../../platform/db/index.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { NotFound } from '../../../platform/http/index.ts'
import type { StateColours } from '../../../platform/states/tags.ts'

export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual', 'irregular'] as const
export type Frequency = (typeof FREQUENCIES)[number]

// How long data of each update frequency may go without a new release before it is overdue.
const PERIOD_DAYS: Record<Exclude<Frequency, 'irregular'>, number> = {
  daily: 1, weekly: 7, monthly: 31, quarterly: 92, semiannual: 183, annual: 366,
}

/** fresh: within its period; overdue: past it; irregular: no fixed period (no tag is shown); empty: no data published yet. */
export const FRESHNESS_COLOURS = { fresh: 'green', overdue: 'red', irregular: 'grey', empty: 'grey' } as const satisfies StateColours
export type FreshnessStatus = keyof typeof FRESHNESS_COLOURS

/** Whether a dataset's data is as recent as its update frequency promises. */
export interface Freshness {
  status: FreshnessStatus
  /** When the next release is due (fresh or overdue). */
  dueAt: string | null
  /** Whole days past the due date (overdue only). */
  overdueDays: number | null
}

const DAY_MS = 24 * 60 * 60 * 1000

/** Where a dataset on the Unified List stands against its schedule of deadlines, and its tag's colour. */
export const LIST_STATE_COLOURS = { 'on-time': 'green', overdue: 'red', 'not-published': 'red', upcoming: 'grey' } as const satisfies StateColours
export type ListState = keyof typeof LIST_STATE_COLOURS
export interface ScheduleState {
  state: ListState
  /** The deadline that decides the state: the next one when on time, the missed one when late. */
  dueAt: string | null
  /** Whole days past the missed deadline (overdue, not published). */
  overdueDays: number | null
}

// Each frequency's step between deadlines: calendar months, or days.
const STEP: Record<Exclude<Frequency, 'irregular'>, { months?: number; days?: number }> = {
  daily: { days: 1 }, weekly: { days: 7 }, monthly: { months: 1 }, quarterly: { months: 3 }, semiannual: { months: 6 }, annual: { months: 12 },
}

// The k-th deadline after the first, counted from the first each time, so that the 31st of a month
// falls on the last day of shorter months and comes back to the 31st after them.
function deadline(first: Date, frequency: Exclude<Frequency, 'irregular'>, k: number): Date {
  const { months = 0, days = 0 } = STEP[frequency]
  if (days) return new Date(first.getTime() + days * k * DAY_MS)
  const year = first.getUTCFullYear()
  const month = first.getUTCMonth() + months * k
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return new Date(Date.UTC(year, month, Math.min(first.getUTCDate(), lastDay)))
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10)
const utcDay = (date: Date | string) => new Date(`${(typeof date === 'string' ? date : date.toISOString()).slice(0, 10)}T00:00:00Z`)
const daysBetween = (from: Date, to: Date) => Math.floor((to.getTime() - from.getTime()) / DAY_MS)

/**
 * The state of an entry: each deadline (the first, then one per period) asks for data newer than
 * the period before it. No data yet is "not published" once the first deadline has passed.
 */
export function scheduleState(frequency: Frequency, firstDeadline: string, dataUpdatedAt: string | null, now: Date = new Date()): ScheduleState {
  const today = utcDay(now)
  const first = utcDay(firstDeadline)
  // A deadline is a day: it has passed once that day is over.
  if (today <= first) return { state: dataUpdatedAt ? 'on-time' : 'upcoming', dueAt: isoDay(first), overdueDays: null }
  if (!dataUpdatedAt) return { state: 'not-published', dueAt: isoDay(first), overdueDays: daysBetween(first, today) }
  if (frequency === 'irregular') return { state: 'on-time', dueAt: null, overdueDays: null }
  // The latest deadline that has passed: k estimated from the days between, then corrected.
  const step = STEP[frequency]
  let k = Math.max(0, Math.floor(daysBetween(first, today) / (step.days ?? step.months! * 31)))
  while (deadline(first, frequency, k + 1) < today) k += 1
  while (k > 0 && deadline(first, frequency, k) >= today) k -= 1
  const due = deadline(first, frequency, k)
  const windowStart = deadline(first, frequency, k - 1)
  if (utcDay(dataUpdatedAt) > windowStart) return { state: 'on-time', dueAt: isoDay(deadline(first, frequency, k + 1)), overdueDays: null }
  return { state: 'overdue', dueAt: isoDay(due), overdueDays: daysBetween(due, today) }
}

/**
 * Judges freshness: against the Unified List's deadlines when the dataset fulfils an entry (the
 * same judgement the list shows), else from the last time the data changed and the promised frequency.
 */
export function freshnessOf(frequency: Frequency, dataUpdatedAt: Date | string | null, now: Date = new Date(), schedule?: { frequency: Frequency; firstDeadline: string } | null): Freshness {
  if (schedule) {
    const updated = dataUpdatedAt ? new Date(dataUpdatedAt).toISOString() : null
    const { state, dueAt, overdueDays } = scheduleState(schedule.frequency, schedule.firstDeadline, updated, now)
    if (state === 'overdue' || state === 'not-published') return { status: 'overdue', dueAt, overdueDays }
    if (!updated) return { status: 'empty', dueAt: null, overdueDays: null }
    return dueAt ? { status: 'fresh', dueAt, overdueDays: null } : { status: 'irregular', dueAt: null, overdueDays: null }
  }
  if (!dataUpdatedAt) return { status: 'empty', dueAt: null, overdueDays: null }
  if (frequency === 'irregular') return { status: 'irregular', dueAt: null, overdueDays: null }
  const due = new Date(new Date(dataUpdatedAt).getTime() + PERIOD_DAYS[frequency] * DAY_MS)
  if (now <= due) return { status: 'fresh', dueAt: due.toISOString(), overdueDays: null }
  return { status: 'overdue', dueAt: due.toISOString(), overdueDays: Math.floor((now.getTime() - due.getTime()) / DAY_MS) }
}

export interface Theme {
  code: string
  name: MultilingualText
}

export interface Licence {
  id: string
  title: MultilingualText
  url: string | null
  isOpen: boolean
}

/** The catalog's themes, in their fixed order. */
export async function listThemes(db: Queryable): Promise<Theme[]> {
  return db.query<Theme>('select code, name from data_themes order by position')
}

/** The licences a dataset may carry, in their fixed order. */
export async function listLicences(db: Queryable): Promise<Licence[]> {
  return db.query<Licence>('select id, title, url, is_open as "isOpen" from data_licences order by position')
}

// The formats resources come in: each with its IANA media type (a file's Content-Type, CKAN's
// mimetype, DCAT's dcat:mediaType) and its code in the EU file-type authority table (DCAT's dct:format).
const FORMATS: Record<string, { mediaType: string; fileType: string }> = {
  CSV: { mediaType: 'text/csv', fileType: 'CSV' },
  TSV: { mediaType: 'text/tab-separated-values', fileType: 'TSV' },
  TXT: { mediaType: 'text/plain', fileType: 'TXT' },
  JSON: { mediaType: 'application/json', fileType: 'JSON' },
  GEOJSON: { mediaType: 'application/geo+json', fileType: 'GEOJSON' },
  XML: { mediaType: 'application/xml', fileType: 'XML' },
  PDF: { mediaType: 'application/pdf', fileType: 'PDF' },
  ZIP: { mediaType: 'application/zip', fileType: 'ZIP' },
  XLSX: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileType: 'XLSX' },
  XLS: { mediaType: 'application/vnd.ms-excel', fileType: 'XLS' },
  ODS: { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', fileType: 'ODS' },
  DOCX: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', fileType: 'DOCX' },
  DOC: { mediaType: 'application/msword', fileType: 'DOC' },
  KML: { mediaType: 'application/vnd.google-earth.kml+xml', fileType: 'KML' },
  RDF: { mediaType: 'application/rdf+xml', fileType: 'RDF_XML' },
  TTL: { mediaType: 'text/turtle', fileType: 'RDF_TURTLE' },
  HTML: { mediaType: 'text/html', fileType: 'HTML' },
}

/** The IANA media type of a format ("text/csv" for CSV), or null for one not known here. */
export function mediaTypeOf(format: string): string | null {
  return FORMATS[format.toUpperCase()]?.mediaType ?? null
}

/** The format's code in the EU file-type authority table ("RDF_TURTLE" for TTL), or null. */
export function euFileTypeOf(format: string): string | null {
  return FORMATS[format.toUpperCase()]?.fileType ?? null
}

/**
 * A resource's media type: its format's when the format is known here (a CSV is text/csv even when a
 * browser uploaded it as text/plain), else the one it was given; CKAN's mimetype and DCAT's alike.
 */
export function mediaTypeOfResource(resource: { format: string; mediaType: string | null }): string | null {
  return mediaTypeOf(resource.format) ?? resource.mediaType
}

/** Corrects a theme's names (the given languages; the others stay), with its audit entry; nothing is written when nothing changes. */
export async function renameTheme(db: Db, actor: Actor, code: string, name: MultilingualText): Promise<void> {
  await db.transaction(async (tx) => {
    const [theme] = await tx.query<Theme>('select code, name from data_themes where code = $1 for update', [code])
    if (!theme) throw new NotFound('theme', code)
    const after = cleanMultilingual({ ...theme.name, ...cleanMultilingual(name) })
    if (JSON.stringify(after) === JSON.stringify(cleanMultilingual(theme.name))) return
    await tx.query('update data_themes set name = $2 where code = $1', [code, after])
    await recordChange(tx, actor, { action: 'theme.update', entity: 'theme', entityId: code, before: theme.name, after })
  })
}
