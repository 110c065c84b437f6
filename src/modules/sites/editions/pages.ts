import type { FastifyInstance, FastifyRequest } from 'fastify'
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
import { localize } from '../../../platform/i18n/multilingual.ts'
import { can } from '../../../platform/auth/policies.ts'
import { agencyWithRegion } from '../../agencies/service.ts'
import { listPublished, publicItem, publishedFile, type PublicItem } from './reading.ts'
import type { ItemKind } from './states.ts'

const Slug = Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' })
const PER_PAGE = 20
/** The section of a body's site each kind of item is listed in. */
export const SECTION: Record<ItemKind, string> = { news: 'news', document: 'documents' }

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
        href: `/${lang}/agencies/${slug}/${SECTION[p.item.kind]}/${p.item.id}`,
        title: p.edition.title, summary: p.edition.summary, lang: p.edition.lang,
        other: p.edition.lang !== lang ? t('sites.item.onlyIn', { language: t(`sites.languages.${p.edition.lang}`) }) : null,
        documentKind: p.item.documentKind && t(`sites.documentKinds.${p.item.documentKind}`), number: p.item.number,
        signedOn: p.item.signedOn, firstPublishedAt: p.firstPublishedAt,
      }
    }

    for (const kind of ['news', 'document'] as const) {
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
      }, async (request, reply) => {
        const { lang, t } = request
        const agency = await agencyOf(request.params.slug)
        const shown = await publicItem(db, agency.id, kind, request.params.id, lang)
        const name = localize(agency.name, lang)?.text ?? agency.slug
        const missing = (['kk', 'ru'] as const).filter((l) => !shown.languages.includes(l))
        return reply.render('sites/editions/views/item.njk', {
          title: shown.edition.title, agency: { slug: agency.slug, name }, kind,
          breadcrumbs: [
            { text: t('platform.home'), href: `/${lang}/` }, { text: name, href: `/${lang}/agencies/${agency.slug}` },
            { text: t(`sites.sections.${section}`), href: `/${lang}/agencies/${agency.slug}/${section}` },
          ],
          item: shown.item, edition: shown.edition, body: renderMarkdown(shown.edition.body),
          card: card(request, agency.slug, shown),
          missing: missing.map((l) => t(`sites.languages.${l}`)),
          history: shown.history,
          file: shown.edition.file && shown.edition.status === 'published' ? { href: siteFileHref(agency.slug, shown.item.id, shown.edition.lang), ...shown.edition.file } : null,
          signatory: shown.item.signatory && localize(shown.item.signatory, lang),
          mayEdit: !!request.user && can(request.user, 'site.edition.edit', { agencyId: agency.id }),
          editHref: `/${lang}/agencies/${agency.slug}/site/items/${shown.item.id}/${shown.edition.lang}`,
        })
      })
    }
  })
}
