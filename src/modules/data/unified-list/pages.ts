import { RecordId } from '../../../platform/http/validation.ts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import { acceptUploads } from '../../../platform/files/uploads.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { actorOf } from '../../../platform/auth/index.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { ValidationError } from '../../../platform/http/index.ts'
import { fromFormFields, localize, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { agencyNames, nameCollator } from '../../agencies/service.ts'
import { agencyOptions } from '../../agencies/options.ts'
import { FREQUENCIES } from '../catalog/vocabularies.ts'
import { LIST_STATES, entryAgency, importList, linkDataset, listEntries, listSummary, saveEntry, type ListEntry } from './service.ts'

const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 2000 }), { maxProperties: 20 })
type FormBody = Record<string, string>
const SlugParams = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 100 }) }, { additionalProperties: false })
const IdParams = Type.Object({ id: RecordId }, { additionalProperties: false })

const ListEntrySchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  agency: Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.Record(Type.String(), Type.String()) }),
  title: Type.Record(Type.String(), Type.String()),
  frequency: Type.String(),
  firstDeadline: Type.String({ format: 'date' }),
  dataset: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), title: Type.Record(Type.String(), Type.String()), dataUpdatedAt: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  state: Type.Enum([...LIST_STATES]),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  overdueDays: Type.Union([Type.Integer(), Type.Null()]),
})

const LIST_FILE_LIMIT = 5 * 1024 * 1024
const URGENCY: Record<string, number> = { overdue: 0, 'not-published': 1, upcoming: 2, 'on-time': 3 }

/** A file's problems as the form shows them: each on the file field, saying its line and column. */
function inFile(request: FastifyRequest, error: ValidationError): ValidationError {
  return new ValidationError(error.fields.map((f) => {
    const [, line, column] = /^line (\d+): (.+)$/.exec(f.field) ?? []
    if (!line) return f
    return { field: 'file', messageKey: 'data.list.errors.atLine', values: { line, column, reason: request.t(f.messageKey, f.values) } }
  }))
}

/** The Unified List: its JSON, the public pages per body, editors' links to datasets, and loading it. */
export async function unifiedListPages(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/api/data/unified-list', {
    schema: {
      tags: ['Open data'],
      summary: 'The Unified List of open data, each entry with its state today',
      description: 'state: on-time, overdue (overdueDays past dueAt), not-published (nothing since the first deadline), upcoming (first deadline ahead).',
      querystring: Type.Object({ agency: Type.Optional(Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 100 })) }, { additionalProperties: false }),
      response: { 200: Type.Array(ListEntrySchema) },
    },
  }, async (request) => listEntries(db, { agencySlug: request.query.agency }))

  await registerPages(app, async (pages) => {
    // The list's file comes only from administrators, who load it.
    await acceptUploads(pages, files, { field: 'file', mayUpload: (request) => can(request.user, 'unified-list.manage') })
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const crumbs = (request: FastifyRequest, extra: { text: string; href: string }[] = []) => [
      { text: request.t('platform.home'), href: `/${request.lang}/` },
      { text: request.t('data.catalog.title'), href: `/${request.lang}/data` },
      ...extra,
    ]
    const listCrumb = (request: FastifyRequest) => ({ text: request.t('data.list.title'), href: `/${request.lang}/data/unified-list` })

    typed.get('/data/unified-list', { schema: { hide: true } }, async (request, reply) => {
      const summary = await listSummary(db)
      const own = request.user?.roles.filter((g) => g.agencySlug && can(request.user, 'unified-list.link', { agencyId: g.agencyId })) ?? []
      return reply.render('data/unified-list/views/unified-list.njk', {
        title: request.t('data.list.title'),
        breadcrumbs: crumbs(request),
        summary: summary.map((s) => ({ ...s, name: s.agency.name })).sort((a, b) => nameCollator(request.lang)(a, b)),
        totals: LIST_STATES.map((state) => ({ state, count: summary.reduce((sum, s) => sum + s.counts[state], 0) })),
        own: own.map((g) => ({ slug: g.agencySlug, name: g.agencyName })),
        mayManage: can(request.user, 'unified-list.manage'),
      })
    })

    const bodyView = 'data/unified-list/views/unified-list-body.njk'
    const bodyContext = async (request: FastifyRequest, slug: string) => {
      const [agency] = await db.query<{ id: number; name: MultilingualText }>('select id, name from agencies where slug = $1', [slug])
      if (!agency) return null
      const entries = (await listEntries(db, { agencySlug: slug })).sort((a, b) => URGENCY[a.state]! - URGENCY[b.state]! || a.code.localeCompare(b.code))
      const mayLink = can(request.user, 'unified-list.link', { agencyId: agency.id })
      const datasets = mayLink
        ? await db.query<{ name: string; title: MultilingualText }>(`select name, title from datasets where agency_id = $1 and state = 'active' order by name`, [agency.id])
        : []
      const name = localize(agency.name, request.lang)?.text ?? slug
      return {
        title: request.t('data.list.bodyTitle', { name }),
        breadcrumbs: crumbs(request, [listCrumb(request)]),
        slug,
        entries,
        mayLink,
        datasetOptions: (entry: ListEntry) => [
          { value: '', text: request.t('data.list.noDataset') },
          ...datasets.map((d) => ({ value: d.name, text: localize(d.title, request.lang)?.text ?? d.name, selected: entry.dataset?.name === d.name })),
        ],
      }
    }

    typed.get('/data/unified-list/:slug', { schema: { hide: true, params: SlugParams } }, async (request, reply) => {
      const context = await bodyContext(request, request.params.slug)
      if (!context) return reply.callNotFound()
      return reply.render(bodyView, context)
    })

    typed.post('/data/unified-list/entries/:id/link', { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
      const { agencyId, agencySlug } = await entryAgency(db, request.params.id)
      authorize(request.user, 'unified-list.link', { agencyId })
      const context = await bodyContext(request, agencySlug)
      return handleForm(reply, bodyView, context ?? {}, async () => {
        await linkDataset(db, actorOf(request), request.params.id, request.body.datasetName?.trim() || null)
        return reply.redirect(`/${request.lang}/data/unified-list/${agencySlug}#entry-${request.params.id}`, 303)
      })
    })

    const importView = 'data/unified-list/views/unified-list-import.njk'
    const importContext = async (request: FastifyRequest, values: FormBody, extra: Record<string, unknown> = {}) => {
      return {
        title: request.t('data.list.importTitle'),
        breadcrumbs: crumbs(request, [listCrumb(request)]),
        values,
        agencies: agencyOptions(request, await agencyNames(db, request.lang), values.agencySlug, request.t('data.edit.choosePublisher')),
        frequencies: FREQUENCIES.map((f) => ({ value: f, text: request.t(`data.frequency.${f}`), checked: values.frequency === f })),
        ...extra,
      }
    }

    typed.get('/data/unified-list/import', { schema: { hide: true } }, async (request, reply) => {
      authorize(request.user, 'unified-list.manage')
      return reply.render(importView, await importContext(request, {}))
    })

    // The whole list as a CSV file.
    typed.post('/data/unified-list/import', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
      authorize(request.user, 'unified-list.manage')
      return handleForm(reply, importView, await importContext(request, {}), async () => {
        const upload = request.upload
        if (!upload) throw new ValidationError([{ field: 'file', messageKey: 'data.list.errors.noFile' }])
        // The list is read whole: it has a row per dataset of the country, not millions.
        if (upload.size > LIST_FILE_LIMIT) throw new ValidationError([{ field: 'file', messageKey: 'data.list.errors.tooLarge', values: { limit: LIST_FILE_LIMIT / 1024 / 1024 } }])
        const text = (await files.read(upload.key)).toString('utf8')
        await files.remove(upload.key)
        const counts = await importList(db, actorOf(request), text).catch((error: unknown) => {
          throw error instanceof ValidationError ? inFile(request, error) : error
        })
        return reply.render(importView, await importContext(request, {}, { imported: counts }))
      })
    })

    // One entry, through the form.
    typed.post('/data/unified-list/entries', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
      authorize(request.user, 'unified-list.manage')
      const body = request.body
      return handleForm(reply, importView, await importContext(request, body), async () => {
        await saveEntry(db, actorOf(request), {
          code: body.code ?? '', agencySlug: body.agencySlug ?? '', title: fromFormFields(body, 'title'),
          frequency: body.frequency ?? '', firstDeadline: body.firstDeadline ?? '', datasetName: body.datasetName || null,
        })
        return reply.redirect(`/${request.lang}/data/unified-list/${body.agencySlug}`, 303)
      })
    })
  })
}
