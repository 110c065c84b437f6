import type { Policies } from '../../platform/auth/policies.ts'
import { bodyStaff, isAnyBodyStaff, type User } from '../../platform/auth/roles.ts'

/** Who publishes open data (administrators pass every policy). */
export const dataPolicies: Policies = {
  // Opening the form for a new dataset: anyone who publishes for some body.
  'dataset.publish': (user: User) => isAnyBodyStaff(user),
  // A body's editors and head publish and keep its datasets, and no other body's.
  'dataset.create': bodyStaff,
  'dataset.update': bodyStaff,
  'dataset.delete': bodyStaff,
  // Administrators load the Unified List; each body's editors link the datasets that fulfil it.
  'unified-list.manage': () => false,
  'unified-list.link': bodyStaff,
  // Any signed-in person may ask a body for a dataset and support others' requests; the body answers.
  'data-request.create': () => true,
  'data-request.support': () => true,
  'data-request.answer': bodyStaff,
  // Harvest sources fetch from other sites on a schedule: administrators only.
  'harvest.manage': () => false,
  // The themes are the EU's data themes: administrators may correct their names, nobody adds one.
  'theme.update': () => false,
}
