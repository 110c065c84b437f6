import type { Policies } from '../../platform/auth/policies.ts'
import { isBodyStaff, type User } from '../../platform/auth/roles.ts'

/** Who may do what to state bodies (administrators pass every policy). */
export const agencyPolicies: Policies = {
  // New bodies come from administrators only.
  'agency.create': () => false,
  // and only a body nothing names yet is deleted (edit-agency.ts deleteAgency), by them too.
  'agency.delete': () => false,
  // Editors and heads keep their own body's page up to date, and no other.
  'agency.update': (user: User, agency: { id: number }) => isBodyStaff(user, agency.id),
  // Its staff keep the body's leadership: who holds which position, from and until which day.
  'agency.leadership.edit': (user: User, item: { agencyId: number }) => isBodyStaff(user, item.agencyId),
}
