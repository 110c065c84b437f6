// Open Budgets' benchmark: a year's execution of 1,000,000 rows imported from a CSV file (time and
// the process's peak memory, against a file of 100,000 rows: memory must stay flat), then the
// budget's page with its treemap and bars asked of the server (time, first and median).
// Usage: node --liftoff-only --import tsx test/bench/budgets.ts [rows]   (PGlite; DATABASE_URL for a server)
import { performance } from 'node:perf_hooks'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildApp } from '../../src/app.ts'
import { openDatabase } from '../../src/platform/db/index.ts'
import { migrate } from '../../src/platform/db/migrate.ts'
import { FolderFileStore, type FileStore } from '../../src/platform/files/index.ts'
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.ts'
import { insertAgency } from '../../src/modules/agencies/edit-agency.ts'
import { createBudgetAs, keepCodeNames } from '../../src/modules/budgets/service.ts'
import { importLinesAs } from '../../src/modules/budgets/import.ts'
import { csvRows } from '../../src/modules/data/datastore/sources.ts'
import { kazakhstanDay } from '../../src/platform/calendar/days.ts'

const ROWS = Number(process.argv[2] ?? 1_000_000)
const ECONOMIC = ['111', '121', '131', '141', '142', '144', '149', '151', '152', '159', '169', '311', '324', '414', '431', '511']

/**
 * A budget's lines as its keeper's file would bring them: every programme's subprogrammes, each
 * spent on several economic specifics, executed in each of 12 months, until `rows` rows.
 */
async function writeLines(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file)
  out.write('direction,code,economic,phase,period,amount,name_kk,name_ru,name_en\n')
  let written = 0
  let leaf = 0
  while (written < rows) {
    const group = String(1 + (leaf % 15)).padStart(2, '0')
    const administrator = 200 + (Math.floor(leaf / 7) % 60)
    const programme = String(1 + (Math.floor(leaf / 3) % 90)).padStart(3, '0')
    const subprogramme = String(100 + (leaf % 40)).padStart(3, '0')
    const code = `${group} ${1 + (leaf % 9)} ${administrator} ${programme} ${subprogramme}`
    for (const economic of ECONOMIC) {
      for (let month = 1; month <= 12 && written < rows; month += 1) {
        const line = `expense,${code},${economic},executed,M${String(month).padStart(2, '0')},${(1000 + ((leaf * 7 + month * 13) % 100_000)).toFixed(2)},,Подпрограмма ${leaf},\n`
        if (!out.write(line)) await once(out, 'drain')
        written += 1
      }
      if (written >= rows) break
    }
    leaf += 1
  }
  out.end()
  await once(out, 'finish')
}

const work = await mkdtemp(path.join(tmpdir(), 'ashyq-bench-budgets-'))
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: path.join(work, 'db') })
try {
  await migrate(db)
  const files = new FolderFileStore(path.join(work, 'files'), 10 * 1024 ** 3)
  await insertAgency(db, SYSTEM_ACTOR, { slug: 'ministry-of-finance', kind: 'central', name: { kk: 'Қаржы министрлігі', ru: 'Министерство финансов', en: 'Ministry of Finance' } })
  await keepCodeNames(db, null, Array.from({ length: 15 }, (_, i) => ({ dimension: 'functional', code: String(i + 1).padStart(2, '0'), name: { ru: `Функциональная группа ${i + 1}`, en: `Functional group ${i + 1}` } })))
  const limits = { maxRowBytes: 1024 * 1024, maxUnpackedBytes: 512 * 1024 * 1024, maxSharedStringsBytes: 64 * 1024 * 1024 }
  const results: Record<string, unknown> = { rows: ROWS, database: db.kind, node: process.version, date: new Date().toISOString().slice(0, 10) }
  for (const [label, rows, year] of [['warm-up, 100,000 rows', Math.min(100_000, ROWS), 2025], [`${ROWS.toLocaleString('en')} rows`, ROWS, 2026]] as const) {
    const budget = await createBudgetAs(db, SYSTEM_ACTOR, { level: 'republican', year, agencySlug: 'ministry-of-finance' })
    const file = path.join(work, `lines-${year}.csv`)
    await writeLines(file, rows)
    const { key } = await files.save(createReadStream(file))
    const rssBefore = process.memoryUsage().rss
    let peak = rssBefore
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 200)
    const started = performance.now()
    const report = await importLinesAs(db, SYSTEM_ACTOR, budget, await csvRows(files, key, 'CSV', limits), kazakhstanDay(new Date()))
    clearInterval(sampler)
    results[label] = { seconds: Math.round((performance.now() - started) / 100) / 10, imported: report.rows, rssBeforeMb: Math.round(rssBefore / 1048576), peakRssMb: Math.round(peak / 1048576) }
    console.log(label, results[label])
  }

  // The page of the year with the most rows as a reader asks it: drawn anew in each of the three
  // contrasts (its totals read, its treemap and bars drawn), then kept (the median of 20).
  const app = await buildApp({ db, files, config: { logLevel: 'silent' } })
  const ask = async (cookie: string) => {
    const started = performance.now()
    const response = await app.inject({ url: '/ru/budgets/republican-2026', headers: { cookie } })
    if (response.statusCode !== 200) throw new Error(`${response.statusCode}`)
    return performance.now() - started
  }
  // The server's first page and drawing (templates compiled, the charting library loaded) are another year's.
  await app.inject({ url: '/ru/budgets/republican-2025' })
  const drawn: number[] = []
  for (const cookie of ['ashyq_a11y=on.normal.normal.on.normal', 'ashyq_a11y=on.normal.light.on.normal', 'ashyq_a11y=on.normal.dark.on.normal']) drawn.push(await ask(cookie))
  const kept: number[] = []
  for (let i = 0; i < 20; i += 1) kept.push(await ask(''))
  kept.sort((a, b) => a - b)
  results.page = { drawnMs: drawn.map(Math.round), keptMedianMs: Math.round(kept[10]!) }
  console.log('page', results.page)
  await app.close()
  console.log(JSON.stringify(results))
} finally {
  await db.close()
  await rm(work, { recursive: true, force: true })
}
