import type { Db, Queryable } from '../../../platform/db/index.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import { markdownLinks } from '../../../platform/html/markdown.ts'
import { siteFileHref } from './pages.ts'
import type { Lang } from '../../../platform/i18n/index.ts'

/** A link of a published item that leads nowhere: where it is, and what its address answered. */
export interface LinkProblem {
  itemId: number
  lang: Lang
  url: string
  /** The status the site answered (404, 410…), or 0 for an item's file that is no longer kept. */
  status: number
}

/** A link's path on this site ("/ru/agencies"), or null for one elsewhere (another site, mail, a fragment). */
export function sitePathOf(href: string, publicUrl: string): string | null {
  if (href.startsWith('/') && !href.startsWith('//')) return href.split('#')[0] || null
  if (href.startsWith(`${publicUrl}/`)) return href.slice(publicUrl.length).split('#')[0] || null
  return null
}

/**
 * Checks the links of every published edition: each link within the site is asked for as an
 * anonymous reader would follow it (4xx is broken; the site's own errors, 5xx, are not the item's
 * fault and are asked again next time), and each edition's file is opened. What a check finds
 * replaces what the last one found, edition by edition. Links to other sites are not followed.
 */
export async function checkSiteLinks(db: Db, files: FileStore, publicUrl: string, statusOf: (path: string) => Promise<number>): Promise<{ editions: number; problems: number }> {
  const editions = await db.query<{ item_id: string; lang: Lang; body: string; file_key: string | null; slug: string }>(
    `select e.item_id, e.lang, e.body, e.file_key, a.slug from site_editions e join site_items i on i.id = e.item_id join agencies a on a.id = i.agency_id
     where e.status = 'published' order by e.item_id, e.lang`,
  )
  let problems = 0
  for (const edition of editions) {
    const found: LinkProblem[] = []
    const paths = new Set(markdownLinks(edition.body).flatMap((href) => sitePathOf(href, publicUrl) ?? []))
    for (const path of paths) {
      const status = await statusOf(path)
      if (status >= 400 && status < 500) found.push({ itemId: Number(edition.item_id), lang: edition.lang, url: path, status })
    }
    if (edition.file_key) {
      const kept = await files.sizeOf(edition.file_key).then((size) => size !== null, () => false)
      if (!kept) found.push({ itemId: Number(edition.item_id), lang: edition.lang, url: siteFileHref(edition.slug, Number(edition.item_id), edition.lang), status: 0 })
    }
    await db.transaction(async (tx) => {
      await tx.query('delete from site_link_problems where item_id = $1 and lang = $2', [edition.item_id, edition.lang])
      for (const p of found) await tx.query('insert into site_link_problems (item_id, lang, url, status) values ($1, $2, $3, $4)', [p.itemId, p.lang, p.url, p.status])
    })
    problems += found.length
  }
  // An edition no longer published keeps no problems.
  await db.query(`delete from site_link_problems p where not exists (select 1 from site_editions e where e.item_id = p.item_id and e.lang = p.lang and e.status = 'published')`)
  return { editions: editions.length, problems }
}

/** The broken links of a body's published items, by item. */
export async function linkProblemsOf(db: Queryable, agencyId: number): Promise<Map<number, LinkProblem[]>> {
  const rows = await db.query<{ item_id: string; lang: Lang; url: string; status: number }>(
    'select p.item_id, p.lang, p.url, p.status from site_link_problems p join site_items i on i.id = p.item_id where i.agency_id = $1 order by p.item_id, p.lang, p.url', [agencyId])
  const byItem = new Map<number, LinkProblem[]>()
  for (const r of rows) byItem.set(Number(r.item_id), [...(byItem.get(Number(r.item_id)) ?? []), { itemId: Number(r.item_id), lang: r.lang, url: r.url, status: r.status }])
  return byItem
}
