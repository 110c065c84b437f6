import N3 from 'n3'
import type { Quad, Quad_Object, Quad_Subject } from '@rdfjs/types'
import type { MultilingualList, MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { agentUri, safeIri } from '../../data/dcat/service.ts'
import type { PublicService } from './register.ts'
import type { LifeSituation, SituationStep } from './situations.ts'

const { namedNode: rawNamedNode, literal, blankNode, quad } = N3.DataFactory
const namedNode = (text: string) => rawNamedNode(safeIri(text))

/** The vocabularies of the EU's Core Public Service Vocabulary Application Profile (CPSV-AP 3), as Turtle and JSON-LD write them. */
export const CPSV_PREFIXES = {
  cpsv: 'http://purl.org/vocab/cpsv#',
  cv: 'http://data.europa.eu/m8g/',
  dct: 'http://purl.org/dc/terms/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  eli: 'http://data.europa.eu/eli/ontology#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  schema: 'https://schema.org/',
} as const

const ns = (prefix: keyof typeof CPSV_PREFIXES) => (name: string) => namedNode(`${CPSV_PREFIXES[prefix]}${name}`)
const cpsv = ns('cpsv')
const cv = ns('cv')
const dct = ns('dct')
const skos = ns('skos')
const eli = ns('eli')
const xsd = ns('xsd')
const rdf = ns('rdf')
const schema = ns('schema')
const AUTHORITY = 'http://publications.europa.eu/resource/authority/'

export const serviceUri = (base: string, code: string) => `${base}/services/${code}`
export const situationUri = (base: string, slug: string) => `${base}/life-situations/${slug}`
const channelUri = (base: string, channel: string) => `${base}/services#channel-${channel}`

/** What the export is given: the register's services with their bodies, the life situations with their steps. */
export interface CpsvExport {
  services: readonly PublicService[]
  situations: ReadonlyArray<LifeSituation & { steps: SituationStep[] }>
  agencies: ReadonlyMap<number, { slug: string; name: MultilingualText }>
  channelNames: Record<string, MultilingualText>
}

function texts(quads: Quad[], subject: Quad_Subject, predicate: ReturnType<typeof namedNode>, value: MultilingualText | null | undefined): void {
  for (const [lang, text] of Object.entries(value ?? {})) if (text) quads.push(quad(subject, predicate, literal(text, lang)))
}

/**
 * The register as CPSV-AP: each service a cpsv:PublicService with its competent authority, channels,
 * cost, the documents it needs (cv:Evidence), what it produces (cv:Output) and its legal basis, grouped
 * by its life situation (cv:LifeEvent for people, cv:BusinessEvent for businesses), which also names
 * every service its guide's steps link.
 */
export function cpsvQuads(data: CpsvExport, base: string): Quad[] {
  const quads: Quad[] = []
  const add = (s: Quad_Subject, p: ReturnType<typeof namedNode>, o: Quad_Object) => quads.push(quad(s, p, o))
  const situationByCode = new Map(data.situations.map((s) => [`${s.sphereCode}${s.code}`, s]))
  const codeById = new Map(data.services.map((s) => [s.id, s.code]))
  const authorities = new Set<number>()

  for (const [channel, name] of Object.entries(data.channelNames)) {
    const node = namedNode(channelUri(base, channel))
    add(node, rdf('type'), cv('Channel'))
    add(node, dct('identifier'), literal(channel))
    texts(quads, node, dct('description'), name)
  }

  for (const service of data.services) {
    const subject = namedNode(serviceUri(base, service.code))
    add(subject, rdf('type'), cpsv('PublicService'))
    add(subject, dct('identifier'), literal(service.code))
    texts(quads, subject, dct('title'), service.name)
    texts(quads, subject, dct('description'), Object.keys(service.description).length > 0 ? service.description : service.name)
    add(subject, dct('language'), namedNode(`${AUTHORITY}language/KAZ`))
    add(subject, dct('language'), namedNode(`${AUTHORITY}language/RUS`))
    const agency = data.agencies.get(service.agencyId)
    if (agency) {
      add(subject, cv('hasCompetentAuthority'), namedNode(agentUri(base, agency.slug)))
      authorities.add(service.agencyId)
    }
    for (const channel of service.channels) add(subject, cv('hasChannel'), namedNode(channelUri(base, channel)))
    const cost = blankNode()
    add(subject, cv('hasCost'), cost)
    add(cost, rdf('type'), cv('Cost'))
    add(cost, cv('value'), literal(service.feeKzt ?? '0', xsd('decimal')))
    add(cost, cv('currency'), namedNode(`${AUTHORITY}currency/KZT`))
    texts(quads, cost, dct('description'), service.feeNote)
    for (const document of documentsOf(service.documents)) {
      const evidence = blankNode()
      add(subject, cpsv('hasInput'), evidence)
      add(evidence, rdf('type'), cv('Evidence'))
      texts(quads, evidence, dct('title'), document)
    }
    if (Object.keys(service.result).length > 0) {
      const output = blankNode()
      add(subject, cpsv('produces'), output)
      add(output, rdf('type'), cv('Output'))
      texts(quads, output, dct('title'), service.result)
    }
    if (Object.keys(service.legalBasis).length > 0) {
      const law = blankNode()
      add(subject, cv('hasLegalResource'), law)
      add(law, rdf('type'), eli('LegalResource'))
      texts(quads, law, dct('title'), service.legalBasis)
    }
    if (service.egovUrl) add(subject, schema('url'), namedNode(service.egovUrl))
    const situation = situationByCode.get(`${service.sphereCode}${service.situationCode}`)
    if (situation) add(subject, cv('isGroupedBy'), namedNode(situationUri(base, situation.slug)))
  }

  for (const situation of data.situations) {
    const subject = namedNode(situationUri(base, situation.slug))
    add(subject, rdf('type'), cv('Event'))
    add(subject, rdf('type'), cv(situation.audience === 'business' ? 'BusinessEvent' : 'LifeEvent'))
    add(subject, dct('identifier'), literal(`${situation.sphereCode}${situation.code}`))
    texts(quads, subject, dct('title'), situation.title)
    texts(quads, subject, dct('description'), Object.keys(situation.summary).length > 0 ? situation.summary : situation.title)
    const related = new Set<string>()
    for (const service of data.services) if (service.sphereCode === situation.sphereCode && service.situationCode === situation.code) related.add(service.code)
    for (const step of situation.steps) for (const id of step.serviceIds) { const code = codeById.get(id); if (code) related.add(code) }
    for (const code of related) add(subject, dct('relation'), namedNode(serviceUri(base, code)))
  }

  for (const id of authorities) {
    const agency = data.agencies.get(id)!
    const subject = namedNode(agentUri(base, agency.slug))
    add(subject, rdf('type'), cv('PublicOrganisation'))
    texts(quads, subject, skos('prefLabel'), agency.name)
    add(subject, dct('spatial'), namedNode(`${AUTHORITY}country/KAZ`))
  }
  return quads
}

/** A service's documents paired across languages by their place in each list (the register lists them in the same order). */
function documentsOf(documents: MultilingualList): MultilingualText[] {
  const count = Math.max(0, ...Object.values(documents).map((list) => list?.length ?? 0))
  return Array.from({ length: count }, (_, i) => Object.fromEntries(Object.entries(documents).flatMap(([lang, list]) => (list?.[i] ? [[lang, list[i]]] : []))))
}
