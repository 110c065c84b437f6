import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { AgencySchema, AgencySlug, MultilingualInput, Nullable, SlugParams, TAGS, TOKEN, Text, asText } from '../schemas.ts'
import { PollStateSchema } from './states.ts'
import { agencyIdBySlug } from '../../agencies/service.ts'
import { POLL_OPTIONS_MAX, castBallot, createPoll, findPoll, listPolls, mayReadResults, pollResults, type Poll } from './service.ts'

const PollSchema = Type.Object({
  id: Type.Integer(), agency: AgencySchema, title: Text, description: Text,
  choice: Type.Enum(['single', 'multiple']), freeText: Type.Boolean({ description: 'voters may also answer in their own words (read by the body; counted here)' }),
  opensOn: Type.String({ format: 'date', description: 'its first day in Kazakhstan' }), closesOn: Type.String({ format: 'date', description: 'its last day' }),
  region: Nullable(Type.Object({ code: Type.String(), name: Text }, { description: 'only its residents vote' })),
  changeable: Type.Boolean(), resultsShown: Type.Enum(['live', 'after-close']), state: PollStateSchema,
  withdrawnReason: Nullable(Text),
  options: Type.Array(Type.Object({ id: Type.Integer(), label: Text })),
  results: Nullable(Type.Object({
    ballots: Type.Integer(), ownWords: Type.Integer({ description: 'ballots with an answer in the voter\'s own words' }),
    options: Type.Array(Type.Object({ id: Type.Integer(), votes: Type.Integer() })),
  }, { description: 'null until the poll closes when its body shows the counts after it, and for a withdrawn poll; never who voted' })),
})

/** Polls through the API: read by anyone (the counts when they are public), answered with a token, published by a body's staff. */
export async function pollRoutes(app: FastifyInstance, db: Db): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const pollJson = async (poll: Poll, user: User | null) => {
    const results = mayReadResults(user, poll) ? await pollResults(db, poll) : null
    return {
      id: poll.id, agency: { slug: poll.agency.slug, name: asText(poll.agency.name) }, title: asText(poll.title), description: asText(poll.description),
      choice: poll.choice, freeText: poll.freeText, opensOn: poll.opensOn, closesOn: poll.closesOn,
      region: poll.region ? { code: poll.region.code, name: asText(poll.region.name) } : null,
      changeable: poll.changeable, resultsShown: poll.results, state: poll.state, withdrawnReason: poll.withdrawnReason ? asText(poll.withdrawnReason) : null,
      options: poll.options.map((o) => ({ id: o.id, label: asText(o.label) })),
      results: results && { ballots: results.ballots, ownWords: results.ownWords, options: results.options.map((o) => ({ id: o.id, votes: o.votes })) },
    }
  }
  const IdParams = Type.Object({ id: RecordId })

  api.get('/api/dialogue/polls', {
    schema: {
      tags: TAGS, summary: 'Polls of every body, or of one: the open first, then the coming, then the closed',
      querystring: Type.Object({ agency: Type.Optional(AgencySlug) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(PollSchema) }) },
    },
  }, async (request) => {
    const agencyId = request.query.agency ? await agencyIdBySlug(db, request.query.agency) : undefined
    const polls = request.query.agency && agencyId === undefined ? [] : await listPolls(db, agencyId === undefined ? {} : { agencyId: Number(agencyId) })
    return { items: await Promise.all(polls.map((p) => pollJson(p, request.user ?? null))) }
  })

  api.get('/api/dialogue/polls/:id', {
    schema: { tags: TAGS, summary: 'A poll, with its counts when they are public', params: IdParams, response: { 200: PollSchema } },
  }, async (request) => pollJson(await findPoll(db, request.params.id), request.user ?? null))

  api.post('/api/dialogue/polls/:id/ballot', {
    schema: {
      tags: TAGS, security: TOKEN, summary: 'Answer a poll (an account with a confirmed address; once, or again where the poll lets answers change)',
      params: IdParams,
      body: Type.Object({
        options: Type.Array(RecordId, { minItems: 1, maxItems: POLL_OPTIONS_MAX, description: 'the ids of the options chosen: one in a single-choice poll' }),
        text: Type.Optional(Type.String({ maxLength: 5000, description: 'in the voter\'s own words, where the poll takes them' })),
        regionCode: Type.Optional(Type.String({ maxLength: 60, description: 'where the voter lives, for a poll of one region\'s residents (kept on their account)' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ changed: Type.Boolean({ description: 'true when it replaced the voter\'s earlier answer' }) }) },
    },
  }, async (request) => castBallot(db, { user: request.user ?? null, address: request.ip }, request.params.id, request.body))

  api.post('/api/dialogue/blogs/:slug/polls', {
    schema: {
      tags: TAGS, security: TOKEN, summary: 'Publish a poll of the body; the blog\'s followers are mailed',
      params: SlugParams,
      body: Type.Object({
        title: MultilingualInput(500), description: Type.Optional(MultilingualInput(5000)),
        options: Type.Array(MultilingualInput(300), { minItems: 2, maxItems: POLL_OPTIONS_MAX, description: 'each in kk and ru (and en, for all or none)' }),
        choice: Type.Enum(['single', 'multiple']), freeText: Type.Optional(Type.Boolean()),
        opensOn: Type.String({ format: 'date' }), closesOn: Type.String({ format: 'date' }),
        regionCode: Type.Optional(Type.String({ maxLength: 60 })), changeable: Type.Optional(Type.Boolean()),
        resultsShown: Type.Enum(['live', 'after-close']),
      }, { additionalProperties: false }),
      response: { 201: PollSchema },
    },
  }, async (request, reply) => {
    const body = request.body
    const lines = (lang: 'kk' | 'ru' | 'en') => body.options.map((o) => (o[lang] ?? '').replaceAll(/\s+/g, ' ')).join('\n')
    const id = await createPoll(db, request.user ?? null, request.params.slug, {
      title: body.title, description: body.description ?? {}, options: { kk: lines('kk'), ru: lines('ru'), en: lines('en') },
      choice: body.choice, freeText: body.freeText ?? false, opensOn: body.opensOn, closesOn: body.closesOn, regionCode: body.regionCode ?? '',
      changeable: body.changeable ?? false, results: body.resultsShown,
    }, siteOrigin(request))
    return reply.code(201).header('location', `/api/dialogue/polls/${id}`).send(await pollJson(await findPoll(db, id), request.user ?? null))
  })
}
