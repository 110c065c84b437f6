import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { createTestApp } from '../../../helpers/app.ts'
import { makeAgency, makeDataset, makeRegion } from '../../../helpers/factories.ts'

// The examples of CKAN 2.10's API guide (docs.ckan.org/en/2.10/api), against this portal.

async function action(app: FastifyInstance, name: string, query = '') {
  const response = await app.inject({ url: `/api/3/action/${name}${query ? `?${query}` : ''}` })
  return { status: response.statusCode, body: response.json() as { help: string; success: boolean; result: any; error: any } }
}

async function catalog() {
  return createTestApp(async (db) => {
    await makeRegion(db, { code: 'almaty-city', kind: 'city', name: { kk: 'Алматы', ru: 'Алматы', en: 'Almaty' } })
    await makeAgency(db, { slug: 'ministry-of-finance', name: { kk: 'Қаржы министрлігі', ru: 'Министерство финансов', en: 'Ministry of Finance' } })
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    await makeDataset(db, 'ministry-of-finance', {
      name: 'budget-execution',
      title: { kk: 'Республикалық бюджеттің атқарылуы', ru: 'Исполнение республиканского бюджета', en: 'Execution of the republican budget' },
      description: { ru: 'Ежемесячные данные о расходах по программам', en: 'Monthly spending by programme' },
      keywords: { en: ['economy'], ru: ['бюджет'] }, themeCode: 'econ', frequency: 'monthly', regionCode: 'almaty-city',
    }, { url: 'https://data.example.kz/budget.csv', name: { en: 'Budget, CSV' } })
    await makeDataset(db, 'ministry-of-finance', {
      name: 'state-debt', title: { ru: 'Государственный долг', en: 'State debt' }, keywords: { en: ['economy'] }, themeCode: 'econ', licenceId: 'cc-zero',
    }, { url: 'https://data.example.kz/debt.xlsx' })
    await makeDataset(db, 'ministry-of-health', {
      name: 'hospitals', title: { kk: 'Ауруханалар тізімі', ru: 'Список больниц', en: 'List of hospitals' }, keywords: { en: ['health'] }, themeCode: 'heal',
    }, { url: 'https://data.example.kz/hospitals.json' })
  })
}

test('package_list, package_show, tag_list, group_list and organization_list answer as CKAN does', async (t) => {
  const { app, close } = await catalog()
  t.after(close)

  const list = await action(app, 'package_list')
  assert.equal(list.status, 200)
  assert.equal(list.body.success, true)
  assert.match(list.body.help, /\/api\/3\/action\/help_show\?name=package_list$/)
  assert.deepEqual(list.body.result, ['budget-execution', 'hospitals', 'state-debt'])
  assert.deepEqual((await action(app, 'package_list', 'limit=1&offset=1')).body.result, ['hospitals'])

  const shown = await action(app, 'package_show', 'id=budget-execution')
  const pkg = shown.body.result
  assert.equal(pkg.name, 'budget-execution')
  assert.equal(pkg.type, 'dataset')
  assert.equal(pkg.owner_org, 'ministry-of-finance')
  assert.equal(pkg.organization.name, 'ministry-of-finance')
  assert.equal(pkg.license_id, 'cc-by')
  assert.equal(pkg.isopen, true)
  assert.equal(pkg.num_resources, 1)
  assert.equal(pkg.num_tags, 2)
  assert.deepEqual(pkg.tags.map((tag: { name: string }) => tag.name).sort(), ['economy', 'бюджет'])
  assert.deepEqual(pkg.groups.map((g: { name: string }) => g.name), ['econ'])
  assert.match(pkg.metadata_modified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/, 'CKAN writes naive UTC with microseconds')
  assert.deepEqual(pkg.title_translated, { kk: 'Республикалық бюджеттің атқарылуы', ru: 'Исполнение республиканского бюджета', en: 'Execution of the republican budget' })
  const [resource] = pkg.resources
  assert.equal(resource.format, 'CSV')
  assert.equal(resource.url, 'https://data.example.kz/budget.csv')
  assert.equal(resource.package_id, pkg.id)
  assert.equal((await action(app, 'package_show', `id=${pkg.id}`)).body.result.name, 'budget-execution', 'found by id as well as by name')

  const byResource = await action(app, 'resource_show', `id=${resource.id}`)
  assert.equal(byResource.body.result.url, resource.url)

  assert.deepEqual((await action(app, 'tag_list')).body.result, ['economy', 'health', 'бюджет'])
  assert.deepEqual((await action(app, 'tag_list', 'query=eco')).body.result, ['economy'])
  const groups = await action(app, 'group_list', 'all_fields=true')
  assert.equal(groups.body.result.find((g: { name: string }) => g.name === 'econ').package_count, 2)
  assert.ok((await action(app, 'group_list')).body.result.includes('heal'))

  assert.deepEqual((await action(app, 'organization_list')).body.result, ['ministry-of-finance', 'ministry-of-health'])
  const orgs = await action(app, 'organization_list', 'all_fields=true&sort=package_count%20desc')
  assert.equal(orgs.body.result[0].name, 'ministry-of-finance')
  assert.equal(orgs.body.result[0].package_count, 2)
  assert.equal(orgs.body.result[0].is_organization, true)
  const org = await action(app, 'organization_show', 'id=ministry-of-health&include_datasets=true')
  assert.deepEqual(org.body.result.packages.map((p: { name: string }) => p.name), ['hospitals'])

  const status = await action(app, 'status_show')
  assert.match(status.body.result.ckan_version, /^2\.10\./)
  assert.ok((await action(app, 'license_list')).body.result.some((l: { id: string }) => l.id === 'cc-by'))
})

test('package_search takes q, fq, facet.field, rows, start and sort as CKAN does', async (t) => {
  const { app, close } = await catalog()
  t.after(close)

  const all = await action(app, 'package_search', 'q=*:*&rows=2&facet.field=["organization","groups","res_format","tags","license_id"]')
  assert.equal(all.status, 200)
  assert.equal(all.body.result.count, 3)
  assert.equal(all.body.result.results.length, 2)
  assert.deepEqual(all.body.result.facets.organization, { 'ministry-of-finance': 2, 'ministry-of-health': 1 })
  assert.deepEqual(all.body.result.facets.res_format, { CSV: 1, XLSX: 1, JSON: 1 })
  assert.deepEqual(all.body.result.facets.license_id, { 'cc-by': 2, 'cc-zero': 1 })
  const orgItems = all.body.result.search_facets.organization.items
  assert.deepEqual(orgItems[0], { name: 'ministry-of-finance', display_name: 'Қаржы министрлігі', count: 2 })

  const page2 = await action(app, 'package_search', 'rows=2&start=2&sort=name%20asc')
  assert.deepEqual(page2.body.result.results.map((p: { name: string }) => p.name), ['state-debt'])
  assert.equal(page2.body.result.count, 3)

  const economy = await action(app, 'package_search', 'fq=tags:economy')
  assert.deepEqual(economy.body.result.results.map((p: { name: string }) => p.name).sort(), ['budget-execution', 'state-debt'])
  const combined = await action(app, 'package_search', `fq=${encodeURIComponent('organization:ministry-of-finance res_format:"XLSX"')}`)
  assert.deepEqual(combined.body.result.results.map((p: { name: string }) => p.name), ['state-debt'])
  const inQ = await action(app, 'package_search', `q=${encodeURIComponent('groups:heal')}`)
  assert.deepEqual(inQ.body.result.results.map((p: { name: string }) => p.name), ['hospitals'])
  const harvester = await action(app, 'package_search', `fq=${encodeURIComponent('+dataset_type:dataset')}&rows=1000`)
  assert.equal(harvester.body.result.count, 3, 'the filter harvesters send matches every dataset')

  const byPost = await app.inject({ method: 'POST', url: '/api/3/action/package_search', payload: { q: 'hospitals', rows: 5 } })
  assert.equal(byPost.statusCode, 200, 'reads may be POSTed without a token, as in CKAN')
  assert.deepEqual(byPost.json().result.results.map((p: { name: string }) => p.name), ['hospitals'])

  const newest = await action(app, 'package_search', 'sort=metadata_modified%20desc')
  assert.equal(newest.body.result.results[0].name, 'hospitals')
})

test('errors come as CKAN returns them: 404 Not Found Error, 409 Validation Error, 400 Search Query Error, 400 for an unknown action', async (t) => {
  const { app, close } = await catalog()
  t.after(close)
  const missing = await app.inject({ url: '/api/3/action/package_show?id=no-such-dataset', headers: { 'accept-language': 'en' } })
  assert.equal(missing.statusCode, 404)
  assert.deepEqual(missing.json().success, false)
  assert.equal(missing.json().error.__type, 'Not Found Error')
  assert.match(missing.json().error.message, /no-such-dataset/)

  // ckan/views/api.py: a SearchQueryError is 400 "Search Query Error".
  const badField = await app.inject({ url: '/api/3/action/package_search?fq=colour:red', headers: { 'accept-language': 'ru' } })
  assert.equal(badField.statusCode, 400)
  assert.equal(badField.json().error.__type, 'Search Query Error')
  assert.match(badField.json().error.message, /fq: неизвестное поле «colour»/)

  const badRows = await app.inject({ url: '/api/3/action/package_search?rows=lots', headers: { 'accept-language': 'en' } })
  assert.equal(badRows.statusCode, 409)
  assert.ok(badRows.json().error.rows, 'the failing parameter is named')
  // ckan/logic/action/get.py: package_list reads the keys it knows and ignores the rest.
  const unknownParam = await app.inject({ url: '/api/3/action/package_list?colour=red' })
  assert.equal(unknownParam.statusCode, 200)
  const badSort = await action(app, 'package_search', 'sort=colour%20asc')
  assert.equal(badSort.status, 400)
  assert.equal(badSort.body.error.__type, 'Search Query Error')
  const badFacets = await action(app, 'package_search', 'facet.field=["colour"]')
  assert.equal(badFacets.status, 409)

  const unknown = await action(app, 'no_such_action')
  assert.equal(unknown.status, 400)
  assert.equal(unknown.body.success, false)
  assert.match(unknown.body.error.message, /no_such_action/)

  const help = await app.inject({ url: '/api/3/action/help_show?name=package_search' })
  assert.match(help.json().result, /Search datasets/, 'the help link of every answer leads somewhere')
  const legacyPrefix = await app.inject({ url: '/api/action/package_list' })
  assert.equal(legacyPrefix.statusCode, 200, '/api/action/ works as in CKAN')
})
