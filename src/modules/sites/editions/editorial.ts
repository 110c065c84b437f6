import type { Queryable } from '../../../platform/db/index.ts'
import type { Day } from '../../../platform/calendar/days.ts'
import { LANGS, type Lang } from '../../../platform/i18n/index.ts'
import { EDITION_SELECT, latestOf, toEdition, type EditionRow } from './service.ts'
import type { EditionStatus, ItemKind } from './states.ts'
import { linkProblemsOf, type LinkProblem } from './links.ts'

/** An item as its body's editors list it: each language's latest edition and its state, and whether it is due for review. */
export interface EditorsItem {
  id: number
  kind: ItemKind
  title: string
  titleLang: Lang
  languages: Array<{ lang: Lang; status: EditionStatus | null; number: number | null }>
  reviewOn: Day | null
  stale: boolean
  /** Its links that lead nowhere, as the last check found them. */
  broken: LinkProblem[]
}

/** A body's items for its editors, newest first: what is in which state in each language, and what is past its review day. */
export async function editorsItems(db: Queryable, agencyId: number, today: Day): Promise<EditorsItem[]> {
  const items = await db.query<{ id: string; kind: ItemKind; review_on: string | null }>(
    `select id, kind, to_char(review_on, 'YYYY-MM-DD') as review_on from site_items where agency_id = $1 order by id desc limit 500`, [agencyId])
  if (items.length === 0) return []
  const editions = (await db.query<EditionRow>(`${EDITION_SELECT} where item_id = any($1::bigint[]) and status <> 'superseded'`, [items.map((i) => i.id)])).map(toEdition)
  const broken = await linkProblemsOf(db, agencyId)
  return items.map((i) => {
    const own = editions.filter((e) => e.itemId === Number(i.id))
    const named = LANGS.map((l) => latestOf(own, l)).find((e) => e !== undefined)
    return {
      id: Number(i.id), kind: i.kind, title: named?.title ?? '', titleLang: named?.lang ?? 'ru',
      languages: LANGS.map((lang) => {
        const e = latestOf(own, lang)
        return { lang, status: e?.status ?? null, number: e?.number ?? null }
      }),
      reviewOn: i.review_on as Day | null,
      stale: i.review_on !== null && i.review_on < today,
      broken: broken.get(Number(i.id)) ?? [],
    }
  })
}
