import type { StateColours } from '../../../platform/states/tags.ts'

/**
 * A dispute of an openness indicator: open → accepted (the indicator's count corrected, the score
 * made again) | rejected (with the commission's reason). Stored in `openness_disputes.status`, which
 * its CHECK holds to this list; each state is shown with its tag's colour.
 */
export const DISPUTE_STATUSES = ['open', 'accepted', 'rejected'] as const
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number]

export const DISPUTE_STATES = { open: 'yellow', accepted: 'green', rejected: 'grey' } as const satisfies StateColours<DisputeStatus>

/**
 * How long after a month's first snapshot a body may dispute it, in working days. No law sets it:
 * it is the methodology's own rule, long enough for a body to gather its evidence and short enough
 * for the commission to decide before the month's hearing (the Global Open Data Index gave its
 * review phase a few weeks).
 */
export const REVIEW_WORKING_DAYS = 10
