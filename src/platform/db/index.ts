import type { Config } from '../config.ts'
import type { Db } from './types.ts'
import { openPostgres } from './postgres.ts'

export type { Db, Queryable, SqlValue, CopyOptions } from './types.ts'
export { quoteIdentifier, quoteTableName } from './types.ts'

/** Opens the database the configuration names: the PostgreSQL server when DATABASE_URL is set, else PGlite. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Db> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl)
  // PGlite (some 40 MB in memory before it opens) is loaded only when it is the database.
  const { openPglite } = await import('./pglite.ts')
  return openPglite(config.dataDir)
}
