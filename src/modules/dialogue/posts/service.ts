import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { recordChange } from '../../../platform/audit/index.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { announce } from '../../../platform/notifications/events.ts'
import { postPublished } from './events.ts'
import { managedBlog } from '../blogs/service.ts'

/** A post on a head's blog, by the head or a delegate. */
export interface Post {
  id: number
  agency: { id: number; slug: string; name: MultilingualText }
  title: MultilingualText
  body: MultilingualText
  publishedAt: Date
}

interface Row { id: number; agency_id: number; slug: string; name: MultilingualText; title: MultilingualText; body: MultilingualText; published_at: Date }
const toPost = (r: Row): Post => ({ id: r.id, agency: { id: r.agency_id, slug: r.slug, name: r.name }, title: r.title, body: r.body, publishedAt: r.published_at })
const SELECT = 'select p.id, p.agency_id, a.slug, a.name, p.title, p.body, p.published_at from dialogue_posts p join agencies a on a.id = p.agency_id'

/** A body's posts, newest first. */
export async function listPosts(db: Queryable, agencyId: number, limit = 20): Promise<Post[]> {
  return (await db.query<Row>(`${SELECT} where p.agency_id = $1 order by p.published_at desc, p.id desc limit $2`, [agencyId, limit])).map(toPost)
}

/** One post, or NotFound. */
export async function findPost(db: Queryable, id: number): Promise<Post> {
  const [row] = await db.query<Row>(`${SELECT} where p.id = $1`, [id])
  if (!row) throw new NotFound('post', String(id))
  return toPost(row)
}

/** Publishes a post on the body's blog (its head or a delegate); the blog's followers are mailed. */
export async function createPost(db: Db, user: User | null, agencySlug: string, input: { title: MultilingualText; body: MultilingualText }, origin: string): Promise<number> {
  const agency = await managedBlog(db, user, agencySlug)
  const title = cleanMultilingual(input.title)
  const body = cleanMultilingual(input.body)
  const problems: FieldError[] = []
  for (const lang of ['kk', 'ru'] as const) {
    if (!title[lang]) problems.push({ field: `title.${lang}`, messageKey: 'dialogue.errors.postTitle' })
    if (!body[lang]) problems.push({ field: `body.${lang}`, messageKey: 'dialogue.errors.postBody' })
  }
  for (const [lang, text] of Object.entries(title)) if (text.length > 300) problems.push({ field: `title.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: 300 } })
  for (const [lang, text] of Object.entries(body)) if (text.length > 50_000) problems.push({ field: `body.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: 50_000 } })
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>('insert into dialogue_posts (agency_id, title, body, author_id) values ($1, $2, $3, $4) returning id', [agency.id, title, body, user!.id])
    const id = row!.id
    await recordChange(tx, { id: user!.id, email: user!.email }, { action: 'dialogue.post', entity: 'dialogue-post', entityId: String(id), before: null, after: { title } })
    await announce(tx, postPublished, { id, agencySlug, agencyName: agency.name, title, authorId: user!.id }, origin)
    return id
  })
}
