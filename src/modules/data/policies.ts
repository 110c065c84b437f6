import type { Policies } from '../../platform/auth/policies.ts'
import { AGENCY_ROLES, hasRole, type User } from '../../platform/auth/roles.ts'

/** Who publishes open data (administrators pass every policy). */
export const dataPolicies: Policies = {
  // Opening the form for a new dataset: anyone who publishes for some body.
  'dataset.publish': (user: User) => user.roles.some((g) => AGENCY_ROLES.includes(g.role)),
  // A body's editors and head publish and keep its datasets, and no other body's.
  'dataset.create': (user: User, dataset: { agencyId: number }) =>
    hasRole(user, 'agency-editor', dataset.agencyId) || hasRole(user, 'agency-head', dataset.agencyId),
  'dataset.update': (user: User, dataset: { agencyId: number }) =>
    hasRole(user, 'agency-editor', dataset.agencyId) || hasRole(user, 'agency-head', dataset.agencyId),
  'dataset.delete': (user: User, dataset: { agencyId: number }) =>
    hasRole(user, 'agency-editor', dataset.agencyId) || hasRole(user, 'agency-head', dataset.agencyId),
  // Administrators load the Unified List; each body's editors link the datasets that fulfil it.
  'unified-list.manage': () => false,
  'unified-list.link': (user: User, entry: { agencyId: number }) =>
    hasRole(user, 'agency-editor', entry.agencyId) || hasRole(user, 'agency-head', entry.agencyId),
  // Any signed-in person may ask a body for a dataset and support others' requests; the body answers.
  'data-request.create': () => true,
  'data-request.support': () => true,
  'data-request.answer': (user: User, request: { agencyId: number }) =>
    hasRole(user, 'agency-editor', request.agencyId) || hasRole(user, 'agency-head', request.agencyId),
  // Harvest sources fetch from other sites on a schedule: administrators only.
  'harvest.manage': () => false,
}
