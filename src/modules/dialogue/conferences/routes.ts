import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { AgencySchema, SlugParams, MultilingualInput, Nullable, TAGS, TOKEN, Text, asText } from '../schemas.ts'
import { announceConference, answerConferenceQuestion, conferenceQuestions, findConference, setRecording } from './service.ts'

const ConferenceSchema = Type.Object({
  id: Type.Integer(), agency: AgencySchema, title: Text, description: Text,
  startsAt: Type.String({ format: 'date-time' }),
  open: Type.Boolean({ description: 'questions are taken and voted on until it starts' }),
  streamUrl: Nullable(Type.String()), recordingUrl: Nullable(Type.String()),
  questions: Type.Array(Type.Object({
    id: Type.Integer({ description: 'the comment that asks it: vote on it with PUT /api/votes (subjectType comment)' }),
    authorName: Type.String(), body: Nullable(Type.String({ description: 'null when hidden by moderation' })),
    votesFor: Type.Integer(), votesAgainst: Type.Integer(), answer: Nullable(Text),
  }), { description: 'the most wanted first; send one with POST /api/comments (subjectType dialogue-conference, subjectId its id)' }),
})

/** Web conferences through the API: read by anyone; announced, answered and their recording given by the body's staff. */
export async function conferenceRoutes(app: FastifyInstance, db: Db): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const conferenceJson = async (id: number, viewerId: number | null) => {
    const conference = await findConference(db, id)
    const { questions } = await conferenceQuestions(db, id, viewerId)
    return {
      id: conference.id, agency: { slug: conference.agency.slug, name: asText(conference.agency.name) },
      title: asText(conference.title), description: asText(conference.description), startsAt: conference.startsAt.toISOString(), open: conference.open,
      streamUrl: conference.streamUrl, recordingUrl: conference.recordingUrl,
      questions: questions.map((q) => ({ id: q.id, authorName: q.authorName, body: q.body, votesFor: q.votesFor, votesAgainst: q.votesAgainst, answer: q.answer ? asText(q.answer) : null })),
    }
  }
  const IdParams = Type.Object({ id: RecordId })

  api.get('/api/dialogue/conferences/:id', {
    schema: { tags: TAGS, summary: 'A web conference with its questions, their votes and answers', params: IdParams, response: { 200: ConferenceSchema } },
  }, async (request) => conferenceJson(request.params.id, request.user?.id ?? null))

  api.post('/api/dialogue/blogs/:slug/conferences', {
    schema: {
      tags: TAGS, security: TOKEN, summary: 'Announce a web conference with the body\'s head, at least a day ahead; the blog\'s followers are mailed',
      params: SlugParams,
      body: Type.Object({
        title: MultilingualInput(300), description: Type.Optional(MultilingualInput(10_000)),
        startsAt: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$', description: 'its day and hour in Kazakhstan (UTC+5): 2026-12-15T15:00' }),
        streamUrl: Type.Optional(Type.String({ maxLength: 2000 })),
      }, { additionalProperties: false }),
      response: { 201: ConferenceSchema },
    },
  }, async (request, reply) => {
    const { title, description = {}, startsAt, streamUrl = '' } = request.body
    const id = await announceConference(db, request.user, request.params.slug, { title, description, startsAt, streamUrl }, siteOrigin(request))
    return reply.code(201).header('location', `/api/dialogue/conferences/${id}`).send(await conferenceJson(id, request.user?.id ?? null))
  })

  api.put('/api/dialogue/conferences/:id/answers/:commentId', {
    schema: {
      tags: TAGS, security: TOKEN, summary: 'After the conference: the answer to a question sent to it (again, it changes it)',
      params: Type.Object({ id: RecordId, commentId: RecordId }), body: Type.Object({ answer: MultilingualInput() }, { additionalProperties: false }),
      response: { 200: ConferenceSchema },
    },
  }, async (request) => {
    await answerConferenceQuestion(db, request.user, request.params.id, request.params.commentId, request.body)
    return conferenceJson(request.params.id, request.user?.id ?? null)
  })

  api.put('/api/dialogue/conferences/:id/recording', {
    schema: {
      tags: TAGS, security: TOKEN, summary: 'After the conference: where its recording is', params: IdParams,
      body: Type.Object({ url: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }), response: { 200: ConferenceSchema },
    },
  }, async (request) => {
    await setRecording(db, request.user, request.params.id, request.body.url)
    return conferenceJson(request.params.id, request.user?.id ?? null)
  })
}
