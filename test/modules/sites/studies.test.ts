import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { makeUser } from '../../helpers/users.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')
const STUDY = {
  title: { kk: 'Ауылдағы дәрілердің қолжетімділігі', ru: 'Доступность лекарств в сёлах', en: 'Access to medicines in villages' },
  abstract: { ru: 'Опрос 1 200 жителей 40 сёл о том, где они покупают лекарства.' },
  organisation: { kk: '«Денсаулық» ҚҚ', ru: 'ОФ «Денсаулык»' }, authors: [{ ru: 'Айгерим Нуртаева' }],
  grant: { operator: { ru: 'Центр поддержки гражданских инициатив' }, year: 2025, amountKzt: '12 500 000' },
  licenceId: 'cc-by', themes: ['heal'], publishedOn: '2026-03-01', agencies: ['ministry-of-health'],
}

test('the knowledge base: administrators keep studies with their grant, open licence, topics and bodies; anyone finds them in three languages, reads and downloads them, and exports the catalogue', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
    await makeAgency(db, { slug: 'ministry-of-finance' })
  })
  t.after(close)
  const tokenOf = async (role?: 'admin' | 'agency-editor', agency?: string) => (await createApiToken(db, SYSTEM_ACTOR, (await makeUser(db, role, agency, { confirmed: true })).id, 'api')).token
  const admin = await tokenOf('admin')
  const editor = await tokenOf('agency-editor', 'ministry-of-health')
  const put = (slug: string, body: object, token = admin) => app.inject({ method: 'PUT', url: `/api/studies/${slug}`, payload: body, headers: { 'accept-language': 'en', authorization: `Bearer ${token}` } })
  assert.equal((await put('medicines-in-villages', STUDY, editor)).statusCode, 403, 'a body\'s editor does not keep the knowledge base')
  const wrong = await put('medicines-in-villages', { ...STUDY, title: { ru: 'Только по-русски' }, licenceId: 'notspecified', themes: ['heal', 'astrology'], agencies: ['no-such-body'], grant: { ...STUDY.grant, amountKzt: 'много' } })
  assert.equal(wrong.statusCode, 400)
  assert.deepEqual((wrong.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field), ['title.kk', 'grant.amountKzt', 'licenceId', 'themes', 'agencies'])
  const kept = await put('medicines-in-villages', STUDY)
  assert.equal(kept.statusCode, 200, kept.body)
  assert.equal(kept.json().grant.amountKzt, '12500000.00')
  assert.equal((await put('budget-hearings', { ...STUDY, title: { kk: 'Бюджеттік тыңдаулар', ru: 'Бюджетные слушания', en: 'Budget hearings' }, abstract: {}, themes: ['econ', 'gove'], agencies: ['ministry-of-finance'], grant: { ...STUDY.grant, year: 2024 }, publishedOn: '2025-02-01' })).statusCode, 200)

  const form = new FormData()
  form.append('lang', 'ru')
  form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'report.pdf')
  const uploaded = await app.inject({ method: 'POST', url: '/api/studies/medicines-in-villages/files', payload: form, headers: { authorization: `Bearer ${admin}` } })
  assert.equal(uploaded.statusCode, 201, uploaded.body)
  const file = uploaded.json().files[0]
  const exe = new FormData()
  exe.append('lang', 'ru')
  exe.append('file', new Blob([Buffer.from('MZ\x90\x00\x03\x00\x00\x00')]), 'report.pdf')
  assert.equal((await app.inject({ method: 'POST', url: '/api/studies/medicines-in-villages/files', payload: exe, headers: { authorization: `Bearer ${admin}` } })).statusCode, 400, 'a program named .pdf')
  const download = await app.inject({ url: file.url })
  assert.equal(download.statusCode, 200)
  assert.deepEqual(download.rawPayload, PDF)

  const slugs = async (query: string) => ((await app.inject({ url: `/api/studies?${query}` })).json() as { studies: Array<{ slug: string }> }).studies.map((s) => s.slug)
  assert.deepEqual(await slugs(''), ['medicines-in-villages', 'budget-hearings'], 'newest first')
  assert.deepEqual(await slugs(`q=${encodeURIComponent('лекарств')}`), ['medicines-in-villages'], 'Russian')
  assert.deepEqual(await slugs(`q=${encodeURIComponent('бюджеттік')}`), ['budget-hearings'], 'Kazakh')
  assert.deepEqual(await slugs('q=medicines'), ['medicines-in-villages'], 'English')
  assert.deepEqual(await slugs('theme=gove'), ['budget-hearings'])
  assert.deepEqual(await slugs('agency=ministry-of-health'), ['medicines-in-villages'])
  assert.deepEqual(await slugs('year=2024'), ['budget-hearings'])

  const page = await app.inject({ url: '/kk/studies/medicines-in-villages' })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<p class="govuk-body" lang="ru">Опрос 1 200 жителей/, 'an abstract missing in Kazakh is shown in Russian, marked')
  assert.match(page.body, /rel="license">Creative Commons Attribution 4.0/)
  assert.match(page.body, /href="\/kk\/agencies\/ministry-of-health"/)
  assert.match(page.body, /Есеп орыс тілінде \(PDF,/)
  assert.match((await app.inject({ url: '/ru/agencies/ministry-of-health' })).body, /href="\/ru\/studies\?agency=ministry-of-health">Исследования об органе/, 'the body\'s page links the studies about it')
  const csv = await app.inject({ url: '/ru/studies.csv?theme=heal' })
  assert.match(csv.body, /^\ufeffslug,title_kk,title_ru,title_en,/)
  assert.match(csv.body, /medicines-in-villages,Ауылдағы дәрілердің қолжетімділігі,Доступность лекарств в сёлах/)
  assert.doesNotMatch(csv.body, /budget-hearings/)
})

test('the knowledge base\'s keepers add and correct a study by its form, with its file; a body\'s editor may not, nor a form without its token', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
  })
  t.after(close)
  const { signedInBrowser } = await import('../../helpers/users.ts')
  const keeper = await signedInBrowser(app, db, 'admin')
  assert.equal((await (await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health')).get('/ru/studies/new')).statusCode, 403)
  const fields = {
    slug: 'school-meals', 'title.kk': 'Мектептегі тамақтану', 'title.ru': 'Школьное питание', 'title.en': '', 'abstract.kk': '', 'abstract.ru': 'Мониторинг в 60 школах.', 'abstract.en': '',
    'organisation.kk': '', 'organisation.ru': 'ОО «Союз родителей»', 'organisation.en': '', authors: 'Айгерим Нуртаева\nБолат Сеитов', 'operator.kk': '', 'operator.ru': 'Центр поддержки гражданских инициатив', 'operator.en': '',
    year: '2025', amount: '6 100 000', licenceId: 'cc-by', themes: 'educ', agency1: 'ministry-of-health', agency2: '', agency3: '', publishedOn: '2026-02-01', fileLang: 'ru',
  }
  assert.equal((await keeper.postFile('/ru/studies/new', fields, { field: 'file', name: 'report.pdf', content: PDF, type: 'application/pdf' }, { csrf: false })).statusCode, 403, 'no CSRF token')
  const missing = await keeper.postFile('/ru/studies/new', { ...fields, 'title.kk': '' }, null)
  assert.equal(missing.statusCode, 400)
  assert.match(missing.body, /href="#title.kk">Укажите название на казахском и русском языках/)
  const added = await keeper.postFile('/ru/studies/new', fields, { field: 'file', name: 'report.pdf', content: PDF, type: 'application/pdf' })
  assert.equal(added.statusCode, 303, added.body.slice(0, 2000))
  assert.equal(added.headers.location, '/ru/studies/school-meals')
  const study = (await app.inject({ url: '/api/studies/school-meals' })).json()
  assert.deepEqual(study.authors, [{ ru: 'Айгерим Нуртаева' }, { ru: 'Болат Сеитов' }])
  assert.deepEqual([study.themes, study.agencies, study.files.length], [['educ'], ['ministry-of-health'], 1])
  assert.equal((await keeper.postFile('/ru/studies/new', fields, null)).statusCode, 400, 'an address once')
  const edited = await keeper.postFile('/ru/studies/school-meals/edit', { ...fields, themes: 'heal', year: '2024' }, null)
  assert.equal(edited.statusCode, 303)
  assert.deepEqual([(await app.inject({ url: '/api/studies/school-meals' })).json().grant.year, (await app.inject({ url: '/api/studies/school-meals' })).json().files.length], [2024, 1], 'corrected; its file stays')
})
