import { parse } from 'csv-parse/sync'

/**
 * The column types: those a load infers and a publisher may change afterwards, then JSON and lists
 * (made through the CKAN API's datastore_create, or chosen by a publisher).
 */
export const COLUMN_TYPES = ['integer', 'decimal', 'date', 'timestamp', 'boolean', 'text', 'json', 'text-list', 'integer-list', 'decimal-list'] as const
export type ColumnType = (typeof COLUMN_TYPES)[number]

/** Whether a column holds numbers (what charts draw, what tables align right). */
export function isNumericType(type: ColumnType): boolean {
  return type === 'integer' || type === 'decimal'
}

/** Each column type's PostgreSQL type (CKAN's datastore reports these names too). */
export const SQL_TYPES: Record<ColumnType, string> = {
  integer: 'int8', decimal: 'numeric', date: 'date', timestamp: 'timestamp', boolean: 'bool', text: 'text',
  json: 'jsonb', 'text-list': 'text[]', 'integer-list': 'int8[]', 'decimal-list': 'numeric[]',
}

/** Each column type as CKAN's datastore names it to clients (PostgreSQL's names; "_" marks a list). */
export const CKAN_TYPES: Record<ColumnType, string> = {
  ...SQL_TYPES, json: 'json', 'text-list': '_text', 'integer-list': '_int8', 'decimal-list': '_numeric',
}

/** Whether a column holds JSON or a list: values the API gives as JSON, filters cannot compare. */
export function isStructuredType(type: ColumnType): boolean {
  return type === 'json' || type.endsWith('-list')
}

/** Why a file cannot be loaded: a message key of the data module and its values (the line, …). */
export class LoadError extends Error {
  constructor(
    readonly key: string,
    readonly values: Record<string, string | number> = {},
    readonly detail?: string,
  ) {
    super(`${key} ${JSON.stringify(values)}${detail ? `: ${detail}` : ''}`)
  }
}

export type TextEncoding = 'utf-8' | 'windows-1251' | 'utf-16le' | 'utf-16be'

// Signatures of files that are often uploaded as "CSV" by mistake.
const SIGNATURES: Array<[number[], string]> = [
  [[0x50, 0x4b, 0x03, 0x04], 'ZIP/XLSX'],
  [[0x25, 0x50, 0x44, 0x46], 'PDF'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'XLS/DOC'],
  [[0x1f, 0x8b], 'GZIP'],
  [[0x89, 0x50, 0x4e, 0x47], 'PNG'],
  [[0xff, 0xd8, 0xff], 'JPEG'],
]

/**
 * The text encoding of a file from its first bytes: a byte order mark says it; else text that is
 * valid UTF-8 is UTF-8, and anything else is taken for Windows-1251 (Cyrillic spreadsheets saved
 * by Excel in Kazakhstan). Binary files are refused here, with what they look like.
 */
export function detectEncoding(sample: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 }
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 }
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 }
  for (const [signature, kind] of SIGNATURES) {
    if (signature.every((byte, i) => sample[i] === byte)) throw new LoadError('data.datastore.errors.binary', { kind })
  }
  let control = 0
  for (const byte of sample) {
    if (byte === 0) throw new LoadError('data.datastore.errors.binary', { kind: '?' })
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control += 1
  }
  if (control > sample.length / 100) throw new LoadError('data.datastore.errors.binary', { kind: '?' })
  const lines = linesOf(sample)
  // The sample may end in the middle of a character: its last line is not judged.
  const judged = lines.length > 1 ? lines.slice(0, -1) : lines
  const invalid = judged.findIndex((line) => !isUtf8(line))
  if (invalid < 0) return { encoding: 'utf-8', bomLength: 0 }
  // Lines of real UTF-8 Cyrillic beside lines that are not UTF-8: two files glued together.
  if (judged.some((line) => isUtf8(line) && line.some((byte) => byte >= 0x80))) {
    throw new LoadError('data.datastore.errors.encoding', { row: invalid + 1 })
  }
  return { encoding: 'windows-1251', bomLength: 0 }
}

function linesOf(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = []
  let start = 0
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, start)) {
    lines.push(bytes.subarray(start, i))
    start = i + 1
  }
  if (start < bytes.length) lines.push(bytes.subarray(start))
  return lines
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes)
    return true
  } catch {
    return false
  }
}

const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const

function parseSample(text: string, delimiter: string): string[][] | null {
  try {
    // A sample cut in the middle of a line does not count its last (cut) record; a whole small file does.
    const records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, skip_records_with_error: true, to: 200 }) as string[][]
    const cut = !/\n\s*$/.test(text)
    return cut && records.length > 1 ? records.slice(0, -1) : records
  } catch {
    return null
  }
}

/**
 * The delimiter of a CSV sample: the candidate giving the most columns on which the header and the
 * rows agree. A single-column file gets ','.
 */
export function detectDelimiter(text: string): string {
  let best = { delimiter: ',', score: 0 }
  for (const delimiter of CANDIDATE_DELIMITERS) {
    const records = parseSample(text, delimiter)
    const width = records?.[0]?.length ?? 0
    if (!records || width < 2) continue
    const agreeing = records.filter((r) => r.length === width).length / records.length
    const score = agreeing * width
    if (agreeing >= 0.9 && score > best.score) best = { delimiter, score }
  }
  return best.delimiter
}

/** The header and the first rows of a sample, parsed with the delimiter found. */
export function sampleRecords(text: string, delimiter: string): string[][] {
  return parseSample(text, delimiter) ?? []
}

const MAX_IDENTIFIER_BYTES = 63
const MAX_COLUMNS = 1500

/**
 * Column names from a header: trimmed, never empty, not starting with "_" (CKAN keeps those for its
 * own columns), within PostgreSQL's 63 bytes, and unique.
 */
export function columnNames(header: readonly string[]): string[] {
  if (header.length > MAX_COLUMNS) throw new LoadError('data.datastore.errors.tooManyColumns', { count: header.length, limit: MAX_COLUMNS })
  const used = new Set<string>()
  return header.map((raw, i) => {
    let name = raw.replace(/[\u0000-\u001f]/g, ' ').trim().replace(/^_+/, '').trim() || `column_${i + 1}`
    name = truncateUtf8(name, MAX_IDENTIFIER_BYTES)
    let unique = name
    for (let n = 2; used.has(unique); n += 1) unique = `${truncateUtf8(name, MAX_IDENTIFIER_BYTES - String(n).length - 1)}_${n}`
    used.add(unique)
    return unique
  })
}

function truncateUtf8(text: string, bytes: number): string {
  let result = ''
  let size = 0
  for (const char of text) {
    size += Buffer.byteLength(char)
    if (size > bytes) break
    result += char
  }
  return result
}

type InferredType = 'integer' | 'decimal' | 'date' | 'timestamp' | 'boolean'
const PATTERNS: Record<InferredType, RegExp> = {
  // Leading zeros mean a code (KATO, BIN, a postcode), which must stay as written.
  integer: /^[+-]?(0|[1-9]\d{0,17})$/,
  decimal: /^[+-]?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d{1,3})?$|^[+-]?0?\.\d+$/,
  date: /^(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])|(0[1-9]|[12]\d|3[01])\.(0[1-9]|1[0-2])\.\d{4})$/,
  timestamp: /^(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])|(0[1-9]|[12]\d|3[01])\.(0[1-9]|1[0-2])\.\d{4})([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?)?$/,
  boolean: /^(true|false)$/i,
}
const NARROWEST_FIRST: InferredType[] = ['integer', 'decimal', 'date', 'timestamp', 'boolean']
// What a load may find a column to be (JSON and lists come only from the API or a publisher's choice).
const INFERRED: ColumnType[] = [...NARROWEST_FIRST, 'text']

/** The types a value fits, narrowest first; an empty value fits every type (it is NULL). */
export function typesOf(value: string): Set<ColumnType> {
  if (value === '') return new Set(COLUMN_TYPES)
  return new Set<ColumnType>([...NARROWEST_FIRST.filter((type) => PATTERNS[type].test(value)), 'text'])
}

/** Narrows each column's type value by value, for files read as a stream (no row is kept). */
export class TypeInference {
  private readonly candidates: Array<Set<ColumnType>> = []
  private readonly seen: boolean[] = []

  add(column: number, raw: string | null | undefined): void {
    const value = raw?.trim() ?? ''
    if (value === '') return
    const set = (this.candidates[column] ??= new Set<ColumnType>(INFERRED))
    this.seen[column] = true
    if (set.size === 1) return
    const fits = typesOf(value)
    for (const type of set) if (!fits.has(type)) set.delete(type)
  }

  /** The narrowest type all of a column's values fit; a column with no values is text. */
  types(width: number): ColumnType[] {
    return Array.from({ length: width }, (_, i) => (this.seen[i] ? (INFERRED.find((type) => this.candidates[i]!.has(type)) ?? 'text') : 'text'))
  }
}

/** The narrowest type each column's values all fit; a column with no values is text. */
export function inferTypes(rows: readonly string[][], width: number): ColumnType[] {
  const inference = new TypeInference()
  for (const row of rows) for (let i = 0; i < width; i += 1) inference.add(i, row[i])
  return inference.types(width)
}

/**
 * The type a column takes when its inferred type refused a value further down the file: integers
 * widen to decimals, dates to timestamps, when the value fits; anything else becomes text.
 */
export function widen(current: ColumnType, value: string): ColumnType {
  const fits = typesOf(value.trim())
  if (current === 'integer' && fits.has('decimal')) return 'decimal'
  if (current === 'date' && fits.has('timestamp')) return 'timestamp'
  return 'text'
}
