import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Db } from './types.ts'

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url))

export interface Migration {
  version: number
  name: string
  sql: string
}

/** Thrown when the database was migrated by a newer release than the running code. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `The database schema is at version ${databaseVersion}, newer than this code knows (${codeVersion}). ` +
        'Run the newer release of Ashyq, or restore a backup that matches this one.',
    )
    this.name = 'SchemaTooNewError'
  }
}

/** Reads migrations/NNNN_name.sql files in version order. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort()
  const migrations: Migration[] = []
  for (const file of files) {
    const version = Number(file.slice(0, 4))
    if (migrations.some((m) => m.version === version)) throw new Error(`Two migrations share version ${version}`)
    migrations.push({ version, name: file.slice(5, -4), sql: await readFile(path.join(dir, file), 'utf8') })
  }
  return migrations
}

// Any constant works: it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK_ID = 7_345_201

/**
 * Applies every migration not yet recorded, each in its own transaction, and refuses a database
 * whose schema is newer than the code. Safe when several processes start at once on one server.
 */
export async function migrate(db: Db, migrations?: Migration[]): Promise<number[]> {
  const known = migrations ?? (await readMigrations())
  const codeVersion = known.at(-1)?.version ?? 0
  await db.exec(`create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    applied_at timestamptz not null default now()
  )`)
  const [latest] = await db.query<{ version: number | null }>('select max(version) as version from schema_migrations')
  const databaseVersion = latest?.version ?? 0
  if (databaseVersion > codeVersion) throw new SchemaTooNewError(databaseVersion, codeVersion)

  // Those recorded already are passed over without a transaction each (a restart's case: 35 of
  // them took 0.6 s on the embedded database); the rest are checked again under the lock.
  const recorded = new Set((await db.query<{ version: number }>('select version from schema_migrations')).map((row) => Number(row.version)))
  const applied: number[] = []
  for (const migration of known.filter((m) => !recorded.has(m.version))) {
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID])
      const rows = await tx.query('select 1 from schema_migrations where version = $1', [migration.version])
      if (rows.length > 0) return false
      await tx.exec(migration.sql)
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name])
      return true
    })
    if (done) applied.push(migration.version)
  }
  return applied
}
