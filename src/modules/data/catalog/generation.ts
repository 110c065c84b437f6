import type { Queryable } from '../../../platform/db/index.ts'
import { isUuid } from '../../../platform/http/validation.ts'
import { PUBLIC_DATASET } from './visibility.ts'
import { KeyedSharedRead, SharedRead } from '../../../platform/cache/index.ts'

const generationReads = new WeakMap<Queryable, SharedRead<string>>()

/**
 * The catalog's generation (migrations 0023, 0024): moved on by every committed change to what it
 * lists. Requests that arrive while one read runs share the next (SharedRead): none misses a change.
 */
export function catalogGeneration(db: Queryable): Promise<string> {
  let shared = generationReads.get(db)
  if (!shared) {
    shared = new SharedRead(async () => (await db.query<{ n: string }>('select n::text from data_catalog_generation'))[0]?.n ?? '0')
    generationReads.set(db, shared)
  }
  return shared.get()
}

const datasetReads = new WeakMap<Queryable, KeyedSharedRead<{ id: string; version: string } | null>>()

/**
 * A public dataset's id and the version of what its page shows: the catalog's generation and the
 * version of each of its tables in the datastore (a load, a write or a new dictionary moves one).
 * Null when there is no such public dataset. Readers of one dataset who arrive together share a read.
 */
export function datasetVersion(db: Queryable, idOrName: string): Promise<{ id: string; version: string } | null> {
  let shared = datasetReads.get(db)
  if (!shared) {
    shared = new KeyedSharedRead((key) => readDatasetVersion(db, key))
    datasetReads.set(db, shared)
  }
  return shared.get(idOrName)
}

async function readDatasetVersion(db: Queryable, idOrName: string): Promise<{ id: string; version: string } | null> {
  const [row] = await db.query<{ id: string; version: string }>(
    `select d.id, (select n::text from data_catalog_generation) || ':' || coalesce(
              (select string_agg(s.resource_id::text || '.' || s.version, ',' order by s.resource_id)
               from data_resources r join data_datastore s on s.resource_id = r.id where r.dataset_id = d.id), '') as version
     from datasets d where ${isUuid(idOrName) ? 'd.id = $1::uuid' : 'd.name = $1'} and ${PUBLIC_DATASET}`,
    [idOrName],
  )
  return row ?? null
}
