import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../platform/db/index.ts'
import { AgencyListQuery, AgencyPageSchema, AgencySchema, RegionSchema, SlugParams } from './schemas.ts'
import { listAgencies, listRegions, showAgency } from './service.ts'

/** The JSON API of the registry of state bodies. */
export async function agencyRoutes(app: FastifyInstance, db: Db): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['State bodies']

  api.get('/api/agencies', {
    schema: {
      tags,
      summary: 'List state bodies',
      description: 'Filter by kind and region; search by name in Kazakh, Russian or English (typos tolerated). Paginated.',
      querystring: AgencyListQuery,
      response: { 200: AgencyPageSchema },
    },
  }, async (request) => listAgencies(db, request.query, request.lang))

  api.get('/api/agencies/:slug', {
    schema: { tags, summary: 'One state body', params: SlugParams, response: { 200: AgencySchema } },
  }, async (request) => showAgency(db, request.params.slug, request.lang))

  api.get('/api/regions', {
    schema: { tags, summary: 'Regions and cities of republican significance', response: { 200: Type.Array(RegionSchema) } },
  }, async (request) => listRegions(db, request.lang))
}
