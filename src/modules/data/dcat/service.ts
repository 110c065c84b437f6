import N3 from 'n3'
import xmlScribe from '@graphy/content.xml.scribe'
import type { Quad, Quad_Object } from '@rdfjs/types'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'
import type { Dataset } from '../catalog/service.ts'
import { euFileTypeOf, mediaTypeOf, type Frequency } from '../catalog/vocabularies.ts'

const { namedNode: rawNamedNode, literal, blankNode, quad } = N3.DataFactory

// What Turtle's IRIREF may not hold; N3.js writes an IRI as it is given (a '>' in one ends it, and
// what follows becomes triples of whoever wrote the address).
const NOT_IN_IRI = /[\u0000-\u0020<>"{}|^`\\]/g

/** An IRI with every character Turtle forbids in one percent-encoded, as a URL writes it. */
export function safeIri(text: string): string {
  return text.replace(NOT_IN_IRI, (c) => encodeURIComponent(c) === c ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : encodeURIComponent(c))
}

// Every IRI here goes through safeIri: addresses come from publishers, harvested catalogs and the
// request's Host header.
const namedNode = (text: string) => rawNamedNode(safeIri(text))

/** The vocabularies DCAT-AP uses, with the prefixes Turtle and JSON-LD write them with. */
export const PREFIXES = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  spdx: 'http://spdx.org/rdf/terms#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  adms: 'http://www.w3.org/ns/adms#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  owl: 'http://www.w3.org/2002/07/owl#',
} as const

const ns = (prefix: keyof typeof PREFIXES) => (name: string) => namedNode(`${PREFIXES[prefix]}${name}`)
const dcat = ns('dcat')
const dct = ns('dct')
const foaf = ns('foaf')
const vcard = ns('vcard')
const xsd = ns('xsd')
const rdf = ns('rdf')
const spdx = ns('spdx')
const hydra = ns('hydra')
const skos = ns('skos')
const owl = ns('owl')

// The EU Publications Office's authority tables, which DCAT-AP asks for.
const FREQUENCY_URI: Record<Frequency, string> = {
  daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY', quarterly: 'QUARTERLY', semiannual: 'ANNUAL_2', annual: 'ANNUAL', irregular: 'IRREG',
}
const AUTHORITY = 'http://publications.europa.eu/resource/authority/'
const IANA_MEDIA_TYPES = 'http://www.iana.org/assignments/media-types/'

/**
 * Every IRI the catalog names is typed as DCAT-AP's ranges expect (as ckanext-dcat types them), so
 * that a validator holding no other vocabulary still knows what each one is.
 */
function typed(quads: Quad[], iri: string, type: ReturnType<typeof namedNode>): ReturnType<typeof namedNode> {
  const node = namedNode(iri)
  quads.push(quad(node, rdf('type'), type))
  return node
}

/** The text in every language it has; where it has none, the fallback (a dataset's title for its description). */
function orElse(value: MultilingualText | null | undefined, fallback: MultilingualText): MultilingualText {
  return value && Object.values(value).some(Boolean) ? value : fallback
}

/** The site's addresses of a dataset, a body and a resource: the subjects of the RDF. */
export function datasetUri(base: string, name: string): string {
  return `${base}/data/datasets/${name}`
}

/** A body's IRI (it answers RDF, and sends browsers to the body's page). */
export const agentUri = (base: string, slug: string) => `${base}/agencies/${slug}`
/** A region's IRI (likewise). */
export const locationUri = (base: string, code: string) => `${base}/regions/${code}`

/** A state body as a DCAT-AP agent. */
export function agentQuads(agency: { slug: string; name: MultilingualText }, base: string): Quad[] {
  const quads: Quad[] = []
  const subject = namedNode(agentUri(base, agency.slug))
  quads.push(quad(subject, rdf('type'), foaf('Agent')), quad(subject, rdf('type'), foaf('Organization')))
  texts(quads, subject, foaf('name'), agency.name)
  return quads
}

/** A region as a dct:Location with its names. */
export function locationQuads(region: { code: string; name: MultilingualText }, base: string): Quad[] {
  const quads: Quad[] = []
  const subject = namedNode(locationUri(base, region.code))
  quads.push(quad(subject, rdf('type'), dct('Location')))
  texts(quads, subject, skos('prefLabel'), region.name)
  return quads
}

type Subject = ReturnType<typeof rawNamedNode> | ReturnType<typeof blankNode>

function texts(quads: Quad[], subject: Subject, predicate: ReturnType<typeof namedNode>, value: MultilingualText | null | undefined): void {
  for (const [lang, text] of Object.entries(value ?? {})) if (text) quads.push(quad(subject, predicate, literal(text, lang)))
}

/** A dataset as DCAT-AP triples: the dataset, its publisher, contact point, period and distributions. */
export function datasetQuads(dataset: Dataset, base: string): Quad[] {
  const quads: Quad[] = []
  const subject = namedNode(datasetUri(base, dataset.name))
  const add = (p: ReturnType<typeof namedNode>, o: Quad_Object) => quads.push(quad(subject, p, o))
  add(rdf('type'), dcat('Dataset'))
  add(dct('identifier'), literal(dataset.id))
  texts(quads, subject, dct('title'), dataset.title)
  // DCAT-AP requires a description: a dataset published without one is described by its title.
  texts(quads, subject, dct('description'), orElse(dataset.description, dataset.title))
  for (const [lang, keywords] of Object.entries(dataset.keywords)) for (const keyword of keywords ?? []) add(dcat('keyword'), literal(keyword, lang))
  for (const theme of dataset.themes) add(dcat('theme'), typed(quads, `${AUTHORITY}data-theme/${theme.code.toUpperCase()}`, skos('Concept')))
  add(dct('issued'), literal(dataset.createdAt, xsd('dateTime')))
  add(dct('modified'), literal(dataset.updatedAt, xsd('dateTime')))
  add(dct('accrualPeriodicity'), typed(quads, `${AUTHORITY}frequency/${FREQUENCY_URI[dataset.frequency]}`, dct('Frequency')))
  add(dcat('landingPage'), typed(quads, `${base}/ru/data/datasets/${dataset.name}`, foaf('Document')))
  if (dataset.version) add(owl('versionInfo'), literal(dataset.version))
  if (dataset.sourceUrl) add(dct('source'), typed(quads, dataset.sourceUrl, dcat('Dataset')))

  add(dct('publisher'), namedNode(agentUri(base, dataset.agency.slug)))
  quads.push(...agentQuads(dataset.agency, base))
  if (dataset.region) {
    add(dct('spatial'), namedNode(locationUri(base, dataset.region.code)))
    quads.push(...locationQuads(dataset.region, base))
  }
  if (dataset.temporalStart || dataset.temporalEnd) {
    const period = blankNode()
    add(dct('temporal'), period)
    quads.push(quad(period, rdf('type'), dct('PeriodOfTime')))
    if (dataset.temporalStart) quads.push(quad(period, dcat('startDate'), literal(dataset.temporalStart, xsd('date'))))
    if (dataset.temporalEnd) quads.push(quad(period, dcat('endDate'), literal(dataset.temporalEnd, xsd('date'))))
  }
  if (dataset.contactName || dataset.contactEmail) {
    const contact = blankNode()
    add(dcat('contactPoint'), contact)
    quads.push(quad(contact, rdf('type'), vcard('Kind')))
    texts(quads, contact, vcard('fn'), dataset.contactName)
    if (dataset.contactEmail) quads.push(quad(contact, vcard('hasEmail'), namedNode(`mailto:${dataset.contactEmail}`)))
  }
  for (const resource of dataset.resources) {
    const distribution = namedNode(`${base}/data/resources/${resource.id}`)
    add(dcat('distribution'), distribution)
    const d = (p: ReturnType<typeof namedNode>, o: Quad_Object) => quads.push(quad(distribution, p, o))
    d(rdf('type'), dcat('Distribution'))
    texts(quads, distribution, dct('title'), resource.name)
    texts(quads, distribution, dct('description'), resource.description)
    d(dcat('accessURL'), namedNode(resource.kind === 'link' && resource.url ? resource.url : `${base}${resource.downloadPath}`))
    if (resource.kind !== 'link') d(dcat('downloadURL'), namedNode(`${base}${resource.downloadPath}`))
    // Formats and media types as the EU file-type table's and IANA's IRIs; one known to neither is left out.
    const fileType = euFileTypeOf(resource.format)
    if (fileType) d(dct('format'), typed(quads, `${AUTHORITY}file-type/${fileType}`, dct('MediaTypeOrExtent')))
    const mediaType = mediaTypeOf(resource.format) ?? resource.mediaType
    if (mediaType && /^[a-z]+\/[a-z0-9.+-]+$/i.test(mediaType)) d(dcat('mediaType'), typed(quads, `${IANA_MEDIA_TYPES}${mediaType.toLowerCase()}`, dct('MediaType')))
    if (resource.size !== null) d(dcat('byteSize'), literal(String(resource.size), xsd('nonNegativeInteger')))
    if (resource.lastModified) d(dct('modified'), literal(resource.lastModified, xsd('dateTime')))
    if (dataset.licence.url) d(dct('license'), typed(quads, dataset.licence.url, dct('LicenseDocument')))
    if (resource.checksum?.startsWith('sha256:')) {
      const checksum = blankNode()
      d(spdx('checksum'), checksum)
      quads.push(quad(checksum, rdf('type'), spdx('Checksum')))
      quads.push(quad(checksum, spdx('algorithm'), typed(quads, `${PREFIXES.spdx}checksumAlgorithm_sha256`, spdx('ChecksumAlgorithm'))))
      quads.push(quad(checksum, spdx('checksumValue'), literal(resource.checksum.slice(7), xsd('hexBinary'))))
    }
  }
  return quads
}

export interface CatalogPage {
  /** Who runs the portal, in each language. */
  publisher: MultilingualText
  datasets: Dataset[]
  page: number
  pages: number
  total: number
}

/** The catalog as DCAT-AP: the catalog, its datasets on this page, and hydra paging to the others. */
export function catalogQuads(catalog: CatalogPage, base: string, pageUri: (page: number) => string): Quad[] {
  const quads: Quad[] = []
  const subject = namedNode(`${base}/catalog`)
  quads.push(quad(subject, rdf('type'), dcat('Catalog')))
  texts(quads, subject, dct('title'), { kk: 'Ашық деректер', ru: 'Открытые данные', en: 'Open data' })
  texts(quads, subject, dct('description'), {
    kk: 'Қазақстанның мемлекеттік органдары жариялайтын ашық деректер', ru: 'Открытые данные государственных органов Казахстана', en: 'Open data published by the state bodies of Kazakhstan',
  })
  quads.push(quad(subject, foaf('homepage'), typed(quads, `${base}/ru/data`, foaf('Document'))))
  for (const lang of ['KAZ', 'RUS', 'ENG']) quads.push(quad(subject, dct('language'), typed(quads, `${AUTHORITY}language/${lang}`, dct('LinguisticSystem'))))
  // The catalog's publisher is the portal's operator, named at the catalog's own address.
  const operator = namedNode(`${base}/catalog#publisher`)
  quads.push(quad(subject, dct('publisher'), operator))
  quads.push(quad(operator, rdf('type'), foaf('Agent')))
  texts(quads, operator, foaf('name'), catalog.publisher)
  for (const dataset of catalog.datasets) {
    quads.push(quad(subject, dcat('dataset'), namedNode(datasetUri(base, dataset.name))))
    quads.push(...datasetQuads(dataset, base))
  }
  const page = namedNode(pageUri(catalog.page))
  quads.push(quad(page, rdf('type'), hydra('PagedCollection')))
  quads.push(quad(page, hydra('totalItems'), literal(String(catalog.total), xsd('integer'))))
  quads.push(quad(page, hydra('itemsPerPage'), literal(String(CATALOG_PAGE_SIZE), xsd('integer'))))
  quads.push(quad(page, hydra('firstPage'), namedNode(pageUri(1))))
  quads.push(quad(page, hydra('lastPage'), namedNode(pageUri(catalog.pages))))
  if (catalog.page > 1) quads.push(quad(page, hydra('previousPage'), namedNode(pageUri(catalog.page - 1))))
  if (catalog.page < catalog.pages) quads.push(quad(page, hydra('nextPage'), namedNode(pageUri(catalog.page + 1))))
  return quads
}

export const CATALOG_PAGE_SIZE = 100

/** Triples as Turtle, with the usual prefixes. */
export function toTurtle(quads: Quad[], prefixes: Record<string, string> = PREFIXES): Promise<string> {
  const writer = new N3.Writer({ prefixes })
  writer.addQuads(quads)
  return new Promise((resolve, reject) => writer.end((error, result: string) => (error ? reject(error) : resolve(result))))
}

/** Triples as RDF/XML, with the usual prefixes (graphy's scribe writes them as they come). */
export function toRdfXml(quads: Quad[], prefixes: Record<string, string> = PREFIXES): Promise<string> {
  const writer = xmlScribe({ prefixes })
  let text = ''
  return new Promise((resolve, reject) => {
    writer.on('data', (chunk: string) => { text += chunk })
    writer.on('error', reject)
    writer.on('end', () => resolve(text))
    for (const q of quads) writer.write(q)
    writer.end()
  })
}

// Terms compacted to their prefixed names; the context travels inline, never fetched from elsewhere.
const CONTEXT = { ...PREFIXES }

/** jsonld.js (some 15 MB of the server's memory), loaded the first time JSON-LD is written or read. */
async function jsonLd() {
  return (await import('jsonld')).default
}

/** Triples as compact JSON-LD. */
export async function toJsonLd(quads: Quad[], context: Record<string, string> = CONTEXT): Promise<object> {
  const nquads = new N3.Writer({ format: 'N-Quads' })
  nquads.addQuads(quads)
  const text = await new Promise<string>((resolve, reject) => nquads.end((error, result: string) => (error ? reject(error) : resolve(result))))
  const jsonld = await jsonLd()
  const expanded = await jsonld.fromRDF(text, { format: 'application/n-quads' })
  return jsonld.compact(expanded, context)
}

/** Reads Turtle or JSON-LD into triples (the harvester's way into a DCAT catalog). */
export async function parseRdf(text: string, mediaType: 'text/turtle' | 'application/ld+json', baseIRI?: string): Promise<Quad[]> {
  if (mediaType === 'text/turtle') return new N3.Parser({ baseIRI }).parse(text)
  // A remote @context is not fetched: a catalog that needs one is refused.
  const documentLoader = async (url: string) => {
    throw new Error(`remote JSON-LD contexts are not loaded (${url})`)
  }
  const nquads = (await (await jsonLd()).toRDF(JSON.parse(text) as object, { format: 'application/n-quads', documentLoader } as never)) as unknown as string
  return new N3.Parser({ format: 'N-Quads' }).parse(nquads)
}
