import { PGLITE_BUFFERS_MB } from '../config.ts'
import { PGlite, types, type Transaction } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import type { Db, Queryable, SqlValue } from './types.ts'
import { copyParts, copyStatement, quoteIdentifier } from './types.ts'

/** A string as an SQL literal (standard_conforming_strings is on: only quotes need doubling). */
function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

// Every type the instance would parse (its array types too), read as the engine wrote it instead
// (a type it does not know of stays text anyway).
function textParsers(pg: PGlite): PGlite['parsers'] {
  const keep = (value: string) => value
  return Object.fromEntries([...Object.keys(types.parsers), ...Object.keys(pg.parsers)].map((oid) => [oid, keep]))
}

function wrap(target: PGlite | Transaction, pg: PGlite, asText: PGlite['parsers']): Queryable {
  return {
    async query<T>(text: string, params: readonly SqlValue[] = []) {
      const result = await target.query<T>(text, params as unknown[])
      return result.rows
    },
    async queryText(text: string, params: readonly SqlValue[] = []) {
      if (target === pg) return (await pg.query<Array<string | null>>(text, params as unknown[], { rowMode: 'array', parsers: asText })).rows
      // A query's own parsers are merged into a copy of the instance's (over 300, one per type and
      // array type), 80 µs per query. In a transaction nothing else runs on the engine until it
      // ends, so the instance's parsers are swapped for the text-keeping ones during the query.
      const own = pg.parsers
      pg.parsers = asText
      try {
        return (await target.query<Array<string | null>>(text, params as unknown[], { rowMode: 'array' })).rows
      } finally {
        pg.parsers = own
      }
    },
    async describe(text: string, params: readonly SqlValue[] = []) {
      const result = await target.query(text, params as unknown[], { rowMode: 'array' })
      return result.fields.map((f) => ({ name: f.name, typeId: f.dataTypeID }))
    },
    async exec(text: string) {
      await target.exec(text)
    },
  }
}

/** Wraps an open PGlite instance in the Db interface. */
export function pgliteDb(pg: PGlite): Db {
  const asText = textParsers(pg)
  const base = wrap(pg, pg, asText)
  const readOnly = <T>(settings: Readonly<Record<string, string>>, then: string[], fn: (q: Queryable) => Promise<T>) => pg.transaction(async (tx) => {
    // One script sets them all, for this transaction only: one exchange with the engine, where a
    // statement with parameters takes six (parse, describe, bind, execute and their syncs).
    await tx.exec(['set transaction read only', ...Object.entries(settings).map(([name, value]) => `set local ${quoteIdentifier(name)} = ${quoteLiteral(value)}`), ...then].join('; '))
    return fn(wrap(tx, pg, asText))
  })
  const db: Db = {
    kind: 'pglite',
    ...base,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx, pg, asText))),
    readOnly: (settings, fn) => readOnly(settings, [], fn),
    readAs: (login, fn) => readOnly(login.settings, [`set local role ${quoteIdentifier(login.role)}`], fn),
    async copyFrom(table, columns, csv, options) {
      const { copy, dateStyle } = copyStatement(table, columns, "'/dev/blob'", options)
      return pg.transaction(async (tx) => {
        if (dateStyle) await tx.query(dateStyle)
        const result = await tx.query(copy, [], { blob: new Blob(copyParts(csv) as BlobPart[]) })
        return result.affectedRows ?? 0
      })
    },
    listen: (channel, onNotice) => pg.listen(channel, () => onNotice()),
    close: () => pg.close(),
    // On the engine's own thread there is nothing to give way to: every statement holds the thread.
    background: () => db,
  }
  return db
}

/**
 * Opens (creating it when missing) the embedded database in dataDir; undefined keeps it in memory.
 * Its shared buffers live in the server process's own memory, which a WebAssembly instance never
 * gives back: 32 MB of them hold the pages a portal reads most (catalog, indexes) and keep the
 * process about 100 MB smaller than PGlite's 128; pages beyond them come from the system's file cache.
 */
export async function openPglite(dataDir: string | undefined, options: { loadDataDir?: Blob; buffersMb?: number } = {}): Promise<Db> {
  return pgliteDb(await PGlite.create(dataDir, { ...pgliteOptions(options.buffersMb), loadDataDir: options.loadDataDir }))
}

/** What every embedded database is opened with (the site's, tests', benchmarks'): pg_trgm and its buffers. */
export function pgliteOptions(buffersMb = PGLITE_BUFFERS_MB) {
  return { extensions: { pg_trgm }, startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${buffersMb}MB`] }
}
