import { parameters, type Bind } from '../../../platform/db/parameters.ts'
import type { Db, Queryable, SqlValue } from '../../../platform/db/index.ts'
import { quoteIdentifier } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/index.ts'
import { isUuid } from '../../../platform/http/validation.ts'
import { SQL_TYPES, isNumericType, isStructuredType, typesOf, type ColumnType } from './detect.ts'
import { parse as parseArray } from 'postgres-array'
import { liveTable, type DatastoreField } from './ingest.ts'
import { PUBLIC_DATASET } from '../catalog/visibility.ts'

/** A resource's live datastore table: its columns and rows, and how its latest load went. */
export interface DatastoreTable {
  resourceId: string
  datasetId: string
  fields: DatastoreField[]
  rowCount: number
  loadedAt: string | null
  /** The chart the publisher chose to show first, as saved (it may no longer fit the columns). */
  defaultChart: { type: string; x: string; y: string[]; agg: string } | null
  /** Grows with every change to the record (migration 0014): a remembered dictionary is checked by it. */
  version: number
}

/** Every live table has this column: the row's number in the file, for stable order and paging. */
export const ROW_ID: DatastoreField = { id: '_id', type: 'integer', title: {}, description: {} }

/** The live table of an active resource; NotFound when the resource has none (yet). */
export async function findDatastoreTable(db: Queryable, resourceId: string): Promise<DatastoreTable> {
  if (!isUuid(resourceId)) throw new NotFound('datastore', resourceId)
  const [row] = await db.query<DatastoreTable & { rowCount: string | number; loadedAt: Date | null; version: string | number }>(
    `select s.resource_id as "resourceId", r.dataset_id as "datasetId", s.fields, s.row_count as "rowCount", s.loaded_at as "loadedAt",
       s.default_chart as "defaultChart", s.version
     ${LIVE_RECORD}`,
    [resourceId],
  )
  if (!row) throw new NotFound('datastore', resourceId)
  return { ...row, rowCount: Number(row.rowCount), loadedAt: row.loadedAt ? new Date(row.loadedAt).toISOString() : null, version: Number(row.version) }
}

// The datastore record of an active resource of an active dataset ($1: the resource's id).
const LIVE_RECORD = `from data_datastore s join data_resources r on r.id = s.resource_id join datasets d on d.id = r.dataset_id
     where s.resource_id = $1 and s.active and r.state = 'active' and ${PUBLIC_DATASET}`

// Dictionaries of tables recently searched, per database: datastore_search reads them from here
// instead of asking the database first (a round trip per request), and checks them as it reads.
const remembered = new WeakMap<Db, Map<string, DatastoreTable>>()
const REMEMBERED_TABLES = 1_000

/**
 * datastore_search's rows: like queryDatastore after findDatastoreTable, but with the table's
 * dictionary from memory when it was read before. The rows' statement itself checks that the
 * dictionary is still current (its version, and that the resource and dataset are still active):
 * when it is not, the statement gives no rows, and an empty answer (or an error) is asked again
 * with the dictionary read afresh. So a change made by another process is never missed.
 */
export async function searchDatastore(db: Db, resourceId: string, query: DatastoreQuery): Promise<{ table: DatastoreTable; result: DatastoreResult }> {
  let tables = remembered.get(db)
  if (!tables) remembered.set(db, (tables = new Map()))
  const known = tables.get(resourceId)
  let answer: { result: DatastoreResult } | { error: unknown } | null = null
  if (known) {
    try {
      answer = { result: await queryDatastore(db, known, query, { checkVersion: true }) }
    } catch (error) {
      answer = { error }
    }
    if ('result' in answer && answer.result.rows.length > 0) return { table: known, result: answer.result }
    // Forgotten first: a table that is gone (NotFound below) is not remembered.
    tables.delete(resourceId)
  }
  const table = await findDatastoreTable(db, resourceId)
  if (tables.size >= REMEMBERED_TABLES) tables.delete(tables.keys().next().value!)
  tables.set(resourceId, table)
  // The remembered dictionary was current after all: its empty answer (or its error) stands.
  if (answer && known!.version === table.version) {
    if ('error' in answer) throw answer.error
    return { table, result: answer.result }
  }
  return { table, result: await queryDatastore(db, table, query) }
}

/**
 * Totals of filtered searches, per database, by table, conditions and the table version they
 * counted; at most REMEMBERED_TOTALS_BYTES of keys, the oldest forgotten first.
 */
const rememberedTotals = new (class {
  private readonly byDb = new WeakMap<Db, { totals: Map<string, { version: number; total: number }>; bytes: number }>()

  get(db: Db, key: string): { version: number; total: number } | undefined {
    return this.byDb.get(db)?.totals.get(key)
  }

  set(db: Db, key: string, value: { version: number; total: number }): void {
    let held = this.byDb.get(db)
    if (!held) this.byDb.set(db, (held = { totals: new Map(), bytes: 0 }))
    if (held.totals.delete(key)) held.bytes -= key.length
    held.totals.set(key, value)
    held.bytes += key.length
    for (const oldest of held.totals.keys()) {
      if (held.bytes <= REMEMBERED_TOTALS_BYTES) break
      held.totals.delete(oldest)
      held.bytes -= oldest.length
    }
  }
})()
const REMEMBERED_TOTALS_BYTES = 4 * 1024 * 1024

export type FilterValue = string | number | boolean | null
export interface DatastoreQuery {
  /** Column = value (or = any of a list of values). */
  filters?: Record<string, FilterValue | FilterValue[]>
  /** Words every row must contain (prefixes count), in any column or in the named ones. */
  q?: string | Record<string, string>
  /** The columns to return, in this order; all by default. */
  fields?: string[]
  /** "column [asc|desc], …"; by row number by default. */
  sort?: string
  limit?: number
  offset?: number
  distinct?: boolean
  includeTotal?: boolean
  /**
   * CKAN's total_estimation_threshold: when the planner expects at least this many matching rows,
   * the total is its estimate (totalWasEstimated) rather than a count of every one. A table's whole
   * row count is known, so only filtered searches are estimated.
   */
  totalEstimationThreshold?: number | null
  /** false: q is PostgreSQL's tsquery syntax ("a & !b", "a | b:*") instead of plain words. */
  plain?: boolean
}

/** The rank column q adds, as CKAN names it: "rank", or "rank <column>" for words in one column. */
export function rankColumn(column: string): string {
  return column === '' ? 'rank' : `rank ${column}`
}

export interface DatastoreResult {
  fields: DatastoreField[]
  /** Values as JSON gives them: numbers, booleans, ISO dates ("2024-05-01", "2024-05-01T10:00:00"), text, null. */
  rows: Array<Array<string | number | boolean | null>>
  total?: number
  /** The total is the planner's estimate (totalEstimationThreshold), not a count. */
  totalWasEstimated?: boolean
}

export const MAX_LIMIT = 32_000
const MAX_OFFSET = 10_000_000
export const QUERY_TIMEOUT_MS = 10_000

function columnsById(table: DatastoreTable): Map<string, DatastoreField> {
  return new Map([ROW_ID, ...table.fields].map((f) => [f.id, f]))
}

/** Splits "a desc, "b, c" asc" into columns and directions; every column must exist. */
export function parseSort(sort: string, columns: Map<string, DatastoreField>): Array<{ field: DatastoreField; descending: boolean }> {
  // A column with a comma or spaces in its name is written in double quotes, as in SQL.
  const parts = sort.match(/(?:"(?:[^"]|"")*"|[^,"])+/g) ?? []
  return parts.filter((part) => part.trim() !== '').map((part) => {
    const match = /^\s*("(?:[^"]|"")*"|.+?)(?:\s+(asc|desc))?\s*$/is.exec(part)
    const raw = match?.[1] ?? part
    const name = raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw.trim()
    const field = columns.get(name)
    if (!field) throw new ValidationError([{ field: 'sort', messageKey: 'data.datastore.query.unknownColumn', values: { column: name } }])
    return { field, descending: match?.[2]?.toLowerCase() === 'desc' }
  })
}

/** The words of a full-text query as a tsquery every word of which may be a prefix. */
function prefixQuery(text: string): string | null {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 20)
  return words.length > 0 ? words.map((w) => `'${w}':*`).join(' & ') : null
}

/**
 * A value as the database writes it (its text output, with the ISO date style readOnly sets) as the
 * API gives it: both databases write the same text, so they answer alike.
 */
export function typedValue(type: ColumnType, text: string | null): string | number | boolean | null {
  if (text === null) return null
  switch (type) {
    case 'integer': {
      const n = Number(text)
      return Number.isSafeInteger(n) ? n : text
    }
    case 'decimal': return Number(text)
    case 'boolean': return text === 't'
    // "2024-05-01 10:00:00.5" → "2024-05-01T10:00:00.5" (the fraction is written without its trailing zeros).
    case 'timestamp': return text.replace(' ', 'T')
    default: return text
  }
}

/**
 * The rows of a datastore table a query asks for. Column names are checked against the table's
 * dictionary and quoted; values are bound as parameters. The query runs in a read-only transaction
 * with a time limit, so a heavy query ends instead of holding the database.
 */
export async function queryDatastore(db: Db, table: DatastoreTable, query: DatastoreQuery, options: { checkVersion?: boolean } = {}): Promise<DatastoreResult> {
  const columns = columnsById(table)
  const problems: FieldError[] = []
  const { params, bind } = parameters()

  const { where, ranks } = rowSearch(table, columns, query, bind, problems)
  // The rank of each full-text query comes with the rows (unless fields leave it out) and, without
  // a sort, orders them best first, as in CKAN.
  const rankFields = query.distinct ? [] : ranks.filter((r) => !query.fields?.length || query.fields.includes(r.name))
  for (const rank of rankFields) {
    const index = query.fields?.indexOf(rank.name) ?? -1
    if (index >= 0) query = { ...query, fields: query.fields!.filter((f) => f !== rank.name) }
  }

  // A column named twice comes once (a table has at most 1,600, a select list 1,664 entries).
  const selected = [...new Set(query.fields && query.fields.length > 0 ? query.fields : [ROW_ID.id, ...table.fields.map((f) => f.id)])].map((id) => {
    const field = columns.get(id)
    if (!field) problems.push({ field: 'fields', messageKey: 'data.datastore.query.unknownColumn', values: { column: id } })
    return field
  }).filter((f): f is DatastoreField => f !== undefined)

  let order: Array<{ field: DatastoreField; descending: boolean }> = []
  try {
    order = query.sort ? parseSort(query.sort, columns) : []
  } catch (error) {
    if (error instanceof ValidationError) problems.push(...error.fields)
    else throw error
  }
  if (query.distinct && order.some((o) => !selected.includes(o.field))) {
    problems.push({ field: 'sort', messageKey: 'data.datastore.query.distinctSort' })
  }
  const limit = query.limit ?? 100
  const offset = query.offset ?? 0
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) problems.push({ field: 'limit', messageKey: 'data.datastore.query.limit', values: { max: MAX_LIMIT } })
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) problems.push({ field: 'offset', messageKey: 'data.datastore.query.offset', values: { max: MAX_OFFSET } })
  if (problems.length > 0) throw new ValidationError(problems)

  // Rows keep the file's order unless asked otherwise; ties in a sort keep it too.
  const rankOrder = !query.sort && rankFields.length > 0 ? `${rankFields[0]!.sql} desc, ` : ''
  if (!query.distinct && !order.some((o) => o.field === ROW_ID)) order.push({ field: ROW_ID, descending: false })
  const from = liveTable(table.resourceId)
  // A remembered dictionary: no rows unless it is still the table's (see searchDatastore). The
  // version alone says so (migration 0015 moves it on when the resource or dataset is deleted): one
  // row by its key, where the joins of LIVE_RECORD cost a fifth of the search's database time.
  const countParams = [...params]
  const current = options.checkVersion
    ? [`(select version from data_datastore where resource_id = ${bind(table.resourceId)} and active) = ${bind(table.version)}`]
    : []
  const whereSql = where.length + current.length > 0 ? ` where ${[...current, ...where].join(' and ')}` : ''
  // The count goes without the check (a filter node in every count, a fifth of its time): rows
  // from a stale dictionary come back empty and the whole search is asked again, count and all.
  const countWhereSql = where.length > 0 ? ` where ${where.join(' and ')}` : ''
  // PostgreSQL's own null order (last going up, first going down), so a column's index serves both ways.
  const orderSql = order.length > 0 ? ` order by ${rankOrder}${order.map((o) => `${quoteIdentifier(o.field.id)} ${o.descending ? 'desc' : 'asc'}`).join(', ')}` : ''
  // The columns as they are: the database's text output is read as it comes (queryText, typedValue).
  const projection = selected.map((f) => quoteIdentifier(f.id)).join(', ')
  const rows = [projection, ...rankFields.map((r) => `${r.sql} as ${quoteIdentifier(r.name)}`)].filter(Boolean).join(', ')
  const sql = query.distinct
    ? `select ${projection} from (select distinct ${projection} from ${from}${whereSql}) t${orderSql} limit ${limit} offset ${offset}`
    : `select ${rows} from ${from}${whereSql}${orderSql} limit ${limit} offset ${offset}`

  // The count says which version of the table it counted (in its own snapshot), to be remembered by.
  const versionOf = `(select version from data_datastore where resource_id = $${countParams.length + 1})`
  const counted = query.includeTotal === false || (where.length === 0 && !query.distinct) ? null
    : query.distinct ? `select count(*) as n, ${versionOf} as version from (select distinct ${projection} from ${from}${countWhereSql}) t`
    : `select count(*) as n, ${versionOf} as version from ${from}${countWhereSql}`
  const threshold = query.totalEstimationThreshold
  const estimating = counted !== null && threshold !== undefined && threshold !== null && !query.distinct
  return readOnly(db, async (tx) => {
    // The count, or the planner's estimate when it expects at least the asker's threshold.
    const totalOf = async (countSql: string): Promise<{ total: number; estimated: boolean }> => {
      if (estimating) {
        const estimate = await estimatedRows(tx, `select 1 from ${from}${countWhereSql}`, countParams)
        if (estimate >= threshold!) return { total: estimate, estimated: true }
      }
      const key = `${table.resourceId}\n${countSql}\n${JSON.stringify(countParams)}`
      // A total counted before under the version the rows' statement checks (checkVersion): the
      // rows come back only while that version is still the table's (else the search is asked
      // again with the dictionary read afresh, and counted), and every change to a table's rows
      // moves its version in the same transaction (migration 0014). Paging through a search counts
      // its rows once.
      const known = options.checkVersion ? rememberedTotals.get(db, key) : undefined
      if (known && known.version === table.version) return { total: known.total, estimated: false }
      const [row] = await tx.query<{ n: string | number; version: string | number | null }>(countSql, [...countParams, table.resourceId])
      const total = Number(row?.n ?? 0)
      if (row?.version !== null && row?.version !== undefined) rememberedTotals.set(db, key, { version: Number(row.version), total })
      return { total, estimated: false }
    }
    // The rows and their total at once (on a server, on two connections).
    const [raw, counting] = await Promise.all([tx.queryText(sql, params), counted ? totalOf(counted) : Promise.resolve(null)])
    const fields = [...selected, ...rankFields.map((r): DatastoreField => ({ id: r.name, type: 'decimal', title: {}, description: {} }))]
    const types = fields.map((f) => f.type)
    const rows = raw as Array<Array<string | number | boolean | null>>
    for (const row of rows) {
      for (let i = 0; i < types.length; i += 1) row[i] = typedValue(types[i]!, row[i] as string | null)
    }
    const total = query.includeTotal === false ? undefined : counting ? counting.total : table.rowCount
    return { fields, rows, total, totalWasEstimated: counting?.estimated ?? false }
  // Every statement is sent at once, but for the count that waits for the planner's estimate.
  }, { atOnce: !estimating })
}


/** How many rows the planner expects a statement to give (EXPLAIN's estimate, nothing run). */
async function estimatedRows(tx: Queryable, sql: string, params: SqlValue[]): Promise<number> {
  const [row] = await tx.query<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> | string }>(`explain (format json) ${sql}`, params)
  const plan = row?.['QUERY PLAN']
  const parsed = typeof plan === 'string' ? JSON.parse(plan) as Array<{ Plan: { 'Plan Rows': number } }> : plan
  return Math.round(parsed?.[0]?.Plan['Plan Rows'] ?? 0)
}

/** The conditions of a query's filters and words, values bound; problems collects what is wrong. */
function rowConditions(table: DatastoreTable, columns: Map<string, DatastoreField>, query: Pick<DatastoreQuery, 'filters' | 'q' | 'plain'>, bind: Bind, problems: FieldError[]): string[] {
  return rowSearch(table, columns, query, bind, problems).where
}

/** rowConditions, and each full-text query's rank (ts_rank of the row), as CKAN gives them. */
function rowSearch(table: DatastoreTable, columns: Map<string, DatastoreField>, query: Pick<DatastoreQuery, 'filters' | 'q' | 'plain'>, bind: Bind, problems: FieldError[]):
  { where: string[]; ranks: Array<{ name: string; sql: string }> } {
  const where = filterConditions(columns, query.filters ?? {}, bind, problems)
  const ranks: Array<{ name: string; sql: string }> = []

  const q = typeof query.q === 'string' ? { '': query.q } : (query.q ?? {})
  for (const [id, text] of Object.entries(q)) {
    // plain: false hands the text to to_tsquery as it is: its own syntax (&, |, !, :*), its errors the asker's.
    const tsquery = query.plain === false ? (text.trim() || null) : prefixQuery(text)
    if (!tsquery) continue
    const searched = id === '' ? table.fields : [columns.get(id)]
    if (searched.some((f) => f === undefined)) {
      problems.push({ field: `q.${id}`, messageKey: 'data.datastore.query.unknownColumn', values: { column: id } })
      continue
    }
    const document = (searched as DatastoreField[]).map((f) => `coalesce(${quoteIdentifier(f.id)}::text, '')`).join(` || ' ' || `)
    const bound = bind(tsquery)
    where.push(`to_tsvector('simple', ${document}) @@ to_tsquery('simple', ${bound})`)
    ranks.push({ name: rankColumn(id), sql: `ts_rank(to_tsvector('simple', ${document}), to_tsquery('simple', ${bound}))` })
  }

  return { where, ranks }
}

export interface Aggregate {
  /** The values of this column, one row per distinct value, in the column's order. */
  groupBy: string
  measures: Array<{ column: string; fn: 'sum' | 'avg' | 'min' | 'max' | 'count' }>
  limit: number
}

/**
 * The rows matching a query's filters and words, grouped by one column, with aggregates of others
 * (what a chart draws). Groups come in the column's order; `more` says there were more than limit.
 */
export async function aggregateDatastore(db: Db, table: DatastoreTable, query: Pick<DatastoreQuery, 'filters' | 'q'>, aggregate: Aggregate):
  Promise<{ groups: Array<{ key: string | number | boolean | null; values: Array<number | null> }>; more: boolean }> {
  const columns = columnsById(table)
  const problems: FieldError[] = []
  const { params, bind } = parameters()
  const where = rowConditions(table, columns, query, bind, problems)
  const group = columns.get(aggregate.groupBy)
  if (!group) problems.push({ field: 'x', messageKey: 'data.datastore.query.unknownColumn', values: { column: aggregate.groupBy } })
  const measures = aggregate.measures.map((m) => {
    const field = columns.get(m.column)
    if (!field) problems.push({ field: 'y', messageKey: 'data.datastore.query.unknownColumn', values: { column: m.column } })
    else if (m.fn !== 'count' && !isNumericType(field.type)) problems.push({ field: 'y', messageKey: 'data.datastore.chart.notNumber', values: { column: m.column } })
    return `${m.fn}(${m.fn === 'count' ? '*' : quoteIdentifier(m.column)})::float8`
  })
  if (problems.length > 0) throw new ValidationError(problems)
  const key = quoteIdentifier(group!.id)
  const sql = `select ${key}, ${measures.join(', ')} from ${liveTable(table.resourceId)}
    ${where.length > 0 ? `where ${where.join(' and ')}` : ''} group by ${key} order by ${key} limit ${aggregate.limit + 1}`
  return readOnly(db, async (tx) => {
    const rows = await tx.queryText(sql, params)
    return {
      groups: rows.slice(0, aggregate.limit).map(([k, ...values]) => ({
        key: typedValue(group!.type, k ?? null),
        values: values.map((value) => (value === null || value === undefined ? null : Number(value))),
      })),
      more: rows.length > aggregate.limit,
    }
  }, { atOnce: true })
}

/** column = value conditions for filters, their values bound; unknown columns and misfit values go to problems. */
function filterConditions(columns: Map<string, DatastoreField>, filters: Record<string, FilterValue | FilterValue[]>, bind: Bind, problems: FieldError[]): string[] {
  const where: string[] = []
  for (const [id, value] of Object.entries(filters)) {
    const field = columns.get(id)
    if (!field) {
      problems.push({ field: `filters.${id}`, messageKey: 'data.datastore.query.unknownColumn', values: { column: id } })
      continue
    }
    const values = Array.isArray(value) ? value : [value]
    if (isStructuredType(field.type)) {
      problems.push({ field: `filters.${id}`, messageKey: 'data.datastore.query.structuredFilter', values: { column: id } })
      continue
    }
    const wrong = values.find((v) => v !== null && !typesOf(String(v)).has(field.type))
    if (wrong !== undefined) {
      problems.push({ field: `filters.${id}`, messageKey: `data.datastore.query.notA.${field.type}`, values: { value: String(wrong) } })
      continue
    }
    const column = quoteIdentifier(field.id)
    const given = values.filter((v) => v !== null).map(String)
    const tests: string[] = []
    if (given.length > 0) tests.push(`${column} = any(${bind(given)}::${sqlArrayType(field.type)})`)
    if (values.some((v) => v === null)) tests.push(`${column} is null`)
    if (tests.length > 0) where.push(`(${tests.join(' or ')})`)
  }
  return where
}

/** " where …" for filters on a table's columns, with its parameters (datastore_delete). */
export function whereClause(fields: readonly DatastoreField[], filters: Record<string, FilterValue | FilterValue[]>): { sql: string; params: SqlValue[] } {
  const { params, bind } = parameters()
  const problems: FieldError[] = []
  const where = filterConditions(new Map([ROW_ID, ...fields].map((f) => [f.id, f])), filters, bind, problems)
  if (problems.length > 0) throw new ValidationError(problems)
  return { sql: where.length > 0 ? ` where ${where.join(' and ')}` : '', params }
}

function sqlArrayType(type: ColumnType): string {
  return `${SQL_TYPES[type]}[]`
}

/**
 * A value as the API gives it: JSON columns as their JSON, lists as arrays (of numbers for number
 * lists); others as typedValue made them. Pages and CSV show JSON and lists as the database writes them.
 */
export function apiValue(type: ColumnType, value: string | number | boolean | null): unknown {
  if (value === null || typeof value !== 'string' || !isStructuredType(type)) return value
  if (type === 'json') return JSON.parse(value) as unknown
  const items = parseArray(value)
  const convert = (item: unknown): unknown => Array.isArray(item) ? item.map(convert) : item === null ? null
    : type === 'text-list' ? item : typedValue(type === 'integer-list' ? 'integer' : 'decimal', String(item))
  return items.map(convert)
}

/**
 * Runs fn in a transaction that cannot write and ends after QUERY_TIMEOUT_MS: what the public asks
 * of the datastore never changes it and never holds the database for long. A query that runs out of
 * time, or that the database refuses, is the asker's error about `field`.
 */
export async function readOnly<T>(db: Db, fn: (tx: Queryable) => Promise<T>, options: { field?: string; atOnce?: boolean } = {}): Promise<T> {
  // No writes, a time limit, and day-first dates in filters ("01.02.2024") as in the files.
  try {
    return await db.readOnly({ statement_timeout: String(QUERY_TIMEOUT_MS), DateStyle: 'ISO,DMY' }, fn, { atOnce: options.atOnce })
  } catch (error) {
    throw queryFailure(error, options.field ?? 'q')
  }
}

// SQLSTATE classes a query's author causes: data exceptions, cardinality, syntax or access (42),
// features not supported; 57014 is the statement timeout.
const ASKERS_ERRORS = /^(21|22|42|0A|2F|38|39)/

/** A database error turned into what the asker is told, or the error itself when it is the site's. */
export function queryFailure(error: unknown, field: string): unknown {
  const code = (error as { code?: unknown }).code
  if (typeof code !== 'string') return error
  if (code === '57014') return new ValidationError([{ field, messageKey: 'data.datastore.query.timeout', values: { seconds: QUERY_TIMEOUT_MS / 1000 } }])
  if (code === '42501') return new ValidationError([{ field, messageKey: 'data.datastore.query.denied' }])
  if (ASKERS_ERRORS.test(code)) return new ValidationError([{ field, messageKey: 'data.datastore.query.failed', values: { detail: String((error as Error).message) } }])
  return error
}
