import type { Queryable } from '../../../platform/db/index.ts'
import type { StateColours } from '../../../platform/states/tags.ts'
import { isUuid } from '../../../platform/http/validation.ts'
import { NotFound } from '../../../platform/http/index.ts'
import type { MultilingualList, MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { freshnessOf, type Freshness, type Frequency, type Licence, type Theme } from './vocabularies.ts'
import { PUBLIC_DATASET } from './visibility.ts'
import type { AgencyKind } from '../../agencies/schemas.ts'

export interface AgencyRef {
  id: number
  slug: string
  name: MultilingualText
  /** central, local or quasi-public: DCAT's publisher type. */
  kind: AgencyKind
  createdAt: string
}

export interface Resource {
  id: string
  datasetId: string
  position: number
  name: MultilingualText
  description: MultilingualText
  /** A file uploaded here, a link to data elsewhere, or a table that lives only in the datastore. */
  kind: 'upload' | 'link' | 'datastore'
  /** Where the data is: the external address of a link, or null for an uploaded file (see downloadPath). */
  url: string | null
  /** This site's path that serves the file or leads to the link, counting the download. */
  downloadPath: string
  fileName: string | null
  format: string
  mediaType: string | null
  /** For an archive: the type of the files inside it (CKAN's mimetype_inner). */
  mediaTypeInner: string | null
  /** Free key-value pairs the publisher added (CKAN's resource extras). */
  extras: Record<string, unknown>
  size: number | null
  checksum: string | null
  lastModified: string | null
  createdAt: string
  updatedAt: string
  /** The resource's table in the datastore, for files that are tables; null for others. */
  datastore: DatastoreStatus | null
}

/** How far a resource's table is loaded, and the colour of each state's tag. */
export const DATASTORE_STATE_COLOURS = { pending: 'grey', loading: 'blue', ready: 'green', error: 'red' } as const satisfies StateColours

/** How far a resource's table is: whether it can be queried, and how its latest load went. */
export interface DatastoreStatus {
  /** The table answers queries (maybe from an earlier file, when the latest load failed). */
  active: boolean
  rowCount: number | null
  state: keyof typeof DATASTORE_STATE_COLOURS
  rowsLoaded: number
  /** The share of the file read, 0 to 1, while loading. */
  progress: number | null
  error: { key: string; values: Record<string, string | number> } | null
  /** Columns the database could not index (their values too long): filters and sorts on them scan the table. */
  unindexed: string[]
}

/**
 * The one address of a resource's data, for CKAN's url and DCAT's download address alike: a link's
 * own, CKAN's dump of a table loaded without a file, or the portal's download of the file.
 */
export function resourceUrl(resource: Pick<Resource, 'id' | 'kind' | 'url' | 'downloadPath'>, base: string): string {
  if (resource.kind === 'link' && resource.url) return resource.url
  return resource.kind === 'datastore' ? `${base}/datastore/dump/${resource.id}` : `${base}${resource.downloadPath}`
}

/** A dataset as the catalog and its pages show it. */
export interface Dataset {
  id: string
  name: string
  agency: AgencyRef
  title: MultilingualText
  description: MultilingualText
  theme: Theme | null
  keywords: MultilingualList
  licence: Licence
  frequency: Frequency
  temporalStart: string | null
  temporalEnd: string | null
  region: { code: string; name: MultilingualText } | null
  contactName: MultilingualText | null
  contactEmail: string | null
  author: string | null
  authorEmail: string | null
  version: string | null
  /** The page the data comes from when it is published elsewhere first (CKAN's "url"). */
  sourceUrl: string | null
  /** Every theme: the first, then the others (CKAN's groups). */
  themes: Theme[]
  /** Free key-value pairs, sorted by key (CKAN's extras). */
  extras: Record<string, string>
  /** The account that created the dataset, when a person did. */
  createdBy: string | null
  /** Seen only by the body's editors and heads and by administrators. */
  private: boolean
  state: 'active' | 'deleted'
  createdAt: string
  updatedAt: string
  dataUpdatedAt: string | null
  viewsTotal: number
  freshness: Freshness
  resources: Resource[]
}

interface DatasetRow {
  id: string
  name: string
  agency_id: number
  agency_slug: string
  agency_name: MultilingualText
  agency_kind: AgencyKind
  agency_created_at: Date | string
  title: MultilingualText
  description: MultilingualText
  theme_code: string | null
  theme_name: MultilingualText | null
  keywords_by_language: MultilingualList
  licence_id: string
  licence_title: MultilingualText
  licence_url: string | null
  licence_is_open: boolean
  frequency: Frequency
  temporal_start: string | null
  temporal_end: string | null
  region_code: string | null
  region_name: MultilingualText | null
  contact_name: MultilingualText | null
  contact_email: string | null
  author: string | null
  author_email: string | null
  version: string | null
  source_url: string | null
  extra_themes: Theme[] | null
  extras: Record<string, string>
  created_by: string | number | null
  private: boolean
  state: 'active' | 'deleted'
  created_at: Date | string
  updated_at: Date | string
  data_updated_at: Date | string | null
  views_total: string | number
  list_schedule: { frequency: Frequency; firstDeadline: string } | null
}

/** The select every dataset read starts from; callers add where, order and limit. */
export const SELECT_DATASETS = `
  select d.id, d.name, d.agency_id, a.slug as agency_slug, a.name as agency_name, a.kind as agency_kind, a.created_at as agency_created_at,
         d.title, d.description, d.theme_code, t.name as theme_name, d.keywords_by_language,
         d.licence_id, l.title as licence_title, l.url as licence_url, l.is_open as licence_is_open,
         d.frequency, to_char(d.temporal_start, 'YYYY-MM-DD') as temporal_start, to_char(d.temporal_end, 'YYYY-MM-DD') as temporal_end,
         d.region_code, r.name as region_name, d.contact_name, d.contact_email, d.state,
         d.author, d.author_email, d.version, d.source_url, d.extras, d.created_by, d.private,
         (select jsonb_agg(jsonb_build_object('code', x.code, 'name', x.name) order by array_position(d.extra_theme_codes, x.code))
          from data_themes x where x.code = any(d.extra_theme_codes)) as extra_themes,
         d.created_at, d.updated_at, d.data_updated_at, d.views_total,
         -- The Unified List entry the dataset fulfils, whose deadlines judge its freshness.
         (select jsonb_build_object('frequency', e.frequency, 'firstDeadline', to_char(e.first_deadline, 'YYYY-MM-DD'))
          from data_list_entries e where e.dataset_id = d.id order by e.first_deadline, e.code limit 1) as list_schedule
  from datasets d
  join agencies a on a.id = d.agency_id
  join data_licences l on l.id = d.licence_id
  left join data_themes t on t.code = d.theme_code
  left join regions r on r.code = d.region_code`

const iso = (value: Date | string) => new Date(value).toISOString()

interface ResourceRow {
  id: string
  dataset_id: string
  position: number
  name: MultilingualText
  description: MultilingualText
  kind: 'upload' | 'link' | 'datastore'
  url: string | null
  file_name: string | null
  format: string
  media_type: string | null
  mimetype_inner: string | null
  extras: Record<string, unknown>
  size: string | number | null
  checksum: string | null
  last_modified: Date | string | null
  created_at: Date | string
  updated_at: Date | string
  ds_active: boolean | null
  ds_row_count: string | number | null
  ds_state: DatastoreStatus['state'] | null
  ds_rows: string | number | null
  ds_bytes: string | number | null
  ds_total_bytes: string | number | null
  ds_error: DatastoreStatus['error']
  ds_index_problems: Array<{ column: string | null; detail: string }> | null
}

// The resource's datastore columns, for queries of data_resources r left joined to data_datastore s.
const DATASTORE_COLUMNS = `s.active as ds_active, s.row_count as ds_row_count, s.load_state as ds_state, s.load_rows as ds_rows,
  s.load_bytes as ds_bytes, s.load_total_bytes as ds_total_bytes, s.load_error as ds_error, s.index_problems as ds_index_problems`

function toDatastoreStatus(row: ResourceRow): DatastoreStatus | null {
  if (row.ds_state === null) return null
  const total = Number(row.ds_total_bytes ?? 0)
  return {
    active: row.ds_active === true,
    rowCount: row.ds_row_count === null ? null : Number(row.ds_row_count),
    state: row.ds_state,
    rowsLoaded: Number(row.ds_rows ?? 0),
    progress: row.ds_state === 'loading' && total > 0 ? Math.min(1, Number(row.ds_bytes ?? 0) / total) : null,
    error: row.ds_error ? { key: row.ds_error.key, values: row.ds_error.values } : null,
    unindexed: (row.ds_index_problems ?? []).flatMap((problem) => (problem.column ? [problem.column] : [])),
  }
}

function toResource(row: ResourceRow): Resource {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    position: row.position,
    name: row.name,
    description: row.description,
    kind: row.kind,
    url: row.url,
    downloadPath: `/data/resources/${row.id}/download`,
    fileName: row.file_name,
    format: row.format,
    mediaType: row.media_type,
    mediaTypeInner: row.mimetype_inner,
    extras: row.extras,
    size: row.size === null ? null : Number(row.size),
    checksum: row.checksum,
    lastModified: row.last_modified ? iso(row.last_modified) : null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    datastore: toDatastoreStatus(row),
  }
}

/** The active resources of the given datasets, in their order, grouped by dataset. */
export async function resourcesOf(db: Queryable, datasetIds: readonly string[]): Promise<Map<string, Resource[]>> {
  const byDataset = new Map<string, Resource[]>(datasetIds.map((id) => [id, []]))
  if (datasetIds.length === 0) return byDataset
  const rows = await db.query<ResourceRow>(
    `select r.id, r.dataset_id, r.position, r.name, r.description, r.kind, r.url, r.file_name, r.format, r.media_type, r.mimetype_inner, r.extras, r.size, r.checksum,
            r.last_modified, r.created_at, r.updated_at, ${DATASTORE_COLUMNS}
     from data_resources r left join data_datastore s on s.resource_id = r.id
     where r.dataset_id = any($1::uuid[]) and r.state = 'active' order by r.position, r.created_at`,
    [datasetIds as string[]],
  )
  for (const row of rows) byDataset.get(row.dataset_id)?.push(toResource(row))
  return byDataset
}

/** Builds datasets from their rows, with their resources (read here unless given), keeping the rows' order. */
export async function toDatasets(db: Queryable, rows: readonly DatasetRow[], now: Date = new Date(), loaded?: Map<string, Resource[]>): Promise<Dataset[]> {
  const resources = loaded ?? await resourcesOf(db, rows.map((r) => r.id))
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    agency: { id: row.agency_id, slug: row.agency_slug, name: row.agency_name, kind: row.agency_kind, createdAt: iso(row.agency_created_at) },
    title: row.title,
    description: row.description,
    theme: row.theme_code && row.theme_name ? { code: row.theme_code, name: row.theme_name } : null,
    keywords: row.keywords_by_language,
    licence: { id: row.licence_id, title: row.licence_title, url: row.licence_url, isOpen: row.licence_is_open },
    frequency: row.frequency,
    temporalStart: row.temporal_start,
    temporalEnd: row.temporal_end,
    region: row.region_code && row.region_name ? { code: row.region_code, name: row.region_name } : null,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
    author: row.author,
    authorEmail: row.author_email,
    version: row.version,
    sourceUrl: row.source_url,
    themes: [...(row.theme_code && row.theme_name ? [{ code: row.theme_code, name: row.theme_name }] : []), ...(row.extra_themes ?? [])],
    extras: row.extras,
    createdBy: row.created_by === null ? null : String(row.created_by),
    private: row.private,
    state: row.state,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    dataUpdatedAt: row.data_updated_at ? iso(row.data_updated_at) : null,
    viewsTotal: Number(row.views_total),
    freshness: freshnessOf(row.frequency, row.data_updated_at, now, row.list_schedule),
    resources: resources.get(row.id) ?? [],
  }))
}

export type { DatasetRow }

/**
 * One public dataset by id or name, with its resources; a private or withdrawn one too when asked
 * (for its editors, who the caller has checked).
 */
export async function showDataset(db: Queryable, idOrName: string, now: Date = new Date(), options: { includeDeleted?: boolean; includePrivate?: boolean } = {}): Promise<Dataset> {
  const rows = await db.query<DatasetRow>(
    `${SELECT_DATASETS} where ${isUuid(idOrName) ? 'd.id = $1::uuid' : 'd.name = $1'}${options.includeDeleted ? '' : ` and d.state = 'active'`}${options.includePrivate ? '' : ' and not d.private'}`,
    [idOrName],
  )
  const [dataset] = await toDatasets(db, rows, now)
  if (!dataset) throw new NotFound('dataset', idOrName)
  return dataset
}

/** One active resource of a public dataset (of a private one too, when asked: for its editors), with where its file is kept and its dataset's name. */
export async function showResource(db: Queryable, id: string, options: { includePrivate?: boolean } = {}): Promise<Resource & { storageKey: string | null; datasetName: string }> {
  if (!isUuid(id)) throw new NotFound('resource', id)
  const [row] = await db.query<ResourceRow & { storage_key: string | null; dataset_name: string }>(
    `select r.*, d.name as dataset_name, ${DATASTORE_COLUMNS}
     from data_resources r join datasets d on d.id = r.dataset_id left join data_datastore s on s.resource_id = r.id
     where r.id = $1 and r.state = 'active' and ${options.includePrivate ? `d.state = 'active'` : PUBLIC_DATASET}`,
    [id],
  )
  if (!row) throw new NotFound('resource', id)
  return { ...toResource(row), storageKey: row.storage_key, datasetName: row.dataset_name }
}

/**
 * The public catalog's datasets by freshness, as each dataset's page judges it (its frequency, its
 * last update and the Unified List's deadlines): how many are fresh, overdue, irregular or empty.
 */
export async function catalogFreshness(db: Queryable, now: Date = new Date()): Promise<Record<Freshness['status'], number> & { total: number }> {
  const rows = await db.query<{ frequency: Frequency; data_updated_at: Date | string | null; list_schedule: { frequency: Frequency; firstDeadline: string } | null }>(
    `select d.frequency, d.data_updated_at,
       (select jsonb_build_object('frequency', e.frequency, 'firstDeadline', to_char(e.first_deadline, 'YYYY-MM-DD'))
        from data_list_entries e where e.dataset_id = d.id order by e.first_deadline, e.code limit 1) as list_schedule
     from datasets d where ${PUBLIC_DATASET}`)
  const counts = { total: rows.length, fresh: 0, overdue: 0, irregular: 0, empty: 0 }
  for (const row of rows) counts[freshnessOf(row.frequency, row.data_updated_at, now, row.list_schedule).status] += 1
  return counts
}

/** Whether a body publishes any dataset the public sees (its page links its datasets then). */
export async function hasPublicDatasets(db: Queryable, agencyId: number): Promise<boolean> {
  return (await db.query(`select 1 from datasets d where d.agency_id = $1 and ${PUBLIC_DATASET} limit 1`, [agencyId])).length > 0
}

/**
 * Each body's public datasets and those whose title or description lacks its Kazakh text (the first
 * `listed` of them by name, and how many more): the catalog in both state languages, as the openness
 * index reads it.
 */
export async function datasetsInKazakh(db: Queryable, listed: number): Promise<Map<number, { total: number; missing: Array<{ name: string; title: MultilingualText }>; moreMissing: number }>> {
  const rows = await db.query<{ agency_id: string; name: string; title: MultilingualText; complete: boolean }>(
    `select d.agency_id, d.name, d.title, coalesce(d.title->>'kk', '') <> '' and coalesce(d.description->>'kk', '') <> '' as complete
     from datasets d where ${PUBLIC_DATASET} order by d.agency_id, d.name`)
  const found = new Map<number, { total: number; missing: Array<{ name: string; title: MultilingualText }>; moreMissing: number }>()
  for (const r of rows) {
    const body = found.get(Number(r.agency_id)) ?? { total: 0, missing: [], moreMissing: 0 }
    body.total += 1
    if (!r.complete) {
      if (body.missing.length < listed) body.missing.push({ name: r.name, title: r.title })
      else body.moreMissing += 1
    }
    found.set(Number(r.agency_id), body)
  }
  return found
}
