import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import { acceptUploads } from '../../../platform/files/uploads.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { paginationFor } from '../../../platform/html/pagination.ts'
import { attachmentDisposition } from '../../../platform/files/download.ts'
import { ValidationError } from '../../../platform/http/errors.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { LANGS, numberFormat, type Lang } from '../../../platform/i18n/index.ts'
import { localize, localizeList, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { agencyIdBySlug, agencyNames } from '../../agencies/service.ts'
import { csvRows } from '../../data/datastore/sources.ts'
import { LoadError } from '../../data/datastore/detect.ts'
import { sendRdf, type RdfFormat } from '../../data/dcat/routes.ts'
import { CHANNELS, RECIPIENTS, findService, keepServices, listServices, servicesByIds, type PublicService } from './register.ts'
import { allSituations, findSituation, listSituations, listSpheres } from './situations.ts'
import { servicesCsv, SERVICE_COLUMNS, servicesOfCsv } from './csv.ts'
import { CPSV_PREFIXES, cpsvQuads } from './cpsv.ts'

const PER_PAGE = 25
const Slug = Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' })
/** The register's filters, the same on its page, its CSV and its API. */
export const ServiceQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'words of a service\'s name or description in any language, or its code' })),
  sphere: Type.Optional(Type.String({ pattern: '^([0-9]{3})?$', description: 'a sphere\'s 3 digits' })),
  situation: Type.Optional(Type.String({ pattern: '^([0-9]{5})?$', description: 'a life situation\'s 5 digits (its sphere\'s and its own)' })),
  agency: Type.Optional(Type.String({ maxLength: 100, pattern: '^([a-z0-9-]+)?$', description: 'the providing body\'s slug' })),
  channel: Type.Optional(Type.Union([Type.Enum([...CHANNELS]), Type.Literal('')])),
  recipient: Type.Optional(Type.Union([Type.Enum([...RECIPIENTS]), Type.Literal('')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
}, { additionalProperties: false })
export type ServiceQueryValues = Static<typeof ServiceQuery>

/** The register's filter from a query; a body not known finds nothing rather than everything. */
export async function serviceFilter(db: Db, query: ServiceQueryValues) {
  const agencyId = query.agency ? (await agencyIdBySlug(db, query.agency)) ?? -1 : undefined
  return {
    q: query.q || undefined, sphere: query.sphere || undefined, situation: query.situation || undefined, agencyId,
    channel: query.channel || undefined, recipient: query.recipient || undefined,
  }
}

/** A fee as readers see it: "free", or the amount in tenge in the reader's way of writing numbers. */
function feeText(request: FastifyRequest, service: PublicService): string {
  if (service.feeKzt === null || Number(service.feeKzt) === 0) return request.t('sites.services.free')
  return request.t('sites.services.feeAmount', { amount: numberFormat(request.lang, { maximumFractionDigits: 2 }).format(Number(service.feeKzt)) })
}

/** schema.org's GovernmentService for a service's page (JSON-LD in its head); `<` written as \u003c so no text closes the script. */
export function governmentServiceLd(origin: string, lang: Lang, service: PublicService, provider: { slug: string; name: MultilingualText } | undefined, channelName: (c: string) => string): string {
  const names = (value: MultilingualText) => LANGS.flatMap((l) => (value[l] ? [{ '@value': value[l], '@language': l }] : []))
  const page = `${origin}/${lang}/services/${service.code}`
  const ld = {
    '@context': 'https://schema.org', '@type': 'GovernmentService', '@id': page, url: page, identifier: service.code,
    name: names(service.name), ...(Object.keys(service.description).length > 0 ? { description: names(service.description) } : {}),
    ...(provider ? { provider: { '@type': 'GovernmentOrganization', '@id': `${origin}/${lang}/agencies/${provider.slug}`, name: names(provider.name) } } : {}),
    areaServed: { '@type': 'Country', name: 'Kazakhstan' },
    audience: service.recipients.map((r) => ({ '@type': r === 'business' ? 'BusinessAudience' : 'PeopleAudience' })),
    availableChannel: service.channels.map((c) => ({ '@type': 'ServiceChannel', name: channelName(c), ...(c === 'egov' && service.egovUrl ? { serviceUrl: service.egovUrl } : {}) })),
    offers: { '@type': 'Offer', price: service.feeKzt ?? '0', priceCurrency: 'KZT' },
    ...(service.excluded ? { expires: service.excluded.on } : {}),
  }
  return JSON.stringify(ld).replace(/</g, '\\u003c')
}

/** The register of public services and the life situations, as readers see them, with the register's exports; its import for administrators. */
export async function servicePages(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  const channelNames = (lang: Lang) => Object.fromEntries(CHANNELS.map((c) => [c, app.i18n.for(lang)(`sites.services.channels.${c}`)]))

  // The register as CPSV-AP, for the EU's and other catalogues of public services.
  for (const format of ['ttl', 'jsonld', 'rdf'] as const) {
    typed.get(`/services/cpsv.${format}`, { config: { pageCache: keptUnder(db, ['sites', 'agencies']) }, schema: { hide: true } }, async (request, reply) => {
      const [services, situations, agencies] = await Promise.all([listServices(db, {}), allSituations(db), agencyNames(db, 'ru')])
      const names = Object.fromEntries(CHANNELS.map((c) => [c, Object.fromEntries(LANGS.map((l) => [l, channelNames(l)[c]]))]))
      const quads = cpsvQuads({ services: services.items, situations, agencies: new Map(agencies.map((a) => [a.id, a])), channelNames: names }, siteOrigin(request))
      return sendRdf(reply, quads, format as RdfFormat, CPSV_PREFIXES)
    })
  }

  await registerPages(app, async (pages) => {
    const kept = keptUnder(db, ['sites', 'agencies'])
    const typedPages = pages.withTypeProvider<TypeBoxTypeProvider>()
    await acceptUploads(pages, files, { field: 'file', mayUpload: (request) => can(request.user, 'services.register.keep'), tooLargeIsFieldError: true })

    const text = (request: FastifyRequest, value: MultilingualText | null | undefined) => {
      const shown = localize(value, request.lang)
      return shown ? { text: shown.text, lang: shown.fallback ? shown.lang : null } : null
    }
    const bodies = async (lang: Lang) => new Map((await agencyNames(db, lang)).map((a) => [a.id, a]))
    const card = (request: FastifyRequest, service: PublicService, agencies: Map<number, { slug: string; name: MultilingualText }>) => {
      const agency = agencies.get(service.agencyId)
      return {
        code: service.code, href: `/${request.lang}/services/${service.code}`, name: text(request, service.name),
        agency: agency ? { href: `/${request.lang}/agencies/${agency.slug}`, name: localize(agency.name, request.lang)?.text ?? agency.slug } : null,
        channels: service.channels.map((c) => request.t(`sites.services.channels.${c}`)), fee: feeText(request, service),
        term: text(request, service.term), excluded: service.excluded?.on ?? null,
      }
    }

    typedPages.get('/services', { config: { pageCache: kept }, schema: { hide: true, querystring: ServiceQuery } }, async (request, reply) => {
      const { lang, t } = request
      const query = request.query
      const page = query.page ?? 1
      const filter = await serviceFilter(db, query)
      const [found, spheres, situations, agencies] = await Promise.all([
        listServices(db, { ...filter, offset: (page - 1) * PER_PAGE, limit: PER_PAGE }), listSpheres(db), listSituations(db), bodies(lang),
      ])
      const providers = [...new Set((await listServices(db, {})).items.map((s) => s.agencyId))].map((id) => agencies.get(id)!).filter(Boolean)
        .map((a) => ({ value: a.slug, text: localize(a.name, lang)?.text ?? a.slug, selected: a.slug === query.agency }))
        .sort((a, b) => a.text.localeCompare(b.text, lang))
      const filters = new URLSearchParams(Object.entries({ ...query, page: undefined }).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString()
      return reply.render('sites/services/views/register.njk', {
        title: t('sites.services.title'), metaDescription: t('platform.portalDescriptions.services'),
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }],
        query, total: found.total,
        services: found.items.map((s) => card(request, s, agencies)),
        spheres: [{ value: '', text: t('sites.services.anySphere') }, ...spheres.map((s) => ({ value: s.code, text: localize(s.name, lang)?.text ?? s.code, selected: s.code === query.sphere }))],
        situations: [{ value: '', text: t('sites.services.anySituation') }, ...situations.map((s) => ({ value: `${s.sphereCode}${s.code}`, text: localize(s.title, lang)?.text ?? s.slug, selected: `${s.sphereCode}${s.code}` === query.situation }))],
        agencies: [{ value: '', text: t('sites.services.anyAgency') }, ...providers],
        channels: [{ value: '', text: t('sites.services.anyChannel') }, ...CHANNELS.map((c) => ({ value: c, text: t(`sites.services.channels.${c}`), selected: c === query.channel }))],
        recipients: [{ value: '', text: t('sites.services.anyRecipient') }, ...RECIPIENTS.map((r) => ({ value: r, text: t(`sites.services.recipients.${r}`), selected: r === query.recipient }))],
        exports: { csv: `/${lang}/services.csv${filters ? `?${filters}` : ''}`, json: `/api/services${filters ? `?${filters}` : ''}`, cpsv: '/services/cpsv.ttl' },
        pagination: paginationFor(request, `/${lang}/services`, query, page, Math.max(1, Math.ceil(found.total / PER_PAGE))),
        mayImport: can(request.user, 'services.register.keep'),
      })
    })

    typedPages.get('/services.csv', { config: { pageCache: kept }, schema: { hide: true, querystring: ServiceQuery } }, async (request, reply) => {
      const [found, agencies] = await Promise.all([listServices(db, await serviceFilter(db, request.query)), bodies(request.lang)])
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition('public-services.csv'))
        .send(servicesCsv(found.items, (id) => agencies.get(id)?.slug ?? ''))
    })

    typedPages.get('/services/:code', { config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ code: Type.String({ pattern: '^[0-9]{8}$' }) }) } }, async (request, reply) => {
      const { lang, t } = request
      const service = await findService(db, request.params.code)
      const agencies = await bodies(lang)
      const situation = (await listSituations(db)).find((s) => s.sphereCode === service.sphereCode && s.code === service.situationCode)
      const documents = localizeList(service.documents, lang)
      const name = localize(service.name, lang)?.text ?? service.code
      return reply.render('sites/services/views/service.njk', {
        title: name, metaDescription: localize(service.description, lang)?.text ?? t('sites.services.lead'),
        breadcrumbs: [
          { text: t('platform.home'), href: `/${lang}/` }, { text: t('sites.services.title'), href: `/${lang}/services` },
          ...(situation ? [{ text: localize(situation.title, lang)?.text ?? situation.slug, href: `/${lang}/life-situations/${situation.slug}` }] : []),
        ],
        service: card(request, service, agencies), excluded: service.excluded && { on: service.excluded.on, reason: text(request, service.excluded.reason) },
        description: text(request, service.description), result: text(request, service.result), legalBasis: text(request, service.legalBasis),
        feeNote: text(request, service.feeNote), recipients: service.recipients.map((r) => t(`sites.services.recipients.${r}`)),
        documents: documents ? { items: documents.items, lang: documents.fallback ? documents.lang : null } : null,
        egovUrl: service.channels.includes('egov') ? service.egovUrl : null,
        jsonLd: governmentServiceLd(siteOrigin(request), lang, service, agencies.get(service.agencyId), (c) => t(`sites.services.channels.${c}`)),
      })
    })

    typedPages.get('/life-situations', { config: { pageCache: kept }, schema: { hide: true } }, async (request, reply) => {
      const { lang, t } = request
      const situations = await listSituations(db)
      return reply.render('sites/services/views/situations.njk', {
        title: t('sites.situations.title'),
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }],
        groups: RECIPIENTS.map((audience) => ({
          heading: t(`sites.situations.for.${audience}`),
          items: situations.filter((s) => s.audience === audience).map((s) => ({
            href: `/${lang}/life-situations/${s.slug}`, title: text(request, s.title), summary: text(request, s.summary), services: s.services,
          })),
        })).filter((g) => g.items.length > 0),
      })
    })

    typedPages.get('/life-situations/:slug', { config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => {
      const { lang, t } = request
      const situation = await findSituation(db, request.params.slug)
      const agencies = await bodies(lang)
      const linked = await servicesByIds(db, situation.steps.flatMap((s) => s.serviceIds))
      const grouped = await listServices(db, { situation: `${situation.sphereCode}${situation.code}` })
      const agencyLink = (id: number) => {
        const agency = agencies.get(id)
        return agency ? { href: `/${lang}/agencies/${agency.slug}`, name: localize(agency.name, lang)?.text ?? agency.slug } : null
      }
      return reply.render('sites/services/views/situation.njk', {
        title: localize(situation.title, lang)?.text ?? situation.slug, metaDescription: localize(situation.summary, lang)?.text,
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('sites.situations.title'), href: `/${lang}/life-situations` }],
        summary: text(request, situation.summary),
        steps: situation.steps.map((step) => {
          const documents = localizeList(step.documents, lang)
          const services = step.serviceIds.map((id) => linked.get(id)).filter((s): s is PublicService => !!s)
          return {
            title: text(request, step.title), body: text(request, step.body),
            services: services.map((s) => card(request, s, agencies)),
            agencies: [...new Set([...step.agencyIds, ...services.map((s) => s.agencyId)])].map(agencyLink).filter(Boolean),
            documents: documents ? { items: documents.items, lang: documents.fallback ? documents.lang : null } : null,
          }
        }),
        services: grouped.items.map((s) => card(request, s, agencies)),
        registerHref: `/${lang}/services?situation=${situation.sphereCode}${situation.code}`,
      })
    })

    // The register's import: a CSV with the export's columns, all rows or none (administrators).
    const importView = 'sites/services/views/import.njk'
    const importContext = (request: FastifyRequest) => ({
      title: request.t('sites.services.import.title'), columns: SERVICE_COLUMNS,
      breadcrumbs: [{ text: request.t('platform.home'), href: `/${request.lang}/` }, { text: request.t('sites.services.title'), href: `/${request.lang}/services` }],
      limitMegabytes: Math.floor(files.limitBytes / 1048576),
    })
    typedPages.get('/services/import', { schema: { hide: true } }, async (request, reply) => {
      authorize(request.user, 'services.register.keep')
      return reply.render(importView, importContext(request))
    })
    typedPages.post('/services/import', { schema: { hide: true, body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 1000 }), { maxProperties: 5 }) } }, async (request, reply) => {
      authorize(request.user, 'services.register.keep')
      try {
        if (!request.upload) throw new ValidationError([{ field: 'file', messageKey: 'sites.services.errors.noFile' }])
        const { inputs, at } = await servicesOfCsv(await csvRows(files, request.upload.key, 'CSV', { maxRowBytes: 1024 * 1024 }))
        const kept = await keepServices(db, request.user, inputs, at)
        return reply.render(importView, { ...importContext(request), done: kept })
      } catch (error) {
        const refused = error instanceof LoadError ? new ValidationError([{ field: 'file', messageKey: error.key, values: error.values }]) : error
        if (!(refused instanceof ValidationError)) throw refused
        const problems = refused.fields.map((f) => ({ row: f.values?.row ?? null, column: f.field, text: request.t(f.messageKey, f.values) }))
        return reply.code(400).render(importView, {
          ...importContext(request), problems,
          errors: problems.map((p) => ({ text: p.row ? request.t('sites.services.import.at', { row: p.row, column: p.column, problem: p.text }) : p.text, href: '#file' })),
          fieldErrors: { file: { text: request.t('sites.services.import.refused') } },
        })
      } finally {
        if (request.upload) await files.remove(request.upload.key)
      }
    })
  })
}

