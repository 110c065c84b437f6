import { test } from 'node:test'
import { readdir } from 'node:fs/promises'
import assert from 'node:assert/strict'
import { createTestApp } from '../../../helpers/app.ts'
import { makeAgency, makeDataset } from '../../../helpers/factories.ts'
import { signedInBrowser } from '../../../helpers/users.ts'
import type { Role } from '../../../../src/platform/auth/roles.ts'

async function storedFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true }).catch(() => [])).filter((f) => f.endsWith('.part') || /[0-9a-f-]{36}$/.test(f))
}

async function site() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'finance', name: { kk: 'Қаржы министрлігі', ru: 'Министерство финансов', en: 'Ministry of Finance' } })
    await makeAgency(db, { slug: 'health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    await makeDataset(db, 'health', { name: 'hospitals', title: { en: 'Hospitals' } })
  })
  const signIn = (role?: Role, agency?: string) => signedInBrowser(testApp.app, testApp.db, role, agency)
  return { ...testApp, signIn }
}

const FORM = {
  agencySlug: 'finance', name: 'budget-2024', 'title.kk': 'Бюджет 2024', 'title.ru': 'Бюджет 2024', 'title.en': 'Budget 2024',
  'description.en': 'Spending by programme', themeCode: 'econ', 'keywords.en': 'budget, finance', 'keywords.ru': 'бюджет, финансы', licenceId: 'cc-by', frequency: 'monthly',
  temporalStart: '2024-01-01', temporalEnd: '2024-12-31', regionCode: '', 'contactName.en': 'Open data office', 'contactName.ru': 'Отдел открытых данных', contactEmail: 'data@minfin.kz',
}

test('an editor publishes a dataset through the form, adds a file and a link, edits it, and the history shows each change', async (t) => {
  const { app, db, signIn, close } = await site()
  t.after(close)
  const editor = await signIn('agency-editor', 'finance')
  const form = await editor.get('/en/data/datasets/new')
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /<option value="finance" selected>Ministry of Finance<\/option>/, 'their one body is chosen')
  assert.doesNotMatch(form.body, /Ministry of Health/, 'no other body is offered')

  const created = await editor.post('/en/data/datasets/new', FORM)
  assert.equal(created.statusCode, 303, created.body.slice(0, 500))
  assert.equal(created.headers.location, '/en/data/datasets/budget-2024')
  const page = await editor.get('/en/data/datasets/budget-2024')
  assert.match(page.body, /Budget 2024/)
  assert.match(page.body, /No data has been published in this dataset yet/)
  assert.match(page.body, /Add a file or link/)
  // Keywords and the contact in the reader's language, each keyword a link to the catalog filtered by it.
  assert.match(page.body, /href="\/en\/data\?keyword=budget">budget<\/a>, <a class="govuk-link" href="\/en\/data\?keyword=finance">finance<\/a>/)
  assert.match(page.body, /Open data office/)
  const inRussian = await editor.get('/ru/data/datasets/budget-2024')
  assert.match(inRussian.body, />бюджет<\/a>, <a class="govuk-link" href="\/ru\/data\?keyword=%D1%84%D0%B8%D0%BD%D0%B0%D0%BD%D1%81%D1%8B">финансы<\/a>/)
  assert.doesNotMatch(inRussian.body, />finance<\/a>/)
  assert.match(inRussian.body, /Отдел открытых данных/)
  const inKazakh = await editor.get('/kk/data/datasets/budget-2024')
  assert.match(inKazakh.body, /<span lang="ru"><a class="govuk-link" href="\/kk\/data\?keyword=[^"]+">бюджет<\/a>/, 'no Kazakh keywords: the Russian ones, marked')
  const form2 = await editor.get('/en/data/datasets/budget-2024/edit')
  assert.match(form2.body, /name="keywords.ru" type="text" value="бюджет, финансы"/)

  const csv = 'month,spent\n2024-01,100\n'
  const uploaded = await editor.postFile('/en/data/datasets/budget-2024/resources/new', { 'name.en': 'Spending, CSV', url: '', format: '' },
    { field: 'file', name: 'spending.csv', content: csv, type: 'text/csv' })
  assert.equal(uploaded.statusCode, 303, uploaded.body.slice(0, 500))
  const linked = await editor.postFile('/en/data/datasets/budget-2024/resources/new', { 'name.en': 'On the ministry site', url: 'https://minfin.gov.kz/budget.xlsx', format: '' }, null)
  assert.equal(linked.statusCode, 303)
  const withData = await editor.get('/en/data/datasets/budget-2024')
  assert.match(withData.body, /Spending, CSV/)
  assert.match(withData.body, /On the ministry site/)
  assert.match(withData.body, /Up to date/)
  const href = /href="(\/data\/resources\/[0-9a-f-]+\/download)">Spending, CSV/.exec(withData.body)?.[1]
  assert.equal((await app.inject({ url: href! })).body, csv)

  const edited = await editor.post('/en/data/datasets/budget-2024/edit', { ...FORM, 'title.en': 'Budget execution 2024', 'keywords.en': 'budget' }, { from: '/en/data/datasets/budget-2024/edit' })
  assert.equal(edited.statusCode, 303)
  const history = await editor.get('/en/data/datasets/budget-2024/history')
  assert.match(history.body, /Published/)
  assert.match(history.body, /File or link added «Spending, CSV»/)
  assert.match(history.body, /Changed: title, keywords/)
  const [row] = await db.query<{ n: number }>(`select count(*)::int as n from audit_log where entity = 'dataset' and entity_id = (select id::text from datasets where name = 'budget-2024')`)
  assert.equal(row?.n, 4)
})

test('a form with bad values comes back with 400, an error summary in the page language and the values kept; nothing is stored', async (t) => {
  const { db, signIn, close } = await site()
  t.after(close)
  const editor = await signIn('agency-editor', 'finance')
  const response = await editor.post('/ru/data/datasets/new', { ...FORM, name: 'Бюджет!', 'title.kk': '', 'title.ru': '', 'title.en': '', temporalEnd: '2023-01-01', contactEmail: 'nope' }, { from: '/ru/data/datasets/new' })
  assert.equal(response.statusCode, 400)
  assert.match(response.body, /govuk-error-summary/)
  assert.match(response.body, /href="#name">[^<]*строчных латинских букв/)
  assert.match(response.body, /Введите название хотя бы на одном языке/)
  assert.match(response.body, /Конец периода не может быть раньше его начала/)
  assert.match(response.body, /value="Spending by programme"|Spending by programme<\/textarea>/, 'what was typed is kept')
  const [row] = await db.query<{ n: number }>('select count(*)::int as n from datasets')
  assert.equal(row?.n, 1)

  const noResource = await editor.postFile('/en/data/datasets/hospitals/resources/new', { url: '' }, null, { from: '/en/data/datasets/hospitals' })
  assert.equal(noResource.statusCode, 403, 'an editor of another body cannot add to its datasets')
})

test('editors of another body and citizens cannot open or submit the forms; withdrawing needs the body\'s editor', async (t) => {
  const { app, db, files, signIn, close } = await site()
  t.after(close)
  const citizen = await signIn()
  assert.equal((await citizen.get('/en/data/datasets/new')).statusCode, 403)
  const other = await signIn('agency-editor', 'finance')
  assert.equal((await other.get('/en/data/datasets/hospitals/edit')).statusCode, 403)
  assert.equal((await other.post('/en/data/datasets/new', { ...FORM, agencySlug: 'health' }, { from: '/en/data/datasets/new' })).statusCode, 403)
  assert.equal((await other.post('/en/data/datasets/hospitals/delete', {}, { from: '/en/data/datasets/new' })).statusCode, 403)
  const forged = new FormData()
  forged.append('url', '')
  forged.append('file', new Blob(['a,b\n1,2\n']), 'forged.csv')
  const forgedUpload = await app.inject({ method: 'POST', url: '/en/data/datasets/hospitals/resources/new', payload: forged, headers: { cookie: [...other.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } })
  assert.equal(forgedUpload.statusCode, 403, 'a file form without its CSRF token is refused')
  assert.deepEqual(await storedFiles(files.dir), [], 'and keeps no file')
  const anonymous = await app.inject({ url: '/en/data/datasets/new' })
  assert.equal(anonymous.statusCode, 303, 'a visitor is sent to sign in')

  const health = await signIn('agency-editor', 'health')
  const confirm = await health.get('/en/data/datasets/hospitals/delete')
  assert.match(confirm.body, /Withdraw &quot;Hospitals&quot;\?|Withdraw "Hospitals"\?/)
  const withdrawn = await health.post('/en/data/datasets/hospitals/delete', {})
  assert.equal(withdrawn.statusCode, 303)
  assert.equal((await app.inject({ url: '/en/data/datasets/hospitals' })).statusCode, 404)
  const [row] = await db.query<{ state: string }>(`select state from datasets where name = 'hospitals'`)
  assert.equal(row?.state, 'deleted')
})
