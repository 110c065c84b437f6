import type { Policies } from '../auth/policies.ts'

/** Who reads the outbox, registered with the platform's other policies (modules.ts). */
export const outboxPolicies: Policies = {
  // Administrators (who pass every policy) read the outbox: it holds people's addresses and links.
  'outbox.read': () => false,
}
