import type { Policies } from '../auth/policies.ts'

/** Who keeps the working calendar, registered with the platform's other policies (modules.ts). */
export const calendarPolicies: Policies = {
  // Administrators (who pass every policy) keep the calendar.
  'calendar.manage': () => false,
}
