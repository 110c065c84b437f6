import type { Db, Queryable, SqlValue } from '../../../platform/db/index.ts'
import { escapeLike } from '../../../platform/db/parameters.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { isDay, type Day } from '../../../platform/calendar/days.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import type { UploadedFile } from '../../../platform/files/uploads.ts'
import { checkFileKind, DOCUMENT_KINDS, keptFileName } from '../../../platform/files/types.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { LANGS, type Lang } from '../../../platform/i18n/index.ts'
import { normalizeSearch } from '../../agencies/service.ts'
import { listLicences, listThemes } from '../../data/catalog/vocabularies.ts'

/** A study of the knowledge base, as readers see it. */
export interface Study {
  id: number
  slug: string
  title: MultilingualText
  abstract: MultilingualText
  organisation: MultilingualText
  authors: MultilingualText[]
  grant: { operator: MultilingualText; year: number; amountKzt: string | null }
  licenceId: string
  themes: string[]
  publishedOn: Day
  agencyIds: number[]
  files: Array<{ id: number; lang: Lang; name: string; mediaType: string; size: number; sha256: string }>
  updatedAt: string
}

export interface StudyInput {
  title: MultilingualText
  abstract?: MultilingualText
  organisation: MultilingualText
  authors?: MultilingualText[]
  grant: { operator: MultilingualText; year: number; amountKzt?: string | null }
  licenceId: string
  themes?: string[]
  publishedOn: string
  agencies?: string[]
}

export interface StudyFilter {
  q?: string
  theme?: string
  agencyId?: number
  year?: number
  offset?: number
  limit?: number
}

interface Row {
  id: string; slug: string; title: MultilingualText; abstract: MultilingualText; organisation: MultilingualText; authors: MultilingualText[]; grant_operator: MultilingualText
  grant_year: number; grant_amount_kzt: string | null; licence_id: string; themes: string[]; published_on: string; updated_at: Date | string; agency_ids: string[]
}
const SELECT = `select s.id, s.slug, s.title, s.abstract, s.organisation, s.authors, s.grant_operator, s.grant_year, s.grant_amount_kzt::text as grant_amount_kzt, s.licence_id,
  s.themes, s.published_on::text as published_on, s.updated_at, array(select a.agency_id from study_agencies a where a.study_id = s.id order by a.agency_id) as agency_ids from studies s`

async function withFiles(db: Queryable, rows: Row[]): Promise<Study[]> {
  const files = rows.length === 0 ? [] : await db.query<{ id: string; study_id: string; lang: Lang; file_name: string; media_type: string; size: string; sha256: string }>(
    'select id, study_id, lang, file_name, media_type, size, sha256 from study_files where study_id = any($1::bigint[]) order by lang, id', [rows.map((r) => r.id)])
  return rows.map((r) => ({
    id: Number(r.id), slug: r.slug, title: r.title, abstract: r.abstract, organisation: r.organisation, authors: r.authors,
    grant: { operator: r.grant_operator, year: r.grant_year, amountKzt: r.grant_amount_kzt }, licenceId: r.licence_id, themes: r.themes, publishedOn: r.published_on,
    agencyIds: r.agency_ids.map(Number), updatedAt: new Date(r.updated_at).toISOString(),
    files: files.filter((f) => f.study_id === r.id).map((f) => ({ id: Number(f.id), lang: f.lang, name: f.file_name, mediaType: f.media_type, size: Number(f.size), sha256: f.sha256 })),
  }))
}

/** Studies that pass the filter, newest first (best match first when searched), and how many there are. */
export async function listStudies(db: Queryable, filter: StudyFilter): Promise<{ items: Study[]; total: number }> {
  const where: string[] = []
  const params: SqlValue[] = []
  const p = (value: SqlValue) => `$${params.push(value)}`
  let order = 's.published_on desc, s.id desc'
  const q = filter.q ? normalizeSearch(filter.q) : ''
  if (q) {
    const qp = p(q)
    where.push(`(s.search_text like '%' || ${p(escapeLike(q))} || '%' or ${qp} <% s.search_text)`)
    order = `word_similarity(${qp}, s.search_text) desc, ${order}`
  }
  if (filter.theme) where.push(`${p(filter.theme)} = any(s.themes)`)
  if (filter.agencyId) where.push(`exists (select 1 from study_agencies a where a.study_id = s.id and a.agency_id = ${p(filter.agencyId)})`)
  if (filter.year) where.push(`s.grant_year = ${p(filter.year)}`)
  const condition = where.length > 0 ? `where ${where.join(' and ')}` : ''
  const [counted] = await db.query<{ total: number }>(`select count(*)::int as total from studies s ${condition}`, params)
  const rows = await db.query<Row>(`${SELECT} ${condition} order by ${order} limit ${p(filter.limit ?? 1000)} offset ${p(filter.offset ?? 0)}`, params)
  return { items: await withFiles(db, rows), total: counted?.total ?? 0 }
}

/** A study by its address. */
export async function findStudy(db: Queryable, slug: string): Promise<Study> {
  const rows = await db.query<Row>(`${SELECT} where s.slug = $1`, [slug])
  const [study] = await withFiles(db, rows)
  if (!study) throw new NotFound('study', slug)
  return study
}

/** Whether any study concerns a body (its page links them then). */
export async function hasStudies(db: Queryable, agencyId: number): Promise<boolean> {
  return (await db.query('select 1 from study_agencies where agency_id = $1 limit 1', [agencyId])).length > 0
}

/** Keeps a study at its address (the knowledge base's keepers: administrators): checked field by field, added or replaced. */
export async function keepStudy(db: Db, user: User | null, slug: string, input: StudyInput): Promise<Study> {
  const actor = authorize(user, 'studies.manage')
  return keepStudyAs(db, { id: actor.id, email: actor.email }, slug, input)
}

export async function keepStudyAs(db: Db, actor: Actor, slug: string, input: StudyInput): Promise<Study> {
  const problems: FieldError[] = []
  const problem = (field: string, key: string, values: Record<string, unknown> = {}) => problems.push({ field, messageKey: `sites.studies.errors.${key}`, values })
  // 'new' is the address of the form that adds a study.
  if (!/^[a-z0-9-]{2,100}$/.test(slug) || slug === 'new') problem('slug', 'slug')
  const title = cleanMultilingual(input.title)
  for (const lang of ['kk', 'ru'] as const) if (!title[lang]) problem(`title.${lang}`, 'title')
  const organisation = cleanMultilingual(input.organisation)
  if (!organisation.kk && !organisation.ru) problem('organisation.ru', 'organisation')
  const operator = cleanMultilingual(input.grant.operator)
  if (!operator.kk && !operator.ru) problem('grant.operator.ru', 'operator')
  if (!Number.isInteger(input.grant.year) || input.grant.year < 2000 || input.grant.year > 2100) problem('grant.year', 'year')
  const amount = input.grant.amountKzt?.replace(/[\s\u00a0]/g, '').replace(',', '.') || null
  if (amount !== null && !/^[0-9]{1,14}(\.[0-9]{1,2})?$/.test(amount)) problem('grant.amountKzt', 'amount')
  const licence = (await listLicences(db)).find((l) => l.id === input.licenceId)
  if (!licence || !licence.isOpen) problem('licenceId', 'licence')
  const themes = [...new Set(input.themes ?? [])]
  const known = new Set((await listThemes(db)).map((t) => t.code))
  for (const theme of themes) if (!known.has(theme)) problem('themes', 'theme', { theme })
  if (!isDay(input.publishedOn)) problem('publishedOn', 'day')
  const slugs = [...new Set(input.agencies ?? [])]
  const agencies = new Map((await db.query<{ id: string; slug: string }>('select id, slug from agencies where slug = any($1::text[])', [slugs])).map((a) => [a.slug, Number(a.id)]))
  for (const agency of slugs) if (!agencies.has(agency)) problem('agencies', 'agency', { agency })
  const authors = (input.authors ?? []).map(cleanMultilingual).filter((a) => Object.keys(a).length > 0)
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string; added: boolean }>(
      `insert into studies (slug, title, abstract, organisation, authors, grant_operator, grant_year, grant_amount_kzt, licence_id, themes, published_on)
       values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11)
       on conflict (slug) do update set title = excluded.title, abstract = excluded.abstract, organisation = excluded.organisation, authors = excluded.authors,
         grant_operator = excluded.grant_operator, grant_year = excluded.grant_year, grant_amount_kzt = excluded.grant_amount_kzt, licence_id = excluded.licence_id,
         themes = excluded.themes, published_on = excluded.published_on, updated_at = now()
       returning id, (xmax = 0) as added`,
      [slug, title, cleanMultilingual(input.abstract), organisation, JSON.stringify(authors), operator, input.grant.year, amount, input.licenceId, themes, input.publishedOn],
    )
    await tx.query('delete from study_agencies where study_id = $1', [row!.id])
    for (const id of agencies.values()) await tx.query('insert into study_agencies (study_id, agency_id) values ($1, $2)', [row!.id, id])
    await recordChange(tx, actor, { entity: 'study', entityId: row!.id, action: row!.added ? 'create' : 'update', before: null, after: input })
    return findStudy(tx, slug)
  })
}

/** Adds a file of a study in a language (a report, its data; PDF, Word, Excel, OpenDocument, read from its bytes). */
export async function addStudyFile(db: Db, files: FileStore, user: User | null, slug: string, lang: string, upload: UploadedFile | undefined): Promise<Study> {
  const actor = authorize(user, 'studies.manage')
  const study = await findStudy(db, slug)
  if (!LANGS.includes(lang as Lang)) throw new ValidationError([{ field: 'lang', messageKey: 'sites.studies.errors.lang' }])
  if (!upload) throw new ValidationError([{ field: 'file', messageKey: 'sites.studies.errors.file' }])
  const type = await checkFileKind(files, upload, DOCUMENT_KINDS, 'file')
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>('insert into study_files (study_id, lang, file_key, file_name, media_type, size, sha256) values ($1, $2, $3, $4, $5, $6, $7) returning id',
      [study.id, lang, upload.key, keptFileName(upload.fileName, type, slug), type.mime, upload.size, upload.checksum])
    await recordChange(tx, { id: actor.id, email: actor.email }, { entity: 'study-file', entityId: row!.id, action: 'create', before: null, after: { slug, lang, name: upload.fileName } })
  })
  return findStudy(db, slug)
}

/** A study's file as kept, for its download. */
export async function studyFile(db: Queryable, slug: string, fileId: number): Promise<{ key: string; name: string; mediaType: string }> {
  const [row] = await db.query<{ file_key: string; file_name: string; media_type: string }>(
    'select f.file_key, f.file_name, f.media_type from study_files f join studies s on s.id = f.study_id where s.slug = $1 and f.id = $2', [slug, fileId])
  if (!row) throw new NotFound('study-file', String(fileId))
  return { key: row.file_key, name: row.file_name, mediaType: row.media_type }
}
