import type { SitemapSource } from '../../platform/html/sitemap.ts'
import { listBudgets } from './service.ts'

/** Every budget's page, for search engines. */
export const budgetSitemap: SitemapSource = {
  name: 'budgets',
  topics: ['budgets'],
  pages: async (db) => (await listBudgets(db)).map((b) => ({ path: `/budgets/${b.key}` })),
}
