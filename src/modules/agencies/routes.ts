import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../platform/db/index.ts'
import { actorOf } from '../../platform/auth/index.ts'
import { authorize } from '../../platform/auth/policies.ts'
import { historyOf } from '../../platform/audit/index.ts'
import { AgencyCreateBody, AgencyListQuery, AgencyPageSchema, AgencyPatchBody, AgencySchema, AuditEntrySchema, RegionSchema, SlugParams } from './schemas.ts'
import { listAgencies, listRegions, showAgency } from './service.ts'
import { createAgency, loadAgencyFields, updateAgency } from './edit-agency.ts'

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

  const security = [{ bearerAuth: [] }]

  api.post('/api/agencies', {
    schema: {
      tags, security, summary: 'Add a state body (administrators)',
      body: AgencyCreateBody, response: { 201: AgencySchema },
    },
  }, async (request, reply) => {
    authorize(request.user, 'agency.create')
    await createAgency(db, actorOf(request), request.body)
    return reply.code(201).send(await showAgency(db, request.body.slug, request.lang))
  })

  api.patch('/api/agencies/:slug', {
    schema: {
      tags, security, summary: 'Change a state body (administrators; its own editors and head)',
      description: 'Only the fields given change. A multilingual field is replaced whole.',
      params: SlugParams, body: AgencyPatchBody, response: { 200: AgencySchema },
    },
  }, async (request) => {
    const { id } = await loadAgencyFields(db, request.params.slug)
    authorize(request.user, 'agency.update', { id })
    await updateAgency(db, actorOf(request), request.params.slug, request.body)
    return showAgency(db, request.params.slug, request.lang)
  })

  api.get('/api/agencies/:slug/history', {
    schema: { tags, summary: 'History of changes to a state body, newest first', params: SlugParams, response: { 200: Type.Array(AuditEntrySchema) } },
  }, async (request) => {
    await loadAgencyFields(db, request.params.slug)
    return historyOf(db, 'agency', request.params.slug)
  })

  api.get('/api/regions', {
    schema: { tags, summary: 'Regions and cities of republican significance', response: { 200: Type.Array(RegionSchema) } },
  }, async (request) => listRegions(db, request.lang))
}
