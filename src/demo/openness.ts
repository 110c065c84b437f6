import type { Db } from '../platform/db/index.ts'
import { addDays, type Day } from '../platform/calendar/days.ts'
import { takeSnapshot } from '../modules/openness/service.ts'

/** A year of monthly snapshots of the openness index, the last one today: the bodies' scores move as their facts came in. */
export async function seedDemoOpenness(db: Db, today: Day): Promise<void> {
  for (let month = 11; month >= 0; month--) await takeSnapshot(db, addDays(today, -30 * month))
}
