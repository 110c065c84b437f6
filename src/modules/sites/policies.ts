import type { Policies } from '../../platform/auth/policies.ts'
import { bodyStaff } from '../../platform/auth/roles.ts'

/** Who may do what on a body's site (administrators pass every policy): its staff write, submit, publish and withdraw its items; the register of public services is kept by administrators. */
export const sitePolicies: Policies = {
  'site.edition.edit': bodyStaff,
  'site.edition.submit': bodyStaff,
  'site.edition.publish': bodyStaff,
  'site.edition.return': bodyStaff,
  'site.edition.withdraw': bodyStaff,
  'site.offices.edit': bodyStaff,
  // The body's staff keep its public council's record (the body serves as its secretariat) and answer its recommendations.
  'site.council.edit': bodyStaff,
  'site.council.answer': bodyStaff,
  'services.register.keep': () => false,
  // The knowledge base of studies is kept by administrators (for the grant operators).
  'studies.manage': () => false,
}
