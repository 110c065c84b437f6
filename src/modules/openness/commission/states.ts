import type { Day } from '../../../platform/calendar/days.ts'
import type { StateColours } from '../../../platform/states/tags.ts'

/**
 * The Commission's meetings and recommendations, in one place.
 * A meeting: planned (its day and agenda set) → held (its minutes recorded, its recommendations made).
 * A recommendation to a body: open → reported (the body's report on what it did); readers are told
 * whether it awaits its report, is overdue (past its day), or was reported on time or late.
 */
export const MEETING_STATUSES = ['planned', 'held'] as const
export type MeetingStatus = (typeof MEETING_STATUSES)[number]
export const MEETING_STATES = { planned: 'blue', held: 'green' } as const satisfies StateColours<MeetingStatus>

export const RECOMMENDATION_STATUSES = ['open', 'reported'] as const
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number]
export const RECOMMENDATION_STATES = { awaiting: 'yellow', overdue: 'red', reported: 'green', 'reported-late': 'orange' } as const satisfies StateColours
export type RecommendationState = keyof typeof RECOMMENDATION_STATES

/** The positions on the Commission, in the order its list shows them. */
export const MEMBER_POSITIONS = ['chair', 'deputy-chair', 'secretary', 'member'] as const
export type MemberPosition = (typeof MEMBER_POSITIONS)[number]

/** How many of the lowest scorers a new meeting's agenda proposes to hear. */
export const PROPOSED_HEARINGS = 5

/** What a reader is told of a recommendation on a day: awaiting until its day, overdue after it; reported on time or late. */
export function recommendationState(r: { status: RecommendationStatus; dueOn: Day; reportedOn: Day | null }, today: Day): RecommendationState {
  if (r.status === 'reported') return r.reportedOn !== null && r.reportedOn > r.dueOn ? 'reported-late' : 'reported'
  return today > r.dueOn ? 'overdue' : 'awaiting'
}
