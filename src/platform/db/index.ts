import type { Config } from '../config.ts'
import type { Db } from './types.ts'
import { openPglite } from './pglite.ts'
import { openPostgres } from './postgres.ts'

export type { Db, Queryable, SqlValue, CopyOptions } from './types.ts'
export { quoteIdentifier, quoteTableName } from './types.ts'

/** Opens the database the configuration names: the PostgreSQL server when DATABASE_URL is set, else PGlite. */
export function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Db> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir)
}
