import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency, makeDataset } from '../../helpers/factories.ts'
import { PAGES_PER_SITEMAP } from '../../../src/platform/html/sitemap.ts'
import { canonicalPath } from '../../../src/platform/html/render.ts'

const SITE = 'https://ashyq.example.kz'

test('sitemap.xml lists each module\'s public pages once per language with their alternates, never a private dataset; robots.txt points at it', async (t) => {
  const { app, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
    await makeDataset(db, 'ministry-of-health', { name: 'hospital-beds' })
    await makeDataset(db, 'ministry-of-health', { name: 'staff-salaries', private: true })
  }, { publicUrl: SITE })
  t.after(close)
  const robots = await app.inject({ url: '/robots.txt' })
  assert.equal(robots.headers['content-type'], 'text/plain; charset=utf-8')
  assert.match(robots.body, new RegExp(`Sitemap: ${SITE}/sitemap.xml`))
  assert.match(robots.body, /Disallow: \/api\//)

  const index = await app.inject({ url: '/sitemap.xml' })
  assert.equal(index.headers['content-type'], 'application/xml; charset=utf-8')
  const sitemaps = [...index.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1])
  for (const name of ['portals', 'agencies', 'data', 'legal-acts', 'dialogue', 'budgets', 'sites']) assert.ok(sitemaps.includes(`${SITE}/sitemaps/${name}/1.xml`), name)

  const data = await app.inject({ url: '/sitemaps/data/1.xml' })
  assert.equal(data.statusCode, 200)
  const urls = [...data.body.matchAll(/<url><loc>([^<]+)<\/loc>/g)].map((m) => m[1])
  assert.deepEqual(urls, ['kk', 'ru', 'en'].map((lang) => `${SITE}/${lang}/data/datasets/hospital-beds`))
  assert.match(data.body, new RegExp(`<xhtml:link rel="alternate" hreflang="kk" href="${SITE}/kk/data/datasets/hospital-beds"/>`))
  assert.doesNotMatch(data.body, /staff-salaries/, 'a private dataset is not listed')
  assert.match((await app.inject({ url: '/sitemaps/agencies/1.xml' })).body, /\/ru\/agencies\/ministry-of-health<\/loc><lastmod>/)
  assert.match((await app.inject({ url: '/sitemaps/portals/1.xml' })).body, new RegExp(`<loc>${SITE}/ru/services</loc>`))
  assert.equal((await app.inject({ url: '/sitemaps/data/2.xml' })).statusCode, 404, 'no second page of a short list')
  assert.equal((await app.inject({ url: '/sitemaps/nothing/1.xml' })).statusCode, 404)
  assert.ok(PAGES_PER_SITEMAP * 3 <= 50_000, 'a sitemap holds at most 50,000 addresses')
})

test('every page names its canonical address without trackers (a shared link\'s trackers are read by no page), its versions in the other languages, and what a shared link shows', async (t) => {
  const { app, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
  }, { publicUrl: SITE })
  t.after(close)
  const page = await app.inject({ url: '/kk/agencies?q=health&page=1&utm_source=telegram&utm_medium=social&fbclid=x' })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, new RegExp(`<link rel="canonical" href="${SITE}/kk/agencies\\?q=health">`))
  for (const lang of ['kk', 'ru', 'en']) assert.match(page.body, new RegExp(`<link rel="alternate" hreflang="${lang}" href="${SITE}/${lang}/agencies\\?q=health">`))
  assert.match(page.body, new RegExp(`<meta property="og:url" content="${SITE}/kk/agencies\\?q=health">`))
  assert.match(page.body, /<meta property="og:locale" content="kk_KZ">/)
  assert.match(page.body, /<meta property="og:locale:alternate" content="ru_RU">/)
  const image = new RegExp(`<meta property="og:image" content="(${SITE}/static/share-card[^"]+\\.png)">`).exec(page.body)
  assert.ok(image, 'an absolute og:image')
  const card = await app.inject({ url: image[1]!.slice(SITE.length) })
  assert.equal(card.statusCode, 200)
  assert.equal(card.headers['content-type'], 'image/png')
  assert.match(page.body, /<meta name="twitter:card" content="summary_large_image">/)
  assert.equal(canonicalPath('/ru/dialogue/questions/4?done=asked&item=question-4&at=x&page=1'), '/ru/dialogue/questions/4', 'the notice of an action just done is not the page')
  assert.match((await app.inject({ url: '/ru/agencies?page=2' })).body, new RegExp(`<link rel="canonical" href="${SITE}/ru/agencies\\?page=2">`), 'another page of a list is its own page')
})
