import type { ModuleDefinition } from '../../platform/modules.ts'
import { agencySitemap } from './sitemap.ts'
import { agencyPolicies } from './policies.ts'
import { agencyPages } from './pages.ts'
import { agencyEditPages } from './edit-pages.ts'
import { agencyRoutes } from './routes.ts'
import { agencySearch } from './search.ts'
import type { Followable } from '../../platform/notifications/subscriptions.ts'
import type { MultilingualText } from '../../platform/i18n/multilingual.ts'

// A body can be followed: every portal mails its followers what the body publishes.
const agencyFollowable: Followable = {
  prefix: 'agency',
  async find(db, slug) {
    const [row] = await db.query<{ name: MultilingualText }>('select name from agencies where slug = $1', [slug])
    return row && { title: row.name, path: `/agencies/${slug}` }
  },
}

/** The registry of state bodies, which every other portal refers to. */
const agencies: ModuleDefinition = {
  name: 'agencies',
  policies: agencyPolicies,
  followables: [agencyFollowable],
  portal: 'agencies',
  search: agencySearch,
  sitemaps: [agencySitemap],
  async register(app, { db }) {
    await agencyRoutes(app, db)
    await agencyEditPages(app, db)
    await agencyPages(app, db)
  },
}

export default agencies
