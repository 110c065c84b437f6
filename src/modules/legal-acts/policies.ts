import type { Policies } from '../../platform/auth/policies.ts'
import { hasRole, type User } from '../../platform/auth/roles.ts'

/** A body's editors and head develop its drafts. */
const bodyStaff = (user: User, draft: { agencyId: number }): boolean =>
  hasRole(user, 'agency-editor', draft.agencyId) || hasRole(user, 'agency-head', draft.agencyId)

export const legalActPolicies: Policies = {
  // Editing a draft's card, its documents and proposals' answers, and reading it in preparation.
  'legal-act.manage': bodyStaff,
  // Each step of a draft's life (drafts/actions.ts gives the states each is taken from).
  'legal-act.draft.edit': bodyStaff,
  'legal-act.draft.version': bodyStaff,
  'legal-act.draft.publish': bodyStaff,
  'legal-act.draft.answer': bodyStaff,
  'legal-act.draft.adopt': bodyStaff,
  'legal-act.draft.withdraw': bodyStaff,
  // Anyone who develops drafts for some body may open the form for a new one.
  'legal-act.create': (user: User) => user.roles.some((g) => g.role === 'agency-editor' || g.role === 'agency-head'),
}
