import { LoadError, type TextEncoding } from './detect.ts'

/** A piece of a CSV file ending at a row's end, ready for one COPY, as the buffers it was read in. */
export interface CsvChunk {
  parts: Buffer[]
  bytes: number
  /** Rows of the file before this chunk, the header included: the chunk's first row is rowsBefore + 1. */
  rowsBefore: number
  rows: number
  /** Called when the chunk has been copied: its buffer may then be used again. */
  done?: () => void
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

  // The buffers are handed out as they are: numberRows copies them once, into its own buffer.
  const takePending = (last: Buffer | null): { parts: Buffer[]; bytes: number } => {
    const parts = last ? [...pending, last] : pending
    const bytes = pendingBytes + (last?.length ?? 0)
    pending = []
    pendingBytes = 0
    return { parts, bytes }
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
      yield { ...takePending(buffer.subarray(start, lastEnd + 1)), rowsBefore: rowsHandedOut, rows: rowsAtLastEnd - rowsHandedOut }
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
    const last = pending.at(-1)!
    const unterminated = last[last.length - 1] !== NEWLINE ? 1 : 0
    yield { ...takePending(null), rowsBefore: rowsHandedOut, rows: rowsEnded - rowsHandedOut + unterminated }
  }
}

/**
 * A chunk's rows with their row numbers in front (firstId, firstId + 1, …), for a COPY that fills
 * `_id` itself: a number written here costs less than the database's sequence would per row. The
 * chunk starts and ends where rows do, so quotes are followed from the chunk's start.
 * The chunk is copied once, to the end of a buffer with room for every number; each row then moves
 * forward within that buffer behind its number (copyWithin: no object made per row, so nothing for
 * the garbage collector). The work is done a slice at a time, giving way between slices: the chunk
 * before this one is being sent to the database meanwhile, and a blocked event loop would leave the
 * database waiting for it.
 */
export async function numberRows(
  chunk: Pick<CsvChunk, 'parts' | 'bytes' | 'rows'>, firstId: number, delimiter: string, allocate: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size),
): Promise<{ data: Buffer; rows: number }> {
  const separator = delimiter.charCodeAt(0)
  // Each row grows by its number and a delimiter: at most 16 digits (ids stay below 2^53). One row
  // more than the chunker counted: in a file whose last quote is never closed, the chunker counts
  // no row after it, and the rest is sent as one row for the database to refuse with its line.
  const size = chunk.bytes + 17 * (chunk.rows + 1)
  const out = allocate(size).subarray(0, size)
  const start = out.length - chunk.bytes
  const end = out.length
  let at = start
  for (const part of chunk.parts) at += part.copy(out, at)
  let written = 0
  let id = firstId
  let rowStart = start
  let inQuotes = false
  let quoteAt = -2
  let newlineAt = -2
  let pauseAt = start + SLICE_BYTES
  const digits = new Uint8Array(16)
  const writeRow = (rowEnd: number) => {
    let n = id
    let count = 0
    do {
      digits[count++] = 0x30 + (n % 10)
      n = Math.floor(n / 10)
    } while (n > 0)
    // The rows counted by the chunker leave room for every number; a miscount would overwrite rows.
    if (written + count + 1 > rowStart) throw new Error(`numberRows: more rows in a chunk of ${chunk.rows}`)
    while (count > 0) out[written++] = digits[--count]!
    out[written++] = separator
    out.copyWithin(written, rowStart, rowEnd)
    written += rowEnd - rowStart
    id += 1
  }
  for (let i = start; i < end;) {
    if (i >= pauseAt) {
      await new Promise(setImmediate)
      pauseAt = i + SLICE_BYTES
    }
    if (quoteAt !== -1 && quoteAt < i) quoteAt = out.indexOf(QUOTE, i)
    if (inQuotes) {
      if (quoteAt === -1) break
      inQuotes = false
      i = quoteAt + 1
      continue
    }
    if (newlineAt !== -1 && newlineAt < i) newlineAt = out.indexOf(NEWLINE, i)
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
  if (rowStart < end) writeRow(end)
  return { data: out.subarray(0, written), rows: id - firstId }
}

/**
 * Buffers to number chunks into, used again once their COPY is done: a new buffer of megabytes per
 * chunk is memory outside the JavaScript heap, and its growth makes V8 run full collections (about
 * one per chunk, 4-10 ms each, with the event loop stopped).
 */
export class ChunkBuffers {
  readonly #spare: Buffer[] = []

  take(size: number): Buffer {
    const at = this.#spare.findIndex((buffer) => buffer.length >= size)
    // Room for a chunk a little bigger than this one, so the next ones fit as well.
    return at >= 0 ? this.#spare.splice(at, 1)[0]! : Buffer.allocUnsafe(Math.ceil(size * 1.25))
  }

  /** Only a buffer nothing reads any more: the database has answered its COPY. */
  giveBack(buffer: Buffer): void {
    this.#spare.push(buffer)
  }
}

const SLICE_BYTES = 256 * 1024
