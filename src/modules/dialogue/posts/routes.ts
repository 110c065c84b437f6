import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { AgencySchema, SlugParams, MultilingualInput, TAGS, TOKEN, Text, asText } from '../schemas.ts'
import { createPost, findPost } from './service.ts'

const PostSchema = Type.Object({
  id: Type.Integer(), agency: AgencySchema, title: Text, body: Text, publishedAt: Type.String({ format: 'date-time' }),
  comments: Type.String({ description: 'where its comments are listed (the platform\'s comments API)' }),
})

/** Posts on a head's blog through the API: read by anyone, written by the head or a delegate with their token. */
export async function postRoutes(app: FastifyInstance, db: Db): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const postJson = async (id: number) => {
    const post = await findPost(db, id)
    return {
      id: post.id, agency: { slug: post.agency.slug, name: asText(post.agency.name) }, title: asText(post.title), body: asText(post.body),
      publishedAt: post.publishedAt.toISOString(), comments: `/api/comments?subjectType=dialogue-post&subjectId=${post.id}`,
    }
  }

  api.get('/api/dialogue/posts/:id', {
    schema: { tags: TAGS, summary: 'A post on a head\'s blog', params: Type.Object({ id: RecordId }), response: { 200: PostSchema } },
  }, async (request) => postJson(request.params.id))

  api.post('/api/dialogue/blogs/:slug/posts', {
    schema: {
      tags: TAGS, security: TOKEN, summary: 'Write a post on the body\'s blog (its head or a delegate); the blog\'s followers are mailed',
      params: SlugParams,
      body: Type.Object({ title: MultilingualInput(300), body: MultilingualInput(50_000) }, { additionalProperties: false }),
      response: { 201: PostSchema },
    },
  }, async (request, reply) => {
    const id = await createPost(db, request.user, request.params.slug, request.body, siteOrigin(request))
    return reply.code(201).header('location', `/api/dialogue/posts/${id}`).send(await postJson(id))
  })
}
