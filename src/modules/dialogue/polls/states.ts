import { Type } from 'typebox'
import type { Day } from '../../../platform/calendar/days.ts'
import type { StateColours } from '../../../platform/states/tags.ts'

/**
 * A poll's states, in one place: what is stored, what readers are told with its tag's colour, the
 * API's schema, and the same rule in TypeScript and in SQL (test/modules/dialogue/polls.test.ts
 * runs both over the same rows, and holds the database's CHECKs to the lists).
 */

/** What is stored in `dialogue_polls.status`: published (open or not yet, by its days), closed by the job after its last day, withdrawn by its body. */
export const POLL_STATUSES = ['published', 'closed', 'withdrawn'] as const
export type PollStatus = (typeof POLL_STATUSES)[number]

/** What readers are told, read from the status and the days, so nothing has to run for a poll to open or close. */
export const POLL_STATES = { upcoming: 'blue', open: 'green', closed: 'grey', withdrawn: 'red' } as const satisfies StateColours
export type PollState = keyof typeof POLL_STATES
export const PollStateSchema = Type.Enum(Object.keys(POLL_STATES) as PollState[], { description: 'upcoming (before its first day), open, closed (after its last day) or withdrawn by its body' })

/** The steps of a poll's life its history records (`dialogue_poll_events.kind`, held to this list by a CHECK). */
export const POLL_EVENT_KINDS = ['published', 'closed', 'withdrawn'] as const
export type PollEventKind = (typeof POLL_EVENT_KINDS)[number]

/** What a reader is told of a poll on a day (a day in Kazakhstan): open from its first day to its last, both included. */
export function pollState(p: { status: string; opensOn: Day; closesOn: Day }, today: Day): PollState {
  if (p.status === 'withdrawn') return 'withdrawn'
  if (p.status === 'closed' || today > p.closesOn) return 'closed'
  return today < p.opensOn ? 'upcoming' : 'open'
}

/** The same rule in SQL, over `dialogue_polls` as `p` and a day in $n. */
export const pollSql = {
  state: (day: string) => `(case when p.status = 'withdrawn' then 'withdrawn' when p.status = 'closed' or ${day}::date > p.closes_on then 'closed'
    when ${day}::date < p.opens_on then 'upcoming' else 'open' end)`,
}
