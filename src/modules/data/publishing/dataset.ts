import type { Db, Queryable } from '../../../platform/db/index.ts'
import { isEmail, isIsoDate, isUuid, webUrl } from '../../../platform/http/validation.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/index.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { allItems, blankToNull, cleanMultilingual, type MultilingualList, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { LANGS } from '../../../platform/i18n/index.ts'
import { FREQUENCIES, type Frequency } from '../catalog/vocabularies.ts'
import { agencyIdBySlug, regionExists } from '../../agencies/service.ts'

/** The fields of a dataset its publisher edits; the body is named by its slug. */
export interface DatasetFields {
  name: string
  agencySlug: string
  title: MultilingualText
  description?: MultilingualText
  themeCode?: string | null
  /** Keywords per language; CKAN's tags are all of them. */
  keywords?: MultilingualList
  licenceId: string
  frequency: Frequency
  temporalStart?: string | null
  temporalEnd?: string | null
  regionCode?: string | null
  contactName?: MultilingualText | null
  contactEmail?: string | null
  author?: string | null
  authorEmail?: string | null
  version?: string | null
  /** The page the data comes from, if it is published elsewhere first (CKAN's "url"). */
  sourceUrl?: string | null
  /** Themes beside the first (CKAN's further groups). */
  extraThemeCodes?: string[]
  /** Free key-value pairs (CKAN's extras). */
  extras?: Record<string, string>
  /** Seen only by the body's editors and heads (and administrators) until made public. */
  private?: boolean
}

export type StoredDatasetFields = Required<DatasetFields>

export const DATASET_NAME = /^[a-z0-9_-]{2,100}$/
// Keywords as CKAN allows tags: letters of any alphabet, digits, spaces, - _ and dots.
export const KEYWORD = /^[\p{L}\p{N} ._-]{2,100}$/u
export const LIMITS = { title: 300, description: 10_000, keywords: 30, contact: 200, version: 100, extras: 50, extraKey: 100, extraValue: 10_000 }

/** Each language's keywords trimmed, in lower case and once; languages without any left out. */
function cleanKeywords(keywords: MultilingualList | undefined): MultilingualList {
  const result: MultilingualList = {}
  for (const lang of LANGS) {
    const words = [...new Set((keywords?.[lang] ?? []).map((k) => k.trim().toLocaleLowerCase()).filter(Boolean))]
    if (words.length > 0) result[lang] = words
  }
  return result
}

/** A multilingual text that may be absent: null when no language has it. */
function cleanOptional(value: MultilingualText | null | undefined): MultilingualText | null {
  const cleaned = cleanMultilingual(value)
  return Object.keys(cleaned).length > 0 ? cleaned : null
}

function normalize(fields: DatasetFields): StoredDatasetFields {
  return {
    name: fields.name.trim(),
    agencySlug: fields.agencySlug.trim(),
    title: cleanMultilingual(fields.title),
    description: cleanMultilingual(fields.description),
    themeCode: blankToNull(fields.themeCode),
    keywords: cleanKeywords(fields.keywords),
    licenceId: fields.licenceId?.trim() ?? '',
    frequency: fields.frequency,
    temporalStart: blankToNull(fields.temporalStart),
    temporalEnd: blankToNull(fields.temporalEnd),
    regionCode: blankToNull(fields.regionCode),
    contactName: cleanOptional(fields.contactName),
    contactEmail: blankToNull(fields.contactEmail)?.toLowerCase() ?? null,
    author: blankToNull(fields.author),
    authorEmail: blankToNull(fields.authorEmail)?.toLowerCase() ?? null,
    version: blankToNull(fields.version),
    sourceUrl: blankToNull(fields.sourceUrl),
    extraThemeCodes: [...new Set((fields.extraThemeCodes ?? []).map((c) => c.trim()).filter((c) => c && c !== blankToNull(fields.themeCode)))],
    // Sorted by key, as CKAN hands extras back.
    extras: Object.fromEntries(Object.entries(fields.extras ?? {}).map(([k, v]) => [k.trim(), v] as const).filter(([k]) => k !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    private: fields.private ?? false,
  }
}

async function exists(tx: Queryable, sql: string, value: string): Promise<boolean> {
  return (await tx.query(sql, [value])).length > 0
}

/** Checks every rule at once, so that a form shows all its problems; returns the body's id. */
async function check(tx: Queryable, fields: StoredDatasetFields): Promise<{ agencyId: number }> {
  const problems: FieldError[] = []
  const add = (field: string, messageKey: string, values?: Record<string, unknown>) => problems.push({ field, messageKey, values })
  if (!DATASET_NAME.test(fields.name)) add('name', 'data.errors.name')
  // "new" is the address of the form that adds a dataset.
  else if (fields.name === 'new') add('name', 'data.errors.nameTaken')
  if (Object.keys(fields.title).length === 0) add('title', 'data.errors.titleRequired')
  for (const lang of LANGS) {
    if ((fields.title[lang]?.length ?? 0) > LIMITS.title) add(`title.${lang}`, 'platform.validation.maxLength', { limit: LIMITS.title })
    if ((fields.description[lang]?.length ?? 0) > LIMITS.description) add(`description.${lang}`, 'platform.validation.maxLength', { limit: LIMITS.description })
  }
  for (const lang of LANGS) {
    const keywords = fields.keywords[lang] ?? []
    if (keywords.length > LIMITS.keywords) add(`keywords.${lang}`, 'platform.validation.maxItems', { limit: LIMITS.keywords })
    const badKeyword = keywords.find((k) => !KEYWORD.test(k))
    if (badKeyword !== undefined) add(`keywords.${lang}`, 'data.errors.keyword', { keyword: badKeyword })
    if ((fields.contactName?.[lang]?.length ?? 0) > LIMITS.contact) add(`contactName.${lang}`, 'platform.validation.maxLength', { limit: LIMITS.contact })
  }
  if (!FREQUENCIES.includes(fields.frequency)) add('frequency', 'platform.validation.enum', { allowed: FREQUENCIES.join(', ') })
  for (const key of ['temporalStart', 'temporalEnd'] as const) {
    const value = fields[key]
    if (value && !isIsoDate(value)) add(key, 'data.errors.date')
  }
  if (fields.temporalStart && fields.temporalEnd && isIsoDate(fields.temporalStart) && isIsoDate(fields.temporalEnd) && fields.temporalEnd < fields.temporalStart) {
    add('temporalEnd', 'data.errors.temporalOrder')
  }
  if (fields.contactEmail && !isEmail(fields.contactEmail)) add('contactEmail', 'platform.auth.emailInvalid')
  if ((fields.author?.length ?? 0) > LIMITS.contact) add('author', 'platform.validation.maxLength', { limit: LIMITS.contact })
  if (fields.authorEmail && !isEmail(fields.authorEmail)) add('authorEmail', 'platform.auth.emailInvalid')
  if ((fields.version?.length ?? 0) > LIMITS.version) add('version', 'platform.validation.maxLength', { limit: LIMITS.version })
  if (fields.sourceUrl && !webUrl(fields.sourceUrl)) add('sourceUrl', 'data.errors.url')
  const extras = Object.entries(fields.extras)
  if (extras.length > LIMITS.extras) add('extras', 'platform.validation.maxItems', { limit: LIMITS.extras })
  const badExtra = extras.find(([k, v]) => k.length > LIMITS.extraKey || v.length > LIMITS.extraValue)
  if (badExtra) add('extras', 'data.errors.extra', { key: badExtra[0].slice(0, LIMITS.extraKey), keyLimit: LIMITS.extraKey, valueLimit: LIMITS.extraValue })
  for (const code of fields.extraThemeCodes) {
    if (!(await exists(tx, 'select 1 from data_themes where code = $1', code))) add('extraThemeCodes', 'data.errors.themeUnknown')
  }
  if (fields.themeCode && !(await exists(tx, 'select 1 from data_themes where code = $1', fields.themeCode))) add('themeCode', 'data.errors.themeUnknown')
  if (!(await exists(tx, 'select 1 from data_licences where id = $1', fields.licenceId))) add('licenceId', 'data.errors.licenceUnknown')
  if (fields.regionCode && !(await regionExists(tx, fields.regionCode))) add('regionCode', 'agencies.errors.regionUnknown')
  const agencyId = await agencyIdBySlug(tx, fields.agencySlug)
  if (agencyId === undefined) add('agencySlug', 'agencies.errors.parentUnknown')
  if (problems.length > 0) throw new ValidationError(problems)
  return { agencyId: agencyId! }
}

const COLUMNS = `name, agency_id, title, description, theme_code, keywords, keywords_by_language, licence_id, frequency, temporal_start, temporal_end, region_code,
  contact_name, contact_email, author, author_email, version, source_url, extra_theme_codes, extras, private`

function values(fields: StoredDatasetFields, agencyId: number) {
  return [fields.name, agencyId, fields.title, fields.description, fields.themeCode, allItems(fields.keywords), fields.keywords, fields.licenceId,
    fields.frequency, fields.temporalStart, fields.temporalEnd, fields.regionCode, fields.contactName, fields.contactEmail,
    fields.author, fields.authorEmail, fields.version, fields.sourceUrl, fields.extraThemeCodes, fields.extras, fields.private]
}
const COLUMN_COUNT = 21
const placeholders = (from: number) => Array.from({ length: COLUMN_COUNT }, (_, i) => `$${from + i}`).join(', ')

/** Adds a dataset with its audit entry inside the caller's transaction; returns its id. */
export async function insertDataset(tx: Queryable, actor: Actor, dataset: DatasetFields, at?: Date): Promise<string> {
  const fields = normalize(dataset)
  const { agencyId } = await check(tx, fields)
  const [row] = await tx.query<{ id: string }>(
    `insert into datasets (${COLUMNS}, created_by, created_at, updated_at)
     values (${placeholders(1)}, $${COLUMN_COUNT + 1}, coalesce($${COLUMN_COUNT + 2}, now()), coalesce($${COLUMN_COUNT + 2}, now()))
     on conflict (name) do nothing returning id`,
    [...values(fields, agencyId), actor.id, at ?? null],
  )
  if (!row) throw new ValidationError([{ field: 'name', messageKey: 'data.errors.nameTaken' }])
  await recordChange(tx, actor, { action: 'dataset.create', entity: 'dataset', entityId: row.id, before: null, after: fields })
  return row.id
}

/** Adds a dataset in a transaction of its own; returns its id. */
export function createDataset(db: Db, actor: Actor, dataset: DatasetFields): Promise<string> {
  return db.transaction((tx) => insertDataset(tx, actor, dataset))
}

/** The dataset's id and state as stored, found by id or by name (as CKAN allows both). */
export async function findDataset(db: Queryable, idOrName: string, options: { includeDeleted?: boolean } = {}): Promise<{ id: string; agencyId: number; state: string }> {
  const byId = isUuid(idOrName)
  const [row] = await db.query<{ id: string; agency_id: number; state: string }>(
    `select id, agency_id, state from datasets where ${byId ? 'id = $1::uuid' : 'name = $1'}`,
    [idOrName],
  )
  if (!row || (row.state === 'deleted' && !options.includeDeleted)) throw new NotFound('dataset', idOrName)
  return { id: row.id, agencyId: row.agency_id, state: row.state }
}

/** The editable fields of a dataset as stored. */
export async function loadDatasetFields(db: Queryable, id: string): Promise<StoredDatasetFields> {
  const [row] = await db.query<{
    name: string; agency_slug: string; title: MultilingualText; description: MultilingualText; theme_code: string | null
    keywords_by_language: MultilingualList; licence_id: string; frequency: Frequency; temporal_start: string | null; temporal_end: string | null
    region_code: string | null; contact_name: MultilingualText | null; contact_email: string | null; author: string | null
    author_email: string | null; version: string | null; source_url: string | null; extra_theme_codes: string[]; extras: Record<string, string>
    private: boolean
  }>(
    `select d.name, a.slug as agency_slug, d.title, d.description, d.theme_code, d.keywords_by_language, d.licence_id, d.frequency,
            to_char(d.temporal_start, 'YYYY-MM-DD') as temporal_start, to_char(d.temporal_end, 'YYYY-MM-DD') as temporal_end,
            d.region_code, d.contact_name, d.contact_email, d.author, d.author_email, d.version, d.source_url, d.extra_theme_codes, d.extras, d.private
     from datasets d join agencies a on a.id = d.agency_id where d.id = $1`,
    [id],
  )
  if (!row) throw new NotFound('dataset', id)
  return {
    name: row.name, agencySlug: row.agency_slug, title: row.title, description: row.description, themeCode: row.theme_code,
    keywords: row.keywords_by_language, licenceId: row.licence_id, frequency: row.frequency, temporalStart: row.temporal_start,
    temporalEnd: row.temporal_end, regionCode: row.region_code, contactName: row.contact_name, contactEmail: row.contact_email,
    author: row.author, authorEmail: row.author_email, version: row.version, sourceUrl: row.source_url,
    extraThemeCodes: row.extra_theme_codes, extras: row.extras, private: row.private,
  }
}

/**
 * Changes the given fields of a dataset (the rest stay), with before and after in the audit log in
 * the same transaction. Nothing is written when nothing changed.
 */
export async function updateDataset(db: Db, actor: Actor, id: string, changes: Partial<DatasetFields>): Promise<void> {
  await db.transaction((tx) => changeDataset(tx, actor, id, changes))
}

/** updateDataset inside the caller's transaction; says whether anything changed. */
export async function changeDataset(tx: Queryable, actor: Actor, id: string, changes: Partial<DatasetFields>): Promise<boolean> {
  // Two editors saving at once are applied one after the other.
  await tx.query('select id from datasets where id = $1 for update', [id])
  // As normalize() writes it: jsonb hands keys back in an order of its own.
  const before = normalize(await loadDatasetFields(tx, id))
  const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined))
  const after = normalize({ ...before, ...defined })
  const { agencyId } = await check(tx, after)
  if (JSON.stringify(after) === JSON.stringify(before)) return false
  if (after.name !== before.name && (await exists(tx, 'select 1 from datasets where name = $1', after.name))) {
    throw new ValidationError([{ field: 'name', messageKey: 'data.errors.nameTaken' }])
  }
  await tx.query(
    `update datasets set (${COLUMNS}, updated_at) = (${placeholders(2)}, now()) where id = $1`,
    [id, ...values(after, agencyId)],
  )
  await recordChange(tx, actor, { action: 'dataset.update', entity: 'dataset', entityId: id, before, after })
  return true
}

/** Hides a dataset from the catalog; it stays in the database with its history. */
export async function deleteDataset(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx.query(`update datasets set state = 'deleted', updated_at = now() where id = $1 and state = 'active' returning id`, [id])
    if (rows.length === 0) return
    await recordChange(tx, actor, { action: 'dataset.delete', entity: 'dataset', entityId: id, before: { state: 'active' }, after: { state: 'deleted' } })
  })
}
