import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import type { Actor } from '../../../platform/audit/index.ts'
import { recordChange } from '../../../platform/audit/index.ts'
import { NOW, transition, type Transition } from '../../../platform/states/index.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import type { UploadedFile } from '../../../platform/files/uploads.ts'
import { checkFileKind, DOCUMENT_KINDS, keptFileName } from '../../../platform/files/types.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { LANGS, type Lang } from '../../../platform/i18n/index.ts'
import { isDay, type Day } from '../../../platform/calendar/days.ts'
import { editionActions } from './actions.ts'
import { CURRENT, ITEM_KINDS, SITE_DOCUMENT_KINDS, UNPUBLISHED, type EditionStatus, type ItemKind, type SiteDocumentKind } from './states.ts'

/** A site item's facts that are the same in every language. */
export interface SiteItem {
  id: number
  agencyId: number
  kind: ItemKind
  documentKind: SiteDocumentKind | null
  number: string | null
  signedOn: Day | null
  signatory: MultilingualText | null
  reviewOn: Day | null
}

/** One edition of an item in one language. */
export interface Edition {
  id: number
  itemId: number
  lang: Lang
  number: number
  status: EditionStatus
  title: string
  summary: string
  body: string
  changeNote: string | null
  file: { key: string; name: string; mediaType: string; size: number; sha256: string } | null
  publishAt: Date | null
  publishedAt: Date | null
  withdrawn: { at: Date; reason: string } | null
  updatedAt: Date
}

/** The largest file a document's edition takes. */
export const SITE_FILE_LIMIT_BYTES = 20 * 1024 * 1024

interface ItemRow { id: string; agency_id: string; kind: ItemKind; document_kind: SiteDocumentKind | null; number: string | null; signed_on: string | null; signatory: MultilingualText | null; review_on: string | null }
export interface EditionRow {
  id: string; item_id: string; lang: Lang; number: number; status: EditionStatus; title: string; summary: string; body: string; change_note: string | null
  file_key: string | null; file_name: string | null; media_type: string | null; size: string | null; sha256: string | null
  publish_at: Date | null; published_at: Date | null; withdrawn_at: Date | null; withdrawn_reason: string | null; updated_at: Date
}

const ITEM_SELECT = `select id, agency_id, kind, document_kind, number, to_char(signed_on, 'YYYY-MM-DD') as signed_on, signatory, to_char(review_on, 'YYYY-MM-DD') as review_on from site_items`
/** The columns an Edition is read from (`toEdition`). */
export const EDITION_SELECT = `select id, item_id, lang, number, status, title, summary, body, change_note, file_key, file_name, media_type, size, sha256,
  publish_at, published_at, withdrawn_at, withdrawn_reason, updated_at from site_editions`

const toItem = (r: ItemRow): SiteItem => ({
  id: Number(r.id), agencyId: Number(r.agency_id), kind: r.kind, documentKind: r.document_kind, number: r.number, signedOn: r.signed_on as Day | null,
  signatory: r.signatory, reviewOn: r.review_on as Day | null,
})
export const toEdition = (r: EditionRow): Edition => ({
  id: Number(r.id), itemId: Number(r.item_id), lang: r.lang, number: r.number, status: r.status, title: r.title, summary: r.summary, body: r.body,
  changeNote: r.change_note,
  file: r.file_key ? { key: r.file_key, name: r.file_name ?? '', mediaType: r.media_type ?? '', size: Number(r.size), sha256: r.sha256 ?? '' } : null,
  publishAt: r.publish_at, publishedAt: r.published_at, withdrawn: r.withdrawn_at ? { at: r.withdrawn_at, reason: r.withdrawn_reason ?? '' } : null,
  updatedAt: r.updated_at,
})

/** An item, or NotFound (whether it is public is its editions' to say). */
export async function findItem(db: Queryable, id: number): Promise<SiteItem> {
  const [row] = await db.query<ItemRow>(`${ITEM_SELECT} where id = $1`, [id])
  if (!row) throw new NotFound('site-item', String(id))
  return toItem(row)
}

/** Items by id, in one reading (those that do not exist are left out). */
export async function findItems(db: Queryable, ids: number[]): Promise<SiteItem[]> {
  return (await db.query<ItemRow>(`${ITEM_SELECT} where id = any($1::bigint[])`, [ids])).map(toItem)
}

/** Every edition of an item, by language, the latest first. */
export async function itemEditions(db: Queryable, itemId: number): Promise<Edition[]> {
  return (await db.query<EditionRow>(`${EDITION_SELECT} where item_id = $1 order by lang, number desc`, [itemId])).map(toEdition)
}

/** The edition being written in a language (draft, submitted or scheduled), if any. */
function unpublishedOf(editions: Edition[], lang: Lang): Edition | undefined {
  return editions.find((e) => e.lang === lang && UNPUBLISHED.includes(e.status))
}
/** The edition readers see in a language (published, or withdrawn), if any. */
export function currentOf(editions: Edition[], lang: Lang): Edition | undefined {
  return editions.find((e) => e.lang === lang && CURRENT.includes(e.status))
}
/** The edition an editor acts on in a language: the one being written, else the current one. */
export function latestOf(editions: Edition[], lang: Lang): Edition | undefined {
  return unpublishedOf(editions, lang) ?? currentOf(editions, lang)
}

export interface ItemInput {
  kind: string
  documentKind?: string
  number?: string
  signedOn?: string
  signatory?: MultilingualText
  reviewOn?: string
}
export interface EditionInput { title?: string; summary?: string; body?: string; changeNote?: string }

function itemProblems(input: ItemInput): FieldError[] {
  const problems: FieldError[] = []
  if (!ITEM_KINDS.includes(input.kind as ItemKind)) problems.push({ field: 'kind', messageKey: 'sites.errors.kind' })
  if (input.kind === 'document') {
    if (!SITE_DOCUMENT_KINDS.includes(input.documentKind as SiteDocumentKind)) problems.push({ field: 'documentKind', messageKey: 'sites.errors.documentKind' })
    if (!input.number?.trim() || input.number.trim().length > 60) problems.push({ field: 'number', messageKey: 'sites.errors.number' })
    if (!isDay(input.signedOn ?? '')) problems.push({ field: 'signedOn', messageKey: 'sites.errors.signedOn' })
    const signatory = cleanMultilingual(input.signatory)
    if (!signatory.kk && !signatory.ru) problems.push({ field: 'signatory.ru', messageKey: 'sites.errors.signatory' })
  }
  if (input.reviewOn && !isDay(input.reviewOn)) problems.push({ field: 'reviewOn', messageKey: 'sites.errors.reviewOn' })
  return problems
}

function editionProblems(input: EditionInput): FieldError[] {
  const problems: FieldError[] = []
  const title = input.title?.trim() ?? ''
  if (title.length === 0) problems.push({ field: 'title', messageKey: 'sites.errors.title' })
  if (title.length > 300) problems.push({ field: 'title', messageKey: 'platform.validation.maxLength', values: { limit: 300 } })
  if ((input.summary ?? '').trim().length > 600) problems.push({ field: 'summary', messageKey: 'platform.validation.maxLength', values: { limit: 600 } })
  if ((input.body ?? '').length > 100_000) problems.push({ field: 'body', messageKey: 'platform.validation.maxLength', values: { limit: 100_000 } })
  if ((input.changeNote ?? '').trim().length > 1000) problems.push({ field: 'changeNote', messageKey: 'platform.validation.maxLength', values: { limit: 1000 } })
  return problems
}

async function fileOf(files: FileStore, upload: UploadedFile | undefined) {
  if (!upload) return null
  const type = await checkFileKind(files, upload, DOCUMENT_KINDS, 'file')
  return { key: upload.key, name: keptFileName(upload.fileName, type, 'document'), mediaType: type.mime, size: upload.size, sha256: upload.checksum }
}

const actorOf = (user: User): Actor => ({ id: user.id, email: user.email })

/** The id of a body's page about itself, published or not, or null when it has none. */
export async function aboutItemId(db: Queryable, agencyId: number): Promise<number | null> {
  const [row] = await db.query<{ id: string }>("select id from site_items where agency_id = $1 and kind = 'about'", [agencyId])
  return row ? Number(row.id) : null
}

/**
 * A new item of a body's site with its first edition, a draft in one language (its staff). A
 * document brings its number, the day it was signed and its signatory.
 */
export async function createItem(db: Db, files: FileStore, user: User | null, agencyId: number, input: ItemInput, lang: Lang, edition: EditionInput, upload?: UploadedFile): Promise<number> {
  const actor = authorize(user, 'site.edition.edit', { agencyId })
  const problems = [...itemProblems(input), ...editionProblems(edition)]
  if (!LANGS.includes(lang)) problems.push({ field: 'lang', messageKey: 'sites.errors.lang' })
  if (problems.length > 0) throw new ValidationError(problems)
  // A body has one page about itself: a second is refused, the first is edited.
  if (input.kind === 'about' && (await aboutItemId(db, agencyId)) !== null) {
    throw new ValidationError([{ field: 'kind', messageKey: 'sites.errors.aboutExists' }])
  }
  const file = input.kind === 'document' ? await fileOf(files, upload) : null
  return db.transaction(async (tx) => {
    const document = input.kind === 'document'
    const [item] = await tx.query<{ id: string }>(
      `insert into site_items (agency_id, kind, document_kind, number, signed_on, signatory, review_on, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
      [agencyId, input.kind, document ? input.documentKind ?? null : null, document ? input.number!.trim() : null, document ? input.signedOn ?? null : null,
        document ? cleanMultilingual(input.signatory) : null, input.reviewOn || null, actor.id],
    )
    const id = Number(item!.id)
    await insertEdition(tx, id, lang, 1, edition, file, actor.id)
    await recordChange(tx, actorOf(actor), { action: 'site.item.create', entity: 'site-item', entityId: String(id), before: null, after: { ...input, lang, title: edition.title } })
    return id
  })
}

async function insertEdition(tx: Queryable, itemId: number, lang: Lang, number: number, input: EditionInput, file: Awaited<ReturnType<typeof fileOf>>, by: number): Promise<void> {
  await tx.query(
    `insert into site_editions (item_id, lang, number, status, title, summary, body, change_note, file_key, file_name, media_type, size, sha256, created_by)
     values ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [itemId, lang, number, input.title!.trim(), (input.summary ?? '').trim(), input.body ?? '', input.changeNote?.trim() || null,
      file?.key ?? null, file?.name ?? null, file?.mediaType ?? null, file?.size ?? null, file?.sha256 ?? null, by],
  )
}

/**
 * Writes an item's edition in a language (its staff): the draft being written is changed; where
 * there is none, the next edition starts as a draft (from a published one: what changed is said in
 * its change note; in a language the item lacks: its translation). A submitted or scheduled edition
 * is returned to draft before it is changed. A document's edition may bring its file; without one,
 * the last edition's file is kept.
 */
export async function saveEdition(db: Db, files: FileStore, user: User | null, itemId: number, lang: Lang, input: EditionInput, upload?: UploadedFile): Promise<void> {
  const item = await findItem(db, itemId)
  const editions = await itemEditions(db, itemId)
  const latest = latestOf(editions, lang)
  const actor = latest ? editionActions.require(user, 'edit', { agencyId: item.agencyId, status: latest.status }) : authorize(user, 'site.edition.edit', { agencyId: item.agencyId })
  if (editions.some((e) => e.status === 'withdrawn')) throw new ValidationError([{ field: 'status', messageKey: 'sites.errors.withdrawn' }])
  const problems = editionProblems(input)
  if (!LANGS.includes(lang)) problems.push({ field: 'lang', messageKey: 'sites.errors.lang' })
  if (problems.length > 0) throw new ValidationError(problems)
  const file = (await fileOf(files, upload)) ?? latest?.file ?? null
  await db.transaction(async (tx) => {
    if (latest?.status === 'draft') {
      const [changed] = await tx.query<{ id: string }>(
        `update site_editions set title = $2, summary = $3, body = $4, change_note = $5, file_key = $6, file_name = $7, media_type = $8, size = $9, sha256 = $10, updated_at = now()
         where id = $1 and status = 'draft' returning id`,
        [latest.id, input.title!.trim(), (input.summary ?? '').trim(), input.body ?? '', input.changeNote?.trim() || null,
          file?.key ?? null, file?.name ?? null, file?.mediaType ?? null, file?.size ?? null, file?.sha256 ?? null],
      )
      // Submitted meanwhile by a colleague: what they submitted is not changed under them.
      if (!changed) throw new ValidationError([{ field: 'status', messageKey: 'sites.errors.notDraft' }])
    } else {
      const number = Math.max(0, ...editions.filter((e) => e.lang === lang).map((e) => e.number)) + 1
      await insertEdition(tx, itemId, lang, number, input, file, actor.id)
    }
    await recordChange(tx, actorOf(actor), { action: 'site.edition.save', entity: 'site-item', entityId: String(itemId), before: null, after: { lang, title: input.title, changeNote: input.changeNote ?? null } })
  })
}

/** One step of an edition's life through the platform's transition: guarded, audited. */
function editionChange(edition: Edition, from: readonly EditionStatus[], to: EditionStatus, set: Transition<EditionStatus>['set'] = {}): Transition<EditionStatus> {
  return {
    table: 'site_editions', id: edition.id, from, to, set: { ...set, updated_at: NOW },
    labelKey: (state) => `sites.states.${state}`, href: `/agencies/site/items/${edition.itemId}`,
  }
}

/** The edition an action names: the latest in its language, or NotFound. */
async function editionFor(db: Queryable, itemId: number, lang: Lang): Promise<{ item: SiteItem; editions: Edition[]; edition: Edition }> {
  const item = await findItem(db, itemId)
  const editions = await itemEditions(db, itemId)
  const edition = latestOf(editions, lang)
  if (!edition) throw new NotFound('site-edition', `${itemId}/${lang}`)
  return { item, editions, edition }
}

/** Submits a language's draft for publishing (its staff). A second edition must say what changed. */
export async function submitEdition(db: Db, user: User | null, itemId: number, lang: Lang): Promise<void> {
  const { item, edition } = await editionFor(db, itemId, lang)
  const actor = editionActions.require(user, 'submit', { agencyId: item.agencyId, status: edition.status })
  if (edition.number > 1 && !edition.changeNote) throw new ValidationError([{ field: 'changeNote', messageKey: 'sites.errors.changeNote' }])
  await db.transaction((tx) => transition(tx, {
    ...editionChange(edition, ['draft'], 'submitted'),
    audit: { actor: actorOf(actor), action: 'site.edition.submit', entity: 'site-edition', after: { item: itemId, lang } },
  }))
}

/** Returns a submitted or scheduled edition to draft (its staff), to be changed before it is published. */
export async function returnEdition(db: Db, user: User | null, itemId: number, lang: Lang): Promise<void> {
  const { item, edition } = await editionFor(db, itemId, lang)
  const actor = editionActions.require(user, 'return', { agencyId: item.agencyId, status: edition.status })
  await db.transaction((tx) => transition(tx, {
    ...editionChange(edition, ['submitted', 'scheduled'], 'draft', { publish_at: null }),
    audit: { actor: actorOf(actor), action: 'site.edition.return', entity: 'site-edition', after: { item: itemId, lang } },
  }))
}

/**
 * Publishes a language's submitted edition (its staff): now, superseding the edition readers saw
 * in that language, or at a later moment (scheduled: the job publishes it then). Other languages
 * are not touched.
 */
export async function publishEdition(db: Db, user: User | null, itemId: number, lang: Lang, publishAt: Date | null = null, now = new Date()): Promise<EditionStatus> {
  const { item, editions, edition } = await editionFor(db, itemId, lang)
  const actor = editionActions.require(user, 'publish', { agencyId: item.agencyId, status: edition.status })
  if (publishAt && publishAt.getTime() > now.getTime()) {
    await db.transaction((tx) => transition(tx, {
      ...editionChange(edition, ['submitted'], 'scheduled', { publish_at: publishAt, published_by: actor.id }),
      audit: { actor: actorOf(actor), action: 'site.edition.schedule', entity: 'site-edition', after: { item: itemId, lang, publishAt: publishAt.toISOString() } },
    }))
    return 'scheduled'
  }
  await db.transaction((tx) => publishNow(tx, edition, currentOf(editions, lang), ['submitted'], actorOf(actor)))
  return 'published'
}

/** The edition goes public, the one readers saw before is superseded, in one transaction. */
async function publishNow(tx: Queryable, edition: Edition, current: Edition | undefined, from: readonly EditionStatus[], actor: Actor | null): Promise<void> {
  if (current?.status === 'published') {
    await transition(tx, editionChange(current, ['published'], 'superseded'))
  }
  await transition(tx, {
    ...editionChange(edition, from, 'published', { published_at: NOW, ...(actor?.id ? { published_by: actor.id } : {}) }),
    ...(actor ? { audit: { actor, action: 'site.edition.publish', entity: 'site-edition', after: { item: edition.itemId, lang: edition.lang, number: edition.number } } } : {}),
  })
}

/** Publishes every scheduled edition whose moment has come (the job; what the site does by itself is not audited as a person's act). */
export async function publishDue(db: Db, now = new Date()): Promise<number> {
  const due = (await db.query<EditionRow>(`${EDITION_SELECT} where status = 'scheduled' and publish_at <= $1 order by publish_at, id limit 100`, [now])).map(toEdition)
  let published = 0
  for (const edition of due) {
    const editions = await itemEditions(db, edition.itemId)
    try {
      await db.transaction((tx) => publishNow(tx, edition, currentOf(editions, edition.lang), ['scheduled'], null))
      published += 1
    } catch (error) {
      // Returned to draft or published by a person meanwhile: theirs is the last word.
      if ((error as { code?: string }).code !== 'state-conflict') throw error
    }
  }
  return published
}

/**
 * Withdraws an item in every language (its staff), with a reason readers see under it: it stays at
 * its address, marked withdrawn, and leaves the lists. Nothing published is deleted.
 */
export async function withdrawItem(db: Db, user: User | null, itemId: number, reason: string): Promise<void> {
  const item = await findItem(db, itemId)
  const editions = await itemEditions(db, itemId)
  const published = editions.filter((e) => e.status === 'published')
  const actor = editionActions.require(user, 'withdraw', { agencyId: item.agencyId, status: published.length > 0 ? 'published' : (editions[0]?.status ?? 'draft') })
  const text = reason.trim()
  if (text.length === 0 || text.length > 1000) throw new ValidationError([{ field: 'reason', messageKey: 'sites.errors.reason', values: { limit: 1000 } }])
  await db.transaction(async (tx) => {
    for (const edition of published) {
      await transition(tx, {
        ...editionChange(edition, ['published'], 'withdrawn', { withdrawn_at: NOW, withdrawn_reason: text }),
        audit: { actor: actorOf(actor), action: 'site.item.withdraw', entity: 'site-edition', after: { item: itemId, lang: edition.lang, reason: text } },
      })
    }
  })
}
