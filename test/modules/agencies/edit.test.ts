import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { makeAgency, makeRegion } from '../../helpers/factories.ts'
import { Browser } from '../../helpers/forms.ts'
import { makeUser, TEST_PASSWORD } from '../../helpers/users.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'

let t: TestApp
let editorEmail: string
let adminEmail: string
let editorToken: string
let adminToken: string

before(async () => {
  t = await createTestApp(async (db) => {
    await makeRegion(db, { code: 'abai', name: { kk: 'Абай облысы', ru: 'область Абай', en: 'Abai Region' } })
    await makeAgency(db, { slug: 'akimat-abai', kind: 'local', regionCode: 'abai', name: { kk: 'Абай облысының әкімдігі', ru: 'Акимат области Абай', en: 'Akimat of Abai Region' } })
    await makeAgency(db, { slug: 'ministry-of-energy', name: { kk: 'Энергетика министрлігі', ru: 'Министерство энергетики', en: 'Ministry of Energy' } })
  })
  const editor = await makeUser(t.db, 'agency-editor', 'akimat-abai')
  const admin = await makeUser(t.db, 'admin')
  editorEmail = editor.email
  adminEmail = admin.email
  editorToken = (await createApiToken(t.db, SYSTEM_ACTOR, editor.id, 'tests')).token
  adminToken = (await createApiToken(t.db, SYSTEM_ACTOR, admin.id, 'tests')).token
})
after(() => t.close())

async function signedIn(email: string): Promise<Browser> {
  const browser = new Browser(t.app)
  const response = await browser.post('/en/sign-in', { email, password: TEST_PASSWORD })
  assert.equal(response.statusCode, 303)
  return browser
}

async function agency(slug: string) {
  return (await t.app.inject({ url: `/api/agencies/${slug}` })).json()
}

test('an editor edits their own body through the page, and the change is in its history', async () => {
  const browser = await signedIn(editorEmail)
  const page = await browser.get('/ru/agencies/akimat-abai/edit')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /value="Акимат области Абай"/)
  const saved = await browser.post('/ru/agencies/akimat-abai/edit', {
    kind: 'local', 'name.kk': 'Абай облысының әкімдігі', 'name.ru': 'Акимат области Абай', 'name.en': 'Akimat of Abai Region',
    regionCode: 'abai', phone: '+7 7222 52 00 00', email: 'Akimat@Abai.gov.kz', website: 'https://www.gov.kz/memleket/entities/abay',
  })
  assert.equal(saved.statusCode, 303)
  assert.equal(saved.headers.location, '/ru/agencies/akimat-abai')
  const after = await agency('akimat-abai')
  assert.equal(after.phone, '+7 7222 52 00 00')
  assert.equal(after.email, 'akimat@abai.gov.kz')

  const history = (await t.app.inject({ url: '/api/agencies/akimat-abai/history' })).json()
  const update = history.find((e: { action: string }) => e.action === 'agency.update')
  // Shown by role (the test's accounts have no name), never by email address.
  assert.deepEqual(update.actor, { name: '', role: 'agency-editor' })
  assert.doesNotMatch(JSON.stringify(history), /@example\.kz/)
  assert.equal(update.before.phone, null)
  assert.equal(update.after.phone, '+7 7222 52 00 00')
  const page2 = (await t.app.inject({ url: '/ru/agencies/akimat-abai/history' })).body
  assert.match(page2, /Изменён: Телефон, Электронная почта, Сайт/)
  assert.ok(!page2.includes(editorEmail), 'no editor\'s email address on a public page')
  assert.match(page2, /Редактор госоргана/)
  const show = (await browser.get('/ru/agencies/akimat-abai')).body
  assert.match(show, /href="\/ru\/agencies\/akimat-abai\/history"/)
  assert.match(show, /href="\/ru\/agencies\/akimat-abai\/edit"/, 'the editor sees the edit button')
})

test('an editor of one body gets 403 on another, through the page and the API, and nothing changes', async () => {
  const browser = await signedIn(editorEmail)
  assert.equal((await browser.get('/en/agencies/ministry-of-energy/edit')).statusCode, 403)
  const posted = await browser.post('/en/agencies/ministry-of-energy/edit', { kind: 'central', 'name.en': 'Hijacked' }, { from: '/en/agencies/akimat-abai/edit' })
  assert.equal(posted.statusCode, 403)
  const api = await t.app.inject({
    method: 'PATCH', url: '/api/agencies/ministry-of-energy', headers: { authorization: `Bearer ${editorToken}`, 'accept-language': 'ru' },
    payload: { name: { en: 'Hijacked' } },
  })
  assert.equal(api.statusCode, 403)
  assert.match(String(api.headers['content-type']), /problem\+json/)
  assert.equal(api.json().title, 'У вас нет доступа к этой странице')
  assert.equal((await agency('ministry-of-energy')).name.en, 'Ministry of Energy')
  assert.doesNotMatch((await browser.get('/en/agencies/ministry-of-energy')).body, /\/edit"/, 'no edit button on another body')
})

test('without signing in, the edit page asks to sign in and the API answers 401', async () => {
  const page = await t.app.inject({ url: '/kk/agencies/akimat-abai/edit' })
  assert.equal(page.statusCode, 303)
  assert.equal(page.headers.location, '/kk/sign-in?next=%2Fkk%2Fagencies%2Fakimat-abai%2Fedit')
  const api = await t.app.inject({ method: 'PATCH', url: '/api/agencies/akimat-abai', payload: { phone: '1' } })
  assert.equal(api.statusCode, 401)
  assert.equal(api.headers['www-authenticate'], 'Bearer')
  const forged = await t.app.inject({ method: 'PATCH', url: '/api/agencies/akimat-abai', headers: { authorization: 'Bearer ashyq_not-a-real-token' }, payload: { phone: '1' } })
  assert.equal(forged.statusCode, 401)
})

test('the API edits with a token: only the fields given change, bad input is a 400 naming the field and changes nothing', async () => {
  const patched = await t.app.inject({
    method: 'PATCH', url: '/api/agencies/akimat-abai', headers: { authorization: `Bearer ${editorToken}` },
    payload: { headName: { kk: 'Нұржан Есенов', ru: 'Нуржан Есенов', en: 'Nurzhan Yessenov' } },
  })
  assert.equal(patched.statusCode, 200, patched.body)
  assert.equal(patched.json().head.name.en, 'Nurzhan Yessenov')
  assert.equal(patched.json().region.code, 'abai', 'other fields kept')

  const before = await agency('akimat-abai')
  const bad = await t.app.inject({
    method: 'PATCH', url: '/api/agencies/akimat-abai', headers: { authorization: `Bearer ${editorToken}`, 'accept-language': 'en' },
    payload: { website: 'not a url', parentSlug: 'akimat-abai' },
  })
  assert.equal(bad.statusCode, 400)
  const fields = bad.json().errors.map((e: { field: string }) => e.field).sort()
  assert.deepEqual(fields, ['parentSlug', 'website'])
  assert.match(bad.json().detail, /website: Enter a web address starting with https:\/\//)
  const unknown = await t.app.inject({
    method: 'PATCH', url: '/api/agencies/akimat-abai', headers: { authorization: `Bearer ${editorToken}`, 'accept-language': 'kk' },
    payload: { budget: 1000000 },
  })
  assert.equal(unknown.statusCode, 400)
  assert.match(unknown.json().errors[0].message, /budget: белгісіз өріс/)
  assert.deepEqual(await agency('akimat-abai'), before)
})

test('only an administrator adds a body, through the page or the API', async () => {
  const editorCreates = await t.app.inject({
    method: 'POST', url: '/api/agencies', headers: { authorization: `Bearer ${editorToken}` },
    payload: { slug: 'new-body', kind: 'quasi', name: { en: 'New body' } },
  })
  assert.equal(editorCreates.statusCode, 403)

  const created = await t.app.inject({
    method: 'POST', url: '/api/agencies', headers: { authorization: `Bearer ${adminToken}` },
    payload: { slug: 'kazakhtelecom', kind: 'quasi', name: { kk: 'Қазақтелеком', ru: 'Казахтелеком', en: 'Kazakhtelecom' }, regionCode: 'abai' },
  })
  assert.equal(created.statusCode, 201, created.body)
  assert.equal(created.json().slug, 'kazakhtelecom')
  const duplicate = await t.app.inject({
    method: 'POST', url: '/api/agencies', headers: { authorization: `Bearer ${adminToken}` },
    payload: { slug: 'kazakhtelecom', kind: 'quasi', name: { en: 'Again' } },
  })
  assert.equal(duplicate.statusCode, 400)
  assert.equal(duplicate.json().errors[0].field, 'slug')

  const browser = await signedIn(adminEmail)
  const form = await browser.get('/kk/agencies/new')
  assert.equal(form.statusCode, 200)
  const invalid = await browser.post('/kk/agencies/new', { slug: 'Bad Slug', kind: 'central' })
  assert.equal(invalid.statusCode, 400)
  assert.match(invalid.body, /govuk-error-summary/)
  assert.match(invalid.body, /Кіші латын әріптерін/)
  const added = await browser.post('/kk/agencies/new', {
    slug: 'ministry-of-tourism', kind: 'central', 'name.kk': 'Туризм және спорт министрлігі', 'name.ru': 'Министерство туризма и спорта',
    parentSlug: '', regionCode: '',
  }, { from: '/kk/agencies/new' })
  assert.equal(added.statusCode, 303)
  assert.equal((await agency('ministry-of-tourism')).name.ru, 'Министерство туризма и спорта')
  const history = (await t.app.inject({ url: '/api/agencies/ministry-of-tourism/history' })).json()
  assert.equal(history[0].action, 'agency.create')
  assert.deepEqual(history[0].actor, { name: '', role: 'admin' })
})

test('a body cannot be made subordinate to its own subordinate', async () => {
  await t.app.inject({ method: 'POST', url: '/api/agencies', headers: { authorization: `Bearer ${adminToken}` }, payload: { slug: 'committee-x', kind: 'central', name: { en: 'Committee X' }, parentSlug: 'ministry-of-energy' } })
  const cycle = await t.app.inject({
    method: 'PATCH', url: '/api/agencies/ministry-of-energy', headers: { authorization: `Bearer ${adminToken}` },
    payload: { parentSlug: 'committee-x' },
  })
  assert.equal(cycle.statusCode, 400)
  assert.equal(cycle.json().errors[0].field, 'parentSlug')
})
