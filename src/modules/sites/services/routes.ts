import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import { acceptUploads } from '../../../platform/files/uploads.ts'
import { ValidationError } from '../../../platform/http/errors.ts'
import { Nullable, MultilingualSchema as Text, MultilingualInput as TextInput } from '../../../platform/http/validation.ts'
import { can } from '../../../platform/auth/policies.ts'
import { isDay, kazakhstanDay } from '../../../platform/calendar/days.ts'
import { agencyNames } from '../../agencies/service.ts'
import { csvRows } from '../../data/datastore/sources.ts'
import { LoadError } from '../../data/datastore/detect.ts'
import { CHANNELS, RECIPIENTS, excludeService, findService, keepServices, listServices, type PublicService } from './register.ts'
import { findSituation, keepSituation, keepSphere, listSituations, listSpheres } from './situations.ts'
import { servicesOfCsv, SERVICE_COLUMNS } from './csv.ts'
import { ServiceQuery, serviceFilter } from './pages.ts'

const TAGS = ['Public services']
const TOKEN = [{ bearerAuth: [] }]
const PER_PAGE = 100
const ListInput = Type.Object({
  kk: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 50 })), ru: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 50 })),
  en: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 50 })),
}, { additionalProperties: false })
const Code = Type.String({ pattern: '^[0-9]{8}$', description: '8 digits: the sphere\'s 3, the life situation\'s 2, the service\'s own 3' })
const Slug = Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' })

const ServiceSchema = Type.Object({
  code: Type.String(), sphere: Type.String(), situation: Type.String({ description: 'the life situation\'s 5 digits' }),
  agency: Type.String({ description: 'the providing body\'s slug' }), name: Text, description: Text,
  recipients: Type.Array(Type.Enum([...RECIPIENTS])), channels: Type.Array(Type.Enum([...CHANNELS])),
  feeKzt: Nullable(Type.String({ description: 'in tenge; null when free' })), feeNote: Text, term: Text,
  documents: Type.Record(Type.String(), Type.Array(Type.String())), result: Text, legalBasis: Text, egovUrl: Nullable(Type.String()),
  excluded: Nullable(Type.Object({ on: Type.String({ format: 'date' }), reason: Text })), updatedAt: Type.String({ format: 'date-time' }),
})
const ServiceInputSchema = Type.Object({
  code: Code, agency: Slug, name: TextInput(500), description: Type.Optional(TextInput(4000)),
  recipients: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 2 }), channels: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 3 }),
  feeKzt: Type.Optional(Nullable(Type.String({ maxLength: 20 }))), feeNote: Type.Optional(TextInput(1000)), term: TextInput(300),
  documents: Type.Optional(ListInput), result: Type.Optional(TextInput(2000)), legalBasis: Type.Optional(TextInput(2000)), egovUrl: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
}, { additionalProperties: false })
const SituationSchema = Type.Object({
  slug: Type.String(), sphere: Type.String(), code: Type.String(), audience: Type.Enum([...RECIPIENTS]), title: Text, summary: Text, services: Type.Integer(),
})

// A CSV column's name as the JSON body writes the same field.
const JSON_FIELD: Record<string, string> = { fee_kzt: 'feeKzt', egov_url: 'egovUrl', fee_note: 'feeNote', legal_basis: 'legalBasis' }
const jsonField = (column: string) => {
  const m = /^(.*)_(kk|ru|en)$/.exec(column)
  return m ? `${JSON_FIELD[m[1]!] ?? m[1]}.${m[2]}` : JSON_FIELD[column] ?? column
}

/** The register of public services and the life situations as JSON for anyone; the register kept by administrators with a token. */
export async function serviceRoutes(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>()
    await acceptUploads(scope, files, { field: 'file', mayUpload: (request) => can(request.user, 'services.register.keep') })
    const slugs = async () => new Map((await agencyNames(db, 'ru')).map((a) => [a.id, a.slug]))
    const serviceJson = (s: PublicService, slugOf: Map<number, string>) => ({
      code: s.code, sphere: s.sphereCode, situation: `${s.sphereCode}${s.situationCode}`, agency: slugOf.get(s.agencyId) ?? '',
      name: s.name as Record<string, string>, description: s.description as Record<string, string>, recipients: s.recipients, channels: s.channels,
      feeKzt: s.feeKzt, feeNote: s.feeNote as Record<string, string>, term: s.term as Record<string, string>, documents: s.documents as Record<string, string[]>,
      result: s.result as Record<string, string>, legalBasis: s.legalBasis as Record<string, string>, egovUrl: s.egovUrl,
      excluded: s.excluded && { on: s.excluded.on, reason: s.excluded.reason as Record<string, string> }, updatedAt: s.updatedAt,
    })

    api.get('/api/services', {
      schema: {
        tags: TAGS, summary: 'The register of public services, filtered as on its page, by code (best match first when searched), 100 a page',
        querystring: ServiceQuery,
        response: { 200: Type.Object({ total: Type.Integer(), page: Type.Integer(), services: Type.Array(ServiceSchema) }) },
      },
    }, async (request) => {
      const page = request.query.page ?? 1
      const found = await listServices(db, { ...(await serviceFilter(db, request.query)), offset: (page - 1) * PER_PAGE, limit: PER_PAGE })
      const slugOf = await slugs()
      return { total: found.total, page, services: found.items.map((s) => serviceJson(s, slugOf)) }
    })

    api.get('/api/services/:code', {
      schema: { tags: TAGS, summary: 'A service of the register (also one taken out of it)', params: Type.Object({ code: Code }), response: { 200: ServiceSchema } },
    }, async (request) => serviceJson(await findService(db, request.params.code), await slugs()))

    api.put('/api/services', {
      schema: {
        tags: TAGS, security: TOKEN,
        summary: 'Keep services in the register (administrators): each new code added, each known one replaced; all or none',
        description: 'A wrong service refuses them all with a 400 naming each field (services[i].name.kk …). A code\'s first 5 digits name its life situation, which must exist.',
        body: Type.Object({ services: Type.Array(ServiceInputSchema, { minItems: 1, maxItems: 2000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ added: Type.Integer(), replaced: Type.Integer() }) },
      },
    }, async (request) => keepServices(db, request.user, request.body.services, (i, column) => ({ field: `services[${i}].${jsonField(column)}` })))

    api.post('/api/services/import', {
      schema: {
        tags: TAGS, security: TOKEN, consumes: ['multipart/form-data'],
        summary: 'Import the register from a CSV (administrators): the export\'s columns, all rows or none',
        description: `Columns: ${SERVICE_COLUMNS.join(', ')} (excluded_on, which the export writes, is not read). Documents one per line within their cell; recipients and channels separated by spaces. `
          + 'A wrong row refuses the file with a 400 listing each problem (field: the column; values.row: its line).',
        response: { 200: Type.Object({ added: Type.Integer(), replaced: Type.Integer() }) },
      },
    }, async (request) => {
      try {
        if (!request.upload) throw new ValidationError([{ field: 'file', messageKey: 'sites.services.errors.noFile' }])
        const { inputs, at } = await servicesOfCsv(await csvRows(files, request.upload.key, 'CSV', { maxRowBytes: 1024 * 1024 }))
        return await keepServices(db, request.user, inputs, at)
      } catch (error) {
        if (error instanceof LoadError) throw new ValidationError([{ field: 'file', messageKey: error.key, values: error.values }])
        throw error
      } finally {
        if (request.upload) await files.remove(request.upload.key)
      }
    })

    api.post('/api/services/:code/exclude', {
      schema: {
        tags: TAGS, security: TOKEN, summary: 'Take a service out of the register with a public reason (administrators); its page stays, marked',
        params: Type.Object({ code: Code }),
        body: Type.Object({ on: Type.Optional(Type.String({ format: 'date', description: 'today unless given' })), reason: TextInput(1000) }, { additionalProperties: false }),
        response: { 200: ServiceSchema },
      },
    }, async (request) => {
      const on = request.body.on ?? kazakhstanDay(new Date())
      if (!isDay(on)) throw new ValidationError([{ field: 'on', messageKey: 'sites.services.errors.day' }])
      return serviceJson(await excludeService(db, request.user, request.params.code, on, request.body.reason), await slugs())
    })

    api.get('/api/services/spheres', {
      schema: { tags: TAGS, summary: 'The register\'s spheres', response: { 200: Type.Object({ spheres: Type.Array(Type.Object({ code: Type.String(), name: Text })) }) } },
    }, async () => ({ spheres: (await listSpheres(db)).map((s) => ({ code: s.code, name: s.name as Record<string, string> })) }))

    api.put('/api/services/spheres/:code', {
      schema: {
        tags: TAGS, security: TOKEN, summary: 'Keep a sphere of the register with its names (administrators)',
        params: Type.Object({ code: Type.String({ pattern: '^[0-9]{3}$' }) }), body: Type.Object({ name: TextInput(300) }, { additionalProperties: false }),
        response: { 204: Type.Null() },
      },
    }, async (request, reply) => {
      await keepSphere(db, request.user, request.params.code, request.body.name)
      return reply.code(204).send(null)
    })

    api.get('/api/life-situations', {
      schema: {
        tags: TAGS, summary: 'Life situations, by sphere and code, with how many services of the register each groups',
        querystring: Type.Object({ audience: Type.Optional(Type.Enum([...RECIPIENTS])) }, { additionalProperties: false }),
        response: { 200: Type.Object({ situations: Type.Array(SituationSchema) }) },
      },
    }, async (request) => ({
      situations: (await listSituations(db, request.query.audience)).map((s) => ({
        slug: s.slug, sphere: s.sphereCode, code: s.code, audience: s.audience, title: s.title as Record<string, string>, summary: s.summary as Record<string, string>, services: s.services,
      })),
    }))

    const StepSchema = Type.Object({ title: Text, body: Text, services: Type.Array(Type.String()), agencies: Type.Array(Type.String()), documents: Type.Record(Type.String(), Type.Array(Type.String())) })
    const SituationDetail = Type.Object({ slug: Type.String(), sphere: Type.String(), code: Type.String(), audience: Type.Enum([...RECIPIENTS]), title: Text, summary: Text, steps: Type.Array(StepSchema) })
    const situationJson = async (slug: string) => {
      const s = await findSituation(db, slug)
      const slugOf = await slugs()
      const codes = new Map((await listServices(db, { withExcluded: true })).items.map((x) => [x.id, x.code]))
      return {
        slug: s.slug, sphere: s.sphereCode, code: s.code, audience: s.audience, title: s.title as Record<string, string>, summary: s.summary as Record<string, string>,
        steps: s.steps.map((step) => ({
          title: step.title as Record<string, string>, body: step.body as Record<string, string>, services: step.serviceIds.map((id) => codes.get(id) ?? ''),
          agencies: step.agencyIds.map((id) => slugOf.get(id) ?? ''), documents: step.documents as Record<string, string[]>,
        })),
      }
    }

    api.get('/api/life-situations/:slug', {
      schema: { tags: TAGS, summary: 'A life situation with its guide\'s steps: the services (by code), bodies (by slug) and documents of each', params: Type.Object({ slug: Slug }), response: { 200: SituationDetail } },
    }, async (request) => situationJson(request.params.slug))

    api.put('/api/life-situations/:slug', {
      schema: {
        tags: TAGS, security: TOKEN, summary: 'Keep a life situation and its guide at its address (administrators); the steps sent replace its steps',
        description: 'sphere and code are its 3 and 2 digits in its services\' codes; a code moves only while no service has it. Steps name services by code and bodies by slug.',
        params: Type.Object({ slug: Slug }),
        body: Type.Object({
          sphere: Type.String({ maxLength: 3 }), code: Type.String({ maxLength: 2 }), audience: Type.String({ maxLength: 20 }), title: TextInput(300), summary: Type.Optional(TextInput(2000)),
          steps: Type.Optional(Type.Array(Type.Object({
            title: TextInput(300), body: Type.Optional(TextInput(4000)), services: Type.Optional(Type.Array(Code, { maxItems: 50 })),
            agencies: Type.Optional(Type.Array(Slug, { maxItems: 20 })), documents: Type.Optional(ListInput),
          }, { additionalProperties: false }), { maxItems: 30 })),
        }, { additionalProperties: false }),
        response: { 200: SituationDetail },
      },
    }, async (request) => {
      await keepSituation(db, request.user, request.params.slug, request.body)
      return situationJson(request.params.slug)
    })
  })
}
