import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import type { ModuleConfig } from '../../../platform/modules.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import { acceptUploads } from '../../../platform/files/uploads.ts'
import { checkFileKind } from '../../../platform/files/types.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { fromFormFields, localize, toFormFields } from '../../../platform/i18n/multilingual.ts'
import { LANGS } from '../../../platform/i18n/index.ts'
import { agencyNames } from '../../agencies/service.ts'
import { agencyOptions } from '../../agencies/options.ts'
import { ACT_KINDS, TOPICS } from '../kinds.ts'
import { addVersion, findVersion } from '../versions/service.ts'
import { joinText } from '../versions/text.ts'
import { docxToText } from '../versions/docx.ts'
import { createDraft, loadDraft, today, updateDraft, type DraftSummary } from './service.ts'
import { adoptDraft, earliestEnd, minimumPeriod, publishDraft, withdrawDraft } from './lifecycle.ts'

const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 1_000_000 }), { maxProperties: 40 })
type FormBody = Record<string, string>
const IdParams = Type.Object({ id: RecordId })

function textsOf(body: FormBody) {
  return Object.fromEntries(LANGS.map((lang) => [lang, body[`text.${lang}`]]))
}

/** A Word file is read, never kept: its text becomes the version's. */
const DOCX_LIMIT_BYTES = 20 * 1024 * 1024
const DOCX_FIELDS = LANGS.map((lang) => `docx.${lang}`)

/**
 * The form's texts, each language's from its Word file where one came (the form, shown again on an
 * error, then holds the text read from it). The files are removed once read.
 */
async function readTexts(files: FileStore, request: FastifyRequest, body: FormBody) {
  try {
    for (const lang of LANGS) {
      const field = `docx.${lang}`
      const upload = request.uploads?.[field]
      if (!upload) continue
      await checkFileKind(files, upload, ['docx'], field)
      body[`text.${lang}`] = await files.withLocalFile(upload.key, (file) => docxToText(file, field, request.user ? `user:${request.user.id}` : request.ip))
    }
  } finally {
    for (const upload of Object.values(request.uploads ?? {})) await files.remove(upload.key)
  }
  return textsOf(body)
}

/** The forms of a body's editors: a new draft, its details, publishing it for discussion, new versions, adoption and withdrawal. */
export async function draftEditPages(app: FastifyInstance, db: Db, files: FileStore, config: ModuleConfig): Promise<void> {
  const wordFiles = files.withLimit(DOCX_LIMIT_BYTES)
  await registerPages(app, async (pages) => {
    // A code's text in three languages is a few MB: the text fields take that much.
    await acceptUploads(pages, wordFiles, { field: DOCX_FIELDS, fieldBytes: 4_000_000, mayUpload: (request) => can(request.user, 'legal-act.create'), tooLargeIsFieldError: true })
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const crumbs = (request: FastifyRequest, draft?: DraftSummary) => [
      { text: request.t('platform.home'), href: `/${request.lang}/` },
      { text: request.t('legalActs.title'), href: `/${request.lang}/legal-acts` },
      ...(draft ? [{ text: localize(draft.title, request.lang)?.text ?? '', href: `/${request.lang}/legal-acts/drafts/${draft.id}` }] : []),
    ]
    const draftHref = (request: FastifyRequest, id: number) => `/${request.lang}/legal-acts/drafts/${id}`

    const formView = 'legal-acts/drafts/views/draft-form.njk'
    const formContext = async (request: FastifyRequest, values: FormBody, draft?: DraftSummary) => {
      const { lang, t } = request
      const bodies = (await agencyNames(db, lang)).filter((a) => can(request.user, 'legal-act.manage', { agencyId: a.id }))
      return {
        title: draft ? t('legalActs.edit.title') : t('legalActs.new'),
        breadcrumbs: crumbs(request, draft),
        draft,
        values,
        action: draft ? `/${lang}/legal-acts/drafts/${draft.id}/edit` : `/${lang}/legal-acts/drafts/new`,
        agencies: agencyOptions(request, bodies, values.agency, t('legalActs.edit.chooseBody')),
        kinds: [{ value: '', text: t('legalActs.edit.chooseKind') }, ...ACT_KINDS.map((k) => ({ value: k, text: t(`legalActs.kinds.${k}`), selected: values.kind === k }))],
        topics: [{ value: '', text: t('legalActs.edit.chooseTopic') }, ...TOPICS.map((k) => ({ value: k, text: t(`legalActs.topics.${k}`), selected: values.topic === k }))],
        withText: !draft,
      }
    }

    typed.get('/legal-acts/drafts/new', { schema: { hide: true } }, async (request, reply) => {
      authorize(request.user, 'legal-act.create')
      return reply.render(formView, await formContext(request, {}))
    })

    typed.post('/legal-acts/drafts/new', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
      authorize(request.user, 'legal-act.create')
      const body = request.body
      return handleForm(reply, formView, await formContext(request, body), async () => {
        const texts = await readTexts(wordFiles, request, body)
        const id = await createDraft(db, request.user, {
          agencySlug: body.agency ?? '', kind: body.kind ?? '', topic: body.topic ?? '', title: fromFormFields(body, 'title'),
          summary: fromFormFields(body, 'summary'), publicService: body.publicService === 'yes',
        }, texts)
        return reply.redirect(draftHref(request, id), 303)
      })
    })

    const editable = async (request: FastifyRequest, id: number) => {
      const draft = await loadDraft(db, id)
      authorize(request.user, 'legal-act.manage', { agencyId: draft.agency.id })
      return draft
    }

    typed.get('/legal-acts/drafts/:id/edit', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const draft = await editable(request, request.params.id)
      return reply.render(formView, await formContext(request, {
        agency: draft.agency.slug, kind: draft.kind, topic: draft.topic, publicService: draft.publicService ? 'yes' : '',
        ...toFormFields('title', draft.title), ...toFormFields('summary', draft.summary),
      }, draft))
    })

    typed.post('/legal-acts/drafts/:id/edit', { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
      const draft = await editable(request, request.params.id)
      const body = request.body
      return handleForm(reply, formView, await formContext(request, body, draft), async () => {
        await updateDraft(db, request.user, draft.id, {
          agencySlug: body.agency ?? '', kind: body.kind ?? '', topic: body.topic ?? '', title: fromFormFields(body, 'title'),
          summary: fromFormFields(body, 'summary'), publicService: body.publicService === 'yes',
        })
        return reply.redirect(draftHref(request, draft.id), 303)
      })
    })

    const publishView = 'legal-acts/drafts/views/publish.njk'
    const publishContext = async (request: FastifyRequest, draft: DraftSummary, values: FormBody) => {
      const minimum = minimumPeriod(draft, config.legalActs)
      const start = today()
      return {
        title: request.t('legalActs.publish.title'), breadcrumbs: crumbs(request, draft), draft, values,
        start, earliest: await earliestEnd(db, start, minimum), minimum,
      }
    }

    typed.get('/legal-acts/drafts/:id/publish', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const draft = await editable(request, request.params.id)
      return reply.render(publishView, await publishContext(request, draft, {}))
    })

    typed.post('/legal-acts/drafts/:id/publish', { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
      const draft = await editable(request, request.params.id)
      return handleForm(reply, publishView, await publishContext(request, draft, request.body), async () => {
        await publishDraft(db, request.user, draft.id, request.body.end?.trim() ?? '', config.legalActs, siteOrigin(request))
        return reply.redirect(draftHref(request, draft.id), 303)
      })
    })

    const versionView = 'legal-acts/drafts/views/version-form.njk'
    const versionContext = (request: FastifyRequest, draft: DraftSummary, values: FormBody) => ({
      title: request.t('legalActs.manage.newVersion'), breadcrumbs: crumbs(request, draft), draft, values,
    })

    typed.get('/legal-acts/drafts/:id/versions/new', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const draft = await editable(request, request.params.id)
      const latest = await findVersion(db, draft.id)
      return reply.render(versionView, versionContext(request, draft, Object.fromEntries(LANGS.map((lang) => [`text.${lang}`, joinText(latest.body, lang)]))))
    })

    typed.post('/legal-acts/drafts/:id/versions/new', { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
      const draft = await editable(request, request.params.id)
      const body = request.body
      return handleForm(reply, versionView, versionContext(request, draft, body), async () => {
        const number = await addVersion(db, request.user, draft.id, await readTexts(wordFiles, request, body), fromFormFields(body, 'note'), siteOrigin(request))
        return reply.redirect(`${draftHref(request, draft.id)}/versions/${number}/changes`, 303)
      })
    })

    // Adoption and withdrawal: a form of the draft's last steps, each with its own fields and command.
    const finalStep = (step: 'adopt' | 'withdraw', command: (request: FastifyRequest, draft: DraftSummary, body: FormBody) => Promise<void>) => {
      const view = `legal-acts/drafts/views/${step}.njk`
      const context = (request: FastifyRequest, draft: DraftSummary, values: FormBody) => ({ title: request.t(`legalActs.manage.${step}`), breadcrumbs: crumbs(request, draft), draft, values })
      typed.get(`/legal-acts/drafts/:id/${step}`, { schema: { hide: true, params: IdParams } }, async (request, reply) => {
        const draft = await editable(request, request.params.id)
        return reply.render(view, context(request, draft, {}))
      })
      typed.post(`/legal-acts/drafts/:id/${step}`, { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
        const draft = await editable(request, request.params.id)
        return handleForm(reply, view, context(request, draft, request.body), async () => {
          await command(request, draft, request.body)
          return reply.redirect(draftHref(request, draft.id), 303)
        })
      })
    }
    finalStep('adopt', (request, draft, body) => adoptDraft(db, request.user, draft.id, { adoptedOn: body.adoptedOn?.trim() ?? '', url: body.url ?? '', title: fromFormFields(body, 'adoptedTitle') }))
    finalStep('withdraw', (request, draft, body) => withdrawDraft(db, request.user, draft.id, fromFormFields(body, 'reason')))
  })
}
