import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import Negotiator from 'negotiator'
import type { Quad } from '@rdfjs/types'
import type { Db } from '../../../platform/db/index.ts'
import { negotiateLang } from '../../../platform/i18n/index.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { searchCatalog } from '../catalog/search.ts'
import { showDataset } from '../catalog/service.ts'
import { CATALOG_PAGE_SIZE, catalogQuads, datasetQuads, toJsonLd, toTurtle } from './service.ts'

const RDF_TYPES = { 'application/ld+json': 'jsonld', 'text/turtle': 'ttl' } as const
type RdfFormat = (typeof RDF_TYPES)[keyof typeof RDF_TYPES]

/** The RDF format the client prefers over HTML, if it does. */
export function preferredRdf(request: FastifyRequest): RdfFormat | undefined {
  const chosen = new Negotiator(request).mediaType(['text/html', ...Object.keys(RDF_TYPES)])
  return chosen && chosen in RDF_TYPES ? RDF_TYPES[chosen as keyof typeof RDF_TYPES] : undefined
}

export async function sendRdf(reply: FastifyReply, quads: Quad[], format: RdfFormat): Promise<FastifyReply> {
  reply.header('vary', 'Accept').header('access-control-allow-origin', '*')
  if (format === 'ttl') return reply.type('text/turtle; charset=utf-8').send(await toTurtle(quads))
  return reply.type('application/ld+json; charset=utf-8').send(JSON.stringify(await toJsonLd(quads)))
}

const NameParams = Type.Object({ name: Type.String({ pattern: '^[a-z0-9_-]{2,100}$' }) }, { additionalProperties: false })
const PageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })) }, { additionalProperties: false })

/** The catalog and each dataset as DCAT-AP (JSON-LD and Turtle), for harvesters and the EU data portal. */
export async function dcatRoutes(app: FastifyInstance, db: Db): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['DCAT']

  for (const format of ['jsonld', 'ttl'] as const) {
    typed.get(`/catalog.${format}`, {
      schema: { tags, summary: `The catalog as DCAT-AP ${format === 'ttl' ? 'Turtle' : 'JSON-LD'}, ${CATALOG_PAGE_SIZE} datasets a page (hydra paging)`, querystring: PageQuery },
    }, async (request, reply) => {
      const page = request.query.page ?? 1
      const base = siteOrigin(request)
      const result = await searchCatalog(db, { sort: 'name', limit: CATALOG_PAGE_SIZE, offset: (page - 1) * CATALOG_PAGE_SIZE, facets: [] })
      const pages = Math.max(1, Math.ceil(result.total / CATALOG_PAGE_SIZE))
      const quads = catalogQuads({ datasets: result.datasets, page, pages, total: result.total }, base, (n) => `${base}/catalog.${format}?page=${n}`)
      return sendRdf(reply, quads, format)
    })

    typed.get(`/data/datasets/:name/dcat.${format}`, {
      schema: { tags, summary: `One dataset as DCAT-AP ${format === 'ttl' ? 'Turtle' : 'JSON-LD'}`, params: NameParams },
    }, async (request, reply) => sendRdf(reply, datasetQuads(await showDataset(db, request.params.name), siteOrigin(request)), format))
  }

  // The dataset's URI in the RDF: RDF for RDF clients, the page in the reader's language for browsers.
  typed.get('/data/datasets/:name', { schema: { hide: true, params: NameParams } }, async (request, reply) => {
    const format = preferredRdf(request)
    if (format) return sendRdf(reply, datasetQuads(await showDataset(db, request.params.name), siteOrigin(request)), format)
    return reply.header('vary', 'Accept, Accept-Language').redirect(`/${negotiateLang(request.headers['accept-language'])}/data/datasets/${request.params.name}`, 303)
  })
}
