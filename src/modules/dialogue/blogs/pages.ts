import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { paginationFor } from '../../../platform/html/pagination.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { fromFormFields, localize, toFormFields } from '../../../platform/i18n/multilingual.ts'
import { nameCollator } from '../../agencies/service.ts'
import { subscriptionId } from '../../../platform/notifications/subscriptions.ts'
import { TOPICS } from '../kinds.ts'
import { listQuestions } from '../questions/service.ts'
import { QUESTION_FILTERS, type QuestionFilter } from '../questions/states.ts'
import { findBlog, listBlogs, PHOTO_LIMIT_BYTES, updateBlog } from './service.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import { acceptUploads } from '../../../platform/files/uploads.ts'
import { NotFound } from '../../../platform/http/errors.ts'
import { listPosts } from '../posts/service.ts'
import { SlugParams } from '../schemas.ts'
import { listConferences } from '../conferences/service.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { BLOG_TOPICS } from '../page-topics.ts'
import { listPolls } from '../polls/service.ts'
import { listPetitions } from '../petitions/service.ts'

const BlogQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  topic: Type.Optional(Type.Enum(['', ...TOPICS])),
  state: Type.Optional(Type.Enum(['', ...Object.keys(QUESTION_FILTERS) as QuestionFilter[]])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
}, { additionalProperties: false })
type BlogQuery = Static<typeof BlogQuery>
const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 20_000 }), { maxProperties: 20 })

/** The heads' blogs: every body's, and one body's with its questions; its staff keep its head's page. */
export async function blogPages(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  const photos = files.withLimit(PHOTO_LIMIT_BYTES)

  // The head's photo: one address in every language.
  app.withTypeProvider<TypeBoxTypeProvider>().get('/dialogue/:slug/photo', { schema: { hide: true, params: SlugParams } }, async (request, reply) => {
    const blog = await findBlog(db, request.params.slug)
    if (!blog.photo) throw new NotFound('photo', request.params.slug)
    const { stream, size } = await photos.open(blog.photo.key)
    return reply.type(blog.photo.type).header('content-length', String(size)).header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=3600').send(stream)
  })

  await registerPages(app, async (pages) => {

    const keptPages = keptUnder(db, BLOG_TOPICS)
    await acceptUploads(pages, photos, { field: 'photo', mayUpload: (request) => can(request.user, 'dialogue.ask'), tooLargeIsFieldError: true })
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const crumbs = (request: FastifyRequest) => [{ text: request.t('platform.home'), href: `/${request.lang}/` }, { text: request.t('dialogue.title'), href: `/${request.lang}/dialogue` }]

    typed.get('/dialogue', { config: { pageCache: keptPages }, schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }) } }, async (request, reply) => {
      const { lang, t } = request
      const blogs = (await listBlogs(db)).sort((a, b) => Number(b.kept) - Number(a.kept) || nameCollator(lang)(a.agency, b.agency))
      // The site search's "more" leads here: every body's questions matching the words.
      const q = request.query.q?.trim()
      const found = q ? await listQuestions(db, { q, perPage: 50 }) : null
      return reply.render('dialogue/blogs/views/blogs.njk', { title: t('dialogue.title'), breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }], blogs, q, found })
    })

    typed.get('/dialogue/:slug', { config: { pageCache: keptPages }, schema: { hide: true, params: SlugParams, querystring: BlogQuery } }, async (request, reply) => {
      const { lang, t, query } = request
      const blog = await findBlog(db, request.params.slug)
      const page = query.page ?? 1
      const result = await listQuestions(db, { agencyId: blog.agency.id, q: query.q, topic: query.topic || undefined, state: query.state || undefined, page, perPage: 20 })
      const pages = Math.max(1, Math.ceil(result.total / 20))
      const option = (value: string, text: string, selected: string | undefined) => ({ value, text, selected: (selected ?? '') === value })
      const staff = can(request.user, 'dialogue.manage', { agencyId: blog.agency.id })
      return reply.render('dialogue/blogs/views/blog.njk', {
        title: localize(blog.headName, lang)?.text || localize(blog.agency.name, lang)?.text || '',
        breadcrumbs: crumbs(request),
        blog, query, result, staff,
        queue: staff ? (await listQuestions(db, { agencyId: blog.agency.id, staff: true, perPage: 100 })).items.filter((q) => q.status === 'moderation' || q.status === 'published') : [],
        pagination: pages > 1 ? paginationFor(request, `/${lang}/dialogue/${blog.agency.slug}`, query as BlogQuery & Record<string, unknown>, page, pages) : undefined,
        topics: [option('', t('dialogue.filters.anyTopic'), query.topic), ...TOPICS.map((k) => option(k, t(`dialogue.topics.${k}`), query.topic))],
        states: [option('', t('dialogue.filters.anyState'), query.state), ...(Object.keys(QUESTION_FILTERS) as QuestionFilter[]).map((k) => option(k, t(`dialogue.filters.states.${k}`), query.state))],
        posts: await listPosts(db, blog.agency.id, 3),
        conferences: await listConferences(db, blog.agency.id),
        polls: await listPolls(db, { agencyId: blog.agency.id, limit: 10 }),
        petitions: await listPetitions(db, { agencyId: blog.agency.id, limit: 10 }),
        mayCreatePoll: can(request.user, 'dialogue.poll.create', { agencyId: blog.agency.id }),
        followId: await subscriptionId(db, request.user?.id, `dialogue-blog:${blog.agency.slug}`),
      })
    })

    const editView = 'dialogue/blogs/views/edit.njk'
    const editContext = async (request: FastifyRequest, slug: string, values: Record<string, string>) => {
      const blog = await findBlog(db, slug)
      authorize(request.user, 'dialogue.manage', { agencyId: blog.agency.id })
      return { title: request.t('dialogue.edit.title'), breadcrumbs: [...crumbs(request), { text: localize(blog.agency.name, request.lang)?.text ?? '', href: `/${request.lang}/dialogue/${slug}` }], blog, values }
    }

    typed.get('/dialogue/:slug/edit', { schema: { hide: true, params: SlugParams } }, async (request, reply) => {
      const blog = await findBlog(db, request.params.slug)
      return reply.render(editView, await editContext(request, request.params.slug, {
        ...toFormFields('headName', blog.headName), ...toFormFields('headPosition', blog.headPosition), ...toFormFields('biography', blog.biography), ...toFormFields('areas', blog.areas),
      }))
    })

    typed.post('/dialogue/:slug/edit', { schema: { hide: true, params: SlugParams, body: FormBody } }, async (request, reply) => {
      const body = request.body
      return handleForm(reply, editView, await editContext(request, request.params.slug, body), async () => {
        await updateBlog(db, photos, request.user, request.params.slug, {
          headName: fromFormFields(body, 'headName'), headPosition: fromFormFields(body, 'headPosition'), biography: fromFormFields(body, 'biography'), areas: fromFormFields(body, 'areas'),
        }, request.upload)
        return reply.redirect(`/${request.lang}/dialogue/${request.params.slug}`, 303)
      })
    })
  })
}
