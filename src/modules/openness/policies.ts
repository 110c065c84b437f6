import type { Policies } from '../../platform/auth/policies.ts'
import { hasRole, type User } from '../../platform/auth/roles.ts'

/** Who may do what to the openness index (administrators pass every policy): the commission publishes the methodology and takes snapshots. */
export const opennessPolicies: Policies = {
  'openness.manage': (user: User) => hasRole(user, 'commission'),
}
