import type { ModuleDefinition } from '../../platform/modules.ts'
import { opennessPolicies } from './policies.ts'
import { opennessPages } from './pages.ts'
import { latestSnapshot, snapshotScores, takeDueSnapshot } from './service.ts'
import { disputePages } from './disputes/pages.ts'
import { DISPUTE_STATES } from './disputes/states.ts'
import { DISPUTE_EVENTS } from './disputes/events.ts'
import { commissionPages } from './commission/pages.ts'
import { reportPages } from './report-pages.ts'
import { keepResultsDataset, titleResultsTables } from './results.ts'
import { SYSTEM_ACTOR } from '../../platform/audit/index.ts'
import { MEETING_STATES, RECOMMENDATION_STATES } from './commission/states.ts'
import { COMMISSION_EVENTS } from './commission/events.ts'
import { opennessHome } from './home.ts'

/** The openness index of state bodies: a versioned methodology, daily snapshots of every body's explained score, the ranking. */
const openness: ModuleDefinition = {
  name: 'openness',
  portal: 'openness',
  home: opennessHome,
  policies: opennessPolicies,
  tags: { 'openness-dispute': DISPUTE_STATES, 'openness-meeting': MEETING_STATES, 'openness-recommendation': RECOMMENDATION_STATES },
  events: [...DISPUTE_EVENTS, ...COMMISSION_EVENTS],
  // A body's page links its explained score once a snapshot has scored it.
  agencyLinks: [{
    topics: ['openness'],
    find: async (db, agency) => {
      const snapshot = await latestSnapshot(db)
      const scored = snapshot && (await snapshotScores(db, snapshot.id)).some((s) => s.agencyId === agency.id && s.score !== null)
      return scored ? { textKey: 'openness.body.link', path: `/openness/agencies/${agency.slug}` } : null
    },
  }],
  // Today's snapshot, once a day (the job looks every hour whether it is taken); then the year's
  // results in the catalog are made again from the monthly snapshots, as disputes left them.
  jobs: [{
    name: 'openness-daily-snapshot', everyMs: 3600_000,
    run: async ({ db, files, config }) => {
      const taken = await takeDueSnapshot(db)
      if (taken) await keepResultsDataset(db, files, SYSTEM_ACTOR, config.opennessPublisher, Number(taken.day.slice(0, 4)))
      return taken
    },
  }, { name: 'openness-table-titles', everyMs: 10 * 60_000, run: async ({ db }) => titleResultsTables(db) }],
  async register(app, { db }) {
    await opennessPages(app, db)
    await disputePages(app, db)
    await commissionPages(app, db)
    await reportPages(app, db)
  },
}

export default openness
