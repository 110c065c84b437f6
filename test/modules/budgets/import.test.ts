import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency, makeRegion } from '../../helpers/factories.ts'
import { makeUser } from '../../helpers/users.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'

const HEADER = 'direction,code,economic,phase,period,amount,name_kk,name_ru,name_en'
const PLAN = [
  HEADER,
  'expense,04 2 225 001 015,111,approved,Y,1000.10,,Оплата труда учителей,',
  'expense,04 2 225 001 016,151,approved,Y,"2 000,20",,,',
  'expense,05 9 226 002,111,approved,Y,500,,Здравоохранение,',
  'expense,04 2 225 001 015,111,adjusted,Y,1100.10,,,',
  'revenue,1 01 1 01,,approved,Y,3000,,,',
].join('\n')

async function setup() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-finance' })
    await makeAgency(db, { slug: 'ministry-of-health' })
    await makeRegion(db, { code: 'abai' })
  })
  const { app, db } = testApp
  const tokenOf = async (role?: 'admin' | 'agency-editor', agency?: string) => (await createApiToken(db, SYSTEM_ACTOR, (await makeUser(db, role, agency, { confirmed: true })).id, 'api')).token
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token?: string, payload?: object) =>
    app.inject({ method, url, ...(payload ? { payload } : {}), headers: { 'accept-language': 'en', ...(token ? { authorization: `Bearer ${token}` } : {}) } })
  const upload = (url: string, token: string | undefined, content: string, name = 'lines.csv') => {
    const form = new FormData()
    form.append('file', new Blob([content], { type: 'text/csv' }), name)
    return app.inject({ method: 'PUT', url, payload: form, headers: { 'accept-language': 'en', ...(token ? { authorization: `Bearer ${token}` } : {}) } })
  }
  return { ...testApp, admin: await tokenOf('admin'), keeper: await tokenOf('agency-editor', 'ministry-of-finance'), other: await tokenOf('agency-editor', 'ministry-of-health'), call, upload }
}

test('an administrator opens a budget; its keeper\'s staff import its lines; totals reconcile at every depth and phase; a re-import replaces its phases and periods', async (t) => {
  const { db, admin, keeper, other, call, upload, close } = await setup()
  t.after(close)
  const body = { level: 'republican', year: 2026, agency: 'ministry-of-finance' }
  assert.equal((await call('POST', '/api/budgets', keeper, body)).statusCode, 403, 'a body does not open budgets')
  const bad = await call('POST', '/api/budgets', admin, { ...body, regionCode: 'abai' })
  assert.equal(bad.statusCode, 400)
  assert.match(bad.body, /regionCode/)
  assert.equal((await call('POST', '/api/budgets', admin, body)).statusCode, 201)
  assert.equal((await call('POST', '/api/budgets', admin, body)).statusCode, 400, 'once a year')

  const lines = '/api/budgets/republican-2026/lines'
  assert.equal((await upload(lines, undefined, PLAN)).statusCode, 401, 'no token, no file taken')
  assert.equal((await upload(lines, other, PLAN)).statusCode, 403, 'another body\'s staff')
  const imported = await upload(lines, keeper, PLAN)
  assert.equal(imported.statusCode, 200, imported.body)
  assert.deepEqual(imported.json(), { rows: 5, replaced: [{ phase: 'adjusted', period: 'Y' }, { phase: 'approved', period: 'Y' }], dataset: 'budget-republican-2026' })

  const read = async (dimension: string, code = '') => (await call('GET', `/api/budgets/republican-2026?dimension=${dimension}&code=${encodeURIComponent(code)}`)).json() as {
    node: { approved: string | null; adjusted: string | null }; parts: Array<{ code: string; approved: string | null; name: Record<string, string> | null }>
  }
  const whole = await read('functional')
  assert.equal(whole.node.approved, '3500.30')
  assert.deepEqual(whole.parts.map((p) => [p.code, p.approved]), [['04', '3000.30'], ['05', '500.00']])
  assert.deepEqual((await read('administrative', '225 001')).parts.map((p) => [p.code, p.approved, p.name?.ru ?? null]),
    [['225 001 016', '2000.20', null], ['225 001 015', '1000.10', 'Оплата труда учителей']])
  assert.deepEqual((await read('economic')).parts.map((p) => [p.code, p.approved]), [['1', '3500.30']])
  assert.equal((await read('revenue')).node.approved, '3000.00')
  // Every node's total is the sum of its parts', in every way of reading and phase.
  const unreconciled = await db.query(
    `select p.dimension, p.code, p.phase from budget_totals p
     join budget_totals c on c.budget_id = p.budget_id and c.dimension = p.dimension and c.phase = p.phase and c.depth = p.depth + 1
       and (p.code = '' or c.code like p.code || ' %' or (p.dimension = 'economic' and p.depth = 1 and left(c.code, 1) = p.code))
     group by p.dimension, p.code, p.phase, p.amount having sum(c.amount) <> p.amount`)
  assert.deepEqual(unreconciled, [])

  // Executed by month; a second file for March replaces March alone.
  const executed = (month: string, amount: string) => `${HEADER}\nexpense,04 2 225 001 015,111,executed,${month},${amount},,,`
  assert.equal((await upload(lines, keeper, executed('M01', '100'))).statusCode, 200)
  assert.equal((await upload(lines, keeper, executed('M03', '50'))).statusCode, 200)
  assert.equal((await upload(lines, keeper, executed('M03', '70'))).statusCode, 200)
  assert.equal((await read('functional')).node.approved, '3500.30', 'an executed file leaves the plan')
  const [totals] = await db.query<{ executed: string; through: string }>(
    "select (select amount::text from budget_totals where dimension = 'functional' and code = '' and phase = 'executed') as executed, executed_through as through from budgets")
  assert.deepEqual(totals, { executed: '170.00', through: 'M03' })
  const mixed = await upload(lines, keeper, executed('Q2', '10'))
  assert.equal(mixed.statusCode, 400, 'months and quarters are not mixed')
  assert.match(mixed.body, /mixedPeriods|by month/)
})

test('a file with a wrong row changes nothing and names each wrong row, its column and why; a repeated row and an unknown column too', async (t) => {
  const { db, admin, keeper, call, upload, close } = await setup()
  t.after(close)
  await call('POST', '/api/budgets', admin, { level: 'republican', year: 2026, agency: 'ministry-of-finance' })
  const lines = '/api/budgets/republican-2026/lines'
  assert.equal((await upload(lines, keeper, PLAN)).statusCode, 200)
  const wrong = [HEADER,
    'expense,04 2 225 001 015,111,approved,Y,1,,,',
    'expense,4 2 225 001,111,approved,Y,1,,,',
    'revenue,1 01 1 01,111,approved,Y,1,,,',
    'expense,04 2 225 001 017,111,approved,M01,1,,,',
    'expense,04 2 225 001 018,111,approved,Y,1.005,,,',
    'expense,04 2 225 001 019,111,planned,Y,1,,,'].join('\n')
  const refused = await upload(lines, keeper, wrong)
  assert.equal(refused.statusCode, 400)
  const fields = (refused.json() as { errors?: Array<{ field: string }>; fields?: Array<{ field: string }> })
  const listed = JSON.stringify(fields)
  for (const [row, column] of [[3, 'code'], [4, 'economic'], [5, 'period'], [6, 'amount'], [7, 'phase']] as const) {
    assert.match(listed, new RegExp(`"field":"${column}"[^}]*Row ${row}:|Row ${row}:[^}]*"field":"${column}"`), `row ${row}, ${column}`)
  }
  const [kept] = await db.query<{ amount: string }>("select amount::text from budget_totals where dimension = 'functional' and code = '' and phase = 'approved'")
  assert.equal(kept!.amount, '3500.30', 'nothing of the refused file is kept')
  assert.equal((await db.query('select 1 from budget_staging')).length, 0)

  const twice = await upload(lines, keeper, [HEADER, 'expense,04 2 225 001 015,111,approved,Y,1,,,', 'expense,04 2 225 001 015,111,approved,Y,2,,,'].join('\n'))
  assert.equal(twice.statusCode, 400)
  assert.match(twice.body, /Row 3 repeats row 2/)
  const unknown = await upload(lines, keeper, 'direction,code,phase,period,amount,amont\nexpense,04 2 225 001 015,approved,Y,1,2')
  assert.equal(unknown.statusCode, 400)
  assert.match(unknown.body, /amont/)
  assert.equal((await upload(lines, keeper, 'x', 'lines.pdf')).statusCode, 400)
  assert.equal((await db.query<{ amount: string }>("select amount::text from budget_totals where dimension = 'functional' and code = '' and phase = 'approved'"))[0]!.amount, '3500.30')
})
