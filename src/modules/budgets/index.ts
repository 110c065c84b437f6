import type { ModuleDefinition } from '../../platform/modules.ts'
import { budgetPolicies } from './policies.ts'
import { budgetRoutes } from './routes.ts'

/** Open Budgets: every level's budget and its execution, by the single budget classification. */
const budgets: ModuleDefinition = {
  name: 'budgets',
  policies: budgetPolicies,
  async register(app, { db, files }) {
    await budgetRoutes(app, db, files)
  },
}

export default budgets
