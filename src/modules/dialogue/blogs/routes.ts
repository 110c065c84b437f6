import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import { AgencySchema, SlugParams, MultilingualInput, Nullable, TAGS, TOKEN, Text, asText } from '../schemas.ts'
import { listPosts } from '../posts/service.ts'
import { listConferences } from '../conferences/service.ts'
import { findBlog, updateBlog } from './service.ts'

const BlogSchema = Type.Object({
  agency: AgencySchema,
  headName: Text, headPosition: Text, biography: Text, areas: Text,
  photo: Nullable(Type.String({ description: 'the address of the head\'s photo' })),
  published: Type.Integer(), answered: Type.Integer(), overdue: Type.Integer(),
  posts: Type.Array(Type.Object({ id: Type.Integer(), title: Text, publishedAt: Type.String({ format: 'date-time' }) }), { description: 'the latest 20, newest first' }),
  conferences: Type.Array(Type.Object({ id: Type.Integer(), title: Text, startsAt: Type.String({ format: 'date-time' }), open: Type.Boolean({ description: 'questions are taken until it starts' }) })),
})

/** A head's blog through the API: read by anyone, its page kept by the body's staff with their token. */
export async function blogRoutes(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const blogJson = async (slug: string) => {
    const blog = await findBlog(db, slug)
    return {
      agency: { slug: blog.agency.slug, name: asText(blog.agency.name) },
      headName: asText(blog.headName), headPosition: asText(blog.headPosition), biography: asText(blog.biography), areas: asText(blog.areas),
      photo: blog.photo ? `/dialogue/${blog.agency.slug}/photo` : null,
      ...blog.counts,
      posts: (await listPosts(db, blog.agency.id)).map((p) => ({ id: p.id, title: asText(p.title), publishedAt: p.publishedAt.toISOString() })),
      conferences: (await listConferences(db, blog.agency.id)).map((c) => ({ id: c.id, title: asText(c.title), startsAt: c.startsAt.toISOString(), open: c.open })),
    }
  }

  api.get('/api/dialogue/blogs/:slug', {
    schema: { tags: TAGS, summary: 'A head\'s blog: the head, the body\'s areas, the counts of questions, the posts and the web conferences', params: SlugParams, response: { 200: BlogSchema } },
  }, async (request) => blogJson(request.params.slug))

  api.put('/api/dialogue/blogs/:slug', {
    schema: {
      tags: TAGS, security: TOKEN, summary: 'Keep the head\'s page (the body\'s staff): name and position in Kazakh and Russian at least; the photo is sent on the page', params: SlugParams,
      body: Type.Object({
        headName: MultilingualInput(200), headPosition: MultilingualInput(300),
        biography: Type.Optional(MultilingualInput(10_000)), areas: Type.Optional(MultilingualInput(10_000)),
      }, { additionalProperties: false }),
      response: { 200: BlogSchema },
    },
  }, async (request) => {
    const { headName, headPosition, biography = {}, areas = {} } = request.body
    await updateBlog(db, files, request.user, request.params.slug, { headName, headPosition, biography, areas })
    return blogJson(request.params.slug)
  })
}
