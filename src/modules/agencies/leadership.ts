import type { Db, Queryable } from '../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { authorize } from '../../platform/auth/policies.ts'
import type { User } from '../../platform/auth/roles.ts'
import { recordChange, type Actor } from '../../platform/audit/index.ts'
import { isDay, type Day } from '../../platform/calendar/days.ts'
import { cleanMultilingual, type MultilingualText } from '../../platform/i18n/multilingual.ts'

/** The positions of a body's leadership: its head, deputies (ordered by rank) and the executive secretary. */
export const LEADER_ROLES = ['head', 'deputy', 'secretary'] as const
export type LeaderRole = (typeof LEADER_ROLES)[number]

/** A person in a position of a body's leadership, with the days they held it. */
export interface Leader {
  positionId: number
  personId: number
  role: LeaderRole
  rank: number
  name: MultilingualText
  title: MultilingualText
  since: Day | null
  until: Day | null
}

interface Row { id: string; person_id: string; role: LeaderRole; rank: number; name: MultilingualText; title: MultilingualText; started_on: string | null; ended_on: string | null }
const SELECT = `select p.id, p.person_id, p.role, p.rank, pe.name, p.title, p.started_on::text as started_on, p.ended_on::text as ended_on
  from positions p join people pe on pe.id = p.person_id`
const toLeader = (r: Row): Leader => ({
  positionId: Number(r.id), personId: Number(r.person_id), role: r.role, rank: r.rank, name: r.name, title: r.title, since: r.started_on, until: r.ended_on,
})
const ROLE_ORDER = `case p.role when 'head' then 0 when 'deputy' then 1 else 2 end`

/** A body's leadership now (the head, then deputies by rank, then the executive secretary) and before it, latest first. */
export async function leadershipOf(db: Queryable, agencyId: number): Promise<{ current: Leader[]; past: Leader[] }> {
  const rows = (await db.query<Row>(`${SELECT} where p.agency_id = $1 order by ${ROLE_ORDER}, p.rank, p.started_on desc nulls last, p.id`, [agencyId])).map(toLeader)
  return {
    current: rows.filter((l) => l.until === null),
    past: rows.filter((l) => l.until !== null).sort((a, b) => (b.until ?? '').localeCompare(a.until ?? '')),
  }
}

export interface AppointInput {
  role: string
  name: MultilingualText
  title: MultilingualText
  rank?: number
  since: string
}

/**
 * Appoints a person to a body's leadership from a day (its staff). A new head or executive secretary
 * ends the one before the day before, as the head's record always has (heads.ts); a deputy joins the
 * others. Names and titles in Kazakh and Russian.
 */
export async function appointLeader(db: Db, user: User | null, agencyId: number, input: AppointInput): Promise<Leader> {
  const actor = authorize(user, 'agency.leadership.edit', { agencyId })
  return appointLeaderAs(db, { id: actor.id, email: actor.email }, agencyId, input)
}

export async function appointLeaderAs(db: Db, actor: Actor, agencyId: number, input: AppointInput): Promise<Leader> {
  const name = cleanMultilingual(input.name)
  const title = cleanMultilingual(input.title)
  const problems: FieldError[] = []
  const problem = (field: string, key: string) => problems.push({ field, messageKey: `agencies.leadership.errors.${key}` })
  if (!(LEADER_ROLES as readonly string[]).includes(input.role)) problem('role', 'role')
  for (const lang of ['kk', 'ru'] as const) {
    if (!name[lang]) problem(`name.${lang}`, 'name')
    if (!title[lang]) problem(`title.${lang}`, 'title')
  }
  if (!isDay(input.since)) problem('since', 'day')
  const rank = input.rank ?? 0
  if (!Number.isInteger(rank) || rank < 0 || rank > 100) problem('rank', 'rank')
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`ashyq:head:${agencyId}`])
    if (input.role !== 'deputy') {
      const [before] = await tx.query<Row>(`${SELECT} where p.agency_id = $1 and p.role = $2 and p.ended_on is null`, [agencyId, input.role])
      if (before) {
        if (before.started_on && before.started_on >= input.since) throw new ValidationError([{ field: 'since', messageKey: 'agencies.leadership.errors.beforeLast' }])
        await tx.query('update positions set ended_on = $2::date - 1 where id = $1', [before.id, input.since])
      }
    }
    const [person] = await tx.query<{ id: string }>('insert into people (name) values ($1) returning id', [name])
    const [position] = await tx.query<{ id: string }>(
      'insert into positions (person_id, agency_id, role, title, rank, started_on) values ($1, $2, $3, $4, $5, $6) returning id',
      [person!.id, agencyId, input.role, title, rank, input.since],
    )
    await recordChange(tx, actor, { entity: 'position', entityId: position!.id, action: 'appoint', before: null, after: { agencyId, role: input.role, name, title, rank, since: input.since } })
    const [row] = await tx.query<Row>(`${SELECT} where p.id = $1`, [position!.id])
    return toLeader(row!)
  })
}

/** Ends a position of a body's leadership on a day, its last (its staff); the page keeps it among the past ones. */
export async function endPosition(db: Db, user: User | null, agencyId: number, positionId: number, until: string): Promise<void> {
  const actor = authorize(user, 'agency.leadership.edit', { agencyId })
  if (!isDay(until)) throw new ValidationError([{ field: 'until', messageKey: 'agencies.leadership.errors.day' }])
  await db.transaction(async (tx) => {
    const [row] = await tx.query<Row>(`${SELECT} where p.id = $1 and p.agency_id = $2 and p.ended_on is null`, [positionId, agencyId])
    if (!row) throw new NotFound('position', String(positionId))
    if (row.started_on && until < row.started_on) throw new ValidationError([{ field: 'until', messageKey: 'agencies.leadership.errors.beforeStart' }])
    await tx.query('update positions set ended_on = $2 where id = $1', [positionId, until])
    await recordChange(tx, { id: actor.id, email: actor.email }, { entity: 'position', entityId: String(positionId), action: 'end', before: toLeader(row), after: { until } })
  })
}
