import { LoginRefused, type Db, type Queryable, type ReaderLogin } from '../../../platform/db/index.ts'
import { ValidationError } from '../../../platform/http/index.ts'
import { aliasesIn } from './aliases.ts'
import { isUuid } from '../../../platform/http/validation.ts'
import { MAX_LIMIT, QUERY_TIMEOUT_MS, queryFailure } from './query.ts'
import { PUBLIC_DATASET } from '../catalog/visibility.ts'

/**
 * datastore_search_sql: a visitor's own SELECT over the datastore's tables. Three walls, each enough
 * on its own for the cases the tests try: PostgreSQL's own parser must see exactly one SELECT that
 * names only live datastore tables and calls only functions on the list below; it then runs as a
 * role that can read nothing but the datastore, in a read-only transaction with a time limit; and
 * the answer stops at MAX_LIMIT rows and MAX_RESPONSE_BYTES.
 */

/** The database role the SQL runs as (migration 0011): it may read the schema "datastore" and no more. */
export const READER_ROLE = 'ashyq_datastore_reader'
const MAX_SQL_LENGTH = 20_000
export const MAX_RESPONSE_BYTES = 20 * 1024 * 1024
// The planner's estimate above which a query is refused before it runs: the embedded database
// (PGlite) has no statement timeout that works (no signals in WebAssembly), so a query that would
// take minutes must not start. A scan and sort of a million rows costs a few hundred thousand.
export const MAX_COST = 1_000_000

// Functions without side effects that cannot read outside the tables named, nor make more data than
// the query's rows and values (no repeat, lpad, generate_series; no format, whose widths pad, nor
// replace, regexp_replace or overlay, which nested grow a value tenfold a step until the server's
// memory gives out): aggregates, window functions, arithmetic, text, dates, JSON. As CKAN keeps its
// allowed_functions list, anything else is refused by name.
const ALLOWED_FUNCTIONS = new Set(`
  count sum avg min max bool_and bool_or every stddev stddev_pop stddev_samp variance var_pop var_samp
  percentile_cont percentile_disc mode corr covar_pop covar_samp regr_slope regr_intercept regr_r2
  string_agg array_agg json_agg jsonb_agg json_object_agg jsonb_object_agg
  row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
  abs ceil ceiling floor round trunc sign sqrt cbrt power pow exp ln log log10 mod div pi radians degrees
  sin cos tan asin acos atan atan2 width_bucket scale
  lower upper initcap length char_length character_length octet_length bit_length substring substr position
  strpos trim btrim ltrim rtrim split_part left right concat concat_ws reverse starts_with translate
  regexp_match regexp_matches regexp_like regexp_count regexp_substr regexp_instr
  to_char to_number to_date to_timestamp md5 normalize unistr
  date_trunc date_part extract age make_date make_time make_timestamp make_interval date_bin justify_days
  justify_hours justify_interval isfinite timezone
  json_build_object jsonb_build_object json_build_array jsonb_build_array to_json to_jsonb
  json_extract_path_text jsonb_extract_path_text json_array_length jsonb_array_length
`.split(/\s+/).filter(Boolean))

type Node = Record<string, unknown>

/** What is wrong with a query, as a translated message about the field "sql". */
function refused(messageKey: string, values: Record<string, string | number> = {}): ValidationError {
  return new ValidationError([{ field: 'sql', messageKey: `data.datastore.sql.${messageKey}`, values }])
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.map((item) => String((item as { String?: { sval?: string } }).String?.sval ?? '')) : []
}

/** The functions ALLOWED_FUNCTIONS lets a query call, by name. */
export function isAllowedFunction(name: string): boolean {
  return ALLOWED_FUNCTIONS.has(name.toLowerCase())
}

/** What a query's syntax tree names: the statement's text, the tables it reads, and its qualified names. */
export interface CheckedSql {
  text: string
  /** Resource ids of the datastore tables it reads. */
  tables: string[]
  /**
   * The last part of every qualified name (t.x): PostgreSQL reads t.x as the call x(t) when the
   * table has no column x, so each must be a column of a table read, or a function on the list.
   */
  qualifiedNames: string[]
}

/**
 * Checks a query's syntax tree: one SELECT (no INTO, no FOR UPDATE, no statement of another kind in
 * a WITH, no WITH RECURSIVE, which makes rows from nothing), tables only by the ids of live datastore
 * tables (or the names of the WITH queries in scope), functions only from ALLOWED_FUNCTIONS, no cast
 * to a catalog type (regclass and its kin look up the catalog: 'public.users'::regclass) nor to a
 * type outside pg_catalog.
 */
export async function checkDatastoreSql(sql: string, aliases: ReadonlyMap<string, string> = new Map()): Promise<CheckedSql> {
  if (sql.trim() === '') throw refused('empty')
  if (sql.length > MAX_SQL_LENGTH) throw refused('tooLong', { max: MAX_SQL_LENGTH })
  // PostgreSQL's own parser (some 30 MB of the server's memory, given to its WebAssembly
  // instance), loaded the first time someone sends SQL.
  const { parse } = await import('libpg-query')
  let tree: { stmts?: Array<{ stmt?: unknown; stmt_location?: number; stmt_len?: number }> }
  try {
    tree = await parse(sql)
  } catch (error) {
    const cause = error as { message?: string; sqlDetails?: { cursorPosition?: number } }
    throw refused('syntax', { detail: String(cause.message ?? error), position: (cause.sqlDetails?.cursorPosition ?? 0) + 1 })
  }
  const statements = tree.stmts ?? []
  if (statements.length !== 1) throw refused('oneStatement')
  const { stmt, stmt_location: start = 0, stmt_len: length = 0 } = statements[0]!
  const statement = (stmt ?? {}) as Node
  if (!('SelectStmt' in statement)) throw refused('notSelect', { kind: Object.keys(statement)[0]?.replace(/Stmt$/, '').toUpperCase() ?? '' })

  const tables = new Set<string>()
  const qualifiedNames = new Set<string>()
  // Tables named by an alias, to be named by their ids in the text.
  const renamed: Array<{ location: number; schema: boolean; id: string }> = []
  const visit = (value: unknown, ctes: ReadonlySet<string>): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, ctes)
      return
    }
    if (!value || typeof value !== 'object') return
    for (const [key, inner] of Object.entries(value as Node)) {
      if (key.endsWith('Stmt') && key !== 'SelectStmt') throw refused('notSelect', { kind: key.replace(/Stmt$/, '').toUpperCase() })
      if (key === 'SelectStmt') {
        const select = inner as Node
        if (select.intoClause) throw refused('into')
        if (select.lockingClause) throw refused('locking')
        // A WITH query's name is a table only inside the SELECT that defines it.
        const withClause = select.withClause as { recursive?: boolean; ctes?: Array<{ CommonTableExpr: { ctename: string } }> } | undefined
        if (withClause?.recursive) throw refused('recursive')
        const inScope = withClause?.ctes ? new Set([...ctes, ...withClause.ctes.map((c) => c.CommonTableExpr.ctename)]) : ctes
        visit(select, inScope)
        continue
      }
      if (key === 'RangeVar') {
        const range = inner as { catalogname?: string; schemaname?: string; relname: string }
        const isCte = !range.schemaname && !range.catalogname && ctes.has(range.relname)
        if (!isCte) {
          const alias = !range.catalogname && (!range.schemaname || range.schemaname === 'datastore') ? aliases.get(range.relname) : undefined
          if (alias) {
            renamed.push({ location: (range as { location?: number }).location ?? -1, schema: Boolean(range.schemaname), id: alias })
            tables.add(alias)
            continue
          }
          if (range.catalogname || (range.schemaname && range.schemaname !== 'datastore') || !isUuid(range.relname)) {
            throw refused('table', { table: [range.catalogname, range.schemaname, range.relname].filter(Boolean).join('.') })
          }
          tables.add(range.relname.toLowerCase())
        }
        continue
      }
      if (key === 'typeName') {
        const type = names((inner as { names?: unknown }).names)
        const [schema, name] = type.length > 1 ? [type.slice(0, -1).join('.'), type.at(-1)!] : [null, type[0] ?? '']
        if ((schema !== null && schema !== 'pg_catalog') || /^reg/i.test(name)) throw refused('cast', { type: type.join('.') })
        continue
      }
      if (key === 'A_Indirection') {
        for (const part of names((inner as { indirection?: unknown }).indirection).filter(Boolean)) qualifiedNames.add(part)
        visit((inner as { arg?: unknown }).arg, ctes)
        continue
      }
      if (key === 'ColumnRef') {
        const parts = names((inner as { fields?: unknown }).fields).filter(Boolean)
        if (parts.length > 1) qualifiedNames.add(parts.at(-1)!)
        continue
      }
      if (key === 'FuncCall') {
        const call = inner as Node
        const [schema, name] = ((qualified) => (qualified.length > 1 ? [qualified.slice(0, -1).join('.'), qualified.at(-1)!] : [null, qualified[0] ?? '']))(names(call.funcname))
        if ((schema !== null && schema !== 'pg_catalog') || !ALLOWED_FUNCTIONS.has(name.toLowerCase())) {
          throw refused('function', { name: schema ? `${schema}.${name}` : name })
        }
      }
      visit(inner, ctes)
    }
  }
  visit(statement, new Set())
  // The statement alone, without a trailing semicolon or comment, to be wrapped in a subquery.
  // (Offsets count bytes, as the parser reads UTF-8.)
  const bytes = Buffer.from(sql, 'utf8')
  if (renamed.length > 0) {
    // The aliases written as the ids they name, and the statement checked again as it will run.
    const rewritten = withIds(bytes, renamed)
    if (rewritten === null) throw refused('syntax', { detail: 'alias', position: 1 })
    return checkDatastoreSql(rewritten)
  }
  const text = bytes.subarray(start, length > 0 ? start + length : undefined).toString('utf8')
  return { text, tables: [...tables], qualifiedNames: [...qualifiedNames] }
}

/**
 * The statement with each table named by an alias named by its resource id instead: at each
 * location the parser gives, an optional `datastore.` then the alias, bare or quoted. Null when the
 * text there is not what the parser read (nothing is guessed).
 */
function withIds(bytes: Buffer, renamed: ReadonlyArray<{ location: number; schema: boolean; id: string }>): string | null {
  let text = bytes
  for (const { location, schema, id } of [...renamed].sort((a, b) => b.location - a.location)) {
    if (location < 0) return null
    const rest = text.subarray(location).toString('utf8')
    const name = /^(?:(?:"datastore"|datastore)\s*\.\s*)?("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)/.exec(rest)
    if (!name || (schema && !/^(?:"datastore"|datastore)\s*\./.test(rest))) return null
    const replaced = Buffer.from(`${name[0].slice(0, name[0].length - name[1]!.length)}"${id}"`, 'utf8')
    text = Buffer.concat([text.subarray(0, location), replaced, text.subarray(location + Buffer.byteLength(name[0], 'utf8'))])
  }
  return text.toString('utf8')
}

export interface SqlResult {
  fields: Array<{ id: string; type: string }>
  records: Array<Record<string, unknown>>
  /** More rows (or bytes) than an answer carries: the records stop short. */
  truncated: boolean
  /** The datasets whose tables the query read. */
  datasetIds: string[]
}

/** How the public's queries reach the database: as READER_ROLE, on a pool of two connections of its own. */
export const SQL_LOGIN: ReaderLogin = {
  role: READER_ROLE,
  connections: 2,
  settings: {
    statement_timeout: String(QUERY_TIMEOUT_MS),
    DateStyle: 'ISO,DMY',
    search_path: 'datastore',
    // A sort or hash past this spills to disk (temp_file_limit, set on the role, bounds that) rather
    // than growing the server's memory; and one query keeps to one core.
    work_mem: '8MB',
    max_parallel_workers_per_gather: '0',
  },
}

/**
 * Runs a checked query as READER_ROLE: read-only, with a time limit, every table it names live.
 * Rows come back as PostgreSQL's JSON of them, so both databases give the same values. `enabled`
 * is the site's setting (off by default on the embedded database: see Config.datastoreSql).
 */
export async function runDatastoreSql(db: Db, sql: string, options: { enabled: boolean } = { enabled: true }): Promise<SqlResult> {
  if (!options.enabled) throw refused(db.kind === 'pglite' ? 'embedded' : 'off')
  const { text, tables, qualifiedNames } = await checkDatastoreSql(sql, await aliasesIn(db, sql))
  const live = new Map((await db.query<{ id: string; datasetId: string }>(
    `select s.resource_id::text as id, r.dataset_id as "datasetId" from data_datastore s join data_resources r on r.id = s.resource_id join datasets d on d.id = r.dataset_id
     where s.resource_id = any($1::uuid[]) and s.active and r.state = 'active' and ${PUBLIC_DATASET}`,
    [tables],
  )).map((row) => [row.id, row.datasetId]))
  const missing = tables.find((id) => !live.has(id))
  if (missing) throw refused('table', { table: missing })
  await refuseFunctionNotation(db, tables, qualifiedNames)

  try {
    return await db.readAs(SQL_LOGIN, async (tx) => {
      const [plan] = await tx.query<{ 'QUERY PLAN': unknown }>(`explain (format json) select * from (${text}\n) q limit ${MAX_LIMIT + 1}`)
      const cost = Number((planOf(plan?.['QUERY PLAN']) as { Plan?: { 'Total Cost'?: number } } | undefined)?.Plan?.['Total Cost'] ?? 0)
      if (cost > MAX_COST) throw refused('tooHeavy', { cost: Math.round(cost), max: MAX_COST })
      const columns = await tx.describe(`select * from (${text}\n) q limit 0`)
      const typeNames = await typeNamesOf(tx, columns.map((c) => c.typeId))
      // Numbered before the cap, so the rows keep the query's own order; bytes summed to stop early.
      // The first row always comes, its text left out when too long, to tell how many rows there were.
      const rows = await tx.query<{ r: string | null; produced: number | string }>(
        `select case when bytes <= ${MAX_RESPONSE_BYTES} then r end as r, produced from (
           select r, n, sum(octet_length(r)) over (order by n) as bytes, count(*) over () as produced
           from (select row_to_json(q)::text as r, row_number() over () as n from (${text}\n) q limit ${MAX_LIMIT + 1}) a
         ) b where bytes <= ${MAX_RESPONSE_BYTES} or n = 1 order by n`,
      )
      const records = rows.slice(0, MAX_LIMIT).flatMap((row) => (row.r === null ? [] : [row.r])).map((r) => {
        const values = JSON.parse(r) as Record<string, unknown>
        return Object.fromEntries(columns.map((c) => [c.name, values[c.name] ?? null]))
      })
      return {
        fields: columns.map((c) => ({ id: c.name, type: typeNames.get(c.typeId) ?? 'text' })),
        records,
        truncated: Number(rows[0]?.produced ?? 0) > records.length,
        datasetIds: [...new Set(live.values())],
      }
    })
  } catch (error) {
    if (error instanceof LoginRefused) throw refused('unavailable')
    throw queryFailure(error, 'sql')
  }
}

/**
 * Refuses t.f and (t).f where f is no column of the tables read but a function off the list, which
 * PostgreSQL would call on the row: "select t.pg_column_size from …" passes no FuncCall by the checks.
 */
async function refuseFunctionNotation(db: Db, tables: string[], qualifiedNames: string[]): Promise<void> {
  const suspects = qualifiedNames.filter((name) => !isAllowedFunction(name))
  if (suspects.length === 0) return
  const [found] = await db.query<{ name: string | null }>(
    `select min(p.proname) as name from pg_proc p where p.proname = any($1::text[]) and not exists (
       select from pg_attribute a where a.attrelid = any(select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'datastore' and c.relname = any($2::text[])) and a.attname = p.proname and a.attnum > 0 and not a.attisdropped)`,
    [suspects, tables],
  )
  if (found?.name) throw refused('function', { name: found.name })
}

// EXPLAIN's JSON comes parsed (json column) or as text, as the driver gives it.
function planOf(value: unknown): unknown {
  const parsed = typeof value === 'string' ? JSON.parse(value) as unknown : value
  return Array.isArray(parsed) ? parsed[0] : parsed
}

async function typeNamesOf(tx: Queryable, ids: number[]): Promise<Map<number, string>> {
  const rows = await tx.query<{ oid: number; typname: string }>('select oid::int as oid, typname from pg_type where oid = any($1::oid[])', [ids])
  return new Map(rows.map((row) => [Number(row.oid), row.typname]))
}
