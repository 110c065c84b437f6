import { actionTable } from '../../../platform/states/actions.ts'
import type { MeetingStatus, RecommendationStatus } from './states.ts'

export interface MeetingFacts { status: MeetingStatus; agencyId: null }
export type MeetingAction = 'hold' | 'recommend'

/** A meeting's actions, each its own policy `openness.meeting.<action>` (the commission): its minutes recorded once, recommendations made once it is held. */
export const meetingActions = actionTable<MeetingFacts, MeetingStatus, MeetingAction>('openness.meeting', {
  hold: { from: ['planned'], messageKey: 'openness.commission.errors.held' },
  recommend: { from: ['held'], messageKey: 'openness.commission.errors.notHeld' },
})

export interface RecommendationFacts { status: RecommendationStatus; agencyId: number }
export type RecommendationAction = 'report'

/** A recommendation's action, its own policy `openness.recommendation.report` (the body's staff): reported on once. */
export const recommendationActions = actionTable<RecommendationFacts, RecommendationStatus, RecommendationAction>('openness.recommendation', {
  report: { from: ['open'], messageKey: 'openness.commission.errors.reported' },
})
