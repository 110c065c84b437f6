import type { Policies } from '../../platform/auth/policies.ts'
import { bodyStaff, hasRole, type User } from '../../platform/auth/roles.ts'

const commission = (user: User) => hasRole(user, 'commission')

/**
 * Who may do what to the openness index (administrators pass every policy): the commission publishes
 * the methodology, takes snapshots, decides disputes and keeps its own record (members, meetings,
 * recommendations); a body's staff dispute its score and report on the recommendations to it.
 */
export const opennessPolicies: Policies = {
  'openness.manage': commission,
  'openness.dispute.submit': bodyStaff,
  'openness.dispute.accept': commission,
  'openness.dispute.reject': commission,
  'openness.commission.manage': commission,
  'openness.meeting.hold': commission,
  'openness.meeting.recommend': commission,
  'openness.recommendation.report': bodyStaff,
  'openness.report.prepare': commission,
  'openness.report.publish': commission,
}
