/** A value bound to a SQL parameter. */
export type SqlValue = string | number | boolean | null | Date | bigint | Uint8Array | SqlValue[] | { [key: string]: unknown }

/** What runs SQL: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one statement with bound parameters and returns its rows. */
  query<T = Record<string, unknown>>(text: string, params?: readonly SqlValue[]): Promise<T[]>
  /** Runs a script of several statements, without parameters (migrations). */
  exec(text: string): Promise<void>
}

/** The one interface every module uses, whether PGlite or a PostgreSQL server is behind it. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** Runs fn in a transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /** Bulk-loads CSV text (no header) into table's columns with COPY; returns the row count. */
  copyFrom(table: string, columns: readonly string[], csv: string): Promise<number>
  close(): Promise<void>
}

/** Quotes an identifier that must be dynamic (a table or column name), the one place this is done. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Quotes a possibly schema-qualified table name ("schema.table"). */
export function quoteTableName(name: string): string {
  return name.split('.').map(quoteIdentifier).join('.')
}
