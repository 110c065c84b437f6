import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { createTestApp } from '../../../helpers/app.ts'
import { editorToken, makeUser } from '../../../helpers/users.ts'
import { createApiToken } from '../../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../../src/platform/audit/index.ts'
import { makeAgency, makeRegion } from '../../../helpers/factories.ts'
import { historyOf } from '../../../../src/platform/audit/index.ts'
import type { Db } from '../../../../src/platform/db/index.ts'

async function setup() {
  const testApp = await createTestApp(async (db) => {
    await makeRegion(db, { code: 'astana', kind: 'city', name: { kk: 'Астана', ru: 'Астана', en: 'Astana' } })
    await makeAgency(db, { slug: 'ministry-of-finance', name: { kk: 'Қаржы министрлігі', ru: 'Министерство финансов', en: 'Ministry of Finance' } })
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
  })
  return { ...testApp, finance: await editorToken(testApp.db, 'ministry-of-finance'), health: await editorToken(testApp.db, 'ministry-of-health') }
}

function post(app: FastifyInstance, name: string, token: string | null, payload: object, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST', url: `/api/3/action/${name}`, payload,
    headers: { ...(token ? { authorization: token } : {}), ...headers },
  })
}

async function counts(db: Db) {
  const [row] = await db.query<{ datasets: number; resources: number; audit: number }>(
    `select (select count(*)::int from datasets) as datasets, (select count(*)::int from data_resources) as resources,
            (select count(*)::int from audit_log) as audit`,
  )
  return row
}

// CKAN's example: package_create with a name, a title, an organization, tags and a resource.
const EXAMPLE = {
  name: 'regional-budgets-2024',
  title: 'Regional budgets, 2024',
  notes: 'Planned and executed budgets of every region',
  owner_org: 'ministry-of-finance',
  license_id: 'cc-by',
  tags: [{ name: 'budget' }, { name: 'regions' }],
  groups: [{ name: 'econ' }],
  frequency: 'annual',
  region: 'astana',
  maintainer: 'Open data office',
  maintainer_email: 'opendata@minfin.gov.kz',
  resources: [{ url: 'https://minfin.gov.kz/data/budgets-2024.csv', name: 'Budgets, CSV' }],
}

test('an editor publishes a dataset with package_create, signed with the token as CKAN clients send it', async (t) => {
  const { app, db, finance, close } = await setup()
  t.after(close)
  const created = await post(app, 'package_create', finance, EXAMPLE, { 'accept-language': 'en' })
  assert.equal(created.statusCode, 200, created.body)
  const pkg = created.json().result
  assert.equal(pkg.name, 'regional-budgets-2024')
  assert.deepEqual(pkg.title_translated, { en: 'Regional budgets, 2024' }, 'a plain title is in the language of the request')
  assert.equal(pkg.resources[0].format, 'CSV')
  assert.equal(pkg.groups[0].name, 'econ')
  assert.equal(pkg.region, 'astana')
  assert.equal(pkg.maintainer_email, 'opendata@minfin.gov.kz')

  const shown = await app.inject({ url: '/api/3/action/package_show?id=regional-budgets-2024' })
  assert.equal(shown.json().result.id, pkg.id)
  const history = await historyOf(db, 'dataset', pkg.id)
  assert.deepEqual(history.map((h) => h.action).sort(), ['dataset.create', 'resource.create'])
  assert.ok(history.every((h) => h.actor?.role === 'agency-editor'), 'the editor is recorded as the author')

  const withKey = await post(app, 'package_create', null, { ...EXAMPLE, name: 'second', title_translated: { kk: 'Екінші', ru: 'Второй' } }, { 'x-ckan-api-key': finance })
  assert.equal(withKey.statusCode, 200, 'X-CKAN-API-Key works as in CKAN')
  const withBearer = await post(app, 'package_create', null, { ...EXAMPLE, name: 'third' }, { authorization: `Bearer ${finance}` })
  assert.equal(withBearer.statusCode, 200)
})

test('no token, or a token of another body, gets 403 Authorization Error and changes nothing', async (t) => {
  const { app, db, finance, health, close } = await setup()
  t.after(close)
  await post(app, 'package_create', finance, EXAMPLE)
  const before = await counts(db)

  const anonymous = await post(app, 'package_create', null, { ...EXAMPLE, name: 'anonymous' })
  assert.equal(anonymous.statusCode, 403)
  assert.equal(anonymous.json().error.__type, 'Authorization Error')
  const forged = await post(app, 'package_create', 'ashyq_not-a-real-token', { ...EXAMPLE, name: 'forged' })
  assert.equal(forged.statusCode, 403)
  const otherBody = await post(app, 'package_create', health, { ...EXAMPLE, name: 'not-theirs' })
  assert.equal(otherBody.statusCode, 403)
  const otherPatch = await post(app, 'package_patch', health, { id: 'regional-budgets-2024', title: 'Hijacked' })
  assert.equal(otherPatch.statusCode, 403)
  const moveAway = await post(app, 'package_patch', finance, { id: 'regional-budgets-2024', owner_org: 'ministry-of-health' })
  assert.equal(moveAway.statusCode, 403, 'an editor cannot hand a dataset to a body they do not edit')
  const otherDelete = await post(app, 'package_delete', health, { id: 'regional-budgets-2024' })
  assert.equal(otherDelete.statusCode, 403)
  assert.deepEqual(await counts(db), before)
  assert.equal((await app.inject({ url: '/api/3/action/package_show?id=regional-budgets-2024' })).json().result.title, 'Regional budgets, 2024')
})

test('bad input gets 409 Validation Error naming each field by CKAN\'s name, in the request language, and stores nothing', async (t) => {
  const { app, db, finance, close } = await setup()
  t.after(close)
  await post(app, 'package_create', finance, EXAMPLE)
  const before = await counts(db)
  const cases: [object, string, RegExp][] = [
    [{ ...EXAMPLE, name: 'Bad Name!' }, 'name', /строчных латинских букв/],
    [{ ...EXAMPLE }, 'name', /занят другим набором/],
    [{ ...EXAMPLE, name: 'x2', private: 'maybe' }, 'private', /логическ|boolean|true/i],
    [{ ...EXAMPLE, name: 'x2', author_email: 'not an address' }, 'author_email', /адрес/],
    [{ ...EXAMPLE, name: 'x2', url: 'ftp://example.kz/x' }, 'url', /веб-адрес/],
    [{ ...EXAMPLE, name: 'x2', groups: [{ name: 'econ' }, { name: 'no-such-theme' }] }, 'groups', /темы нет/],
    [{ ...EXAMPLE, name: 'x2', extras: [{ key: 'k'.repeat(101), value: 'v' }] }, 'extras.0.key', /100/],
    [{ ...EXAMPLE, name: 'x3', title: 'x'.repeat(301) }, 'title', /300/],
    [{ ...EXAMPLE, name: 'x4', license_id: 'all-rights-reserved' }, 'license_id', /лицензии нет/],
    [{ ...EXAMPLE, name: 'x5', temporal_start: '2024-05-01', temporal_end: '2023-01-01' }, 'temporal_end', /раньше/],
    [{ ...EXAMPLE, name: 'x6', owner_org: 'no-such-body' }, 'owner_org', /органа нет/],
    [{ ...EXAMPLE, name: 'x7', resources: [{ url: 'javascript:alert(1)' }] }, 'url', /веб-адрес/],
    [{ ...EXAMPLE, name: 'x8', tags: [{ name: '<script>' }] }, 'tags', /Ключевое слово/],
    [{ ...EXAMPLE, name: 'x9', frequency: 'hourly' }, 'frequency', /одним из|daily/],
  ]
  for (const [payload, field, message] of cases) {
    const response = await post(app, 'package_create', finance, payload, { 'accept-language': 'ru' })
    assert.equal(response.statusCode, 409, `${field}: ${response.body}`)
    const error = response.json().error
    assert.equal(error.__type, 'Validation Error')
    assert.ok(error[field], `${field} is named in ${JSON.stringify(error)}`)
    assert.match(error[field].join(' '), message)
  }
  assert.deepEqual(await counts(db), before)
})

test('package_update keeps other languages and resources, clears omitted fields; package_patch changes only what it names', async (t) => {
  const { app, db, finance, close } = await setup()
  t.after(close)
  const created = (await post(app, 'package_create', finance, { ...EXAMPLE, title: undefined, title_translated: { kk: 'Өңірлік бюджеттер', ru: 'Региональные бюджеты', en: 'Regional budgets' } })).json().result

  // The round trip CKAN recommends: package_show, change, package_update.
  const shown = (await app.inject({ url: `/api/3/action/package_show?id=${created.id}`, headers: { 'accept-language': 'ru' } })).json().result
  const updated = await post(app, 'package_update', finance, { ...shown, title: 'Региональные бюджеты, 2024', title_translated: undefined }, { 'accept-language': 'ru' })
  assert.equal(updated.statusCode, 200, updated.body)
  assert.deepEqual(updated.json().result.title_translated, { kk: 'Өңірлік бюджеттер', ru: 'Региональные бюджеты, 2024', en: 'Regional budgets' })
  assert.equal(updated.json().result.resources.length, 1)
  assert.equal(updated.json().result.resources[0].id, created.resources[0].id)

  const minimal = await post(app, 'package_update', finance, { id: created.id, title: 'Regional budgets', owner_org: 'ministry-of-finance' }, { 'accept-language': 'en' })
  const cleared = minimal.json().result
  assert.deepEqual(cleared.tags, [], 'what package_update leaves out is cleared, as in CKAN')
  assert.equal(cleared.license_id, 'notspecified')
  assert.equal(cleared.resources.length, 1, 'resources stay when the update does not list them')

  const patched = await post(app, 'package_patch', finance, { id: 'regional-budgets-2024', tags: [{ name: 'budget' }], notes: 'Updated notes' }, { 'accept-language': 'en' })
  assert.equal(patched.statusCode, 200)
  assert.deepEqual(patched.json().result.tags.map((tag: { name: string }) => tag.name), ['budget'])
  assert.equal(patched.json().result.title, 'Regional budgets')

  const resources = await post(app, 'package_patch', finance, { id: created.id, resources: [{ url: 'https://minfin.gov.kz/data/budgets-2024.json' }] })
  assert.deepEqual(resources.json().result.resources.map((r: { format: string }) => r.format), ['JSON'], 'a listed set of resources replaces the old one')

  const history = await historyOf(db, 'dataset', created.id)
  assert.ok(history.filter((h) => h.action === 'dataset.update').length >= 3)
  assert.ok(history.some((h) => h.action === 'resource.delete'))
})

test('package_delete withdraws a dataset: gone from the API, kept in the database with its history', async (t) => {
  const { app, db, finance, close } = await setup()
  t.after(close)
  const created = (await post(app, 'package_create', finance, EXAMPLE)).json().result
  const deleted = await post(app, 'package_delete', finance, { id: 'regional-budgets-2024' })
  assert.equal(deleted.statusCode, 200)
  assert.equal(deleted.json().result, null)
  assert.equal((await app.inject({ url: '/api/3/action/package_show?id=regional-budgets-2024' })).statusCode, 404)
  assert.deepEqual((await app.inject({ url: '/api/3/action/package_list' })).json().result, [])
  const [row] = await db.query<{ state: string }>('select state from datasets where id = $1', [created.id])
  assert.equal(row?.state, 'deleted')
  assert.ok((await historyOf(db, 'dataset', created.id)).some((h) => h.action === 'dataset.delete'))
})

test('resource_create takes an uploaded file (multipart), keeps its size and checksum; resource_update replaces it; resource_delete takes it off', async (t) => {
  const { app, db, finance, health, close } = await setup()
  t.after(close)
  const pkg = (await post(app, 'package_create', finance, { ...EXAMPLE, resources: [] })).json().result
  const csv = 'region,budget\nAstana,1000\nAlmaty,2000\n'
  const form = new FormData()
  form.append('package_id', pkg.id)
  form.append('name', 'Budgets by region')
  form.append('upload', new Blob([csv], { type: 'text/csv' }), 'budgets.csv')
  const uploaded = await app.inject({ method: 'POST', url: '/api/3/action/resource_create', payload: form, headers: { authorization: finance } })
  assert.equal(uploaded.statusCode, 200, uploaded.body)
  const resource = uploaded.json().result
  assert.equal(resource.url_type, 'upload')
  assert.equal(resource.format, 'CSV')
  assert.equal(resource.size, Buffer.byteLength(csv))
  assert.equal(resource.hash, `sha256:${createHash('sha256').update(csv).digest('hex')}`)
  assert.equal(resource.mimetype, 'text/csv')
  assert.ok(resource.last_modified)
  assert.match(resource.url, new RegExp(`/data/resources/${resource.id}/download$`))

  const refused = new FormData()
  refused.append('id', resource.id)
  refused.append('upload', new Blob(['x']), 'x.csv')
  const otherBody = await app.inject({ method: 'POST', url: '/api/3/action/resource_update', payload: refused, headers: { authorization: health } })
  assert.equal(otherBody.statusCode, 403)

  const replacement = new FormData()
  replacement.append('id', resource.id)
  replacement.append('upload', new Blob(['region,budget\nShymkent,300\n'], { type: 'text/csv' }), 'budgets-v2.csv')
  const replaced = await app.inject({ method: 'POST', url: '/api/3/action/resource_update', payload: replacement, headers: { authorization: finance } })
  assert.equal(replaced.statusCode, 200, replaced.body)
  assert.notEqual(replaced.json().result.hash, resource.hash)
  assert.equal(replaced.json().result.name, 'Budgets by region', 'what resource_update does not mention stays')

  // Neither file nor link (CKAN's resource_create without url): a table the datastore fills.
  const bare = await post(app, 'resource_create', finance, { package_id: pkg.id, name: 'Filled later' })
  assert.equal(bare.statusCode, 200, bare.body)
  assert.equal(bare.json().result.url_type, 'datastore')
  const filled = await post(app, 'datastore_create', finance, { resource_id: bare.json().result.id, fields: [{ id: 'region' }], records: [{ region: 'Astana' }] })
  assert.equal(filled.statusCode, 200, filled.body)
  assert.equal((await app.inject({ url: `/api/3/action/datastore_search?resource_id=${bare.json().result.id}` })).json().result.total, 1)

  const removed = await post(app, 'resource_delete', finance, { id: resource.id })
  assert.equal(removed.statusCode, 200)
  assert.equal((await app.inject({ url: `/api/3/action/resource_show?id=${resource.id}` })).statusCode, 404)
  const actions = (await historyOf(db, 'dataset', pkg.id)).map((h) => h.action)
  assert.deepEqual(actions.filter((a) => a.startsWith('resource.')), ['resource.delete', 'resource.create', 'resource.update', 'resource.create'])
})

test('an update that changes nothing writes nothing to the history', async (t) => {
  const { app, db, finance, close } = await setup()
  t.after(close)
  const created = (await post(app, 'package_create', finance, { ...EXAMPLE, title: undefined, title_translated: { en: 'Budgets', kk: 'Бюджеттер', ru: 'Бюджеты' } })).json().result
  const before = (await historyOf(db, 'dataset', created.id)).length
  const shown = (await app.inject({ url: `/api/3/action/package_show?id=${created.id}` })).json().result
  assert.equal((await post(app, 'package_update', finance, shown)).statusCode, 200)
  assert.equal((await post(app, 'package_patch', finance, { id: created.id, title_translated: { ru: 'Бюджеты', en: 'Budgets', kk: 'Бюджеттер' } })).statusCode, 200)
  assert.equal((await historyOf(db, 'dataset', created.id)).length, before)
})

test('keywords and the contact keep their languages: tags from a client that knows none stay where they were, new ones go to the request\'s language', async (t) => {
  const { app, finance, close } = await setup()
  t.after(close)
  const created = await post(app, 'package_create', finance, {
    ...EXAMPLE, tags: undefined, maintainer: undefined,
    keywords: { kk: ['бюджет', 'өңірлер'], ru: ['бюджет', 'регионы'], en: ['budget', 'regions'] },
    maintainer_translated: { kk: 'Ашық деректер бөлімі', en: 'Open data office' },
  }, { 'accept-language': 'ru' })
  assert.equal(created.statusCode, 200, created.body)
  const pkg = created.json().result
  assert.deepEqual(pkg.tags.map((tag: { name: string }) => tag.name), ['бюджет', 'өңірлер', 'регионы', 'budget', 'regions'], 'tags are every keyword once')
  assert.equal(pkg.num_tags, 5)
  assert.equal(pkg.maintainer, 'Ашық деректер бөлімі', 'no Russian name: the Kazakh one')

  // A client that knows only tags takes "regions" away in every language and adds "налоги" in the request's.
  const tags = ['бюджет', 'өңірлер', 'регионы', 'budget', 'налоги'].map((name) => ({ name }))
  const patched = await post(app, 'package_patch', finance, { id: pkg.id, tags, maintainer: 'Отдел открытых данных' }, { 'accept-language': 'ru' })
  assert.equal(patched.statusCode, 200, patched.body)
  const after = patched.json().result
  assert.deepEqual(after.keywords, { kk: ['бюджет', 'өңірлер'], ru: ['бюджет', 'регионы', 'налоги'], en: ['budget'] })
  assert.deepEqual(after.maintainer_translated, { kk: 'Ашық деректер бөлімі', ru: 'Отдел открытых данных', en: 'Open data office' })

  // package_update sending back what package_show gave (ckanapi load) changes nothing.
  const reloaded = await post(app, 'package_update', finance, after, { 'accept-language': 'en' })
  assert.equal(reloaded.statusCode, 200, reloaded.body)
  assert.deepEqual(reloaded.json().result.keywords, after.keywords)
  assert.deepEqual(reloaded.json().result.maintainer_translated, after.maintainer_translated)

  const cleared = await post(app, 'package_patch', finance, { id: pkg.id, maintainer: null }, { 'accept-language': 'en' })
  assert.deepEqual([cleared.json().result.maintainer, cleared.json().result.maintainer_translated], [null, {}])
})

test('organizations and groups as ckanapi loads them: bodies are created, renamed and (when nothing names them) deleted by administrators; groups are the EU themes', async (t) => {
  const { app, db, finance, close } = await setup()
  t.after(close)
  const admin = (await createApiToken(db, SYSTEM_ACTOR, (await makeUser(db, 'admin')).id, 'test')).token

  // ckanapi load organizations: organization_show, then organization_create or organization_update.
  const missing = await app.inject({ url: '/api/3/action/organization_show?id=committee-of-statistics' })
  assert.equal(missing.statusCode, 404)
  const org = { name: 'committee-of-statistics', title: 'Committee of Statistics', title_translated: { ru: 'Комитет по статистике', kk: 'Статистика комитеті' }, description: 'ignored', image_url: '', users: [] }
  assert.equal((await post(app, 'organization_create', finance, org)).statusCode, 403, 'an editor adds no body')
  const created = await post(app, 'organization_create', admin, org)
  assert.equal(created.statusCode, 200, created.body)
  assert.equal(created.json().result.name, 'committee-of-statistics')
  assert.equal(created.json().result.title_translated.ru, 'Комитет по статистике')
  assert.equal(created.json().result.kind, 'central', 'a body is central unless told')
  const local = await post(app, 'organization_create', admin, { ...created.json().result, name: 'akimat-of-astana', id: 'akimat-of-astana', kind: 'local' })
  assert.equal(local.json().result.kind, 'local', 'a dumped dict loads back with its kind')
  assert.equal((await post(app, 'organization_create', admin, org)).statusCode, 409, 'the same address twice')
  const renamed = await post(app, 'organization_patch', admin, { id: 'committee-of-statistics', title_translated: { en: 'Bureau of National Statistics' } })
  assert.equal(renamed.statusCode, 200, renamed.body)
  assert.equal((await app.inject({ url: '/api/3/action/organization_show?id=committee-of-statistics', headers: { 'accept-language': 'en' } })).json().result.title, 'Bureau of National Statistics')
  assert.equal((await post(app, 'organization_update', finance, { id: 'committee-of-statistics', title: 'Taken over' })).statusCode, 403, 'another body\'s editor')
  const own = await post(app, 'organization_update', finance, { id: 'ministry-of-finance', title: 'Ministry of Finance of the Republic', title_translated: undefined }, { 'accept-language': 'en' })
  assert.equal(own.statusCode, 200, own.body)
  assert.equal((await post(app, 'organization_update', admin, { id: 'ministry-of-finance', name: 'finance' })).statusCode, 409, 'a body keeps its address')

  // Deleted only while nothing names it: the ministry has a dataset.
  assert.equal((await post(app, 'package_create', finance, { ...EXAMPLE, resources: [] })).statusCode, 200)
  assert.equal((await post(app, 'organization_delete', finance, { id: 'committee-of-statistics' })).statusCode, 403)
  const kept = await post(app, 'organization_delete', admin, { id: 'ministry-of-finance' }, { 'accept-language': 'ru' })
  assert.equal(kept.statusCode, 409, kept.body)
  assert.match(kept.body, /Орган не удаляется/)
  assert.equal((await app.inject({ url: '/api/3/action/organization_show?id=ministry-of-finance' })).statusCode, 200)
  assert.equal((await post(app, 'organization_delete', admin, { id: 'committee-of-statistics' })).statusCode, 200)
  assert.equal((await app.inject({ url: '/api/3/action/organization_show?id=committee-of-statistics' })).statusCode, 404)
  assert.ok((await historyOf(db, 'agency', 'committee-of-statistics')).some((h) => h.action === 'agency.delete'))

  // ckanapi load groups: a theme found is updated; another name cannot be made.
  const theme = (await app.inject({ url: '/api/3/action/group_show?id=econ' })).json().result
  const updated = await post(app, 'group_update', admin, { ...theme, title_translated: { ...theme.title_translated, en: 'Economy and finance' } })
  assert.equal(updated.statusCode, 200, updated.body)
  assert.equal(updated.json().result.title_translated.en, 'Economy and finance')
  assert.equal((await post(app, 'group_patch', finance, { id: 'econ', title: 'Money' })).statusCode, 403)
  const other = await post(app, 'group_create', admin, { name: 'economy', title: 'Economy' })
  assert.equal(other.statusCode, 409)
  assert.match(other.body, /agri/, 'the refusal lists the themes')
  assert.equal((await post(app, 'group_delete', admin, { id: 'econ' })).statusCode, 409)
})

test('link resources keep size, hash and resource_type; package_update numbers resources from 0 in its order; return_id_only', async (t) => {
  const { app, finance, close } = await setup()
  t.after(close)
  const created = await post(app, 'package_create', finance, {
    ...EXAMPLE, return_id_only: 'true',
    resources: [
      { url: 'https://minfin.gov.kz/a.csv', name: 'A', size: 2048, hash: 'd41d8cd98f00b204e9800998ecf8427e', resource_type: 'file' },
      { url: 'https://minfin.gov.kz/b.csv', name: 'B' },
      { url: 'https://minfin.gov.kz/c.csv', name: 'C' },
    ],
  })
  assert.equal(created.statusCode, 200, created.body)
  const id = created.json().result
  assert.equal(typeof id, 'string', 'only the id')
  const shown = (await app.inject({ url: `/api/3/action/package_show?id=${id}` })).json().result
  const [a, b, c] = shown.resources
  assert.deepEqual([a.size, a.hash, a.resource_type], [2048, 'd41d8cd98f00b204e9800998ecf8427e', 'file'])
  assert.deepEqual([b.size, b.hash, b.resource_type], [null, '', null])
  const badSize = await post(app, 'resource_patch', finance, { id: b.id, size: -1 })
  assert.equal(badSize.statusCode, 409)

  // B taken off, C before A: 0 and 1, as CKAN leaves them.
  const reordered = await post(app, 'package_update', finance, { ...shown, resources: [c, a] })
  assert.equal(reordered.statusCode, 200, reordered.body)
  assert.deepEqual(reordered.json().result.resources.map((r: { name: string; position: number }) => [r.name, r.position]), [['C', 0], ['A', 1]])
  assert.equal(reordered.json().result.resources[1].hash, 'd41d8cd98f00b204e9800998ecf8427e', 'sent back as shown, kept')
  const added = await post(app, 'resource_create', finance, { package_id: id, url: 'https://minfin.gov.kz/d.csv', name: 'D' })
  assert.equal(added.json().result.position, 2)
  const patched = await post(app, 'package_patch', finance, { id, notes: 'Changed', return_id_only: true })
  assert.equal(patched.json().result, id)
})
