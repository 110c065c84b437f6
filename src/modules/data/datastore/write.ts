import type { Db, Queryable } from '../../../platform/db/index.ts'
import { quoteIdentifier } from '../../../platform/db/index.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { ValidationError, type FieldError } from '../../../platform/http/index.ts'
import type { Lang } from '../../../platform/i18n/index.ts'
import { SQL_TYPES, columnNames, type ColumnType } from './detect.ts'
import type { DatastoreField } from './ingest.ts'
import { liveTable } from './ingest.ts'
import type { FilterValue } from './query.ts'
import { whereClause } from './query.ts'
import { addAliases } from './aliases.ts'

const INFO_LIMIT = 10_000

/**
 * A column's data dictionary from CKAN's "info": the label and notes in the request's language
 * (the title and description the pages show), the rest kept as it came.
 */
function dictionaryOf(info: Record<string, unknown> | undefined, lang: Lang): Pick<DatastoreField, 'title' | 'description' | 'info'> {
  const { label, notes, ...rest } = info ?? {}
  return {
    title: typeof label === 'string' && label.trim() ? { [lang]: label.trim() } : {},
    description: typeof notes === 'string' && notes.trim() ? { [lang]: notes.trim() } : {},
    ...(Object.keys(rest).length > 0 ? { info: rest } : {}),
  }
}

/** The type names CKAN clients send for a column, and the type each means here. */
export const CKAN_TYPE_NAMES: Record<string, ColumnType> = {
  text: 'text', string: 'text', int: 'integer', int4: 'integer', int8: 'integer', integer: 'integer', bigint: 'integer',
  numeric: 'decimal', float: 'decimal', float8: 'decimal', 'double precision': 'decimal', number: 'decimal',
  date: 'date', timestamp: 'timestamp', bool: 'boolean', boolean: 'boolean',
  json: 'json', jsonb: 'json',
  _text: 'text-list', 'text[]': 'text-list',
  _int4: 'integer-list', _int8: 'integer-list', 'int[]': 'integer-list', 'int4[]': 'integer-list', 'int8[]': 'integer-list', 'integer[]': 'integer-list', 'bigint[]': 'integer-list',
  _numeric: 'decimal-list', _float8: 'decimal-list', 'numeric[]': 'decimal-list', 'float[]': 'decimal-list', 'float8[]': 'decimal-list',
}

export type Row = Record<string, unknown>

// The day and time layouts CKAN's datastore takes a text for a timestamp by (ckanext/datastore
// backend/postgres.py, _DATE_FORMATS), but the month-first ones a day-first reading would misread.
const DATE_LAYOUTS = [
  /^\d{4}-\d{2}-\d{2}$/, /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}Z?$/, /^\d{2}\/\d{2}\/\d{4}$/, /^\d{2}-\d{2}-\d{4}$/,
]
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i

/**
 * A column's type guessed from a value, as CKAN's datastore_create guesses it (_guess_type) for a
 * field given without a type and for a key of the first record that no field names: an object or
 * a list is json (CKAN's "nested"), a whole number integer, another number numeric, a day or time
 * a timestamp, anything else text. A true or false is boolean here (CKAN would make it an int).
 */
export function guessColumnType(value: unknown): string {
  if (value !== null && typeof value === 'object') return 'json'
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'numeric'
  if (typeof value !== 'string') return 'text'
  const text = value.trim()
  if (/^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text))) return 'integer'
  if (DECIMAL.test(text)) return 'numeric'
  if (DATE_LAYOUTS.some((layout) => layout.test(text)) && !Number.isNaN(Date.parse(text.replace(/^(\d{2})[/-](\d{2})[/-](\d{4})$/, '$3-$2-$1')))) return 'timestamp'
  return 'text'
}

/** The fields datastore_create makes: those given, typed by the first record where they have no type, then the first record's other keys. */
export function fieldsWithGuesses(fields: Array<{ id: string; type?: string; info?: Record<string, unknown> }>, records: readonly Row[]): Array<{ id: string; type?: string; info?: Record<string, unknown> }> {
  const first = records[0]
  if (!first) return fields
  const named = new Set(fields.map((f) => f.id))
  return [
    ...fields.map((f) => (f.type || !(f.id in first) ? f : { ...f, type: guessColumnType(first[f.id]) })),
    ...Object.keys(first).filter((key) => !named.has(key)).map((id) => ({ id, type: guessColumnType(first[id]) })),
  ]
}
export type WriteMethod = 'insert' | 'upsert' | 'update'

interface Stored {
  active: boolean
  fields: DatastoreField[]
  primaryKey: string[]
}

async function stored(tx: Queryable, resourceId: string): Promise<Stored | undefined> {
  const [row] = await tx.query<Stored>(
    'select active, fields, primary_key as "primaryKey" from data_datastore where resource_id = $1 for update', [resourceId])
  return row
}

/** Rows in as one statement: PostgreSQL reads the JSON records into the columns' own types. */
function recordset(fields: readonly DatastoreField[]): string {
  return `jsonb_to_recordset($1::jsonb) as x(${fields.map((f) => `${quoteIdentifier(f.id)} ${SQL_TYPES[f.type]}`).join(', ')})`
}

function refused(error: unknown, field: string): never {
  if (error instanceof ValidationError) throw error
  const message = (error as Error).message
  throw new ValidationError([{ field, messageKey: 'data.datastore.write.refused', values: { reason: message } }])
}

function checkRecords(records: readonly Row[], fields: readonly DatastoreField[]): void {
  const known = new Set(fields.map((f) => f.id))
  const problems: FieldError[] = []
  records.forEach((record, i) => {
    for (const key of Object.keys(record)) {
      if (!known.has(key)) problems.push({ field: `records.${i}.${key}`, messageKey: 'data.datastore.query.unknownColumn', values: { column: key } })
    }
  })
  if (problems.length > 0) throw new ValidationError(problems.slice(0, 20))
}

async function afterWrite(tx: Queryable, actor: Actor, resourceId: string, datasetId: string, action: string, details: Record<string, unknown>): Promise<void> {
  await tx.query(
    `update data_datastore set row_count = (select count(*) from ${liveTable(resourceId)}), loaded_at = now(), indexed_at = null where resource_id = $1`,
    [resourceId],
  )
  await recordChange(tx, actor, { action, entity: 'dataset', entityId: datasetId, before: null, after: { resourceId, ...details } })
}

/**
 * datastore_create: makes a resource's table from the given columns (or adds new columns to the
 * table it has), then inserts the records. A table made this way is the resource's until a new file
 * is uploaded.
 */
export async function createDatastoreTable(
  db: Db, actor: Actor, resource: { id: string; datasetId: string } | ((tx: Queryable) => Promise<{ id: string; datasetId: string }>),
  input: { fields: Array<{ id: string; type?: string; info?: Record<string, unknown> }>; records: Row[]; primaryKey: string[]; lang: Lang; aliases?: string[] },
): Promise<{ resourceId: string; fields: DatastoreField[]; primaryKey: string[] }> {
  const problems: FieldError[] = []
  const given = fieldsWithGuesses(input.fields, input.records)
  const ids = columnNames(given.map((f) => f.id))
  let requested: DatastoreField[] = given.map((f, i) => {
    if (ids[i] !== f.id) problems.push({ field: `fields.${i}.id`, messageKey: 'data.datastore.write.columnName', values: { column: f.id } })
    const type = CKAN_TYPE_NAMES[(f.type ?? 'text').toLowerCase()]
    if (!type) problems.push({ field: `fields.${i}.type`, messageKey: 'data.datastore.write.type', values: { type: f.type ?? '', allowed: Object.keys(CKAN_TYPE_NAMES).join(', ') } })
    if (f.info && JSON.stringify(f.info).length > INFO_LIMIT) problems.push({ field: `fields.${i}.info`, messageKey: 'data.datastore.write.info', values: { limit: INFO_LIMIT } })
    return { id: f.id, type: type ?? 'text', ...dictionaryOf(f.info, input.lang) }
  })
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    // A resource made for the table is made in the same transaction: refused input leaves neither.
    const target = typeof resource === 'function' ? await resource(tx) : resource
    const current = await stored(tx, target.id)
    const table = liveTable(target.id)
    let fields: DatastoreField[]
    let primaryKey = input.primaryKey
    if (current?.active) {
      const existing = new Map(current.fields.map((f) => [f.id, f]))
      // A column the table has keeps its type: a guess from a record does not ask to change it.
      const guessed = new Set(given.filter((f, i) => f !== input.fields[i] && !input.fields[i]?.type).map((f) => f.id))
      // A column named again with its info has its dictionary entry replaced, as CKAN does.
      const named = new Map(given.map((f, i) => [f.id, { info: f.info, field: requested[i]! }]))
      requested = requested.filter((f) => !(guessed.has(f.id) && existing.has(f.id)))
      for (const f of requested) {
        const had = existing.get(f.id)
        if (had && had.type !== f.type) throw new ValidationError([{ field: 'fields', messageKey: 'data.datastore.write.typeChange', values: { column: f.id } }])
      }
      const added = requested.filter((f) => !existing.has(f.id))
      for (const f of added) await tx.query(`alter table ${table} add column ${quoteIdentifier(f.id)} ${SQL_TYPES[f.type]}`)
      fields = [...current.fields.map((f) => {
        const again = named.get(f.id)
        return again?.info ? { ...f, title: again.field.title, description: again.field.description, info: again.field.info } : f
      }), ...added]
      if (primaryKey.length === 0) primaryKey = current.primaryKey
    } else {
      if (requested.length === 0) throw new ValidationError([{ field: 'fields', messageKey: 'platform.validation.required' }])
      await tx.query(`drop table if exists ${table}`)
      await tx.query(`create table ${table} (_id bigint generated by default as identity primary key, ${requested.map((f) => `${quoteIdentifier(f.id)} ${SQL_TYPES[f.type]}`).join(', ')})`)
      fields = requested
    }
    const unknownKey = primaryKey.find((key) => !fields.some((f) => f.id === key))
    if (unknownKey) throw new ValidationError([{ field: 'primary_key', messageKey: 'data.datastore.query.unknownColumn', values: { column: unknownKey } }])
    if (primaryKey.length > 0 && JSON.stringify(primaryKey) !== JSON.stringify(current?.primaryKey ?? [])) {
      try {
        await tx.query(`create unique index on ${table} (${primaryKey.map(quoteIdentifier).join(', ')})`)
      } catch (error) {
        refused(error, 'primary_key')
      }
    }
    await tx.query(
      `insert into data_datastore (resource_id, active, fields, primary_key, load_state, load_key, load_format, loaded_at)
       values ($1, true, $2, $3, 'ready', 'api', 'API', now())
       on conflict (resource_id) do update set active = true, fields = excluded.fields, primary_key = excluded.primary_key`,
      [target.id, JSON.stringify(fields), primaryKey],
    )
    await addAliases(tx, target.id, input.aliases ?? [])
    await writeRecords(tx, target.id, fields, primaryKey, input.records, 'insert')
    await afterWrite(tx, actor, target.id, target.datasetId, 'datastore.create', { fields: fields.map((f) => f.id), records: input.records.length })
    return { resourceId: target.id, fields, primaryKey }
  })
}

async function writeRecords(tx: Queryable, resourceId: string, fields: readonly DatastoreField[], primaryKey: readonly string[], records: readonly Row[], method: WriteMethod): Promise<void> {
  if (records.length === 0) return
  checkRecords(records, fields)
  if (method !== 'insert' && primaryKey.length === 0) throw new ValidationError([{ field: 'method', messageKey: 'data.datastore.write.needsKey', values: { method } }])
  const missingKey = primaryKey.find((key) => records.some((r) => r[key] === undefined || r[key] === null))
  if (method !== 'insert' && missingKey) throw new ValidationError([{ field: 'records', messageKey: 'data.datastore.write.keyMissing', values: { column: missingKey } }])
  await tx.query(`select set_config('datestyle', 'ISO, DMY', true)`)
  // A column a record leaves out keeps its value: records are written in groups of the same columns.
  const groups = new Map<string, Row[]>()
  for (const record of records) {
    const key = fields.filter((f) => f.id in record).map((f) => f.id).join('\u0000')
    groups.set(key, [...(groups.get(key) ?? []), record])
  }
  for (const group of groups.values()) {
    await writeGroup(tx, resourceId, fields.filter((f) => f.id in group[0]!), primaryKey, group, method)
  }
}

async function writeGroup(tx: Queryable, resourceId: string, given: readonly DatastoreField[], primaryKey: readonly string[], records: readonly Row[], method: WriteMethod): Promise<void> {
  const table = liveTable(resourceId)
  const columns = given.map((f) => quoteIdentifier(f.id)).join(', ')
  const keyColumns = primaryKey.map(quoteIdentifier)
  const others = given.filter((f) => !primaryKey.includes(f.id)).map((f) => quoteIdentifier(f.id))
  const json = JSON.stringify(records)
  try {
    if (method === 'insert') {
      await tx.query(`insert into ${table} (${columns}) select ${columns} from ${recordset(given)}`, [json])
    } else if (method === 'upsert') {
      const conflict = others.length > 0 ? `do update set ${others.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'do nothing'
      await tx.query(`insert into ${table} (${columns}) select ${columns} from ${recordset(given)} on conflict (${keyColumns.join(', ')}) ${conflict}`, [json])
    } else {
      const assignments = others.length > 0 ? others.map((c) => `${c} = x.${c}`) : [`${keyColumns[0]} = x.${keyColumns[0]}`]
      const [{ matched } = { matched: 0 }] = await tx.query<{ matched: number }>(
        `with changed as (update ${table} t set ${assignments.join(', ')} from ${recordset(given)}
           where ${keyColumns.map((k) => `t.${k} = x.${k}`).join(' and ')} returning 1)
         select count(*)::int as matched from changed`,
        [json],
      )
      if (matched < records.length) throw new ValidationError([{ field: 'records', messageKey: 'data.datastore.write.notFound', values: { count: records.length - matched } }])
    }
  } catch (error) {
    refused(error, 'records')
  }
}

/** datastore_upsert: records in, by method (insert, upsert by the primary key, update by it). */
export async function upsertRecords(db: Db, actor: Actor, resource: { id: string; datasetId: string }, records: Row[], method: WriteMethod): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await stored(tx, resource.id)
    if (!current?.active) throw new ValidationError([{ field: 'resource_id', messageKey: 'data.datastore.write.noTable' }])
    await writeRecords(tx, resource.id, current.fields, current.primaryKey, records, method)
    await afterWrite(tx, actor, resource.id, resource.datasetId, 'datastore.upsert', { method, records: records.length })
  })
}

/** datastore_delete: the rows matching filters, or (no filters) the whole table. */
export async function deleteRecords(db: Db, actor: Actor, resource: { id: string; datasetId: string }, filters: Record<string, FilterValue | FilterValue[]> | undefined): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await stored(tx, resource.id)
    if (!current?.active) throw new ValidationError([{ field: 'resource_id', messageKey: 'data.datastore.write.noTable' }])
    if (!filters || Object.keys(filters).length === 0) {
      await tx.query(`drop table if exists ${liveTable(resource.id)}`)
      await tx.query(`update data_datastore set active = false, row_count = 0 where resource_id = $1`, [resource.id])
      await recordChange(tx, actor, { action: 'datastore.delete', entity: 'dataset', entityId: resource.datasetId, before: { resourceId: resource.id, fields: current.fields.map((f) => f.id) }, after: null })
      return
    }
    const { sql, params } = whereClause(current.fields, filters)
    await tx.query(`delete from ${liveTable(resource.id)}${sql}`, params)
    await afterWrite(tx, actor, resource.id, resource.datasetId, 'datastore.delete', { filters })
  })
}
