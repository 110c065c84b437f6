import type { ModuleDefinition } from '../../platform/modules.ts'
import { questionSitemap } from './sitemap.ts'
import { dialoguePolicies } from './policies.ts'
import { dialogueCommentables, dialogueFollowables } from './subjects.ts'
import { blogPages } from './blogs/pages.ts'
import { questionPages } from './questions/pages.ts'
import { remindDeadlines } from './questions/service.ts'
import { questionSearch } from './search.ts'
import { QUESTION_STATES } from './questions/states.ts'
import { POLL_STATES } from './polls/states.ts'
import { POLL_EVENTS } from './polls/events.ts'
import { PETITION_EVENTS } from './petitions/events.ts'
import { pollPages } from './polls/pages.ts'
import { pollRoutes } from './polls/routes.ts'
import { closeEndedPolls } from './polls/service.ts'
import { closeEndedCollections } from './petitions/service.ts'
import { petitionRoutes } from './petitions/routes.ts'
import { petitionPages } from './petitions/pages.ts'
import { PETITION_STATES } from './petitions/states.ts'
import { QUESTION_EVENTS } from './questions/events.ts'
import { postPublished } from './posts/events.ts'
import { conferenceAnnounced } from './conferences/events.ts'
import { statisticsPages } from './statistics/pages.ts'
import { postPages } from './posts/pages.ts'
import { conferencePages } from './conferences/pages.ts'
import { dialogueRoutes } from './routes.ts'
import { blogRoutes } from './blogs/routes.ts'
import { postRoutes } from './posts/routes.ts'
import { conferenceRoutes } from './conferences/routes.ts'
import { dialogueHome } from './home.ts'
import { hasBlog } from './blogs/service.ts'

/** Open Dialogue: heads of bodies answer citizens' questions in public, by the law's deadlines. */
const dialogue: ModuleDefinition = {
  name: 'dialogue',
  policies: dialoguePolicies,
  portal: 'dialogue',
  home: dialogueHome,
  search: questionSearch,
  sitemaps: [questionSitemap],
  // A body's page links its head's page of questions.
  agencyLinks: [{ topics: ['dialogue'], find: async (db, agency) => ((await hasBlog(db, agency.id)) ? { textKey: 'dialogue.body.link', path: `/dialogue/${agency.slug}` } : null) }],
  tags: { question: QUESTION_STATES, poll: POLL_STATES, petition: PETITION_STATES },
  events: [...QUESTION_EVENTS, postPublished, conferenceAnnounced, ...POLL_EVENTS, ...PETITION_EVENTS],
  commentables: dialogueCommentables,
  followables: dialogueFollowables,
  jobs: [
    // Each body's staff are reminded of the deadlines near; a mail per question and deadline, so an hourly look is enough.
    { name: 'dialogue-reminders', everyMs: 3_600_000, run: ({ db, config }) => remindDeadlines(db, config.dialogue, config.publicUrl) },
    // Polls past their last day are closed and their results told; readers see them closed from that day whether or not this has run.
    { name: 'dialogue-polls-closing', everyMs: 3_600_000, run: ({ db, config }) => closeEndedPolls(db, config.publicUrl) },
    // Petitions whose period of collecting ended short of their number are not supported; their authors are told.
    { name: 'dialogue-petitions-closing', everyMs: 3_600_000, run: ({ db, config }) => closeEndedCollections(db, config.publicUrl) },
  ],
  async register(app, { db, files, config }) {
    await dialogueRoutes(app, db, files, config.dialogue)
    await blogRoutes(app, db, files)
    await postRoutes(app, db)
    await conferenceRoutes(app, db)
    await pollRoutes(app, db)
    await petitionRoutes(app, db, config.petitions)
    await questionPages(app, db, files, config)
    await statisticsPages(app, db)
    await postPages(app, db)
    await conferencePages(app, db)
    await pollPages(app, db)
    await petitionPages(app, db, config.petitions)
    await blogPages(app, db, files)
  },
}

export default dialogue
