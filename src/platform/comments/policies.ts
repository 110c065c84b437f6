import type { Policies } from '../auth/policies.ts'
import { hasRole, type User } from '../auth/roles.ts'

/** Who moderates comments, registered with the platform's other policies (modules.ts). */
export const commentPolicies: Policies = {
  // The editors and the head of the body that owns the object moderate its comments.
  'comment.moderate': (user: User, comment: { agencyId: number | null }) =>
    comment.agencyId !== null && (hasRole(user, 'agency-editor', comment.agencyId) || hasRole(user, 'agency-head', comment.agencyId)),
}
