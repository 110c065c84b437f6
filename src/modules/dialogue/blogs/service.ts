import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { recordChange } from '../../../platform/audit/index.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { today } from '../questions/service.ts'
import { questionSql } from '../questions/states.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import type { UploadedFile } from '../../../platform/files/uploads.ts'
import { checkFileKind } from '../../../platform/files/types.ts'
import { currentHeads, setHead, type Head } from '../../agencies/heads.ts'

/** A head's blog: the body, who leads it, and the body's record of questions. */
/** The body whose blog a staff member writes in (a post, a conference): found, and theirs to manage. */
export async function managedBlog(db: Queryable, user: User | null, agencySlug: string): Promise<{ id: number; name: MultilingualText }> {
  const [agency] = await db.query<{ id: number; name: MultilingualText }>('select id, name from agencies where slug = $1', [agencySlug])
  if (!agency) throw new NotFound('agency', agencySlug)
  authorize(user, 'dialogue.manage', { agencyId: agency.id })
  return agency
}

export interface Blog {
  agency: { id: number; slug: string; name: MultilingualText }
  headName: MultilingualText
  headPosition: MultilingualText
  biography: MultilingualText
  areas: MultilingualText
  /** Whether the body has filled in its head's page. */
  kept: boolean
  /** The head's photo in the file store, and its media type. */
  photo: { key: string; type: string } | null
  counts: { published: number; answered: number; overdue: number }
}

interface Row {
  id: number; slug: string; name: MultilingualText; person_id: number | null
  biography: MultilingualText | null; areas: MultilingualText | null; kept: boolean; published: number; answered: number; overdue: number
  photo_key: string | null; photo_type: string | null
}

const SELECT = `
  select a.id, a.slug, a.name, b.person_id, b.biography, b.areas, b.agency_id is not null as kept, b.photo_key, b.photo_type,
    (select count(*)::int from dialogue_questions q where q.agency_id = a.id and q.status in ('published', 'answered')) as published,
    (select count(*)::int from dialogue_questions q where q.agency_id = a.id and q.status = 'answered') as answered,
    (select count(*)::int from dialogue_questions q where q.agency_id = a.id and ${questionSql.overdue('$1')}) as overdue
  from agencies a left join dialogue_blogs b on b.agency_id = a.id`

/**
 * A blog as readers see it: its head is the body's current head, kept once by the registry of state
 * bodies (the body's page names the same person); the biography and the photo are shown while they
 * are of that person, so a new head's page does not carry the last one's.
 */
function toBlog(r: Row, head: Head | undefined): Blog {
  const theirs = head !== undefined && r.person_id === head.personId
  return {
    agency: { id: r.id, slug: r.slug, name: r.name }, headName: head?.name ?? {}, headPosition: head?.title ?? {},
    biography: theirs ? r.biography ?? {} : {}, areas: r.areas ?? {}, kept: r.kept && theirs, photo: theirs && r.photo_key ? { key: r.photo_key, type: r.photo_type! } : null,
    counts: { published: r.published, answered: r.answered, overdue: r.overdue },
  }
}

async function withHeads(db: Queryable, rows: Row[]): Promise<Blog[]> {
  const heads = await currentHeads(db, rows.map((r) => r.id))
  return rows.map((r) => toBlog(r, heads.get(r.id)))
}

/** Every body's blog (a body that has not filled in its head's page has one too: citizens may ask it). */
export async function listBlogs(db: Queryable, day = today()): Promise<Blog[]> {
  return withHeads(db, await db.query<Row>(`${SELECT} order by b.agency_id is null, a.slug`, [day]))
}

/** One body's blog, or NotFound. */
export async function findBlog(db: Queryable, slug: string, day = today()): Promise<Blog> {
  const rows = await db.query<Row>(`${SELECT} where a.slug = $2`, [day, slug])
  if (rows.length === 0) throw new NotFound('agency', slug)
  return (await withHeads(db, rows))[0]!
}

/** What a body keeps on its head's page. */
export interface BlogFields {
  headName: MultilingualText
  headPosition: MultilingualText
  biography: MultilingualText
  areas: MultilingualText
}

/** The largest photo of a head: a portrait, not a poster. */
export const PHOTO_LIMIT_BYTES = 2 * 1024 * 1024

/**
 * Changes the head's page: its name and position in Kazakh and Russian at least, and the photo when
 * one comes (JPEG or PNG, its type read from its bytes); the photo it replaces leaves the store.
 */
export async function updateBlog(db: Db, files: FileStore, user: User | null, slug: string, fields: BlogFields, photo?: UploadedFile): Promise<void> {
  const blog = await findBlog(db, slug)
  authorize(user, 'dialogue.manage', { agencyId: blog.agency.id })
  const clean = { headName: cleanMultilingual(fields.headName), headPosition: cleanMultilingual(fields.headPosition), biography: cleanMultilingual(fields.biography), areas: cleanMultilingual(fields.areas) }
  const problems: FieldError[] = []
  for (const lang of ['kk', 'ru'] as const) {
    if (!clean.headName[lang]) problems.push({ field: `headName.${lang}`, messageKey: 'dialogue.errors.headName' })
    if (!clean.headPosition[lang]) problems.push({ field: `headPosition.${lang}`, messageKey: 'dialogue.errors.headPosition' })
  }
  for (const [field, limit] of [['headName', 200], ['headPosition', 300], ['biography', 10_000], ['areas', 10_000]] as const) {
    for (const [lang, text] of Object.entries(clean[field])) if (text.length > limit) problems.push({ field: `${field}.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit } })
  }
  if (problems.length > 0) throw new ValidationError(problems)
  const kind = photo ? await checkFileKind(files, photo, ['jpg', 'png'], 'photo') : null
  const [stored] = await db.query<{ photo_key: string | null }>('select photo_key from dialogue_blogs where agency_id = $1', [blog.agency.id])
  await db.transaction(async (tx) => {
    // The head is the registry's: naming another person here appoints them there too, from today.
    const { change, personId: person } = await setHead(tx, blog.agency.id, { name: clean.headName, title: clean.headPosition }, today())
    // A new head's page keeps no photo of the last one.
    const keepPhoto = change !== 'appointed'
    await tx.query(
      `insert into dialogue_blogs (agency_id, person_id, biography, areas, photo_key, photo_type) values ($1, $2, $3, $4, $5, $6)
       on conflict (agency_id) do update set person_id = excluded.person_id,
         biography = excluded.biography, areas = excluded.areas, updated_at = now(),
         photo_key = case when $7 then coalesce(excluded.photo_key, dialogue_blogs.photo_key) else excluded.photo_key end,
         photo_type = case when $7 then coalesce(excluded.photo_type, dialogue_blogs.photo_type) else excluded.photo_type end`,
      [blog.agency.id, person, clean.biography, clean.areas, photo?.key ?? null, kind?.mime ?? null, keepPhoto],
    )
    await recordChange(tx, { id: user!.id, email: user!.email }, { action: 'dialogue.blog', entity: 'agency', entityId: slug, before: { headName: blog.headName, headPosition: blog.headPosition }, after: { ...clean, photo: photo ? photo.checksum : undefined } })
  })
  // A photo no longer on the page (replaced, or the last head's) leaves the store.
  if (stored?.photo_key) {
    const [after] = await db.query<{ photo_key: string | null }>('select photo_key from dialogue_blogs where agency_id = $1', [blog.agency.id])
    if (after?.photo_key !== stored.photo_key) await files.remove(stored.photo_key)
  }
}

/** Whether a body's head keeps a blog (its page links it then). */
export async function hasBlog(db: Queryable, agencyId: number): Promise<boolean> {
  return (await db.query('select 1 from dialogue_blogs where agency_id = $1', [agencyId])).length > 0
}
