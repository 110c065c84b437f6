import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../../helpers/app.ts'
import { makeAgency, makeDataset } from '../../../helpers/factories.ts'
import { signedInBrowser } from '../../../helpers/users.ts'
import type { Role } from '../../../../src/platform/auth/roles.ts'
import { entryState } from '../../../../src/modules/data/unified-list/service.ts'

const NOW = new Date('2026-11-23T12:00:00Z')

test('an entry\'s state follows its schedule: each deadline asks for data newer than the period before it', () => {
  // Monthly from 15 January: the deadline that has come is 15 November; data must be newer than 15 October.
  assert.deepEqual(entryState('monthly', '2026-01-15', '2026-11-01T08:00:00Z', NOW), { state: 'on-time', dueAt: '2026-12-15', overdueDays: null })
  assert.deepEqual(entryState('monthly', '2026-01-15', '2026-10-01T08:00:00Z', NOW), { state: 'overdue', dueAt: '2026-11-15', overdueDays: 8 })
  assert.deepEqual(entryState('monthly', '2026-01-15', null, NOW), { state: 'not-published', dueAt: '2026-01-15', overdueDays: 312 })
  assert.deepEqual(entryState('annual', '2027-03-01', null, NOW), { state: 'upcoming', dueAt: '2027-03-01', overdueDays: null })
  assert.deepEqual(entryState('annual', '2027-03-01', '2026-05-01T00:00:00Z', NOW), { state: 'on-time', dueAt: '2027-03-01', overdueDays: null })
  assert.deepEqual(entryState('quarterly', '2024-03-31', '2026-08-01T00:00:00Z', NOW), { state: 'on-time', dueAt: '2026-12-31', overdueDays: null })
  assert.deepEqual(entryState('quarterly', '2024-03-31', '2026-06-01T00:00:00Z', NOW), { state: 'overdue', dueAt: '2026-09-30', overdueDays: 54 })
  assert.deepEqual(entryState('daily', '2020-01-01', '2026-11-22T10:00:00Z', NOW), { state: 'on-time', dueAt: '2026-11-23', overdueDays: null })
  assert.deepEqual(entryState('daily', '2020-01-01', '2026-11-21T10:00:00Z', NOW), { state: 'overdue', dueAt: '2026-11-22', overdueDays: 1 })
  assert.deepEqual(entryState('monthly', '2026-11-23', null, NOW), { state: 'upcoming', dueAt: '2026-11-23', overdueDays: null }, 'a deadline day is not over until it ends')
  assert.deepEqual(entryState('irregular', '2025-01-01', '2025-02-01T00:00:00Z', NOW), { state: 'on-time', dueAt: null, overdueDays: null })
})

const CSV = [
  'code;agency;title_kk;title_ru;title_en;frequency;first_deadline;dataset',
  'MF-001;finance;Бюджет;Бюджет;Budget;monthly;2026-01-15;budget',
  'MF-002;finance;Борыш;Долг;Debt;quarterly;2025-03-31;',
  'MH-001;health;Ауруханалар;Больницы;Hospitals;annual;2027-03-01;',
].join('\n')

async function site() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'finance', name: { kk: 'Қаржы министрлігі', ru: 'Министерство финансов', en: 'Ministry of Finance' } })
    await makeAgency(db, { slug: 'health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    await makeDataset(db, 'finance', { name: 'budget', frequency: 'monthly', title: { en: 'Budget execution' } })
    await makeDataset(db, 'finance', { name: 'debt', frequency: 'quarterly', title: { en: 'Government debt' } })
    await makeDataset(db, 'health', { name: 'hospitals', title: { en: 'Hospitals' } })
  })
  const signIn = (role?: Role, agency?: string) => signedInBrowser(testApp.app, testApp.db, role, agency)
  return { ...testApp, signIn }
}

test('an administrator loads the list from CSV; the public sees each body\'s list and its state; the JSON says the same', async (t) => {
  const { app, signIn, close } = await site()
  t.after(close)
  const admin = await signIn('admin')
  const loaded = await admin.postFile('/en/data/unified-list/import', {}, { field: 'file', name: 'list.csv', content: `\uFEFF${CSV}`, type: 'text/csv' }, { from: '/en/data/unified-list/import' })
  assert.equal(loaded.statusCode, 200, loaded.body.slice(0, 400))
  assert.match(loaded.body, /3 added, 0 updated, 0 unchanged/)

  const overview = await app.inject({ url: '/en/data/unified-list' })
  assert.match(overview.body, /Ministry of Finance/)
  assert.match(overview.body, /Not due yet: <strong>1<\/strong>/)
  const finance = await app.inject({ url: '/ru/data/unified-list/finance' })
  assert.match(finance.body, /Опубликовано в срок/, 'the budget was published today: on time')
  assert.match(finance.body, /Не опубликовано, просрочка \d+ д/, 'the debt entry has no dataset')
  const json = (await app.inject({ url: '/api/data/unified-list?agency=finance' })).json()
  assert.deepEqual(json.map((e: { code: string; state: string; dataset: { name: string } | null }) => [e.code, e.state, e.dataset?.name ?? null]), [
    ['MF-001', 'on-time', 'budget'], ['MF-002', 'not-published', null],
  ])

  const reloaded = await admin.postFile('/en/data/unified-list/import', {}, { field: 'file', name: 'list.csv', content: CSV.replace('Hospitals;annual', 'Hospitals and beds;annual'), type: 'text/csv' }, { from: '/en/data/unified-list/import' })
  assert.match(reloaded.body, /0 added, 1 updated, 2 unchanged/, 'a reloaded list updates entries by their code')
})

test('a file with bad rows is refused whole, each problem named with its line, in the page language', async (t) => {
  const { db, signIn, close } = await site()
  t.after(close)
  const admin = await signIn('admin')
  const bad = [
    'code,agency,title_kk,title_ru,title_en,frequency,first_deadline,dataset',
    'OK-1,finance,Бюджет,Бюджет,Budget,monthly,2026-01-15,',
    'BAD-2,no-such-body,А,Б,C,monthly,2026-01-15,',
    'BAD-3,finance,А,Б,C,hourly,15.01.2026,',
    'BAD-4,health,А,Б,C,annual,2026-01-15,budget',
  ].join('\n')
  const response = await admin.postFile('/ru/data/unified-list/import', {}, { field: 'file', name: 'list.csv', content: bad }, { from: '/ru/data/unified-list/import' })
  assert.equal(response.statusCode, 400)
  assert.match(response.body, /Строка 3, agencySlug: Такого государственного органа нет/)
  assert.match(response.body, /Строка 4, frequency:/)
  assert.match(response.body, /Строка 4, firstDeadline: Введите дату/)
  assert.match(response.body, /Строка 5, datasetName: Этот набор данных принадлежит другому органу/)
  const [row] = await db.query<{ n: number }>('select count(*)::int as n from data_list_entries')
  assert.equal(row?.n, 0, 'not even the good row is stored')

  const columns = await admin.postFile('/en/data/unified-list/import', {}, { field: 'file', name: 'x.csv', content: 'a,b\n1,2\n' }, { from: '/en/data/unified-list/import' })
  assert.match(columns.body, /The first row must name the columns/)
  const binary = await admin.postFile('/en/data/unified-list/import', {}, { field: 'file', name: 'x.csv', content: '\u0000\uFFFD\uFFFD' }, { from: '/en/data/unified-list/import' })
  assert.equal(binary.statusCode, 400)
})

test('a body\'s editor links a dataset of their own body to an entry, and no other; only administrators load the list', async (t) => {
  const { app, db, signIn, close } = await site()
  t.after(close)
  const admin = await signIn('admin')
  await admin.postFile('/en/data/unified-list/import', {}, { field: 'file', name: 'list.csv', content: CSV }, { from: '/en/data/unified-list/import' })
  const editor = await signIn('agency-editor', 'finance')
  assert.equal((await editor.get('/en/data/unified-list/import')).statusCode, 403)
  const page = await editor.get('/en/data/unified-list/finance')
  assert.match(page.body, /Your to-do list/)
  const [debtEntry] = await db.query<{ id: number }>(`select id from data_list_entries where code = 'MF-002'`)
  const linked = await editor.post(`/en/data/unified-list/entries/${debtEntry!.id}/link`, { datasetName: 'debt' }, { from: '/en/data/unified-list/finance' })
  assert.equal(linked.statusCode, 303)
  const json = (await app.inject({ url: '/api/data/unified-list?agency=finance' })).json()
  assert.equal(json.find((e: { code: string }) => e.code === 'MF-002').state, 'on-time')

  const foreign = await editor.post(`/en/data/unified-list/entries/${debtEntry!.id}/link`, { datasetName: 'hospitals' }, { from: '/en/data/unified-list/finance' })
  assert.equal(foreign.statusCode, 400)
  assert.match(foreign.body, /This dataset belongs to another body/)
  const [healthEntry] = await db.query<{ id: number }>(`select id from data_list_entries where code = 'MH-001'`)
  const otherBody = await editor.post(`/en/data/unified-list/entries/${healthEntry!.id}/link`, { datasetName: 'hospitals' }, { from: '/en/data/unified-list/finance' })
  assert.equal(otherBody.statusCode, 403)

  const single = await admin.post('/en/data/unified-list/entries', {
    code: 'MH-002', agencySlug: 'health', 'title.kk': 'Дәріханалар', 'title.ru': 'Аптеки', 'title.en': 'Pharmacies', frequency: 'annual', firstDeadline: '2027-01-01', datasetName: '',
  }, { from: '/en/data/unified-list/import' })
  assert.equal(single.statusCode, 303)
  assert.equal((await app.inject({ url: '/api/data/unified-list?agency=health' })).json().length, 2)
})

test('one function judges an entry: the dataset page and the list say the same days overdue; each body\'s row adds up', async (t) => {
  const { app, db, signIn, close } = await site()
  t.after(close)
  const admin = await signIn('admin')
  await admin.postFile('/en/data/unified-list/import', {}, { field: 'file', name: 'list.csv', content: CSV, type: 'text/csv' }, { from: '/en/data/unified-list/import' })
  // Data two and a half months old: by its frequency alone the budget would be overdue since a month
  // after it; on the list's schedule (the 15th of each month) it is late since the last missed 15th.
  const updated = new Date(Date.now() - 75 * 24 * 60 * 60 * 1000)
  await db.query(`update datasets set data_updated_at = $1 where name = 'budget'`, [updated.toISOString()])
  const expected = entryState('monthly', '2026-01-15', updated.toISOString(), new Date())
  assert.equal(expected.state, 'overdue')
  const days = new RegExp(`Overdue by ${expected.overdueDays} day`)
  assert.match((await app.inject({ url: '/en/data/unified-list/finance' })).body, days)
  assert.match((await app.inject({ url: '/en/data/datasets/budget' })).body, days)

  const overview = await app.inject({ url: '/en/data/unified-list' })
  const rows = [...overview.body.matchAll(/<tr class="govuk-table__row">\s*<th scope="row"[\s\S]*?<\/tr>/g)].map((m) => [...m[0].matchAll(/govuk-table__cell--numeric">(\d+)</g)].map((c) => Number(c[1])))
  assert.equal(rows.length, 2)
  for (const [total, ...states] of rows) assert.equal(states.reduce((a, b) => a + b, 0), total, 'on time + overdue + not published + not due yet = total')
})
