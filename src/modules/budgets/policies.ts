import type { Policies } from '../../platform/auth/policies.ts'
import { bodyStaff } from '../../platform/auth/roles.ts'

/** Who may do what in Open Budgets (administrators pass every policy). */
export const budgetPolicies: Policies = {
  // The portal's administrators open a budget for a year and a territory, and name the single classification's codes.
  'budget.create': () => false,
  // The staff of the body that keeps a budget (the finance ministry, a region's finance department) import its lines.
  'budget.import': bodyStaff,
  // The staff of the body administering a programme put its draft or execution report up for discussion and answer the comments.
  'budget.discuss': bodyStaff,
  // A body's staff publish its budget documents (programmes, execution reports, statements, audits) and withdraw a wrong one.
  'budget.documents': bodyStaff,
}
