import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { searchAll, type SearchProvider } from '../../../src/platform/search/index.ts'

let t: TestApp
before(async () => {
  t = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    for (let i = 1; i <= 7; i += 1) await makeAgency(db, { slug: `akimat-${i}`, kind: 'local', name: { kk: `Әкімдік ${i}`, ru: `Акимат ${i}`, en: `Akimat ${i}` } })
  })
})
after(() => t.close())

test('the header has a search box on every page, which keeps the query', async () => {
  const home = (await t.app.inject({ url: '/kk/' })).body
  assert.match(home, /<form class="ashyq-header__search" method="get" action="\/kk\/search" role="search"/)
  assert.match(home, /<label class="govuk-visually-hidden" for="site-search">Портал бойынша іздеу<\/label>/)
  const results = (await t.app.inject({ url: `/ru/search?q=${encodeURIComponent('здравоохранение')}` })).body
  assert.match(results, /id="site-search" name="q" type="search" spellcheck="false" value="здравоохранение"/)
})

test('the search page finds state bodies by name, typos tolerated, and links to them', async () => {
  const response = await t.app.inject({ url: `/ru/search?q=${encodeURIComponent('министерство здравохранения')}` })
  assert.equal(response.statusCode, 200)
  assert.match(response.body, /Результаты по запросу «министерство здравохранения»/)
  assert.match(response.body, /Государственные органы <span class="ashyq-secondary">\(1\)<\/span>/)
  assert.match(response.body, /href="\/ru\/agencies\/ministry-of-health">Министерство здравоохранения</)
  const none = await t.app.inject({ url: '/en/search?q=qqqzzzxxx' })
  assert.match(none.body, /Nothing found/)
})

test('a group shows the first five and links to all results in its portal', async () => {
  const body = (await t.app.inject({ url: '/en/search?q=akimat' })).body
  assert.equal((body.match(/class="ashyq-results__item"/g) ?? []).length, 5)
  assert.match(body, /href="\/en\/agencies\?q=akimat">All 7 results/)
})

test('GET /api/search returns the groups as JSON', async () => {
  const body = (await t.app.inject({ url: '/api/search?q=health', headers: { 'accept-language': 'en' } })).json()
  assert.equal(body.q, 'health')
  assert.equal(body.groups.length, 1)
  assert.equal(body.groups[0].provider, 'agencies')
  assert.deepEqual(body.groups[0].hits[0], { title: 'Ministry of Health', path: '/agencies/ministry-of-health', href: '/en/agencies/ministry-of-health', summary: '' })
  const bad = await t.app.inject({ url: `/api/search?q=${'x'.repeat(201)}` })
  assert.equal(bad.statusCode, 400)
})

test('every registered provider is asked, in order, and empty groups are left out', async () => {
  const budgets: SearchProvider = {
    id: 'budgets',
    morePath: (q) => `/budgets?q=${q}`,
    async search(_db, q) {
      return q.includes('health') ? { total: 1, hits: [{ title: 'Health budget 2026', path: '/budgets/health-2026', summary: '' }] } : { total: 0, hits: [] }
    },
  }
  const { agencySearch } = await import('../../../src/modules/agencies/search.ts')
  const t2 = (key: string) => key
  const groups = await searchAll(t.db, [agencySearch, budgets], 'health', 'en', t2)
  assert.deepEqual(groups.map((g) => [g.provider, g.title, g.total]), [['agencies', 'agencies.search.title', 1], ['budgets', 'budgets.search.title', 1]])
  assert.equal(groups[1]?.hits[0]?.href, '/en/budgets/health-2026')
  const onlyBodies = await searchAll(t.db, [agencySearch, budgets], 'akimat', 'en', t2)
  assert.deepEqual(onlyBodies.map((g) => g.provider), ['agencies'])
  assert.deepEqual(await searchAll(t.db, [agencySearch, budgets], '   ', 'en', t2), [])
})
