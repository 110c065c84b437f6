import type { Db, Queryable } from '../../../platform/db/index.ts'
import { isUuid, webUrl } from '../../../platform/http/validation.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/index.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { blankToNull, cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import type { UploadedFile } from '../../../platform/files/uploads.ts'
import { queueDatastoreLoad } from '../datastore/ingest.ts'
import { mediaTypeOf } from '../catalog/vocabularies.ts'

/** What a publisher says about a resource; a link has a url, an upload has a file instead. */
export interface ResourceFields {
  name?: MultilingualText
  description?: MultilingualText
  url?: string | null
  format?: string | null
  /** For links: when the linked data last changed, if the publisher knows it (ISO date or time). */
  lastModified?: string | null
  /** For a spreadsheet: the sheet to load into the datastore, by name (the first when blank). */
  sheet?: string | null
  /** For an archive: the media type of the files inside (CKAN's mimetype_inner). */
  mediaTypeInner?: string | null
  /** For links: the linked file's size in bytes and its checksum, when the publisher knows them (CKAN's size and hash). */
  size?: number | null
  checksum?: string | null
  /** Free key-value pairs (CKAN keeps a resource's unknown keys so). */
  extras?: Record<string, unknown>
  /** No file and no link: the resource's data is the table the datastore keeps (CKAN's url_type "datastore"). */
  datastoreOnly?: boolean
}

type ResourceKind = 'link' | 'upload' | 'datastore'

const EXTRAS_LIMIT = { count: 50, bytes: 20_000 }

// Formats told by a file's extension, when the publisher does not say.
const FORMAT_BY_EXTENSION: Record<string, string> = {
  csv: 'CSV', tsv: 'TSV', xlsx: 'XLSX', xls: 'XLS', ods: 'ODS', json: 'JSON', geojson: 'GeoJSON', xml: 'XML',
  pdf: 'PDF', zip: 'ZIP', docx: 'DOCX', doc: 'DOC', txt: 'TXT', shp: 'SHP', kml: 'KML', rdf: 'RDF', ttl: 'TTL', html: 'HTML',
}

/** The format a file name or address suggests ("CSV" for ".../report.csv?x=1"), or ''. */
export function guessFormat(nameOrUrl: string): string {
  const pathPart = nameOrUrl.split(/[?#]/)[0] ?? ''
  const extension = /\.([a-z0-9]+)$/i.exec(pathPart)?.[1]?.toLowerCase()
  return extension ? (FORMAT_BY_EXTENSION[extension] ?? extension.toUpperCase()) : ''
}

// A format as CKAN's register names them: a short word, or a few ("ArcGIS Map Service", "plain text").
const FORMAT_PATTERN = /^[A-Za-z0-9.+_-](?:[A-Za-z0-9 .+_-]{0,18}[A-Za-z0-9.+_-])?$/

function checkFields(fields: ResourceFields, kind: ResourceKind): void {
  const problems: FieldError[] = []
  for (const [key, limit] of [['name', 300], ['description', 5000]] as const) {
    for (const [lang, text] of Object.entries(fields[key] ?? {})) {
      if ((text?.length ?? 0) > limit) problems.push({ field: `${key}.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit } })
    }
  }
  if (kind === 'link' && !webUrl(fields.url)) problems.push({ field: 'url', messageKey: 'data.errors.url' })
  if (fields.format && !FORMAT_PATTERN.test(fields.format)) problems.push({ field: 'format', messageKey: 'data.errors.format' })
  if ((fields.sheet?.length ?? 0) > 100) problems.push({ field: 'sheet', messageKey: 'platform.validation.maxLength', values: { limit: 100 } })
  if (fields.lastModified && Number.isNaN(Date.parse(fields.lastModified))) problems.push({ field: 'lastModified', messageKey: 'data.errors.date' })
  if ((fields.mediaTypeInner?.length ?? 0) > 200) problems.push({ field: 'mediaTypeInner', messageKey: 'platform.validation.maxLength', values: { limit: 200 } })
  if (fields.size !== undefined && fields.size !== null && !(Number.isSafeInteger(fields.size) && fields.size >= 0)) problems.push({ field: 'size', messageKey: 'data.errors.size' })
  if ((fields.checksum?.length ?? 0) > 200) problems.push({ field: 'checksum', messageKey: 'platform.validation.maxLength', values: { limit: 200 } })
  const extras = Object.keys(fields.extras ?? {})
  if (extras.length > EXTRAS_LIMIT.count || JSON.stringify(fields.extras ?? {}).length > EXTRAS_LIMIT.bytes || extras.some((k) => k.length > 100)) {
    problems.push({ field: 'extras', messageKey: 'data.errors.resourceExtras', values: { count: EXTRAS_LIMIT.count, bytes: EXTRAS_LIMIT.bytes } })
  }
  if (problems.length > 0) throw new ValidationError(problems)
}

interface ResourceRecord {
  id: string
  datasetId: string
  name: MultilingualText
  description: MultilingualText
  kind: ResourceKind
  url: string | null
  fileName: string | null
  format: string
  size: number | null
  checksum: string | null
  lastModified: string | null
  mediaTypeInner: string | null
  extras: Record<string, unknown>
}

async function loadResource(tx: Queryable, id: string): Promise<ResourceRecord & { storageKey: string | null; state: string }> {
  const [row] = await tx.query<ResourceRecord & { storageKey: string | null; state: string; size: string | number | null; lastModified: Date | null }>(
    `select id, dataset_id as "datasetId", name, description, kind, url, file_name as "fileName", format, size, checksum,
            last_modified as "lastModified", storage_key as "storageKey", state, mimetype_inner as "mediaTypeInner", extras
     from data_resources where id = $1`,
    [id],
  )
  if (!row || row.state !== 'active') throw new NotFound('resource', id)
  return { ...row, size: row.size === null ? null : Number(row.size), lastModified: row.lastModified ? new Date(row.lastModified).toISOString() : null }
}

// What the history shows of a resource: everything but where the file sits on disk.
function snapshot(record: ResourceRecord): ResourceRecord {
  const { id, datasetId, name, description, kind, url, fileName, format, size, checksum, lastModified, mediaTypeInner, extras } = record
  return { id, datasetId, name, description, kind, url, fileName, format, size, checksum, lastModified, mediaTypeInner, extras }
}

async function touchDataset(tx: Queryable, datasetId: string, dataChangedAt: string | null): Promise<void> {
  // The active resources are numbered from 0 in their order, as CKAN numbers them, whatever was taken off.
  await tx.query(
    `update data_resources r set position = o.n - 1
     from (select id, row_number() over (order by position, created_at, id) as n from data_resources where dataset_id = $1 and state = 'active') o
     where r.id = o.id and r.position <> o.n - 1`,
    [datasetId],
  )
  await tx.query(
    `update datasets set updated_at = now(),
       formats = coalesce((select array_agg(distinct upper(r.format) order by upper(r.format)) from data_resources r
                           where r.dataset_id = $1 and r.state = 'active' and r.format <> ''), '{}'),
       resource_names = coalesce((select string_agg(n.value, ' ' order by r.position) from data_resources r cross join jsonb_each_text(r.name) n
                                  where r.dataset_id = $1 and r.state = 'active'), ''),
       data_updated_at = greatest(coalesce(data_updated_at, $2::timestamptz), coalesce($2::timestamptz, data_updated_at))
     where id = $1`,
    [datasetId, dataChangedAt],
  )
}

/**
 * Adds a resource to a dataset: a link (fields.url) or an uploaded file. The dataset's data counts
 * as updated at the file's upload, or at the link's stated last modification (else now).
 */
export function addResource(db: Db, actor: Actor, datasetId: string, fields: ResourceFields, file?: UploadedFile): Promise<string> {
  return db.transaction((tx) => insertResource(tx, actor, datasetId, fields, file))
}

/** addResource inside the caller's transaction. */
export async function insertResource(tx: Queryable, actor: Actor, datasetId: string, fields: ResourceFields, file?: UploadedFile): Promise<string> {
  const kind: ResourceKind = file ? 'upload' : fields.datastoreOnly && !fields.url ? 'datastore' : 'link'
  checkFields(fields, kind)
  await tx.query('select id from datasets where id = $1 for update', [datasetId])
  const lastModified = file ? new Date().toISOString() : (fields.lastModified ? new Date(fields.lastModified).toISOString() : new Date().toISOString())
  const name = cleanMultilingual(fields.name)
  const fallbackName = file?.fileName ?? fields.url ?? ''
  // A table's own data downloads as CSV.
  const format = blankToNull(fields.format) ?? (kind === 'datastore' ? 'CSV' : guessFormat(file?.fileName ?? fields.url ?? ''))
  const [row] = await tx.query<{ id: string }>(
    `insert into data_resources (dataset_id, position, name, description, kind, url, storage_key, file_name, format, media_type, size, checksum, last_modified,
                                mimetype_inner, extras)
     values ($1, (select coalesce(max(position) + 1, 0) from data_resources where dataset_id = $1 and state = 'active'), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     returning id`,
    [
      datasetId, Object.keys(name).length > 0 ? name : { kk: fallbackName, ru: fallbackName, en: fallbackName },
      cleanMultilingual(fields.description), kind, file ? null : webUrl(fields.url), file?.key ?? null, file?.fileName ?? null,
      format, file ? (mediaTypeOf(format) ?? file.mediaType) : null, file?.size ?? (kind === 'link' ? fields.size ?? null : null),
      file ? `sha256:${file.checksum}` : (kind === 'link' ? blankToNull(fields.checksum) : null), lastModified, blankToNull(fields.mediaTypeInner), fields.extras ?? {},
    ],
  )
  const record = await loadResource(tx, row!.id)
  if (file) await queueDatastoreLoad(tx, record.id, { key: file.key, size: file.size }, record.format, { sheet: fields.sheet })
  await touchDataset(tx, datasetId, lastModified)
  await recordChange(tx, actor, { action: 'resource.create', entity: 'dataset', entityId: datasetId, before: null, after: snapshot(record) })
  return row!.id
}

/** The dataset a resource belongs to, for the policy check before changing it. */
export async function findResource(db: Queryable, id: string): Promise<{ id: string; datasetId: string }> {
  if (!isUuid(id)) throw new NotFound('resource', id)
  const record = await loadResource(db, id)
  return { id: record.id, datasetId: record.datasetId }
}

/** Changes a resource's description, link or file; a new file or link counts as new data. */
export async function updateResource(db: Db, actor: Actor, id: string, changes: ResourceFields, file?: UploadedFile): Promise<void> {
  await db.transaction((tx) => changeResource(tx, actor, id, changes, file))
}

/** updateResource inside the caller's transaction; says whether anything changed. */
export async function changeResource(tx: Queryable, actor: Actor, id: string, changes: ResourceFields, file?: UploadedFile): Promise<boolean> {
  const before = await loadResource(tx, id)
  const kind: ResourceKind = file ? 'upload' : (changes.url ? 'link' : before.kind)
  const merged: ResourceFields = {
    name: changes.name ?? before.name,
    description: changes.description ?? before.description,
    url: kind === 'link' ? (changes.url ?? before.url) : null,
    format: changes.format ?? (file || changes.url ? guessFormat(file?.fileName ?? changes.url ?? '') || before.format : before.format),
    mediaTypeInner: changes.mediaTypeInner === undefined ? before.mediaTypeInner : changes.mediaTypeInner,
    extras: changes.extras ?? before.extras,
    // A file's size and checksum are not a new link's.
    size: changes.size !== undefined ? changes.size : before.kind === kind ? before.size : null,
    checksum: changes.checksum !== undefined ? blankToNull(changes.checksum) : before.kind === kind ? before.checksum : null,
  }
  checkFields(merged, kind)
  const dataChanged = Boolean(file) || (changes.url !== undefined && changes.url !== before.url) || Boolean(changes.lastModified)
  const lastModified = dataChanged
    ? (changes.lastModified ? new Date(changes.lastModified).toISOString() : new Date().toISOString())
    : before.lastModified
  await tx.query(
    `update data_resources set name = $2, description = $3, kind = $4, url = $5, format = $6, last_modified = $7, updated_at = now(),
       storage_key = case when $4 = 'upload' then coalesce($8, storage_key) else null end,
       file_name = case when $4 = 'upload' then coalesce($9, file_name) else null end,
       media_type = case when $4 = 'upload' then coalesce($10, media_type) else null end,
       size = case when $4 = 'upload' then coalesce($11, size) when $4 = 'link' then $15::bigint else null end,
       checksum = case when $4 = 'upload' then coalesce($12, checksum) when $4 = 'link' then $16 else null end,
       mimetype_inner = $13, extras = $14
     where id = $1`,
    [id, cleanMultilingual(merged.name), cleanMultilingual(merged.description), kind, kind === 'link' ? webUrl(merged.url) : null, blankToNull(merged.format) ?? '',
      lastModified, file?.key ?? null, file?.fileName ?? null, file ? (mediaTypeOf(merged.format ?? '') ?? file.mediaType) : null, file?.size ?? null, file ? `sha256:${file.checksum}` : null,
      blankToNull(merged.mediaTypeInner), merged.extras ?? {}, kind === 'link' ? merged.size ?? null : null, kind === 'link' ? merged.checksum ?? null : null],
  )
  const after = await loadResource(tx, id)
  // A new file, a file now said to be a table, or another sheet of a spreadsheet is loaded into the datastore.
  const [load] = await tx.query<{ sheet: string | null }>('select load_sheet as sheet from data_datastore where resource_id = $1', [id])
  const sheet = changes.sheet === undefined ? (load?.sheet ?? null) : (changes.sheet?.trim() || null)
  const sheetChanged = sheet !== (load?.sheet ?? null)
  if (after.kind === 'upload' && after.storageKey && (file || after.format !== before.format || sheetChanged)) {
    await queueDatastoreLoad(tx, id, { key: after.storageKey, size: after.size }, after.format, { sheet })
  }
  if (JSON.stringify(snapshot(after)) === JSON.stringify(snapshot(before))) return sheetChanged
  await touchDataset(tx, before.datasetId, dataChanged ? lastModified : null)
  await recordChange(tx, actor, { action: 'resource.update', entity: 'dataset', entityId: before.datasetId, before: snapshot(before), after: snapshot(after) })
  return true
}

/** Puts a dataset's active resources in the given order (CKAN's package_update lists them so), numbered from 0. */
export async function orderResources(tx: Queryable, datasetId: string, ids: readonly string[]): Promise<void> {
  await tx.query(
    `update data_resources r set position = o.n - 1 from unnest($2::uuid[]) with ordinality as o (id, n)
     where r.id = o.id and r.dataset_id = $1 and r.state = 'active' and r.position <> o.n - 1`,
    [datasetId, [...ids]],
  )
}

/** Takes a resource off its dataset; the record (and any file) stays, with its history. */
export function deleteResource(db: Db, actor: Actor, id: string): Promise<void> {
  return db.transaction((tx) => removeResource(tx, actor, id))
}

/** deleteResource inside the caller's transaction. */
export async function removeResource(tx: Queryable, actor: Actor, id: string): Promise<void> {
  const before = await loadResource(tx, id)
  await tx.query(`update data_resources set state = 'deleted', updated_at = now() where id = $1`, [id])
  await touchDataset(tx, before.datasetId, null)
  await recordChange(tx, actor, { action: 'resource.delete', entity: 'dataset', entityId: before.datasetId, before: snapshot(before), after: null })
}
