import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static, type TSchema } from 'typebox'
import Negotiator from 'negotiator'
import type { Quad } from '@rdfjs/types'
import type { Db } from '../../../platform/db/index.ts'
import { LANGS, negotiateLang } from '../../../platform/i18n/index.ts'
import { NotFound, siteOrigin } from '../../../platform/http/index.ts'
import { searchCatalog } from '../catalog/search.ts'
import { showDataset, showResource } from '../catalog/service.ts'
import { CATALOG_PAGE_SIZE, agentQuads, catalogQuads, datasetQuads, locationQuads, toJsonLd, toRdfXml, toTurtle } from './service.ts'
import { listRegions, showAgency } from '../../agencies/service.ts'

const RDF_TYPES = { 'application/ld+json': 'jsonld', 'text/turtle': 'ttl', 'application/rdf+xml': 'rdf' } as const
export type RdfFormat = (typeof RDF_TYPES)[keyof typeof RDF_TYPES]

/** The RDF format the client prefers over HTML, if it does. */
export function preferredRdf(request: FastifyRequest): RdfFormat | undefined {
  const chosen = new Negotiator(request).mediaType(['text/html', ...Object.keys(RDF_TYPES)])
  return chosen && chosen in RDF_TYPES ? RDF_TYPES[chosen as keyof typeof RDF_TYPES] : undefined
}

/** Triples in a format, written with the given prefixes (DCAT-AP's by default). */
export async function sendRdf(reply: FastifyReply, quads: Quad[], format: RdfFormat, prefixes?: Record<string, string>): Promise<FastifyReply> {
  reply.header('vary', 'Accept').header('access-control-allow-origin', '*')
  if (format === 'ttl') return reply.type('text/turtle; charset=utf-8').send(await toTurtle(quads, prefixes))
  if (format === 'rdf') return reply.type('application/rdf+xml; charset=utf-8').send(await toRdfXml(quads, prefixes))
  return reply.type('application/ld+json; charset=utf-8').send(JSON.stringify(await toJsonLd(quads, prefixes)))
}

const NameParams = Type.Object({ name: Type.String({ pattern: '^[a-z0-9_-]{2,100}$' }) }, { additionalProperties: false })
// ckanext-dcat's catalog endpoint: page, modified_since and q (ckanext/dcat/utils.py, catalog_endpoint).
const CatalogQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  modified_since: Type.Optional(Type.String({ format: 'date-time', description: 'Only datasets changed since this time (ISO 8601, e.g. 2024-05-01T00:00:00Z)' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Words the datasets must have, as on the catalog page' })),
}, { additionalProperties: false })
const FORMAT_NAMES = { ttl: 'Turtle', jsonld: 'JSON-LD', rdf: 'RDF/XML' } as const

/** The catalog and each dataset as DCAT-AP (JSON-LD and Turtle), for harvesters and the EU data portal. */
export async function dcatRoutes(app: FastifyInstance, db: Db): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['DCAT']

  const publisher = Object.fromEntries(LANGS.map((lang) => [lang, app.i18n.for(lang)('data.dcat.publisher')]))
  const catalog = async (request: FastifyRequest, query: Static<typeof CatalogQuery>, format: RdfFormat) => {
    const page = query.page ?? 1
    const base = siteOrigin(request)
    const since = query.modified_since
    const result = await searchCatalog(db, {
      q: query.q, sort: 'name', limit: CATALOG_PAGE_SIZE, offset: (page - 1) * CATALOG_PAGE_SIZE, facets: [],
      condition: since ? (bind) => `d.updated_at >= ${bind(new Date(since).toISOString())}::timestamptz` : undefined,
    })
    const pages = Math.max(1, Math.ceil(result.total / CATALOG_PAGE_SIZE))
    // A page past the last is not there (the first always is, if empty).
    if (page > pages) throw new NotFound('page', String(page))
    const pageUri = (n: number) => {
      const params = new URLSearchParams({ ...(query.q ? { q: query.q } : {}), ...(since ? { modified_since: since } : {}), page: String(n) })
      return `${base}/catalog.${format}?${params.toString()}`
    }
    return catalogQuads({ publisher, datasets: result.datasets, page, pages, total: result.total }, base, pageUri)
  }

  for (const format of ['jsonld', 'ttl', 'rdf'] as const) {
    typed.get(`/catalog.${format}`, {
      schema: { tags, summary: `The catalog as DCAT-AP ${FORMAT_NAMES[format]}, ${CATALOG_PAGE_SIZE} datasets a page (hydra paging)`, querystring: CatalogQuery },
    }, async (request, reply) => sendRdf(reply, await catalog(request, request.query, format), format))

    typed.get(`/data/datasets/:name/dcat.${format}`, {
      schema: { tags, summary: `One dataset as DCAT-AP ${FORMAT_NAMES[format]}`, params: NameParams },
    }, async (request, reply) => sendRdf(reply, datasetQuads(await showDataset(db, request.params.name), siteOrigin(request)), format))
  }

  // The catalog's IRIs: each answers its RDF to RDF clients and sends browsers (303) to its page in
  // their language; what it names is looked up first, so an unknown one is a 404 either way.
  const dereference = (request: FastifyRequest, reply: FastifyReply, rdf: (format: RdfFormat) => Promise<Quad[]>, page: string) => {
    const format = preferredRdf(request)
    if (format) return rdf(format).then((quads) => sendRdf(reply, quads, format))
    return reply.header('vary', 'Accept, Accept-Language').redirect(`/${negotiateLang(request.headers['accept-language'])}${page}`, 303)
  }
  const hidden = <P extends TSchema>(params: P) => ({ schema: { hide: true, params } })

  // A publisher: the body as an agent.
  typed.get('/agencies/:slug', hidden(Type.Object({ slug: Type.String({ maxLength: 100 }) })), async (request, reply) => {
    const agency = await showAgency(db, request.params.slug)
    return dereference(request, reply, async () => agentQuads(agency, siteOrigin(request)), `/agencies/${agency.slug}`)
  })

  // A region: a dct:Location; for browsers, the bodies of the region.
  typed.get('/regions/:code', hidden(Type.Object({ code: Type.String({ maxLength: 50 }) })), async (request, reply) => {
    const region = (await listRegions(db, 'kk')).find((r) => r.code === request.params.code)
    if (!region) throw new NotFound('region', request.params.code)
    return dereference(request, reply, async () => locationQuads(region, siteOrigin(request)), `/agencies?region=${encodeURIComponent(region.code)}`)
  })

  // The catalog itself.
  typed.get('/catalog', { schema: { hide: true, querystring: CatalogQuery } }, async (request, reply) =>
    dereference(request, reply, (format) => catalog(request, request.query, format), '/data'))

  // A distribution: its dataset's RDF; for browsers, the dataset's page at the resource.
  typed.get('/data/resources/:id', hidden(Type.Object({ id: Type.String({ maxLength: 36 }) })), async (request, reply) => {
    const resource = await showResource(db, request.params.id)
    return dereference(request, reply, async () => datasetQuads(await showDataset(db, resource.datasetId), siteOrigin(request)),
      `/data/datasets/${resource.datasetName}#resource-${resource.id}`)
  })

  // A dataset.
  typed.get('/data/datasets/:name', hidden(NameParams), async (request, reply) =>
    dereference(request, reply, async () => datasetQuads(await showDataset(db, request.params.name), siteOrigin(request)), `/data/datasets/${request.params.name}`))
}
