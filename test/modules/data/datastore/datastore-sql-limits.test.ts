import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SERVER_URL } from '../../../helpers/db.ts'
import { appWithTable } from '../../../helpers/datastore.ts'

// Timings here are bounds an hour wide against what they guard (a request waiting 9 s behind a query),
// not targets: those live in the benchmarks.

const THIRTY_MILLION = 'with recursive r(n) as (select 1 union all select n + 1 from r where n < 30000000) select count(*) from r'

test('a recursive count to thirty million is refused at once, by default on either database, and the site keeps answering meanwhile', async (t) => {
  const { app, db, close } = await appWithTable({ agency: 'stat', dataset: 'tiny', fileName: 'tiny.csv', content: 'a;b\n1;2\n' })
  t.after(close)
  // Each answered once first: the stylesheet's first request compiles it (a second or more of Sass)
  // and the first query loads the SQL parser, which is not what is timed here.
  await app.inject({ url: '/static/ashyq.css' })
  await app.inject({ method: 'POST', url: '/api/3/action/datastore_search_sql', payload: { sql: 'select 1' } })
  const started = performance.now()
  const [query, stylesheet] = await Promise.all([
    app.inject({ method: 'POST', url: '/api/3/action/datastore_search_sql', payload: { sql: THIRTY_MILLION }, headers: { 'accept-language': 'ru' } }),
    app.inject({ url: '/static/ashyq.css' }),
  ])
  assert.ok(performance.now() - started < 2_000, `both answered in ${Math.round(performance.now() - started)} ms`)
  assert.equal(stylesheet.statusCode, 200)
  assert.equal(query.statusCode, 409)
  // The embedded database (PGlite runs one statement at a time and cannot cut a query off) has
  // SQL queries off, and says so; a server has them on and refuses rows made from nothing.
  const reason = JSON.stringify(query.json().error.query)
  if (db.kind === 'pglite') assert.match(reason, /отключены: он работает на встроенной базе данных/)
  else assert.match(reason, /WITH RECURSIVE здесь не разрешён/)
})

test('the embedded database\'s refusal names the reason in every language, and ASHYQ_DATASTORE_SQL turns queries on', { skip: Boolean(SERVER_URL) && 'the embedded database only' }, async (t) => {
  const off = await appWithTable({ agency: 'stat', dataset: 'tiny', fileName: 'tiny.csv', content: 'a;b\n1;2\n' })
  t.after(off.close)
  const ask = (app: typeof off.app, lang: string) => app.inject({ method: 'POST', url: '/api/3/action/datastore_search_sql', payload: { sql: `select a from "${off.resourceId}"` }, headers: { 'accept-language': lang } })
  for (const [lang, words] of [['en', /embedded database, where one long query would stop the whole site/], ['kk', /кірістірілген дерекқорда/]] as const) {
    const response = await ask(off.app, lang)
    assert.equal(response.statusCode, 409)
    assert.match(JSON.stringify(response.json().error.query), words)
  }
  const on = await appWithTable({ agency: 'stat', dataset: 'tiny', fileName: 'tiny.csv', content: 'a;b\n1;2\n' }, { datastoreSql: true })
  t.after(on.close)
  const response = await on.app.inject({ method: 'POST', url: '/api/3/action/datastore_search_sql', payload: { sql: `select a from "${on.resourceId}"` } })
  assert.equal(response.statusCode, 200)
  assert.deepEqual(response.json().result.records, [{ a: 1 }])
})

test('on PostgreSQL a flood of heavy SQL queries is queued and turned away while the site\'s own pages keep their speed', { skip: !SERVER_URL && 'needs a PostgreSQL server (the embedded database has SQL queries off)' }, async (t) => {
  // 2,500 rows: each query compares 6 million pairs of texts, about half a second of a server's core,
  // and the planner's estimate is well under the ceiling.
  const rows = Array.from({ length: 2500 }, (_, i) => `${i};${(i * 7919 % 2500).toString(36).padStart(4, '0')}`).join('\n')
  const { app, resourceId, close } = await appWithTable({ agency: 'stat', dataset: 'pairs', fileName: 'pairs.csv', content: `n;s\n${rows}\n` })
  t.after(close)
  const heavy = `select count(*) as n from "${resourceId}" a, "${resourceId}" b where a.s < b.s`
  const ask = (address: string) => app.inject({ method: 'POST', url: '/api/3/action/datastore_search_sql', payload: { sql: heavy }, remoteAddress: address })
  const page = async (url: string) => {
    const started = performance.now()
    const response = await app.inject({ url })
    assert.equal(response.statusCode, 200, url)
    return performance.now() - started
  }
  await page('/en/data')

  // Twelve askers at once, each from an address of its own: two run (the reader's pool), eight wait.
  const flood = Array.from({ length: 12 }, (_, i) => ask(`192.0.2.${i + 1}`))
  await new Promise((resolve) => setTimeout(resolve, 100))
  const latencies: number[] = []
  for (let round = 0; round < 5; round += 1) {
    latencies.push(await page('/en/data'), await page('/api/3/action/package_list'))
  }
  const answers = await Promise.all(flood)
  t.diagnostic(`pages during the flood: ${latencies.map(Math.round).join(', ')} ms`)
  const statuses = answers.map((a) => a.statusCode).sort()
  assert.deepEqual(statuses, [...Array(10).fill(200), 503, 503], JSON.stringify(statuses))
  const refused = answers.find((a) => a.statusCode === 503)!
  assert.equal(refused.headers['retry-after'], '10')
  assert.equal(refused.json().error.__type, 'Service Unavailable')
  assert.equal(answers.find((a) => a.statusCode === 200)!.json().result.records[0].n, 2500 * 2499 / 2)
  assert.ok(Math.max(...latencies) < 1_000, `the site's pages answered in ${latencies.map(Math.round).join(', ')} ms while the queries ran`)

  // One address holds two places at most: a third at once is 429, before any queue.
  const mine = [ask('198.51.100.7'), ask('198.51.100.7'), ask('198.51.100.7')]
  const own = (await Promise.all(mine)).map((a) => a.statusCode).sort()
  assert.deepEqual(own, [200, 200, 429])
})
