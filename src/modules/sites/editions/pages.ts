import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import { sendStoredFile } from '../../../platform/files/download.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { paginationFor } from '../../../platform/html/pagination.ts'
import { renderMarkdown } from '../../../platform/html/markdown.ts'
import { NotFound } from '../../../platform/http/errors.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { LANGS, type Lang } from '../../../platform/i18n/index.ts'
import { localize, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { sendAtom } from '../../../platform/notifications/feeds.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { can } from '../../../platform/auth/policies.ts'
import { agencyNames, agencyWithRegion, showAgency } from '../../agencies/service.ts'
import { latestPublished, listPublished, publicItem, publishedAboutId, publishedFile, type PublicItem } from './reading.ts'
import { LISTED_KINDS, type ItemKind } from './states.ts'

const Slug = Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' })
const PER_PAGE = 20
/** The section of a body's site each kind of item is listed in. */
export const SECTION: Record<ItemKind, string> = { news: 'news', document: 'documents', about: 'about' }
/** An item's page after the language: a body's one page about itself has the section's own address. */
export const itemPath = (slug: string, kind: ItemKind, id: number) => (kind === 'about' ? `/agencies/${slug}/about` : `/agencies/${slug}/${SECTION[kind]}/${id}`)

/** Where a document's file in a language is downloaded: one address whatever the page's language. */
export const siteFileHref = (slug: string, id: number, lang: Lang) => `/agencies/${slug}/documents/${id}/file/${lang}`

/** A body's site as readers see it: its news and its documents, each item in the reader's language or, lacking it, another's. */
export async function sitePages(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  const agencyOf = async (slug: string) => {
    const agency = await agencyWithRegion(db, slug)
    if (!agency) throw new NotFound('agency', slug)
    return agency
  }

  app.withTypeProvider<TypeBoxTypeProvider>().get('/agencies/:slug/documents/:id/file/:lang', {
    schema: { hide: true, params: Type.Object({ slug: Slug, id: RecordId, lang: Type.Enum([...LANGS]) }) },
  }, async (request, reply) => {
    const agency = await agencyOf(request.params.slug)
    const file = await publishedFile(db, agency.id, request.params.id, request.params.lang)
    return sendStoredFile(reply, files, { key: file.key, fileName: file.name, mediaType: file.mediaType })
  })

  await registerPages(app, async (pages) => {
    const kept = keptUnder(db, ['agencies', 'sites'])
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()

    const card = (request: FastifyRequest, slug: string, p: PublicItem) => {
      const { lang, t } = request
      return {
        href: `/${lang}${itemPath(slug, p.item.kind, p.item.id)}`,
        title: p.edition.title, summary: p.edition.summary, lang: p.edition.lang,
        other: p.edition.lang !== lang ? t('sites.item.onlyIn', { language: t(`sites.languages.${p.edition.lang}`) }) : null,
        documentKind: p.item.documentKind && t(`sites.documentKinds.${p.item.documentKind}`), number: p.item.number,
        signedOn: p.item.signedOn, firstPublishedAt: p.firstPublishedAt,
      }
    }

    // Atom: every body's news and documents, and one body's, newest publication first (its first, or a new edition's).
    const feed = async (request: FastifyRequest, reply: FastifyReply, agency: { id: number; slug: string; name: MultilingualText } | null) => {
      const { lang, t } = request
      const origin = siteOrigin(request)
      const names = new Map((await agencyNames(db, lang)).map((a) => [a.id, a]))
      const items = await latestPublished(db, agency?.id ?? null, lang, 50)
      const path = agency ? `/${lang}/agencies/${agency.slug}` : `/${lang}/agencies`
      return sendAtom(reply, {
        self: `${origin}${path}/news.atom`, link: `${origin}${agency ? `${path}/news` : path}`,
        title: agency ? `${localize(agency.name, lang)?.text ?? agency.slug}: ${t('sites.feed.title')}` : t('sites.feed.allTitle'),
        lang, author: agency ? localize(agency.name, lang)?.text ?? agency.slug : t('platform.portal.name'),
        entries: items.map((p) => {
          const body = names.get(p.item.agencyId)
          return {
            link: `${origin}/${lang}${itemPath(body?.slug ?? '', p.item.kind, p.item.id)}`,
            title: p.edition.title, summary: p.edition.summary || t(`sites.kinds.${p.item.kind}`),
            updated: p.updatedAt, published: p.firstPublishedAt, author: body ? localize(body.name, lang)?.text : undefined,
          }
        }),
      })
    }
    typed.get('/agencies/news.atom', { config: { pageCache: kept }, schema: { hide: true } }, async (request, reply) => feed(request, reply, null))
    typed.get('/agencies/:slug/news.atom', { config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => feed(request, reply, await agencyOf(request.params.slug)))

    for (const kind of LISTED_KINDS) {
      const section = SECTION[kind]
      typed.get(`/agencies/:slug/${section}`, {
        config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ slug: Slug }), querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) }) },
      }, async (request, reply) => {
        const { lang, t } = request
        const agency = await agencyOf(request.params.slug)
        const page = request.query.page ?? 1
        const { items, total } = await listPublished(db, agency.id, kind, lang, { offset: (page - 1) * PER_PAGE, limit: PER_PAGE })
        const name = localize(agency.name, lang)?.text ?? agency.slug
        return reply.render('sites/editions/views/list.njk', {
          title: t(`sites.sections.${section}`), agency: { slug: agency.slug, name }, kind,
          breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('agencies.list.title'), href: `/${lang}/agencies` }, { text: name, href: `/${lang}/agencies/${agency.slug}` }],
          items: items.map((p) => card(request, agency.slug, p)),
          pagination: paginationFor(request, `/${lang}/agencies/${agency.slug}/${section}`, request.query, page, Math.max(1, Math.ceil(total / PER_PAGE))),
          mayEdit: !!request.user && can(request.user, 'site.edition.edit', { agencyId: agency.id }),
        })
      })

      typed.get(`/agencies/:slug/${section}/:id`, {
        config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ slug: Slug, id: RecordId }) },
      }, async (request, reply) => showItem(request, reply, await agencyOf(request.params.slug), kind, request.params.id))
    }

    // A body's page about itself: its mandate and structure, in editions as its news are, with the bodies under it.
    typed.get('/agencies/:slug/about', { config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => {
      const agency = await agencyOf(request.params.slug)
      const id = await publishedAboutId(db, agency.id)
      if (id === null) throw new NotFound('site-item', `${agency.slug}/about`)
      return showItem(request, reply, agency, 'about', id)
    })

    async function showItem(request: FastifyRequest, reply: FastifyReply, agency: { id: number; slug: string; name: MultilingualText }, kind: ItemKind, id: number) {
      const { lang, t } = request
      const section = SECTION[kind]
      const shown = await publicItem(db, agency.id, kind, id, lang)
      const name = localize(agency.name, lang)?.text ?? agency.slug
      const missing = (['kk', 'ru'] as const).filter((l) => !shown.languages.includes(l))
      return reply.render('sites/editions/views/item.njk', {
        title: shown.edition.title, agency: { slug: agency.slug, name }, kind,
        metaDescription: shown.edition.summary || undefined, ogType: kind === 'news' ? 'article' : 'website',
        breadcrumbs: [
          { text: t('platform.home'), href: `/${lang}/` }, { text: name, href: `/${lang}/agencies/${agency.slug}` },
          ...(kind === 'about' ? [] : [{ text: t(`sites.sections.${section}`), href: `/${lang}/agencies/${agency.slug}/${section}` }]),
        ],
        children: kind === 'about' ? (await showAgency(db, agency.slug, lang)).children.map((c) => ({ href: `/${lang}/agencies/${c.slug}`, name: localize(c.name, lang)?.text ?? c.slug })) : [],
        item: shown.item, edition: shown.edition, body: renderMarkdown(shown.edition.body),
        card: card(request, agency.slug, shown),
        missing: missing.map((l) => t(`sites.languages.${l}`)),
        history: shown.history,
        file: shown.edition.file && shown.edition.status === 'published' ? { href: siteFileHref(agency.slug, shown.item.id, shown.edition.lang), ...shown.edition.file } : null,
        signatory: shown.item.signatory && localize(shown.item.signatory, lang),
        mayEdit: !!request.user && can(request.user, 'site.edition.edit', { agencyId: agency.id }),
        editHref: `/${lang}/agencies/${agency.slug}/site/items/${shown.item.id}/${shown.edition.lang}`,
      })
    }
  })
}
