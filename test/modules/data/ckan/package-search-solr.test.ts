import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { createTestApp } from '../../../helpers/app.ts'
import { makeAgency, makeDataset } from '../../../helpers/factories.ts'
import { solrDate } from '../../../../src/modules/data/ckan/solr-dates.ts'
import { editorToken } from '../../../helpers/users.ts'

// package_search as CKAN runs it: q and fq go to Solr's standard (Lucene) query parser with q.op=AND
// (ckan/lib/search/query.py), sort and rows are checked by ckan/logic/schema/__init__.py
// (default_package_search_schema), and ckanext-harvest's CKAN harvester pages through the results
// (ckanext/harvest/harvesters/ckanharvester.py, _search_for_datasets).

async function search(app: FastifyInstance, params: Record<string, string | number>, lang = 'en') {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()
  const response = await app.inject({ url: `/api/3/action/package_search?${query}`, headers: { 'accept-language': lang } })
  return { status: response.statusCode, body: response.json() as { success: boolean; result: any; error: any } }
}
const names = (body: { result: { results: { name: string }[] } }) => body.result.results.map((p) => p.name)
const sorted = (body: { result: { results: { name: string }[] } }) => names(body).sort()

async function catalog() {
  return createTestApp(async (db) => {
    for (const slug of ['finance', 'health', 'education']) {
      await makeAgency(db, { slug, name: { kk: slug, ru: slug, en: slug } })
    }
    await makeDataset(db, 'finance', {
      name: 'budget-execution', title: { ru: 'Исполнение бюджета', en: 'Budget execution' },
      description: { en: 'Monthly spending of the air force' }, keywords: { en: ['economy', 'budget'] }, themeCode: 'econ',
    }, { url: 'https://data.example.kz/budget.csv' })
    await makeDataset(db, 'finance', {
      name: 'state-debt', title: { ru: 'Государственный долг', en: 'State debt' }, keywords: { en: ['economy'] }, themeCode: 'econ', licenceId: 'cc-zero',
    }, { url: 'https://data.example.kz/debt.xlsx' })
    await makeDataset(db, 'health', {
      name: 'air-quality', title: { ru: 'Качество воздуха', en: 'Air quality' }, description: { en: 'Budget of nothing' }, keywords: { en: ['health', 'air'] }, themeCode: 'heal',
    }, { url: 'https://data.example.kz/air.json' })
    await makeDataset(db, 'education', {
      name: 'schools', title: { ru: 'Школы', en: 'Schools' }, keywords: {}, themeCode: 'educ',
    }, null)
    // Known times, for the harvester's incremental runs and date ranges.
    await db.query(`update datasets set updated_at = '2024-01-10T00:00:00Z', created_at = '2023-01-01T00:00:00Z' where name = 'budget-execution'`)
    await db.query(`update datasets set updated_at = '2024-03-10T00:00:00Z', created_at = '2023-06-01T00:00:00Z' where name = 'state-debt'`)
    await db.query(`update datasets set updated_at = '2024-05-10T12:30:00Z', created_at = '2024-01-01T00:00:00Z' where name = 'air-quality'`)
    await db.query(`update datasets set updated_at = now() - interval '2 days', created_at = now() - interval '2 days' where name = 'schools'`)
  })
}

test("CKAN's harvester finds every dataset: ids ascending a page at a time, incremental runs, organisations included or left out", async (t) => {
  const { app, close } = await catalog()
  t.after(close)
  // The first run: rows=100&start=0&sort=id asc, then start=100… until a page comes back short.
  const seen: string[] = []
  for (let start = 0; ; start += 2) {
    const page = await search(app, { rows: 2, start, sort: 'id asc' })
    assert.equal(page.status, 200, JSON.stringify(page.body.error))
    const ids = page.body.result.results.map((p: { id: string }) => p.id)
    seen.push(...ids)
    if (ids.length < 2) break
  }
  assert.equal(seen.length, 4)
  assert.deepEqual(seen, [...seen].sort(), 'ids ascending')
  assert.equal(new Set(seen).size, 4, 'no dataset twice')

  // Incremental: fq=metadata_modified:[<last run>Z TO *] (microseconds, as Python's isoformat writes them).
  const since = await search(app, { rows: 100, start: 0, sort: 'id asc', fq: 'metadata_modified:[2024-03-01T00:00:00.000000Z TO *]' })
  assert.deepEqual(sorted(since.body), ['air-quality', 'schools', 'state-debt'])

  // organizations_filter_include joins with OR; with the incremental range both must hold.
  const included = await search(app, { rows: 100, sort: 'id asc', fq: 'organization:finance OR organization:health metadata_modified:[2024-03-01T00:00:00Z TO *]' })
  assert.deepEqual(sorted(included.body), ['air-quality', 'state-debt'])
  // organizations_filter_exclude: one -organization:x each.
  const excluded = await search(app, { rows: 100, sort: 'id asc', fq: '-organization:finance -organization:education' })
  assert.deepEqual(names(excluded.body), ['air-quality'])
  // ckanapi and the harvester also send CKAN's own filters, which every dataset here meets.
  const always = await search(app, { fq: '+dataset_type:dataset +capacity:public +state:active', rows: 10 })
  assert.equal(always.body.result.count, 4)
})

test('q and fq take the Lucene syntax people type: AND, OR, NOT, -, +, phrases, groups, fields, wildcards, ranges, date math', async (t) => {
  const { app, close } = await catalog()
  t.after(close)
  const cases: [Record<string, string>, string[]][] = [
    [{ q: 'budget' }, ['air-quality', 'budget-execution']],
    [{ q: 'budget AND execution' }, ['budget-execution']],
    [{ q: 'budget NOT tags:health' }, ['budget-execution']],
    [{ q: 'budget -tags:health' }, ['budget-execution']],
    [{ q: 'schools OR debt' }, ['schools', 'state-debt']],
    [{ q: '"air force"' }, ['budget-execution']],
    [{ q: '"force air"' }, []],
    [{ q: 'title:budget' }, ['budget-execution']],
    [{ q: 'notes:budget' }, ['air-quality']],
    [{ q: 'title:бюдж*' }, ['budget-execution']],
    [{ q: 'name:state-*' }, ['state-debt']],
    [{ q: 'name:s?hools' }, ['schools']],
    [{ q: 'tags:(economy health)' }, []],
    [{ q: 'tags:(economy OR health)' }, ['air-quality', 'budget-execution', 'state-debt']],
    [{ q: '(tags:economy OR tags:air) AND -groups:heal' }, ['budget-execution', 'state-debt']],
    [{ q: '+organization:finance license_id:cc-zero' }, ['state-debt']],
    [{ fq: 'res_format:csv OR res_format:JSON' }, ['air-quality', 'budget-execution']],
    [{ fq: 'num_resources:0' }, ['schools']],
    [{ fq: 'num_resources:[1 TO *]' }, ['air-quality', 'budget-execution', 'state-debt']],
    [{ fq: 'num_tags:{1 TO 2]' }, ['air-quality', 'budget-execution']],
    [{ fq: 'metadata_modified:[2024-01-01T00:00:00Z TO 2024-04-01T00:00:00Z}' }, ['budget-execution', 'state-debt']],
    [{ fq: 'metadata_created:[NOW-7DAYS TO NOW]' }, ['schools']],
    // The lucene package takes / in a range escaped, as Solr's documentation writes it.
    [{ fq: 'metadata_modified:[NOW\\/DAY-3DAYS TO *]' }, ['schools']],
    [{ q: 'NOT (schools OR debt)' }, ['air-quality', 'budget-execution']],
    [{ fq: 'name:[a TO c]' }, ['air-quality', 'budget-execution']],
    [{ fq: 'id:*' }, ['air-quality', 'budget-execution', 'schools', 'state-debt']],
    [{ q: '*:*', fq_list: 'groups:econ' }, ['budget-execution', 'state-debt']],
    [{ q: 'tags:economy', fq: 'organization:finance' }, ['budget-execution', 'state-debt']],
  ]
  for (const [params, expected] of cases) {
    const found = await search(app, { rows: 100, ...params })
    assert.equal(found.status, 200, `${JSON.stringify(params)}: ${JSON.stringify(found.body.error)}`)
    assert.deepEqual(sorted(found.body), expected, JSON.stringify(params))
    assert.equal(found.body.result.count, expected.length, JSON.stringify(params))
  }
})

test('sort by several fields, asc or desc; title_string in the reader\'s language; rows above the cap are lowered; fl picks fields', async (t) => {
  const { app, close } = await catalog()
  t.after(close)
  assert.deepEqual(names((await search(app, { sort: 'name desc' })).body), ['state-debt', 'schools', 'budget-execution', 'air-quality'])
  assert.deepEqual(names((await search(app, { sort: 'num_resources asc, metadata_modified desc' })).body), ['schools', 'air-quality', 'state-debt', 'budget-execution'])
  assert.deepEqual(names((await search(app, { sort: 'metadata_created asc' })).body), ['budget-execution', 'state-debt', 'air-quality', 'schools'])
  assert.deepEqual(names((await search(app, { sort: 'organization desc, license_id asc, name desc' })).body), ['air-quality', 'budget-execution', 'state-debt', 'schools'])
  // Russian titles: Государственный долг, Исполнение бюджета, Качество воздуха, Школы.
  assert.deepEqual(names((await search(app, { sort: 'title_string asc' }, 'ru')).body), ['state-debt', 'budget-execution', 'air-quality', 'schools'])
  assert.deepEqual(names((await search(app, { sort: 'title_string asc' }, 'en')).body), ['air-quality', 'budget-execution', 'schools', 'state-debt'])

  const many = await search(app, { rows: 5000 })
  assert.equal(many.status, 200, 'more rows than the cap are lowered to it (limit_to_configured_maximum), not refused')
  assert.equal(many.body.result.results.length, 4)

  const few = await search(app, { fl: 'id,name', sort: 'name asc', rows: 1 })
  assert.deepEqual(Object.keys(few.body.result.results[0]).sort(), ['id', 'name'])
})

test('what Solr cannot read is a 400 Search Query Error in the reader\'s language, naming the parameter', async (t) => {
  const { app, close } = await catalog()
  t.after(close)
  const cases: [Record<string, string>, RegExp][] = [
    [{ q: '(budget OR' }, /q cannot be read as a Solr query/],
    [{ fq: 'colour:red' }, /fq: unknown field "colour"/],
    [{ fq: 'metadata_modified:[yesterday TO *]' }, /"yesterday" is not a date for metadata_modified/],
    [{ fq: 'num_tags:[a TO 3]' }, /"a" is not a whole number for num_tags/],
    [{ q: 'name:/bud.*/' }, /regular expressions are not supported/],
    [{ sort: 'colour asc' }, /Invalid "sort" parameter/],
    [{ sort: 'name upwards' }, /Invalid "sort" parameter/],
    [{ colour: 'red' }, /Invalid search parameters: colour/],
  ]
  for (const [params, message] of cases) {
    const found = await search(app, params)
    assert.equal(found.status, 400, JSON.stringify(params))
    assert.equal(found.body.success, false)
    assert.equal(found.body.error.__type, 'Search Query Error', JSON.stringify(params))
    assert.match(found.body.error.message, message, JSON.stringify(params))
  }
  const russian = await search(app, { q: '(budget OR' }, 'ru')
  assert.match(russian.body.error.message, /не удаётся прочитать как запрос Solr/)
  const extension = await search(app, { ext_bbox: '1,2,3,4' })
  assert.equal(extension.status, 200, 'ext_ keys go to extensions, as in CKAN')
})

test("Solr's date math: NOW, rounding, adding and taking away units, instants with fractions", () => {
  const now = new Date('2024-05-15T13:45:30.250Z')
  const cases: [string, string | null][] = [
    ['NOW', '2024-05-15T13:45:30.250Z'],
    ['NOW/DAY', '2024-05-15T00:00:00.000Z'],
    ['NOW-7DAYS', '2024-05-08T13:45:30.250Z'],
    ['NOW/DAY-1MONTH', '2024-04-15T00:00:00.000Z'],
    ['NOW+1YEAR/YEAR', '2025-01-01T00:00:00.000Z'],
    ['2024-01-31T10:00:00Z+1DAY', '2024-02-01T10:00:00.000Z'],
    ['2024-05-01T10:00:00.123456Z', '2024-05-01T10:00:00.123Z'],
    ['2024-05-01', null],
    ['NOW-DAYS', null],
    ['NOW-7WEEKS', null],
    ['NOW/2DAY', null],
    ['yesterday', null],
  ]
  for (const [expression, expected] of cases) assert.equal(solrDate(expression, now)?.toISOString() ?? null, expected, expression)
})

test('the fields CKAN\'s Solr schema indexes are searched as CKAN searches them; tags and formats are faceted as CKAN counts them; flags read as asbool', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'finance', name: { kk: 'finance', ru: 'finance', en: 'finance' } })
  })
  t.after(close)
  const token = await editorToken(db, 'finance')
  const create = async (payload: Record<string, unknown>) => {
    const response = await app.inject({ method: 'POST', url: '/api/3/action/package_create', headers: { authorization: token }, payload: { owner_org: 'finance', ...payload } })
    assert.equal(response.statusCode, 200, response.body)
  }
  await create({
    name: 'annakarenina', title: 'A Novel By Tolstoy', author: 'Leo Tolstoy', maintainer: 'Svetlana Petrova', version: '0.7a', url: 'http://datahub.io',
    keywords: { en: ['russian', 'budget'], ru: ['бюджет'] }, extras: [{ key: 'genre', value: 'romantic novel' }, { key: 'original media', value: 'book' }],
    resources: [
      { url: 'http://datahub.io/download/x=1&y=2', name: 'Full text', description: 'Full text. Needs escaping: " Umlaut: ü', format: 'plain text', resource_type: 'documentation' },
      { url: 'http://datahub.io/index.json', name: 'Index', format: 'GeoJSON' },
    ],
  })
  await create({ name: 'warandpeace', title: 'A Wonderful Story', keywords: { en: ['budget'] }, resources: [{ url: 'http://example.kz/war.geojson', format: 'GeoJSON' }] })
  await create({ name: 'plain', title: 'Nothing special', keywords: { kk: ['бюджет'] } })

  const found = async (params: Record<string, string>) => {
    const response = await search(app, params)
    assert.equal(response.status, 200, `${JSON.stringify(params)}: ${JSON.stringify(response.body.error)}`)
    return sorted(response.body)
  }
  assert.deepEqual(await found({ q: 'author:tolstoy' }), ['annakarenina'])
  assert.deepEqual(await found({ q: 'maintainer:petrova' }), ['annakarenina'])
  assert.deepEqual(await found({ q: 'version:0.7a' }), ['annakarenina'])
  assert.deepEqual(await found({ q: 'url:"http://datahub.io"' }), ['annakarenina'])
  assert.deepEqual(await found({ q: 'res_url:"http://datahub.io/download/x=1&y=2"' }), ['annakarenina'])
  assert.deepEqual(await found({ q: 'res_name:index' }), ['annakarenina'])
  assert.deepEqual(await found({ q: 'res_description:umlaut' }), ['annakarenina'])
  assert.deepEqual(await found({ q: 'res_type:documentation' }), ['annakarenina'])
  assert.deepEqual(await found({ q: 'extras_genre:romantic' }), ['annakarenina'])
  assert.deepEqual(await found({ q: 'extras_genre:*' }), ['annakarenina'])
  assert.deepEqual(await found({ q: 'title_string:"A Wonderful Story"' }), ['warandpeace'])
  assert.deepEqual(await found({ q: 'author:tolstoy -res_name:index' }), [])
  // test_package_search_on_resource_name: plain words find a resource's name.
  assert.deepEqual(await found({ q: 'Full text' }), ['annakarenina'])
  // Date math as CKAN's users write it, the rounding's "/" unescaped.
  assert.deepEqual(await found({ fq: 'metadata_modified:[NOW/DAY-7DAYS TO NOW/DAY+1DAY]' }), ['annakarenina', 'plain', 'warandpeace'])
  assert.deepEqual(await found({ fq: 'metadata_created:[* TO NOW/DAY-7DAYS]' }), [])

  // The tags facet counts every tag, of any language, as fq=tags finds them.
  const facets = await search(app, { 'facet.field': '["tags","res_format"]', 'facet.limit': -1, rows: 0 })
  assert.equal(facets.body.result.facets.tags.budget, 2)
  assert.equal(facets.body.result.facets.tags['бюджет'], 2)
  assert.equal(facets.body.result.facets.tags.russian, 1)
  assert.equal((await search(app, { fq: 'tags:бюджет', rows: 0 })).body.result.count, 2)
  // A format is counted once whatever its case, and named as its resources spell it.
  assert.equal(facets.body.result.facets.res_format.GeoJSON, 2)
  assert.equal(facets.body.result.facets.res_format.GEOJSON, undefined)
  assert.equal((await search(app, { fq: 'res_format:GeoJSON', rows: 0 })).body.result.count, 2)

  // Flags as CKAN's asbool reads them, in a query string and in JSON.
  for (const word of ['True', 'true', '1', 'yes', 'on']) {
    const shown = await app.inject({ url: `/api/3/action/package_show?id=plain&include_tracking=${word}` })
    assert.equal(shown.statusCode, 200, `include_tracking=${word}: ${shown.body}`)
    assert.equal((await search(app, { include_private: word, rows: 0 })).status, 200, word)
  }
  const listed = await app.inject({ method: 'POST', url: '/api/3/action/organization_list', payload: { all_fields: 'Yes' } })
  assert.equal(listed.statusCode, 200, listed.body)
  assert.equal(typeof listed.json().result[0], 'object', 'all_fields "Yes" is true')
  const notFlag = await app.inject({ url: '/api/3/action/package_show?id=plain&include_tracking=perhaps' })
  assert.equal(notFlag.statusCode, 409, 'what asbool cannot read is refused')
})
