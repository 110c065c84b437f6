import { mayModerateComments } from '../../../platform/comments/actions.ts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { fromFormFields, localize } from '../../../platform/i18n/multilingual.ts'
import { findBlog } from '../blogs/service.ts'
import { SlugParams } from '../schemas.ts'
import { announceConference, answerConferenceQuestion, conferenceQuestions, findConference, setRecording } from './service.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { DIALOGUE_TOPICS } from '../page-topics.ts'

const IdParams = Type.Object({ id: RecordId })
const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 20_000 }), { maxProperties: 12 })

/** A head's web conferences: announced, questions sent and voted up before, answers and the recording after. */
export async function conferencePages(app: FastifyInstance, db: Db): Promise<void> {
  await registerPages(app, async (pages) => {
    const keptPages = keptUnder(db, DIALOGUE_TOPICS)
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const crumbs = (request: FastifyRequest, agency: { slug: string; name: object }) => [
      { text: request.t('platform.home'), href: `/${request.lang}/` },
      { text: request.t('dialogue.title'), href: `/${request.lang}/dialogue` },
      { text: localize(agency.name as never, request.lang)?.text ?? '', href: `/${request.lang}/dialogue/${agency.slug}` },
    ]
    const view = 'dialogue/conferences/views/conference.njk'
    const show = async (request: FastifyRequest, id: number, extra: Record<string, unknown> = {}) => {
      const conference = await findConference(db, id)
      const path = `/${request.lang}/dialogue/conferences/${conference.id}`
      const { questions, count } = await conferenceQuestions(db, conference.id, request.user?.id ?? null)
      return {
        title: localize(conference.title, request.lang)?.text ?? '',
        breadcrumbs: crumbs(request, conference.agency),
        conference, questions, count,
        // Its hour in Kazakhstan (UTC+5, one zone since 2024).
        startsTime: new Date(conference.startsAt.getTime() + 5 * 3600_000).toISOString().slice(11, 16),
        staff: can(request.user, 'dialogue.manage', { agencyId: conference.agency.id }),
        commentOptions: { subjectType: 'dialogue-conference', subjectId: String(conference.id), open: conference.open, returnTo: path, mayModerate: mayModerateComments(request.user, conference.agency.id), formLabel: request.t('dialogue.conferences.yourQuestion') },
        values: {},
        ...extra,
      }
    }

    typed.get('/dialogue/conferences/:id', { config: { pageCache: keptPages }, schema: { hide: true, params: IdParams } }, async (request, reply) => reply.render(view, await show(request, request.params.id)))

    typed.post('/dialogue/conferences/:id/answers/:commentId', { schema: { hide: true, params: Type.Object({ id: RecordId, commentId: RecordId }), body: FormBody } }, async (request, reply) => {
      const body = request.body
      return handleForm(reply, view, await show(request, request.params.id, { values: body }), async () => {
        const prefix = `answer-${request.params.commentId}`
        await answerConferenceQuestion(db, request.user, request.params.id, request.params.commentId, { answer: fromFormFields(body, prefix) })
        return reply.redirect(`/${request.lang}/dialogue/conferences/${request.params.id}#comment-${request.params.commentId}`, 303)
      })
    })

    typed.post('/dialogue/conferences/:id/recording', { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
      return handleForm(reply, view, await show(request, request.params.id, { values: request.body }), async () => {
        await setRecording(db, request.user, request.params.id, request.body.recordingUrl ?? '')
        return reply.redirect(`/${request.lang}/dialogue/conferences/${request.params.id}`, 303)
      })
    })

    const formView = 'dialogue/conferences/views/conference-form.njk'
    const formContext = async (request: FastifyRequest, slug: string, values: Record<string, string>) => {
      const blog = await findBlog(db, slug)
      authorize(request.user, 'dialogue.manage', { agencyId: blog.agency.id })
      return { title: request.t('dialogue.conferences.new'), breadcrumbs: crumbs(request, blog.agency), blog, values }
    }
    typed.get('/dialogue/:slug/conferences/new', { schema: { hide: true, params: SlugParams } }, async (request, reply) => reply.render(formView, await formContext(request, request.params.slug, {})))
    typed.post('/dialogue/:slug/conferences/new', { schema: { hide: true, params: SlugParams, body: FormBody } }, async (request, reply) => {
      const body = request.body
      return handleForm(reply, formView, await formContext(request, request.params.slug, body), async () => {
        const id = await announceConference(db, request.user, request.params.slug, {
          title: fromFormFields(body, 'title'), description: fromFormFields(body, 'description'), startsAt: body.startsAt ?? '', streamUrl: body.streamUrl ?? '',
        }, siteOrigin(request))
        return reply.redirect(`/${request.lang}/dialogue/conferences/${id}`, 303)
      })
    })
  })
}
