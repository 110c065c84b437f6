import { createHash } from 'node:crypto'
import type { Db, Queryable } from '../../../platform/db/index.ts'
import { currentRequestId } from '../../../platform/http/request-context.ts'
import { quoteIdentifier, quoteTableName } from '../../../platform/db/index.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { stringify } from 'csv-stringify/sync'
import { ChunkBuffers, asUtf8, csvChunks, numberRows, type CsvChunk } from './chunks.ts'
import {
  LoadError, SQL_TYPES, TypeInference, columnNames, detectDelimiter, detectEncoding, inferTypes, sampleRecords, widen, type ColumnType,
} from './detect.ts'
import { RECORD_FORMATS, checkXlsx, openRows, readStart, type SourceLimits } from './sources.ts'
import { ROW_ID } from './query.ts'

/** One column of a datastore table, as its data dictionary describes it. */
export interface DatastoreField {
  id: string
  type: ColumnType
  title: MultilingualText
  description: MultilingualText
  /** What else a CKAN client put in the column's data dictionary ("info" beyond label and notes). */
  info?: Record<string, unknown>
}

/** Formats the datastore loads; other resources are files to download only. */
export const LOADABLE_FORMATS = new Set(['CSV', 'TSV', ...RECORD_FORMATS])

const SAMPLE_BYTES = 1024 * 1024
const CHUNK_BYTES = 4 * 1024 * 1024
const READ_BYTES = 1024 * 1024
const PARALLEL_COPIES = 2
const MAX_ROW_BYTES = 16 * 1024 * 1024
const RECORD_LIMITS: SourceLimits = {
  maxRowBytes: MAX_ROW_BYTES,
  maxUnpackedBytes: 2048 * 1024 * 1024,
  maxSharedStringsBytes: 256 * 1024 * 1024,
}
// Beyond this many columns, only the first are indexed: every index slows the load down.
const MAX_INDEXED_COLUMNS = 30
// A load that has not reported progress for this long is taken to be dead (its process stopped).
const STALE_AFTER = '2 minutes'

/** The live table of a resource, quoted for SQL: datastore."<resource id>", as CKAN names it. */
export function liveTable(resourceId: string): string {
  return quoteTableName(`datastore.${resourceId}`)
}
// The table a load fills before it goes live (unquoted, as copyFrom takes it).
const loadingTable = (resourceId: string) => `datastore.${resourceId}:load`

/** The channel on which a queued load is announced, so that loading starts as soon as it is committed. */
export const LOAD_CHANNEL = 'ashyq_datastore_load'

/**
 * Puts a resource's file in line to be loaded (or loaded again). Called in the transaction that
 * stores the file, so a file the database knows is never left unloaded.
 */
export async function queueDatastoreLoad(
  tx: Queryable, resourceId: string, file: { key: string; size: number | null }, format: string, options: { sheet?: string | null } = {},
): Promise<void> {
  const loadFormat = format.toUpperCase()
  if (!LOADABLE_FORMATS.has(loadFormat)) return
  await tx.query(
    `insert into data_datastore (resource_id, load_key, load_format, load_total_bytes, load_sheet, load_request_id) values ($1, $2, $3, $4, $5, $6)
     on conflict (resource_id) do update set load_state = 'pending', load_key = excluded.load_key, load_format = excluded.load_format,
       load_total_bytes = excluded.load_total_bytes, load_sheet = excluded.load_sheet, load_bytes = 0, load_rows = 0, load_error = null,
       queued_at = now(), load_started_at = null, load_heartbeat_at = null, load_finished_at = null, load_request_id = excluded.load_request_id`,
    [resourceId, file.key, loadFormat, file.size, options.sheet?.trim() || null, currentRequestId()],
  )
  // Delivered when this transaction commits, to every process's loading job (jobs' wakeOn).
  await tx.query(`select pg_notify('${LOAD_CHANNEL}', '')`)
}

interface Claim {
  resourceId: string
  key: string
  format: string
  sheet: string | null
  fields: DatastoreField[]
  /** Aborted when the server shuts down: the load stops at its next report and gives its claim back. */
  signal?: AbortSignal
}

async function claimNext(db: Db): Promise<Claim | undefined> {
  const [claim] = await db.query<Claim>(
    `update data_datastore set load_state = 'loading', load_started_at = now(), load_heartbeat_at = now(), load_bytes = 0, load_rows = 0
     where resource_id = (
       select resource_id from data_datastore
       where load_state = 'pending' or (load_state = 'loading' and load_heartbeat_at < now() - interval '${STALE_AFTER}')
       order by queued_at limit 1 for update skip locked)
     returning resource_id as "resourceId", load_key as key, load_format as format, load_sheet as sheet, fields`,
  )
  return claim
}

/** Files waiting to be loaded or being loaded now (for the site's metrics). */
export async function loadBacklog(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>("select count(*)::int as n from data_datastore where load_state in ('pending', 'loading')")
  return row?.n ?? 0
}

/** Loads the files waiting to be loaded, then indexes the tables that became live. */
export async function runDatastoreLoads(deps: { db: Db; files: FileStore; signal?: AbortSignal }, limit = 20): Promise<number> {
  const loaded = await loadDueFiles(deps, limit)
  if (!deps.signal?.aborted) await indexLoadedTables(deps.db)
  return loaded
}

/**
 * Gives each newly live table its key on the row number (paging, the file's order), an index per
 * column (the first MAX_INDEXED_COLUMNS) for filters and sorting, and its statistics. Readers are
 * not blocked while they are built; a table replaced meanwhile is indexed next time. What the
 * database refuses for a table's data (a value too long for an index entry) is recorded on that
 * table (index_problems) and the rest of its indexes, and every other table's, are built all the same.
 */
export async function indexLoadedTables(db: Db, limit = 20): Promise<number> {
  // loaded_at as text: a JavaScript Date would lose its microseconds and never match again.
  // A withdrawn resource's or dataset's table waits until it is restored.
  const due = await db.query<{ resourceId: string; fields: DatastoreField[]; loadedAt: string }>(
    `select s.resource_id as "resourceId", s.fields, s.loaded_at::text as "loadedAt" from data_datastore s
       join data_resources r on r.id = s.resource_id join datasets d on d.id = r.dataset_id
     where s.active and s.indexed_at is null and r.state = 'active' and d.state = 'active' order by s.loaded_at limit ${limit}`,
  )
  for (const table of due) {
    const name = liveTable(table.resourceId)
    const problems: Array<{ column: string | null; detail: string }> = []
    // Each statement on its own: one refused leaves the others to be built.
    const attempt = async (column: string | null, statement: string) => {
      try {
        await db.exec(statement)
      } catch (error) {
        // The database's refusal of this table's data is recorded; anything else (a lost
        // connection) is the site's and ends this round, to be tried again.
        if (typeof (error as { code?: unknown }).code !== 'string') throw error
        problems.push({ column, detail: (error as Error).message })
      }
    }
    const [keyed] = await db.query<{ keyed: boolean }>('select exists (select 1 from pg_index where indrelid = $1::regclass and (indisprimary or indisunique and indkey[0] = 1 and indnatts = 1)) as keyed', [name])
    // A unique index rather than a primary key constraint: building it locks out writes, not readers.
    if (!keyed?.keyed) await attempt('_id', `create unique index if not exists ${quoteIdentifier(`${table.resourceId}:_id`)} on ${name} (_id)`)
    for (const field of table.fields.slice(0, MAX_INDEXED_COLUMNS)) {
      await attempt(field.id, `create index if not exists ${quoteIdentifier(indexName(table.resourceId, field.id))} on ${name} (${quoteIdentifier(field.id)})`)
    }
    // Tables written through the API (datastore_create, upserts) are vacuumed here for the same reason.
    await attempt(null, `vacuum (analyze) ${name}`)
    await db.query('update data_datastore set indexed_at = now(), index_problems = $3 where resource_id = $1 and loaded_at = $2::timestamptz',
      [table.resourceId, table.loadedAt, JSON.stringify(problems)])
  }
  return due.length
}

// An index's name: the resource and a hash of the column (names are capped at 63 bytes).
function indexName(resourceId: string, column: string): string {
  return `${resourceId}:${createHash('sha256').update(column).digest('hex').slice(0, 16)}`
}

/** Loads every file waiting to be loaded, one after another; returns how many it took up. */
export async function loadDueFiles(deps: { db: Db; files: FileStore; signal?: AbortSignal }, limit = 20): Promise<number> {
  let count = 0
  for (; count < limit && !deps.signal?.aborted; count += 1) {
    const claim = await claimNext(deps.db)
    if (!claim) break
    await loadClaimed(deps.db, deps.files, { ...claim, signal: deps.signal })
  }
  return count
}

async function loadClaimed(db: Db, files: FileStore, claim: Claim): Promise<void> {
  const table = loadingTable(claim.resourceId)
  try {
    const { columns, rows } = RECORD_FORMATS.has(claim.format) ? await loadRecords(db, files, claim, table) : await loadCsv(db, files, claim, table)
    // Vacuumed before it goes live, so that its visibility map is set and counts read indexes alone
    // from the first request (without it, counting waited minutes for autovacuum on a server, and
    // for ever on PGlite, which has none). Its statistics follow with its indexes.
    await db.exec(`vacuum ${quoteTableName(table)}`)
    // The table goes live as soon as its rows are in; its indexes (the row number's key, then each
    // column's) and its statistics follow (indexLoadedTables): building an index once is faster than
    // keeping it up row by row, and until there are indexes the planner has little to choose from.
    await db.transaction(async (tx) => {
      const [current] = await tx.query<{ key: string }>('select load_key as key from data_datastore where resource_id = $1 for update', [claim.resourceId])
      // A newer file came while this one loaded: its own load replaces the table, not this one.
      if (current?.key !== claim.key) {
        await tx.query(`drop table if exists ${quoteTableName(table)}`)
        return
      }
      await tx.query(`drop table if exists ${liveTable(claim.resourceId)}`)
      await tx.query(`alter table ${quoteTableName(table)} rename to ${quoteIdentifier(claim.resourceId)}`)
      const previous = new Map(claim.fields.map((f) => [f.id, f]))
      const fields: DatastoreField[] = columns.map(({ id, type }) => ({
        id, type, title: previous.get(id)?.title ?? {}, description: previous.get(id)?.description ?? {},
      }))
      await tx.query(
        `update data_datastore set active = true, fields = $2, row_count = $3, loaded_at = now(), indexed_at = null, load_state = 'ready',
           load_rows = $3, load_bytes = coalesce(load_total_bytes, load_bytes), load_error = null, load_finished_at = now()
         where resource_id = $1`,
        [claim.resourceId, JSON.stringify(fields), rows],
      )
    })
  } catch (error) {
    await db.query(`drop table if exists ${quoteTableName(table)}`).catch(() => undefined)
    if (claim.signal?.aborted) {
      // The server is shutting down: the load is given back, and announced for another server to take now.
      await db.transaction(async (tx) => {
        await tx.query(
          `update data_datastore set load_state = 'pending', load_started_at = null, load_heartbeat_at = null, load_bytes = 0, load_rows = 0
           where resource_id = $1 and load_key = $2 and load_state = 'loading'`, [claim.resourceId, claim.key])
        await tx.query(`select pg_notify('${LOAD_CHANNEL}', '')`)
      })
      return
    }
    const reason = error instanceof LoadError ? error : new LoadError('data.datastore.errors.internal', {}, (error as Error).message)
    await db.query(
      `update data_datastore set load_state = 'error', load_error = $3, load_finished_at = now() where resource_id = $1 and load_key = $2`,
      [claim.resourceId, claim.key, JSON.stringify({ key: reason.key, values: reason.values, detail: reason.detail ?? null })],
    )
  }
}

async function loadCsv(db: Db, files: FileStore, claim: Claim, table: string): Promise<{ columns: Array<{ id: string; type: ColumnType }>; rows: number }> {
  const sample = await readStart(files, claim.key, SAMPLE_BYTES)
  const { encoding, bomLength } = detectEncoding(sample)
  const text = new TextDecoder(encoding).decode(sample.subarray(bomLength))
  if (text.trim() === '') throw new LoadError('data.datastore.errors.empty')
  const delimiter = claim.format === 'TSV' ? '\t' : detectDelimiter(text)
  const records = sampleRecords(text, delimiter)
  const ids = columnNames(records[0] ?? [])
  if (ids.length === 0) throw new LoadError('data.datastore.errors.empty')
  const types = inferTypes(records.slice(1), ids.length)
  // The sample decides the types; a value further down that a type refuses widens that column
  // (integer to decimal, date to timestamp, else text) and the load starts over. Each column
  // widens at most twice, so this ends.
  // Rows ended by a lone carriage return (old Mac files) are left to the sequence to number: the
  // chunker and numberRows see rows by their newlines.
  const numbered = text.includes('\n') || !text.includes('\r')
  for (let attempt = 0; ; attempt += 1) {
    await createLoadingTable(db, table, ids, types)
    try {
      const rows = await copyFile(db, files, claim, table, ids, { encoding, bomLength, delimiter, numbered })
      return { columns: ids.map((id, i) => ({ id, type: types[i]! })), rows }
    } catch (error) {
      const refused = refusedValue(error, ids)
      if (!refused || attempt > ids.length * 2 || types[refused.column] === 'text') throw toLoadError(error)
      types[refused.column] = widen(types[refused.column]!, refused.value)
    }
  }
}

async function createLoadingTable(db: Db, table: string, ids: readonly string[], types: readonly ColumnType[]): Promise<void> {
  await db.exec(`drop table if exists ${quoteTableName(table)};
    create table ${quoteTableName(table)} (_id bigint generated by default as identity (cache 10000), ${ids.map((id, i) => `${quoteIdentifier(id)} ${SQL_TYPES[types[i]!]}`).join(', ')})`)
}

async function reportProgress(db: Db, claim: Claim, bytes: number, rows: number): Promise<void> {
  claim.signal?.throwIfAborted()
  await db.query(
    'update data_datastore set load_bytes = $3, load_rows = $4, load_heartbeat_at = now() where resource_id = $1 and load_key = $2',
    [claim.resourceId, claim.key, Math.round(bytes), rows],
  )
}

/**
 * Loads a spreadsheet, JSON or GeoJSON file in two passes: the first finds every column and the
 * narrowest type all its values fit (no row kept), the second writes the rows as CSV into COPY in
 * pieces of CHUNK_BYTES. Progress counts each pass as half of the bytes.
 */
function loadRecords(db: Db, files: FileStore, claim: Claim, table: string): Promise<{ columns: Array<{ id: string; type: ColumnType }>; rows: number }> {
  if (claim.format !== 'XLSX') return loadRecordsOf(db, files, claim, table)
  return files.withLocalFile(claim.key, async (localPath) => {
    await checkXlsx(localPath, RECORD_LIMITS)
    return loadRecordsOf(db, files, claim, table, localPath)
  })
}

async function loadRecordsOf(db: Db, files: FileStore, claim: Claim, table: string, localPath?: string): Promise<{ columns: Array<{ id: string; type: ColumnType }>; rows: number }> {
  let bytesRead = 0
  let lastReport = Date.now()
  const scan = await openRows(files, claim.key, claim.format, { sheet: claim.sheet, localPath }, RECORD_LIMITS, (n) => { bytesRead += n })
  const inference = new TypeInference()
  const position = new Map<string, number>()
  let scanned = 0
  for await (const { values } of scan.rows) {
    for (const [key, value] of values) {
      let i = position.get(key)
      if (i === undefined) position.set(key, (i = position.size))
      inference.add(i, value)
    }
    scanned += 1
    if (Date.now() - lastReport > 2000) {
      await reportProgress(db, claim, bytesRead / 2, 0)
      lastReport = Date.now()
    }
  }
  // Columns in the order the file names them (a spreadsheet's heading row, a record's keys).
  const keys = [...scan.names.keys()].filter((key) => position.has(key) || scan.names.get(key) !== '')
  if (keys.length === 0 || scanned === 0) throw new LoadError('data.datastore.errors.empty')
  const ids = columnNames(keys.map((key) => scan.names.get(key) ?? ''))
  const allTypes = inference.types(position.size)
  const types = keys.map((key) => (position.has(key) ? allTypes[position.get(key)!]! : 'text'))
  await createLoadingTable(db, table, ids, types)

  const firstPass = bytesRead
  bytesRead = 0
  const pass = await openRows(files, claim.key, claim.format, { sheet: claim.sheet, localPath }, RECORD_LIMITS, (n) => { bytesRead += n })
  let rows = 0
  let batch: Array<Array<string | null>> = []
  const columns = [ROW_ID.id, ...ids]
  let batchRows: number[] = []
  let batchBytes = 0
  const flush = async () => {
    if (batch.length === 0) return
    const csv = stringify(batch, { quoted_string: true })
    try {
      rows += await db.copyFrom(table, columns, csv, { emptyIsNull: true, dayFirst: true })
    } catch (error) {
      const line = Number(/line (\d+)/.exec((error as PgError).where ?? '')?.[1] ?? 1)
      throw toLoadError(new ChunkFailed(error, (batchRows[line - 1] ?? batchRows[0] ?? 1) - line))
    }
    batch = []
    batchRows = []
    batchBytes = 0
    await reportProgress(db, claim, firstPass / 2 + bytesRead / 2, rows)
  }
  for await (const { row, values } of pass.rows) {
    // PostgreSQL text cannot hold the NUL character.
    const cells = keys.map((key) => values.get(key)?.replaceAll('\u0000', '') ?? null)
    batch.push([String(rows + batch.length + 1), ...cells])
    batchRows.push(row)
    for (const cell of cells) batchBytes += (cell?.length ?? 0) + 3
    if (batchBytes >= CHUNK_BYTES) await flush()
  }
  await flush()
  await continueRowIds(db, table, rows)
  return { columns: ids.map((id, i) => ({ id, type: types[i]! })), rows }
}

class ChunkFailed extends Error {
  constructor(override readonly cause: unknown, readonly rowsBefore: number) {
    super('A chunk of the file was refused')
  }
}

async function copyFile(
  db: Db, files: FileStore, claim: Claim, table: string, ids: string[],
  layout: { encoding: Parameters<typeof asUtf8>[1]; bomLength: number; delimiter: string; numbered: boolean },
): Promise<number> {
  // Read a megabyte at a time (a stream's default is 64 KB): fewer reads, buffers and turns.
  const { stream } = await files.open(claim.key, { readBytes: READ_BYTES })
  let bytesRead = 0
  let rows = 0
  try {
    const text = asUtf8(stream as AsyncIterable<Buffer>, layout.encoding, layout.bomLength, (n) => { bytesRead += n })
    const pieces = csvChunks(text, CHUNK_BYTES, MAX_ROW_BYTES)
    const chunks = (layout.numbered ? numberedChunks(pieces, layout.delimiter, new ChunkBuffers()) : pieces)[Symbol.asyncIterator]()
    const columns = layout.numbered ? [ROW_ID.id, ...ids] : ids
    let next = chunks.next()
    // On a server, two pieces are copied at once, over two connections: the server parses each
    // on a core of its own (PGlite has one connection, so there they would only take turns). Rows
    // keep their file order by their numbers; unnumbered ones are copied one piece at a time.
    const parallel = db.kind === 'postgres' && layout.numbered ? PARALLEL_COPIES : 1
    const inFlight: Array<Promise<number>> = []
    const settle = async () => {
      try {
        rows += await inFlight[0]!
        inFlight.shift()
      } catch (error) {
        // The others are let finish before the load gives up (or starts over with a wider type).
        await Promise.allSettled(inFlight)
        throw error
      }
      await reportProgress(db, claim, bytesRead, rows)
    }
    for (;;) {
      const { value: chunk, done } = await next
      if (done) break
      // The next piece is read while the database copies this one.
      next = chunks.next()
      next.catch(() => undefined)
      const copying = db.copyFrom(table, columns, chunk.parts, { delimiter: layout.delimiter, emptyIsNull: true, dayFirst: true })
        .then((copied) => {
          // After a failed COPY the buffer is left alone: a write of it may still be queued.
          chunk.done?.()
          return copied
        }, (error: unknown) => { throw new ChunkFailed(error, chunk.rowsBefore) })
      copying.catch(() => undefined)
      inFlight.push(copying)
      if (inFlight.length >= parallel) await settle()
    }
    while (inFlight.length > 0) await settle()
  } finally {
    stream.destroy()
  }
  if (layout.numbered) await continueRowIds(db, table, rows)
  return rows
}

/**
 * The chunks with each row's number in front (see numberRows), counted on from 1 across chunks,
 * each in a buffer of `buffers` that its `done` gives back.
 */
async function* numberedChunks(chunks: AsyncIterable<CsvChunk>, delimiter: string, buffers: ChunkBuffers): AsyncGenerator<CsvChunk> {
  let nextId = 1
  for await (const chunk of chunks) {
    let buffer: Buffer | undefined
    const numbered = await numberRows(chunk, nextId, delimiter, (size) => (buffer = buffers.take(size)))
    nextId += numbered.rows
    yield { ...chunk, parts: [numbered.data], bytes: numbered.data.length, done: () => buffers.giveBack(buffer!) }
  }
}

/** Rows added later (datastore_upsert) are numbered on from the loaded ones. */
async function continueRowIds(db: Db, table: string, rows: number): Promise<void> {
  await db.exec(`alter table ${quoteTableName(table)} alter column _id restart with ${Math.trunc(rows) + 1}`)
}

interface PgError {
  code?: string
  message: string
  where?: string
}

const TYPE_ERRORS = new Set(['22P02', '22003', '22007', '22008'])

/** The column and value a column's type refused, from PostgreSQL's "COPY t, line 5, column c: "v"". */
function refusedValue(error: unknown, ids: readonly string[]): { column: number; value: string } | null {
  if (!(error instanceof ChunkFailed)) return null
  const cause = error.cause as PgError
  if (!cause.code || !TYPE_ERRORS.has(cause.code) || !cause.where) return null
  for (let i = 0; i < ids.length; i += 1) {
    const marker = `, column ${ids[i]}: "`
    const at = cause.where.indexOf(marker)
    if (at >= 0) {
      const rest = cause.where.slice(at + marker.length)
      return { column: i, value: rest.slice(0, rest.lastIndexOf('"')) }
    }
  }
  return null
}

/** What a refusal from PostgreSQL means to a publisher, with the row of the file it is on. */
function toLoadError(error: unknown): LoadError {
  if (error instanceof LoadError) return error
  if (!(error instanceof ChunkFailed)) return new LoadError('data.datastore.errors.internal', {}, (error as Error).message)
  const cause = error.cause as PgError
  const line = /line (\d+)/.exec(cause.where ?? '')?.[1]
  const row = line ? error.rowsBefore + Number(line) : error.rowsBefore + 1
  const message = cause.message ?? ''
  if (message.startsWith('extra data after last expected column')) return new LoadError('data.datastore.errors.tooManyValues', { row }, message)
  if (message.startsWith('missing data for column')) return new LoadError('data.datastore.errors.tooFewValues', { row }, message)
  if (message.startsWith('unterminated CSV quoted field')) return new LoadError('data.datastore.errors.quotes', { row }, message)
  if (cause.code === '22021') return new LoadError('data.datastore.errors.encoding', { row }, message)
  if (message.includes('carriage return') || message.includes('newline')) return new LoadError('data.datastore.errors.lineEndings', { row }, message)
  return new LoadError('data.datastore.errors.refused', { row }, message)
}
