import { Type, type Static } from 'typebox'
import { stringify } from 'csv-stringify/sync'
import { csvCells } from '../../../platform/files/csv-cells.ts'
import { ValidationError } from '../../../platform/http/index.ts'
import { localize } from '../../../platform/i18n/multilingual.ts'
import { countDemand } from '../demand/service.ts'
import { CKAN_TYPES, isStructuredType } from '../datastore/detect.ts'
import type { DatastoreField } from '../datastore/ingest.ts'
import { MAX_LIMIT, ROW_ID, apiValue, findDatastoreTable, rankColumn, searchDatastore, type DatastoreQuery, type FilterValue } from '../datastore/query.ts'
import { defineAction, type ActionContext, type CkanAction } from './read-actions.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import { findDataset } from '../publishing/dataset.ts'
import { findResource, insertResource } from '../publishing/resource.ts'
import { resourceFields } from './write-actions.ts'
import type { PackageResource } from './params.ts'
import type { Queryable } from '../../../platform/db/index.ts'
import { aliasesOf, resolveDatastoreId } from '../datastore/aliases.ts'
import { runDatastoreSql } from '../datastore/sql.ts'
import { createDatastoreTable, deleteRecords, upsertRecords, type Row } from '../datastore/write.ts'

const ResourceId = Type.String({ minLength: 1, maxLength: 100, description: 'The resource whose table to read' })
const Words = Type.String({ maxLength: 1000 })

export const DatastoreSearchParams = Type.Object(
  {
    resource_id: Type.Optional(ResourceId),
    id: Type.Optional(ResourceId),
    filters: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.String({ maxLength: 10_000 })], { description: 'Column = value: {"region": "Астана", "year": [2022, 2023]}' })),
    q: Type.Optional(Type.Union([Words, Type.Record(Type.String(), Words)], { description: 'Words every row contains (prefixes count), in any column or per column' })),
    distinct: Type.Optional(Type.Boolean()),
    plain: Type.Optional(Type.Boolean()),
    language: Type.Optional(Type.String({ maxLength: 30 })),
    fields: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 1600 })], { description: 'Columns to return: "a,b" or ["a","b"]' })),
    sort: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 300 }), { maxItems: 20 })], { description: '"year desc, region"' })),
    limit: Type.Optional(Type.Integer({ minimum: 0, description: `At most ${MAX_LIMIT} (more is lowered to it, as CKAN's ckan.datastore.search.rows_max)` })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
    include_total: Type.Optional(Type.Boolean()),
    total_estimation_threshold: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    records_format: Type.Optional(Type.String({ enum: ['objects', 'lists', 'csv', 'tsv'] })),
  },
  { additionalProperties: false },
)
type SearchParams = Static<typeof DatastoreSearchParams>

const Records = Type.Array(Type.Record(Type.String({ maxLength: 200 }), Type.Unknown()), { maxItems: 50_000, description: 'Rows as objects of column: value' })
const KeyList = Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 })])

export const DatastoreCreateParams = Type.Object(
  {
    resource_id: Type.Optional(ResourceId),
    resource: Type.Optional(Type.Object(
      { package_id: Type.String({ minLength: 1, maxLength: 100 }) },
      { additionalProperties: true, description: 'A new resource whose data is this table only (CKAN\'s url_type "datastore"): package_id, name, description…' },
    )),
    force: Type.Optional(Type.Boolean()),
    fields: Type.Optional(Type.Array(Type.Object({
      id: Type.String({ minLength: 1, maxLength: 200 }),
      type: Type.Optional(Type.String({ maxLength: 40 })),
      info: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }), { maxItems: 1500 })),
    records: Type.Optional(Records),
    primary_key: Type.Optional(KeyList),
    indexes: Type.Optional(KeyList),
    // Other names of the table ("a,b" or a list), which every datastore action takes for its resource_id.
    aliases: Type.Optional(KeyList),
  },
  { additionalProperties: false },
)

export const DatastoreUpsertParams = Type.Object(
  {
    resource_id: ResourceId,
    force: Type.Optional(Type.Boolean()),
    records: Records,
    method: Type.Optional(Type.String({ enum: ['upsert', 'insert', 'update'] })),
  },
  { additionalProperties: false },
)

export const DatastoreDeleteParams = Type.Object(
  {
    resource_id: ResourceId,
    force: Type.Optional(Type.Boolean()),
    filters: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.String({ maxLength: 10_000 })])),
  },
  { additionalProperties: false },
)

/** How to make the new resource whose data is the table datastore_create makes (in its transaction). */
async function datastoreOnlyResource(ctx: ActionContext, given: PackageResource & { package_id: string }): Promise<(tx: Queryable) => Promise<{ id: string; datasetId: string }>> {
  const { id: datasetId, agencyId } = await findDataset(ctx.db, given.package_id)
  authorize(ctx.user, 'dataset.update', { agencyId })
  return async (tx) => ({ id: await insertResource(tx, ctx.actor, datasetId, { ...resourceFields(given, ctx.lang), url: undefined, datastoreOnly: true }), datasetId })
}

/** The resource a write names, once the caller is known to edit its dataset. */
async function writableResource(ctx: ActionContext, resourceId: string): Promise<{ id: string; datasetId: string }> {
  const resource = await findResource(ctx.db, await resolveDatastoreId(ctx.db, resourceId))
  const { agencyId } = await findDataset(ctx.db, resource.datasetId)
  authorize(ctx.user, 'dataset.update', { agencyId })
  return resource
}

export const DatastoreSearchSqlParams = Type.Object(
  { sql: Type.String({ maxLength: 20_000, description: 'One SELECT over tables named by resource id: SELECT * FROM "<resource id>" WHERE …' }) },
  { additionalProperties: false },
)

export const DatastoreInfoParams = Type.Object({ id: Type.Optional(ResourceId), resource_id: Type.Optional(ResourceId) }, { additionalProperties: false })

/** The resource a read names by its id or an alias. */
async function resourceIdOf(db: Queryable, params: { id?: string; resource_id?: string }): Promise<string> {
  const id = params.resource_id ?? params.id
  if (!id) throw new ValidationError([{ field: 'resource_id', messageKey: 'platform.validation.required' }])
  return resolveDatastoreId(db, id)
}

// A GET query string carries filters as JSON and lists as "a,b".
function filtersOf(value: SearchParams['filters']): Record<string, FilterValue | FilterValue[]> {
  let parsed: unknown = value ?? {}
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value)
    } catch {
      parsed = null
    }
  }
  const isValue = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v)
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)
    || !Object.values(parsed).every((v) => isValue(v) || (Array.isArray(v) && v.length <= 1000 && v.every(isValue)))) {
    throw new ValidationError([{ field: 'filters', messageKey: 'data.datastore.query.filters' }])
  }
  return parsed as Record<string, FilterValue | FilterValue[]>
}

function listOf(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined
  return (Array.isArray(value) ? value : value.split(',')).map((v) => v.trim()).filter(Boolean)
}

/** A column as CKAN describes it: its id, its PostgreSQL type and the publisher's words about it. */
export function ckanField(field: DatastoreField, ctx: ActionContext) {
  if (field.id === ROW_ID.id) return { id: '_id', type: 'int' }
  // The rank columns q adds (a table's own column of that name is reported as it is stored).
  if ((field.id === rankColumn('') || field.id.startsWith(`${rankColumn('')} `)) && Object.keys(field.title).length === 0 && field.type === 'decimal') return { id: field.id, type: 'float' }
  const label = localize(field.title, ctx.lang)?.text
  const notes = localize(field.description, ctx.lang)?.text
  return { id: field.id, type: CKAN_TYPES[field.type], info: { label: label ?? '', notes: notes ?? '', type_override: '', ...field.info } }
}

function searchLink(params: SearchParams, offset: number): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries({ ...params, offset })) {
    if (value === undefined || value === 0 && key === 'offset') continue
    query.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value))
  }
  return `/api/3/action/datastore_search?${query.toString()}`
}

export const datastoreActions: CkanAction[] = [
  defineAction({
    name: 'datastore_search',
    // ckanext/datastore/logic/schema.py: unknown keys land in __junk, which must be empty.
    unknownKeys: 'refuse',
    summary: 'Rows of a resource\'s table: filters, q, fields, sort, limit, offset, distinct, include_total, records_format',
    params: DatastoreSearchParams,
    async run(ctx, params) {
      const query: DatastoreQuery = {
        filters: filtersOf(params.filters),
        q: params.q,
        fields: listOf(params.fields),
        sort: Array.isArray(params.sort) ? params.sort.join(',') : params.sort,
        offset: params.offset ?? 0,
        distinct: params.distinct ?? false,
        includeTotal: params.include_total ?? true,
        totalEstimationThreshold: params.total_estimation_threshold ?? null,
        plain: params.plain ?? true,
      }
      query.limit = Math.min(params.limit ?? 100, MAX_LIMIT)
      const { table, result } = await searchDatastore(ctx.db, await resourceIdOf(ctx.db, params), query)
      await countDemand(ctx.db, table.datasetId, 'api_calls', { address: ctx.address })
      const format = params.records_format ?? 'objects'
      const ids = result.fields.map((f) => f.id)
      // JSON and list columns as JSON, not as the database writes them.
      const structured = result.fields.flatMap((f, i) => (isStructuredType(f.type) ? [i] : []))
      const values = structured.length === 0 ? result.rows : result.rows.map((row) => {
        const copy: unknown[] = [...row]
        for (const i of structured) copy[i] = apiValue(result.fields[i]!.type, row[i]!)
        return copy
      })
      let records: unknown
      if (format === 'objects') {
        records = values.map((row) => {
          // A plain object (one without a prototype is slower to fill and to write out): no column is
          // named __proto__, as no column's name but _id begins with "_" (columnNames, detect.ts).
          const record: Record<string, unknown> = {}
          for (let i = 0; i < ids.length; i += 1) record[ids[i]!] = row[i]
          return record
        })
      }
      else if (format === 'lists') records = values
      else {
        const text = result.fields.map((f) => f.type === 'text')
        records = stringify(result.rows.map((row) => csvCells(row, text)), { delimiter: format === 'tsv' ? '\t' : ',' })
      }
      return {
        include_total: query.includeTotal,
        limit: query.limit,
        records_format: format,
        resource_id: table.resourceId,
        total_estimation_threshold: params.total_estimation_threshold ?? null,
        ...(params.filters !== undefined ? { filters: query.filters } : {}),
        ...(params.q !== undefined ? { q: params.q } : {}),
        ...(params.sort !== undefined ? { sort: query.sort } : {}),
        ...(params.offset ? { offset: params.offset } : {}),
        ...(params.distinct !== undefined ? { distinct: params.distinct } : {}),
        records,
        fields: result.fields.map((f) => ckanField(f, ctx)),
        _links: {
          start: searchLink(params, 0),
          ...((params.offset ?? 0) > 0 ? { prev: searchLink(params, Math.max(0, (params.offset ?? 0) - query.limit)) } : {}),
          next: searchLink(params, (params.offset ?? 0) + query.limit),
        },
        ...(result.total !== undefined ? { total: result.total, total_was_estimated: result.totalWasEstimated ?? false } : {}),
      }
    },
  }),
  defineAction({
    name: 'datastore_search_sql',
    summary: 'One read-only SELECT over resources\' tables (by resource id), run as a role that reads only the datastore, with a time limit and a row cap',
    params: DatastoreSearchSqlParams,
    async run(ctx, params) {
      const result = await runDatastoreSql(ctx.db, params.sql, { enabled: ctx.datastoreSql }).catch((error: unknown) => {
        // CKAN reports what is wrong with the statement under "query" (ckanext/datastore/backend/postgres.py).
        if (error instanceof ValidationError) throw new ValidationError(error.fields.map((f) => ({ ...f, field: f.field === 'sql' ? 'query' : f.field })))
        throw error
      })
      for (const datasetId of result.datasetIds) await countDemand(ctx.db, datasetId, 'api_calls', { address: ctx.address })
      return {
        sql: params.sql,
        records: result.records,
        fields: result.fields,
        ...(result.truncated ? { records_truncated: true } : {}),
      }
    },
  }),
  defineAction({
    name: 'datastore_info',
    summary: 'The columns and row count of a resource\'s table',
    params: DatastoreInfoParams,
    async run(ctx, params) {
      const table = await findDatastoreTable(ctx.db, await resourceIdOf(ctx.db, params))
      return {
        meta: { id: table.resourceId, count: table.rowCount, table_type: 'BASE TABLE', aliases: await aliasesOf(ctx.db, table.resourceId), last_loaded: table.loadedAt },
        fields: table.fields.map((f) => ckanField(f, ctx)),
      }
    },
  }),
  defineAction({
    name: 'datastore_create',
    // ckanext/datastore/logic/schema.py: unknown keys land in __junk, which must be empty.
    unknownKeys: 'refuse',
    summary: 'Make a resource\'s table from fields (or add fields to it) and insert records',
    params: DatastoreCreateParams,
    write: true,
    async run(ctx, params) {
      const resource = params.resource_id ? await writableResource(ctx, params.resource_id)
        : params.resource ? await datastoreOnlyResource(ctx, params.resource as PackageResource & { package_id: string })
        : null
      if (!resource) throw new ValidationError([{ field: 'resource_id', messageKey: 'platform.validation.required' }])
      const result = await createDatastoreTable(ctx.db, ctx.actor, resource, {
        fields: params.fields ?? [], records: (params.records ?? []) as Row[], primaryKey: listOf(params.primary_key) ?? [], lang: ctx.lang,
        aliases: listOf(params.aliases) ?? [],
      })
      return {
        resource_id: result.resourceId,
        fields: result.fields.map((f) => ckanField(f, ctx)),
        primary_key: result.primaryKey,
        ...(params.records ? { records: params.records } : {}),
        method: 'insert',
      }
    },
  }),
  defineAction({
    name: 'datastore_upsert',
    // ckanext/datastore/logic/schema.py: unknown keys land in __junk, which must be empty.
    unknownKeys: 'refuse',
    summary: 'Add or change records of a resource\'s table: method upsert (by primary key), insert or update',
    params: DatastoreUpsertParams,
    write: true,
    async run(ctx, params) {
      const resource = await writableResource(ctx, params.resource_id)
      const method = (params.method ?? 'upsert') as 'upsert' | 'insert' | 'update'
      await upsertRecords(ctx.db, ctx.actor, resource, params.records as Row[], method)
      return { resource_id: resource.id, method, records: params.records }
    },
  }),
  defineAction({
    name: 'datastore_delete',
    // ckanext/datastore/logic/schema.py: unknown keys land in __junk, which must be empty.
    unknownKeys: 'refuse',
    summary: 'Delete the records matching filters, or (no filters) the whole table',
    params: DatastoreDeleteParams,
    write: true,
    async run(ctx, params) {
      const resource = await writableResource(ctx, params.resource_id)
      const filters = params.filters === undefined ? undefined : filtersOf(params.filters as SearchParams['filters'])
      await deleteRecords(ctx.db, ctx.actor, resource, filters)
      return { resource_id: resource.id, ...(filters ? { filters } : {}) }
    },
  }),
]
