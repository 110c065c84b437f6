// Benchmark (not a test): 100k datasets, then package_search at concurrency 16 on PGlite and, when a
// PostgreSQL server is reachable (DATABASE_URL, or the local one), on the server. Prints p50/p95 and
// requests per second for a few typical searches. Run: npm run bench
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { PGlite } from '@electric-sql/pglite'
import { loadTest, scratchServerDatabase } from './common.ts'
import { buildApp } from '../../src/app.ts'
import { migrate } from '../../src/platform/db/migrate.ts'
import { pgliteDb, pgliteOptions } from '../../src/platform/db/pglite.ts'
import { loadConfig } from '../../src/platform/config.ts'
import { openPostgres } from '../../src/platform/db/postgres.ts'
import type { Db } from '../../src/platform/db/index.ts'
import { seedDemo } from '../../src/demo/index.ts'
import { testFileStore } from '../helpers/files.ts'

const DATASETS = Number(process.env.BENCH_DATASETS ?? 100_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)

const WORDS_RU = ['бюджет', 'население', 'школы', 'больницы', 'транспорт', 'экология', 'выборы', 'налоги', 'дороги', 'вода', 'энергия', 'туризм', 'культура', 'спорт', 'преступность', 'занятость', 'цены', 'жильё', 'земля', 'связь']
const WORDS_EN = ['budget', 'population', 'schools', 'hospitals', 'transport', 'ecology', 'elections', 'taxes', 'roads', 'water', 'energy', 'tourism', 'culture', 'sport', 'crime', 'employment', 'prices', 'housing', 'land', 'telecom']
const WORDS_KK = ['бюджет', 'халық', 'мектептер', 'ауруханалар', 'көлік', 'экология', 'сайлау', 'салықтар', 'жолдар', 'су', 'энергия', 'туризм', 'мәдениет', 'спорт', 'қылмыс', 'жұмыспен қамту', 'бағалар', 'тұрғын үй', 'жер', 'байланыс']

/** Fills the catalog with `count` datasets (one resource each), in SQL: seconds, not hours. */
async function fill(db: Db, count: number): Promise<void> {
  const words = (list: string[]) => `array[${list.map((w) => `'${w}'`).join(',')}]`
  await db.exec(`
    insert into datasets (name, agency_id, title, description, theme_code, keywords, keywords_by_language, licence_id, frequency, created_at, updated_at, data_updated_at, views_total)
    select 'bench-' || g,
      (select id from agencies order by id offset (g % (select count(*) from agencies)) limit 1),
      jsonb_build_object(
        'ru', initcap((${words(WORDS_RU)})[1 + g % 20]) || ' ' || (${words(WORDS_RU)})[1 + (g / 20) % 20] || ' ' || (2000 + g % 25),
        'en', initcap((${words(WORDS_EN)})[1 + g % 20]) || ' ' || (${words(WORDS_EN)})[1 + (g / 20) % 20] || ' ' || (2000 + g % 25),
        'kk', initcap((${words(WORDS_KK)})[1 + g % 20]) || ' ' || (${words(WORDS_KK)})[1 + (g / 20) % 20] || ' ' || (2000 + g % 25)),
      jsonb_build_object('ru', 'Данные о ' || (${words(WORDS_RU)})[1 + (g / 400) % 20] || ' по регионам', 'en', 'Data on ' || (${words(WORDS_EN)})[1 + (g / 400) % 20] || ' by region'),
      (array['agri','econ','educ','ener','envi','gove','heal','intr','just','regi','soci','tech','tran'])[1 + g % 13],
      array[(${words(WORDS_EN)})[1 + (g / 7) % 20], (${words(WORDS_RU)})[1 + (g / 11) % 20]],
      jsonb_build_object('en', jsonb_build_array((${words(WORDS_EN)})[1 + (g / 7) % 20]), 'ru', jsonb_build_array((${words(WORDS_RU)})[1 + (g / 11) % 20])),
      (array['cc-by','cc-by-sa','cc-zero','odc-odbl'])[1 + g % 4],
      (array['daily','weekly','monthly','quarterly','annual','irregular'])[1 + g % 6],
      now() - make_interval(days => g % 1000), now() - make_interval(days => g % 900), now() - make_interval(days => g % 800), g % 5000
    from generate_series(1, ${count}) g;
    insert into data_resources (dataset_id, position, name, kind, url, format)
    select id, 0, '{"ru": "Файл", "en": "File"}', 'link', 'https://example.kz/' || name || '.csv', (array['CSV','XLSX','JSON','PDF'])[1 + abs(hashtext(name)) % 4]
    from datasets where name like 'bench-%';
    update datasets d set formats = array[upper(r.format)] from data_resources r where r.dataset_id = d.id and d.name like 'bench-%';
    analyze;
  `)
}

const SCENARIOS: Record<string, (i: number) => string> = {
  // Two words of twenty: each pair matches about 250 datasets, as a specific search does.
  'two words (ru, stemmed)': (i) => `q=${encodeURIComponent(`${WORDS_RU[i % 20]!} ${WORDS_RU[(i * 7 + 3) % 20]!}`)}&rows=20`,
  // One word of twenty matches a sixth of the catalog: the worst case, helped by the 30 s cache.
  'one common word (ru)': (i) => `q=${encodeURIComponent(WORDS_RU[i % 20]!)}&rows=20`,
  'typo (trigram fallback)': (i) => `q=${encodeURIComponent(['бюджт', 'насиление', 'шклоы', 'транспрт'][i % 4]!)}&rows=20`,
  'words + facets': (i) => `q=${encodeURIComponent(WORDS_EN[i % 20]!)}&rows=20&facet.field=${encodeURIComponent('["organization","groups","res_format","license_id"]')}`,
  'filter by body + sort': (i) => `fq=${encodeURIComponent(`organization:${['ministry-of-finance', 'ministry-of-health', 'akimat-almaty'][i % 3]}`)}&sort=metadata_modified%20desc&rows=20`,
  'everything, facets': () => `rows=20&facet.field=${encodeURIComponent('["organization","groups","res_format","license_id"]')}`,
}


async function run(label: string, db: Db): Promise<void> {
  const started = performance.now()
  await migrate(db)
  await seedDemo(db, testFileStore())
  await fill(db, DATASETS)
  console.log(`\n${label}: ${DATASETS} datasets generated in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const app = await buildApp({ db, config: { logLevel: 'silent', trustProxy: true } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  await loadTest(base, (i) => `/api/3/action/package_search?${SCENARIOS['two words (ru, stemmed)']!(i)}`, SECONDS)
  console.log(`| ${label} | scenario | p50 ms | p95 ms | req/s |`)
  console.log('|---|---|---|---|---|')
  for (const [name, query] of Object.entries(SCENARIOS)) {
    const result = await loadTest(base, (i) => `/api/3/action/package_search?${query(i)}`, SECONDS)
    console.log(`| ${label} | ${name} | ${result.p50.toFixed(1)} | ${result.p95.toFixed(1)} | ${result.rps.toFixed(0)} |${result.errors ? ` ${result.errors} errors` : ''}`)
  }
  await app.close()
}


if (process.env.BENCH_ONLY !== 'postgres') {
  const pglite = pgliteDb(await PGlite.create(pgliteOptions(loadConfig().pgliteBuffersMb)))
  await run('PGlite', pglite)
  await pglite.close()
}
const url = await scratchServerDatabase('ashyq_bench')
if (url) {
  const server = await openPostgres(url, 20)
  await run('PostgreSQL', server)
  await server.close()
} else {
  console.log('\nNo PostgreSQL server reachable: the server figures are skipped.')
}
