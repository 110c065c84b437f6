import type { Queryable } from '../../../platform/db/index.ts'
import type { Day } from '../../../platform/calendar/days.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { today } from './service.ts'

/**
 * What one body (or all, with agency null) did with the petitions addressed to it that were
 * submitted in a period, every figure computed from the petitions' own dates: the openness index
 * reads these too.
 */
export interface PetitionFigures {
  agency: { slug: string; name: MultilingualText } | null
  /** Submitted to moderation in the period. */
  received: number
  published: number
  rejected: number
  /** Reached the signatures their level needs. */
  supported: number
  /** Their period ended short of the number. */
  notSupported: number
  answered: number
  /** Answered by their consideration's deadline. */
  answeredOnTime: number
  /** Supported, still without a decision after their deadline, today. */
  overdue: number
  withdrawn: number
  /** Counted signatures, on every petition of the period. */
  signatures: number
}

const EMPTY = { received: 0, published: 0, rejected: 0, supported: 0, notSupported: 0, answered: 0, answeredOnTime: 0, overdue: 0, withdrawn: 0, signatures: 0 }

/** Each body's figures for the period (bodies that received none are left out), and all bodies' together. */
export async function petitionStatistics(db: Queryable, period: { from: Day; to: Day }, day = today()): Promise<{ bodies: PetitionFigures[]; all: PetitionFigures }> {
  const rows = await db.query<Omit<PetitionFigures, 'agency'> & { slug: string; name: MultilingualText }>(
    `select a.slug, a.name, count(*)::int as received,
       count(*) filter (where p.published_on is not null and p.status <> 'rejected')::int as published,
       count(*) filter (where p.status = 'rejected')::int as rejected,
       count(*) filter (where p.supported_on is not null)::int as supported,
       count(*) filter (where p.status = 'not-supported')::int as "notSupported",
       count(*) filter (where p.status = 'answered')::int as answered,
       count(*) filter (where p.status = 'answered' and p.answered_on <= p.consideration_due)::int as "answeredOnTime",
       count(*) filter (where p.status in ('consideration', 'discussion') and p.consideration_due < $3::date)::int as overdue,
       count(*) filter (where p.status = 'withdrawn')::int as withdrawn,
       coalesce(sum(p.signatures), 0)::int as signatures
     from dialogue_petitions p join agencies a on a.id = p.agency_id
     where p.submitted_on between $1::date and $2::date
     group by a.slug, a.name order by count(*) desc, a.slug`,
    [period.from, period.to, day],
  )
  const bodies = rows.map(({ slug, name, ...figures }) => ({ agency: { slug, name }, ...figures }))
  const all: PetitionFigures = { agency: null, ...EMPTY }
  for (const body of bodies) for (const key of Object.keys(EMPTY) as Array<keyof typeof EMPTY>) all[key] += body[key]
  return { bodies, all }
}
