import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { subscriptionId } from '../../../platform/notifications/subscriptions.ts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import type { ModuleConfig } from '../../../platform/modules.ts'
import { FileStore } from '../../../platform/files/index.ts'
import { acceptUploads, type UploadedFile } from '../../../platform/files/uploads.ts'
import { sendStoredFile } from '../../../platform/files/download.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { NotFound } from '../../../platform/http/errors.ts'
import { doneHref, type Done } from '../../../platform/html/done.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { fromFormFields, localize } from '../../../platform/i18n/multilingual.ts'
import { agencyNames } from '../../agencies/service.ts'
import { agencyOptions } from '../../agencies/options.ts'
import { QUESTION_FILE_FIELDS, QUESTION_FILE_LIMIT_BYTES, REJECTION_REASONS, TOPICS } from '../kinds.ts'
import { findBlog } from '../blogs/service.ts'
import { extensionLimit } from './deadlines.ts'
import { SlugParams } from '../schemas.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { DIALOGUE_TOPICS } from '../page-topics.ts'
import {
  answerQuestion, askQuestion, availableActions, extendDeadline, findQuestion, followUpShowsName, forwardedBy, forwardQuestion, publishQuestion, questionEvents, questionFileStore, rateAnswer, rejectQuestion, withdrawQuestion,
  type Question,
} from './service.ts'

const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 40_000 }), { maxProperties: 30 })
type FormBody = Record<string, string>
const IdParams = Type.Object({ id: RecordId })
/** Where a question's file is downloaded: one address in every language. */
export function questionFileHref(questionId: number, fileId: number): string {
  return `/dialogue/questions/${questionId}/files/${fileId}/download`
}

/** Asking a question, a question's page with what its asker and its body's staff do on it, and its files. */
export async function questionPages(app: FastifyInstance, db: Db, files: FileStore, config: ModuleConfig): Promise<void> {
  const store = questionFileStore(files)
  const rules = config.dialogue

  app.withTypeProvider<TypeBoxTypeProvider>().get('/dialogue/questions/:id/files/:fileId/download', {
    schema: { hide: true, params: Type.Object({ id: RecordId, fileId: RecordId }) },
  }, async (request, reply) => {
    const q = await findQuestion(db, request.params.id, request.user)
    if (q.textWithheld) throw new NotFound('question-file', String(request.params.fileId))
    const [file] = await db.query<{ file_key: string; file_name: string; media_type: string }>(
      'select file_key, file_name, media_type from dialogue_question_files where question_id = $1 and id = $2', [q.id, request.params.fileId],
    )
    if (!file) throw new NotFound('question-file', String(request.params.fileId))
    return sendStoredFile(reply, store, { key: file.file_key, fileName: file.file_name, mediaType: file.media_type })
  })

  await registerPages(app, async (pages) => {

    const keptPages = keptUnder(db, DIALOGUE_TOPICS)
    await acceptUploads(pages, store, { field: QUESTION_FILE_FIELDS, mayUpload: (request) => can(request.user, 'dialogue.ask'), tooLargeIsFieldError: true })
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const blogCrumbs = (request: FastifyRequest, blog: { slug: string; name: Question['agency']['name'] }) => [
      { text: request.t('platform.home'), href: `/${request.lang}/` },
      { text: request.t('dialogue.title'), href: `/${request.lang}/dialogue` },
      { text: localize(blog.name, request.lang)?.text ?? '', href: `/${request.lang}/dialogue/${blog.slug}` },
    ]
    const questionHref = (request: FastifyRequest, id: number) => `/${request.lang}/dialogue/questions/${id}`

    const askView = 'dialogue/questions/views/ask.njk'
    const askContext = async (request: FastifyRequest, slug: string, values: FormBody) => {
      const blog = await findBlog(db, slug)
      const { t } = request
      return {
        title: t('dialogue.ask.title'), breadcrumbs: blogCrumbs(request, blog.agency), blog, values,
        topics: [{ value: '', text: t('dialogue.ask.chooseTopic') }, ...TOPICS.map((k) => ({ value: k, text: t(`dialogue.topics.${k}`), selected: values.topic === k }))],
        fileFields: QUESTION_FILE_FIELDS, limitMegabytes: QUESTION_FILE_LIMIT_BYTES / 1024 / 1024, followUpOf: values.followUpOf,
        followUpShowsName: /^\d{1,15}$/.test(values.followUpOf ?? '') ? await followUpShowsName(db, request.user, Number(values.followUpOf)) : null,
      }
    }

    typed.get('/dialogue/:slug/ask', { schema: { hide: true, params: SlugParams, querystring: Type.Object({ followUpOf: Type.Optional(RecordId) }) } }, async (request, reply) => {
      authorize(request.user, 'dialogue.ask')
      return reply.render(askView, await askContext(request, request.params.slug, { followUpOf: request.query.followUpOf ? String(request.query.followUpOf) : '' }))
    })

    typed.post('/dialogue/:slug/ask', { schema: { hide: true, params: SlugParams, body: FormBody } }, async (request, reply) => {
      const body = request.body
      return handleForm(reply, askView, await askContext(request, request.params.slug, body), async () => {
        const uploads = QUESTION_FILE_FIELDS.map((f) => request.uploads?.[f]).filter((u): u is UploadedFile => Boolean(u))
        const { id } = await askQuestion(db, store, { user: request.user, address: request.ip }, {
          agencySlug: request.params.slug, topic: body.topic ?? '', body: body.body ?? '', showName: body.showName === 'yes' ? true : body.showName === 'no' ? false : null, lang: request.lang,
          followUpOf: body.followUpOf && /^\d{1,15}$/.test(body.followUpOf) ? Number(body.followUpOf) : null, idempotencyKey: body.idempotencyKey,
        }, uploads, rules, siteOrigin(request))
        return reply.redirect(`${questionHref(request, id)}?received=1`, 303)
      })
    })

    const questionView = 'dialogue/questions/views/question.njk'
    const show = async (request: FastifyRequest, reply: FastifyReply, id: number, extra: Record<string, unknown> = {}) => {
      const { lang } = request
      const q = await findQuestion(db, id, request.user)
      const actions = availableActions(request.user, q)
      const own = request.user?.id === q.askerId
      return reply.render(questionView, {
        title: request.t('dialogue.question.title', { number: q.id }),
        breadcrumbs: blogCrumbs(request, q.agency),
        q, own, actions,
        received: (request.query as { received?: string }).received === '1' && own,
        events: await questionEvents(db, q.id),
        followId: q.status === 'published' ? await subscriptionId(db, request.user?.id, `dialogue-question:${q.id}`) : null,
        reasons: REJECTION_REASONS,
        agencies: actions.forward ? agencyOptions(request, (await agencyNames(db, lang)).filter((a) => a.id !== q.agency.id), undefined, request.t('dialogue.forward.choose')) : [],
        extensionLimit: extensionLimit(q.receivedOn, rules),
        fileHref: (fileId: number) => questionFileHref(q.id, fileId),
        values: {},
        ...extra,
      })
    }

    typed.get('/dialogue/questions/:id', { config: { pageCache: keptPages }, schema: { hide: true, params: IdParams, querystring: Type.Object({ received: Type.Optional(Type.String({ maxLength: 1 })) }) } }, async (request, reply) => show(request, reply, request.params.id))

    // Each action: a form on the question's page, shown again with its errors there.
    // Each action: a form on the question's page, shown again with its errors there; after it, the
    // question at the action's place, or a page of its own for an action that takes the question
    // out of the actor's reach.
    const action = (name: string, done: Done, command: (request: FastifyRequest, id: number, body: FormBody) => Promise<void>, landing = (request: FastifyRequest, id: number) => doneHref(questionHref(request, id), done, 'question')) => {
      typed.post(`/dialogue/questions/:id/${name}`, { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
        const id = request.params.id
        return handleForm(reply, (found) => show(request, reply, id, { ...found, values: request.body, openForm: name }), {}, async () => {
          await command(request, id, request.body)
          return reply.redirect(landing(request, id), 303)
        })
      })
    }

    typed.get('/dialogue/questions/:id/forwarded', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const id = request.params.id
      const forwarded = await forwardedBy(db, request.user, id)
      if (!forwarded) throw new NotFound('question', String(id))
      const from = await findBlog(db, forwarded.from)
      return reply.render('dialogue/questions/views/forwarded.njk', {
        title: request.t('dialogue.forwarded.title', { number: id }), breadcrumbs: blogCrumbs(request, from.agency), id, forwarded, from,
      })
    })
    const origin = (request: FastifyRequest) => siteOrigin(request)
    action('publish', 'published', (request, id) => publishQuestion(db, request.user, id, origin(request)))
    action('reject', 'rejected', (request, id, body) => rejectQuestion(db, request.user, id, { reason: body.reason ?? '', duplicateOf: /^\d{1,15}$/.test(body.duplicateOf ?? '') ? Number(body.duplicateOf) : null }, origin(request)))
    action('forward', 'published', (request, id, body) => forwardQuestion(db, request.user, id, { agencySlug: body.agency ?? '', reason: fromFormFields(body, 'reason') }, rules, origin(request)),
      (request, id) => `/${request.lang}/dialogue/questions/${id}/forwarded`)
    action('extend', 'extended', (request, id, body) => extendDeadline(db, request.user, id, { to: body.to?.trim() ?? '', reason: fromFormFields(body, 'extensionReason') }, rules, origin(request)))
    action('answer', 'answered', (request, id, body) => answerQuestion(db, request.user, id, { answer: fromFormFields(body, 'answer') }, origin(request)))
    action('withdraw', 'withdrawn', (request, id) => withdrawQuestion(db, request.user, id))
    action('rate', 'rated', (request, id, body) => rateAnswer(db, request.user, id, { rating: body.rating ?? '', comment: body.comment ?? '' }))
  })
}
