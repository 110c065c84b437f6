import { mayModerateComments } from '../../../platform/comments/actions.ts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { fromFormFields, localize } from '../../../platform/i18n/multilingual.ts'
import { commentThread } from '../../../platform/comments/service.ts'
import { findBlog } from '../blogs/service.ts'
import { SlugParams } from '../schemas.ts'
import { createPost, findPost } from './service.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { DIALOGUE_TOPICS } from '../page-topics.ts'

const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 60_000 }), { maxProperties: 12 })

/** A head's posts: each with its comments, and the form its body's staff write them with. */
export async function postPages(app: FastifyInstance, db: Db): Promise<void> {
  await registerPages(app, async (pages) => {
    const keptPages = keptUnder(db, DIALOGUE_TOPICS)
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const crumbs = (request: FastifyRequest, agency: { slug: string; name: Record<string, string> | object }) => [
      { text: request.t('platform.home'), href: `/${request.lang}/` },
      { text: request.t('dialogue.title'), href: `/${request.lang}/dialogue` },
      { text: localize(agency.name as never, request.lang)?.text ?? '', href: `/${request.lang}/dialogue/${agency.slug}` },
    ]

    typed.get('/dialogue/posts/:id', { config: { pageCache: keptPages }, schema: { hide: true, params: Type.Object({ id: RecordId }) } }, async (request, reply) => {
      const post = await findPost(db, request.params.id)
      const path = `/${request.lang}/dialogue/posts/${post.id}`
      return reply.render('dialogue/posts/views/post.njk', {
        title: localize(post.title, request.lang)?.text ?? '',
        breadcrumbs: crumbs(request, post.agency),
        post,
        thread: await commentThread(db, 'dialogue-post', String(post.id), request.user?.id ?? null),
        commentOptions: { subjectType: 'dialogue-post', subjectId: String(post.id), open: true, returnTo: path, mayModerate: mayModerateComments(request.user, post.agency.id) },
      })
    })

    const view = 'dialogue/posts/views/post-form.njk'
    const context = async (request: FastifyRequest, slug: string, values: Record<string, string>) => {
      const blog = await findBlog(db, slug)
      authorize(request.user, 'dialogue.manage', { agencyId: blog.agency.id })
      return { title: request.t('dialogue.posts.new'), breadcrumbs: crumbs(request, blog.agency), blog, values }
    }
    typed.get('/dialogue/:slug/posts/new', { schema: { hide: true, params: SlugParams } }, async (request, reply) => reply.render(view, await context(request, request.params.slug, {})))
    typed.post('/dialogue/:slug/posts/new', { schema: { hide: true, params: SlugParams, body: FormBody } }, async (request, reply) => {
      const body = request.body
      return handleForm(reply, view, await context(request, request.params.slug, body), async () => {
        const id = await createPost(db, request.user, request.params.slug, { title: fromFormFields(body, 'title'), body: fromFormFields(body, 'body') }, siteOrigin(request))
        return reply.redirect(`/${request.lang}/dialogue/posts/${id}`, 303)
      })
    })
  })
}
