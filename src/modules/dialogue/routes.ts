import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../platform/db/index.ts'
import { RecordId } from '../../platform/http/validation.ts'
import { IdempotencyHeaders } from '../../platform/http/idempotency.ts'
import { QUESTION_FILE_FIELDS, QUESTION_FILE_LIMIT_BYTES, QUESTION_FILES_MAX, QUESTION_MAX_LENGTH, REJECTION_REASONS, TOPICS } from './kinds.ts'
import {
  answerQuestion, askQuestion, extendDeadline, findQuestion, forwardQuestion, listQuestions, publishQuestion, questionFileStore, questionsOf, rateAnswer, rejectQuestion, withdrawQuestion, type Question,
} from './questions/service.ts'
import { QUESTION_FILTERS, QuestionStateSchema, type QuestionFilter } from './questions/states.ts'
import { acceptUploads, type UploadedFile } from '../../platform/files/uploads.ts'
import type { FileStore } from '../../platform/files/index.ts'
import { can } from '../../platform/auth/policies.ts'
import { Unauthorized } from '../../platform/http/errors.ts'
import { LANGS } from '../../platform/i18n/index.ts'
import { siteOrigin } from '../../platform/http/index.ts'
import type { DialogueRules } from '../../platform/config.ts'
import { listBlogs } from './blogs/service.ts'
import { AgencySchema, AgencySlug, MultilingualInput, Nullable, TAGS as tags, TOKEN as security, Text, asText } from './schemas.ts'

const QuestionSchema = Type.Object({
  id: Type.Integer({ description: 'its number' }),
  agency: AgencySchema,
  forwardedFrom: Nullable(Type.String({ description: 'the slug of the body it was forwarded from' })),
  askerName: Nullable(Type.String({ description: 'null when the asker chose not to show it' })),
  topic: Type.Enum([...TOPICS]),
  lang: Type.String(),
  body: Nullable(Type.String({ description: 'null for a question its body let pass its deadline unmoderated: public as overdue, its text shown once published' })),
  state: QuestionStateSchema,
  receivedOn: Type.String({ format: 'date' }),
  dueOn: Type.String({ format: 'date', description: 'the deadline: 15 working days after receipt' }),
  extendedTo: Nullable(Type.String({ format: 'date' })),
  extensionReason: Nullable(Text),
  answer: Nullable(Text),
  answeredOn: Nullable(Type.String({ format: 'date' })),
  rating: Nullable(Type.Union([Type.Literal(1), Type.Literal(-1)], { description: 'the asker: satisfied (1) or not (-1)' })),
  followUpOf: Nullable(Type.Integer()),
  followUpId: Nullable(Type.Integer({ description: 'the follow-up its asker asked on from it' })),
  url: Type.String(),
})

function toJson(q: Question) {
  return {
    id: q.id, agency: { slug: q.agency.slug, name: asText(q.agency.name) }, forwardedFrom: q.forwardedFrom?.slug ?? null,
    askerName: q.askerName, topic: q.topic, lang: q.lang, body: q.textWithheld ? null : q.body, state: q.state, receivedOn: q.receivedOn, dueOn: q.dueOn,
    extendedTo: q.extendedTo, extensionReason: q.extensionReason && asText(q.extensionReason), answer: q.answer && asText(q.answer),
    answeredOn: q.answeredOn, rating: q.rating, followUpOf: q.followUpOf, followUpId: q.followUpId, url: `/ru/dialogue/questions/${q.id}`,
  }
}

/** The JSON API of Open Dialogue: heads' blogs, the public questions with their answers, and the body's actions on its questions. */
export async function dialogueRoutes(app: FastifyInstance, db: Db, files: FileStore, rules: DialogueRules): Promise<void> {
  const store = questionFileStore(files)
  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  api.get('/api/dialogue/blogs', {
    schema: {
      tags, summary: 'Every body\'s blog: its head and its counts of questions',
      response: { 200: Type.Array(Type.Object({
        agency: AgencySchema, headName: Text, headPosition: Text,
        published: Type.Integer(), answered: Type.Integer(), overdue: Type.Integer(),
      })) },
    },
  }, async () => (await listBlogs(db)).map((b) => ({
    agency: { slug: b.agency.slug, name: asText(b.agency.name) }, headName: asText(b.headName), headPosition: asText(b.headPosition), ...b.counts,
  })))

  api.get('/api/dialogue/questions', {
    schema: {
      tags, summary: 'Public questions to heads of bodies, newest first (best matches first for q)',
      querystring: Type.Object({
        agency: Type.Optional(AgencySlug),
        q: Type.Optional(Type.String({ maxLength: 200 })),
        topic: Type.Optional(Type.Enum([...TOPICS])),
        state: Type.Optional(Type.Enum(Object.keys(QUESTION_FILTERS) as QuestionFilter[])),
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

  api.get('/api/dialogue/questions/mine', {
    schema: {
      tags, security, summary: 'The questions the token\'s holder asked, in every state, newest first (the last 100)',
      response: { 200: Type.Object({ items: Type.Array(QuestionSchema) }) },
    },
  }, async (request) => {
    if (!request.user) throw new Unauthorized()
    return { items: (await questionsOf(db, request.user.id)).map(toJson) }
  })

  api.get('/api/dialogue/questions/:id', {
    schema: { tags, summary: 'One public question, with its answer', params: Type.Object({ id: RecordId }), response: { 200: QuestionSchema } },
  }, async (request) => toJson(await findQuestion(db, request.params.id, request.user)))

  // The body's actions, with an editor's or the head's API token: the same rules as the forms.
  const Multilingual = MultilingualInput()
  const IdParams = Type.Object({ id: RecordId })
  const after = async (request: { params: { id: number }; user: unknown }) => toJson(await findQuestion(db, request.params.id, request.user as never))
  const origin = (request: Parameters<typeof siteOrigin>[0]) => siteOrigin(request)

  // A citizen's own questions, with their token: the same rules, limits and mail as the form.
  await app.register(async (scope) => {
    // Files come as multipart (file1…file3), from a signed-in asker only; without files, JSON does.
    await acceptUploads(scope, store, { field: QUESTION_FILE_FIELDS, mayUpload: (request) => can(request.user, 'dialogue.ask'), tooLargeIsFieldError: true })
    scope.withTypeProvider<TypeBoxTypeProvider>().post('/api/dialogue/questions', {
      schema: {
        tags, security,
        summary: 'Ask a body\'s head a question (an account with a confirmed address); acknowledged at once with its number and deadline, and a receipt by mail',
        description: `JSON, or multipart/form-data with up to ${QUESTION_FILES_MAX} files (file1…file${QUESTION_FILES_MAX}; PDF, images, Word or OpenDocument, checked by their content; ${QUESTION_FILE_LIMIT_BYTES / 1024 / 1024} MB each). `
          + 'An Idempotency-Key header makes a retry return the question it made (200) rather than a second one (201). '
          + 'Five questions a day per account and twenty per address; over that, 429 with Retry-After.',
        headers: IdempotencyHeaders,
        body: Type.Object({
          agency: Type.String({ maxLength: 100, description: 'the slug of the body asked' }),
          topic: Type.Enum([...TOPICS]),
          body: Type.String({ maxLength: QUESTION_MAX_LENGTH * 2, description: `the question, at most ${QUESTION_MAX_LENGTH} characters` }),
          showName: Type.Optional(Type.Boolean({ description: 'whether the asker\'s name is shown with the question: required, the asker chooses; a follow-up keeps its question\'s choice' })),
          lang: Type.Optional(Type.Enum([...LANGS], { description: 'the question\'s language; the request\'s unless given' })),
          followUpOf: Type.Optional(RecordId),
          ...Object.fromEntries(QUESTION_FILE_FIELDS.map((field) => [field, Type.Optional(Type.String({ description: 'a file (multipart only)' }))])),
        }, { additionalProperties: false }),
        response: { 200: QuestionSchema, 201: QuestionSchema },
      },
    }, async (request, reply) => {
      const { body } = request
      const uploads = QUESTION_FILE_FIELDS.map((f) => request.uploads?.[f]).filter((u): u is UploadedFile => Boolean(u))
      const { id, created } = await askQuestion(db, store, { user: request.user, address: request.ip }, {
        agencySlug: body.agency, topic: body.topic, body: body.body, showName: body.showName ?? null, lang: body.lang ?? request.lang,
        followUpOf: body.followUpOf ?? null, idempotencyKey: request.headers['idempotency-key'] ?? null,
      }, uploads, rules, origin(request))
      return reply.code(created ? 201 : 200).header('location', `/api/dialogue/questions/${id}`).send(toJson(await findQuestion(db, id, request.user)))
    })
  })

  api.post('/api/dialogue/questions/:id/rating', {
    schema: {
      tags, security, summary: 'The asker rates the answer once: satisfied or not, with an optional comment (the same rating again changes nothing)', params: IdParams,
      body: Type.Object({ satisfied: Type.Boolean(), comment: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false }),
      response: { 200: QuestionSchema },
    },
  }, async (request) => {
    await rateAnswer(db, request.user, request.params.id, { rating: request.body.satisfied ? 'satisfied' : 'unsatisfied', comment: request.body.comment ?? '' })
    return after(request)
  })
  api.post('/api/dialogue/questions/:id/withdraw', {
    schema: { tags, security, summary: 'The asker withdraws a question not yet answered', params: IdParams, response: { 200: QuestionSchema } },
  }, async (request) => {
    await withdrawQuestion(db, request.user, request.params.id)
    return after(request)
  })

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
