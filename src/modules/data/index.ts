import { flushDemand } from './demand/service.ts'
import type { ModuleDefinition } from '../../platform/modules.ts'
import { datasetSitemap } from './sitemap.ts'
import { dataPolicies } from './policies.ts'
import { ckanRoutes } from './ckan/routes.ts'
import { dataPages } from './catalog/pages.ts'
import { dataEditPages } from './publishing/pages.ts'
import { unifiedListPages } from './unified-list/pages.ts'
import { requestPages } from './requests/pages.ts'
import { dcatRoutes } from './dcat/routes.ts'
import { harvestPages } from './harvest/pages.ts'
import { dueSourceCount, runDueSources } from './harvest/service.ts'
import { LOAD_CHANNEL, loadBacklog, runDatastoreLoads } from './datastore/ingest.ts'
import { datasetSearch } from './catalog/site-search.ts'
import { datastorePages, dictionaryPages } from './datastore/pages.ts'
import { FRESHNESS_COLOURS, LIST_STATE_COLOURS } from './catalog/vocabularies.ts'
import { REQUEST_STATUS_COLOURS } from './requests/service.ts'
import { DATASTORE_STATE_COLOURS, hasPublicDatasets } from './catalog/service.ts'
import { dataHome } from './home.ts'

/** Open data: the catalog of datasets state bodies publish, with a CKAN-compatible API. */
const data: ModuleDefinition = {
  name: 'data',
  policies: dataPolicies,
  portal: 'data',
  home: dataHome,
  search: datasetSearch,
  sitemaps: [datasetSitemap],
  // A body's page links the datasets it publishes.
  agencyLinks: [{ topics: ['data'], find: async (db, agency) => ((await hasPublicDatasets(db, agency.id)) ? { textKey: 'data.body.link', path: `/data?publisher=${agency.slug}` } : null) }],
  tags: { datastore: DATASTORE_STATE_COLOURS, freshness: FRESHNESS_COLOURS, 'unified-list': LIST_STATE_COLOURS, 'data-request': REQUEST_STATUS_COLOURS },
  jobs: [
    { name: 'harvest', everyMs: 60_000, run: ({ db, config }) => runDueSources(db, { privateNetworks: config.harvestPrivateNetworks }), backlog: dueSourceCount },
    // A load starts as soon as the upload that queued it commits (its notification); the rounds
    // take up what a notification missed (a listening connection being reopened) and stale loads.
    { name: 'datastore-load', everyMs: 10_000, wakeOn: LOAD_CHANNEL, run: (deps) => runDatastoreLoads(deps), backlog: loadBacklog },
  ],
  async register(app, { db, files, config }) {
    // API calls counted in memory are written before the database closes.
    app.addHook('onClose', async () => {
      await flushDemand(db)
    })
    await ckanRoutes(app, db, files, config)
    await dataEditPages(app, db, files)
    await unifiedListPages(app, db, files)
    await requestPages(app, db)
    await dcatRoutes(app, db)
    await harvestPages(app, db, config)
    await datastorePages(app, db)
    await dictionaryPages(app, db)
    await dataPages(app, db, files)
  },
}

export default data
