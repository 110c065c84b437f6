import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import { acceptUploads } from '../../../platform/files/uploads.ts'
import { sendStoredFile } from '../../../platform/files/download.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { fromFormFields, localize } from '../../../platform/i18n/multilingual.ts'
import { loadDraft, findDraft, type DraftCard } from '../drafts/service.ts'
import { addAttachment, ATTACHMENT_KINDS, ATTACHMENT_LIMIT_BYTES, findAttachment, listAttachments, removeAttachment } from './service.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { LEGAL_ACTS_TOPICS } from '../page-topics.ts'
import { isFinal } from '../kinds.ts'

const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 2000 }), { maxProperties: 10 })
const IdParams = Type.Object({ id: RecordId })
const AttachmentParams = Type.Object({ id: RecordId, attachmentId: RecordId })

/** Where a draft's document is downloaded: one address in every language. */
export function attachmentHref(draftId: number, attachmentId: number): string {
  return `/legal-acts/drafts/${draftId}/attachments/${attachmentId}/download`
}

/** A draft's documents: the public download, and the editors' page to attach and remove them. */
export async function attachmentPages(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  // The same folder as every upload, with a limit of its own.
  const documents = files.withLimit(ATTACHMENT_LIMIT_BYTES)

  app.withTypeProvider<TypeBoxTypeProvider>().get('/legal-acts/drafts/:id/attachments/:attachmentId/download', {
    schema: { hide: true, params: AttachmentParams },
  }, async (request, reply) => {
    const draft = await findDraft(db, request.params.id, request.user, { counts: false })
    const attachment = await findAttachment(db, draft.id, request.params.attachmentId)
    return sendStoredFile(reply, documents, { key: attachment.fileKey, fileName: attachment.fileName, mediaType: attachment.mediaType })
  })

  await registerPages(app, async (pages) => {

    const keptPages = keptUnder(db, LEGAL_ACTS_TOPICS)
    await acceptUploads(pages, documents, { field: 'file', mayUpload: (request) => can(request.user, 'legal-act.create'), tooLargeIsFieldError: true })
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const view = 'legal-acts/attachments/views/attachments.njk'
    const editable = async (request: FastifyRequest, id: number) => {
      const draft = await loadDraft(db, id, { counts: false })
      authorize(request.user, 'legal-act.manage', { agencyId: draft.agency.id })
      return draft
    }
    const context = async (request: FastifyRequest, draft: DraftCard, values: Record<string, string>) => {
      const { lang, t } = request
      return {
        title: t('legalActs.attachments.manageTitle'),
        breadcrumbs: [
          { text: t('platform.home'), href: `/${lang}/` },
          { text: t('legalActs.title'), href: `/${lang}/legal-acts` },
          { text: localize(draft.title, lang)?.text ?? '', href: `/${lang}/legal-acts/drafts/${draft.id}` },
        ],
        draft,
        values,
        attachments: await listAttachments(db, draft.id),
        kinds: ATTACHMENT_KINDS.map((k) => ({ value: k, text: t(`legalActs.attachments.kinds.${k}`), checked: values.kind === k })),
        limitMegabytes: Math.floor(documents.limitBytes / 1024 / 1024),
        final: isFinal(draft.status),
      }
    }
    const pageHref = (request: FastifyRequest, id: number) => `/${request.lang}/legal-acts/drafts/${id}/attachments`

    typed.get('/legal-acts/drafts/:id/attachments', { config: { pageCache: keptPages }, schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const draft = await editable(request, request.params.id)
      return reply.render(view, await context(request, draft, {}))
    })

    typed.post('/legal-acts/drafts/:id/attachments', { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
      const draft = await editable(request, request.params.id)
      const body = request.body
      return handleForm(reply, view, await context(request, draft, body), async () => {
        await addAttachment(db, documents, request.user, draft.id, { kind: body.kind ?? '', title: fromFormFields(body, 'title') }, request.upload)
        return reply.redirect(pageHref(request, draft.id), 303)
      })
    })

    typed.post('/legal-acts/drafts/:id/attachments/:attachmentId/remove', { schema: { hide: true, params: AttachmentParams } }, async (request, reply) => {
      const draft = await editable(request, request.params.id)
      return handleForm(reply, view, await context(request, draft, {}), async () => {
        await removeAttachment(db, documents, request.user, draft.id, request.params.attachmentId)
        return reply.redirect(pageHref(request, draft.id), 303)
      })
    })
  })
}
