import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb } from '../helpers/db.ts'
import { makeAgency } from '../helpers/factories.ts'
import { testFileStore } from '../helpers/files.ts'
import { seedDemo } from '../../src/demo/index.ts'
import { questionState } from '../../src/modules/dialogue/questions/states.ts'
import { today } from '../../src/modules/dialogue/questions/service.ts'
import { DEMO_REGIONS } from '../../src/demo/regions.ts'
import { findDatastoreTable } from '../../src/modules/data/datastore/query.ts'

test('the demo fills an empty database with Kazakhstan\'s state bodies in three languages', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  const seeded = await seedDemo(db, testFileStore())
  assert.ok(seeded && seeded.agencies >= 30)
  const rows = await db.query<{ slug: string; kind: string; name: Record<string, string>; region_code: string | null }>(
    'select slug, kind, name, region_code from agencies',
  )
  assert.equal(rows.length, seeded.agencies)
  for (const row of rows) {
    for (const lang of ['kk', 'ru', 'en']) assert.ok(row.name[lang]?.trim(), `${row.slug} has a name in ${lang}`)
  }
  const kinds = new Set(rows.map((r) => r.kind))
  assert.deepEqual([...kinds].sort(), ['central', 'local', 'quasi'])
  assert.equal(DEMO_REGIONS.length, 20, '17 regions and 3 cities of republican significance')
  // Each with its people, which a petition to its akimat or maslikhat counts a share of; about Kazakhstan's 20 million together.
  const [people] = await db.query<{ unknown: number; total: number }>('select count(*) filter (where population is null)::int as unknown, sum(population)::int as total from regions')
  assert.equal(people!.unknown, 0)
  assert.ok(people!.total > 19_000_000 && people!.total < 22_000_000, `${people!.total}`)
  for (const region of DEMO_REGIONS) {
    assert.ok(rows.some((r) => r.kind === 'local' && r.region_code === region.code), `an akimat for ${region.code}`)
  }
  const [withParent] = await db.query<{ count: number }>('select count(*)::int as count from agencies where parent_id is not null')
  assert.ok((withParent?.count ?? 0) > 0, 'some bodies are subordinate to others')
  // Every column of every demo table has a title in each language, as a reader of each sees it.
  const tables = await db.query<{ resource_id: string }>('select resource_id from data_datastore where active')
  assert.ok(tables.length >= 10)
  for (const { resource_id: id } of tables) {
    for (const field of (await findDatastoreTable(db, id)).fields) {
      for (const lang of ['kk', 'ru', 'en'] as const) assert.ok(field.title[lang]?.trim(), `${field.id} has a title in ${lang}`)
    }
  }
  // Openness: a year of monthly snapshots, a dispute accepted and one rejected, two Commission meetings (one held), each year's results in the catalog.
  assert.equal((await db.query('select 1 from openness_snapshots')).length, 12)
  // Half of them by the version that weighs petitions in, which some body's petitions decided or overdue apply to.
  assert.deepEqual((await db.query<{ v: number; n: number }>('select methodology_version as v, count(*)::int as n from openness_snapshots group by 1 order by 1')), [{ v: 1, n: 6 }, { v: 2, n: 6 }])
  for (const code of ['petitions.answered-on-time', 'budgets.comments-answered', 'data.complete-kk']) {
    const [applied] = await db.query<{ n: number }>(`select count(*)::int as n from openness_scores o, jsonb_array_elements(o.indicators) i
      where o.snapshot_id = (select max(id) from openness_snapshots) and i->>'code' = $1 and i->>'value' is not null`, [code])
    assert.ok(applied!.n > 0, `${code} applies to some body`)
  }
  assert.deepEqual((await db.query<{ status: string }>('select status from openness_disputes order by id')).map((d) => d.status), ['accepted', 'rejected'])
  assert.deepEqual((await db.query<{ status: string }>('select status from openness_meetings order by held_on')).map((m) => m.status), ['held', 'planned'])
  assert.ok((await db.query("select 1 from datasets where name like 'openness-index-%'")).length >= 1)
  assert.deepEqual(await db.query("select status from openness_reports"), [{ status: 'published' }])
  // Open Dialogue: heads' blogs with questions in every state, and a conference held with its answers.
  const questions = await db.query<{ status: string; forwarded_from: number | null; extended_to: string | null; due_on: string }>(
    'select status, forwarded_from, extended_to::text, due_on::text from dialogue_questions')
  const states = new Set(questions.map((q) => questionState({ status: q.status, forwardedFrom: q.forwarded_from, extendedTo: q.extended_to, dueOn: q.due_on }, today())))
  for (const state of ['moderation', 'forwarded', 'published', 'extended', 'overdue', 'answered']) assert.ok(states.has(state as never), `a demo question is ${state}`)
  assert.ok((await db.query('select 1 from dialogue_blogs')).length >= 3)
  assert.ok((await db.query('select 1 from dialogue_conference_answers')).length >= 1)
  // Open Budgets: three years of the republican budget and Almaty's, each whole the same read by
  // function, by administrator and by economic class, in every phase; execution through the year
  // for 2024 and 2025, through October for 2026; and a part behind an even pace to show.
  const budgets = await db.query<{ key: string; through: string; readings: number }>(
    `select coalesce(b.region_code, b.level) || '-' || b.year as key, b.executed_through as through,
       (select count(distinct amount)::int from budget_totals t where t.budget_id = b.id and t.code = '' and t.dimension <> 'revenue' group by t.phase order by 1 desc limit 1) as readings
     from budgets b order by b.year, b.level desc`)
  assert.deepEqual(budgets.map((b) => [b.key, b.through, b.readings]), [
    ['republican-2024', 'Q4', 1], ['almaty-2024', 'Q4', 1], ['republican-2025', 'Q4', 1], ['almaty-2025', 'Q4', 1], ['republican-2026', 'M10', 1], ['almaty-2026', 'M10', 1],
  ])
  const [unnamed] = await db.query<{ count: number }>(
    `select count(*)::int as count from budget_totals t join budgets b on b.id = t.budget_id
     where t.code <> '' and t.phase = 'approved' and t.dimension in ('functional', 'economic', 'revenue') and t.depth <= 2
       and not exists (select 1 from budget_names n where n.dimension = t.dimension and n.code = t.code)`)
  assert.equal(unnamed!.count, 0, 'every group, subgroup, economic class and revenue class is named')
  // Public discussion: one open with a comment answered and one waiting, one closed with all answered;
  // each of a programme its body administers in that budget.
  const discussions = await db.query<{ code: string; open: boolean; comments: number; answered: number; administered: boolean }>(
    `select d.code, current_date between d.opens_on and d.closes_on as open,
       (select count(*)::int from comments c where c.subject_type = 'budget-discussion' and c.subject_id = d.id::text) as comments,
       (select count(*)::int from budget_discussion_answers x where x.discussion_id = d.id) as answered,
       exists (select 1 from budget_names n where n.budget_id = d.budget_id and n.dimension = 'administrative' and n.code = split_part(d.code, ' ', 1) and n.agency_id = d.agency_id) as administered
     from budget_discussions d order by d.opens_on desc`)
  assert.deepEqual(discussions, [
    { code: '226 067', open: true, comments: 2, answered: 1, administered: true },
    { code: '225 099', open: false, comments: 1, answered: 1, administered: true },
  ])
})

// One seeded database serves both: a demo seeds in some ten seconds of the suite.
test('the demo runs once and never touches a database that has state bodies; its accounts for every role get fresh passwords at each start', async (t) => {
  const { resetDemoUsers } = await import('../../src/demo/users.ts')
  const { authenticate } = await import('../../src/platform/auth/accounts.ts')
  const db = await createTestDb()
  t.after(() => db.close())
  await makeAgency(db, { slug: 'our-own-body' })
  assert.equal(await seedDemo(db, testFileStore()), undefined)
  const rows = await db.query<{ slug: string }>('select slug from agencies')
  assert.deepEqual(rows.map((r) => r.slug), ['our-own-body'])
  assert.deepEqual(await resetDemoUsers(db, { create: false }), [], 'no account is made in a database without the demo')

  // Two servers starting at once on an empty database (on PostgreSQL, two connections): one seeds,
  // the other finds its demo.
  const fresh = await createTestDb()
  t.after(() => fresh.close())
  const both = await Promise.all([seedDemo(fresh, testFileStore()), seedDemo(fresh, testFileStore())])
  assert.equal(both.filter(Boolean).length, 1)
  assert.equal(await seedDemo(fresh, testFileStore()), undefined)

  const first = await resetDemoUsers(fresh, { create: true })
  assert.deepEqual(first.map((u) => u.role).sort(), ['admin', 'agency-editor', 'agency-head', 'citizen', 'commission'])
  const editor = first.find((u) => u.role === 'agency-editor')!
  const signedIn = await authenticate(fresh, editor.email, editor.password)
  assert.deepEqual(signedIn?.roles.map((g) => [g.role, g.agencySlug]), [['agency-editor', 'ministry-of-finance']])
  const second = await resetDemoUsers(fresh, { create: false })
  assert.equal(second.length, 5)
  assert.equal(await authenticate(fresh, editor.email, editor.password), undefined, 'the old password no longer works')
  assert.ok(await authenticate(fresh, editor.email, second.find((u) => u.role === 'agency-editor')!.password))
})

test('the demo\'s tables add up: parts never exceed their wholes, urban + rural = total', async () => {
  const { DEMO_DATASETS } = await import('../../src/demo/datasets.ts')
  const { parse } = await import('csv-parse/sync')
  const table = (name: string) => {
    const file = DEMO_DATASETS.find((d) => d.name === name)!.files[0]!
    return parse(file.content(), { columns: true, cast: true }) as Record<string, number>[]
  }
  for (const row of table('population-by-region')) assert.equal(row.population_urban! + row.population_rural!, row.population_total, String(row.region_code))
  const parts: [string, string, string][] = [
    ['schools', 'teachers', 'pupils'], ['road-accidents', 'deaths', 'accidents'], ['civil-servants', 'women', 'total'], ['registered-legal-entities', 'active', 'registered'],
  ]
  for (const [name, part, whole] of parts) {
    for (const row of table(name)) assert.ok(row[part]! <= row[whole]!, `${name}: ${part} ${row[part]} ≤ ${whole} ${row[whole]}`)
  }
})
