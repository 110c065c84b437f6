import type { ModuleDefinition } from '../../platform/modules.ts'
import { opennessPolicies } from './policies.ts'
import { opennessPages } from './pages.ts'
import { takeDueSnapshot } from './service.ts'

/** The openness index of state bodies: a versioned methodology, daily snapshots of every body's explained score, the ranking. */
const openness: ModuleDefinition = {
  name: 'openness',
  portal: 'openness',
  policies: opennessPolicies,
  // Today's snapshot, once a day; the job looks every hour whether it is taken.
  jobs: [{ name: 'openness-daily-snapshot', everyMs: 3600_000, run: async ({ db }) => takeDueSnapshot(db) }],
  async register(app, { db }) {
    await opennessPages(app, db)
  },
}

export default openness
