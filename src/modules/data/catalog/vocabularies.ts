import type { Queryable } from '../../../platform/db/index.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'

export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual', 'irregular'] as const
export type Frequency = (typeof FREQUENCIES)[number]

// How long data of each update frequency may go without a new release before it is overdue.
const PERIOD_DAYS: Record<Exclude<Frequency, 'irregular'>, number> = {
  daily: 1, weekly: 7, monthly: 31, quarterly: 92, semiannual: 183, annual: 366,
}

/** Whether a dataset's data is as recent as its update frequency promises. */
export interface Freshness {
  /** fresh: within its period; overdue: past it; irregular: no fixed period; empty: no data published yet. */
  status: 'fresh' | 'overdue' | 'irregular' | 'empty'
  /** When the next release is due (fresh or overdue). */
  dueAt: string | null
  /** Whole days past the due date (overdue only). */
  overdueDays: number | null
}

const DAY_MS = 24 * 60 * 60 * 1000

/** Judges freshness from the last time the data changed, against the promised frequency. */
export function freshnessOf(frequency: Frequency, dataUpdatedAt: Date | string | null, now: Date = new Date()): Freshness {
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
