import type { ModuleDefinition } from '../../platform/modules.ts'
import { draftSitemap } from './sitemap.ts'
import { legalActPolicies } from './policies.ts'
import { legalActCommentables, legalActFollowables } from './subjects.ts'
import { draftPages } from './drafts/pages.ts'
import { draftEditPages } from './drafts/edit-pages.ts'
import { closeEndedDiscussions } from './drafts/lifecycle.ts'
import { answerPages } from './answers/pages.ts'
import { attachmentPages } from './attachments/pages.ts'
import { legalActRoutes } from './routes.ts'
import { importRoutes } from './imports/routes.ts'
import { factsPages } from './facts/pages.ts'
import { draftSearch } from './search.ts'
import { STATUS_COLOURS } from './kinds.ts'
import { DRAFT_EVENTS } from './drafts/events.ts'
import { legalActsHome } from './home.ts'
import { hasPublicDrafts } from './drafts/service.ts'

/** Open Legal Acts: drafts of regulations in public discussion, with answers to every proposal. */
const legalActs: ModuleDefinition = {
  name: 'legal-acts',
  policies: legalActPolicies,
  portal: 'legal-acts',
  home: legalActsHome,
  search: draftSearch,
  sitemaps: [draftSitemap],
  // A body's page links its drafts once any is public.
  agencyLinks: [{ topics: ['legal-acts'], find: async (db, agency) => ((await hasPublicDrafts(db, agency.id)) ? { textKey: 'legalActs.body.link', path: `/legal-acts?agency=${agency.slug}` } : null) }],
  tags: { draft: STATUS_COLOURS },
  events: DRAFT_EVENTS,
  commentables: legalActCommentables,
  followables: legalActFollowables,
  jobs: [
    // Discussions close when their last day ends in Kazakhstan: a look every minute is on time.
    { name: 'legal-acts-close', everyMs: 60_000, run: ({ db, config }) => closeEndedDiscussions(db, config.legalActs, config.publicUrl) },
  ],
  async register(app, { db, files, config }) {
    await legalActRoutes(app, db)
    await importRoutes(app, db, config)
    await draftEditPages(app, db, files, config)
    await answerPages(app, db)
    await attachmentPages(app, db, files)
    await factsPages(app, db)
    await draftPages(app, db)
  },
}

export default legalActs
