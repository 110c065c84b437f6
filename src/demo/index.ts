import type { Db } from '../platform/db/index.ts'
import { countAgencies, createRegion } from '../modules/agencies/service.ts'
import { insertAgency } from '../modules/agencies/edit-agency.ts'
import { SYSTEM_ACTOR } from '../platform/audit/index.ts'
import { DEMO_AGENCIES } from './agencies.ts'
import { DEMO_POPULATION, DEMO_REGIONS } from './regions.ts'
import { CITIES } from '../platform/maps/geo/cities.ts'
import { seedDemoDatasets, seedDemoList } from './datasets.ts'
import { runDatastoreLoads } from '../modules/data/datastore/ingest.ts'
import { titleDemoColumns } from './columns.ts'
import { seedDemoLegalActs } from './legal-acts.ts'
import { seedDemoDialogue } from './dialogue.ts'
import { seedDemoBudgets } from './budgets.ts'
import { seedDemoSections, seedDemoSites } from './sites.ts'
import { seedDemoServices } from './services.ts'
import { seedDemoStudies } from './studies.ts'
import { seedDemoOpenness } from './openness.ts'
import { titleResultsTables } from '../modules/openness/results.ts'
import { titleBudgetTables } from '../modules/budgets/catalog.ts'
import { listBudgets } from '../modules/budgets/service.ts'
import { kazakhstanDay } from '../platform/calendar/days.ts'
import type { FileStore } from '../platform/files/index.ts'

/**
 * Fills an empty database with the demo data, in one transaction. A database that already holds
 * state bodies is never touched; returns what was added, or undefined when nothing was.
 */
export async function seedDemo(db: Db, files: FileStore, { opennessPublisher = 'ministry-of-culture-and-information' }: { opennessPublisher?: string } = {}): Promise<{ regions: number; agencies: number; datasets: number; drafts: number } | undefined> {
  const seeded = await db.transaction(async (tx) => {
    // Two servers started at once on an empty database: the second waits here for the first's demo,
    // then finds it, instead of failing on a duplicate key.
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', ['ashyq:seed-demo'])
    if ((await countAgencies(tx)) > 0) return undefined
    const [{ count } = { count: 0 }] = await tx.query<{ count: number }>('select count(*)::int as count from regions')
    if (count === 0) {
      for (const { ruGenitive: _, ...region } of DEMO_REGIONS) await createRegion(tx, region)
      for (const [code, population] of Object.entries(DEMO_POPULATION)) await tx.query('update regions set population = $2 where code = $1', [code, population])
      // Each centre where the map's list of cities puts it.
      for (const region of DEMO_REGIONS) {
        const city = CITIES.find((c) => c.name.en === region.centre.en)
        if (city) await tx.query('update regions set centre_lon = $2, centre_lat = $3 where code = $1', [region.code, city.lon, city.lat])
      }
    }
    for (const agency of DEMO_AGENCIES) await insertAgency(tx, SYSTEM_ACTOR, agency)
    const datasets = await seedDemoDatasets(tx, files)
    await seedDemoList(tx)
    const drafts = await seedDemoLegalActs(tx, files)
    await seedDemoDialogue(tx)
    return { regions: DEMO_REGIONS.length, agencies: DEMO_AGENCIES.length, datasets, drafts }
  })
  // The demo's tables are small: loaded now, the first visitor finds them ready.
  if (seeded) {
    // Every table loaded before its columns are titled (more than one round's worth: a table loaded
    // later by the job would be left untitled).
    while (await runDatastoreLoads({ db, files }) > 0);
    await titleDemoColumns(db)
    // Budgets are imported as their keepers' files are: each in its own transaction, each refreshing
    // its dataset, whose table is loaded and titled as the others were.
    await seedDemoBudgets(db, kazakhstanDay(new Date()), files)
    await seedDemoSites(db, kazakhstanDay(new Date()), files)
    await seedDemoServices(db)
    await seedDemoSections(db, kazakhstanDay(new Date()))
    await seedDemoStudies(db, files)
    await seedDemoOpenness(db, files, kazakhstanDay(new Date()), opennessPublisher)
    while (await runDatastoreLoads({ db, files }) > 0);
    await titleBudgetTables(db, await listBudgets(db))
    await titleResultsTables(db)
  }
  return seeded
}
