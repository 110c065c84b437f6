import { actionTable } from '../../../platform/states/actions.ts'
import type { DisputeStatus } from './states.ts'

/** What the rules of a dispute's actions read of it. */
export interface DisputeFacts { status: DisputeStatus; agencyId: number }

export type DisputeAction = 'accept' | 'reject'

/** A dispute's decisions, each its own policy `openness.dispute.<action>` (the commission): taken while it is open. */
export const disputeActions = actionTable<DisputeFacts, DisputeStatus, DisputeAction>('openness.dispute', {
  accept: { from: ['open'], messageKey: 'openness.disputes.errors.decided' },
  reject: { from: ['open'], messageKey: 'openness.disputes.errors.decided' },
})
