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
import { historyOf } from '../../../platform/audit/index.ts'
import { ValidationError } from '../../../platform/http/index.ts'
import { fromFormFields, localize, toFormFields, type MultilingualList, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { agencyIdBySlug, agencyNames, listRegions } from '../../agencies/service.ts'
import { agencyOptions } from '../../agencies/options.ts'
import { createDataset, deleteDataset, findDataset, loadDatasetFields, updateDataset, type DatasetFields } from './dataset.ts'
import { addResource } from './resource.ts'
import { FREQUENCIES, listLicences, listThemes, type Frequency } from '../catalog/vocabularies.ts'

const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 12_000 }), { maxProperties: 40 })
type FormBody = Record<string, string>
const NameParams = Type.Object({ name: Type.String({ pattern: '^[a-z0-9_-]{2,100}$' }) }, { additionalProperties: false })

/** Keywords from the form's comma-separated "keywords.kk", "keywords.ru" and "keywords.en". */
function keywordsFromForm(body: FormBody): MultilingualList {
  return Object.fromEntries(Object.entries(fromFormFields(body, 'keywords')).map(([lang, list]) => [lang, (list ?? '').split(',').map((k) => k.trim()).filter(Boolean)]))
}

function fromForm(body: FormBody): DatasetFields {
  const text = (group: string) => fromFormFields(body, group)
  return {
    name: body.name ?? '',
    agencySlug: body.agencySlug ?? '',
    title: text('title'),
    description: text('description'),
    themeCode: body.themeCode,
    keywords: keywordsFromForm(body),
    licenceId: body.licenceId ?? '',
    frequency: body.frequency as Frequency,
    temporalStart: body.temporalStart,
    temporalEnd: body.temporalEnd,
    regionCode: body.regionCode,
    contactName: text('contactName'),
    contactEmail: body.contactEmail,
  }
}

function toForm(fields: DatasetFields): FormBody {
  const values: FormBody = {
    name: fields.name, agencySlug: fields.agencySlug, themeCode: fields.themeCode ?? '',
    licenceId: fields.licenceId, frequency: fields.frequency, temporalStart: fields.temporalStart ?? '', temporalEnd: fields.temporalEnd ?? '',
    regionCode: fields.regionCode ?? '', contactEmail: fields.contactEmail ?? '',
  }
  for (const group of ['title', 'description', 'contactName'] as const) Object.assign(values, toFormFields(group, fields[group]))
  const keywords: MultilingualText = Object.fromEntries(Object.entries(fields.keywords ?? {}).map(([lang, list]) => [lang, (list ?? []).join(', ')]))
  Object.assign(values, toFormFields('keywords', keywords))
  return values
}

/** The bodies this user may publish for: their own (administrators: all). */
async function publishers(db: Db, request: FastifyRequest) {
  return (await agencyNames(db, request.lang)).filter((a) => can(request.user, 'dataset.create', { agencyId: a.id }))
}

async function formContext(db: Db, request: FastifyRequest, values: FormBody, extra: Record<string, unknown>) {
  const { lang, t } = request
  const option = (value: string, text: string, selected: string | undefined) => ({ value, text, selected: selected === value })
  const [bodies, themes, licences, regions] = await Promise.all([publishers(db, request), listThemes(db), listLicences(db), listRegions(db, lang)])
  return {
    values,
    publishers: agencyOptions(request, bodies, values.agencySlug),
    themes: [option('', t('data.edit.noTheme'), values.themeCode), ...themes.map((th) => option(th.code, localize(th.name, lang)?.text ?? th.code, values.themeCode))],
    licences: licences.map((l) => option(l.id, localize(l.title, lang)?.text ?? l.id, values.licenceId)),
    frequencies: FREQUENCIES.map((f) => ({ value: f, text: t(`data.frequency.${f}`), checked: values.frequency === f })),
    regions: [option('', t('data.edit.noRegion'), values.regionCode), ...regions.map((r) => option(r.code, localize(r.name, lang)?.text ?? r.code, values.regionCode))],
    ...extra,
  }
}

// The order the form shows fields in, which the history follows.
const FIELD_ORDER = ['name', 'agencySlug', 'title', 'description', 'themeCode', 'keywords', 'licenceId', 'frequency', 'temporalStart', 'temporalEnd', 'regionCode', 'contactName', 'contactEmail']
const RESOURCE_FIELDS = ['name', 'description', 'url', 'fileName', 'format', 'size', 'checksum', 'lastModified']

function changed(order: string[], before: unknown, after: unknown): string[] {
  const a = (before ?? {}) as Record<string, unknown>
  const b = (after ?? {}) as Record<string, unknown>
  return order.filter((key) => JSON.stringify(a[key] ?? null) !== JSON.stringify(b[key] ?? null))
}

/** Publishing pages: a dataset's form (new and edit), adding a file or link, withdrawing, and its history. */
export async function dataEditPages(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  await registerPages(app, async (pages) => {
    // Files come only from those who publish for some body; which body is checked with the form.
    await acceptUploads(pages, files, { field: 'file', mayUpload: (request) => can(request.user, 'dataset.publish') })
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const view = 'data/publishing/views/edit.njk'
    const crumbs = (request: FastifyRequest) => [
      { text: request.t('platform.home'), href: `/${request.lang}/` },
      { text: request.t('data.catalog.title'), href: `/${request.lang}/data` },
    ]

    const newContext = async (request: FastifyRequest, values: FormBody) =>
      formContext(db, request, values, { title: request.t('data.edit.newTitle'), isNew: true, action: `/${request.lang}/data/datasets/new`, breadcrumbs: crumbs(request) })

    typed.get('/data/datasets/new', { schema: { hide: true } }, async (request, reply) => {
      const user = authorize(request.user, 'dataset.publish')
      const bodies = await publishers(db, request)
      return reply.render(view, await newContext(request, { agencySlug: bodies.length === 1 ? bodies[0]!.slug : '', licenceId: 'cc-by', frequency: 'annual', contactEmail: user.email }))
    })

    typed.post('/data/datasets/new', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
      const body = request.body
      const agencyId = await agencyIdBySlug(db, body.agencySlug ?? '')
      if (agencyId === undefined) authorize(request.user, 'dataset.publish')
      else authorize(request.user, 'dataset.create', { agencyId })
      return handleForm(reply, view, await newContext(request, body), async () => {
        if (agencyId === undefined) throw new ValidationError([{ field: 'agencySlug', messageKey: 'data.edit.choosePublisher' }])
        await createDataset(db, actorOf(request), fromForm(body))
        return reply.redirect(`/${request.lang}/data/datasets/${body.name}`, 303)
      })
    })

    const editContext = async (request: FastifyRequest, name: string, values: FormBody) => {
      const fields = await loadDatasetFields(db, (await findDataset(db, name)).id)
      const title = localize(fields.title, request.lang)?.text ?? name
      return formContext(db, request, values, {
        title: request.t('data.edit.editTitle', { title }), isNew: false, action: `/${request.lang}/data/datasets/${name}/edit`, datasetName: name,
        breadcrumbs: [...crumbs(request), { text: title, href: `/${request.lang}/data/datasets/${name}` }],
      })
    }

    typed.get('/data/datasets/:name/edit', { schema: { hide: true, params: NameParams } }, async (request, reply) => {
      const { id, agencyId } = await findDataset(db, request.params.name)
      authorize(request.user, 'dataset.update', { agencyId })
      return reply.render(view, await editContext(request, request.params.name, toForm(await loadDatasetFields(db, id))))
    })

    typed.post('/data/datasets/:name/edit', { schema: { hide: true, params: NameParams, body: FormBody } }, async (request, reply) => {
      const { id, agencyId } = await findDataset(db, request.params.name)
      authorize(request.user, 'dataset.update', { agencyId })
      const fields = fromForm(request.body)
      return handleForm(reply, view, await editContext(request, request.params.name, request.body), async () => {
        const target = await agencyIdBySlug(db, fields.agencySlug)
        if (target !== undefined && target !== agencyId) authorize(request.user, 'dataset.create', { agencyId: target })
        await updateDataset(db, actorOf(request), id, fields)
        return reply.redirect(`/${request.lang}/data/datasets/${fields.name}`, 303)
      })
    })

    const resourceView = 'data/publishing/views/resource-new.njk'
    const resourceContext = async (request: FastifyRequest, name: string, values: FormBody) => {
      const fields = await loadDatasetFields(db, (await findDataset(db, name)).id)
      const title = localize(fields.title, request.lang)?.text ?? name
      return {
        title: request.t('data.edit.resourceTitle'), caption: title, values, datasetName: name,
        action: `/${request.lang}/data/datasets/${name}/resources/new`,
        breadcrumbs: [...crumbs(request), { text: title, href: `/${request.lang}/data/datasets/${name}` }],
      }
    }

    typed.get('/data/datasets/:name/resources/new', { schema: { hide: true, params: NameParams } }, async (request, reply) => {
      const { agencyId } = await findDataset(db, request.params.name)
      authorize(request.user, 'dataset.update', { agencyId })
      return reply.render(resourceView, await resourceContext(request, request.params.name, {}))
    })

    typed.post('/data/datasets/:name/resources/new', { schema: { hide: true, params: NameParams, body: FormBody } }, async (request, reply) => {
      const { id, agencyId } = await findDataset(db, request.params.name)
      authorize(request.user, 'dataset.update', { agencyId })
      const body = request.body
      return handleForm(reply, resourceView, await resourceContext(request, request.params.name, body), async () => {
        if (!request.upload && !body.url?.trim()) throw new ValidationError([{ field: 'url', messageKey: 'data.errors.urlOrUpload' }])
        const name = fromFormFields(body, 'name')
        await addResource(db, actorOf(request), id, { name, url: request.upload ? undefined : body.url, format: body.format, sheet: body.sheet }, request.upload)
        return reply.redirect(`/${request.lang}/data/datasets/${request.params.name}`, 303)
      })
    })

    typed.get('/data/datasets/:name/delete', { schema: { hide: true, params: NameParams } }, async (request, reply) => {
      const { id, agencyId } = await findDataset(db, request.params.name)
      authorize(request.user, 'dataset.delete', { agencyId })
      const fields = await loadDatasetFields(db, id)
      const title = localize(fields.title, request.lang)?.text ?? request.params.name
      return reply.render('data/publishing/views/delete.njk', {
        title: request.t('data.edit.deleteTitle', { title }), datasetName: request.params.name,
        breadcrumbs: [...crumbs(request), { text: title, href: `/${request.lang}/data/datasets/${request.params.name}` }],
      })
    })

    typed.post('/data/datasets/:name/delete', { schema: { hide: true, params: NameParams, body: FormBody } }, async (request, reply) => {
      const { id, agencyId } = await findDataset(db, request.params.name)
      authorize(request.user, 'dataset.delete', { agencyId })
      await deleteDataset(db, actorOf(request), id)
      return reply.redirect(`/${request.lang}/data`, 303)
    })

    typed.get('/data/datasets/:name/history', { schema: { hide: true, params: NameParams } }, async (request, reply) => {
      const { lang, t } = request
      const { id } = await findDataset(db, request.params.name)
      const fields = await loadDatasetFields(db, id)
      const title = localize(fields.title, lang)?.text ?? request.params.name
      const entries = (await historyOf(db, 'dataset', id)).map((entry) => {
        const isResource = entry.action.startsWith('resource.')
        const record = (entry.after ?? entry.before) as { name?: MultilingualText } | null
        return {
          ...entry,
          subject: isResource ? localize(record?.name, lang)?.text ?? '' : '',
          changed: entry.action.endsWith('.update')
            ? changed(isResource ? RESOURCE_FIELDS : FIELD_ORDER, entry.before, entry.after).map((f) => t(`data.history.fields.${isResource ? 'resource.' : ''}${f}`))
            : [],
        }
      })
      return reply.render('data/publishing/views/history.njk', {
        title: t('data.history.title'), caption: title, entries,
        breadcrumbs: [...crumbs(request), { text: title, href: `/${lang}/data/datasets/${request.params.name}` }],
      })
    })
  })
}
