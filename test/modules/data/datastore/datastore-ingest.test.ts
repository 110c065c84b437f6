import { DEFAULT_DIALOGUE_RULES, DEFAULT_PETITION_RULES, DEFAULT_LEGAL_ACT_RULES } from '../../../../src/platform/config.ts'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { replaceResourceFile, uploadResource } from '../../../helpers/factories.ts'
import { datasetForLoads, loadStateOf, uploadAndLoad } from '../../../helpers/datastore.ts'
import { loadDueFiles, runDatastoreLoads } from '../../../../src/modules/data/datastore/ingest.ts'
import type { Db } from '../../../../src/platform/db/index.ts'
import { showResource } from '../../../../src/modules/data/catalog/service.ts'
import { setTimeout as sleep } from 'node:timers/promises'
import { startJobs } from '../../../../src/platform/jobs/index.ts'
import data from '../../../../src/modules/data/index.ts'

async function rowsOf(db: Db, resourceId: string): Promise<Record<string, unknown>[]> {
  return db.query(`select * from datastore."${resourceId}" order by _id`)
}

test('a CSV upload is loaded into a typed table of its own: types inferred, empty values null, rows counted', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const csv = 'region,kato,year,population,share,census_date,updated,capital\n'
    + 'Астана,011000000,2023,1354556,6.8,01.10.2023,2023-10-01 10:00,true\n'
    + '"Алматы, город",751000000,2023,2228675,11.2,2023-10-01,2023-10-01T10:00:00,false\n'
    + 'Шымкент,791000000,2023,,,,,\n'
  const id = await uploadAndLoad(db, files, datasetId, 'population.csv', csv)
  const state = await loadStateOf(db, id)
  assert.equal(state.loadState, 'ready', JSON.stringify(state.loadError))
  assert.equal(state.active, true)
  assert.equal(state.rowCount, 3)
  assert.deepEqual(state.fields.map((f) => [f.id, f.type]), [
    ['region', 'text'], ['kato', 'text'], ['year', 'integer'], ['population', 'integer'], ['share', 'decimal'],
    ['census_date', 'date'], ['updated', 'timestamp'], ['capital', 'boolean'],
  ])
  const rows = await db.query<Record<string, unknown>>(
    `select region, kato, population::text, share::text, census_date::text, updated::text, capital from datastore."${id}" order by _id`)
  assert.deepEqual(rows[0], { region: 'Астана', kato: '011000000', population: '1354556', share: '6.8', census_date: '2023-10-01', updated: '2023-10-01 10:00:00', capital: true })
  assert.equal(rows[1]!.region, 'Алматы, город')
  assert.equal(rows[2]!.population, null)
  const [indexes] = await db.query<{ count: number }>(`select count(*)::int as count from pg_indexes where schemaname = 'datastore' and tablename = $1`, [id])
  assert.equal(indexes?.count, 1 + 8, 'the row number and each column are indexed')
  const [indexed] = await db.query<{ done: boolean }>('select indexed_at is not null as done from data_datastore where resource_id = $1', [id])
  assert.equal(indexed?.done, true)
  const [analyzed] = await db.query<{ columns: number }>(`select count(*)::int as columns from pg_stats where schemaname = 'datastore' and tablename = $1`, [id])
  assert.equal(analyzed?.columns, 1 + 8, 'the planner has statistics of every column')
})

test('Windows-1251 with semicolons, UTF-8 with a BOM and tab-separated files are recognised', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const text = 'Область;Число школ\nАбайская;245\nАкмолинская;560\n'
  const cp1251 = Buffer.from(new TextEncoder().encode(text).length ? [...text].map((c) => {
    const code = c.codePointAt(0)!
    if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0
    return code
  }) : [])
  const fromWindows = await uploadAndLoad(db, files, datasetId, 'schools.csv', cp1251)
  assert.equal((await loadStateOf(db, fromWindows)).loadState, 'ready')
  assert.deepEqual((await rowsOf(db, fromWindows)).map((r) => [r['Область'], Number(r['Число школ'])]), [['Абайская', 245], ['Акмолинская', 560]])

  const withBom = await uploadAndLoad(db, files, datasetId, 'bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name,count\nA,1\n')]))
  assert.deepEqual((await loadStateOf(db, withBom)).fields.map((f) => f.id), ['name', 'count'])

  const tabs = await uploadAndLoad(db, files, datasetId, 'tabs.csv', 'name\tcomment\nA\tone, two\nB\tthree; four\n')
  assert.deepEqual((await rowsOf(db, tabs)).map((r) => r.comment), ['one, two', 'three; four'])
})

test('a value far down the file that the sampled type refuses widens that column instead of failing', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const lines = ['code,amount,day']
  for (let i = 0; i < 60_000; i += 1) lines.push(`${i + 1},${i},2024-01-01`)
  lines.push('x-1,12.5,unknown')
  const id = await uploadAndLoad(db, files, datasetId, 'late.csv', `${lines.join('\n')}\n`)
  const state = await loadStateOf(db, id)
  assert.equal(state.loadState, 'ready', JSON.stringify(state.loadError))
  assert.deepEqual(state.fields.map((f) => f.type), ['text', 'decimal', 'text'])
  assert.equal(state.rowCount, 60_001)
})

test('broken files end in an error with the reason and the row, and the previous table stays queryable', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const id = await uploadAndLoad(db, files, datasetId, 'data.csv', 'a,b\n1,2\n3,4\n')
  assert.equal((await loadStateOf(db, id)).rowCount, 2)

  const cases: Array<[string, string | Buffer, string, number | null]> = [
    ['ragged', 'a,b\n1,2\n3,4,5\n', 'data.datastore.errors.tooManyValues', 3],
    ['short', 'a,b\n1,2\n3,4\n5\n', 'data.datastore.errors.tooFewValues', 4],
    ['quotes', 'a,b\n1,2\n"3,4\n5,6\n', 'data.datastore.errors.quotes', null],
    ['mixed encoding', Buffer.concat([Buffer.from('a,b\nАлматы,2\n'), Buffer.from([0x41, 0xe0, 0x2c, 0x33, 0x0a])]), 'data.datastore.errors.encoding', 3],
    ['binary', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), 'data.datastore.errors.binary', null],
    ['empty', '\n\n', 'data.datastore.errors.empty', null],
  ]
  for (const [label, content, key, row] of cases) {
    await replaceResourceFile(db, files, id, `${label}.csv`, content)
    await runDatastoreLoads({ db, files })
    const state = await loadStateOf(db, id)
    assert.equal(state.loadState, 'error', label)
    assert.equal(state.loadError?.key, key, `${label}: ${JSON.stringify(state.loadError)}`)
    if (row !== null) assert.equal(state.loadError?.values.row, row, label)
    assert.equal(state.active, true, `${label}: the previous table is still live`)
    assert.deepEqual((await rowsOf(db, id)).map((r) => r.a), ['1', '3'].map(Number), label)
  }
})

test('a row longer than the limit is refused without holding it whole', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const mb = Buffer.alloc(1024 * 1024, 0x61)
  const id = await uploadResource(db, files, datasetId, 'long.csv', (function* () {
    yield Buffer.from('a,b\n1,')
    for (let i = 0; i < 40; i += 1) yield mb
    yield Buffer.from('\n')
  })())
  await runDatastoreLoads({ db, files })
  const state = await loadStateOf(db, id)
  assert.equal(state.loadError?.key, 'data.datastore.errors.rowTooLong')
  assert.equal(state.loadError?.values.row, 2)
})

test('a resource whose file is replaced twice ends with the newest file\'s rows (no leftover names collide)', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const id = await uploadAndLoad(db, files, datasetId, 'data.csv', 'a,b\n1,2\n')
  for (const first of [3, 4]) {
    await replaceResourceFile(db, files, id, 'data.csv', `a,b\n${first},2\n`)
    await runDatastoreLoads({ db, files })
    const state = await loadStateOf(db, id)
    assert.equal(state.loadState, 'ready', JSON.stringify(state.loadError))
    assert.deepEqual((await rowsOf(db, id)).map((r) => Number(r.a)), [first])
  }
})

test('a file of many pieces loads every row once, numbered in the file\'s order (pieces copied at once, their buffers used again)', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  // About 10 MB: three pieces of the loader's 4 MB, so a buffer is given back and filled again
  // (on a server after the first of two pieces copied at once).
  const rows = 60_000
  const filler = 'x'.repeat(140)
  const lines = ['n,label,note']
  for (let n = 1; n <= rows; n += 1) lines.push(`${n},row-${n}-${filler},"${n % 7 === 0 ? 'a, ""quoted""\nvalue' : 'plain'}"`)
  const id = await uploadAndLoad(db, files, datasetId, 'many.csv', `${lines.join('\n')}\n`)
  const state = await loadStateOf(db, id)
  assert.equal(state.loadState, 'ready', JSON.stringify(state.loadError))
  assert.equal(state.rowCount, rows)
  // A piece overwritten while being copied would show as a value the number column refuses.
  assert.deepEqual(state.fields.map((f) => f.type), ['integer', 'text', 'text'])
  const [check] = await db.query<{ rows: number; inOrder: number; notes: number }>(
    `select count(*)::int as rows, count(*) filter (where _id = n and label = 'row-' || n || '-' || repeat('x', 140))::int as "inOrder",
       count(*) filter (where note = case when n % 7 = 0 then E'a, "quoted"\\nvalue' else 'plain' end)::int as notes
     from datastore."${id}"`)
  assert.deepEqual(check, { rows, inOrder: rows, notes: rows })
})

test('a value too long for an index is recorded on its own table and holds up no other table\'s indexes', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const indexesOf = async (id: string) => (await db.query<{ count: number }>(`select count(*)::int as count from pg_indexes where schemaname = 'datastore' and tablename = $1`, [id]))[0]!.count
  // 20 KB of random hex: about 10 KB compressed, past the 2,704 bytes a B-tree entry may hold.
  const long = Array.from({ length: 20_000 }, () => Math.floor(Math.random() * 16).toString(16)).join('')
  const poisoned = await uploadAndLoad(db, files, datasetId, 'notes.csv', `id;note;year\n1;${long};2023\n2;short;2024\n`)
  const [record] = await db.query<{ indexed: boolean; problems: Array<{ column: string; detail: string }> }>(
    'select indexed_at is not null as indexed, index_problems as problems from data_datastore where resource_id = $1', [poisoned])
  assert.equal(record?.indexed, true, 'the table is done with, not tried again every round')
  assert.deepEqual(record?.problems.map((p) => p.column), ['note'])
  assert.match(record!.problems[0]!.detail, /index row|exceeds/i)
  assert.equal(await indexesOf(poisoned), 3, 'the row number and the other two columns are indexed')
  // A table loaded after it gets all its indexes.
  const next = await uploadAndLoad(db, files, datasetId, 'next.csv', 'region;amount\nАстана;1\n')
  assert.equal(await indexesOf(next), 3)
  assert.equal((await loadStateOf(db, poisoned)).active, true, 'and the first one stays readable')
  const resource = await showResource(db, poisoned)
  assert.deepEqual(resource.datastore?.unindexed, ['note'], 'the resource says which column went without')
})

test('a loaded table is vacuumed before it goes live: its visibility map is set, so counts read indexes alone from the first request', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const rows = Array.from({ length: 5000 }, (_, i) => `${i},station ${i % 7},${(i * 37) % 1000}`).join('\n')
  const id = await uploadResource(db, files, datasetId, 'readings.csv', `n,station,value\n${rows}\n`)
  await loadDueFiles({ db, files })
  assert.equal((await loadStateOf(db, id)).active, true, 'live, its indexes not built yet')
  const [pages] = await db.query<{ relpages: number; relallvisible: number }>(
    `select relpages, relallvisible from pg_class where oid = $1::regclass`, [`datastore."${id}"`])
  assert.ok(pages!.relpages > 1, `a table of ${pages!.relpages} pages`)
  assert.equal(pages!.relallvisible, pages!.relpages, 'every page all-visible')
})

test('a load starts as soon as the upload that queued it commits, not at the loading job\'s next round', async (t) => {
  const { db, files, datasetId } = await datasetForLoads()
  const loading = data.jobs!.find((job) => job.name === 'datastore-load')!
  const jobs = startJobs({ db, files, config: { datastoreSql: false, harvestPrivateNetworks: [], legalActs: DEFAULT_LEGAL_ACT_RULES, dialogue: DEFAULT_DIALOGUE_RULES, petitions: DEFAULT_PETITION_RULES, publicUrl: 'http://localhost', opennessPublisher: 'none' } }, [{ ...loading, everyMs: 600_000 }], () => undefined)
  t.after(async () => {
    await jobs.stop()
    await db.close()
  })
  await sleep(300) // listening
  const started = Date.now()
  const id = await uploadResource(db, files, datasetId, 'now.csv', 'a,b\n1,2\n3,4\n')
  let state = await loadStateOf(db, id)
  while (state.loadState !== 'ready' && Date.now() - started < 5_000) {
    await sleep(20)
    state = await loadStateOf(db, id)
  }
  assert.equal(state.loadState, 'ready', `after ${Date.now() - started} ms the load is ${state.loadState}`)
  assert.equal(state.rowCount, 2)
})

test('a load under way when the server shuts down gives its claim back at its next piece, and the next server loads the file whole', async (t) => {
  const { db, files, datasetId, close } = await datasetForLoads()
  t.after(close)
  const rows = 60_000
  const lines = ['n,label', ...Array.from({ length: rows }, (_, i) => `${i + 1},row-${i + 1}-${'x'.repeat(140)}`)]
  const id = await uploadResource(db, files, datasetId, 'many.csv', `${lines.join('\n')}\n`)
  // The shutdown comes while the first piece is copied.
  const stopping = new AbortController()
  const watched = new Proxy(db, {
    get(target, name) {
      if (name === 'copyFrom') return (...args: Parameters<Db['copyFrom']>) => { stopping.abort(); return target.copyFrom(...args) }
      const value = Reflect.get(target, name) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  assert.equal(await loadDueFiles({ db: watched, files, signal: stopping.signal }), 1)
  const given = await loadStateOf(db, id)
  assert.equal(given.loadState, 'pending', 'given back, not failed')
  assert.equal(given.loadError, null)
  const [leftover] = await db.query<{ tables: number }>("select count(*)::int as tables from pg_tables where schemaname = 'datastore'")
  assert.equal(leftover?.tables, 0, 'the half-loaded table is dropped')
  assert.equal(await loadDueFiles({ db, files }), 1)
  assert.equal((await loadStateOf(db, id)).rowCount, rows)
})
