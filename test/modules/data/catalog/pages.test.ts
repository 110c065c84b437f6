import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { createTestApp } from '../../../helpers/app.ts'
import { makeAgency, makeDataset } from '../../../helpers/factories.ts'
import { addResource } from '../../../../src/modules/data/publishing/resource.ts'
import { demandOf } from '../../../../src/modules/data/demand/service.ts'
import { SYSTEM_ACTOR } from '../../../../src/platform/audit/index.ts'

async function site() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'finance', name: { kk: 'Қаржы министрлігі', ru: 'Министерство финансов', en: 'Ministry of Finance' } })
    await makeAgency(db, { slug: 'health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    await makeDataset(db, 'finance', {
      name: 'budget', themeCode: 'econ', keywords: { en: ['finance'] }, frequency: 'monthly',
      title: { kk: 'Бюджеттің атқарылуы', ru: 'Исполнение бюджета', en: 'Budget execution' },
      description: { en: 'Monthly spending by programme' },
    })
    await makeDataset(db, 'health', { name: 'hospitals', title: { kk: 'Ауруханалар', ru: 'Больницы', en: 'Hospitals' } }, { url: 'https://example.kz/hospitals.json' })
  })
  return testApp
}

test('the catalog lists datasets with facets and counts in each language; a ticked facet filters; an unknown sort is left out', async (t) => {
  const { app, close } = await site()
  t.after(close)
  const en = await app.inject({ url: '/en/data' })
  assert.equal(en.statusCode, 200)
  assert.match(en.body, /2 datasets found/)
  assert.match(en.body, /Ministry of Finance \(1\)/)
  assert.match(en.body, /name="publisher" type="checkbox" value="finance"/)
  assert.match(en.body, /Budget execution/)
  assert.match(en.body, /Updated \d/)
  const ru = await app.inject({ url: '/ru/data?publisher=health' })
  assert.match(ru.body, /Найден 1 набор данных/)
  assert.match(ru.body, /Больницы/)
  assert.doesNotMatch(ru.body, /Исполнение бюджета/)
  assert.match(ru.body, /Убрать фильтр: Издатель: Министерство здравоохранения/, 'the chosen filter is shown, with a link to remove it')
  const kk = await app.inject({ url: '/kk/data?q=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82' })
  assert.match(kk.body, /Бюджеттің атқарылуы/)
  assert.doesNotMatch(kk.body, /Ауруханалар<\/a>/)
  // An unknown sort is left out with a note (test/platform/http/mistakes.test.ts has the others).
  const bad = await app.inject({ url: '/en/data?sort=colour' })
  assert.equal(bad.statusCode, 200)
  assert.match(bad.body, /“colour” is not a choice for “Sort by”/)
})

test('a dataset page shows its metadata, resources, freshness and API examples, and counts the view', async (t) => {
  const { app, db, close } = await site()
  t.after(close)
  const page = await app.inject({ url: '/en/data/datasets/budget' })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h1 class="govuk-heading-l">Budget execution<\/h1>/)
  assert.match(page.body, /Monthly spending by programme/)
  assert.match(page.body, /Up to date/)
  assert.match(page.body, /Monthly/)
  assert.match(page.body, /Creative Commons Attribution 4.0/)
  assert.match(page.body, /href="\/data\/resources\/[0-9a-f-]{36}\/download"/)
  assert.match(page.body, /curl &quot;http:\/\/localhost:3000\/api\/3\/action\/package_show\?id=budget&quot;/)
  assert.match(page.body, /RemoteCKAN/)
  const [row] = await db.query<{ id: string }>(`select id from datasets where name = 'budget'`)
  assert.equal((await demandOf(db, row!.id)).views, 1)
  const missing = await app.inject({ url: '/ru/data/datasets/no-such-thing' })
  assert.equal(missing.statusCode, 404)
  assert.match(missing.body, /не найдена|не найден/i)
})

test('a download serves the stored file with its name, or leads to the link; each is counted', async (t) => {
  const { app, db, files, close } = await site()
  t.after(close)
  const [budget] = await db.query<{ id: string }>(`select id from datasets where name = 'budget'`)
  const csv = 'month,spent\n2024-01,100\n'
  const stored = await files.save(Readable.from([Buffer.from(csv)]))
  const resourceId = await addResource(db, SYSTEM_ACTOR, budget!.id, { name: { en: 'Spending' } }, { ...stored, fileName: 'бюджет 2024.csv', mediaType: 'text/csv' })
  const download = await app.inject({ url: `/data/resources/${resourceId}/download` })
  assert.equal(download.statusCode, 200)
  assert.equal(download.body, csv)
  assert.match(String(download.headers['content-type']), /text\/csv/)
  assert.match(String(download.headers['content-disposition']), /attachment; .*filename\*=UTF-8''%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82%202024\.csv/)

  const [link] = await db.query<{ id: string }>(`select r.id from data_resources r join datasets d on d.id = r.dataset_id where d.name = 'hospitals'`)
  const redirect = await app.inject({ url: `/data/resources/${link!.id}/download` })
  assert.equal(redirect.statusCode, 302)
  assert.equal(redirect.headers.location, 'https://example.kz/hospitals.json')
  assert.equal((await demandOf(db, budget!.id)).downloads, 1)
  assert.equal((await app.inject({ url: '/data/resources/not-a-uuid/download' })).statusCode, 404)
})

test('an uploaded script is served as bytes to save, never as JavaScript of this site', async (t) => {
  const { app, db, files, close } = await site()
  t.after(close)
  const [budget] = await db.query<{ id: string }>(`select id from datasets where name = 'budget'`)
  const stored = await files.save(Readable.from([Buffer.from('alert(document.cookie)')]))
  const resourceId = await addResource(db, SYSTEM_ACTOR, budget!.id, { name: { en: 'Script' } }, { ...stored, fileName: 'steal.js', mediaType: 'application/javascript' })
  const download = await app.inject({ url: `/data/resources/${resourceId}/download` })
  assert.equal(download.statusCode, 200)
  assert.equal(download.headers['content-type'], 'application/octet-stream')
  assert.match(String(download.headers['content-disposition']), /^attachment;/)
  assert.equal(download.headers['x-content-type-options'], 'nosniff')
  assert.equal(download.headers['content-security-policy'], "default-src 'none'; sandbox")
})

test('views, downloads and API calls count once an hour per address, so reloading does not inflate them', async (t) => {
  const { app, db, files, close } = await site()
  t.after(close)
  const [budget] = await db.query<{ id: string }>(`select id from datasets where name = 'budget'`)
  const stored = await files.save(Readable.from([Buffer.from('a\n1\n')]))
  const resourceId = await addResource(db, SYSTEM_ACTOR, budget!.id, { name: { en: 'File' } }, { ...stored, fileName: 'a.csv', mediaType: 'text/csv' })
  for (const address of ['198.51.100.1', '198.51.100.1', '198.51.100.1', '198.51.100.2']) {
    await app.inject({ url: '/en/data/datasets/budget', remoteAddress: address })
    await app.inject({ url: `/data/resources/${resourceId}/download`, remoteAddress: address })
    await app.inject({ url: '/api/3/action/package_show?id=budget', remoteAddress: address })
  }
  assert.deepEqual(await demandOf(db, budget!.id), { views: 2, downloads: 2, apiCalls: 2 })
})

test('the site search in the header finds datasets', async (t) => {
  const { app, close } = await site()
  t.after(close)
  const found = await app.inject({ url: '/api/search?q=hospitals' })
  const group = found.json().groups.find((g: { provider: string }) => g.provider === 'data')
  assert.equal(group.hits[0].path, '/data/datasets/hospitals')
})

test('each facet shows its most frequent values, equal counts by name in the reader\'s alphabet, and links to all of them', async (t) => {
  // Twelve bodies: "Б" publishes three datasets, "В" two, the others one each.
  const letters = ['Ә', 'А', 'Б', 'В', 'Г', 'Ғ', 'Д', 'Е', 'Ж', 'З', 'И', 'К']
  const { app, close } = await createTestApp(async (db) => {
    for (const [i, letter] of letters.entries()) {
      const slug = `z-body-${String(i).padStart(2, '0')}`
      await makeAgency(db, { slug, name: { kk: `${letter} органы`, ru: `Орган ${letter}`, en: `Body ${i}` } })
      const count = letter === 'Б' ? 3 : letter === 'В' ? 2 : 1
      for (let n = 0; n < count; n += 1) await makeDataset(db, slug, { name: `set-${i}-${n}` })
    }
  })
  t.after(close)
  const facetItems = (html: string) => [...(/id="facet-publisher"[\s\S]*?<\/fieldset>/.exec(html)?.[0] ?? '').matchAll(/<label[^>]*>\s*([^<]*?)\s*<\/label>/g)].map((m) => m[1])

  const page = await app.inject({ url: '/kk/data' })
  const shown = facetItems(page.body)
  assert.equal(shown.length, 10)
  // By count, then in the Kazakh alphabet (А, Ә, Б, В, Г, Ғ…), not by slug or by bytes.
  assert.deepEqual(shown.slice(0, 5), ['Б органы (3)', 'В органы (2)', 'А органы (1)', 'Ә органы (1)', 'Г органы (1)'])
  const more = /<a class="govuk-link" href="([^"]+)">«Жариялаушы» сүзгісінің барлық 12 мәні<\/a>/.exec(page.body)
  assert.ok(more, 'a link to all twelve publishers')
  const all = await app.inject({ url: more[1]!.replaceAll('&amp;', '&').split('#')[0]! })
  const listed = facetItems(all.body)
  assert.equal(listed.length, 12, 'every publisher can be chosen')
  assert.deepEqual(listed.slice(0, 4), ['А органы (1)', 'Ә органы (1)', 'Б органы (3)', 'В органы (2)'], 'all of them by name')
  assert.match(all.body, /name="all" value="publisher"/, 'applying filters keeps the list open')
  assert.match(all.body, /Тек ең жиілері/)

  // On a phone the filters fold behind their summary, which says how many are chosen; a skip link leads to the results.
  const chosen = await app.inject({ url: '/kk/data?publisher=z-body-02&publisher=z-body-03' })
  assert.match(chosen.body, /<details class="govuk-details ashyq-fold">\s*<summary[^>]*><span class="govuk-details__summary-text">Сүзгілер \(2 таңдалды\)<\/span><\/summary>/)
  assert.match(chosen.body, /href="#results">Нәтижелерге өту<\/a>/)
  assert.match(chosen.body, /id="results"/)
})

test('the keyword filter speaks the reader\'s language: each dataset\'s keywords in it, or in the nearest language it has', async (t) => {
  const { app, db, close } = await site()
  t.after(close)
  await makeDataset(db, 'finance', {
    name: 'taxes', title: { ru: 'Налоги', en: 'Taxes' }, keywords: { kk: ['салықтар', 'бюджет'], ru: ['налоги', 'бюджет'], en: ['taxes', 'budget'] },
  })
  const facetOf = (body: string) => [...body.matchAll(/name="keyword" type="checkbox" value="([^"]+)"/g)].map((m) => m[1]).sort()
  const ru = await app.inject({ url: '/ru/data' })
  assert.deepEqual(facetOf(ru.body), ['finance', 'бюджет', 'налоги'], 'Russian keywords, and the English ones of a dataset that has no others')
  const kk = await app.inject({ url: '/kk/data' })
  assert.deepEqual(facetOf(kk.body), ['finance', 'бюджет', 'салықтар'])
  const en = await app.inject({ url: '/en/data' })
  assert.deepEqual(facetOf(en.body), ['budget', 'finance', 'taxes'])

  // A keyword of another language, followed from a link, filters and stays ticked.
  const followed = await app.inject({ url: '/ru/data?keyword=taxes' })
  assert.match(followed.body, /Найден 1 набор данных/)
  assert.match(followed.body, /name="keyword" type="checkbox" value="taxes" checked/)
})
