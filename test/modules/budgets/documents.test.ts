import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdir } from 'node:fs/promises'
import { setup } from './fixture.ts'
import { Readable } from 'node:stream'
import { makeUser, signedInBrowser } from '../../helpers/users.ts'
import { budgetOpennessFacts, publishBudgetDocument } from '../../../src/modules/budgets/documents.ts'
import { kazakhstanDay } from '../../../src/platform/calendar/days.ts'
import { findUserByEmail } from '../../../src/platform/auth/accounts.ts'
import type { Day } from '../../../src/platform/calendar/days.ts'

// The smallest file a PDF reader opens; its type is read from "%PDF-".
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')
const REPORT = { kind: 'execution-report', year: '2026', period: 'Q1', 'title.kk': 'І тоқсандағы есеп', 'title.ru': 'Отчёт за I квартал' }

test('a body\'s staff publish its budget documents by form and API; anyone reads and downloads them; refusals at the route; a wrong one is withdrawn with a public reason', async (t) => {
  const { app, db, files, headers, tokenOf, close } = await setup()
  t.after(close)
  const storedCount = async () => (await readdir(files.dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length
  const staff = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health')
  const body = '/ru/budgets/bodies/ministry-of-health'
  const manage = `${body}/documents`
  assert.match((await staff.get(body)).body, /href="\/ru\/budgets\/bodies\/ministry-of-health\/documents"/, 'its staff find where to publish')
  assert.equal((await staff.get(manage)).statusCode, 200)

  // Each missing field is named, in the reader's language; nothing is kept.
  const before = await storedCount()
  const empty = await staff.postFile(manage, { kind: 'execution-report', year: '2026', period: 'Q5' }, null)
  assert.equal(empty.statusCode, 400)
  for (const field of ['period', 'title.kk', 'title.ru', 'file']) assert.match(empty.body, new RegExp(`href="#${field.replace('.', '\\.')}"`), field)
  assert.match(empty.body, /Укажите название на этом языке/)
  const late = await staff.postFile(manage, { ...REPORT, year: String(Number(kazakhstanDay(new Date()).slice(0, 4)) + 2) }, { field: 'file', name: 'report.pdf', content: PDF })
  assert.match(late.body, /href="#year"/, 'a year past the next is refused')
  const program = await staff.postFile(manage, REPORT, { field: 'file', name: 'report.pdf', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]) })
  assert.equal(program.statusCode, 400, 'a program named .pdf')
  assert.equal(await storedCount(), before, 'refused forms keep no file')

  // Another body's staff, a citizen, and a form without its CSRF token are refused.
  const other = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-finance')
  assert.equal((await other.get(manage)).statusCode, 403)
  assert.equal((await other.postFile(manage, REPORT, { field: 'file', name: 'report.pdf', content: PDF }, { from: '/ru/budgets/bodies/ministry-of-finance/documents' })).statusCode, 403)
  const citizen = await signedInBrowser(app, db)
  const citizenPost = new FormData()
  citizenPost.append('file', new Blob([PDF]), 'report.pdf')
  assert.equal((await app.inject({ method: 'POST', url: manage, payload: citizenPost, headers: { cookie: citizen.cookieHeader() } })).statusCode, 403, 'a citizen\'s file is refused before it is read')
  const forged = new FormData()
  for (const [k, v] of Object.entries(REPORT)) forged.append(k, v)
  forged.append('file', new Blob([PDF]), 'report.pdf')
  assert.equal((await app.inject({ method: 'POST', url: manage, payload: forged, headers: { cookie: staff.cookieHeader() } })).statusCode, 403, 'no CSRF token')
  assert.equal(await storedCount(), before)

  const published = await staff.postFile(manage, REPORT, { field: 'file', name: 'отчёт.txt', content: PDF })
  assert.equal(published.statusCode, 303, published.body.slice(0, 1500))
  assert.equal(published.headers.location, manage)

  // With a token, as the finance ministry's systems would.
  const token = await tokenOf('agency-editor', 'ministry-of-health')
  const form = new FormData()
  for (const [k, v] of Object.entries({ kind: 'audit', year: '2025', 'title.kk': 'Аудит нәтижелері', 'title.ru': 'Результаты аудита', 'title.en': 'Audit results' })) form.append(k, v)
  form.append('file', new Blob([PDF]), 'audit.pdf')
  const viaApi = await app.inject({ method: 'POST', url: '/api/budgets/bodies/ministry-of-health/documents', payload: form, headers: headers(token) })
  assert.equal(viaApi.statusCode, 201, viaApi.body)
  assert.equal(viaApi.json().period, null, 'only an execution report has a period')
  const otherToken = await tokenOf('agency-editor', 'ministry-of-finance')
  const foreign = new FormData()
  for (const [k, v] of Object.entries(REPORT)) foreign.append(k, v)
  foreign.append('file', new Blob([PDF]), 'report.pdf')
  assert.equal((await app.inject({ method: 'POST', url: '/api/budgets/bodies/ministry-of-health/documents', payload: foreign, headers: headers(otherToken) })).statusCode, 403)

  // Anyone: the body's page lists them by year, each downloads as published.
  const listed = (await app.inject({ url: '/api/budgets/bodies/ministry-of-health/documents' })).json().documents as Array<{ id: number; year: number; kind: string; period: string | null; fileName: string; url: string }>
  assert.deepEqual(listed.map((d) => [d.year, d.kind, d.period, d.fileName]), [[2026, 'execution-report', 'Q1', 'отчёт.pdf'], [2025, 'audit', null, 'audit.pdf']])
  const page = await app.inject({ url: body })
  assert.match(page.body, /Документы о бюджете[\s\S]*2026 год[\s\S]*Отчёт за I квартал<\/a>[\s\S]*Отчёт о реализации бюджетных программ · I квартал, PDF[\s\S]*2025 год[\s\S]*Результаты аудита/)
  assert.doesNotMatch(page.body, /budgets\/bodies\/ministry-of-health\/documents"/, 'a visitor is not offered to publish')
  const download = await app.inject({ url: listed[0]!.url })
  assert.equal(download.statusCode, 200)
  assert.equal(download.headers['content-type'], 'application/pdf')
  assert.equal(download.rawPayload.compare(PDF), 0)

  // Withdrawn by its body's staff only, with a public reason: it stays listed, its file is no longer served.
  const audit = listed[1]!
  assert.equal((await app.inject({ method: 'POST', url: `/api/budgets/documents/${audit.id}/withdraw`, payload: { reason: 'Не тот файл' }, headers: headers(otherToken) })).statusCode, 403)
  assert.equal((await other.post(`${manage}/${audit.id}/withdraw`, { reason: 'Не тот файл' }, { from: '/ru/budgets/bodies/ministry-of-finance/documents' })).statusCode, 403)
  const noReason = await staff.post(`${manage}/${audit.id}/withdraw`, { reason: '  ' }, { from: manage })
  assert.equal(noReason.statusCode, 400)
  assert.match(noReason.body, new RegExp(`href="#reason\\.${audit.id}">Укажите причину`))
  const withdrawn = await staff.post(`${manage}/${audit.id}/withdraw`, { reason: 'Опубликован не тот файл' }, { from: manage })
  assert.equal(withdrawn.statusCode, 303, withdrawn.body.slice(0, 1000))
  assert.equal((await app.inject({ url: audit.url })).statusCode, 404)
  const again = await app.inject({ method: 'POST', url: `/api/budgets/documents/${audit.id}/withdraw`, payload: { reason: 'Ещё раз' }, headers: headers(token) })
  assert.equal(again.statusCode, 409, 'withdrawn once')
  const after = (await app.inject({ url: '/api/budgets/bodies/ministry-of-health/documents' })).json().documents as Array<{ id: number; status: string; url: string | null; withdrawn: { reason: string } | null }>
  assert.deepEqual(after.map((d) => [d.status, d.url === null, d.withdrawn?.reason ?? null]), [['published', false, null], ['withdrawn', true, 'Опубликован не тот файл']])
  assert.match((await app.inject({ url: body })).body, /Результаты аудита<\/span>[\s\S]*отозван<\/strong> <span class="govuk-body-s">[^<]*: Опубликован не тот файл/)
  const [kept] = await db.query<{ before: { sha256: string; fileName: string } }>("select before from audit_log where action = 'budget.document.withdraw'")
  assert.equal(kept!.before.fileName, 'audit.pdf')
  assert.match(kept!.before.sha256, /^[0-9a-f]{64}$/)
})

test('the openness index\'s facts: when each phase and period of a budget was first and last published, its body\'s documents with their days', async (t) => {
  const { app, db, files, headers, keeper, close } = await setup()
  t.after(close)
  const today = kazakhstanDay(new Date())
  const upload = async (lines: string) => {
    const form = new FormData()
    form.append('file', new Blob([lines]), 'lines.csv')
    return app.inject({ method: 'PUT', url: '/api/budgets/republican-2026/lines', payload: form, headers: headers(keeper) })
  }
  assert.equal((await upload('direction,code,economic,phase,period,amount\nexpense,05 9 226 002,121,executed,M01,10\n')).statusCode, 200)
  // An earlier day, as if M01 had first come in January: a later import keeps the first day and moves the last.
  await db.query("update budget_publications set first_on = '2026-02-03', last_on = '2026-02-03' where period = 'M01'")
  assert.equal((await upload('direction,code,economic,phase,period,amount\nexpense,05 9 226 002,121,executed,M01,12\n')).statusCode, 200)
  const [finance] = await db.query<{ id: string }>("select id from agencies where slug = 'ministry-of-finance'")
  const [health] = await db.query<{ id: string }>("select id from agencies where slug = 'ministry-of-health'")
  const facts = await budgetOpennessFacts(db, Number(finance!.id), '2026-01-01' as Day, today)
  assert.deepEqual(facts.budgets.map((b) => [b.key, b.publications.map((p) => [p.phase, p.period, p.firstOn, p.lastOn])]), [
    ['republican-2026', [['approved', 'Y', today, today], ['executed', 'M01', '2026-02-03', today]]],
  ])
  const editor = await findUserByEmail(db, (await makeUser(db, 'agency-editor', 'ministry-of-health', { confirmed: true })).email)
  const saved = await files.save(Readable.from([PDF]))
  await publishBudgetDocument(db, files, editor!, Number(health!.id), { kind: 'execution-report', year: '2026', period: 'M01', title: { kk: 'Есеп', ru: 'Отчёт' } },
    { ...saved, fileName: 'report.pdf', mediaType: 'application/pdf' }, '2026-02-10' as Day)
  const healthFacts = await budgetOpennessFacts(db, Number(health!.id), '2026-01-01' as Day, today)
  assert.deepEqual(healthFacts.documents.map((d) => [d.kind, d.year, d.period, d.publishedOn, d.hasEnglish]), [['execution-report', 2026, 'M01', '2026-02-10', false]])
  assert.deepEqual(healthFacts.budgets, [], 'a body keeps no budget: only what it administers is in its documents')
  assert.deepEqual((await budgetOpennessFacts(db, Number(health!.id), '2026-03-01' as Day, today)).documents, [], 'outside the period')
})
