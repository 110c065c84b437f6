import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { Quad } from '@rdfjs/types'
import { RdfXmlParser } from 'rdfxml-streaming-parser'
import { createTestApp } from '../../../helpers/app.ts'
import { testFileStore } from '../../../helpers/files.ts'
import { editorToken } from '../../../helpers/users.ts'
import { dcatApViolations } from '../../../helpers/dcat-ap.ts'
import { seedDemo } from '../../../../src/demo/index.ts'
import { parseRdf, PREFIXES } from '../../../../src/modules/data/dcat/service.ts'
import type { Db } from '../../../../src/platform/db/index.ts'
import { parseAsCkanextDcat, type ParsedDataset } from '../../../helpers/ckanext-dcat.ts'

// The catalog against the official DCAT-AP 3.0.1 SHACL shapes (SEMICeu/DCAT-AP, releases/3.0.1/shacl),
// read from ../shared/dcat-ap/ with the EU data themes and file types they check against.

// One demo site for every test here: they only read it, but for the datasets they add by name.
let app: FastifyInstance
let db: Db
let close: () => Promise<void>
before(async () => {
  ;({ app, db, close } = await createTestApp(async (db) => {
    await seedDemo(db, testFileStore())
  }))
})
after(() => close())

/** Every page of the catalog as triples. */
async function wholeCatalog(app: FastifyInstance): Promise<Quad[]> {
  const quads: Quad[] = []
  for (let page = 1; ; page++) {
    const response = await app.inject({ url: `/catalog.ttl?page=${page}` })
    assert.equal(response.statusCode, 200)
    const parsed = await parseRdf(response.body, 'text/turtle')
    quads.push(...parsed)
    if (!parsed.some((q) => q.predicate.value === `${PREFIXES.hydra}nextPage`)) return quads
  }
}

/** The violations on what the catalog describes (the EU vocabularies' own schemes have no dct:title: theirs, not ours). */
async function violations(quads: Quad[]) {
  const described = new Set(quads.map((q) => q.subject.value))
  return (await dcatApViolations(quads)).filter((v) => described.has(v.focus))
}

test('the demo catalog validates against the DCAT-AP 3.0.1 shapes: 0 violations', async () => {
  const quads = await wholeCatalog(app)
  assert.ok(quads.some((q) => q.object.value === `${PREFIXES.dcat}Distribution`), 'the demo has distributions to check')
  assert.deepEqual(await violations(quads), [])
})

test('a dataset created through the CKAN API with the fewest fields CKAN allows validates too', async () => {
  const token = await editorToken(db, 'ministry-of-finance')
  const created = await app.inject({
    method: 'POST', url: '/api/3/action/package_create', headers: { authorization: token },
    payload: { name: 'bare-minimum', owner_org: 'ministry-of-finance', resources: [{ url: 'https://example.kz/file.bin' }] },
  })
  assert.equal(created.statusCode, 200, created.body)
  const turtle = await app.inject({ url: '/data/datasets/bare-minimum/dcat.ttl' })
  const quads = await parseRdf(turtle.body, 'text/turtle')
  assert.deepEqual(await violations(quads), [])
  const description = quads.find((q) => q.predicate.value === `${PREFIXES.dct}description` && q.subject.value.endsWith('/bare-minimum'))
  assert.equal(description?.object.value, 'bare-minimum', 'no notes: the title (here the name) describes it')
})

test('formats and media types are the EU file-type and IANA IRIs; RDF/XML beside Turtle and JSON-LD; modified_since, q and paging as ckanext-dcat has them', async () => {
  const quads = await wholeCatalog(app)
  const formats = new Set(quads.filter((q) => q.predicate.value === `${PREFIXES.dct}format`).map((q) => q.object.value))
  assert.ok(formats.has('http://publications.europa.eu/resource/authority/file-type/CSV'))
  assert.ok([...formats].every((f) => f.startsWith('http://publications.europa.eu/resource/authority/file-type/')))
  const mediaTypes = new Set(quads.filter((q) => q.predicate.value === `${PREFIXES.dcat}mediaType`).map((q) => q.object.value))
  assert.ok(mediaTypes.has('http://www.iana.org/assignments/media-types/text/csv'))

  const xml = await app.inject({ url: '/catalog.rdf' })
  assert.equal(xml.statusCode, 200)
  assert.match(String(xml.headers['content-type']), /application\/rdf\+xml/)
  const fromXml: Quad[] = []
  await new Promise<void>((resolve, reject) => {
    const parser = new RdfXmlParser()
    parser.on('data', (q: Quad) => fromXml.push(q)).on('error', reject).on('end', resolve)
    parser.end(xml.body)
  })
  const firstPage = await parseRdf((await app.inject({ url: '/catalog.ttl' })).body, 'text/turtle')
  assert.equal(fromXml.length, firstPage.length, 'the same triples in RDF/XML as in Turtle')

  const datasetsOf = (qs: Quad[]) => qs.filter((q) => q.predicate.value === `${PREFIXES.dcat}dataset`).map((q) => q.object.value)
  const future = await app.inject({ url: '/catalog.ttl?modified_since=2099-01-01T00:00:00Z' })
  assert.equal(future.statusCode, 200)
  assert.deepEqual(datasetsOf(await parseRdf(future.body, 'text/turtle')), [])
  const searched = datasetsOf(await parseRdf((await app.inject({ url: `/catalog.ttl?q=${encodeURIComponent('бюджет')}` })).body, 'text/turtle'))
  assert.ok(searched.length > 0 && searched.length < datasetsOf(firstPage).length, 'q narrows the catalog')
  assert.equal((await app.inject({ url: '/catalog.ttl?page=999' })).statusCode, 404, 'a page past the end is not there')
  assert.equal((await app.inject({ url: '/catalog.ttl?modified_since=yesterday' })).statusCode, 400)
})

test('the catalog\'s IRIs dereference: the catalog, distributions, publishers and regions answer RDF, and send browsers to their pages', async () => {
  const quads = await parseRdf((await app.inject({ url: '/catalog.ttl' })).body, 'text/turtle')
  const local = (iri: string) => new URL(iri).pathname
  const objectsOf = (predicate: string) => [...new Set(quads.filter((q) => q.predicate.value === predicate).map((q) => q.object.value))]
  const iris = [
    ...quads.filter((q) => q.object.value === `${PREFIXES.dcat}Catalog`).map((q) => q.subject.value),
    objectsOf(`${PREFIXES.dcat}distribution`)[0]!,
    objectsOf(`${PREFIXES.dct}publisher`).find((p) => p.includes('/agencies/'))!,
    objectsOf(`${PREFIXES.dct}spatial`).find((p) => p.includes('/regions/'))!,
  ]
  assert.equal(iris.length, 4)
  for (const iri of iris) {
    const rdf = await app.inject({ url: local(iri), headers: { accept: 'text/turtle' } })
    assert.equal(rdf.statusCode, 200, iri)
    const described = await parseRdf(rdf.body, 'text/turtle')
    assert.ok(described.some((q) => q.subject.value === iri), `${iri} describes itself`)
    const page = await app.inject({ url: local(iri), headers: { accept: 'text/html', 'accept-language': 'ru' } })
    assert.equal(page.statusCode, 303, iri)
    assert.match(String(page.headers.location), /^\/ru\//)
    const followed = await app.inject({ url: String(page.headers.location) })
    assert.equal(followed.statusCode, 200, `${iri} → ${page.headers.location}`)
  }
})

const BASE = 'http://localhost:3000'

/** A dataset with every field the CKAN API takes, and a link of each kind of checksum a client sends. */
async function everyField(name: string) {
  const token = await editorToken(db, 'ministry-of-finance')
  const created = await app.inject({
    method: 'POST', url: '/api/3/action/package_create', headers: { authorization: token },
    payload: {
      name, owner_org: 'ministry-of-finance', license_id: 'cc-by-sa', url: 'https://stat.gov.kz/budget/2026', version: '2.1',
      title_translated: { kk: 'Бюджет толық', ru: 'Бюджет полностью', en: 'Budget in full' },
      notes_translated: { kk: 'Барлық өрістер', ru: 'Все поля', en: 'Every field' },
      keywords: { kk: ['бюджет', 'қаржы'], ru: ['бюджет', 'финансы'], en: ['budget'] },
      groups: [{ name: 'econ' }, { name: 'gove' }], frequency: 'quarterly', region: 'astana', temporal_start: '2026-01-01', temporal_end: '2026-12-31',
      maintainer_translated: { kk: 'Деректер бөлімі', ru: 'Отдел данных', en: 'Data office' }, maintainer_email: 'data@minfin.gov.kz',
      author: 'Budget department', author_email: 'budget@minfin.gov.kz',
      extras: [
        { key: 'conforms_to', value: '["https://www.w3.org/TR/tabular-data-primer/"]' }, { key: 'documentation', value: 'https://minfin.gov.kz/budget/about' },
        { key: 'version_notes', value: 'Quarter three added' }, { key: 'source', value: 'https://old.minfin.gov.kz/budget' }, { key: 'internal_code', value: 'B-17' },
      ],
      resources: [
        { url: 'https://minfin.gov.kz/budget.csv', name: 'Budget table', description: 'Every line', format: 'CSV', size: 2048, hash: 'd41d8cd98f00b204e9800998ecf8427e' },
        { url: 'https://minfin.gov.kz/budget.geojson', name: 'Budget map', format: 'GeoJSON' },
        { url: 'https://minfin.gov.kz/budget.shp', name: 'Budget shapes', format: 'SHP', hash: 'not a digest' },
      ],
    },
  })
  assert.equal(created.statusCode, 200, created.body)
}

test('a dataset with every field the CKAN API takes validates, and its CKAN url is its landing page, not a second dataset', async () => {
  await everyField('budget-every-field')
  for (const ending of ['ttl', 'rdf', 'jsonld']) {
    const response = await app.inject({ url: `/dataset/budget-every-field.${ending}` })
    assert.equal(response.statusCode, 200, ending)
  }
  const quads = await parseRdf((await app.inject({ url: '/dataset/budget-every-field.ttl' })).body, 'text/turtle')
  assert.deepEqual(await violations(quads), [])
  const datasets = quads.filter((q) => q.predicate.value === `${PREFIXES.rdf}type` && q.object.value === `${PREFIXES.dcat}Dataset`).map((q) => q.subject.value)
  assert.deepEqual(datasets, [`${BASE}/data/datasets/budget-every-field`], 'one dataset: the source page is not typed a dataset')
  const [parsed] = parseAsCkanextDcat(quads, 'ru')
  assert.equal(parsed?.url, 'https://stat.gov.kz/budget/2026')
  assert.equal(parsed?.license_id, 'cc-by-sa')
  assert.equal(parsed?.extras.source, undefined, 'an extra that would name another dataset is not written')
  assert.equal(parsed?.extras.internal_code, undefined)
})

/** package_show's dict as ckanext-dcat should read it back from the catalog, by the README's mapping. */
function expectedFrom(pkg: Record<string, any>): Omit<ParsedDataset, 'extras' | 'resources'> & { extras: Record<string, unknown>; resources: Record<string, unknown>[] } {
  const withUrl = new Set(['cc-by', 'cc-by-sa', 'cc-zero', 'odc-by', 'odc-odbl', 'odc-pddl'])
  const extra = (key: string) => pkg.extras.find((e: { key: string }) => e.key === key)?.value as string | undefined
  const list = (value: string | undefined) => (value === undefined ? undefined : (value.startsWith('[') ? JSON.parse(value) as string[] : [value]).sort())
  const registry: Record<string, string> = { 'text/csv': 'CSV', 'application/json': 'JSON', 'application/pdf': 'PDF', 'application/zip': 'ZIP', 'text/html': 'HTML', 'application/xml': 'XML',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX', 'application/vnd.ms-excel': 'XLS', 'text/plain': 'TXT', 'text/tab-separated-values': 'TSV' }
  return {
    uri: `${BASE}/data/datasets/${pkg.name}`,
    title: pkg.title,
    notes: pkg.notes || pkg.title,
    url: pkg.url || `${BASE}/ru/data/datasets/${pkg.name}`,
    ...(pkg.version ? { version: pkg.version } : {}),
    tags: pkg.tags.map((t: { name: string }) => t.name).sort(),
    license_id: withUrl.has(pkg.license_id) && pkg.resources.length > 0 ? pkg.license_id : '',
    extras: {
      identifier: pkg.id,
      issued: new Date(`${pkg.metadata_created}Z`).toISOString(),
      modified: new Date(`${pkg.metadata_modified}Z`).toISOString(),
      contact_name: pkg.maintainer || pkg.author || undefined,
      contact_email: pkg.maintainer_email || pkg.author_email || undefined,
      creator_name: pkg.author || pkg.author_email || undefined,
      creator_email: pkg.author_email || undefined,
      publisher_uri: `${BASE}/agencies/${pkg.owner_org}`,
      publisher_name: pkg.organization.title,
      temporal_start: pkg.temporal_start ?? undefined,
      temporal_end: pkg.temporal_end ?? undefined,
      spatial_uri: pkg.region ? `${BASE}/regions/${pkg.region}` : undefined,
      theme: pkg.groups.length > 0 ? pkg.groups.map((g: { name: string }) => `http://publications.europa.eu/resource/authority/data-theme/${g.name.toUpperCase()}`).sort() : undefined,
      conforms_to: list(extra('conforms_to')),
      documentation: list(extra('documentation')),
      version_notes: extra('version_notes'),
      access_rights: 'http://publications.europa.eu/resource/authority/access-right/PUBLIC',
    },
    resources: pkg.resources.map((r: Record<string, any>) => ({
      uri: `${BASE}/data/resources/${r.id}`,
      name: r.name,
      description: r.description || undefined,
      url: r.url,
      mimetype: r.mimetype ?? undefined,
      format: r.mimetype ? (registry[r.mimetype] ?? (r.format.toUpperCase() === 'GEOJSON' ? 'http://publications.europa.eu/resource/authority/file-type/GEOJSON' : r.mimetype)) : undefined,
      size: r.size ?? undefined,
      hash: /^(sha256:)?[0-9a-f]{32,64}$/.test(r.hash) ? r.hash.replace(/^sha256:/, '') : undefined,
    })).sort((a: { uri: string }, b: { uri: string }) => a.uri.localeCompare(b.uri)),
  }
}

/** The parsed dict cut to what package_show has, in the same shape. */
function comparable(parsed: ParsedDataset) {
  const e = parsed.extras
  const sorted = (value: string | undefined) => (value === undefined ? undefined : (JSON.parse(value) as string[]).sort())
  return {
    uri: parsed.uri, title: parsed.title, notes: parsed.notes, url: parsed.url, ...(parsed.version ? { version: parsed.version } : {}),
    tags: [...parsed.tags].sort(), license_id: parsed.license_id,
    extras: {
      identifier: e.identifier, issued: e.issued && new Date(e.issued).toISOString(), modified: e.modified && new Date(e.modified).toISOString(),
      contact_name: e.contact_name, contact_email: e.contact_email, creator_name: e.creator_name, creator_email: e.creator_email,
      publisher_uri: e.publisher_uri, publisher_name: e.publisher_name, temporal_start: e.temporal_start, temporal_end: e.temporal_end,
      spatial_uri: e.spatial_uri, theme: sorted(e.theme), conforms_to: sorted(e.conforms_to), documentation: sorted(e.documentation),
      version_notes: e.version_notes, access_rights: e.access_rights,
    },
    resources: parsed.resources.map((r) => ({
      uri: r.uri, name: r.name, description: r.description, url: r.url, mimetype: r.mimetype, format: r.format, size: r.size, hash: r.hash,
    })).sort((a, b) => String(a.uri).localeCompare(String(b.uri))),
  }
}

test('what ckanext-dcat\'s DCAT-AP 3 profile reads from the catalog is each dataset\'s package_show, by the documented mapping', async () => {
  if (!(await db.query(`select 1 from datasets where name = 'budget-every-field'`)).length) await everyField('budget-every-field')
  const parsed = parseAsCkanextDcat(await wholeCatalog(app), 'ru')
  const shown = Number(JSON.parse((await app.inject({ url: '/api/3/action/package_search?rows=0' })).body).result.count)
  assert.equal(parsed.length, shown, 'as many datasets as the catalog has: none made up')
  let licensed = 0
  for (const dataset of parsed) {
    const name = dataset.uri.split('/').pop()!
    const pkg = JSON.parse((await app.inject({ url: `/api/3/action/package_show?id=${name}`, headers: { 'accept-language': 'ru' } })).body).result
    assert.deepEqual(comparable(dataset), expectedFrom(pkg), name)
    if (dataset.license_id) licensed += 1
    assert.equal(new Set(dataset.tags).size, dataset.tags.length, `${name}: no tag twice`)
    assert.match(dataset.extras.publisher_type ?? '', /^http:\/\/purl\.org\/adms\/publishertype\/(NationalAuthority|LocalAuthority|Company)$/)
    const languages = { kk: 'KAZ', ru: 'RUS', en: 'ENG' } as Record<string, string>
    const titled = Object.entries(pkg.title_translated as Record<string, string>).filter(([, text]) => text).map(([lang]) => `http://publications.europa.eu/resource/authority/language/${languages[lang]}`)
    assert.deepEqual((JSON.parse(dataset.extras.language ?? '[]') as string[]).sort(), titled.sort(), `${name}: the languages its title is in`)
    if (pkg.region) assert.ok((JSON.parse(dataset.extras.spatial_text!) as string[]).length > 0)
  }
  assert.ok(licensed >= 25, `${licensed} datasets come back with their licence`)
})

test('ckanext-dcat\'s endpoints: modified_since takes a day, q and fq take Solr syntax, profiles, CKAN\'s addresses and N3 and N-Triples', async () => {
  const datasetsOf = async (url: string) => {
    const response = await app.inject({ url })
    assert.equal(response.statusCode, 200, `${url}: ${response.body}`)
    return (await parseRdf(response.body, 'text/turtle')).filter((q) => q.predicate.value === `${PREFIXES.dcat}dataset`).map((q) => q.object.value)
  }
  assert.ok((await datasetsOf('/catalog.ttl?modified_since=2020-01-01')).length > 0)
  assert.deepEqual(await datasetsOf('/catalog.ttl?modified_since=2099-01-01'), [])
  assert.deepEqual(await datasetsOf('/catalog.ttl?modified_since=2099-01-01T10:00:00'), [])
  const refused = await app.inject({ url: '/catalog.ttl?modified_since=2026-13-45', headers: { 'accept-language': 'ru' } })
  assert.equal(refused.statusCode, 400)
  assert.match(refused.body, /modified_since/)
  assert.match(refused.body, /Укажите дату/)

  const search = JSON.parse((await app.inject({ url: '/api/3/action/package_search?fq=tags:budget&rows=1000' })).body).result
  assert.ok(search.count > 1, 'the demo has several datasets tagged budget')
  const byTag = await datasetsOf('/catalog.ttl?q=tags:budget')
  assert.equal(byTag.length, search.count, 'q=tags:budget finds what package_search finds')
  assert.deepEqual((await datasetsOf('/catalog.ttl?fq=tags:budget')).sort(), byTag.sort())
  const organization = await datasetsOf('/catalog.ttl?fq=organization:ministry-of-finance')
  assert.ok(organization.length > 0 && organization.every((d) => d.startsWith(`${BASE}/data/datasets/`)))
  assert.equal((await app.inject({ url: '/catalog.ttl?q=tags:(budget' })).statusCode, 400)

  assert.equal((await app.inject({ url: '/catalog.ttl?profiles=euro_dcat_ap_3,euro_dcat_ap_2' })).statusCode, 200)
  const unknownProfile = await app.inject({ url: '/catalog.ttl?profiles=schemaorg' })
  assert.equal(unknownProfile.statusCode, 400)
  assert.match(unknownProfile.body, /profiles/)

  for (const [ending, type] of [['xml', 'application/rdf+xml'], ['rdf', 'application/rdf+xml'], ['n3', 'text/n3'], ['ttl', 'text/turtle'], ['jsonld', 'application/ld+json'], ['nt', 'application/n-triples']] as const) {
    for (const url of [`/catalog.${ending}`, `/dataset/budget-every-field.${ending}`]) {
      if (url.includes('budget-every-field') && !(await db.query(`select 1 from datasets where name = 'budget-every-field'`)).length) await everyField('budget-every-field')
      const response = await app.inject({ url })
      assert.equal(response.statusCode, 200, url)
      assert.match(String(response.headers['content-type']), new RegExp(`^${type.replace('+', '\\+')}`), url)
    }
  }
  const nTriples = await app.inject({ url: '/dataset/budget-every-field', headers: { accept: 'application/n-triples' } })
  assert.match(String(nTriples.headers['content-type']), /^application\/n-triples/)
  const fromN = new (await import('n3')).default.Parser({ format: 'N-Triples' }).parse(nTriples.body)
  const fromTurtle = await parseRdf((await app.inject({ url: '/dataset/budget-every-field', headers: { accept: 'text/n3' } })).body, 'text/turtle')
  assert.equal(fromN.length, fromTurtle.length, 'the same triples in N-Triples as in N3')
  const page = await app.inject({ url: '/dataset/budget-every-field', headers: { accept: 'text/html', 'accept-language': 'kk' } })
  assert.equal(page.statusCode, 303)
  assert.equal(page.headers.location, '/kk/data/datasets/budget-every-field')
  assert.equal((await app.inject({ url: '/dataset/no-such-dataset.ttl' })).statusCode, 404)
})
