/** A value bound to a SQL parameter. */
export type SqlValue = string | number | boolean | null | Date | bigint | Uint8Array | SqlValue[] | { [key: string]: unknown }

/** What runs SQL: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one statement with bound parameters and returns its rows. */
  query<T = Record<string, unknown>>(text: string, params?: readonly SqlValue[]): Promise<T[]>
  /**
   * Runs one statement and returns its rows as lists of the values as the database writes them
   * (its text output, unparsed): for rows passed on as they are, without building an object each.
   */
  queryText(text: string, params?: readonly SqlValue[]): Promise<Array<Array<string | null>>>
  /** The columns (name and type's oid) a query's rows would have. */
  describe(text: string, params?: readonly SqlValue[]): Promise<Array<{ name: string; typeId: number }>>
  /** Runs a script of several statements, without parameters (migrations). */
  exec(text: string): Promise<void>
}

/** The one interface every module uses, whether PGlite or a PostgreSQL server is behind it. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** Runs fn in a transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /**
   * Runs fn's statements so that none can write, with the given settings (statement_timeout,
   * DateStyle, …): on a server, on connections of their own opened read-only with those settings
   * (each statement a round trip of its own, no BEGIN/COMMIT); embedded, in a read-only transaction.
   * `atOnce`: fn sends every statement before it first waits, so the transaction's end is sent on
   * their heels and the engine does not wait for this thread between them (a statement sent later
   * is refused).
   */
  readOnly<T>(settings: Readonly<Record<string, string>>, fn: (q: Queryable) => Promise<T>, options?: { atOnce?: boolean }): Promise<T>
  /**
   * Runs fn's statements as `login.role`, read-only, with the given settings. On a server, on a pool
   * of at most `login.connections` connections of its own that log in as that role (a role with no
   * membership in another cannot become any other, whatever its statements do); the main pool is
   * never used, so what runs here cannot hold the site's own connections. Embedded (PGlite has one
   * user, a superuser), in a read-only transaction switched to the role with SET ROLE. Throws
   * LoginRefused when the server does not let the role in.
   */
  readAs<T>(login: ReaderLogin, fn: (q: Queryable) => Promise<T>): Promise<T>
  /**
   * Bulk-loads CSV (UTF-8, no header) into table's columns with COPY; returns the row count. The CSV
   * may come in parts, one after another (the buffers a file was read in), so it is not joined first.
   */
  copyFrom(table: string, columns: readonly string[], csv: CopySource, options?: CopyOptions): Promise<number>
  /**
   * Calls onNotice whenever `notify <channel>` (or pg_notify) is committed, by this process or any
   * other on the same database; resolves, once listening, to the function that stops it. A
   * notification sent inside a transaction arrives when, and only if, it commits.
   */
  listen(channel: string, onNotice: () => void): Promise<() => Promise<void>>
  close(): Promise<void>
  /**
   * The same database for work no reader waits on (jobs: loads, indexes, harvests). Embedded, where
   * one engine runs one statement at a time, each of its statements waits until the site's requests
   * have run none for a moment (at most a second): a load's long statements then come between a
   * page's statements instead of before each of them. On a server, where each connection is a
   * process of its own, it is the database itself.
   */
  background(): Db
  /** The pool's connections: open, idle, and requests waiting for one (on a server; the embedded database has no pool). */
  poolUse?(): { total: number; idle: number; waiting: number }
}

/** A role of the database that reads for the public, and how its connections are set up. */
export interface ReaderLogin {
  role: string
  /** The most connections its pool opens (on a server). */
  connections: number
  settings: Readonly<Record<string, string>>
}

/** The server refused a reader role's login (no such role, no LOGIN, a wrong password). */
export class LoginRefused extends Error {
  constructor(
    readonly role: string,
    readonly reason: string,
  ) {
    super(`The database refused the login of role ${role}: ${reason}`)
    this.name = 'LoginRefused'
  }
}

/** Quotes an identifier that must be dynamic (a table or column name), the one place this is done. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Quotes a possibly schema-qualified table name ("schema.table"). */
export function quoteTableName(name: string): string {
  return name.split('.').map(quoteIdentifier).join('.')
}

/** The CSV copyFrom loads: whole, or in parts one after another. */
export type CopySource = string | Uint8Array | readonly Uint8Array[]

/** The parts of the CSV copyFrom loads, in order. */
export function copyParts(csv: CopySource): ReadonlyArray<string | Uint8Array> {
  return typeof csv === 'string' || csv instanceof Uint8Array ? [csv] : csv
}

/** How the CSV given to copyFrom is written. */
export interface CopyOptions {
  /** One character: ',' (the default), ';', tab or '|'. */
  delimiter?: string
  /** Quoted empty values ("") become NULL too, not only unquoted ones (typed columns need it). */
  emptyIsNull?: boolean
  /** Dates written day first ("01.02.2024" is the 1st of February), as they are in Kazakhstan. */
  dayFirst?: boolean
}

const DELIMITERS = new Set([',', ';', '\t', '|'])

/** The COPY statement copyFrom runs, and the statement setting the date order for it (or null). */
export function copyStatement(table: string, columns: readonly string[], source: 'STDIN' | "'/dev/blob'", options: CopyOptions = {}): { copy: string; dateStyle: string | null } {
  const delimiter = options.delimiter ?? ','
  if (!DELIMITERS.has(delimiter)) throw new Error(`Not a CSV delimiter: ${JSON.stringify(delimiter)}`)
  const cols = columns.map(quoteIdentifier).join(', ')
  const settings = ['FORMAT csv', `DELIMITER ${delimiter === '\t' ? "E'\\t'" : `'${delimiter}'`}`]
  if (options.emptyIsNull && columns.length > 0) settings.push(`FORCE_NULL (${cols})`)
  return {
    copy: `COPY ${quoteTableName(table)} (${cols}) FROM ${source} WITH (${settings.join(', ')})`,
    dateStyle: options.dayFirst ? "set local datestyle = 'ISO, DMY'" : null,
  }
}

// What a client sees when the database server is not there: the network's refusals, and the
// server's own "shutting down", "starting up" and connection failures (SQLSTATE class 08, 57P0x).
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
const SERVER_GONE = new Set(['57P01', '57P02', '57P03'])

/** Whether an error says the database server cannot be reached now, rather than that a statement failed. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (UNREACHABLE.has(code) || SERVER_GONE.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true
  // node-postgres says so in words when a connection ends or never opens in time.
  return /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(error.message)
    || (error instanceof AggregateError && error.errors.some(isDatabaseUnavailable))
}
