import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { signedInBrowser } from '../../helpers/users.ts'
import { publishDue } from '../../../src/modules/sites/editions/service.ts'

// The smallest file a PDF reader opens; its type is read from "%PDF-".
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')

async function setup() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
    await makeAgency(db, { slug: 'ministry-of-finance' })
  })
  const { app, db } = testApp
  return { ...testApp, staff: await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health'), other: await signedInBrowser(app, db, 'agency-editor', 'ministry-of-finance') }
}

const SITE = '/ru/agencies/ministry-of-health/site'
const editionOf = (location: string | undefined) => Number(/items\/(\d+)\//.exec(String(location))![1])

test('news goes draft → submitted → published in its own language; another language is its own edition; a new edition says what changed and supersedes the last', async (t) => {
  const { app, db, staff, other, close } = await setup()
  t.after(close)
  assert.equal((await staff.get(SITE)).statusCode, 200)
  assert.equal((await other.get(SITE)).statusCode, 403, 'another body\'s staff')
  assert.equal((await (await signedInBrowser(app, db)).get(SITE)).statusCode, 403, 'a citizen')

  const created = await staff.postFile(`${SITE}/new`, {
    kind: 'news', lang: 'ru', title: 'Открыт приём заявок', summary: 'Гранты для сельских больниц',
    body: 'Приём идёт до конца месяца.\n\n## Как подать\n\n- [Правила](https://adilet.zan.kz/rus/docs/V2000021000)\n- <script>alert(1)</script>',
  }, null, { from: `${SITE}/new` })
  assert.equal(created.statusCode, 303, created.body.slice(0, 2000))
  const id = editionOf(created.headers.location)
  const ru = `${SITE}/items/${id}/ru`
  const publicPage = `/ru/agencies/ministry-of-health/news/${id}`
  assert.equal((await app.inject({ url: publicPage })).statusCode, 404, 'a draft is not public')
  assert.equal((await staff.post(`${ru}/publish`, {}, { from: ru })).statusCode, 400, 'a draft is submitted before it is published')
  assert.equal((await other.post(`${ru}/submit`, {}, { from: '/ru/agencies/ministry-of-finance/site' })).statusCode, 403)
  assert.equal((await staff.post(`${ru}/submit`, {}, { from: ru, csrf: false })).statusCode, 403, 'no CSRF token')
  assert.equal((await staff.post(`${ru}/submit`, {}, { from: ru })).statusCode, 303)
  assert.equal((await staff.post(`${ru}/publish`, {}, { from: ru })).statusCode, 303)

  const page = await app.inject({ url: publicPage })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h2 class="govuk-heading-m">Как подать<\/h2>/, 'Markdown headings start at h2')
  assert.match(page.body, /<a href="https:\/\/adilet\.zan\.kz\/rus\/docs\/V2000021000" class="govuk-link">Правила<\/a>/)
  assert.doesNotMatch(page.body, /<script>alert/, 'HTML in the text is shown as text')
  assert.match(page.body, /Нет версии на казахском/)
  const kkPage = await app.inject({ url: `/kk/agencies/ministry-of-health/news/${id}` })
  assert.match(kkPage.body, /<div class="govuk-grid-column-two-thirds" lang="ru">/, 'a Kazakh reader is shown the Russian edition, marked as Russian')
  assert.match((await app.inject({ url: '/ru/agencies/ministry-of-health/news' })).body, /Открыт приём заявок/)
  assert.match((await app.inject({ url: '/ru/agencies/ministry-of-health' })).body, /href="\/ru\/agencies\/ministry-of-health\/news">Новости/, 'the body\'s page links its news')
  for (const feed of ['/ru/agencies/news.atom', '/ru/agencies/ministry-of-health/news.atom']) {
    const atom = await app.inject({ url: feed })
    assert.equal(atom.headers['content-type'], 'application/atom+xml; charset=utf-8')
    assert.match(atom.body, new RegExp(`<entry>[\\s\\S]*<title type="html"><!\\[CDATA\\[Открыт приём заявок\\]\\]></title>[\\s\\S]*/ru/agencies/ministry-of-health/news/${id}`), feed)
  }
  assert.doesNotMatch((await app.inject({ url: '/ru/agencies/ministry-of-finance/news.atom' })).body, /<entry>/, 'another body\'s feed')

  // Kazakh: its own edition; publishing it leaves the Russian one as it was.
  const kk = `${SITE}/items/${id}/kk`
  assert.equal((await staff.post(kk, { title: 'Өтінімдер қабылдау басталды', summary: '', body: 'Қабылдау ай соңына дейін.' }, { from: kk })).statusCode, 303)
  await staff.post(`${kk}/submit`, {}, { from: kk })
  await staff.post(`${kk}/publish`, {}, { from: kk })
  assert.match((await app.inject({ url: `/kk/agencies/ministry-of-health/news/${id}` })).body, /<h1 class="govuk-heading-l">Өтінімдер қабылдау басталды<\/h1>/)
  assert.match((await app.inject({ url: publicPage })).body, /<h1 class="govuk-heading-l">Открыт приём заявок<\/h1>/)

  // A second Russian edition: it says what changed; the first stays public until it is published.
  assert.equal((await staff.post(ru, { title: 'Приём заявок продлён', summary: '', body: 'Приём продлён до 20 декабря.', changeNote: '' }, { from: ru })).statusCode, 303)
  const noNote = await staff.post(`${ru}/submit`, {}, { from: ru })
  assert.equal(noNote.statusCode, 400)
  assert.match(noNote.body, /href="#changeNote">Напишите, что изменилось/)
  assert.match((await app.inject({ url: publicPage })).body, /Открыт приём заявок/, 'the published edition stays while the next is written')
  await staff.post(ru, { title: 'Приём заявок продлён', summary: '', body: 'Приём продлён до 20 декабря.', changeNote: 'Срок продлён до 20 декабря' }, { from: ru })
  await staff.post(`${ru}/submit`, {}, { from: ru })
  // Scheduled for tomorrow, then published by the job when its moment comes.
  const tomorrow = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10)
  assert.equal((await staff.post(`${ru}/publish`, { publishOn: tomorrow, publishTime: '09:00' }, { from: ru })).statusCode, 303)
  assert.match((await staff.get(ru)).body, /запланирован/)
  assert.match((await app.inject({ url: publicPage })).body, /Открыт приём заявок/)
  assert.equal(await publishDue(db, new Date()), 0, 'not yet')
  assert.equal(await publishDue(db, new Date(Date.now() + 48 * 3600_000)), 1)
  const updated = await app.inject({ url: publicPage })
  assert.match(updated.body, /<h1 class="govuk-heading-l">Приём заявок продлён<\/h1>/)
  assert.match(updated.body, /Срок продлён до 20 декабря[\s\S]*Впервые опубликовано/, 'the history: what changed, then the first publication')

  // Withdrawn with a reason: the page stays, marked; the list leaves it out.
  const noReason = await staff.post(`${ru}/withdraw`, { reason: ' ' }, { from: ru })
  assert.equal(noReason.statusCode, 400)
  assert.equal((await staff.post(`${ru}/withdraw`, { reason: 'Конкурс отменён' }, { from: ru })).statusCode, 303)
  const withdrawn = await app.inject({ url: publicPage })
  assert.equal(withdrawn.statusCode, 200)
  assert.match(withdrawn.body, /Материал отозван[\s\S]*Конкурс отменён/)
  assert.match((await app.inject({ url: `/kk/agencies/ministry-of-health/news/${id}` })).body, /Конкурс отменён/, 'withdrawn in every language')
  assert.doesNotMatch((await app.inject({ url: '/ru/agencies/ministry-of-health/news' })).body, /Приём заявок продлён/)
  assert.equal((await staff.post(ru, { title: 'Снова', body: '' }, { from: ru })).statusCode, 400, 'a withdrawn item no longer changes')
})

test('a document brings its number, day, signatory and file; its file is served in the language published', async (t) => {
  const { app, staff, close } = await setup()
  t.after(close)
  const missing = await staff.postFile(`${SITE}/new`, { kind: 'document', lang: 'ru', title: 'Приказ о порядке приёма' }, null, { from: `${SITE}/new` })
  assert.equal(missing.statusCode, 400)
  for (const field of ['documentKind', 'number', 'signedOn', 'signatory.ru']) assert.match(missing.body, new RegExp(`href="#${field.replace('.', '\\.')}"`), field)
  const created = await staff.postFile(`${SITE}/new`, {
    kind: 'document', lang: 'ru', title: 'Приказ о порядке приёма', documentKind: 'order', number: '245', signedOn: '2026-11-20',
    'signatory.ru': 'Министр здравоохранения А. Альназарова', body: 'Утвердить порядок приёма заявок.',
  }, { field: 'file', name: 'prikaz.pdf', content: PDF }, { from: `${SITE}/new` })
  assert.equal(created.statusCode, 303, created.body.slice(0, 2000))
  const id = editionOf(created.headers.location)
  const ru = `${SITE}/items/${id}/ru`
  await staff.post(`${ru}/submit`, {}, { from: ru })
  await staff.post(`${ru}/publish`, {}, { from: ru })
  const page = await app.inject({ url: `/ru/agencies/ministry-of-health/documents/${id}` })
  assert.match(page.body, /Приказ[\s\S]*245[\s\S]*20 ноября 2026[\s\S]*Министр здравоохранения А\. Альназарова/)
  assert.match((await app.inject({ url: '/ru/agencies/ministry-of-health/documents' })).body, /Приказ № 245 от 20 ноября 2026/)
  const file = await app.inject({ url: `/agencies/ministry-of-health/documents/${id}/file/ru` })
  assert.equal(file.statusCode, 200)
  assert.equal(file.rawPayload.compare(PDF), 0)
  assert.equal((await app.inject({ url: `/agencies/ministry-of-health/documents/${id}/file/kk` })).statusCode, 404, 'nothing published in Kazakh')
  assert.equal((await app.inject({ url: `/agencies/ministry-of-finance/documents/${id}/file/ru` })).statusCode, 404, 'another body\'s address')
})

test('the API: a body\'s staff write, submit and publish with a token; anyone reads the published items in every language', async (t) => {
  const { app, db, close } = await setup()
  t.after(close)
  const { createApiToken } = await import('../../../src/platform/auth/tokens.ts')
  const { SYSTEM_ACTOR } = await import('../../../src/platform/audit/index.ts')
  const { makeUser } = await import('../../helpers/users.ts')
  const tokenOf = async (agency: string) => (await createApiToken(db, SYSTEM_ACTOR, (await makeUser(db, 'agency-editor', agency, { confirmed: true })).id, 'api')).token
  const [own, foreign] = [await tokenOf('ministry-of-health'), await tokenOf('ministry-of-finance')]
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token?: string, payload?: object) =>
    app.inject({ method, url, ...(payload ? { payload } : {}), headers: { 'accept-language': 'en', ...(token ? { authorization: `Bearer ${token}` } : {}) } })
  const news = { kind: 'news', lang: 'kk', edition: { title: 'Жаңа емхана ашылды', body: 'Емхана 500 адамды қабылдайды.' } }
  const refused = await call('POST', '/api/agencies/ministry-of-health/site/items', foreign, news)
  assert.equal(refused.statusCode, 403)
  const created = await call('POST', '/api/agencies/ministry-of-health/site/items', own, news)
  assert.equal(created.statusCode, 201, created.body)
  const id = created.json().id as number
  assert.equal((await call('POST', `/api/site/items/${id}/kk/publish`, own)).statusCode, 400, 'a draft is submitted first')
  assert.equal((await call('POST', `/api/site/items/${id}/kk/submit`, foreign)).statusCode, 403)
  assert.equal((await call('POST', `/api/site/items/${id}/kk/submit`, own)).statusCode, 200)
  const published = await call('POST', `/api/site/items/${id}/kk/publish`, own)
  assert.deepEqual(published.json().editions.map((e: { lang: string; status: string }) => [e.lang, e.status]), [['kk', 'published']])
  assert.equal((await call('POST', `/api/site/items/${id}/kk/publish`, own)).statusCode, 400, 'published once')
  const list = (await call('GET', '/api/agencies/ministry-of-health/news')).json()
  assert.equal(list.total, 1)
  assert.deepEqual(list.items[0].languages, ['kk'])
  assert.equal(list.items[0].editions[0].title, 'Жаңа емхана ашылды')
  assert.equal((await call('GET', `/api/agencies/ministry-of-finance/news/${id}`)).statusCode, 404, 'another body\'s address')
  assert.equal((await call('POST', `/api/site/items/${id}/withdraw`, own, { reason: 'Қате жарияланды' })).statusCode, 200)
  assert.equal((await call('GET', '/api/agencies/ministry-of-health/news')).json().total, 0)
  assert.equal((await call('GET', `/api/agencies/ministry-of-health/news/${id}`)).json().editions[0].withdrawn.reason, 'Қате жарияланды')
})
