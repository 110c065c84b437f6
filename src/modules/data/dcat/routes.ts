import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static, type TSchema } from 'typebox'
import Negotiator from 'negotiator'
import type { Quad } from '@rdfjs/types'
import type { Db } from '../../../platform/db/index.ts'
import { LANGS, negotiateLang } from '../../../platform/i18n/index.ts'
import { NotFound, ValidationError, siteOrigin } from '../../../platform/http/index.ts'
import { searchCatalog } from '../catalog/search.ts'
import { showDataset, showResource } from '../catalog/service.ts'
import { CATALOG_PAGE_SIZE, agentQuads, catalogDates, catalogQuads, datasetQuads, locationQuads, toJsonLd, toNTriples, toRdfXml, toTurtle } from './service.ts'
import { solrSearch } from '../ckan/solr-query.ts'
import { listRegions, showAgency } from '../../agencies/service.ts'

// What each RDF format is asked for by (Accept) and written as; Turtle is also N3, which ckanext-dcat offers.
const RDF_TYPES = {
  'application/ld+json': 'jsonld', 'text/turtle': 'ttl', 'application/rdf+xml': 'rdf', 'text/n3': 'n3', 'application/n-triples': 'nt',
} as const
export type RdfFormat = (typeof RDF_TYPES)[keyof typeof RDF_TYPES]
const CONTENT_TYPES = Object.fromEntries(Object.entries(RDF_TYPES).map(([type, format]) => [format, type])) as Record<RdfFormat, string>

/** The RDF format the client prefers over HTML, if it does. */
export function preferredRdf(request: FastifyRequest): RdfFormat | undefined {
  const chosen = new Negotiator(request).mediaType(['text/html', ...Object.keys(RDF_TYPES)])
  return chosen && chosen in RDF_TYPES ? RDF_TYPES[chosen as keyof typeof RDF_TYPES] : undefined
}

/** Triples in a format, written with the given prefixes (DCAT-AP's by default). */
export async function sendRdf(reply: FastifyReply, quads: Quad[], format: RdfFormat, prefixes?: Record<string, string>): Promise<FastifyReply> {
  reply.header('vary', 'Accept').header('access-control-allow-origin', '*').type(`${CONTENT_TYPES[format]}; charset=utf-8`)
  if (format === 'ttl' || format === 'n3') return reply.send(await toTurtle(quads, prefixes))
  if (format === 'nt') return reply.send(await toNTriples(quads))
  if (format === 'rdf') return reply.send(await toRdfXml(quads, prefixes))
  return reply.send(JSON.stringify(await toJsonLd(quads, prefixes)))
}

// The endings of the catalog's and datasets' addresses: ckanext-dcat's (xml is RDF/XML) and N-Triples.
const ENDINGS = { jsonld: 'jsonld', ttl: 'ttl', rdf: 'rdf', xml: 'rdf', n3: 'n3', nt: 'nt' } as const satisfies Record<string, RdfFormat>
const FORMAT_NAMES: Record<RdfFormat, string> = { ttl: 'Turtle', jsonld: 'JSON-LD', rdf: 'RDF/XML', n3: 'N3 (Turtle)', nt: 'N-Triples' }

// ckanext-dcat's profiles that read DCAT-AP 3: the catalog is written one way, and each of them reads it.
const PROFILES = ['euro_dcat_ap_3', 'euro_dcat_ap_2', 'euro_dcat_ap', 'euro_dcat_ap_scheming']

const NameParams = Type.Object({ name: Type.String({ pattern: '^[a-z0-9_-]{2,100}$' }) }, { additionalProperties: false })
const Profiles = Type.Optional(Type.String({ maxLength: 200, description: `ckanext-dcat's profiles, comma-separated: ${PROFILES.join(', ')} (the catalog is DCAT-AP 3 for each)` }))
const DatasetQuery = Type.Object({ profiles: Profiles }, { additionalProperties: false })
// ckanext-dcat's catalog endpoint: page, modified_since, q, fq and profiles (ckanext/dcat/utils.py, read_catalog_page).
const CatalogQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  modified_since: Type.Optional(Type.String({ maxLength: 40, description: 'Only datasets changed since this day or time (2026-11-01, 2026-11-01T10:00:00Z; without a zone, UTC)' })),
  q: Type.Optional(Type.String({ maxLength: 1000, description: 'A query in Solr syntax, as package_search takes it (tags:budget, plain words)' })),
  fq: Type.Optional(Type.String({ maxLength: 1000, description: 'A filter in Solr syntax, as package_search takes it (organization:ministry-of-finance)' })),
  profiles: Profiles,
}, { additionalProperties: false })

/** modified_since as ckanext-dcat reads it (dateutil): a day, or a day and time; without a zone, UTC. */
function sinceTime(text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text.trim())
  const time = match && new Date(`${match[1]}T${match[2] ?? '00:00'}${match[3] ?? 'Z'}`)
  if (!time || Number.isNaN(time.getTime())) throw new ValidationError([{ field: 'modified_since', messageKey: 'data.dcat.modifiedSince' }])
  return time.toISOString()
}

function checkProfiles(profiles: string | undefined): void {
  const unknown = (profiles ?? '').split(',').map((p) => p.trim()).filter((p) => p && !PROFILES.includes(p))
  if (unknown.length > 0) throw new ValidationError([{ field: 'profiles', messageKey: 'data.dcat.profiles', values: { value: unknown.join(', '), allowed: PROFILES.join(', ') } }])
}

/** The catalog and each dataset as DCAT-AP (JSON-LD, Turtle, RDF/XML, N-Triples), for harvesters and the EU data portal. */
export async function dcatRoutes(app: FastifyInstance, db: Db): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['DCAT']

  const publisher = Object.fromEntries(LANGS.map((lang) => [lang, app.i18n.for(lang)('data.dcat.publisher')]))
  const catalog = async (request: FastifyRequest, query: Static<typeof CatalogQuery>, ending: string) => {
    checkProfiles(query.profiles)
    const page = query.page ?? 1
    const base = siteOrigin(request)
    const since = sinceTime(query.modified_since)
    const now = new Date()
    const search = solrSearch({ q: query.q, fq: query.fq }, now)
    const result = await searchCatalog(db, {
      q: search.words, rankWords: search.rankWords, sort: 'name', limit: CATALOG_PAGE_SIZE, offset: (page - 1) * CATALOG_PAGE_SIZE, facets: [],
      condition: (bind) => [
        ...(search.condition ? [search.condition(bind)] : []),
        ...(since ? [`d.updated_at >= ${bind(since)}::timestamptz`] : []),
      ].join(' and ') || 'true',
    }, now)
    const pages = Math.max(1, Math.ceil(result.total / CATALOG_PAGE_SIZE))
    // A page past the last is not there (the first always is, if empty).
    if (page > pages) throw new NotFound('page', String(page))
    const pageUri = (n: number) => {
      const params = new URLSearchParams({
        ...(query.q ? { q: query.q } : {}), ...(query.fq ? { fq: query.fq } : {}), ...(query.modified_since ? { modified_since: query.modified_since } : {}),
        ...(query.profiles ? { profiles: query.profiles } : {}), page: String(n),
      })
      return `${base}/catalog.${ending}?${params.toString()}`
    }
    const { issued, modified } = await catalogDates(db)
    return catalogQuads({ publisher, issued, modified, datasets: result.datasets, page, pages, total: result.total }, base, pageUri)
  }
  const datasetRdf = async (request: FastifyRequest, name: string) => datasetQuads(await showDataset(db, name), siteOrigin(request))

  for (const [ending, format] of Object.entries(ENDINGS)) {
    typed.get(`/catalog.${ending}`, {
      schema: { tags, summary: `The catalog as DCAT-AP ${FORMAT_NAMES[format]}, ${CATALOG_PAGE_SIZE} datasets a page (hydra paging)`, querystring: CatalogQuery },
    }, async (request, reply) => sendRdf(reply, await catalog(request, request.query, ending), format))

    // CKAN's address of a dataset's RDF (ckanext-dcat), and Ashyq's own beside the dataset's page.
    for (const [path, where] of [[`/dataset/:name.${ending}`, ', at CKAN\'s address'], [`/data/datasets/:name/dcat.${ending}`, '']]) {
      typed.get(path!, {
        schema: { tags, summary: `One dataset as DCAT-AP ${FORMAT_NAMES[format]}${where}`, params: NameParams, querystring: DatasetQuery },
      }, async (request, reply) => {
        checkProfiles(request.query.profiles)
        return sendRdf(reply, await datasetRdf(request, request.params.name), format)
      })
    }
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

  // A dataset, at its IRI and at CKAN's address of its page.
  for (const path of ['/data/datasets/:name', '/dataset/:name']) {
    typed.get(path, hidden(NameParams), async (request, reply) =>
      dereference(request, reply, () => datasetRdf(request, request.params.name), `/data/datasets/${request.params.name}`))
  }
}
