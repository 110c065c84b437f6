import type { ModuleDefinition } from '../../platform/modules.ts'
import { budgetSitemap } from './sitemap.ts'
import { budgetPolicies } from './policies.ts'
import { budgetRoutes } from './routes.ts'
import { budgetPages } from './pages.ts'
import { discussionPages, discussionRoutes } from './discussion-pages.ts'
import { hasBudgets, listBudgets } from './service.ts'
import { titleBudgetTables } from './catalog.ts'
import { budgetSearch } from './search.ts'
import { budgetCommentables } from './discussions.ts'
import { budgetDocumentPages } from './document-pages.ts'

/** Open Budgets: every level's budget and its execution, by the single budget classification. */
const budgets: ModuleDefinition = {
  name: 'budgets',
  portal: 'budgets',
  policies: budgetPolicies,
  search: budgetSearch,
  sitemaps: [budgetSitemap],
  commentables: budgetCommentables,
  // A body that keeps a budget or administers programmes in one links to its budgets from its page.
  agencyLinks: [{ topics: ['budgets'], find: async (db, agency) => ((await hasBudgets(db, agency.id)) ? { textKey: 'budgets.body.link', path: `/budgets/bodies/${agency.slug}` } : null) }],
  // The budgets' tables in the catalog, titled once the datastore has loaded them.
  jobs: [{ name: 'budget-table-titles', everyMs: 10 * 60_000, run: async ({ db }) => titleBudgetTables(db, await listBudgets(db)) }],
  async register(app, { db, files, config }) {
    await budgetRoutes(app, db, files)
    await budgetPages(app, db)
    await discussionRoutes(app, db, config.legalActs.minimumDays)
    await discussionPages(app, db, config.legalActs.minimumDays)
    await budgetDocumentPages(app, db, files)
  },
}

export default budgets
