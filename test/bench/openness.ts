// The openness index's benchmark: 500 state bodies with a year of facts (each body's site items and
// editions, some late and some without Kazakh; its questions to the head, answered on time, late or
// overdue), then a year of monthly snapshots taken one after another: each snapshot's time and the
// process's peak memory.
// Usage: node --liftoff-only --import tsx test/bench/openness.ts [bodies]   (PGlite; DATABASE_URL for a server)
import { performance } from 'node:perf_hooks'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openDatabase } from '../../src/platform/db/index.ts'
import { migrate } from '../../src/platform/db/migrate.ts'
import { loadModules } from '../../src/platform/modules.ts'
import { addDays, kazakhstanDay } from '../../src/platform/calendar/days.ts'
import { takeSnapshot } from '../../src/modules/openness/service.ts'

const BODIES = Number(process.argv[2] ?? 500)
const work = await mkdtemp(path.join(tmpdir(), 'ashyq-bench-openness-'))
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: path.join(work, 'db') })
try {
  await migrate(db)
  await loadModules()
  const today = kazakhstanDay(new Date())
  const started = performance.now()
  await db.query(
    `insert into agencies (slug, kind, name) select 'body-' || n, case when n % 3 = 0 then 'local' else 'central' end,
       jsonb_build_object('kk', 'Орган ' || n, 'ru', 'Орган ' || n, 'en', 'Body ' || n) from generate_series(1, $1) n`, [BODIES])
  // Two site items a week per body over the year: one in five published two days after its draft, one in four without Kazakh.
  await db.query(
    `insert into site_items (agency_id, kind, created_at)
     select a.id, 'news', ($1::date - (w * 7 + d))::timestamp + interval '10 hours' from agencies a, generate_series(0, 51) w, generate_series(0, 1) d`, [today])
  await db.query(
    `insert into site_editions (item_id, lang, number, status, title, published_at)
     select i.id, l.lang, 1, 'published', 'x', i.created_at + case when i.id % 5 = 0 then interval '2 days' else interval '1 hour' end
     from site_items i cross join (values ('ru'), ('kk')) l(lang) where l.lang = 'ru' or i.id % 4 <> 0`)
  const [asker] = await db.query<{ id: number }>("insert into users (email, password_hash, display_name) values ('asker@bench.kz', '!', '') returning id")
  // Two questions a month per body: answered on time, late, or not at all.
  await db.query(
    `insert into dialogue_questions (agency_id, asked_agency_id, asker_id, show_name, topic, lang, body, status, received_on, moderation_due, forward_due, due_on, published_at, answer, answered_at, answered_on)
     select a.id, a.id, $2, false, 'other', 'ru', 'Вопрос', case when q % 7 = 0 then 'published' else 'answered' end, r, r + 2, r + 3, r + 21, r::timestamp,
       case when q % 7 = 0 then null else '{"ru": "Ответ"}'::jsonb end, case when q % 7 = 0 then null else (r + case when q % 5 = 0 then 30 else 10 end)::timestamp end,
       case when q % 7 = 0 then null else r + case when q % 5 = 0 then 30 else 10 end end
     from agencies a, generate_series(0, 23) q, lateral (select $1::date - 15 * q - 30 as r) d`, [today, asker!.id])
  console.log(`${BODIES} bodies and a year of their facts made in ${Math.round(performance.now() - started)} ms`)
  const times: number[] = []
  let peak = 0
  for (let month = 11; month >= 0; month--) {
    const begun = performance.now()
    await takeSnapshot(db, addDays(today, -30 * month))
    times.push(performance.now() - begun)
    peak = Math.max(peak, process.memoryUsage().rss)
  }
  const sorted = [...times].sort((a, b) => a - b)
  console.log(`12 monthly snapshots of ${BODIES} bodies: first ${Math.round(times[0]!)} ms, median ${Math.round(sorted[6]!)} ms, slowest ${Math.round(sorted[11]!)} ms, all ${Math.round(times.reduce((a, b) => a + b, 0))} ms; peak RSS ${Math.round(peak / 1024 / 1024)} MB`)
} finally {
  await db.close()
  await rm(work, { recursive: true, force: true })
}
