import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb } from '../../../helpers/db.ts'
import { makeAgency, makeDataset, makeRegion } from '../../../helpers/factories.ts'
import { catalogCaches, searchCatalog } from '../../../../src/modules/data/catalog/search.ts'
import { countDemand } from '../../../../src/modules/data/demand/service.ts'
import type { Db } from '../../../../src/platform/db/index.ts'

async function catalog(t: { after: (fn: () => Promise<void>) => void }): Promise<Db> {
  const db = await createTestDb()
  t.after(() => db.close())
  await makeRegion(db, { code: 'almaty', kind: 'city', name: { kk: 'Алматы', ru: 'Алматы', en: 'Almaty' } })
  await makeAgency(db, { slug: 'finance' })
  await makeAgency(db, { slug: 'health' })
  await makeDataset(db, 'finance', {
    name: 'budget', themeCode: 'econ', keywords: { en: ['finance'] }, frequency: 'monthly',
    title: { kk: 'Республикалық бюджеттің атқарылуы', ru: 'Исполнение республиканского бюджета', en: 'Execution of the republican budget' },
    description: { ru: 'Расходы по бюджетным программам', en: 'Spending by budget programme' },
  })
  await makeDataset(db, 'health', {
    name: 'hospitals', themeCode: 'heal', keywords: { en: ['health'] }, regionCode: 'almaty',
    title: { kk: 'Ауруханалар тізімі', ru: 'Список больниц', en: 'List of hospitals' },
  }, { url: 'https://example.kz/hospitals.json' })
  await makeDataset(db, 'health', {
    name: 'population', themeCode: 'soci', keywords: { en: ['demography'] }, licenceId: 'cc-zero',
    title: { kk: 'Халық саны', ru: 'Численность населения', en: 'Population' },
  })
  return db
}

const names = async (db: Db, q: string) => (await searchCatalog(db, { q })).datasets.map((d) => d.name)

test('full-text search finds Russian word forms, English stems, Kazakh words, partial words and typos', async (t) => {
  const db = await catalog(t)
  assert.deepEqual(await names(db, 'бюджетов'), ['budget'], 'Russian stemming: бюджетов → бюджет')
  assert.deepEqual(await names(db, 'больница'), ['hospitals'], 'Russian stemming: больница ~ больниц')
  assert.deepEqual(await names(db, 'hospital'), ['hospitals'], 'English stemming')
  assert.deepEqual(await names(db, 'ауруханалар'), ['hospitals'], 'Kazakh')
  assert.deepEqual(await names(db, 'халық'), ['population'])
  assert.deepEqual(await names(db, 'насел'), ['population'], 'a partial word')
  assert.deepEqual(await names(db, 'популяция'), [], 'no false friends')
  assert.deepEqual(await names(db, 'численость'), ['population'], 'a typo (one letter missing)')
  assert.deepEqual(await names(db, 'populaton'), ['population'], 'a typo in English')
  assert.deepEqual(await names(db, 'программам'), ['budget'], 'descriptions are searched too')
  assert.deepEqual(await names(db, 'Halyq sany'), ['population'], 'Kazakh typed in Latin letters')
})

test('facets count what matched; filters narrow by publisher, theme, format, licence, region, frequency and keyword', async (t) => {
  const db = await catalog(t)
  const all = await searchCatalog(db, {})
  assert.equal(all.total, 3)
  assert.deepEqual(all.facets.publisher?.map((f) => [f.value, f.count]), [['health', 2], ['finance', 1]])
  assert.deepEqual(all.facets.format?.map((f) => [f.value, f.count]), [['CSV', 2], ['JSON', 1]])
  assert.deepEqual(all.facets.licence?.map((f) => [f.value, f.count]), [['cc-by', 2], ['cc-zero', 1]])
  assert.equal(all.facets.theme?.find((f) => f.value === 'heal')?.name?.en, 'Health')

  const health = await searchCatalog(db, { filters: { publisher: ['health'] } })
  assert.equal(health.total, 2)
  assert.deepEqual(health.facets.publisher?.map((f) => f.value), ['health'], 'counts follow the filters')
  const cases: [Parameters<typeof searchCatalog>[1]['filters'], string[]][] = [
    [{ theme: ['econ'] }, ['budget']],
    [{ format: ['json'] }, ['hospitals']],
    [{ licence: ['cc-zero'] }, ['population']],
    [{ region: ['almaty'] }, ['hospitals']],
    [{ frequency: ['monthly'] }, ['budget']],
    [{ keyword: ['demography'] }, ['population']],
    [{ publisher: ['health', 'finance'], theme: ['econ', 'soci'] }, ['budget', 'population']],
  ]
  for (const [filters, expected] of cases) {
    const result = await searchCatalog(db, { filters, sort: 'name' })
    assert.deepEqual(result.datasets.map((d) => d.name), expected, JSON.stringify(filters))
  }
})

test('sorting by newest and most viewed, and paging with the total kept', async (t) => {
  const db = await catalog(t)
  const newest = await searchCatalog(db, { sort: 'newest' })
  assert.equal(newest.datasets[0]?.name, 'population')
  const [hospitals] = (await searchCatalog(db, { q: 'hospitals' })).datasets
  for (let i = 0; i < 3; i += 1) await countDemand(db, hospitals!.id, 'views')
  assert.equal((await searchCatalog(db, { sort: 'views' })).datasets[0]?.name, 'hospitals')
  const page = await searchCatalog(db, { sort: 'name', limit: 2, offset: 2 })
  assert.deepEqual(page.datasets.map((d) => d.name), ['population'])
  assert.equal(page.total, 3)
  const past = await searchCatalog(db, { sort: 'name', limit: 2, offset: 10 })
  assert.equal(past.total, 3, 'past the last page the total is still told')
})

test('counts, facets and pages are computed once for readers asking at the same moment, kept until the catalog changes, and refreshed after their time', async (t) => {
  const db = await catalog(t)
  let counts = 0
  let facets = 0
  let pages = 0
  // The catalog as the site reads it, with each statement it runs counted.
  const watched = {
    query: <T,>(sql: string, params?: unknown[]) => {
      if (sql.startsWith('select count(*)::int as n from datasets')) counts++
      if (sql.includes('with hits as')) facets++
      if (sql.includes('as score from datasets')) pages++
      return db.query<T>(sql, params as never)
    },
  } as unknown as Db
  catalogCaches(watched, { ttlMs: 400 })
  const first = await Promise.all(Array.from({ length: 10 }, () => searchCatalog(watched, { sort: 'newest' })))
  assert.deepEqual([counts, facets, pages], [1, 1, 1], 'ten readers at once: one count, one facet count, one page')
  assert.ok(first.every((r) => r.total === 3))
  await searchCatalog(watched, { sort: 'newest' })
  assert.deepEqual([counts, facets, pages], [1, 1, 1], 'nothing changed: all kept')

  await makeDataset(db, 'finance', { name: 'newest', title: { en: 'Newest' } })
  const changed = await searchCatalog(watched, { sort: 'newest' })
  assert.equal(changed.total, 4, 'a committed change is seen by the next search')
  assert.equal(changed.datasets[0]?.name, 'newest')
  assert.deepEqual([counts, facets, pages], [2, 2, 2])

  await db.query(`update datasets set views_total = views_total + 1 where name = 'newest'`)
  await searchCatalog(watched, { sort: 'newest' })
  assert.deepEqual([counts, facets, pages], [2, 2, 2], 'a view changes nothing the catalog counts')
  await searchCatalog(watched, { sort: 'views' })
  await searchCatalog(watched, { sort: 'views' })
  assert.equal(pages, 4, 'a page sorted by views is read afresh each time')

  await new Promise((resolve) => setTimeout(resolve, 450))
  const stale = await searchCatalog(watched, { sort: 'newest' })
  assert.equal(stale.total, 4, 'past its time: served while one refresh runs')
  await new Promise((resolve) => setTimeout(resolve, 100))
  assert.deepEqual([counts, facets, pages], [3, 3, 5], 'and refreshed once')
})
