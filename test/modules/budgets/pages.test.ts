import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency, makeRegion } from '../../helpers/factories.ts'
import { makeUser, signedInBrowser } from '../../helpers/users.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'
import { XLSX_TYPE } from '../../../src/platform/files/spreadsheet.ts'

const HEADER = 'direction,code,economic,phase,period,amount,name_kk,name_ru,name_en'
// Execution through June: half the year. Nine tenths of an even pace is 45 % of the plan: education
// spent exactly that (not marked), health a tiyn less (marked).
const LINES = [
  HEADER,
  'expense,04 2 225 001 015,111,approved,Y,900.00,,,Teachers\' pay',
  'expense,04 2 225 001 015,111,adjusted,Y,1000.00,,,',
  'expense,04 2 225 001 015,111,executed,M06,450.00,,,',
  'expense,05 9 226 002,121,approved,Y,1000.00,,,Medicines',
  'expense,05 9 226 002,121,executed,M06,449.99,,,',
  'revenue,1 01 1 01,,approved,Y,2500.55,,,',
].join('\n')

const rowOf = (html: string, code: string) => (html.split('<tr').find((row) => row.includes(`>${code}</td>`)) ?? '').split('</tr>')[0]!

async function setup() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-finance' })
    await makeAgency(db, { slug: 'ministry-of-enlightenment', name: { en: 'Ministry of Enlightenment' } })
    await makeAgency(db, { slug: 'ministry-of-health', name: { en: 'Ministry of Health' } })
    await makeAgency(db, { slug: 'ministry-of-justice' })
    // The country: two regions of 300 and 200 people.
    await makeRegion(db, { code: 'abai' })
    await makeRegion(db, { code: 'astana' })
    await db.query("update regions set population = case code when 'abai' then 300 else 200 end")
  })
  const { app, db } = testApp
  const tokenOf = async (role: 'admin' | 'agency-editor', agency?: string) => (await createApiToken(db, SYSTEM_ACTOR, (await makeUser(db, role, agency, { confirmed: true })).id, 'api')).token
  const admin = await tokenOf('admin')
  const keeper = await tokenOf('agency-editor', 'ministry-of-finance')
  const headers = (token: string) => ({ 'accept-language': 'en', authorization: `Bearer ${token}` })
  const upload = async (content: string) => {
    const form = new FormData()
    form.append('file', new Blob([content], { type: 'text/csv' }), 'lines.csv')
    const response = await app.inject({ method: 'PUT', url: '/api/budgets/republican-2026/lines', payload: form, headers: headers(keeper) })
    assert.equal(response.statusCode, 200, response.body)
  }
  assert.equal((await app.inject({ method: 'POST', url: '/api/budgets', payload: { level: 'republican', year: 2026, agency: 'ministry-of-finance' }, headers: headers(admin) })).statusCode, 201)
  const named = await app.inject({
    method: 'PUT', url: '/api/budgets/names', headers: headers(admin), payload: {
      names: [
        { dimension: 'functional', code: '04', name: { en: 'Education' } },
        { dimension: 'functional', code: '05', name: { en: 'Health' } },
        { dimension: 'economic', code: '1', name: { en: 'Current expenses' } },
        { dimension: 'economic', code: '111', name: { en: 'Wages' } },
      ],
    },
  })
  assert.equal(named.statusCode, 200, named.body)
  const administrators = await app.inject({
    method: 'PUT', url: '/api/budgets/names?budget=republican-2026', headers: headers(keeper), payload: {
      names: [
        { dimension: 'administrative', code: '225', name: { en: 'Ministry of Enlightenment' }, agency: 'ministry-of-enlightenment' },
        { dimension: 'administrative', code: '226', name: { en: 'Ministry of Health' }, agency: 'ministry-of-health' },
      ],
    },
  })
  assert.equal(administrators.statusCode, 200, administrators.body)
  await upload(LINES)
  return { ...testApp, admin, keeper, tokenOf, headers, upload, get: (url: string) => app.inject({ url }) }
}

test('a budget is read down its classification: a treemap of the plan, execution bars with under-spending marked one tiyn past the bound, a table of parts, each level as CSV, XLSX and JSON', async (t) => {
  const { get, upload, close } = await setup()
  t.after(close)
  const list = await get('/en/budgets')
  assert.equal(list.statusCode, 200)
  assert.match(list.body, /href="\/en\/budgets\/republican-2026"/)
  assert.match(list.body, /class="ashyq-chart__svg"/, 'the latest republican budget drawn on the list')

  const whole = await get('/en/budgets/republican-2026')
  assert.equal(whole.statusCode, 200)
  assert.match(whole.body, /Republican budget for 2026/)
  assert.match(whole.body, /Execution covers January–June/)
  assert.match(rowOf(whole.body, '04'), /href="\/en\/budgets\/republican-2026\?code=04">Education</)
  assert.doesNotMatch(rowOf(whole.body, '04'), /behind/, 'spent exactly nine tenths of an even pace')
  assert.match(rowOf(whole.body, '05'), /behind/, 'a tiyn less')
  assert.match(whole.body, /less than 45% of its plan spent/)
  assert.ok((whole.body.match(/class="ashyq-chart__svg"/g) ?? []).length >= 4, 'a treemap and bars, each for phones and wider screens')

  // Down to a programme's subprogramme, which has no parts to link to.
  const programme = await get(`/en/budgets/republican-2026?code=${encodeURIComponent('04 2 225 001')}`)
  assert.equal(programme.statusCode, 200)
  assert.match(programme.body, /href="\/en\/budgets\/republican-2026\?code=04">04 Education</, 'the way back up')
  assert.match(rowOf(programme.body, '04 2 225 001 015'), /<td class="govuk-table__cell">Teachers&#39;? pay<\/td>|>Teachers(&#39;|&#x27;|')s? pay</)
  assert.doesNotMatch(rowOf(programme.body, '04 2 225 001 015'), /<a /)
  // An economic specific is reached through its category.
  const specific = await get('/en/budgets/republican-2026?dimension=economic&code=111')
  assert.equal(specific.statusCode, 200)
  assert.match(specific.body, /href="\/en\/budgets\/republican-2026\?dimension=economic&amp;code=1">1 Current expenses</)
  assert.match(rowOf((await get('/en/budgets/republican-2026?dimension=economic&code=1')).body, '111'), /Wages/)
  assert.match((await get('/en/budgets/republican-2026?dimension=revenue')).body, /2,500\.6|2 500,6|0\.0/)
  assert.equal((await get('/en/budgets/republican-2026?code=99')).statusCode, 400)
  assert.equal((await get('/en/budgets/nowhere-2026')).statusCode, 404)

  // The table as files: tenge exact in CSV and JSON.
  const csv = await get(`/en/budgets/republican-2026/table.csv?code=04`)
  assert.equal(csv.statusCode, 200)
  assert.match(csv.body, /04 2,Primary|04 2,04 2|04 2,[^,]*,900\.00,1000\.00,450\.00,45\n/)
  const json = await get('/api/budgets/republican-2026?dimension=revenue')
  assert.equal((json.json() as { node: { approved: string } }).node.approved, '2500.55')
  const xlsx = await get('/kk/budgets/republican-2026/table.xlsx?dimension=administrative')
  assert.equal(xlsx.statusCode, 200)
  assert.equal(xlsx.headers['content-type'], XLSX_TYPE)

  // Kept pages follow an import: the marked part is marked no more once its June is re-imported.
  await upload([HEADER, 'expense,04 2 225 001 015,111,executed,M06,450.00,,,', 'expense,05 9 226 002,121,executed,M06,450.00,,,'].join('\n'))
  assert.doesNotMatch(rowOf((await get('/en/budgets/republican-2026')).body, '05'), /behind/)
})

test('a body\'s budget page lists the programmes it administers, and the body\'s page links to it only when it has some', async (t) => {
  const { get, close } = await setup()
  t.after(close)
  const health = await get('/en/budgets/bodies/ministry-of-health')
  assert.equal(health.statusCode, 200)
  assert.match(health.body, /Administrator 226/)
  assert.match(health.body, /href="\/en\/budgets\/republican-2026\?dimension=administrative&#38;code=226\+002">Medicines</)
  assert.match((await get('/en/agencies/ministry-of-health')).body, /href="\/en\/budgets\/bodies\/ministry-of-health"/)
  assert.match((await get('/en/agencies/ministry-of-finance')).body, /href="\/en\/budgets\/bodies\/ministry-of-finance"/, 'the budget\'s keeper')
  assert.doesNotMatch((await get('/en/agencies/ministry-of-justice')).body, /\/budgets\/bodies\//)
  assert.equal((await get('/en/budgets/bodies/no-such-body')).statusCode, 404)
})

test('a budget program is found by its name in any language, by its administrative or functional code; a wildcard is taken as itself', async (t) => {
  const { get, close } = await setup()
  t.after(close)
  const found = async (q: string) => {
    const page = await get(`/en/budgets?q=${encodeURIComponent(q)}`)
    assert.equal(page.statusCode, 200)
    return [...page.body.matchAll(/code=(\d+)\+(\d+)(?:\+(\d+))?">([^<]+)</g)].map((m) => [[m[1], m[2], m[3]].filter(Boolean).join(' '), m[4]])
  }
  assert.deepEqual(await found('medic'), [['226 002', 'Medicines']])
  assert.deepEqual(await found('226 002'), [['226 002', 'Medicines']])
  assert.deepEqual(await found('226002'), [['226 002', 'Medicines']])
  assert.deepEqual(await found('05 9 226 002'), [['226 002', 'Medicines']], 'a functional code')
  assert.deepEqual(await found('TEACHERS'), [['225 001 015', 'Teachers&#39; pay']])
  assert.deepEqual(await found('_'), [], 'an underscore matches no name of one letter')
  assert.deepEqual(await found('%'), [])
  const site = await get(`/en/search?q=medicines`)
  assert.match(site.body, /href="\/en\/budgets\/republican-2026\?dimension=administrative&amp;code=226\+002"/, 'in the site search')
})

test('amounts per head: the republican budget divided by the country\'s people, the switch keeping the way down; unknown a region\'s population, no switch', async (t) => {
  const { db, get, close } = await setup()
  t.after(close)
  const perHead = await get('/en/budgets/republican-2026?code=04&per=capita')
  assert.equal(perHead.statusCode, 200)
  // 900.00 tenge approved, 1,000.00 adjusted and 450.00 executed for 500 people: 1.8, 2 and 0.9 tenge a head, in whole tenge.
  assert.match(rowOf(perHead.body.slice(perHead.body.indexOf('Its parts')), '04 2'), /numeric">2<\/td>\s*<td[^>]*numeric">2<\/td>\s*<td[^>]*numeric">1<\/td>/)
  assert.match(perHead.body, /per head of 500 people/)
  assert.match(perHead.body, /href="\/en\/budgets\/republican-2026\?code=04"[^>]*>In total</, 'back to totals, at the same node')
  assert.match(perHead.body, /href="\/en\/budgets\/republican-2026\?dimension=economic&amp;per=capita"/, 'the ways of reading keep the switch')
  assert.match((await get('/en/budgets/republican-2026?code=04')).body, /href="\/en\/budgets\/republican-2026\?code=04&amp;per=capita"/)
  await db.query("update regions set population = null where code = 'astana'")
  const unknown = await get('/en/budgets/republican-2026?per=capita')
  assert.doesNotMatch(unknown.body, /per head of/)
  assert.doesNotMatch(unknown.body, />Per head</, 'no switch without the whole population')
})

test('a node across the years as a line, and in one year\'s prices by the consumer price index once the index reaches every year; the index kept by administrators alone', async (t) => {
  const { app, get, admin, keeper, headers, close } = await setup()
  t.after(close)
  assert.equal((await app.inject({ method: 'POST', url: '/api/budgets', payload: { level: 'republican', year: 2025, agency: 'ministry-of-finance' }, headers: headers(admin) })).statusCode, 201)
  const form = new FormData()
  form.append('file', new Blob([`${HEADER}\nexpense,04 2 225 001 015,111,approved,Y,1000000000.00,,,`], { type: 'text/csv' }), 'lines.csv')
  assert.equal((await app.inject({ method: 'PUT', url: '/api/budgets/republican-2025/lines', payload: form, headers: headers(keeper) })).statusCode, 200)
  const url = `/en/budgets/republican-2026?code=04`
  const current = await get(url)
  assert.match(current.body, /04 Education across the years, tenge/)
  assert.match(current.body, /<td class="govuk-table__cell govuk-table__cell--numeric">1,000\.0<\/td>/, '2025 in its own prices')
  assert.doesNotMatch(current.body, /prices=constant/, 'no index, no switch')

  const index = (token: string, years: object[]) => app.inject({ method: 'PUT', url: '/api/budgets/price-index', headers: headers(token), payload: { source: { name: { en: 'Bureau of National Statistics' }, url: 'https://stat.gov.kz' }, years } })
  assert.equal((await index(keeper, [{ year: 2026, index: 110 }])).statusCode, 403, 'a budget\'s keeper does not keep the index')
  const wrong = await index(admin, [{ year: 2026, index: 110.005 }, { year: 2026, index: 0 }])
  assert.equal(wrong.statusCode, 400)
  assert.match(wrong.body, /years\[0\]\.index/)
  assert.match(wrong.body, /years\[1\]\.index/)
  assert.equal((await index(admin, [{ year: 2025, index: 108.7 }])).statusCode, 200)
  assert.doesNotMatch((await get(url)).body, /prices=constant/, '2026 not yet reached by the index')
  assert.equal((await index(admin, [{ year: 2026, index: 110 }])).statusCode, 200)
  assert.match((await get(url)).body, /href="\/en\/budgets\/republican-2026\?code=04&amp;prices=constant"/)
  const constant = await get(`${url}&prices=constant`)
  assert.match(constant.body, /\(in 2026 prices\)/)
  assert.match(constant.body, /<td class="govuk-table__cell govuk-table__cell--numeric">1,100\.0<\/td>/, '2025 in 2026 prices: ×1.1')
  assert.match(constant.body, /consumer price index: Bureau of National Statistics/)
  assert.deepEqual((await get('/api/budgets/price-index')).json(), { years: [
    { year: 2025, index: 108.7, source: { name: { en: 'Bureau of National Statistics' }, url: 'https://stat.gov.kz' } },
    { year: 2026, index: 110, source: { name: { en: 'Bureau of National Statistics' }, url: 'https://stat.gov.kz' } },
  ] })
})

test('a programme\'s passport: its goal and target indicators, met at the plan exactly and not met one step past it, shown on the programme by body and by function; kept by the budget\'s keeper alone', async (t) => {
  const { app, get, keeper, tokenOf, headers, close } = await setup()
  t.after(close)
  const put = async (token: string, passports: object[]) => app.inject({ method: 'PUT', url: '/api/budgets/republican-2026/passports', headers: headers(token), payload: { passports } })
  const passport = {
    programme: '225 001', goal: { en: 'Every teacher paid in time' },
    indicators: [
      { name: { en: 'Teachers paid in time' }, unit: { en: '%' }, better: 'higher', planned: 98.5, achieved: 98.5 },
      { name: { en: 'Vacancies' }, better: 'lower', planned: 5, achieved: 5.0001 },
      { name: { en: 'Teachers trained' }, better: 'higher', planned: 1200 },
    ],
  }
  assert.equal((await put(await tokenOf('agency-editor', 'ministry-of-health'), [passport])).statusCode, 403, 'another body\'s staff')
  const unknown = await put(keeper, [{ ...passport, programme: '999 001' }])
  assert.equal(unknown.statusCode, 400)
  assert.match(unknown.body, /passports\[0\]\.programme[\s\S]*999 001|999 001[\s\S]*passports\[0\]\.programme/)
  assert.equal((await put(keeper, [passport])).statusCode, 200)

  for (const url of ['/en/budgets/republican-2026?dimension=administrative&code=225%20001', '/en/budgets/republican-2026?code=04%202%20225%20001']) {
    const page = (await get(url)).body
    assert.match(page, /Every teacher paid in time/, url)
    const row = (name: string) => (page.split('<tr').find((r) => r.includes(name)) ?? '').split('</tr>')[0]!
    assert.match(row('Teachers paid in time, %'), />met</, 'achieved exactly the plan')
    assert.match(row('Vacancies'), /not met/, 'one step past the plan where lower is better')
    assert.match(row('Teachers trained'), /not reported yet/)
  }
  const api = (await get('/api/budgets/republican-2026?dimension=administrative&code=225%20001')).json() as { passport: { indicators: Array<{ planned: string; achieved: string | null }> } }
  assert.deepEqual(api.passport.indicators.map((i) => [i.planned, i.achieved]), [['98.5', '98.5'], ['5', '5.0001'], ['1200', null]])
  assert.equal(((await get('/api/budgets/republican-2026?dimension=administrative&code=226%20002')).json() as { passport: unknown }).passport, null)
  // The body's budget page counts them beside the programme's execution.
  assert.match((await get('/en/budgets/bodies/ministry-of-enlightenment')).body, />Met: 1 of 3</)
})

test('a citizens\' budget written by the budget\'s keeper in plain words, with a chart drawn from the figures; refused to others, to a missing language and without a CSRF token', async (t) => {
  const { app, db, get, close } = await setup()
  t.after(close)
  const page = '/en/budgets/republican-2026/citizens'
  const form = `${page}/edit`
  assert.equal((await get(page)).statusCode, 404, 'not written yet')
  assert.doesNotMatch((await get('/en/budgets/republican-2026')).body, /\/citizens"/)
  const anonymous = await get(form)
  assert.equal(anonymous.statusCode, 303)
  assert.match(String(anonymous.headers.location), /sign-in/)
  const other = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health')
  assert.equal((await other.get(form)).statusCode, 403, 'another body\'s staff')
  const keeper = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-finance')
  assert.equal((await keeper.get(form)).statusCode, 200)
  const fields = {
    'lead.kk': 'Бюджет қарапайым тілмен.', 'lead.ru': 'Бюджет простыми словами.\n\nВторой абзац.', 'lead.en': 'The budget in plain words.',
    'section1.heading.kk': 'Ақша қайда жұмсалады', 'section1.heading.ru': 'Куда идут деньги', 'section1.heading.en': 'Where the money goes',
    'section1.body.en': 'Most goes to schools.', 'section1.chart': 'functional',
    'section2.heading.kk': 'Атқарылуы', 'section2.heading.ru': 'Исполнение', 'section2.chart': 'execution',
  }
  assert.equal((await keeper.post(form, fields, { csrf: false })).statusCode, 403, 'no CSRF token')
  const missing = await keeper.post(form, { ...fields, 'lead.ru': ' ' })
  assert.equal(missing.statusCode, 400)
  assert.match(missing.body, /href="#lead\.ru"/)
  assert.equal((await get(page)).statusCode, 404, 'nothing kept')
  const wrongChart = await keeper.post(form, { ...fields, 'section1.chart': 'pie' })
  assert.equal(wrongChart.statusCode, 400)
  assert.match(wrongChart.body, /href="#section1\.chart"/)

  const saved = await keeper.post(form, fields)
  assert.equal(saved.statusCode, 303)
  assert.equal(saved.headers.location, '/en/budgets/republican-2026/citizens?done=citizensSaved&item=citizens#done')
  const published = (await get(page)).body
  assert.match(published, /Citizens&#39; budget for 2026|Citizens' budget for 2026/)
  assert.match(published, /The budget in plain words\./)
  assert.match(published, /<h2 class="govuk-heading-m">Where the money goes<\/h2>/)
  assert.match(published, /<h2 class="govuk-heading-m"><span lang="ru">Исполнение<\/span>/, 'a heading not written in English is shown in Russian, marked')
  assert.ok((published.match(/class="ashyq-chart__svg"/g) ?? []).length >= 4, 'a treemap and bars, drawn from the figures')
  assert.match(published, />Education<\/td>/, 'the treemap\'s numbers beside it')
  assert.match((await get('/en/budgets/republican-2026')).body, /href="\/en\/budgets\/republican-2026\/citizens"/)
  // The form opens with what is kept.
  assert.match((await keeper.get(form)).body, /Where the money goes/)
})
