import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import type { Db } from '../../src/platform/db/index.ts'
import { createTestDb } from './db.ts'
import { testFileStore } from './files.ts'
import type { FolderFileStore } from '../../src/platform/files/index.ts'
import type { Config } from '../../src/platform/config.ts'

export interface TestApp {
  app: FastifyInstance
  db: Db
  files: FolderFileStore
  close(): Promise<void>
}

/**
 * The real app on a fresh test database; `prepare` adds the test's own data before requests.
 * `config` turns settings from their defaults (datastoreSql: on a server only).
 */
export async function createTestApp(prepare?: (db: Db) => Promise<void>, config: Partial<Pick<Config, 'datastoreSql' | 'publicUrl' | 'production' | 'allowedHosts' | 'petitions'>> = {}): Promise<TestApp> {
  const db = await createTestDb()
  if (prepare) await prepare(db)
  const files = testFileStore()
  const app = await buildApp({ db, files, config: { logLevel: process.env.TEST_LOG_LEVEL === 'error' ? 'error' : 'silent', ...config } })
  return {
    app,
    db,
    files,
    async close() {
      await app.close()
      await db.close()
    },
  }
}
