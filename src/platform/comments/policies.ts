import type { Policies } from '../auth/policies.ts'
import { bodyStaff } from '../auth/roles.ts'

/** Who moderates comments (each action its own; actions.ts says from which state), registered with the platform's other policies (modules.ts). */
export const commentPolicies: Policies = {
  // The editors and the head of the body that owns the object moderate its comments.
  'comment.hide': bodyStaff,
  'comment.restore': bodyStaff,
}
