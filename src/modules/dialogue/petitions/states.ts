import type { Day } from '../../../platform/calendar/days.ts'
import type { StateColours } from '../../../platform/states/tags.ts'

/**
 * A petition's states, in one place: what is stored, what readers are told with its tag's colour,
 * and the rule from one to the other in TypeScript (and its SQL beside it once lists read it).
 *
 * draft → moderation → rejected | collecting (by its link alone until it has enough signatures to be
 * listed, then public) → consideration (its signatures reached the number its level needs) |
 * not-supported (its period ended short) → discussion (in public with its authors) → answered (the
 * decision and its day); withdrawn by its authors at any point before it is supported.
 */

/** What is stored in `dialogue_petitions.status`. */
export const PETITION_STATUSES = ['draft', 'moderation', 'rejected', 'collecting', 'not-supported', 'consideration', 'discussion', 'answered', 'withdrawn'] as const
export type PetitionStatus = (typeof PETITION_STATUSES)[number]

/** The statuses its authors may withdraw it from: any before it is supported. */
export const WITHDRAWABLE: readonly PetitionStatus[] = ['draft', 'moderation', 'collecting']

/**
 * What readers are told: collecting split by whether it is listed yet (by-link, public), a
 * moderation or a consideration past its deadline overdue; each with the colour of its tag. A
 * petition not moderated by its deadline is public as overdue, its text withheld (moderation keeps
 * the law's excluded topics off the site), so that a moderator's delay cannot bury it unseen.
 */
export const PETITION_STATES = {
  draft: 'grey', moderation: 'yellow', 'moderation-overdue': 'red', rejected: 'grey', 'by-link': 'light-blue', collecting: 'blue', 'not-supported': 'grey',
  consideration: 'purple', overdue: 'red', discussion: 'turquoise', answered: 'green', withdrawn: 'grey',
} as const satisfies StateColours
export type PetitionState = keyof typeof PETITION_STATES

/** The steps of a petition's life its history records (`dialogue_petition_events.kind`). */
export const PETITION_EVENT_KINDS = ['created', 'co-author-joined', 'co-author-left', 'submitted', 'published', 'rejected', 'listed', 'supported', 'not-supported', 'discussion', 'answered', 'withdrawn', 'signatures-invalidated'] as const
export type PetitionEventKind = (typeof PETITION_EVENT_KINDS)[number]

/** What a reader is told of a petition on a day. */
export function petitionState(p: { status: string; signatures: number; publicAt: number; moderationDue: Day | null; considerationDue: Day | null }, today: Day): PetitionState {
  if (p.status === 'moderation' && p.moderationDue && today > p.moderationDue) return 'moderation-overdue'
  if (p.status === 'collecting') return p.signatures >= p.publicAt ? 'collecting' : 'by-link'
  if ((p.status === 'consideration' || p.status === 'discussion') && p.considerationDue && today > p.considerationDue) return 'overdue'
  return p.status as PetitionState
}
