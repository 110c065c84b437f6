import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { createTestApp } from '../../../helpers/app.ts'
import { editorToken, signedInBrowser } from '../../../helpers/users.ts'
import { makeAgency } from '../../../helpers/factories.ts'
import type { Db } from '../../../../src/platform/db/index.ts'

// What CKAN keeps of a package dict (ckan/logic/schema/__init__.py, default_create_package_schema:
// author, maintainer, version, url, extras, groups, tag_string, a resource's unknown keys as its
// extras), and the calls ckanapi's dump and load make (ckanapi/cli/dump.py, ckanapi/cli/load.py).

async function site() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-finance', name: { kk: 'Қаржы министрлігі', ru: 'Министерство финансов', en: 'Ministry of Finance' } })
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
  })
  return { ...testApp, finance: await editorToken(testApp.db, 'ministry-of-finance'), health: await editorToken(testApp.db, 'ministry-of-health') }
}

// ckanapi's RemoteCKAN POSTs every action with a JSON body.
async function call(app: FastifyInstance, action: string, payload: object, token: string | null = null) {
  const response = await app.inject({
    method: 'POST', url: `/api/3/action/${action}`, payload,
    headers: { 'accept-language': 'en', ...(token ? { authorization: token } : {}) },
  })
  return { status: response.statusCode, body: response.json() as { success: boolean; result: any; error: any } }
}

// A package dict as CKAN 2.10's package_show returns one (demo.ckan.org's shape), with what a
// client sends back unchanged: ids, organization, timestamps, state.
const VANILLA = {
  author: 'Department of Budget Planning',
  author_email: 'planning@minfin.gov.kz',
  creator_user_id: '47a5e7f4-6a5f-4d9c-9b25-4e1b2f8f2f21',
  id: '0f3e4c1e-8a0a-4b3b-9d3a-3f2c5c2d9e11',
  isopen: true,
  license_id: 'cc-by',
  license_title: 'Creative Commons Attribution',
  license_url: 'http://www.opendefinition.org/licenses/cc-by',
  maintainer: 'Open data office',
  maintainer_email: 'opendata@minfin.gov.kz',
  metadata_created: '2024-02-01T10:11:12.123456',
  metadata_modified: '2024-03-01T10:11:12.123456',
  name: 'regional-budgets',
  notes: 'Planned and executed budgets of every region',
  num_resources: 1,
  num_tags: 2,
  organization: { id: 'c1b1a0a6-0d6c-4c7e-a0a4-8a4e1d2e3f40', name: 'ministry-of-finance', title: 'Ministry of Finance', type: 'organization', is_organization: true, state: 'active' },
  owner_org: 'ministry-of-finance',
  private: false,
  state: 'active',
  title: 'Regional budgets',
  type: 'dataset',
  url: 'https://budget.minfin.gov.kz/regions',
  version: '2.1',
  extras: [{ key: 'spatial', value: '{"type": "Point", "coordinates": [71.43, 51.13]}' }, { key: 'data_steward', value: 'A. Seitkali' }],
  groups: [{ id: 'econ', name: 'econ', title: 'Economy and finance', display_name: 'Economy and finance', description: '', image_display_url: '' }, { name: 'gove' }],
  resources: [{
    cache_last_updated: null,
    created: '2024-02-01T10:11:12.123456',
    datastore_active: false,
    description: 'Every region, every month',
    format: 'CSV',
    hash: '',
    id: 'a7d0f2e4-3a50-4b52-8e0a-6c1f1f9f0c11',
    last_modified: null,
    metadata_modified: '2024-03-01T10:11:12.123456',
    mimetype: 'text/csv',
    mimetype_inner: null,
    name: 'Budgets, CSV',
    package_id: '0f3e4c1e-8a0a-4b3b-9d3a-3f2c5c2d9e11',
    position: 0,
    resource_type: null,
    size: null,
    state: 'active',
    url: 'https://budget.minfin.gov.kz/regions.csv',
    url_type: '',
    source_system: 'SAP BW',
    update_note: 'refreshed monthly',
  }],
  tags: [{ display_name: 'budget', id: '1', name: 'budget', state: 'active', vocabulary_id: null }, { display_name: 'regions', id: '2', name: 'regions', state: 'active', vocabulary_id: null }],
  relationships_as_object: [],
  relationships_as_subject: [],
}

// The fields CKAN keeps as given (the rest it derives: ids, times, counts, the organization dict).
function kept(pkg: any) {
  return {
    name: pkg.name, title: pkg.title, notes: pkg.notes, author: pkg.author, author_email: pkg.author_email,
    maintainer: pkg.maintainer, maintainer_email: pkg.maintainer_email, version: pkg.version, url: pkg.url,
    license_id: pkg.license_id, owner_org: pkg.owner_org, private: pkg.private, state: pkg.state, type: pkg.type,
    extras: [...pkg.extras].sort((a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1)).map(({ key, value }: { key: string; value: string }) => ({ key, value })),
    groups: pkg.groups.map((g: { name: string }) => g.name),
    tags: pkg.tags.map((t: { name: string }) => t.name).sort(),
    resources: pkg.resources.map((r: any) => ({
      name: r.name, description: r.description, format: r.format, url: r.url, mimetype: r.mimetype,
      mimetype_inner: r.mimetype_inner, source_system: r.source_system, update_note: r.update_note,
    })),
  }
}

test('a vanilla CKAN 2.10 package dict round-trips through package_create and package_show with every field CKAN keeps', async (t) => {
  const { app, finance, close } = await site()
  t.after(close)
  const created = await call(app, 'package_create', { ...VANILLA, colour: 'red' }, finance)
  assert.equal(created.status, 200, JSON.stringify(created.body.error))
  const shown = (await call(app, 'package_show', { id: 'regional-budgets' })).body.result
  assert.deepEqual(kept(shown), kept(VANILLA))
  assert.equal('colour' in shown, false, 'a key CKAN does not know is ignored, as its package schema ignores it')
  assert.match(shown.creator_user_id, /^\d+$/, 'creator_user_id is the account that created it, not what the client sent')
  assert.notEqual(shown.creator_user_id, VANILLA.creator_user_id)

  // The same dict again through package_update changes nothing that CKAN keeps.
  const again = await call(app, 'package_update', { ...shown }, finance)
  assert.equal(again.status, 200, JSON.stringify(again.body.error))
  assert.deepEqual(kept(again.body.result), kept(VANILLA))
  // Extras are changed by sending the list; a package_patch without them keeps them.
  const patched = await call(app, 'package_patch', { id: shown.id, version: '2.2' }, finance)
  assert.equal(patched.body.result.version, '2.2')
  assert.equal(patched.body.result.extras.length, 2)
  const cleared = await call(app, 'package_update', { ...shown, extras: [], groups: [{ name: 'gove' }] }, finance)
  assert.deepEqual(cleared.body.result.extras, [])
  assert.deepEqual(cleared.body.result.groups.map((g: { name: string }) => g.name), ['gove'])

  // Both themes count and can be searched, as CKAN's groups can.
  await call(app, 'package_update', { ...shown }, finance)
  const byGroup = await call(app, 'package_search', { fq: 'groups:gove', 'facet.field': ['groups'] })
  assert.equal(byGroup.body.result.count, 1)
  assert.deepEqual(byGroup.body.result.facets.groups, { econ: 1, gove: 1 })
  const group = await call(app, 'group_show', { id: 'gove', include_datasets: false, include_users: true })
  assert.equal(group.body.result.package_count, 1)
  assert.equal(group.body.result.packages, undefined)
  const withDatasets = await call(app, 'group_show', { id: 'gove', include_datasets: true })
  assert.deepEqual(withDatasets.body.result.packages.map((p: { name: string }) => p.name), ['regional-budgets'])
})

test('package_create with the fewest fields CKAN allows: the title is the name; tag_string gives tags; a resource\'s unknown keys are its extras', async (t) => {
  const { app, finance, close } = await site()
  t.after(close)
  const minimal = await call(app, 'package_create', { name: 'bare-minimum', owner_org: 'ministry-of-finance' }, finance)
  assert.equal(minimal.status, 200, JSON.stringify(minimal.body.error))
  assert.equal(minimal.body.result.title, 'bare-minimum')
  const tagged = await call(app, 'package_create', { name: 'tagged', owner_org: 'ministry-of-finance', tag_string: 'budget, regions ,health' }, finance)
  assert.deepEqual(tagged.body.result.tags.map((t: { name: string }) => t.name).sort(), ['budget', 'health', 'regions'])

  const resource = await call(app, 'resource_create', { package_id: 'tagged', url: 'https://example.kz/data.zip', format: 'ZIP', mimetype_inner: 'text/csv', licence_note: 'see page 2' }, finance)
  assert.equal(resource.status, 200, JSON.stringify(resource.body.error))
  assert.equal(resource.body.result.mimetype, 'application/zip')
  assert.equal(resource.body.result.mimetype_inner, 'text/csv')
  assert.equal(resource.body.result.licence_note, 'see page 2')
  const patched = await call(app, 'resource_patch', { id: resource.body.result.id, licence_note: 'see page 3' }, finance)
  assert.equal(patched.body.result.licence_note, 'see page 3')
  assert.equal(patched.body.result.mimetype_inner, 'text/csv', 'what a patch does not name stays')
})

test('package_show answers a withdrawn dataset\'s editors with state "deleted", and no one else', async (t) => {
  const { app, finance, health, close } = await site()
  t.after(close)
  await call(app, 'package_create', { name: 'to-withdraw', owner_org: 'ministry-of-finance' }, finance)
  await call(app, 'package_delete', { id: 'to-withdraw' }, finance)
  const editor = await call(app, 'package_show', { id: 'to-withdraw' }, finance)
  assert.equal(editor.status, 200)
  assert.equal(editor.body.result.state, 'deleted')
  assert.equal((await call(app, 'package_show', { id: 'to-withdraw' }, health)).status, 404, 'another body\'s editor')
  assert.equal((await call(app, 'package_show', { id: 'to-withdraw' })).status, 404, 'the public')
})

test('an uploaded .csv is text/csv whatever the client called it', async (t) => {
  const { app, finance, close } = await site()
  t.after(close)
  await call(app, 'package_create', { name: 'uploads', owner_org: 'ministry-of-finance' }, finance)
  const form = new FormData()
  form.append('package_id', 'uploads')
  // Python's requests names a file's type application/octet-stream unless told; browsers say text/plain on some systems.
  form.append('upload', new Blob(['a,b\n1,2\n'], { type: 'application/octet-stream' }), 'numbers.csv')
  const uploaded = await app.inject({ method: 'POST', url: '/api/3/action/resource_create', payload: form, headers: { authorization: finance } })
  assert.equal(uploaded.statusCode, 200, uploaded.body)
  assert.equal(uploaded.json().result.mimetype, 'text/csv')
  const download = await app.inject({ url: new URL(uploaded.json().result.url).pathname })
  assert.match(String(download.headers['content-type']), /^text\/csv/)
})

/** ckanapi dump datasets --all: package_list with its flags, then package_show of each with ckanapi's keys. */
async function dump(app: FastifyInstance): Promise<any[]> {
  const list = await call(app, 'package_list', { include_private: false, include_drafts: false, include_deleted: false })
  assert.equal(list.status, 200, JSON.stringify(list.body.error))
  const dicts = []
  for (const name of list.body.result) {
    const shown = await call(app, 'package_show', { id: name, include_datasets: false, include_password_hash: true, include_users: false })
    assert.equal(shown.status, 200, JSON.stringify(shown.body.error))
    dicts.push(shown.body.result)
  }
  return dicts
}

/** ckanapi load datasets: look each up by id, then by name; update what exists, create the rest. */
async function load(app: FastifyInstance, token: string, dicts: any[]): Promise<string[]> {
  const done: string[] = []
  for (const original of dicts) {
    const obj = structuredClone(original)
    let existing = await call(app, 'package_show', { id: obj.id, include_datasets: false, include_password_hash: true, include_users: true }, token)
    if (existing.status === 404) existing = await call(app, 'package_show', { id: obj.name }, token)
    if (existing.status === 200) obj.id = existing.body.result.id
    const written = await call(app, existing.status === 200 ? 'package_update' : 'package_create', obj, token)
    assert.equal(written.status, 200, `${obj.name}: ${JSON.stringify(written.body.error)}`)
    done.push(`${existing.status === 200 ? 'update' : 'create'} ${written.body.result.name}`)
  }
  return done
}

async function datasetCount(db: Db) {
  const [row] = await db.query<{ n: number }>('select count(*)::int as n from datasets')
  return row!.n
}

test('ckanapi dump from one site and load into another carries every dataset across; loading again updates in place', async (t) => {
  const source = await site()
  const target = await site()
  t.after(async () => {
    await source.close()
    await target.close()
  })
  assert.equal((await call(source.app, 'package_create', VANILLA, source.finance)).status, 200)
  assert.equal((await call(source.app, 'package_create', { name: 'hospitals', title: 'Hospitals', owner_org: 'ministry-of-health', tag_string: 'health' }, source.health)).status, 200)

  const dumped = await dump(source.app)
  assert.deepEqual(dumped.map((d) => d.name), ['hospitals', 'regional-budgets'])
  // An administrator's token would load both; each body's editor loads its own.
  assert.deepEqual(await load(target.app, target.finance, dumped.filter((d) => d.owner_org === 'ministry-of-finance')), ['create regional-budgets'])
  assert.deepEqual(await load(target.app, target.health, dumped.filter((d) => d.owner_org === 'ministry-of-health')), ['create hospitals'])
  const carried = await dump(target.app)
  assert.deepEqual(carried.map(kept), dumped.map(kept))

  assert.deepEqual(await load(target.app, target.finance, dumped.filter((d) => d.owner_org === 'ministry-of-finance')), ['update regional-budgets'])
  assert.equal(await datasetCount(target.db), 2)
  assert.deepEqual((await dump(target.app)).map(kept), dumped.map(kept))
})

// ckan/logic/auth/get.py (package_show: a private dataset is its organisation's members' only) and
// ckan/logic/action/get.py (package_search's include_private, package_list without private datasets).
test('a private dataset is its body\'s editors\' only: left out of every public list, search, feed and page until made public', async (t) => {
  const { app, db, finance, health, close } = await site()
  t.after(close)
  const created = await call(app, 'package_create', {
    name: 'draft-budget', title: 'Draft budget', owner_org: 'ministry-of-finance', private: true, tag_string: 'secret-tag',
    resources: [{ url: 'https://minfin.gov.kz/draft.csv' }],
  }, finance)
  assert.equal(created.status, 200, JSON.stringify(created.body.error))
  assert.equal(created.body.result.private, true)
  const resourceId = created.body.result.resources[0].id

  assert.equal((await call(app, 'package_show', { id: 'draft-budget' }, finance)).body.result.private, true, 'its editors see it')
  assert.equal((await call(app, 'package_show', { id: 'draft-budget' })).status, 404)
  assert.equal((await call(app, 'package_show', { id: 'draft-budget' }, health)).status, 404, 'another body\'s editor does not')
  assert.equal((await call(app, 'resource_show', { id: resourceId })).status, 404)
  assert.equal((await call(app, 'resource_show', { id: resourceId }, finance)).status, 200)
  assert.deepEqual((await call(app, 'package_list', {})).body.result, [])
  assert.equal((await call(app, 'package_search', { q: 'draft' })).body.result.count, 0)
  assert.equal((await call(app, 'package_search', { q: 'draft', include_private: true })).body.result.count, 0, 'include_private shows nothing to the public')
  assert.equal((await call(app, 'package_search', { q: 'draft', include_private: true }, health)).body.result.count, 0)
  assert.equal((await call(app, 'package_search', { q: 'draft', include_private: true }, finance)).body.result.count, 1, 'but its own to an editor')
  assert.deepEqual((await call(app, 'tag_list', {})).body.result, [])
  assert.equal((await call(app, 'organization_show', { id: 'ministry-of-finance' })).body.result.package_count, 0)
  assert.doesNotMatch((await app.inject({ url: '/catalog.ttl' })).body, /draft-budget/)
  assert.doesNotMatch((await app.inject({ url: '/en/data' })).body, /Draft budget/)
  assert.equal((await app.inject({ url: '/en/data/datasets/draft-budget' })).statusCode, 404)
  assert.equal((await app.inject({ url: `/data/resources/${resourceId}/download` })).statusCode, 404)
  const editorPage = await (await signedInBrowser(app, db, 'agency-editor', 'ministry-of-finance')).get('/en/data/datasets/draft-budget')
  assert.equal(editorPage.statusCode, 200)
  assert.match(editorPage.body, /Only the body(&#39;|')s editors and heads see this dataset/)
  const otherPage = await (await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health')).get('/en/data/datasets/draft-budget')
  assert.equal(otherPage.statusCode, 404)

  const published = await call(app, 'package_patch', { id: 'draft-budget', private: false }, finance)
  assert.equal(published.body.result.private, false)
  assert.deepEqual((await call(app, 'package_list', {})).body.result, ['draft-budget'])
  assert.equal((await app.inject({ url: '/en/data/datasets/draft-budget' })).statusCode, 200)
})
