import type { ModuleDefinition } from '../../platform/modules.ts'
import './policies.ts'
import { ckanRoutes } from './ckan/routes.ts'

/** Open data: the catalog of datasets state bodies publish, with a CKAN-compatible API. */
const data: ModuleDefinition = {
  name: 'data',
  async register(app, { db, files }) {
    await ckanRoutes(app, db, files)
  },
}

export default data
