import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SERVER_URL, openAsSiteOwner } from '../../../helpers/db.ts'
import { migrate } from '../../../../src/platform/db/migrate.ts'
import { appWithTable } from '../../../helpers/datastore.ts'
import type { FastifyInstance } from 'fastify'
import { queryFailure } from '../../../../src/modules/data/datastore/query.ts'
import { readerUrl } from '../../../../src/platform/db/postgres.ts'
import { demandOf } from '../../../../src/modules/data/demand/service.ts'
import { READER_ROLE, SQL_LOGIN, runDatastoreSql } from '../../../../src/modules/data/datastore/sql.ts'

const CSV = `region;year;population
Астана;2022;1350228
Астана;2023;1354556
Алматы;2022;2161819
Алматы;2023;2228675
Шымкент;2023;1176520
Абайская область;2023;607532
`

// On: the embedded database has it off by default (datastore-sql-limits.test.ts).
const setup = () => appWithTable({ agency: 'stat', dataset: 'population', fileName: 'population.csv', content: CSV }, { datastoreSql: true })

async function searchSql(app: FastifyInstance, sql: string, lang = 'en', method: 'GET' | 'POST' = 'POST') {
  const response = method === 'POST'
    ? await app.inject({ method, url: '/api/3/action/datastore_search_sql', payload: { sql }, headers: { 'accept-language': lang } })
    : await app.inject({ method, url: `/api/3/action/datastore_search_sql?${new URLSearchParams({ sql }).toString()}`, headers: { 'accept-language': lang } })
  return { status: response.statusCode, body: response.json() }
}

test('datastore_search_sql runs a SELECT over a resource\'s table and answers as CKAN does', async (t) => {
  const { app, db, resourceId, datasetId, close } = await setup()
  t.after(close)
  const sql = `SELECT region, sum(population) AS people, count(*) AS years FROM "${resourceId}" GROUP BY region ORDER BY people DESC LIMIT 2;`
  const { status, body } = await searchSql(app, sql)
  assert.equal(status, 200, JSON.stringify(body))
  assert.equal(body.result.sql, sql)
  assert.deepEqual(body.result.fields, [{ id: 'region', type: 'text' }, { id: 'people', type: 'numeric' }, { id: 'years', type: 'int8' }])
  assert.deepEqual(body.result.records, [{ region: 'Алматы', people: 4390494, years: 2 }, { region: 'Астана', people: 2704784, years: 2 }])
  assert.equal(body.result.records_truncated, undefined)

  // A WITH query, a subquery, window functions, schema "datastore" named, over GET.
  const withQuery = await searchSql(app, `with latest as (select * from datastore."${resourceId}" where year = (select max(year) from "${resourceId}"))
    select region, rank() over (order by population desc) as place from latest order by place limit 3`, 'en', 'GET')
  assert.equal(withQuery.status, 200, JSON.stringify(withQuery.body))
  assert.deepEqual(withQuery.body.result.records.map((r: { region: string }) => r.region), ['Алматы', 'Астана', 'Шымкент'])

  // Both from one address: counted once an hour.
  assert.equal((await demandOf(db, datasetId)).apiCalls, 1)
})

test('datastore_search_sql refuses (409, as CKAN) everything but one SELECT over live datastore tables, in the asker\'s language', async (t) => {
  const { app, db, resourceId, close } = await setup()
  t.after(close)
  const table = `"${resourceId}"`
  const refusals: Array<[string, RegExp]> = [
    [`select 1; drop table ${table}`, /exactly one statement/],
    [`drop table ${table}`, /Only SELECT.*DROP/],
    [`delete from ${table}`, /Only SELECT.*DELETE/],
    [`with gone as (delete from ${table} returning *) select * from gone`, /Only SELECT.*DELETE/],
    [`with x as (update ${table} set year = 0 returning *) select 1`, /Only SELECT.*UPDATE/],
    [`select * into planted from ${table}`, /INTO/],
    [`select * from ${table} for update`, /FOR UPDATE/],
    [`select pg_sleep(5)`, /pg_sleep is not allowed/],
    [`select pg_catalog.pg_sleep(5)`, /pg_catalog.pg_sleep is not allowed/],
    [`select count(*) from ${table} where pg_sleep(5) is null`, /pg_sleep is not allowed/],
    [`select set_config('transaction_read_only', 'off', false)`, /set_config is not allowed/],
    [`select pg_read_file('/etc/passwd')`, /pg_read_file is not allowed/],
    [`select lo_import('/etc/passwd')`, /lo_import is not allowed/],
    [`select nextval('schema_migrations_seq')`, /nextval is not allowed/],
    [`select current_setting('data_directory')`, /current_setting is not allowed/],
    [`select repeat('x', 1000000000)`, /repeat is not allowed/],
    [`select * from generate_series(1, 1000000000)`, /generate_series is not allowed/],
    [`select public.similarity(region, 'x') from ${table}`, /public.similarity is not allowed/],
    [`select * from pg_authid`, /"pg_authid" is not a table/],
    [`select * from pg_catalog.pg_class`, /"pg_catalog.pg_class" is not a table/],
    [`select * from information_schema.tables`, /"information_schema.tables" is not a table/],
    [`select * from accounts`, /"accounts" is not a table/],
    [`select * from public.datasets`, /"public.datasets" is not a table/],
    [`select * from ${table} where region in (select email from users)`, /"users" is not a table/],
    [`select * from datastore."${resourceId}:load"`, /is not a table/],
    [`select * from "00000000-0000-4000-8000-000000000000"`, /"00000000-0000-4000-8000-000000000000" is not a table/],
    // A WITH query's name holds only where it is defined: outside, pg_class is the catalog.
    [`select * from (with pg_class as (select 1) select 1) a, pg_class`, /"pg_class" is not a table/],
    [`select * from ${table} where`, /not valid SQL at character/],
    // Twelve copies of a six-row table: two billion rows to count. Refused before it starts (the
    // embedded database has no working statement timeout).
    [`select count(*) from ${Array.from({ length: 12 }, (_, i) => `${table} t${i}`).join(', ')}`, /would take too long/],
    [`   `, /Write a SELECT query/],
    // Rows from nothing: a recursive WITH counts to thirty million with the planner's estimate at ~4.
    [`with recursive r(n) as (select 1 union all select n + 1 from r where n < 30000000) select count(*) from r`, /WITH RECURSIVE is not allowed/],
    [`select * from (with recursive r(n) as (select 1 union all select n + 1 from r) select n from r) x`, /WITH RECURSIVE is not allowed/],
    // Values that grow without a table: widths that pad, replacements nested tenfold a step.
    [`select format('%1000000000s', 'x')`, /format is not allowed/],
    [`select replace(replace('xxxxxxxxxx', 'x', 'xxxxxxxxxx'), 'x', 'xxxxxxxxxx')`, /replace is not allowed/],
    [`select regexp_replace(region, '.', 'xxxxxxxxxx', 'g') from ${table}`, /regexp_replace is not allowed/],
    [`select overlay(region placing region from 1 for 0) from ${table}`, /overlay is not allowed/],
    // A function called by attribute notation (t.f is f(t) when t has no column f), in both spellings.
    [`select t.pg_column_size from ${table} t`, /pg_column_size is not allowed/],
    [`select (t).pg_column_size from ${table} t`, /pg_column_size is not allowed/],
    [`select t.pg_relation_filepath from ${table} t`, /pg_relation_filepath is not allowed/],
    // Casts that look up the catalog, or to types outside pg_catalog.
    [`select 'public.users'::regclass::oid`, /type regclass is not allowed/],
    [`select regclass 'public.users'`, /type regclass is not allowed/],
    [`select cast('public' as regnamespace)`, /type regnamespace is not allowed/],
    [`select region::public.gtrgm from ${table}`, /type public.gtrgm is not allowed/],
  ]
  for (const [sql, message] of refusals) {
    const { status, body } = await searchSql(app, sql)
    assert.equal(status, 409, sql)  // CKAN's status for a validation error
    assert.equal(body.success, false, sql)
    assert.match(body.error.query?.[0] ?? JSON.stringify(body.error), message, sql)
  }
  const russian = await searchSql(app, 'select pg_sleep(1)', 'ru')
  assert.match(JSON.stringify(russian.body.error), /Функция pg_sleep здесь не разрешена/)
  const kazakh = await searchSql(app, 'select * from users', 'kk')
  assert.match(JSON.stringify(kazakh.body.error), /деректер қоймасының кестесі емес/)

  // Nothing changed: the table is whole and nothing was planted.
  const [rows] = await db.query<{ n: number }>(`select count(*)::int as n from datastore."${resourceId}"`)
  assert.equal(rows?.n, 6)
  const planted = await db.query("select 1 from pg_tables where tablename = 'planted'")
  assert.equal(planted.length, 0)
})

test('errors of the query itself are the asker\'s: named column, division by zero', async (t) => {
  const { app, resourceId, close } = await setup()
  t.after(close)
  const missing = await searchSql(app, `select no_such_column from "${resourceId}"`)
  assert.equal(missing.status, 409)
  // ckanext/datastore/backend/postgres.py reports them under "query".
  assert.ok(missing.body.error.query, JSON.stringify(missing.body.error))
  assert.match(JSON.stringify(missing.body.error), /could not run the query: .*no_such_column/)
  const zero = await searchSql(app, `select population / 0 from "${resourceId}"`)
  assert.equal(zero.status, 409)
  assert.match(JSON.stringify(zero.body.error), /division by zero/)
})

test('an answer stops at 32,000 rows and says it was cut', async (t) => {
  const { app, resourceId, close } = await setup()
  t.after(close)
  const table = `"${resourceId}"`
  // 6^6 = 46,656 rows from six copies of the six-row table.
  const { status, body } = await searchSql(app, `select a.year from ${table} a, ${table} b, ${table} c, ${table} d, ${table} e, ${table} f`)
  assert.equal(status, 200, JSON.stringify(body).slice(0, 500))
  assert.equal(body.result.records.length, 32_000)
  assert.equal(body.result.records_truncated, true)
})

test('the reader role itself can read the datastore and nothing else, even past the checks', async (t) => {
  const { db, resourceId, close } = await setup()
  t.after(close)
  const asReader = (sql: string) => db.readAs(SQL_LOGIN, (tx) => tx.query(sql)).catch((error: unknown) => { throw queryFailure(error, 'sql') })
  assert.equal((await asReader(`select * from datastore."${resourceId}"`)).length, 6)
  assert.equal((await asReader(`select * from "${resourceId}"`)).length, 6, 'the datastore is on its search path')
  for (const sql of ['select * from public.users', 'select * from public.sessions', 'select * from public.datasets', 'select * from public.audit_log', 'select * from pg_authid']) {
    await assert.rejects(asReader(sql), (error: { fields?: Array<{ messageKey: string }> }) => error.fields?.[0]?.messageKey === 'data.datastore.query.denied', sql)
  }
  await assert.rejects(asReader(`create table datastore.planted (x int)`), /read-only transaction/)
})

test('on PostgreSQL the reader logs in as itself: it cannot become the site\'s user or anyone else, and its limits hold', { skip: !SERVER_URL && 'needs a PostgreSQL server (PGlite has one user, a superuser)' }, async (t) => {
  const { db, close } = await setup()
  t.after(close)
  const [who] = await db.readAs(SQL_LOGIN, (tx) => tx.query<{ session: string; current: string; timeout: string; workMem: string; parallel: string; readOnly: string }>(
    `select session_user as session, current_user as current, current_setting('statement_timeout') as timeout, current_setting('work_mem') as "workMem",
       current_setting('max_parallel_workers_per_gather') as parallel, current_setting('transaction_read_only') as "readOnly"`))
  assert.deepEqual(who, { session: READER_ROLE, current: READER_ROLE, timeout: '10s', workMem: '8MB', parallel: '0', readOnly: 'on' })
  const [site] = await db.query<{ name: string }>('select current_user as name')
  // SET ROLE returns to the session's user (the reader itself) and to no role it is no member of.
  for (const sql of [`select set_config('role', '${site!.name}', false)`, `set role ${site!.name}`, 'set role postgres', 'set session authorization postgres']) {
    await assert.rejects(db.readAs(SQL_LOGIN, (tx) => tx.query(sql)), /permission denied/, sql)
  }
  await assert.rejects(db.readAs(SQL_LOGIN, async (tx) => {
    await tx.query(`select set_config('role', 'none', false)`)
    return tx.query('select email from public.users')
  }), /permission denied/)
  const [membership] = await db.query<{ n: number }>(`select count(*)::int as n from pg_auth_members m join pg_roles r on r.oid = m.member where r.rolname = $1`, [READER_ROLE])
  assert.equal(membership?.n, 0, 'the reader is a member of no role')
})

test('on PostgreSQL, a site whose user may not create roles still migrates; SQL queries say they are unavailable while the reader cannot log in', { skip: !SERVER_URL && 'needs a PostgreSQL server (PGlite runs as a superuser)' }, async (t) => {
  const db = await openAsSiteOwner(t, { readerUrls: { [READER_ROLE]: readerUrl(SERVER_URL!, 'ashyq_no_such_reader') } })
  try {
    await migrate(db)
    await assert.rejects(runDatastoreSql(db, 'select 1 as one'), (error: { fields?: Array<{ messageKey: string }> }) => error.fields?.[0]?.messageKey === 'data.datastore.sql.unavailable')
  } finally {
    await db.close()
  }
})
