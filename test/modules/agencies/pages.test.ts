import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { makeAgency, makeRegion } from '../../helpers/factories.ts'

let t: TestApp
before(async () => {
  t = await createTestApp(async (db) => {
    await makeRegion(db, { code: 'pavlodar', name: { kk: 'Павлодар облысы', ru: 'Павлодарская область', en: 'Pavlodar Region' } })
    await makeAgency(db, {
      slug: 'ministry-of-energy',
      name: { kk: 'Энергетика министрлігі', ru: 'Министерство энергетики', en: 'Ministry of Energy' },
      headName: { kk: 'Ерлан Сәрсенов', ru: 'Ерлан Сарсенов', en: 'Yerlan Sarsenov' },
      headTitle: { kk: 'Министр', ru: 'Министр', en: 'Minister' },
      address: { kk: 'Астана қ., Мәңгілік Ел даңғылы, 8', ru: 'г. Астана, проспект Мәңгілік Ел, 8' },
      phone: '+7 7172 74 00 00',
      email: 'kense@energo.gov.kz',
      website: 'https://www.gov.kz/memleket/entities/energo',
    })
    await makeAgency(db, {
      slug: 'atomic-energy-committee',
      name: { kk: 'Атом энергетикасы комитеті', ru: 'Комитет атомного и энергетического надзора' },
      parentSlug: 'ministry-of-energy',
    })
    await makeAgency(db, {
      slug: 'akimat-pavlodar',
      kind: 'local',
      name: { kk: 'Павлодар облысының әкімдігі', ru: 'Акимат Павлодарской области', en: 'Akimat of Pavlodar Region' },
      regionCode: 'pavlodar',
    })
  })
})
after(() => t.close())

test('the registry page lists bodies with a count, filters and links', async () => {
  const response = await t.app.inject({ url: '/ru/agencies' })
  assert.equal(response.statusCode, 200)
  const html = response.body
  assert.match(html, /<h1 class="govuk-heading-l">Государственные органы<\/h1>/)
  assert.match(html, /Найдено 3 государственных органа/)
  assert.match(html, /href="\/ru\/agencies\/ministry-of-energy">Министерство энергетики</)
  assert.match(html, /<option value="pavlodar">Павлодарская область<\/option>/)
  assert.match(html, /<option value="local">Местный исполнительный орган \(акимат\)<\/option>/)
})

test('the registry page filters by kind and region and searches with typos, without JavaScript', async () => {
  const local = (await t.app.inject({ url: '/en/agencies?kind=local' })).body
  assert.match(local, /1 state body found/)
  assert.match(local, /Akimat of Pavlodar Region/)
  assert.doesNotMatch(local, /Ministry of Energy</)
  assert.match(local, /<option value="local" selected>/)
  const region = (await t.app.inject({ url: '/kk/agencies?region=pavlodar' })).body
  assert.match(region, /Павлодар облысының әкімдігі/)
  assert.doesNotMatch(region, /Энергетика министрлігі</)
  const typo = (await t.app.inject({ url: `/ru/agencies?q=${encodeURIComponent('министерство энергетеки')}` })).body
  assert.match(typo, /Найден 1 государственный орган/)
  assert.match(typo, /Министерство энергетики/)
  const none = (await t.app.inject({ url: '/en/agencies?q=zzzzqqq' })).body
  assert.match(none, /No state bodies found/)
})

test('a bad filter value re-renders as a 400 page in the page language', async () => {
  const response = await t.app.inject({ url: '/kk/agencies?kind=ministry' })
  assert.equal(response.statusCode, 400)
  assert.match(response.body, /<html lang="kk"/)
  assert.match(response.body, /govuk-error-summary/)
  assert.match(response.body, /kind: мына мәндердің бірі болуы керек/)
})

test('the registry paginates', async (tt) => {
  const { app, close } = await createTestApp(async (db) => {
    for (let i = 0; i < 23; i += 1) await makeAgency(db)
  })
  tt.after(close)
  const first = (await app.inject({ url: '/en/agencies' })).body
  assert.match(first, /23 state bodies found/)
  assert.match(first, /govuk-pagination/)
  assert.match(first, /href="\/en\/agencies\?page=2"/)
  const second = (await app.inject({ url: '/en/agencies?page=2' })).body
  assert.equal((second.match(/class="ashyq-results__item"/g) ?? []).length, 3)
})

test('a body\'s page shows its names in three languages, head, contacts, region, parent and subordinates', async () => {
  const html = (await t.app.inject({ url: '/en/agencies/ministry-of-energy' })).body
  assert.match(html, /<h1 class="govuk-heading-l">Ministry of Energy<\/h1>/)
  assert.match(html, /<span lang="kk">Энергетика министрлігі<\/span>/)
  assert.match(html, /<span lang="ru">Министерство энергетики<\/span>/)
  assert.match(html, /Minister/)
  assert.match(html, /Yerlan Sarsenov/)
  assert.match(html, /href="tel:\+77172740000"/)
  assert.match(html, /href="mailto:kense@energo.gov.kz"/)
  assert.match(html, /href="https:\/\/www.gov.kz\/memleket\/entities\/energo"/)
  assert.match(html, /href="\/en\/agencies\/atomic-energy-committee"/)
  const child = (await t.app.inject({ url: '/en/agencies/atomic-energy-committee' })).body
  assert.match(child, /Parent body/)
  assert.match(child, /href="\/en\/agencies\/ministry-of-energy"/)
})

test('text missing in the page language is shown in another and marked so', async () => {
  const address = (await t.app.inject({ url: '/en/agencies/ministry-of-energy' })).body
  assert.match(address, /<span lang="ru">г. Астана, проспект Мәңгілік Ел, 8<\/span> <span class="ashyq-fallback">\(in Russian\)<\/span>/)
  const child = (await t.app.inject({ url: '/en/agencies/atomic-energy-committee' })).body
  assert.match(child, /<h1 class="govuk-heading-l"><span lang="ru">Комитет атомного и энергетического надзора<\/span> <span class="ashyq-fallback">\(in Russian\)<\/span><\/h1>/)
})

test('an unknown body is a 404 page in the page language', async () => {
  const response = await t.app.inject({ url: '/ru/agencies/no-such-body' })
  assert.equal(response.statusCode, 404)
  assert.match(response.body, /Страница не найдена/)
})

test('a body\'s page describes it as a schema.org GovernmentOrganization: names in each language, contacts, parent; no text of it closes the script', async () => {
  const page = await t.app.inject({ url: '/ru/agencies/atomic-energy-committee' })
  const ld = JSON.parse(/<script type="application\/ld\+json">([^<]*)<\/script>/.exec(page.body)![1]!)
  assert.equal(ld['@type'], 'GovernmentOrganization')
  assert.match(ld.url, /\/ru\/agencies\/atomic-energy-committee$/)
  assert.deepEqual(ld.name, [{ '@value': 'Атом энергетикасы комитеті', '@language': 'kk' }, { '@value': 'Комитет атомного и энергетического надзора', '@language': 'ru' }])
  assert.match(ld.parentOrganization['@id'], /\/ru\/agencies\/ministry-of-energy$/)
  const minister = JSON.parse(/<script type="application\/ld\+json">([^<]*)<\/script>/.exec((await t.app.inject({ url: '/en/agencies/ministry-of-energy' })).body)![1]!)
  assert.equal(minister.telephone, '+7 7172 74 00 00')
  assert.equal(minister.subOrganization[0].name[0]['@value'], 'Атом энергетикасы комитеті')
  const { organizationLd } = await import('../../../src/modules/agencies/pages.ts')
  const hostile = organizationLd('https://x', 'ru', { slug: 's', name: { ru: '</script><script>alert(1)</script>' }, address: {}, phone: null, email: null, website: null, parent: null, children: [] } as never)
  assert.doesNotMatch(hostile, /<\/script/)
  assert.equal(JSON.parse(hostile).name[0]['@value'], '</script><script>alert(1)</script>')
})
