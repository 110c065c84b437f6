import { parse } from 'csv-parse/sync'
import { isIsoDate } from '../../../platform/http/validation.ts'
import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/index.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { FREQUENCIES, scheduleState, type Frequency, type ListState } from '../catalog/vocabularies.ts'
import { agencyIdBySlug } from '../../agencies/service.ts'
import { PUBLIC_DATASET } from '../catalog/visibility.ts'

export type { ListState }
export const LIST_STATES: readonly ListState[] = ['overdue', 'not-published', 'upcoming', 'on-time']

export interface ListEntry {
  id: number
  code: string
  agency: { id: number; slug: string; name: MultilingualText }
  title: MultilingualText
  frequency: Frequency
  firstDeadline: string
  dataset: { id: string; name: string; title: MultilingualText; dataUpdatedAt: string | null } | null
  state: ListState
  /** The deadline that decides the state: the next one when on time, the missed one when late. */
  dueAt: string | null
  /** Whole days past the missed deadline (overdue, not published). */
  overdueDays: number | null
}

/** The state of an entry on the list's schedule: the one function that decides it, for the list and the dataset's page alike. */
export function entryState(frequency: Frequency, firstDeadline: string, dataUpdatedAt: string | null, now: Date = new Date()): Pick<ListEntry, 'state' | 'dueAt' | 'overdueDays'> {
  return scheduleState(frequency, firstDeadline, dataUpdatedAt, now)
}

interface EntryRow {
  id: number; code: string; agency_id: number; agency_slug: string; agency_name: MultilingualText; title: MultilingualText
  frequency: Frequency; first_deadline: string; dataset_id: string | null; dataset_name: string | null; dataset_title: MultilingualText | null
  data_updated_at: Date | string | null
}

/** The entries of the list (of one body, if given), each with its state today, in the list's order. */
export async function listEntries(db: Queryable, filter: { agencySlug?: string } = {}, now: Date = new Date()): Promise<ListEntry[]> {
  const rows = await db.query<EntryRow>(
    `select e.id, e.code, e.agency_id, a.slug as agency_slug, a.name as agency_name, e.title, e.frequency,
            to_char(e.first_deadline, 'YYYY-MM-DD') as first_deadline, d.id as dataset_id, d.name as dataset_name, d.title as dataset_title,
            d.data_updated_at
     from data_list_entries e
     join agencies a on a.id = e.agency_id
     left join datasets d on d.id = e.dataset_id and ${PUBLIC_DATASET}
     where ($1::text is null or a.slug = $1)
     order by e.code`,
    [filter.agencySlug ?? null],
  )
  return rows.map((row) => {
    const dataUpdatedAt = row.data_updated_at ? new Date(row.data_updated_at).toISOString() : null
    return {
      id: row.id,
      code: row.code,
      agency: { id: row.agency_id, slug: row.agency_slug, name: row.agency_name },
      title: row.title,
      frequency: row.frequency,
      firstDeadline: row.first_deadline,
      dataset: row.dataset_id && row.dataset_name ? { id: row.dataset_id, name: row.dataset_name, title: row.dataset_title ?? {}, dataUpdatedAt } : null,
      ...entryState(row.frequency, row.first_deadline, row.dataset_id ? dataUpdatedAt : null, now),
    }
  })
}

export interface ListSummary {
  agency: { slug: string; name: MultilingualText }
  total: number
  counts: Record<ListState, number>
}

/** Each body with entries in the list, and how many of them stand in each state. */
export async function listSummary(db: Queryable, now: Date = new Date()): Promise<ListSummary[]> {
  const bySlug = new Map<string, ListSummary>()
  for (const entry of await listEntries(db, {}, now)) {
    const summary = bySlug.get(entry.agency.slug) ?? {
      agency: { slug: entry.agency.slug, name: entry.agency.name }, total: 0, counts: { 'on-time': 0, overdue: 0, 'not-published': 0, upcoming: 0 },
    }
    summary.total += 1
    summary.counts[entry.state] += 1
    bySlug.set(entry.agency.slug, summary)
  }
  return [...bySlug.values()]
}

/** One entry as an administrator gives it, in a form or a row of the CSV file. */
export interface ListEntryFields {
  code: string
  agencySlug: string
  title: MultilingualText
  frequency: string
  firstDeadline: string
  /** The dataset that fulfils it (its name), if known. */
  datasetName?: string | null
}

const CODE = /^[A-Za-z0-9._-]{1,40}$/

/** Checks one entry; returns its body and dataset ids, or the problems (fields prefixed by `prefix`). */
async function checkEntry(tx: Queryable, fields: ListEntryFields, prefix = ''): Promise<{ agencyId: number; datasetId: string | null } | FieldError[]> {
  const problems: FieldError[] = []
  const add = (field: string, messageKey: string, values?: Record<string, unknown>) => problems.push({ field: `${prefix}${field}`, messageKey, values })
  if (!CODE.test(fields.code)) add('code', 'data.list.errors.code')
  if (Object.keys(cleanMultilingual(fields.title)).length === 0) add('title', 'data.errors.titleRequired')
  for (const [lang, text] of Object.entries(fields.title)) if ((text?.length ?? 0) > 500) add(`title.${lang}`, 'platform.validation.maxLength', { limit: 500 })
  if (!FREQUENCIES.includes(fields.frequency as Frequency)) add('frequency', 'platform.validation.enum', { allowed: FREQUENCIES.join(', ') })
  if (!isIsoDate(fields.firstDeadline)) add('firstDeadline', 'data.errors.date')
  const agencyId = await agencyIdBySlug(tx, fields.agencySlug)
  if (agencyId === undefined) add('agencySlug', 'data.ckan.ownerOrg')
  let datasetId: string | null = null
  if (fields.datasetName) {
    const [dataset] = await tx.query<{ id: string; agency_id: number }>(`select id, agency_id from datasets where name = $1 and state = 'active'`, [fields.datasetName])
    if (!dataset) add('datasetName', 'data.list.errors.datasetUnknown')
    else if (agencyId !== undefined && dataset.agency_id !== agencyId) add('datasetName', 'data.list.errors.datasetOfOtherBody')
    else datasetId = dataset.id
  }
  return problems.length > 0 ? problems : { agencyId: agencyId!, datasetId }
}

// JSON with keys in one order, to compare values whatever order jsonb gave them in.
function stableJson(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))))
  }
  return JSON.stringify(value ?? null)
}

async function upsertEntry(tx: Queryable, actor: Actor, fields: ListEntryFields, ids: { agencyId: number; datasetId: string | null }): Promise<'created' | 'updated' | 'unchanged'> {
  const stored = {
    code: fields.code, agencySlug: fields.agencySlug, title: cleanMultilingual(fields.title), frequency: fields.frequency,
    firstDeadline: fields.firstDeadline, datasetName: fields.datasetName || null,
  }
  const [before] = await tx.query<{ id: number; snapshot: typeof stored }>(
    `select e.id, jsonb_build_object('code', e.code, 'agencySlug', a.slug, 'title', e.title, 'frequency', e.frequency,
            'firstDeadline', to_char(e.first_deadline, 'YYYY-MM-DD'), 'datasetName', d.name) as snapshot
     from data_list_entries e join agencies a on a.id = e.agency_id left join datasets d on d.id = e.dataset_id
     where e.code = $1 for update of e`,
    [fields.code],
  )
  if (before) {
    // A reloaded list that names no dataset keeps the one the body linked.
    const keepDataset = !fields.datasetName
    const after = { ...stored, datasetName: keepDataset ? before.snapshot.datasetName : stored.datasetName }
    const same = (Object.keys(after) as (keyof typeof after)[]).every((key) => stableJson(after[key]) === stableJson(before.snapshot[key]))
    if (same) return 'unchanged'
    await tx.query(
      `update data_list_entries set agency_id = $2, title = $3, frequency = $4, first_deadline = $5,
         dataset_id = case when $6::boolean then dataset_id else $7::uuid end, updated_at = now() where id = $1`,
      [before.id, ids.agencyId, stored.title, stored.frequency, stored.firstDeadline, keepDataset, ids.datasetId],
    )
    await recordChange(tx, actor, { action: 'list-entry.update', entity: 'list-entry', entityId: fields.code, before: before.snapshot, after })
    return 'updated'
  }
  await tx.query(
    `insert into data_list_entries (code, agency_id, title, frequency, first_deadline, dataset_id) values ($1, $2, $3, $4, $5, $6)`,
    [fields.code, ids.agencyId, stored.title, stored.frequency, stored.firstDeadline, ids.datasetId],
  )
  await recordChange(tx, actor, { action: 'list-entry.create', entity: 'list-entry', entityId: fields.code, before: null, after: stored })
  return 'created'
}

/** Adds an entry to the list, or changes the one with the same code. */
export function saveEntry(db: Db, actor: Actor, fields: ListEntryFields): Promise<'created' | 'updated' | 'unchanged'> {
  return db.transaction((tx) => putEntry(tx, actor, fields))
}

/** saveEntry inside the caller's transaction. */
export async function putEntry(tx: Queryable, actor: Actor, fields: ListEntryFields): Promise<'created' | 'updated' | 'unchanged'> {
  const checked = await checkEntry(tx, fields)
  if (Array.isArray(checked)) throw new ValidationError(checked)
  return upsertEntry(tx, actor, fields, checked)
}

const COLUMNS = ['code', 'agency', 'title_kk', 'title_ru', 'title_en', 'frequency', 'first_deadline', 'dataset'] as const

/**
 * Loads the list from CSV (UTF-8, comma or semicolon, a header row naming the columns): every row
 * is checked first and any problem, with its line, refuses the whole file; otherwise entries are
 * added or updated by their code, in one transaction.
 */
export async function importList(db: Db, actor: Actor, csv: string): Promise<{ created: number; updated: number; unchanged: number }> {
  if (csv.includes('\uFFFD')) throw new ValidationError([{ field: 'file', messageKey: 'data.list.errors.encoding' }])
  let records: Record<string, string>[]
  try {
    records = parse(csv, { bom: true, columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), delimiter: [',', ';'], skip_empty_lines: true, trim: true, relax_column_count: false })
  } catch (error) {
    throw new ValidationError([{ field: 'file', messageKey: 'data.list.errors.csv', values: { reason: (error as Error).message } }])
  }
  const missing = COLUMNS.filter((c) => c !== 'dataset' && !(records[0] && c in records[0]))
  if (records.length === 0 || missing.length > 0) throw new ValidationError([{ field: 'file', messageKey: 'data.list.errors.columns', values: { columns: COLUMNS.join(', ') } }])
  return db.transaction(async (tx) => {
    const problems: FieldError[] = []
    const rows: { fields: ListEntryFields; ids: { agencyId: number; datasetId: string | null } }[] = []
    const seen = new Set<string>()
    for (const [index, record] of records.entries()) {
      const fields: ListEntryFields = {
        code: record.code ?? '', agencySlug: record.agency ?? '', title: { kk: record.title_kk, ru: record.title_ru, en: record.title_en },
        frequency: record.frequency ?? '', firstDeadline: record.first_deadline ?? '', datasetName: record.dataset || null,
      }
      // The header is line 1.
      const prefix = `line ${index + 2}: `
      if (seen.has(fields.code)) problems.push({ field: `${prefix}code`, messageKey: 'data.list.errors.duplicate' })
      seen.add(fields.code)
      const checked = await checkEntry(tx, fields, prefix)
      if (Array.isArray(checked)) problems.push(...checked)
      else rows.push({ fields, ids: checked })
    }
    if (problems.length > 0) throw new ValidationError(problems.slice(0, 50))
    const counts = { created: 0, updated: 0, unchanged: 0 }
    for (const row of rows) counts[await upsertEntry(tx, actor, row.fields, row.ids)] += 1
    return counts
  })
}

/** Names the dataset that fulfils an entry (or none); it must be one of the entry's body. */
export async function linkDataset(db: Db, actor: Actor, entryId: number, datasetName: string | null): Promise<void> {
  await db.transaction(async (tx) => {
    const [entry] = await tx.query<{ code: string; agency_id: number; dataset_name: string | null }>(
      `select e.code, e.agency_id, d.name as dataset_name from data_list_entries e left join datasets d on d.id = e.dataset_id where e.id = $1 for update of e`,
      [entryId],
    )
    if (!entry) throw new NotFound('list-entry', String(entryId))
    let datasetId: string | null = null
    if (datasetName) {
      const [dataset] = await tx.query<{ id: string; agency_id: number }>(`select id, agency_id from datasets where name = $1 and state = 'active'`, [datasetName])
      if (!dataset) throw new ValidationError([{ field: 'datasetName', messageKey: 'data.list.errors.datasetUnknown' }])
      if (dataset.agency_id !== entry.agency_id) throw new ValidationError([{ field: 'datasetName', messageKey: 'data.list.errors.datasetOfOtherBody' }])
      datasetId = dataset.id
    }
    if ((entry.dataset_name ?? null) === (datasetName || null)) return
    await tx.query('update data_list_entries set dataset_id = $2, updated_at = now() where id = $1', [entryId, datasetId])
    await recordChange(tx, actor, { action: 'list-entry.link', entity: 'list-entry', entityId: entry.code, before: { datasetName: entry.dataset_name }, after: { datasetName: datasetName || null } })
  })
}

/** The body an entry belongs to, for the policy check. */
export async function entryAgency(db: Queryable, entryId: number): Promise<{ agencyId: number; agencySlug: string }> {
  const [row] = await db.query<{ agency_id: number; slug: string }>('select e.agency_id, a.slug from data_list_entries e join agencies a on a.id = e.agency_id where e.id = $1', [entryId])
  if (!row) throw new NotFound('list-entry', String(entryId))
  return { agencyId: row.agency_id, agencySlug: row.slug }
}
