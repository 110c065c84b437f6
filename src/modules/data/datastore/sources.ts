import type ExcelJS from 'exceljs'
import { JSONParser } from '@streamparser/json'
import yauzl from 'yauzl'
import { Readable } from 'node:stream'
import type { FileStore } from '../../../platform/files/index.ts'
import { parse } from 'csv-parse'
import { LoadError, detectDelimiter, detectEncoding } from './detect.ts'
import { asUtf8 } from './chunks.ts'

/**
 * Files that are tables without being CSV: a spreadsheet (XLSX), a JSON array of records, GeoJSON
 * features. Each is read by a maintained streaming parser (exceljs, @streamparser/json) into rows
 * of keyed text values, the same whatever the format, which the loader turns into CSV for COPY.
 */

/** One row: its number in the file (1 for the first record) and its values by column key, as text. */
export interface SourceRow {
  row: number
  values: Map<string, string | null>
  /** For a row made from another's (a Fiscal Data Package's measure): the column of the file each value came from, to name in a report. */
  fields?: Map<string, string>
}

/** A pass over a file's rows. `names` gives each key its column name as the file writes it. */
export interface RowPass {
  names: Map<string, string>
  rows: AsyncIterable<SourceRow>
}

export interface SourceLimits {
  /** A record (or spreadsheet row) larger than this is refused before it is held whole. */
  maxRowBytes: number
  /** An XLSX whose parts unpack to more than this is refused (a "zip bomb"). */
  maxUnpackedBytes: number
  /** The shared strings of an XLSX are held in memory while it is read: at most this many bytes. */
  maxSharedStringsBytes: number
}

/** The formats read here into records; the datastore loads CSV and TSV by its own faster path (csvRows reads them as records for other modules). */
export const RECORD_FORMATS = new Set(['XLSX', 'JSON', 'GEOJSON'])

/** The first bytes of a stored file, for telling its encoding and delimiter. */
export async function readStart(files: FileStore, key: string, bytes: number): Promise<Buffer> {
  return readStartOf(async () => (await files.open(key)).stream, bytes)
}

async function readStartOf(open: () => Promise<Readable>, bytes: number): Promise<Buffer> {
  const stream = await open()
  const parts: Buffer[] = []
  let size = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parts.push(chunk)
    size += chunk.length
    if (size >= bytes) break
  }
  stream.destroy()
  return Buffer.concat(parts).subarray(0, bytes)
}

/**
 * A CSV or TSV file as records, as openRows gives the other formats: its encoding (UTF-8 with or
 * without a BOM, UTF-16, Windows-1251) and delimiter told from its start as the datastore tells
 * them, its first row the columns' names, keys the columns' numbers, each row numbered by its line.
 */
export async function csvRows(files: FileStore, key: string, format: 'CSV' | 'TSV', limits: Pick<SourceLimits, 'maxRowBytes'>, onRead: (bytes: number) => void = () => {}): Promise<RowPass> {
  return csvRowsOf(async () => (await files.open(key)).stream, format, limits, onRead)
}

/** csvRows of a file opened by `open` (twice: once for its start, once to read it), such as a part of a ZIP. */
export async function csvRowsOf(open: () => Promise<Readable>, format: 'CSV' | 'TSV', limits: Pick<SourceLimits, 'maxRowBytes'>, onRead: (bytes: number) => void = () => {}): Promise<RowPass> {
  const sample = await readStartOf(open, 64 * 1024)
  const { encoding, bomLength } = detectEncoding(sample)
  const delimiter = format === 'TSV' ? '\t' : detectDelimiter(new TextDecoder(encoding).decode(sample.subarray(bomLength)))
  const names = new Map<string, string>()
  async function* rows(): AsyncGenerator<SourceRow> {
    const stream = await open()
    const parser = parse({ delimiter, relax_column_count: true, skip_empty_lines: true, max_record_size: limits.maxRowBytes, info: true })
    const text = Readable.from(asUtf8(stream as AsyncIterable<Buffer>, encoding, bomLength, onRead))
    text.on('error', (error) => parser.destroy(error))
    text.pipe(parser)
    let header = true
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (header) {
          record.forEach((name, i) => names.set(String(i + 1), name.trim()))
          header = false
          continue
        }
        const values = new Map<string, string | null>()
        record.forEach((value, i) => {
          if (value === '') return
          if (!names.has(String(i + 1))) names.set(String(i + 1), '')
          values.set(String(i + 1), value)
        })
        if (values.size > 0) yield { row: info.lines, values }
      }
    } catch (error) {
      const failed = error as { code?: string; lines?: number }
      if (failed.code === 'CSV_MAX_RECORD_SIZE') throw new LoadError('data.datastore.errors.rowTooLong', { row: failed.lines ?? 0, limitMb: Math.round(limits.maxRowBytes / 1048576) })
      throw error
    } finally {
      stream.destroy()
    }
    if (header) throw new LoadError('data.datastore.errors.empty')
  }
  return { names, rows: rows() }
}

/**
 * Opens a pass over the rows of a stored file in one of RECORD_FORMATS; onRead counts bytes read. An
 * XLSX is read from its copy on this machine (`localPath`, from FileStore.withLocalFile): a ZIP is
 * read from its end.
 */
export async function openRows(
  files: FileStore, key: string, format: string, options: { sheet?: string | null; localPath?: string }, limits: SourceLimits, onRead: (bytes: number) => void,
): Promise<RowPass> {
  if (format === 'XLSX') {
    if (!options.localPath) throw new Error('An XLSX is read from a file on this machine: give openRows the path FileStore.withLocalFile gives')
    return xlsxRows(options.localPath, options.sheet ?? null, limits.maxRowBytes, onRead)
  }
  const { stream } = await files.open(key)
  const counted = countBytes(stream as AsyncIterable<Buffer>, onRead, () => stream.destroy())
  return jsonRows(counted, format === 'GEOJSON', limits.maxRowBytes)
}

async function* countBytes(source: AsyncIterable<Buffer>, onRead: (bytes: number) => void, close: () => void): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of source) {
      onRead(chunk.length)
      yield chunk
    }
  } finally {
    close()
  }
}

/** A cell of a spreadsheet as text: numbers as written by JavaScript, dates as ISO, formulas by their result. */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null
    const iso = value.toISOString()
    // Excel keeps dates as days without a time zone: exceljs gives them at UTC midnight.
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ')
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'string') return value
  if (typeof value === 'object') {
    const cell = value as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; formula?: unknown; sharedFormula?: unknown; error?: unknown }
    if (cell.richText) return cell.richText.map((part) => part.text).join('')
    if ('formula' in cell || 'sharedFormula' in cell) return cellText(cell.result)
    if (cell.error !== undefined) return null
    if (cell.text !== undefined) return cellText(cell.text)
  }
  return String(value)
}

/**
 * The parts of exceljs's streaming reader that read one part of a workbook each (exceljs 4.4.0, as
 * the lockfile pins it; the spreadsheet tests go red if they change). Its own loop over the ZIP is
 * not used: it reads the ZIP as a stream (unzipper), whose end is announced as soon as the file has
 * been read, before its last parts are parsed. exceljs writes workbook.xml last, after the sheets,
 * so now and then a workbook was read without it and failed (3 reads in 1,000 of a three-sheet
 * workbook on a busy machine). yauzl reads the ZIP's directory instead, and each part is opened
 * when it is needed: the workbook's own parts, then only the sheet that is wanted (no sheet is
 * copied to a temporary file, as exceljs's loop did with every sheet it met before workbook.xml).
 */
interface ExcelPartReader {
  model?: { sheets?: Array<{ name?: string; rId?: string }> }
  workbookRels?: Array<{ Id?: string; Target?: string }>
  _parseRels(part: Readable): Promise<void>
  _parseWorkbook(part: Readable): Promise<void>
  _parseSharedStrings(part: Readable): AsyncIterable<unknown>
  _parseStyles(part: Readable): Promise<void>
  _parseWorksheet(part: Readable, sheetNo: string): Iterable<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>
}

const WORKBOOK_PART = 'xl/workbook.xml'
const RELS_PART = 'xl/_rels/workbook.xml.rels'
const SHARED_STRINGS_PART = 'xl/sharedStrings.xml'
const STYLES_PART = 'xl/styles.xml'

function xlsxRows(path: string, sheetName: string | null, maxRowBytes: number, onRead: (bytes: number) => void): RowPass {
  const names = new Map<string, string>()
  async function* rows(): AsyncGenerator<SourceRow> {
    // exceljs (some 20 MB in memory) is loaded the first time a spreadsheet is read.
    const { default: Excel } = await import('exceljs')
    const zip = await openZip(path)
    try {
      const entries = await zipEntries(zip)
      const part = (name: string) => {
        const entry = entries.get(name)
        return entry ? openPart(zip, entry, onRead) : undefined
      }
      const reader = new Excel.stream.xlsx.WorkbookReader(Readable.from([]), {
        sharedStrings: 'cache', styles: 'cache', worksheets: 'emit', hyperlinks: 'ignore', entries: 'ignore',
      } as Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>) as unknown as ExcelPartReader
      const rels = await part(RELS_PART)
      const workbook = await part(WORKBOOK_PART)
      if (!rels || !workbook) throw notXlsx(new Error(`no ${rels ? WORKBOOK_PART : RELS_PART}`))
      await reader._parseRels(rels)
      await reader._parseWorkbook(workbook)
      const sharedStrings = await part(SHARED_STRINGS_PART)
      if (sharedStrings) for await (const _ of reader._parseSharedStrings(sharedStrings)) void _
      const styles = await part(STYLES_PART)
      if (styles) await reader._parseStyles(styles)

      // The sheets in the workbook's order (its tabs), each with its part.
      const sheets = (reader.model?.sheets ?? []).map((sheet) => {
        const target = reader.workbookRels?.find((rel) => rel.Id === sheet.rId)?.Target ?? ''
        const partName = target.startsWith('/') ? target.slice(1) : `xl/${target}`
        return { name: String(sheet.name ?? ''), partName, sheetNo: /sheet(\d+)\.xml$/.exec(partName)?.[1] }
      }).filter((sheet) => sheet.sheetNo !== undefined && entries.has(sheet.partName))
      // Without a name, the first sheet with anything in it (a blank first tab is passed over).
      const candidates = sheetName === null ? sheets : sheets.filter((sheet) => sheet.name === sheetName)
      if (sheetName !== null && candidates.length === 0) {
        throw new LoadError('data.datastore.errors.noSheet', { sheet: sheetName, sheets: sheets.map((s) => s.name).join(', ') })
      }
      for (const candidate of candidates) {
        const [worksheet] = reader._parseWorksheet((await part(candidate.partName))!, candidate.sheetNo!)
        if (!worksheet) continue
        let header = true
        for await (const row of worksheet.value) {
          const cells = (row.values as unknown[]) ?? []
          if (header) {
            // The first row with anything in it names the columns; keys are the columns' numbers.
            if (cells.every((c) => cellText(c)?.trim() ? false : true)) continue
            cells.forEach((cell, i) => { if (i > 0) names.set(String(i), cellText(cell)?.trim() ?? '') })
            header = false
            continue
          }
          const values = new Map<string, string | null>()
          let length = 0
          cells.forEach((cell, i) => {
            if (i === 0) return
            const text = cellText(cell)
            if (text === null || text === '') return
            // A value under no heading still gets a column (named by the loader).
            if (!names.has(String(i))) names.set(String(i), '')
            values.set(String(i), text)
            length += text.length
          })
          // The limit a CSV's or JSON's row has (counted in characters: a row's bytes are at least as many).
          if (length > maxRowBytes) throw new LoadError('data.datastore.errors.rowTooLong', { row: row.number, limitMb: Math.round(maxRowBytes / 1048576) })
          if (values.size > 0) yield { row: row.number, values }
        }
        if (!header) return
      }
      throw new LoadError('data.datastore.errors.empty')
    } finally {
      zip.close()
    }
  }
  return { names, rows: rows() }
}

/**
 * A ZIP opened for reading its entries one at a time; its caller closes it (its parts are opened
 * after its directory is read). `fail` tells what a file that is no ZIP is (a spreadsheet's error by default).
 */
export function openZip(path: string, fail: (error: Error | null | undefined) => Error = notXlsx): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: true, autoClose: false }, (error, file) => (error || !file ? reject(fail(error)) : resolve(file)))
  })
}

/** The ZIP's entries by name, from its central directory (nothing is unpacked). */
export function zipEntries(zip: yauzl.ZipFile, fail: (error: Error | null | undefined) => Error = notXlsx): Promise<Map<string, yauzl.Entry>> {
  const entries = new Map<string, yauzl.Entry>()
  return new Promise((resolve, reject) => {
    zip.on('error', (error: Error) => reject(fail(error)))
    zip.on('end', () => resolve(entries))
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry)
      zip.readEntry()
    })
    zip.readEntry()
  })
}

/**
 * One part unpacked, as text: decoded as a stream, so that a character split between two pieces
 * stays whole (exceljs decodes each piece on its own, and a Cyrillic letter cut in two became two
 * U+FFFD). onRead is told the part's packed bytes as they are read.
 */
async function openPart(zip: yauzl.ZipFile, entry: yauzl.Entry, onRead: (bytes: number) => void): Promise<Readable> {
  const stream = await openEntry(zip, entry)
  const packedPerByte = entry.compressedSize / Math.max(1, entry.uncompressedSize)
  async function* text(): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8')
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        onRead(chunk.length * packedPerByte)
        yield decoder.decode(chunk, { stream: true })
      }
      const rest = decoder.decode()
      if (rest) yield rest
    } catch (error) {
      throw error instanceof LoadError ? error : notXlsx(error as Error)
    } finally {
      stream.destroy()
    }
  }
  return Readable.from(text())
}

/** One entry of a ZIP unpacked as a stream of bytes (yauzl fails it if it unpacks to more than it declared). */
export function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, fail: (error: Error | null | undefined) => Error = notXlsx): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    zip.openReadStream(entry, (error, opened) => (error || !opened ? reject(fail(error)) : resolve(opened)))
  })
}

/**
 * Refuses a spreadsheet whose parts unpack to more than the limits: the sizes the ZIP declares are
 * checked first, then each part is unpacked (and thrown away) with yauzl, which fails on a part that
 * unpacks to more than it declared. As each part streams by, no run of its XML between one '<' and
 * the next (a cell's text, a tag) may be longer than a row may be: exceljs holds a cell whole, and a
 * 300 KB file can unpack to a 300 MB cell. Only then does exceljs read it.
 */
export async function checkXlsx(path: string, limits: SourceLimits): Promise<void> {
  const zip = await openZip(path)
  let total = 0
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (error: Error) => reject(notXlsx(error)))
      zip.on('end', () => resolve())
      zip.on('entry', (entry: yauzl.Entry) => {
        total += entry.uncompressedSize
        if (total > limits.maxUnpackedBytes) return reject(tooBig(limits.maxUnpackedBytes))
        if (/sharedStrings\.xml$/i.test(entry.fileName) && entry.uncompressedSize > limits.maxSharedStringsBytes) {
          return reject(tooBig(limits.maxSharedStringsBytes))
        }
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) return reject(error?.message.includes('too many bytes') ? tooBig(limits.maxUnpackedBytes) : notXlsx(error))
          stream.on('error', (streamError: Error) => reject(streamError.message.includes('too many bytes') ? tooBig(limits.maxUnpackedBytes) : notXlsx(streamError)))
          stream.on('end', () => zip.readEntry())
          // Bytes since the last '<', across chunks. Inside a chunk (tens of KB, as zlib hands them
          // out) no run can be longer than the limit, so only runs across chunks are counted.
          let run = 0
          stream.on('data', (chunk: Buffer) => {
            const first = chunk.indexOf(LESS_THAN)
            // The run that ends at this chunk's first '<' (or goes on through the chunk), then the one its last '<' starts.
            const ended = first === -1 ? run + chunk.length : run + first
            run = first === -1 ? ended : chunk.length - chunk.lastIndexOf(LESS_THAN) - 1
            if (Math.max(ended, run) > limits.maxRowBytes) {
              stream.destroy()
              reject(new LoadError('data.datastore.errors.cellTooLong', { limitMb: Math.round(limits.maxRowBytes / 1048576) }))
            }
          })
        })
      })
      zip.readEntry()
    })
  } finally {
    zip.close()
  }
}

const LESS_THAN = 0x3c

function tooBig(limit: number): LoadError {
  return new LoadError('data.datastore.errors.unpacksTooBig', { limitMb: Math.round(limit / 1048576) })
}

function notXlsx(error: Error | null | undefined): LoadError {
  return new LoadError('data.datastore.errors.notXlsx', {}, error?.message)
}

/** A JSON value as the text of a column: objects and arrays as JSON. */
function jsonText(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

// Where the records are: a top-level array, or the array of an object's "records", "data" or
// "result.records" (CKAN's own answers) or "features" (GeoJSON).
const RECORD_PATHS = ['$.records.*', '$.data.*', '$.result.records.*', '$.features.*']
const GEOMETRY_KEY = '\u0000geometry'

function jsonRows(source: AsyncIterable<Buffer>, geojson: boolean, maxRowBytes: number): RowPass {
  const names = new Map<string, string>()
  const key = (id: string, name = id) => {
    if (!names.has(id)) names.set(id, name)
    return id
  }
  async function* rows(): AsyncGenerator<SourceRow> {
    const found: unknown[] = []
    let parser: JSONParser | null = null
    let bytesSinceRecord = 0
    let row = 0
    let started = false
    let bom = true
    for await (let chunk of source) {
      if (bom) {
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3)
        bom = false
      }
      if (!parser) {
        const first = chunk.toString('utf8').trimStart()[0]
        if (first === undefined) continue
        if (first !== '[' && first !== '{') throw new LoadError('data.datastore.errors.notJson', { row: 1 }, `starts with ${JSON.stringify(first)}`)
        parser = new JSONParser({ paths: first === '[' && !geojson ? ['$.*'] : geojson ? ['$.features.*'] : RECORD_PATHS, keepStack: false })
        parser.onValue = ({ value }) => { found.push(value) }
        started = true
      }
      try {
        parser.write(chunk)
      } catch (error) {
        // Records before the fault in this piece were parsed already.
        throw new LoadError('data.datastore.errors.notJson', { row: row + found.length + 1 }, (error as Error).message)
      }
      bytesSinceRecord = found.length > 0 ? 0 : bytesSinceRecord + chunk.length
      if (bytesSinceRecord > maxRowBytes) throw new LoadError('data.datastore.errors.rowTooLong', { row: row + 1, limitMb: Math.round(maxRowBytes / 1048576) })
      for (const value of found.splice(0)) {
        row += 1
        yield { row, values: recordValues(value, row, geojson, key) }
      }
    }
    if (!started || row === 0) throw new LoadError('data.datastore.errors.empty')
    if (parser && !parser.isEnded) throw new LoadError('data.datastore.errors.notJson', { row: row + 1 }, 'the file ends before the JSON does')
  }
  return { names, rows: rows() }
}

function recordValues(value: unknown, row: number, geojson: boolean, key: (id: string, name?: string) => string): Map<string, string | null> {
  const values = new Map<string, string | null>()
  if (geojson) {
    const feature = value as { type?: unknown; properties?: unknown; geometry?: unknown } | null
    if (!feature || typeof feature !== 'object' || feature.type !== 'Feature') throw new LoadError('data.datastore.errors.notFeature', { row })
    for (const [name, inner] of Object.entries((feature.properties ?? {}) as Record<string, unknown>)) values.set(key(name), jsonText(inner))
    values.set(key(GEOMETRY_KEY, 'geometry'), feature.geometry ? JSON.stringify(feature.geometry) : null)
    return values
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new LoadError('data.datastore.errors.notRecord', { row })
  for (const [name, inner] of Object.entries(value as Record<string, unknown>)) values.set(key(name), jsonText(inner))
  return values
}
