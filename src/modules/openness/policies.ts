import type { Policies } from '../../platform/auth/policies.ts'
import { bodyStaff, hasRole, type User } from '../../platform/auth/roles.ts'

const commission = (user: User) => hasRole(user, 'commission')

/**
 * Who may do what to the openness index (administrators pass every policy): the commission publishes
 * the methodology, takes snapshots and decides disputes; a body's staff dispute its score.
 */
export const opennessPolicies: Policies = {
  'openness.manage': commission,
  'openness.dispute.submit': bodyStaff,
  'openness.dispute.accept': commission,
  'openness.dispute.reject': commission,
}
