import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { LANGS } from '../../../platform/i18n/index.ts'
import type { PetitionRules } from '../../../platform/config.ts'
import { AgencySchema, AgencySlug, MultilingualInput, Nullable, TAGS, TOKEN, Text, asText } from '../schemas.ts'
import { PETITION_LEVELS } from './rules.ts'
import { agencyIdBySlug } from '../../agencies/service.ts'
import { PETITION_STATES } from './states.ts'
import { petitionStatistics, type PetitionFigures } from './statistics.ts'
import { statisticsPeriod } from '../statistics/service.ts'
import {
  PETITION_REJECTION_REASONS, answerPetition, draftPetition, findPetition, invalidateSignatures, listPetitions, openDiscussion, publishPetition,
  rejectPetition, signatureWatch, signaturesByRegion, signPetition, submitPetition, withdrawPetition, type Petition,
} from './service.ts'

const Day = Nullable(Type.String({ format: 'date' }))
const PetitionSchema = Type.Object({
  id: Type.Integer(), agency: AgencySchema, level: Type.Enum([...PETITION_LEVELS], { description: 'whom it addresses: the level decides the signatures it needs' }),
  authorName: Nullable(Type.String({ description: 'null unless its author shows their name' })),
  coAuthors: Type.Array(Type.Object({ name: Nullable(Type.String({ description: 'null unless this co-author shows their name' })) }), { description: 'who joined its draft beside its author, in the order they joined' }),
  lang: Type.Enum([...LANGS]),
  title: Type.String(), body: Type.String({ description: 'its reasons' }), request: Type.String({ description: 'what it asks the body to do' }),
  state: Type.Enum(Object.keys(PETITION_STATES), { description: 'by-link (published, reached by its link until it has enough signatures to be listed), collecting, consideration, overdue, discussion, answered, not-supported; its author also sees draft, moderation, rejected' }),
  signatures: Type.Integer(), signaturesNeeded: Nullable(Type.Integer({ description: 'fixed when it is published, by the rules then in force' })),
  submittedOn: Day, moderationDue: Day, publishedOn: Day, collectingUntil: Day, listedOn: Day, supportedOn: Day, considerationDue: Day, answeredOn: Day,
  rejectionReason: Nullable(Type.String()), rejectionNote: Nullable(Type.String()), decision: Nullable(Text),
})

const json = (p: Petition) => ({
  id: p.id, agency: { slug: p.agency.slug, name: asText(p.agency.name) }, level: p.level, authorName: p.authorName, coAuthors: p.coAuthors.map((c) => ({ name: c.name })), lang: p.lang,
  title: p.title, body: p.body, request: p.request, state: p.state, signatures: p.signatures, signaturesNeeded: p.signaturesNeeded,
  submittedOn: p.submittedOn, moderationDue: p.moderationDue, publishedOn: p.publishedOn, collectingUntil: p.collectingUntil, listedOn: p.listedOn,
  supportedOn: p.supportedOn, considerationDue: p.considerationDue, answeredOn: p.answeredOn,
  rejectionReason: p.rejectionReason, rejectionNote: p.rejectionNote, decision: p.decision ? asText(p.decision) : null,
})

/**
 * Online petitions through the API: read by anyone once published (signers never named), drafted,
 * submitted, signed and withdrawn with a citizen's token, moderated with an administrator's, discussed
 * and answered with the addressed body's.
 */
export async function petitionRoutes(app: FastifyInstance, db: Db, rules: PetitionRules): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const IdParams = Type.Object({ id: RecordId })
  const one = { 200: PetitionSchema }
  const read = async (request: FastifyRequest, id: number) => json(await findPetition(db, id, request.user))

  api.get('/api/dialogue/petitions', {
    schema: {
      tags: TAGS, summary: 'Petitions listed publicly (from the signatures that list them), newest first; of one body, or all',
      querystring: Type.Object({ agency: Type.Optional(AgencySlug) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(PetitionSchema) }) },
    },
  }, async (request) => {
    const agencyId = request.query.agency ? await agencyIdBySlug(db, request.query.agency) : undefined
    if (request.query.agency && agencyId === undefined) return { items: [] }
    return { items: (await listPetitions(db, agencyId === undefined ? {} : { agencyId: Number(agencyId) })).map(json) }
  })

  const Figures = Type.Object({
    agency: Nullable(AgencySchema), received: Type.Integer({ description: 'submitted to moderation in the period' }), published: Type.Integer(), rejected: Type.Integer(),
    supported: Type.Integer({ description: 'reached the signatures their level needs' }), notSupported: Type.Integer(), answered: Type.Integer(),
    answeredOnTime: Type.Integer({ description: 'answered by their consideration\'s deadline' }), overdue: Type.Integer({ description: 'supported and still without a decision past their deadline, today' }),
    withdrawn: Type.Integer(), signatures: Type.Integer({ description: 'counted signatures' }),
  })
  api.get('/api/dialogue/petitions/statistics', {
    schema: {
      tags: TAGS, summary: 'What each body did with the petitions submitted to it in a period (the current year unless told), and all bodies together',
      querystring: Type.Object({ from: Type.Optional(Type.String({ format: 'date' })), to: Type.Optional(Type.String({ format: 'date' })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), bodies: Type.Array(Figures), all: Figures }) },
    },
  }, async (request) => {
    const period = statisticsPeriod(request.query)
    const { bodies, all } = await petitionStatistics(db, period)
    const out = (f: PetitionFigures) => ({ ...f, agency: f.agency && { slug: f.agency.slug, name: asText(f.agency.name) } })
    return { ...period, bodies: bodies.map(out), all: out(all) }
  })

  api.get('/api/dialogue/petitions/:id', {
    schema: { tags: TAGS, summary: 'A petition (published, or its author\'s own)', params: IdParams, response: one },
  }, async (request) => read(request, request.params.id))

  api.get('/api/dialogue/petitions/:id/regions', {
    schema: {
      tags: TAGS, summary: 'A published petition\'s signatures by the region their signers say they live in (never who signed)', params: IdParams,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ regionCode: Nullable(Type.String({ description: 'null: not said' })), signatures: Type.Integer() })) }) },
    },
  }, async (request) => {
    await findPetition(db, request.params.id, request.user)
    return { items: await signaturesByRegion(db, request.params.id) }
  })

  api.post('/api/dialogue/petitions', {
    schema: {
      tags: TAGS, security: TOKEN, summary: 'Draft a petition (an account with a confirmed address); submit it to moderation after',
      body: Type.Object({
        agency: AgencySlug, level: Type.Enum([...PETITION_LEVELS]), title: Type.String({ maxLength: 300 }), body: Type.String({ maxLength: 10_000 }),
        request: Type.String({ maxLength: 3_000 }), lang: Type.Enum([...LANGS]), showName: Type.Boolean(),
      }, { additionalProperties: false }),
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
      response: { 201: PetitionSchema, 200: PetitionSchema },
    },
  }, async (request, reply) => {
    const b = request.body
    const { id, created } = await draftPetition(db, { user: request.user ?? null, address: request.ip }, {
      agencySlug: b.agency, level: b.level, title: b.title, body: b.body, request: b.request, lang: b.lang, showName: b.showName,
      idempotencyKey: request.headers['idempotency-key'] ?? null,
    }, rules)
    return reply.code(created ? 201 : 200).header('location', `/api/dialogue/petitions/${id}`).send(await read(request, id))
  })

  // An action with no more to say than its name takes no body.
  const action = (path: string, summary: string, run: (request: FastifyRequest & { params: { id: number } }, body: Record<string, unknown>) => Promise<unknown>, body?: ReturnType<typeof Type.Object>) =>
    api.post(`/api/dialogue/petitions/:id/${path}`, { schema: { tags: TAGS, security: TOKEN, summary, params: IdParams, ...(body ? { body } : {}), response: one } }, async (request) => {
      await run(request, (request.body ?? {}) as Record<string, unknown>)
      return read(request, request.params.id)
    })

  action('submit', 'Its author submits the draft to moderation', (r) => submitPetition(db, r.user ?? null, r.params.id, rules))
  action('withdraw', 'Its author withdraws it, before it is supported', (r) => withdrawPetition(db, r.user ?? null, r.params.id))
  action('publish', 'A moderator (the portal\'s administrators) publishes it: it collects signatures', (r) => publishPetition(db, r.user ?? null, r.params.id, rules, siteOrigin(r)))
  action('reject', 'A moderator rejects it for a documented reason; its author is told', (r, b) => rejectPetition(db, r.user ?? null, r.params.id, { reason: String(b.reason), note: b.note as string | undefined }, siteOrigin(r)),
    Type.Object({ reason: Type.Enum([...PETITION_REJECTION_REASONS]), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }))
  action('signatures', 'Sign it (an account with a confirmed address, once); the name is hidden unless shown', (r, b) =>
    signPetition(db, { user: r.user ?? null, address: r.ip }, r.params.id, { showName: b.showName === true, regionCode: (b.regionCode as string | undefined) ?? null }, rules, siteOrigin(r)),
  Type.Object({ showName: Type.Boolean(), regionCode: Type.Optional(Type.String({ maxLength: 60, description: 'where the signer lives (kept on their account)' })) }, { additionalProperties: false }))
  action('invalidations', 'A moderator invalidates signatures with a reason (chosen accounts, or all from an address or an email domain the watch shows); the count follows', (r, b) =>
    invalidateSignatures(db, r.user ?? null, r.params.id, b.address ? { address: String(b.address) } : b.domain ? { domain: String(b.domain) } : { userIds: (b.userIds as number[] | undefined) ?? [] }, String(b.reason)),
  Type.Object({
    userIds: Type.Optional(Type.Array(RecordId, { minItems: 1, maxItems: 10_000 })),
    address: Type.Optional(Type.String({ pattern: '^[0-9a-f]{8,64}$', description: 'a hash of an address as the watch shows it' })),
    domain: Type.Optional(Type.String({ maxLength: 253 })),
    reason: Type.String({ maxLength: 500 }),
  }, { additionalProperties: false }))

  api.get('/api/dialogue/petitions/:id/watch', {
    schema: {
      tags: TAGS, security: TOKEN, summary: 'For moderators: the addresses (hashed), email domains and hours a petition\'s counted signatures crowd into',
      params: IdParams,
      response: { 200: Type.Object({
        addresses: Type.Array(Type.Object({ address: Type.String(), signatures: Type.Integer(), first: Type.String({ format: 'date-time' }), last: Type.String({ format: 'date-time' }) })),
        domains: Type.Array(Type.Object({ domain: Type.String(), signatures: Type.Integer(), share: Type.Number() })),
        bursts: Type.Array(Type.Object({ hour: Type.String({ format: 'date-time' }), signatures: Type.Integer(), median: Type.Number() })),
      }) },
    },
  }, async (request) => {
    const watch = await signatureWatch(db, request.user, request.params.id)
    return {
      addresses: watch.addresses.map((a) => ({ ...a, first: a.first.toISOString(), last: a.last.toISOString() })),
      domains: watch.domains,
      bursts: watch.bursts.map((b) => ({ ...b, hour: b.hour.toISOString() })),
    }
  })
  action('discussion', 'The addressed body opens its public discussion with its authors', (r) => openDiscussion(db, r.user ?? null, r.params.id))
  action('answer', 'The addressed body\'s decision; its author is told', (r, b) => answerPetition(db, r.user ?? null, r.params.id, b.decision as Record<string, string>, siteOrigin(r)),
    Type.Object({ decision: MultilingualInput(20_000) }, { additionalProperties: false }))
}
