import type { ModuleDefinition } from '../../platform/modules.ts'
import { siteSitemap } from './sitemap.ts'
import { sitePolicies } from './policies.ts'
import { sitePages } from './editions/pages.ts'
import { siteRoutes } from './editions/routes.ts'
import { siteEditPages } from './editions/edit-pages.ts'
import { publishDue } from './editions/service.ts'
import { EDITION_STATES } from './editions/states.ts'
import { hasPublished, publishedAboutId } from './editions/reading.ts'
import { checkSiteLinks } from './editions/links.ts'
import { servicePages } from './services/pages.ts'
import { serviceRoutes } from './services/routes.ts'
import { providesServices } from './services/register.ts'
import { serviceSearch } from './services/search.ts'
import { sectionPages } from './sections/pages.ts'
import { councilPages } from './councils/pages.ts'
import { councilOf } from './councils/service.ts'
import { studyPages } from './studies/pages.ts'
import { hasStudies } from './studies/service.ts'
import { officesOf } from './sections/offices.ts'
import { leadershipOf } from '../agencies/leadership.ts'

/**
 * Every body's official site on one platform (about, leadership, contacts, news and documents in
 * editions per language, its public council), the register of public services with the life
 * situations, and the knowledge base of studies.
 */
const sites: ModuleDefinition = {
  name: 'sites',
  portal: 'services',
  search: serviceSearch,
  sitemaps: [siteSitemap],
  policies: sitePolicies,
  tags: { 'site-edition': EDITION_STATES },
  // A body's page links each section of its site that has something in it: any section is one click away.
  agencyLinks: [
    { topics: ['sites'], find: async (db, agency) => ((await publishedAboutId(db, agency.id)) !== null ? { textKey: 'sites.sections.about', path: `/agencies/${agency.slug}/about` } : null) },
    { topics: ['agencies'], find: async (db, agency) => ((await leadershipOf(db, agency.id)).current.length > 0 ? { textKey: 'sites.sections.leadership', path: `/agencies/${agency.slug}/leadership` } : null) },
    { topics: ['sites'], find: async (db, agency) => ((await officesOf(db, agency.id)).length > 0 ? { textKey: 'sites.sections.contacts', path: `/agencies/${agency.slug}/contacts` } : null) },
    { topics: ['sites'], find: async (db, agency) => ((await hasPublished(db, agency.id, 'news')) ? { textKey: 'sites.sections.news', path: `/agencies/${agency.slug}/news` } : null) },
    { topics: ['sites'], find: async (db, agency) => ((await hasPublished(db, agency.id, 'document')) ? { textKey: 'sites.sections.documents', path: `/agencies/${agency.slug}/documents` } : null) },
    { topics: ['sites'], find: async (db, agency) => ((await providesServices(db, agency.id)) ? { textKey: 'sites.sections.services', path: `/services?agency=${agency.slug}` } : null) },
    { topics: ['sites'], find: async (db, agency) => ((await councilOf(db, agency.id)) ? { textKey: 'sites.sections.council', path: `/agencies/${agency.slug}/council` } : null) },
    { topics: ['studies'], find: async (db, agency) => ((await hasStudies(db, agency.id)) ? { textKey: 'sites.sections.studies', path: `/studies?agency=${agency.slug}` } : null) },
  ],
  // Editions scheduled for a moment are published by the minute.
  jobs: [
    { name: 'site-scheduled-editions', everyMs: 60_000, run: async ({ db }) => { await publishDue(db) } },
    // Published items' links within the site and their files, checked four times a day.
    { name: 'site-link-check', everyMs: 6 * 3600_000, run: async ({ db, files, config, statusOf }) => (statusOf ? checkSiteLinks(db, files, config.publicUrl, statusOf) : undefined) },
  ],
  async register(app, { db, files }) {
    await siteRoutes(app, db, files)
    await siteEditPages(app, db, files)
    await sitePages(app, db, files)
    await serviceRoutes(app, db, files)
    await servicePages(app, db, files)
    await sectionPages(app, db)
    await councilPages(app, db)
    await studyPages(app, db, files)
  },
}

export default sites
