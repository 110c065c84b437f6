import type { Queryable } from '../../platform/db/index.ts'
import type { Day } from '../../platform/calendar/days.ts'
import { cleanMultilingual, type MultilingualText } from '../../platform/i18n/multilingual.ts'

/**
 * Who heads each state body, kept once (people and their positions, with the days they held them):
 * the body's page, the head's blog in Open Dialogue and every portal after them read and write it
 * here, so that a body never names two heads at once.
 */
export interface Head {
  personId: number
  name: MultilingualText
  title: MultilingualText
  /** The first day in the position; null when it was recorded before days were kept. */
  since: Day | null
}

/** A past or present head of a body, with the days of their position. */
export interface HeadRecord extends Head {
  until: Day | null
}

interface PositionRow {
  id: number; agency_id: number; person_id: number; name: MultilingualText; title: MultilingualText; started_on: Day | null; ended_on: Day | null
}

const SELECT = `select p.id, p.agency_id, p.person_id, pe.name, p.title, p.started_on::text as started_on, p.ended_on::text as ended_on
  from positions p join people pe on pe.id = p.person_id`

const toHead = (r: PositionRow): HeadRecord => ({ personId: r.person_id, name: r.name, title: r.title, since: r.started_on, until: r.ended_on })

/** The current head of each of these bodies (a body without one is not in the map). */
export async function currentHeads(db: Queryable, agencyIds: readonly number[]): Promise<Map<number, Head>> {
  if (agencyIds.length === 0) return new Map()
  const rows = await db.query<PositionRow>(`${SELECT} where p.agency_id = any($1) and p.role = 'head' and p.ended_on is null`, [[...agencyIds]])
  return new Map(rows.map((r) => [r.agency_id, toHead(r)]))
}

/** A body's heads, the current one first, then the earlier ones, latest first. */
export async function headHistory(db: Queryable, agencyId: number): Promise<HeadRecord[]> {
  const rows = await db.query<PositionRow>(`${SELECT} where p.agency_id = $1 and p.role = 'head' order by p.ended_on is null desc, p.ended_on desc, p.id desc`, [agencyId])
  return rows.map(toHead)
}

function samePerson(a: MultilingualText, b: MultilingualText): boolean {
  const norm = (text: string | undefined) => text?.trim().toLocaleLowerCase().replace(/\s+/g, ' ') ?? ''
  return (['kk', 'ru', 'en'] as const).some((lang) => norm(a[lang]) !== '' && norm(a[lang]) === norm(b[lang]))
}

/**
 * Records who heads a body from `day`, in the caller's transaction. The same person (their name in
 * any one language unchanged) keeps their position: their name's other languages and the title are
 * corrected. Another person ends the current head's position the day before and starts their own;
 * no name ends it and leaves the body without a head. Returns what changed and who heads the body now.
 */
export async function setHead(tx: Queryable, agencyId: number, input: { name: MultilingualText; title: MultilingualText }, day: Day): Promise<{ change: 'unchanged' | 'corrected' | 'appointed' | 'vacated'; personId: number | null }> {
  const name = cleanMultilingual(input.name)
  const title = cleanMultilingual(input.title)
  await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`ashyq:head:${agencyId}`])
  const [current] = await tx.query<PositionRow>(`${SELECT} where p.agency_id = $1 and p.role = 'head' and p.ended_on is null`, [agencyId])
  const empty = Object.keys(name).length === 0
  if (current && !empty && samePerson(current.name, name)) {
    const personId = current.person_id
    if (JSON.stringify(current.name) === JSON.stringify(name) && JSON.stringify(current.title) === JSON.stringify(title)) return { change: 'unchanged', personId }
    await tx.query('update people set name = $2 where id = $1', [personId, name])
    await tx.query('update positions set title = $2 where id = $1', [current.id, title])
    return { change: 'corrected', personId }
  }
  if (current) {
    // The last day of the one before is the day before the new head's first, or the same day when
    // the position began that very day.
    await tx.query("update positions set ended_on = greatest(coalesce(started_on, $2::date - 1), $2::date - 1) where id = $1", [current.id, day])
  }
  if (empty) return { change: current ? 'vacated' : 'unchanged', personId: null }
  const [person] = await tx.query<{ id: number }>('insert into people (name) values ($1) returning id', [name])
  await tx.query("insert into positions (person_id, agency_id, role, title, started_on) values ($1, $2, 'head', $3, $4)", [person!.id, agencyId, title, day])
  return { change: 'appointed', personId: person!.id }
}
