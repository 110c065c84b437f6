import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Db } from '../../platform/db/index.ts'
import { registerPages } from '../../platform/html/pages.ts'
import { paginationFor } from '../../platform/html/pagination.ts'
import { localize, type MultilingualText } from '../../platform/i18n/multilingual.ts'
import { LANGS, type Lang } from '../../platform/i18n/index.ts'
import { siteOrigin } from '../../platform/http/index.ts'
import type { Agency } from './schemas.ts'
import { can } from '../../platform/auth/policies.ts'
import { AGENCY_KINDS, AgencyListQuery, SlugParams } from './schemas.ts'
import { listAgencies, listRegions, showAgency } from './service.ts'
import { keptUnder } from '../../platform/html/page-versions.ts'

/**
 * A body as schema.org's GovernmentOrganization (JSON-LD in its page's head), for search engines and
 * the portals that gather state bodies: its names in every language, contacts, parent and subordinates.
 * `<` is written as \u003c, so no text of the body's can close the script element.
 */
export function organizationLd(origin: string, lang: Lang, agency: Agency): string {
  const page = (slug: string) => `${origin}/${lang}/agencies/${slug}`
  const names = (value: MultilingualText) => LANGS.flatMap((l) => (value[l] ? [{ '@value': value[l], '@language': l }] : []))
  const address = localize(agency.address, lang)?.text
  const ld = {
    '@context': 'https://schema.org', '@type': 'GovernmentOrganization', '@id': page(agency.slug), url: page(agency.slug),
    name: names(agency.name),
    ...(address ? { address } : {}), ...(agency.phone ? { telephone: agency.phone } : {}), ...(agency.email ? { email: agency.email } : {}),
    ...(agency.website ? { sameAs: agency.website } : {}),
    ...(agency.parent ? { parentOrganization: { '@type': 'GovernmentOrganization', '@id': page(agency.parent.slug), name: names(agency.parent.name) } } : {}),
    ...(agency.children.length > 0 ? { subOrganization: agency.children.map((c) => ({ '@type': 'GovernmentOrganization', '@id': page(c.slug), name: names(c.name) })) } : {}),
  }
  return JSON.stringify(ld).replace(/</g, '\\u003c')
}

/** The registry's pages: the filterable list and each body's page. */
export async function agencyPages(app: FastifyInstance, db: Db): Promise<void> {
  await registerPages(app, async (pages) => {
    const keptPages = keptUnder(db, ['agencies'])
    // A body's page also links to what other portals keep of it (its budget): kept under theirs too.
    const keptBodyPages = keptUnder(db, ['agencies', ...app.agencyLinks.flatMap((l) => l.topics)])
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()

    typed.get('/agencies', { config: { pageCache: keptPages }, schema: { hide: true, querystring: AgencyListQuery } }, async (request, reply) => {
      const { lang, t } = request
      const query = request.query
      const [result, regions] = await Promise.all([listAgencies(db, query, lang), listRegions(db, lang)])
      const pagination = paginationFor(request, `/${lang}/agencies`, query, result.page, result.pages, { page: 1, perPage: 20 })
      return reply.render('agencies/views/list.njk', {
        title: t('agencies.list.title'),
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }],
        query,
        result,
        mayCreate: can(request.user, 'agency.create'),
        pagination,
        kinds: AGENCY_KINDS.map((kind) => ({ value: kind, text: t(`agencies.kind.${kind}`), selected: query.kind === kind })),
        regions: regions.map((r) => ({ value: r.code, text: localize(r.name, lang)?.text ?? r.code, selected: query.region === r.code })),
      })
    })

    typed.get('/agencies/:slug', { config: { pageCache: keptBodyPages }, schema: { hide: true, params: SlugParams } }, async (request, reply) => {
      const { lang, t } = request
      const agency = await showAgency(db, request.params.slug, lang)
      const breadcrumbs = [
        { text: t('platform.home'), href: `/${lang}/` },
        { text: t('agencies.list.title'), href: `/${lang}/agencies` },
      ]
      if (agency.parent) breadcrumbs.push({ text: localize(agency.parent.name, lang)?.text ?? agency.parent.slug, href: `/${lang}/agencies/${agency.parent.slug}` })
      return reply.render('agencies/views/show.njk', {
        title: localize(agency.name, lang)?.text ?? agency.slug,
        breadcrumbs,
        agency,
        jsonLd: organizationLd(siteOrigin(request), lang, agency),
        mayEdit: can(request.user, 'agency.update', { id: agency.id }),
        elsewhere: (await Promise.all(app.agencyLinks.map((l) => l.find(db, agency))))
          .flatMap((found) => (found ? [{ text: t(found.textKey), href: `/${lang}${found.path}` }] : [])),
      })
    })
  })
}
