import type { Policies } from '../../platform/auth/policies.ts'
import { hasRole, type User } from '../../platform/auth/roles.ts'

export const legalActPolicies: Policies = {
  // A body's editors and head develop its drafts: publish, version, answer, record adoption.
  'legal-act.manage': (user: User, draft: { agencyId: number }) =>
    hasRole(user, 'agency-editor', draft.agencyId) || hasRole(user, 'agency-head', draft.agencyId),
  // Anyone who develops drafts for some body may open the form for a new one.
  'legal-act.create': (user: User) => user.roles.some((g) => g.role === 'agency-editor' || g.role === 'agency-head'),
}
