import { Readable } from 'node:stream'
import type { FileStore } from '../../src/platform/files/index.ts'
import type { Db, Queryable } from '../../src/platform/db/index.ts'
import { createDataset, type DatasetFields } from '../../src/modules/data/publishing/dataset.ts'
import { addResource, updateResource, type ResourceFields } from '../../src/modules/data/publishing/resource.ts'
import { createRegion } from '../../src/modules/agencies/service.ts'
import { insertAgency, type NewAgency } from '../../src/modules/agencies/edit-agency.ts'
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.ts'
import type { Region } from '../../src/modules/agencies/schemas.ts'

let sequence = 0

/** A region with a unique code; fields may be overridden. */
export async function makeRegion(db: Queryable, overrides: Partial<Region> = {}): Promise<Region> {
  sequence += 1
  const region: Region = {
    code: `region-${sequence}`,
    kind: 'region',
    name: { kk: `Өңір ${sequence}`, ru: `Регион ${sequence}`, en: `Region ${sequence}` },
    ...overrides,
  }
  await createRegion(db, region)
  return region
}

/** A state body with a unique slug and names in three languages; fields may be overridden. */
export async function makeAgency(db: Queryable, overrides: Partial<NewAgency> = {}): Promise<NewAgency> {
  sequence += 1
  const agency: NewAgency = {
    slug: `agency-${sequence}`,
    kind: 'central',
    name: { kk: `Орган ${sequence}`, ru: `Орган ${sequence}`, en: `Body ${sequence}` },
    ...overrides,
  }
  await insertAgency(db, SYSTEM_ACTOR, agency)
  return agency
}

/** A dataset of the given body with titles in three languages and a CSV link; fields may be overridden. */
export async function makeDataset(db: Db, agencySlug: string, overrides: Partial<DatasetFields> = {}, resource: ResourceFields | null = { url: 'https://example.kz/data.csv' }): Promise<string> {
  sequence += 1
  const id = await createDataset(db, SYSTEM_ACTOR, {
    name: `dataset-${sequence}`,
    agencySlug,
    title: { kk: `Деректер ${sequence}`, ru: `Данные ${sequence}`, en: `Data ${sequence}` },
    licenceId: 'cc-by',
    frequency: 'annual',
    ...overrides,
  })
  if (resource) await addResource(db, SYSTEM_ACTOR, id, resource)
  return id
}

/** Uploads content as a file resource of the dataset, as a publisher's form would; returns its id. */
export async function uploadResource(db: Db, files: FileStore, datasetId: string, fileName: string, content: string | Buffer | Iterable<Buffer> | AsyncIterable<Buffer>): Promise<string> {
  const source = typeof content === 'string' || Buffer.isBuffer(content) ? Readable.from([Buffer.from(content)]) : Readable.from(content)
  const stored = await files.save(source)
  return addResource(db, SYSTEM_ACTOR, datasetId, {}, { ...stored, fileName, mediaType: null })
}

/** Replaces a resource's file, as a publisher's new upload does (the new file is queued for loading). */
export async function replaceResourceFile(db: Db, files: FileStore, resourceId: string, fileName: string, content: string | Buffer): Promise<void> {
  const stored = await files.save(Readable.from([Buffer.from(content)]))
  await updateResource(db, SYSTEM_ACTOR, resourceId, {}, { ...stored, fileName, mediaType: null })
}
