import type { ModuleDefinition } from '../../platform/modules.ts'
import './policies.ts'
import { agencyPages } from './pages.ts'
import { agencyEditPages } from './edit-pages.ts'
import { agencyRoutes } from './routes.ts'
import { agencySearch } from './search.ts'

/** The registry of state bodies, which every other portal refers to. */
const agencies: ModuleDefinition = {
  name: 'agencies',
  portal: 'agencies',
  search: agencySearch,
  async register(app, { db }) {
    await agencyRoutes(app, db)
    await agencyEditPages(app, db)
    await agencyPages(app, db)
  },
}

export default agencies
