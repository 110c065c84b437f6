import { LoadError, type TextEncoding } from './detect.ts'

/** A piece of a CSV file ending at a row's end, ready for one COPY. */
export interface CsvChunk {
  data: Buffer
  /** Rows of the file before this chunk, the header included: the chunk's first row is rowsBefore + 1. */
  rowsBefore: number
  rows: number
}

/** The file's bytes as UTF-8, without a byte order mark; counts the bytes read for progress. */
export async function* asUtf8(source: AsyncIterable<Buffer>, encoding: TextEncoding, bomLength: number, onRead: (bytes: number) => void): AsyncGenerator<Buffer> {
  let skip = bomLength
  // Windows-1251 and UTF-16 are decoded by the runtime; UTF-8 goes through untouched, and
  // PostgreSQL itself refuses a byte that is not UTF-8, with the row it is on.
  const decoder = encoding === 'utf-8' ? null : new TextDecoder(encoding)
  for await (const raw of source) {
    onRead(raw.length)
    let chunk = raw
    if (skip > 0) {
      const n = Math.min(skip, chunk.length)
      chunk = chunk.subarray(n)
      skip -= n
    }
    if (chunk.length === 0) continue
    yield decoder ? Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8') : chunk
  }
  if (decoder) {
    const rest = decoder.decode()
    if (rest) yield Buffer.from(rest, 'utf8')
  }
}

const QUOTE = 0x22
const NEWLINE = 0x0a

/**
 * Cuts CSV into chunks of about chunkBytes that end where a row ends, leaving out the header row.
 * A newline ends a row unless it is inside quotes; like PostgreSQL's own CSV reader, every quote
 * character toggles "inside quotes" ("" inside a quoted value toggles twice). A row longer than
 * maxRowBytes is refused before it is held whole in memory.
 */
export async function* csvChunks(source: AsyncIterable<Buffer>, chunkBytes: number, maxRowBytes: number): AsyncGenerator<CsvChunk> {
  let pending: Buffer[] = []
  let pendingBytes = 0
  let inQuotes = false
  let rowBytes = 0
  let headerSkipped = false
  // Rows ended so far in the whole file, and rows already handed out (the header counts as one).
  let rowsEnded = 0
  let rowsHandedOut = 0

  const takePending = (last: Buffer | null): Buffer => {
    const parts = last ? [...pending, last] : pending
    pending = []
    pendingBytes = 0
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts)
  }

  const tooLong = () => new LoadError('data.datastore.errors.rowTooLong', { row: rowsEnded + 1, limitMb: Math.round(maxRowBytes / 1048576) })
  for await (const buffer of source) {
    let start = 0
    let lastEnd = -1
    let rowsAtLastEnd = rowsEnded
    // Jumps from quote to newline with indexOf (native, fast) instead of looking at every byte;
    // the next quote and newline are remembered until passed (-1: none left in this buffer).
    let quoteAt = -2
    let newlineAt = -2
    for (let i = 0; i < buffer.length;) {
      if (quoteAt !== -1 && quoteAt < i) quoteAt = buffer.indexOf(QUOTE, i)
      if (inQuotes) {
        const end = quoteAt === -1 ? buffer.length : quoteAt + 1
        rowBytes += end - i
        if (rowBytes > maxRowBytes) throw tooLong()
        if (quoteAt !== -1) inQuotes = false
        i = end
        continue
      }
      if (newlineAt !== -1 && newlineAt < i) newlineAt = buffer.indexOf(NEWLINE, i)
      if (newlineAt !== -1 && (quoteAt === -1 || newlineAt < quoteAt)) {
        rowBytes += newlineAt - i
        if (rowBytes > maxRowBytes) throw tooLong()
        rowsEnded += 1
        rowBytes = 0
        if (!headerSkipped) {
          // The columns are known already: the header row is not loaded.
          headerSkipped = true
          pending = []
          pendingBytes = 0
          start = newlineAt + 1
          rowsHandedOut = 1
        } else {
          lastEnd = newlineAt
          rowsAtLastEnd = rowsEnded
        }
        i = newlineAt + 1
        continue
      }
      // A quote opens a quoted value, or nothing special is left in this buffer.
      const end = quoteAt === -1 ? buffer.length : quoteAt + 1
      rowBytes += end - i
      if (rowBytes > maxRowBytes) throw tooLong()
      if (quoteAt !== -1) inQuotes = true
      i = end
    }
    if (lastEnd >= 0 && pendingBytes + lastEnd + 1 - start >= chunkBytes) {
      yield { data: takePending(buffer.subarray(start, lastEnd + 1)), rowsBefore: rowsHandedOut, rows: rowsAtLastEnd - rowsHandedOut }
      rowsHandedOut = rowsAtLastEnd
      start = lastEnd + 1
    }
    if (start < buffer.length) {
      pending.push(buffer.subarray(start))
      pendingBytes += buffer.length - start
    }
  }
  if (!headerSkipped) return
  if (pendingBytes > 0) {
    const data = takePending(null)
    const unterminated = data[data.length - 1] !== NEWLINE ? 1 : 0
    yield { data, rowsBefore: rowsHandedOut, rows: rowsEnded - rowsHandedOut + unterminated }
  }
}

/**
 * A chunk's rows with their row numbers in front (firstId, firstId + 1, …), for a COPY that fills
 * `_id` itself: a number written here costs less than the database's sequence would per row. The
 * chunk starts and ends where rows do, so quotes are followed from the chunk's start. The work is
 * done a slice at a time, giving way between slices: the chunk before this one is being sent to
 * the database meanwhile, and a blocked event loop would leave the database waiting for it.
 */
export async function numberRows(data: Buffer, firstId: number, delimiter: string): Promise<{ data: Buffer; rows: number }> {
  const separator = delimiter.charCodeAt(0)
  // Each row grows by its number and a delimiter: at most 16 digits (ids stay below 2^53).
  const out = Buffer.allocUnsafe(data.length + 17 * (countNewlines(data) + 1))
  let written = 0
  let id = firstId
  let rowStart = 0
  let inQuotes = false
  let quoteAt = -2
  let newlineAt = -2
  let pauseAt = SLICE_BYTES
  const digits = new Uint8Array(16)
  const writeRow = (end: number) => {
    let n = id
    let count = 0
    do {
      digits[count++] = 0x30 + (n % 10)
      n = Math.floor(n / 10)
    } while (n > 0)
    while (count > 0) out[written++] = digits[--count]!
    out[written++] = separator
    written += data.copy(out, written, rowStart, end)
    id += 1
  }
  for (let i = 0; i < data.length;) {
    if (i >= pauseAt) {
      await new Promise(setImmediate)
      pauseAt = i + SLICE_BYTES
    }
    if (quoteAt !== -1 && quoteAt < i) quoteAt = data.indexOf(QUOTE, i)
    if (inQuotes) {
      if (quoteAt === -1) break
      inQuotes = false
      i = quoteAt + 1
      continue
    }
    if (newlineAt !== -1 && newlineAt < i) newlineAt = data.indexOf(NEWLINE, i)
    if (newlineAt !== -1 && (quoteAt === -1 || newlineAt < quoteAt)) {
      writeRow(newlineAt + 1)
      rowStart = newlineAt + 1
      i = rowStart
      continue
    }
    if (quoteAt === -1) break
    inQuotes = true
    i = quoteAt + 1
  }
  if (rowStart < data.length) writeRow(data.length)
  return { data: out.subarray(0, written), rows: id - firstId }
}

const SLICE_BYTES = 256 * 1024

function countNewlines(data: Buffer): number {
  let count = 0
  for (let at = data.indexOf(NEWLINE); at !== -1; at = data.indexOf(NEWLINE, at + 1)) count += 1
  return count
}
