import type { Config } from '../config.ts'
import type { Db } from './types.ts'
import { openPostgres } from './postgres.ts'
import { missingNodeFlags, SERVER_NODE_FLAGS } from '../memory.ts'

export type { Db, Queryable, SqlValue, CopyOptions, ReaderLogin } from './types.ts'
export { LoginRefused, quoteIdentifier, quoteTableName } from './types.ts'

/** Opens the database the configuration names: the PostgreSQL server when DATABASE_URL is set, else PGlite. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'readerUrls' | 'pgliteBuffersMb' | 'databaseReadUrl'>>): Promise<Db> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, 10, { readerUrls: config.readerUrls, readUrl: config.databaseReadUrl })
  // PGlite runs on a thread of its own, and is loaded only there (some 40 MB before it opens).
  const { openPgliteThread } = await import('./pglite-thread.ts')
  return openPgliteThread(config.dataDir, { buffersMb: config.pgliteBuffersMb })
}

/** What the operator should hear at start about how the database is used (printed, not fatal). */
export async function startupWarnings(db: Db, config: Pick<Config, 'datastoreSql'>, execArgv: readonly string[] = process.execArgv): Promise<string[]> {
  const warnings: string[] = []
  const missing = missingNodeFlags(execArgv)
  if (missing.length > 0) {
    warnings.push(`Node.js was started without ${missing.join(' and ')}: the site keeps more memory than it needs (see src/platform/memory.ts). ` +
      `Start it with \`npm start\`, \`npm run serve\`, or \`node ${SERVER_NODE_FLAGS.join(' ')} build/main.js\`.`)
  }
  if (db.kind === 'postgres') {
    const [me] = await db.query<{ name: string; superuser: boolean }>('select current_user as name, rolsuper as superuser from pg_roles where rolname = current_user')
    if (me?.superuser) {
      warnings.push(`The site connects to PostgreSQL as "${me.name}", a superuser: a superuser passes every privilege check, so one mistake in a query reaches the whole server. ` +
        'Run it as a role of its own that owns the site\'s database and nothing more (see the README, "Running on a PostgreSQL server").')
    }
  }
  if (db.kind === 'pglite' && config.datastoreSql) {
    warnings.push('ASHYQ_DATASTORE_SQL is on with the embedded database: one heavy datastore_search_sql query holds up every request that reads the database until it ends (PGlite runs one statement at a time and cannot cut one off).')
  }
  return warnings
}
