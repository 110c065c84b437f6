import { test } from 'node:test'
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

// The catalog against the official DCAT-AP 3.0.1 SHACL shapes (SEMICeu/DCAT-AP, releases/3.0.1/shacl),
// read from ../shared/dcat-ap/ with the EU data themes and file types they check against.

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

test('the demo catalog validates against the DCAT-AP 3.0.1 shapes: 0 violations', async (t) => {
  const { app, close } = await createTestApp(async (db) => {
    await seedDemo(db, testFileStore())
  })
  t.after(close)
  const quads = await wholeCatalog(app)
  assert.ok(quads.some((q) => q.object.value === `${PREFIXES.dcat}Distribution`), 'the demo has distributions to check')
  assert.deepEqual(await violations(quads), [])
})

test('a dataset created through the CKAN API with the fewest fields CKAN allows validates too', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await seedDemo(db, testFileStore())
  })
  t.after(close)
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

test('formats and media types are the EU file-type and IANA IRIs; RDF/XML beside Turtle and JSON-LD; modified_since, q and paging as ckanext-dcat has them', async (t) => {
  const { app, close } = await createTestApp(async (db) => {
    await seedDemo(db, testFileStore())
  })
  t.after(close)
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

test('the catalog\'s IRIs dereference: the catalog, distributions, publishers and regions answer RDF, and send browsers to their pages', async (t) => {
  const { app, close } = await createTestApp(async (db) => {
    await seedDemo(db, testFileStore())
  })
  t.after(close)
  const quads = await parseRdf((await app.inject({ url: '/catalog.ttl' })).body, 'text/turtle')
  const local = (iri: string) => new URL(iri).pathname
  const objectsOf = (predicate: string) => [...new Set(quads.filter((q) => q.predicate.value === predicate).map((q) => q.object.value))]
  const iris = [
    ...quads.filter((q) => q.object.value === `${PREFIXES.dcat}Catalog`).map((q) => q.subject.value),
    objectsOf(`${PREFIXES.dcat}distribution`)[0]!,
    objectsOf(`${PREFIXES.dct}publisher`).find((p) => p.includes('/agencies/'))!,
    objectsOf(`${PREFIXES.dct}spatial`)[0]!,
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
