import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../src/platform/db/index.ts'
import type { FileStore } from '../../src/platform/files/index.ts'
import { runDatastoreLoads } from '../../src/modules/data/datastore/ingest.ts'
import { createTestApp } from './app.ts'
import { createTestDb } from './db.ts'
import { testFileStore } from './files.ts'
import { makeAgency, makeDataset, uploadResource } from './factories.ts'

/** An app whose one body publishes one dataset with one file, loaded into the datastore. */
export async function appWithTable(table: { agency: string; dataset: string; fileName: string; content: string | Buffer }, config: { datastoreSql?: boolean } = {}) {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: table.agency })
  }, config)
  const datasetId = await makeDataset(testApp.db, table.agency, { name: table.dataset }, null)
  const resourceId = await uploadResource(testApp.db, testApp.files, datasetId, table.fileName, table.content)
  await runDatastoreLoads(testApp)
  return { ...testApp, datasetId, resourceId, path: `/en/data/datasets/${table.dataset}/resources/${resourceId}` }
}

export interface LoadState {
  active: boolean
  loadState: string
  rowCount: number | null
  loadRows: number
  fields: Array<{ id: string; type: string }>
  loadError: { key: string; values: Record<string, unknown>; detail: string | null } | null
}

/** A resource's datastore record: whether its table is live, how its latest load went. */
export async function loadStateOf(db: Db, resourceId: string): Promise<LoadState> {
  const [row] = await db.query<LoadState>(
    `select active, load_state as "loadState", row_count::int as "rowCount", load_rows::int as "loadRows", fields, load_error as "loadError"
     from data_datastore where resource_id = $1`, [resourceId])
  assert.ok(row, 'the upload was queued for the datastore')
  return row
}

/** A database (no app) with one body's dataset to upload files into, for the loader's own tests. */
export async function datasetForLoads() {
  const db = await createTestDb()
  const files = testFileStore()
  await makeAgency(db, { slug: 'stat' })
  const datasetId = await makeDataset(db, 'stat', {}, null)
  return { db, files, datasetId, close: () => db.close() }
}

/** Uploads a file to the dataset (which queues it) and runs the datastore's loads; the resource's id. */
export async function uploadAndLoad(db: Db, files: FileStore, datasetId: string, fileName: string, content: string | Buffer): Promise<string> {
  const id = await uploadResource(db, files, datasetId, fileName, content)
  assert.equal((await loadStateOf(db, id)).loadState, 'pending')
  await runDatastoreLoads({ db, files })
  return id
}

/** A CKAN action called by POST, in English, with an API token or none: its status and JSON. */
export async function ckanAction(app: FastifyInstance, name: string, token: string | null, payload: object) {
  const response = await app.inject({ method: 'POST', url: `/api/3/action/${name}`, payload, headers: { 'accept-language': 'en', ...(token ? { authorization: token } : {}) } })
  return { status: response.statusCode, body: response.json() }
}
