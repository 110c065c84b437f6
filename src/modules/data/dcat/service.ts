import N3 from 'n3'
import xmlScribe from '@graphy/content.xml.scribe'
import type { Quad, Quad_Object } from '@rdfjs/types'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { LANGS, type Lang } from '../../../platform/i18n/index.ts'
import { resourceUrl, type Dataset } from '../catalog/service.ts'
import { euFileTypeOf, mediaTypeOfResource, type Frequency } from '../catalog/vocabularies.ts'
import type { AgencyKind } from '../../agencies/schemas.ts'
import type { Queryable } from '../../../platform/db/index.ts'
import { PUBLIC_DATASET } from '../catalog/visibility.ts'

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
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  dcatap: 'http://data.europa.eu/r5r/',
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
const rdfs = ns('rdfs')
const adms = ns('adms')
const dcatap = ns('dcatap')

// The EU Publications Office's authority tables, which DCAT-AP asks for.
const FREQUENCY_URI: Record<Frequency, string> = {
  daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY', quarterly: 'QUARTERLY', semiannual: 'ANNUAL_2', annual: 'ANNUAL', irregular: 'IRREG',
}
const AUTHORITY = 'http://publications.europa.eu/resource/authority/'
const IANA_MEDIA_TYPES = 'http://www.iana.org/assignments/media-types/'
// The publisher types of the ADMS vocabulary DCAT-AP names, by the kind of state body.
const PUBLISHER_TYPE: Record<AgencyKind, [code: string, label: string]> = {
  central: ['NationalAuthority', 'National authority'], local: ['LocalAuthority', 'Local authority'], quasi: ['Company', 'Company'],
}
const PUBLISHER_TYPES = 'http://purl.org/adms/publishertype/'
const LANGUAGE_URI: Record<Lang, string> = { kk: 'KAZ', ru: 'RUS', en: 'ENG' }

/**
 * Every IRI the catalog names is typed as DCAT-AP's ranges expect (as ckanext-dcat types them), so
 * that a validator holding no other vocabulary still knows what each one is.
 */
function typed(quads: Quad[], iri: string, type: ReturnType<typeof namedNode>): ReturnType<typeof namedNode> {
  const node = namedNode(iri)
  quads.push(quad(node, rdf('type'), type))
  return node
}

/** A concept of a vocabulary whose terms DCAT-AP's shapes do not bring: typed, with its label in English as the vocabulary has it. */
function concept(quads: Quad[], iri: string, label: string): ReturnType<typeof namedNode> {
  const node = typed(quads, iri, skos('Concept'))
  quads.push(quad(node, skos('prefLabel'), literal(label, 'en')))
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

/** A state body as a DCAT-AP agent, typed by the ADMS publisher types (a national or local authority, a company). */
export function agentQuads(agency: { slug: string; name: MultilingualText; kind: AgencyKind }, base: string): Quad[] {
  const quads: Quad[] = []
  const subject = namedNode(agentUri(base, agency.slug))
  quads.push(quad(subject, rdf('type'), foaf('Agent')), quad(subject, rdf('type'), foaf('Organization')))
  texts(quads, subject, foaf('name'), agency.name)
  const [code, label] = PUBLISHER_TYPE[agency.kind]
  quads.push(quad(subject, dct('type'), concept(quads, `${PUBLISHER_TYPES}${code}`, label)))
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

// CKAN's licence register names its licences by these titles (ckan/model/license.py): ckanext-dcat
// finds a distribution's licence there by its IRI or, failing that, by its dct:title, so each
// licence carries CKAN's title to come back as the same license_id.
const CKAN_LICENCE_TITLES: Record<string, string> = {
  'cc-by': 'Creative Commons Attribution',
  'cc-by-sa': 'Creative Commons Attribution Share-Alike',
  'cc-zero': 'Creative Commons CCZero',
  'odc-by': 'Open Data Commons Attribution License',
  'odc-odbl': 'Open Data Commons Open Database License (ODbL)',
  'odc-pddl': 'Open Data Commons Public Domain Dedication and License (PDDL)',
}

// CKAN extras that ckanext-dcat writes as DCAT properties and reads back under the same keys; each
// value is an address or a JSON list of them (DCAT-AP wants things there, not text).
const EXTRA_PROPERTIES: Record<string, { predicate: () => ReturnType<typeof namedNode>; type: () => ReturnType<typeof namedNode> }> = {
  conforms_to: { predicate: () => dct('conformsTo'), type: () => dct('Standard') },
  documentation: { predicate: () => foaf('page'), type: () => foaf('Document') },
  related_resource: { predicate: () => dct('relation'), type: () => rdfs('Resource') },
}

/** The addresses an extra holds: one, or a JSON list of them (as ckanext-dcat stores lists). */
function addressesIn(value: string): string[] {
  let values: unknown = value
  if (value.trim().startsWith('[')) {
    try { values = JSON.parse(value) } catch { return [] }
  }
  return (Array.isArray(values) ? values : [values]).filter((v): v is string => typeof v === 'string' && /^https?:\/\/\S+$/.test(v))
}

// A checksum's algorithm by its length in hex digits, for those CKAN clients give without a name.
const CHECKSUM_ALGORITHMS: Record<number, string> = { 32: 'md5', 40: 'sha1', 64: 'sha256' }

/** A checksum as "algorithm, hex value", from Ashyq's "sha256:…" or a bare hex digest; null for other text. */
export function checksumOf(text: string | null): { algorithm: string; value: string } | null {
  const match = /^(?:(md5|sha1|sha256):)?([0-9a-f]+)$/i.exec(text?.trim() ?? '')
  const algorithm = match && CHECKSUM_ALGORITHMS[match[2]!.length]
  if (!match || !algorithm || (match[1] && match[1].toLowerCase() !== algorithm)) return null
  return { algorithm, value: match[2]!.toLowerCase() }
}

/** A person or body as a foaf:Agent: a blank node with its name and e-mail. */
function personQuads(quads: Quad[], name: MultilingualText | string, email: string | null): Subject {
  const agent = blankNode()
  quads.push(quad(agent, rdf('type'), foaf('Agent')))
  if (typeof name === 'string') quads.push(quad(agent, foaf('name'), literal(name)))
  else texts(quads, agent, foaf('name'), name)
  if (email) quads.push(quad(agent, foaf('mbox'), namedNode(`mailto:${email}`)))
  return agent
}

/**
 * A dataset as DCAT-AP triples: the dataset, its publisher, contact point, period and distributions.
 * What ckanext-dcat's DCAT-AP profiles read back from them is the dataset's package_show; the
 * README's "Use with CKAN" part lists the mapping and what it cannot carry.
 */
export function datasetQuads(dataset: Dataset, base: string): Quad[] {
  const quads: Quad[] = []
  const subject = namedNode(datasetUri(base, dataset.name))
  const add = (p: ReturnType<typeof namedNode>, o: Quad_Object) => quads.push(quad(subject, p, o))
  add(rdf('type'), dcat('Dataset'))
  add(dct('identifier'), literal(dataset.id))
  texts(quads, subject, dct('title'), dataset.title)
  // DCAT-AP requires a description: a dataset published without one is described by its title.
  texts(quads, subject, dct('description'), orElse(dataset.description, dataset.title))
  // A word kept in several languages is one keyword (CKAN would read it as two equal tags), in the first of them.
  const keywords = new Set<string>()
  for (const lang of LANGS) for (const keyword of dataset.keywords[lang] ?? []) {
    if (keywords.has(keyword)) continue
    keywords.add(keyword)
    add(dcat('keyword'), literal(keyword, lang))
  }
  for (const theme of dataset.themes) add(dcat('theme'), typed(quads, `${AUTHORITY}data-theme/${theme.code.toUpperCase()}`, skos('Concept')))
  add(dct('issued'), literal(dataset.createdAt, xsd('dateTime')))
  add(dct('modified'), literal(dataset.updatedAt, xsd('dateTime')))
  add(dct('accrualPeriodicity'), typed(quads, `${AUTHORITY}frequency/${FREQUENCY_URI[dataset.frequency]}`, dct('Frequency')))
  for (const lang of LANGS) if (dataset.title[lang]) add(dct('language'), typed(quads, `${AUTHORITY}language/${LANGUAGE_URI[lang]}`, dct('LinguisticSystem')))
  // The catalog lists public datasets only.
  add(dct('accessRights'), typed(quads, `${AUTHORITY}access-right/PUBLIC`, dct('RightsStatement')))
  // ckanext-dcat reads CKAN's url from the landing page: the page the data comes from when there is
  // one, else the dataset's page here.
  add(dcat('landingPage'), typed(quads, dataset.sourceUrl ?? `${base}/ru/data/datasets/${dataset.name}`, foaf('Document')))
  if (dataset.version) add(owl('versionInfo'), literal(dataset.version))
  if (dataset.extras.version_notes) add(adms('versionNotes'), literal(dataset.extras.version_notes))
  for (const [key, property] of Object.entries(EXTRA_PROPERTIES)) {
    for (const address of addressesIn(dataset.extras[key] ?? '')) add(property.predicate(), typed(quads, address, property.type()))
  }

  add(dct('publisher'), namedNode(agentUri(base, dataset.agency.slug)))
  quads.push(...agentQuads(dataset.agency, base))
  // CKAN's author is the dataset's creator.
  if (dataset.author || dataset.authorEmail) add(dct('creator'), personQuads(quads, dataset.author ?? dataset.authorEmail!, dataset.authorEmail))
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
  // The contact point is CKAN's maintainer, or else its author, as ckanext-dcat has it.
  const contactName = dataset.contactName && Object.values(dataset.contactName).some(Boolean) ? dataset.contactName : dataset.author
  const contactEmail = dataset.contactEmail ?? dataset.authorEmail
  if (contactName || contactEmail) {
    const contact = blankNode()
    add(dcat('contactPoint'), contact)
    quads.push(quad(contact, rdf('type'), vcard('Kind')))
    if (typeof contactName === 'string') quads.push(quad(contact, vcard('fn'), literal(contactName)))
    else texts(quads, contact, vcard('fn'), contactName)
    if (contactEmail) quads.push(quad(contact, vcard('hasEmail'), namedNode(`mailto:${contactEmail}`)))
  }
  const licence = dataset.licence.url ? typed(quads, dataset.licence.url, dct('LicenseDocument')) : null
  if (licence) quads.push(quad(licence, dct('title'), literal(CKAN_LICENCE_TITLES[dataset.licence.id] ?? dataset.licence.title.en ?? dataset.licence.id)))
  for (const resource of dataset.resources) {
    const distribution = namedNode(`${base}/data/resources/${resource.id}`)
    add(dcat('distribution'), distribution)
    const d = (p: ReturnType<typeof namedNode>, o: Quad_Object) => quads.push(quad(distribution, p, o))
    d(rdf('type'), dcat('Distribution'))
    texts(quads, distribution, dct('title'), resource.name)
    texts(quads, distribution, dct('description'), resource.description)
    // The address CKAN's url gives: a link's own (where it is, not a file of ours), else the download here.
    const address = resourceUrl(resource, base)
    d(dcat('accessURL'), namedNode(address))
    if (resource.kind !== 'link') {
      d(dcat('downloadURL'), namedNode(address))
      // Files and tables kept here stay as long as the dataset does.
      d(dcatap('availability'), concept(quads, `${AUTHORITY}planned-availability/STABLE`, 'stable'))
    }
    // Formats and media types as the EU file-type table's and IANA's IRIs; one known to neither is
    // left out. The media type's label is what ckanext-dcat reads as CKAN's mimetype, and from it the format.
    const fileType = euFileTypeOf(resource.format)
    if (fileType) d(dct('format'), typed(quads, `${AUTHORITY}file-type/${fileType}`, dct('MediaTypeOrExtent')))
    const mediaType = mediaTypeOfResource(resource)
    if (mediaType && /^[a-z]+\/[a-z0-9.+-]+$/i.test(mediaType)) {
      const iri = typed(quads, `${IANA_MEDIA_TYPES}${mediaType.toLowerCase()}`, dct('MediaType'))
      quads.push(quad(iri, rdfs('label'), literal(mediaType.toLowerCase())))
      d(dcat('mediaType'), iri)
    }
    if (resource.size !== null) d(dcat('byteSize'), literal(String(resource.size), xsd('nonNegativeInteger')))
    if (resource.lastModified) d(dct('modified'), literal(resource.lastModified, xsd('dateTime')))
    if (licence) d(dct('license'), licence)
    const checksum = checksumOf(resource.checksum)
    if (checksum) {
      const node = blankNode()
      d(spdx('checksum'), node)
      quads.push(quad(node, rdf('type'), spdx('Checksum')))
      quads.push(quad(node, spdx('algorithm'), typed(quads, `${PREFIXES.spdx}checksumAlgorithm_${checksum.algorithm}`, spdx('ChecksumAlgorithm'))))
      quads.push(quad(node, spdx('checksumValue'), literal(checksum.value, xsd('hexBinary'))))
    }
  }
  return quads
}

export interface CatalogPage {
  /** Who runs the portal, in each language. */
  publisher: MultilingualText
  /** When the first public dataset was published, and when one last changed (null while there are none). */
  issued: string | null
  modified: string | null
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
  for (const lang of LANGS) quads.push(quad(subject, dct('language'), typed(quads, `${AUTHORITY}language/${LANGUAGE_URI[lang]}`, dct('LinguisticSystem'))))
  quads.push(quad(subject, dct('spatial'), typed(quads, `${AUTHORITY}country/KAZ`, dct('Location'))))
  // The catalog's own descriptions are open under CC BY 4.0, the register's first licence.
  quads.push(quad(subject, dct('license'), typed(quads, 'https://creativecommons.org/licenses/by/4.0/', dct('LicenseDocument'))))
  if (catalog.issued) quads.push(quad(subject, dct('issued'), literal(catalog.issued, xsd('dateTime'))))
  if (catalog.modified) quads.push(quad(subject, dct('modified'), literal(catalog.modified, xsd('dateTime'))))
  // Datasets' themes are the EU data themes.
  const themes = typed(quads, `${AUTHORITY}data-theme`, skos('ConceptScheme'))
  quads.push(quad(subject, dcat('themeTaxonomy'), themes), quad(themes, dct('title'), literal('Data Theme', 'en')))
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

/** Triples as N-Triples: one a line, nothing to resolve. */
export function toNTriples(quads: Quad[]): Promise<string> {
  const writer = new N3.Writer({ format: 'N-Triples' })
  writer.addQuads(quads)
  return new Promise((resolve, reject) => writer.end((error, result: string) => (error ? reject(error) : resolve(result))))
}

/** When the catalog's first public dataset was published and when one last changed: the catalog's dct:issued and dct:modified. */
export async function catalogDates(db: Queryable): Promise<{ issued: string | null; modified: string | null }> {
  const [row] = await db.query<{ issued: Date | string | null; modified: Date | string | null }>(
    `select min(d.created_at) as issued, max(d.updated_at) as modified from datasets d where ${PUBLIC_DATASET}`,
  )
  const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null)
  return { issued: iso(row?.issued), modified: iso(row?.modified) }
}
