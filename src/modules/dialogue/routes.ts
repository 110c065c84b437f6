import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../platform/db/index.ts'
import { RecordId } from '../../platform/http/validation.ts'
import { REJECTION_REASONS, TOPICS } from './kinds.ts'
import { answerQuestion, extendDeadline, findQuestion, forwardQuestion, listQuestions, publishQuestion, rejectQuestion, type Question } from './questions/service.ts'
import { siteOrigin } from '../../platform/http/index.ts'
import type { DialogueRules } from '../../platform/config.ts'
import { listBlogs } from './blogs/service.ts'

const Text = Type.Record(Type.String(), Type.String(), { description: 'the text in kk, ru and en (any may be missing)' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])
const QuestionSchema = Type.Object({
  id: Type.Integer({ description: 'its number' }),
  agency: Type.Object({ slug: Type.String(), name: Text }),
  forwardedFrom: Nullable(Type.String({ description: 'the slug of the body it was forwarded from' })),
  askerName: Nullable(Type.String({ description: 'null when the asker chose not to show it' })),
  topic: Type.Enum([...TOPICS]),
  lang: Type.String(),
  body: Type.String(),
  state: Type.String({ description: 'published, extended, overdue or answered (moderation, forwarded, rejected and withdrawn ones are not public)' }),
  receivedOn: Type.String({ format: 'date' }),
  dueOn: Type.String({ format: 'date', description: 'the deadline: 15 working days after receipt' }),
  extendedTo: Nullable(Type.String({ format: 'date' })),
  extensionReason: Nullable(Text),
  answer: Nullable(Text),
  answeredOn: Nullable(Type.String({ format: 'date' })),
  rating: Nullable(Type.Union([Type.Literal(1), Type.Literal(-1)], { description: 'the asker: satisfied (1) or not (-1)' })),
  followUpOf: Nullable(Type.Integer()),
  url: Type.String(),
})

function toJson(q: Question) {
  return {
    id: q.id, agency: { slug: q.agency.slug, name: q.agency.name as Record<string, string> }, forwardedFrom: q.forwardedFrom?.slug ?? null,
    askerName: q.askerName, topic: q.topic, lang: q.lang, body: q.body, state: q.state, receivedOn: q.receivedOn, dueOn: q.dueOn,
    extendedTo: q.extendedTo, extensionReason: q.extensionReason as Record<string, string> | null, answer: q.answer as Record<string, string> | null,
    answeredOn: q.answeredOn, rating: q.rating, followUpOf: q.followUpOf, url: `/ru/dialogue/questions/${q.id}`,
  }
}

/** The JSON API of Open Dialogue: heads' blogs, the public questions with their answers, and the body's actions on its questions. */
export async function dialogueRoutes(app: FastifyInstance, db: Db, rules: DialogueRules): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['Open dialogue']

  api.get('/api/dialogue/blogs', {
    schema: {
      tags, summary: 'Every body\'s blog: its head and its counts of questions',
      response: { 200: Type.Array(Type.Object({
        agency: Type.Object({ slug: Type.String(), name: Text }), headName: Text, headPosition: Text,
        published: Type.Integer(), answered: Type.Integer(), overdue: Type.Integer(),
      })) },
    },
  }, async () => (await listBlogs(db)).map((b) => ({
    agency: { slug: b.agency.slug, name: b.agency.name as Record<string, string> }, headName: b.headName as Record<string, string>, headPosition: b.headPosition as Record<string, string>, ...b.counts,
  })))

  api.get('/api/dialogue/questions', {
    schema: {
      tags, summary: 'Public questions to heads of bodies, newest first (best matches first for q)',
      querystring: Type.Object({
        agency: Type.Optional(Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 100 })),
        q: Type.Optional(Type.String({ maxLength: 200 })),
        topic: Type.Optional(Type.Enum([...TOPICS])),
        state: Type.Optional(Type.Enum(['awaiting', 'overdue', 'answered'])),
        page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(QuestionSchema), total: Type.Integer() }) },
    },
  }, async (request) => {
    const { agency, ...query } = request.query
    const [found] = agency ? await db.query<{ id: number }>('select id from agencies where slug = $1', [agency]) : [undefined]
    if (agency && !found) return { items: [], total: 0 }
    const { items, total } = await listQuestions(db, { ...query, agencyId: found?.id, perPage: 50 })
    return { items: items.map(toJson), total }
  })

  api.get('/api/dialogue/questions/:id', {
    schema: { tags, summary: 'One public question, with its answer', params: Type.Object({ id: RecordId }), response: { 200: QuestionSchema } },
  }, async (request) => toJson(await findQuestion(db, request.params.id, request.user)))

  // The body's actions, with an editor's or the head's API token: the same rules as the forms.
  const security = [{ bearerAuth: [] }]
  const Multilingual = Type.Object({ kk: Type.Optional(Type.String({ maxLength: 20_000 })), ru: Type.Optional(Type.String({ maxLength: 20_000 })), en: Type.Optional(Type.String({ maxLength: 20_000 })) }, { additionalProperties: false })
  const IdParams = Type.Object({ id: RecordId })
  const after = async (request: { params: { id: number }; user: unknown }) => toJson(await findQuestion(db, request.params.id, request.user as never))
  const origin = (request: Parameters<typeof siteOrigin>[0]) => siteOrigin(request)

  api.post('/api/dialogue/questions/:id/publish', {
    schema: { tags, security, summary: 'Publish a question in moderation (the owning body\'s staff)', params: IdParams, response: { 200: QuestionSchema } },
  }, async (request) => {
    await publishQuestion(db, request.user, request.params.id, origin(request))
    return after(request)
  })
  api.post('/api/dialogue/questions/:id/reject', {
    schema: {
      tags, security, summary: 'Reject a question in moderation for a documented reason; the asker is told', params: IdParams,
      body: Type.Object({ reason: Type.Enum([...REJECTION_REASONS]), duplicateOf: Type.Optional(RecordId) }, { additionalProperties: false }),
      response: { 204: Type.Null() },
    },
  }, async (request, reply) => {
    await rejectQuestion(db, request.user, request.params.id, { reason: request.body.reason, duplicateOf: request.body.duplicateOf ?? null }, origin(request))
    return reply.code(204).send(null)
  })
  api.post('/api/dialogue/questions/:id/forward', {
    schema: {
      tags, security, summary: 'Forward a question in moderation to the competent body (within 3 working days of receipt)', params: IdParams,
      body: Type.Object({ agency: Type.String({ maxLength: 100 }), reason: Multilingual }, { additionalProperties: false }),
      response: { 204: Type.Null() },
    },
  }, async (request, reply) => {
    await forwardQuestion(db, request.user, request.params.id, { agencySlug: request.body.agency, reason: request.body.reason }, rules, origin(request))
    return reply.code(204).send(null)
  })
  api.post('/api/dialogue/questions/:id/extend', {
    schema: {
      tags, security, summary: 'Extend a question\'s deadline once, with a public reason', params: IdParams,
      body: Type.Object({ to: Type.String({ format: 'date' }), reason: Multilingual }, { additionalProperties: false }),
      response: { 200: QuestionSchema },
    },
  }, async (request) => {
    await extendDeadline(db, request.user, request.params.id, { to: request.body.to, reason: request.body.reason }, rules, origin(request))
    return after(request)
  })
  api.post('/api/dialogue/questions/:id/answer', {
    schema: {
      tags, security, summary: 'Answer a published question; the asker is mailed the answer', params: IdParams,
      body: Type.Object({ answer: Multilingual }, { additionalProperties: false }),
      response: { 200: QuestionSchema },
    },
  }, async (request) => {
    await answerQuestion(db, request.user, request.params.id, { answer: request.body.answer }, origin(request))
    return after(request)
  })
}
