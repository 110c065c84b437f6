import N3 from 'n3'
import type { Quad, Term } from '@rdfjs/types'
import { PREFIXES } from '../../src/modules/data/dcat/service.ts'

// What ckanext-dcat's DCAT-AP 3 profile (euro_dcat_ap_3: ckanext/dcat/profiles/euro_dcat_ap_base.py
// _parse_dataset_base, euro_dcat_ap_2.py _parse_dataset_v2) makes of a graph, reproduced for the
// properties Ashyq writes, with rdflib's semantics where they decide a value:
// - a single value is a literal in the site's default language, else the first literal; a thing
//   with an rdfs:label is its label; any other thing is its IRI (_object_value);
// - a list is every value (_object_value_list), kept in the extras as a JSON list;
// - an agent's or contact's name is the default language's, else an untagged one, else any.
// rdflib's order among several values is a hash order: where ckanext-dcat takes "the first" of
// several (a region's label), callers compare with any of them.

const { dcat, dct, foaf, vcard, rdf, spdx, owl, adms, rdfs, skos, dcatap } = PREFIXES

/** CKAN's licence register (ckan/model/license.py): the ids of the licences, by URL and by title. */
const CKAN_LICENCES: { id: string; url: string; title: string }[] = [
  { id: 'cc-by', url: 'http://www.opendefinition.org/licenses/cc-by', title: 'Creative Commons Attribution' },
  { id: 'cc-by-sa', url: 'http://www.opendefinition.org/licenses/cc-by-sa', title: 'Creative Commons Attribution Share-Alike' },
  { id: 'cc-zero', url: 'http://www.opendefinition.org/licenses/cc-zero', title: 'Creative Commons CCZero' },
  { id: 'odc-by', url: 'http://www.opendefinition.org/licenses/odc-by', title: 'Open Data Commons Attribution License' },
  { id: 'odc-odbl', url: 'http://www.opendefinition.org/licenses/odc-odbl', title: 'Open Data Commons Open Database License (ODbL)' },
  { id: 'odc-pddl', url: 'http://www.opendefinition.org/licenses/odc-pddl', title: 'Open Data Commons Public Domain Dedication and License (PDDL)' },
  { id: 'other-open', url: '', title: 'Other (Open)' },
  { id: 'notspecified', url: '', title: 'License not specified' },
]

/** CKAN's resource formats (ckan/config/resource_formats.json) for the media types Ashyq knows: [format, media type]. */
const CKAN_FORMATS: [string, string][] = [
  ['CSV', 'text/csv'], ['TSV', 'text/tab-separated-values'], ['TXT', 'text/plain'], ['JSON', 'application/json'], ['XML', 'application/xml'],
  ['PDF', 'application/pdf'], ['ZIP', 'application/zip'], ['XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['XLS', 'application/vnd.ms-excel'], ['ODS', 'application/vnd.oasis.opendocument.spreadsheet'],
  ['DOCX', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'], ['DOC', 'application/msword'],
  ['KML', 'application/vnd.google-earth.kml+xml'], ['RDF', 'application/rdf+xml'], ['HTML', 'text/html'], ['GeoJSON', ''],
]
// resource_formats(): every name and media type, lower-cased, to the format's line.
const FORMAT_REGISTRY = new Map(CKAN_FORMATS.flatMap(([name, type]) => [[name.toLowerCase(), name], ...(type ? [[type, name] as [string, string]] : [])]))

export interface ParsedResource {
  [key: string]: string | number | undefined
}

export interface ParsedDataset {
  uri: string
  title?: string
  notes?: string
  url?: string
  version?: string
  tags: string[]
  license_id: string
  extras: Record<string, string>
  resources: ParsedResource[]
}

export function parseAsCkanextDcat(quads: Quad[], defaultLang: string): ParsedDataset[] {
  const store = new N3.Store(quads)
  const objects = (subject: Term, predicate: string) => store.getObjects(subject as never, predicate, null)
  const value = (subject: Term, predicate: string): string => {
    let fallback = ''
    for (const o of objects(subject, predicate)) {
      if (o.termType === 'Literal') {
        if (o.language && o.language === defaultLang) return o.value
        if (fallback === '') fallback = o.value
      } else {
        const [label] = objects(o, `${rdfs}label`)
        return label ? label.value : o.value
      }
    }
    return fallback
  }
  const list = (subject: Term, predicate: string) => objects(subject, predicate).map((o) => o.value)
  const named = (subject: Term, predicate: string): string => {
    const names = objects(subject, predicate)
    const translated = names.find((n) => n.termType === 'Literal' && n.language === defaultLang)
    return translated?.value ?? names.find((n) => n.termType === 'Literal' && !n.language)?.value ?? names[0]?.value ?? ''
  }
  const withoutMailto = (text: string) => text.replace(/^mailto:/, '')

  return store.getSubjects(`${rdf}type`, `${dcat}Dataset`, null).map((ref) => {
    const extras: Record<string, string> = {}
    const dataset: ParsedDataset = { uri: ref.value, tags: [], license_id: '', extras, resources: [] }
    for (const [key, predicate] of [['url', `${dcat}landingPage`], ['version', `${owl}versionInfo`], ['title', `${dct}title`], ['notes', `${dct}description`]] as const) {
      const found = value(ref, predicate)
      if (found) dataset[key] = found
    }
    dataset.tags = list(ref, `${dcat}keyword`).flatMap((k) => k.split(',').map((t) => t.trim()))
    for (const [key, predicate] of [['issued', `${dct}issued`], ['modified', `${dct}modified`], ['identifier', `${dct}identifier`], ['version_notes', `${adms}versionNotes`],
      ['frequency', `${dct}accrualPeriodicity`], ['provenance', `${dct}provenance`], ['dcat_type', `${dct}type`]] as const) {
      const found = value(ref, predicate)
      if (found) extras[key] = found
    }
    for (const [key, predicate] of [['language', `${dct}language`], ['theme', `${dcat}theme`], ['conforms_to', `${dct}conformsTo`], ['documentation', `${foaf}page`],
      ['related_resource', `${dct}relation`], ['source', `${dct}source`]] as const) {
      const found = list(ref, predicate)
      if (found.length > 0) extras[key] = JSON.stringify(found)
    }
    const [contact] = objects(ref, `${dcat}contactPoint`)
    if (contact) {
      if (contact.termType === 'NamedNode') extras.contact_uri = contact.value
      const name = named(contact, `${vcard}fn`)
      if (name) extras.contact_name = name
      const email = withoutMailto(value(contact, `${vcard}hasEmail`))
      if (email) extras.contact_email = email
    }
    for (const [key, predicate] of [['publisher', `${dct}publisher`], ['creator', `${dct}creator`]] as const) {
      const [agent] = objects(ref, predicate)
      if (!agent) continue
      const details = {
        uri: agent.termType === 'NamedNode' ? agent.value : '', name: named(agent, `${foaf}name`), email: withoutMailto(value(agent, `${foaf}mbox`)),
        url: value(agent, `${foaf}homepage`), type: value(agent, `${dct}type`), identifier: value(agent, `${dct}identifier`),
      }
      for (const [field, found] of Object.entries(details)) if (found) extras[`${key}_${field}`] = found
    }
    const [period] = objects(ref, `${dct}temporal`)
    if (period) {
      const start = value(period, `${dcat}startDate`)
      const end = value(period, `${dcat}endDate`)
      if (start) extras.temporal_start = start
      if (end) extras.temporal_end = end
    }
    for (const spatial of objects(ref, `${dct}spatial`)) {
      if (spatial.termType === 'NamedNode') extras.spatial_uri = spatial.value
      if (store.has(N3.DataFactory.quad(spatial as never, N3.DataFactory.namedNode(`${rdf}type`), N3.DataFactory.namedNode(`${dct}Location`)))) {
        // Every label the region has, where ckanext-dcat keeps whichever rdflib gives last.
        extras.spatial_text = JSON.stringify(objects(spatial, `${skos}prefLabel`).map((l) => l.value))
      }
    }
    extras.uri = ref.value
    const rights = objects(ref, `${dct}accessRights`)[0]
    if (rights) extras.access_rights = rights.value

    for (const distribution of objects(ref, `${dcat}distribution`)) {
      const resource: ParsedResource = {}
      for (const [key, predicate] of [['access_url', `${dcat}accessURL`], ['download_url', `${dcat}downloadURL`], ['issued', `${dct}issued`], ['modified', `${dct}modified`],
        ['license', `${dct}license`], ['name', `${dct}title`], ['description', `${dct}description`], ['availability', `${dcatap}availability`]] as const) {
        const found = value(distribution, predicate)
        if (found) resource[key] = found
      }
      resource.url = value(distribution, `${dcat}downloadURL`) || value(distribution, `${dcat}accessURL`)
      // _distribution_format: the media type first, then dct:format; both normalised through CKAN's formats.
      let mimetype = value(distribution, `${dcat}mediaType`) || undefined
      let label: string | undefined
      const [format] = objects(distribution, `${dct}format`)
      if (format?.termType === 'Literal') {
        if (!mimetype && format.value.includes('/')) mimetype = format.value
        else label = format.value
      } else if (format) {
        if (format.value.includes('iana.org/assignments/media-types') && !mimetype) mimetype = format.value
        else label = format.value
      }
      if (mimetype && FORMAT_REGISTRY.has(mimetype)) label = FORMAT_REGISTRY.get(mimetype)
      else if (label && FORMAT_REGISTRY.has(label.toLowerCase())) label = FORMAT_REGISTRY.get(label.toLowerCase())
      if (mimetype) resource.mimetype = mimetype
      if (label ?? mimetype) resource.format = label ?? mimetype
      const size = value(distribution, `${dcat}byteSize`)
      if (size) resource.size = Number.parseInt(size, 10)
      for (const checksum of objects(distribution, `${spdx}checksum`)) {
        const algorithm = value(checksum, `${spdx}algorithm`)
        const digest = value(checksum, `${spdx}checksumValue`)
        if (algorithm) resource.hash_algorithm = algorithm
        if (digest) resource.hash = digest
      }
      resource.uri = distribution.termType === 'NamedNode' ? distribution.value : ''
      dataset.resources.push(resource)
    }
    // _license: the first distribution's licence found in CKAN's register, by IRI, else by dct:title.
    for (const distribution of objects(ref, `${dcat}distribution`)) {
      const [licence] = objects(distribution, `${dct}license`)
      if (!licence) continue
      const title = value(licence, `${dct}title`)
      const found = CKAN_LICENCES.find((l) => l.url === licence.value) ?? CKAN_LICENCES.find((l) => l.title === title)
      if (found) {
        dataset.license_id = found.id
        break
      }
    }
    return dataset
  })
}
