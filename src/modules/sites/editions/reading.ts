import type { Queryable } from '../../../platform/db/index.ts'
import { NotFound } from '../../../platform/http/errors.ts'
import { LANGS, type Lang } from '../../../platform/i18n/index.ts'
import { EDITION_SELECT, currentOf, findItem, findItems, itemEditions, toEdition, type Edition, type EditionRow, type SiteItem } from './service.ts'
import type { ItemKind } from './states.ts'

/** The languages a reader of one is offered an item in when it lacks theirs, in order. */
const FALLBACK: Record<Lang, Lang[]> = { kk: ['kk', 'ru', 'en'], ru: ['ru', 'kk', 'en'], en: ['en', 'ru', 'kk'] }

/** An item as a reader sees it: the edition in their language, else another's, and the languages it is published in. */
export interface PublicItem {
  item: SiteItem
  edition: Edition
  /** The languages it is published in: a reader is told which of kk and ru it lacks. */
  languages: Lang[]
  firstPublishedAt: Date
  /** When the edition shown was published (its last change in that language). */
  updatedAt: Date
  /** Its editions readers see, one per language it is published in (published, or withdrawn). */
  current: Edition[]
  /** Every edition it has published, the superseded ones too: its history. */
  published: Edition[]
}

/** The edition a reader of `lang` is shown among an item's current editions. */
function shownOf(current: Edition[], lang: Lang): Edition | undefined {
  for (const candidate of FALLBACK[lang]) {
    const found = current.find((e) => e.lang === candidate)
    if (found) return found
  }
  return undefined
}

/** A body's published items of a kind, newest first (documents by the day signed), a page at a time. */
export async function listPublished(db: Queryable, agencyId: number, kind: ItemKind, lang: Lang, page: { offset: number; limit: number }): Promise<{ items: PublicItem[]; total: number }> {
  const order = kind === 'document' ? 'i.signed_on desc nulls last, first desc, i.id desc' : 'first desc, i.id desc'
  const rows = await db.query<{ id: string; first: Date; total: number }>(
    `select i.id, (select min(published_at) from site_editions p where p.item_id = i.id) as first, count(*) over ()::int as total
     from site_items i
     where i.agency_id = $1 and i.kind = $2 and exists (select 1 from site_editions e where e.item_id = i.id and e.status = 'published')
     order by ${order} limit $3 offset $4`,
    [agencyId, kind, page.limit, page.offset],
  )
  return { items: await publicItems(db, rows.map((r) => Number(r.id)), lang), total: rows[0]?.total ?? 0 }
}

/** Items by id as readers see them (those with nothing published are left out), in the order given: two readings however many. */
export async function publicItems(db: Queryable, ids: number[], lang: Lang): Promise<PublicItem[]> {
  if (ids.length === 0) return []
  const items = new Map((await findItems(db, ids)).map((i) => [i.id, i]))
  const editions = (await db.query<EditionRow>(`${EDITION_SELECT} where item_id = any($1::bigint[]) and status in ('published', 'superseded', 'withdrawn')`, [ids])).map(toEdition)
  return ids.flatMap((id) => {
    const published = editions.filter((e) => e.itemId === id)
    const current = published.filter((e) => e.status === 'published' || e.status === 'withdrawn')
    const edition = shownOf(current, lang)
    const item = items.get(id)
    if (!edition || !item) return []
    return [{
      item, edition, languages: LANGS.filter((l) => current.some((e) => e.lang === l)),
      firstPublishedAt: new Date(Math.min(...published.map((e) => e.publishedAt?.getTime() ?? Infinity))),
      updatedAt: edition.publishedAt ?? edition.updatedAt, current, published,
    }]
  })
}

/** An item of a body as its page shows it, with the history of its changes in the language shown; NotFound if another body's, another kind or unpublished. */
export async function publicItem(db: Queryable, agencyId: number, kind: ItemKind, id: number, lang: Lang): Promise<PublicItem & { history: Array<{ at: Date; note: string | null; first: boolean }> }> {
  const [shown] = await publicItems(db, [id], lang)
  if (!shown || shown.item.agencyId !== agencyId || shown.item.kind !== kind) throw new NotFound('site-item', String(id))
  const inLang = shown.published.filter((e) => e.lang === shown.edition.lang && e.publishedAt).sort((a, b) => b.number - a.number)
  const first = inLang.at(-1)?.number
  return { ...shown, history: inLang.map((e) => ({ at: e.publishedAt!, note: e.changeNote, first: e.number === first })) }
}

/** A document's file in a language as published, or NotFound (withdrawn items serve no file). */
export async function publishedFile(db: Queryable, agencyId: number, id: number, lang: Lang): Promise<NonNullable<Edition['file']>> {
  const item = await findItem(db, id)
  if (item.agencyId !== agencyId || item.kind !== 'document') throw new NotFound('site-item', String(id))
  const edition = currentOf(await itemEditions(db, id), lang)
  if (!edition || edition.status !== 'published' || !edition.file) throw new NotFound('site-file', `${id}/${lang}`)
  return edition.file
}

/** Whether a body has published anything of a kind (its page links to the section then). */
export async function hasPublished(db: Queryable, agencyId: number, kind: ItemKind): Promise<boolean> {
  const rows = await db.query(
    `select 1 from site_items i where i.agency_id = $1 and i.kind = $2 and exists (select 1 from site_editions e where e.item_id = i.id and e.status = 'published') limit 1`, [agencyId, kind])
  return rows.length > 0
}

/** The id of a body's page about itself, when it has published one. */
export async function publishedAboutId(db: Queryable, agencyId: number): Promise<number | null> {
  const [row] = await db.query<{ id: string }>(
    `select i.id from site_items i where i.agency_id = $1 and i.kind = 'about' and exists (select 1 from site_editions e where e.item_id = i.id and e.status = 'published')`, [agencyId])
  return row ? Number(row.id) : null
}

/** The items last published (or published again), of one body or of all, newest first: the feeds' entries. */
export async function latestPublished(db: Queryable, agencyId: number | null, lang: Lang, limit: number): Promise<PublicItem[]> {
  const rows = await db.query<{ id: string }>(
    `select i.id from site_items i join site_editions e on e.item_id = i.id and e.status = 'published'
     where ($1::bigint is null or i.agency_id = $1) and i.kind in ('news', 'document') group by i.id order by max(e.published_at) desc, i.id desc limit $2`, [agencyId, limit])
  return publicItems(db, rows.map((r) => Number(r.id)), lang)
}
