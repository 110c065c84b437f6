import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../platform/db/index.ts'
import type { FileStore } from '../../platform/files/index.ts'
import { acceptUploads } from '../../platform/files/uploads.ts'
import { sendStoredFile } from '../../platform/files/download.ts'
import { registerPages } from '../../platform/html/pages.ts'
import { keptUnder } from '../../platform/html/page-versions.ts'
import { RecordId, Nullable } from '../../platform/http/validation.ts'
import { NotFound, ValidationError } from '../../platform/http/errors.ts'
import { authorize } from '../../platform/auth/policies.ts'
import { hasRole, isAnyBodyStaff } from '../../platform/auth/roles.ts'
import { handleForm } from '../../platform/auth/forms.ts'
import { fromFormFields, localize } from '../../platform/i18n/multilingual.ts'
import { formatDate } from '../../platform/i18n/index.ts'
import { agencyIdBySlug, agencyWithRegion } from '../agencies/service.ts'
import {
  BUDGET_DOCUMENT_KINDS, BUDGET_DOCUMENT_LIMIT_BYTES, BUDGET_DOCUMENT_STATES, findBudgetDocument, listBudgetDocuments, publishBudgetDocument, withdrawBudgetDocument, type BudgetDocument,
} from './documents.ts'

const TAGS = ['Open budgets']
const TOKEN = [{ bearerAuth: [] }]
const Slug = Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' })
const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 2000 }), { maxProperties: 12 })

/** Where a budget document is downloaded: one address in every language. */
export const budgetDocumentHref = (id: number) => `/budgets/documents/${id}/download`

const documentJson = (d: BudgetDocument) => ({
  id: d.id, year: d.year, kind: d.kind, period: d.period, title: d.title as Record<string, string>, fileName: d.fileName, mediaType: d.mediaType,
  size: d.size, sha256: d.sha256, publishedOn: d.publishedOn, status: d.status, withdrawn: d.withdrawn, url: d.status === 'published' ? budgetDocumentHref(d.id) : null,
})
const DocumentSchema = Type.Object({
  id: Type.Integer(), year: Type.Integer(), kind: Type.Enum([...BUDGET_DOCUMENT_KINDS]),
  period: Nullable(Type.String({ description: 'what an execution report covers: Y, Q1-Q4 or M01-M12' })),
  title: Type.Record(Type.String(), Type.String()), fileName: Type.String(), mediaType: Type.String(), size: Type.Integer(), sha256: Type.String(),
  publishedOn: Type.String({ format: 'date', description: 'Kazakhstan\'s day it was published here' }),
  status: Type.Enum([...BUDGET_DOCUMENT_STATES]),
  withdrawn: Nullable(Type.Object({ on: Type.String({ format: 'date' }), reason: Type.String() }, { description: 'a document published by mistake: the day and the public reason' })),
  url: Nullable(Type.String({ description: 'the file, while it is published' })),
})

/** A body's budget documents: reading and downloading for anyone; publishing and taking down for its staff, by form or with a token. */
export async function budgetDocumentPages(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  // The same folder as every upload, with a limit of its own.
  const documents = files.withLimit(BUDGET_DOCUMENT_LIMIT_BYTES)
  const agencyOf = async (slug: string) => {
    const id = await agencyIdBySlug(db, slug)
    if (id === undefined) throw new NotFound('agency', slug)
    return id
  }
  // Decided before the body is read: a body's staff (which body is checked once the form is read) or an administrator.
  const mayUpload = (request: FastifyRequest) => isAnyBodyStaff(request.user) || hasRole(request.user, 'admin')

  app.withTypeProvider<TypeBoxTypeProvider>().get('/budgets/documents/:id/download', {
    schema: { hide: true, params: Type.Object({ id: RecordId }) },
  }, async (request, reply) => {
    const document = await findBudgetDocument(db, request.params.id)
    // A withdrawn document's record stays listed; its file is not served.
    if (document.status === 'withdrawn') throw new NotFound('budget-document-file', String(document.id))
    return sendStoredFile(reply, documents, { key: document.fileKey, fileName: document.fileName, mediaType: document.mediaType })
  })

  await app.register(async (scope) => {
    await acceptUploads(scope, documents, { field: 'file', mayUpload })
    const api = scope.withTypeProvider<TypeBoxTypeProvider>()
    api.get('/api/budgets/bodies/:slug/documents', {
      schema: { tags: TAGS, summary: 'A body\'s budget documents: programmes, execution reports, financial statements, audits', params: Type.Object({ slug: Slug }), response: { 200: Type.Object({ documents: Type.Array(DocumentSchema) }) } },
    }, async (request) => ({ documents: (await listBudgetDocuments(db, await agencyOf(request.params.slug))).map(documentJson) }))

    api.post('/api/budgets/bodies/:slug/documents', {
      schema: {
        tags: TAGS, security: TOKEN, consumes: ['multipart/form-data'], params: Type.Object({ slug: Slug }),
        summary: 'Publish a budget document of the body (its staff): multipart fields kind, year, period (an execution report\'s), title.kk, title.ru, title.en, file',
        description: `kind: ${BUDGET_DOCUMENT_KINDS.join(', ')}; the file PDF, Word, Excel, OpenDocument or RTF (read from its bytes), at most ${BUDGET_DOCUMENT_LIMIT_BYTES / 1048576} MB.`,
        response: { 201: DocumentSchema },
      },
    }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string>
      const id = await publishBudgetDocument(db, documents, request.user, await agencyOf(request.params.slug),
        { kind: body.kind ?? '', year: body.year ?? '', period: body.period, title: fromFormFields(body, 'title') }, request.upload)
      return reply.code(201).send(documentJson(await findBudgetDocument(db, id)))
    })

    api.post('/api/budgets/documents/:id/withdraw', {
      schema: {
        tags: TAGS, security: TOKEN, params: Type.Object({ id: RecordId }), body: Type.Object({ reason: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
        summary: 'Withdraw a budget document published by mistake (the body\'s staff): it stays listed with the reason, its file is no longer served',
        response: { 200: DocumentSchema },
      },
    }, async (request) => {
      await withdrawBudgetDocument(db, documents, request.user, request.params.id, request.body.reason)
      return documentJson(await findBudgetDocument(db, request.params.id))
    })
  })

  await registerPages(app, async (pages) => {
    const keptPages = keptUnder(db, ['budgets', 'agencies'])
    await acceptUploads(pages, documents, { field: 'file', mayUpload, tooLargeIsFieldError: true })
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const view = 'budgets/views/documents.njk'
    const editable = async (request: FastifyRequest, slug: string) => {
      const agency = await agencyWithRegion(db, slug)
      if (!agency) throw new NotFound('agency', slug)
      authorize(request.user, 'budget.documents', { agencyId: agency.id })
      return agency
    }
    const context = async (request: FastifyRequest, agency: { id: number; slug: string; name: Record<string, string> }, values: Record<string, string>) => {
      const { lang, t } = request
      const name = localize(agency.name, lang)?.text ?? agency.slug
      return {
        title: t('budgets.documents.manageTitle'),
        breadcrumbs: [
          { text: t('platform.home'), href: `/${lang}/` },
          { text: t('budgets.title'), href: `/${lang}/budgets` },
          { text: t('budgets.body.title', { agency: name }), href: `/${lang}/budgets/bodies/${agency.slug}` },
        ],
        agency: { slug: agency.slug, name },
        values,
        documents: documentList(request, await listBudgetDocuments(db, agency.id)),
        kinds: BUDGET_DOCUMENT_KINDS.map((k) => ({ value: k, text: t(`budgets.documents.kinds.${k}`), checked: values.kind === k })),
        periods: ['Y', 'Q1', 'Q2', 'Q3', 'Q4', ...Array.from({ length: 12 }, (_, i) => `M${String(i + 1).padStart(2, '0')}`)]
          .map((p) => ({ value: p, text: t(`budgets.documents.periods.${p}`), selected: (values.period ?? 'Y') === p })),
        limitMegabytes: Math.floor(documents.limitBytes / 1048576),
      }
    }
    const pageHref = (request: FastifyRequest, slug: string) => `/${request.lang}/budgets/bodies/${slug}/documents`
    const Params = Type.Object({ slug: Slug })

    typed.get('/budgets/bodies/:slug/documents', { config: { pageCache: keptPages }, schema: { hide: true, params: Params } }, async (request, reply) => {
      const agency = await editable(request, request.params.slug)
      return reply.render(view, await context(request, agency, {}))
    })

    typed.post('/budgets/bodies/:slug/documents', { schema: { hide: true, params: Params, body: FormBody } }, async (request, reply) => {
      const agency = await editable(request, request.params.slug)
      const body = request.body
      return handleForm(reply, view, await context(request, agency, body), async () => {
        await publishBudgetDocument(db, documents, request.user, agency.id, { kind: body.kind ?? '', year: body.year ?? '', period: body.period, title: fromFormFields(body, 'title') }, request.upload)
        return reply.redirect(pageHref(request, agency.slug), 303)
      })
    })

    typed.post('/budgets/bodies/:slug/documents/:id/withdraw', { schema: { hide: true, params: Type.Object({ slug: Slug, id: RecordId }), body: FormBody } }, async (request, reply) => {
      const agency = await editable(request, request.params.slug)
      const values = { [`reason.${request.params.id}`]: request.body.reason ?? '' }
      return handleForm(reply, view, await context(request, agency, values), async () => {
        const document = await findBudgetDocument(db, request.params.id)
        if (document.agencyId !== agency.id) throw new NotFound('budget-document', String(document.id))
        try {
          await withdrawBudgetDocument(db, documents, request.user, document.id, request.body.reason ?? '')
        } catch (error) {
          // The reason's field is the document's own on the page, where the error is shown.
          if (error instanceof ValidationError) throw new ValidationError(error.fields.map((f) => ({ ...f, field: `reason.${document.id}` })))
          throw error
        }
        return reply.redirect(pageHref(request, agency.slug), 303)
      })
    })
  })
}

/** A body's documents by year, as its pages list them: each a download named by its title, with its kind, period, format, size and day. */
export function documentList(request: FastifyRequest, documents: BudgetDocument[]) {
  const { lang, t } = request
  const years = [...new Set(documents.map((d) => d.year))]
  return years.map((year) => ({
    year: String(year),
    items: documents.filter((d) => d.year === year).map((d) => ({
      id: d.id,
      href: d.status === 'published' ? budgetDocumentHref(d.id) : null,
      withdrawn: d.withdrawn && t('budgets.documents.withdrawnNote', { date: formatDate(lang, d.withdrawn.on), reason: d.withdrawn.reason }),
      text: localize(d.title, lang)?.text ?? t(`budgets.documents.kinds.${d.kind}`),
      lang: localize(d.title, lang)?.lang,
      kind: t(`budgets.documents.kinds.${d.kind}`) + (d.period && d.period !== 'Y' ? ` · ${t(`budgets.documents.periods.${d.period}`)}` : ''),
      format: d.format, size: d.size, publishedOn: d.publishedOn,
    })),
  }))
}
