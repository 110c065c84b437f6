import type { Policies } from '../../platform/auth/policies.ts'
import { bodyStaff, isAnyBodyStaff, type User } from '../../platform/auth/roles.ts'

// A body's editors and head develop its drafts (bodyStaff).

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
  'legal-act.create': (user: User) => isAnyBodyStaff(user),
}
