import { RecordId } from '../../../platform/http/validation.ts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { paginationFor } from '../../../platform/html/pagination.ts'
import { actorOf } from '../../../platform/auth/index.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { localize, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { agencyNames } from '../../agencies/service.ts'
import { agencyOptions } from '../../agencies/options.ts'
import { requestActions } from './actions.ts'
import { REQUEST_STATUSES, answerRequest, createRequest, listRequests, popularDatasets, showRequest, supportRequest, supports, type RequestStatus } from './service.ts'

const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 6000 }), { maxProperties: 20 })
type FormBody = Record<string, string>
const IdParams = Type.Object({ id: RecordId }, { additionalProperties: false })
const SLUG = '^[a-z0-9]+(-[a-z0-9]+)*$'
const ListQuery = Type.Object({
  publisher: Type.Optional(Type.String({ pattern: SLUG, maxLength: 100 })),
  status: Type.Optional(Type.Enum([...REQUEST_STATUSES])),
  sort: Type.Optional(Type.Enum(['supporters', 'newest'])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
}, { additionalProperties: false })
type ListQuery = Static<typeof ListQuery>

const RequestSchema = Type.Object({
  id: Type.Integer(),
  agency: Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.Record(Type.String(), Type.String()) }),
  title: Type.String(),
  description: Type.String(),
  lang: Type.String(),
  status: Type.Enum([...REQUEST_STATUSES]),
  answer: Type.Union([Type.String(), Type.Null()]),
  plannedFor: Type.Union([Type.String(), Type.Null()]),
  dataset: Type.Union([Type.Object({ name: Type.String(), title: Type.Record(Type.String(), Type.String()) }), Type.Null()]),
  answeredAt: Type.Union([Type.String(), Type.Null()]),
  supporters: Type.Integer(),
  createdAt: Type.String(),
})

/** Requests for datasets (ask, support, answer), and the most wanted datasets. */
export async function requestPages(app: FastifyInstance, db: Db): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  api.get('/api/data/requests', {
    schema: {
      tags: ['Open data'], summary: 'Requests for datasets, with their answers', querystring: ListQuery,
      response: { 200: Type.Object({ items: Type.Array(RequestSchema), total: Type.Integer() }) },
    },
  }, async (request) => listRequests(db, { agencySlug: request.query.publisher, status: request.query.status, sort: request.query.sort, page: request.query.page }))

  api.get('/api/data/popular', {
    schema: {
      tags: ['Open data'], summary: 'The most wanted datasets over the last 30 days (views, downloads and API calls)',
      querystring: Type.Object({ publisher: Type.Optional(Type.String({ pattern: SLUG, maxLength: 100 })) }, { additionalProperties: false }),
    },
  }, async (request) => popularDatasets(db, { agencySlug: request.query.publisher, limit: 20 }))

  await registerPages(app, async (pages) => {
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const crumbs = (request: FastifyRequest, extra: { text: string; href: string }[] = []) => [
      { text: request.t('platform.home'), href: `/${request.lang}/` },
      { text: request.t('data.catalog.title'), href: `/${request.lang}/data` },
      ...extra,
    ]
    const requestsCrumb = (request: FastifyRequest) => ({ text: request.t('data.requests.title'), href: `/${request.lang}/data/requests` })

    typed.get('/data/popular', {
      schema: { hide: true, querystring: Type.Object({ publisher: Type.Optional(Type.String({ pattern: SLUG, maxLength: 100 })) }, { additionalProperties: false }) },
    }, async (request, reply) => {
      return reply.render('data/requests/views/popular.njk', {
        title: request.t('data.popular.title'),
        breadcrumbs: crumbs(request),
        publisher: request.query.publisher ?? '',
        agencies: agencyOptions(request, await agencyNames(db, request.lang), request.query.publisher, request.t('data.popular.everyBody')),
        rows: await popularDatasets(db, { agencySlug: request.query.publisher, limit: 20 }),
      })
    })

    typed.get('/data/requests', { schema: { hide: true, querystring: ListQuery } }, async (request, reply) => {
      const { lang, t } = request
      const query = request.query as ListQuery
      const page = query.page ?? 1
      const result = await listRequests(db, { agencySlug: query.publisher, status: query.status, sort: query.sort, page })
      const pages = Math.max(1, Math.ceil(result.total / 20))
      return reply.render('data/requests/views/requests.njk', {
        title: t('data.requests.title'),
        breadcrumbs: crumbs(request),
        query,
        result,
        agencies: agencyOptions(request, await agencyNames(db, lang), query.publisher, t('data.popular.everyBody')),
        statuses: [{ value: '', text: t('data.requests.anyStatus') }, ...REQUEST_STATUSES.map((s) => ({ value: s, text: t(`data.requests.status.${s}`), selected: query.status === s }))],
        sorts: (['supporters', 'newest'] as const).map((s) => ({ value: s, text: t(`data.requests.sort.${s}`), selected: (query.sort ?? 'supporters') === s })),
        pagination: paginationFor(request, `/${lang}/data/requests`, query, page, pages),
        pages,
      })
    })

    const newView = 'data/requests/views/request-new.njk'
    const newContext = async (request: FastifyRequest, values: FormBody) => ({
      title: request.t('data.requests.newTitle'),
      breadcrumbs: crumbs(request, [requestsCrumb(request)]),
      values,
      agencies: agencyOptions(request, await agencyNames(db, request.lang), values.agencySlug, request.t('data.edit.choosePublisher')),
    })

    typed.get('/data/requests/new', { schema: { hide: true } }, async (request, reply) => {
      authorize(request.user, 'data-request.create')
      return reply.render(newView, await newContext(request, {}))
    })

    typed.post('/data/requests/new', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
      const user = authorize(request.user, 'data-request.create')
      const body = request.body
      return handleForm(reply, newView, await newContext(request, body), async () => {
        const id = await createRequest(db, { ...actorOf(request), id: user.id }, {
          agencySlug: body.agencySlug ?? '', title: body.title ?? '', description: body.description ?? '', lang: request.lang,
        })
        return reply.redirect(`/${request.lang}/data/requests/${id}`, 303)
      })
    })

    const showView = 'data/requests/views/request.njk'
    const showContext = async (request: FastifyRequest, id: number, values: FormBody = {}) => {
      const found = await showRequest(db, id)
      const actions = requestActions.available(request.user, { agencyId: found.agency.id, status: found.status })
      const datasets = actions.answer
        ? await db.query<{ name: string; title: MultilingualText }>(`select name, title from datasets where agency_id = $1 and state = 'active' and not private order by name`, [found.agency.id])
        : []
      return {
        title: found.title,
        breadcrumbs: crumbs(request, [requestsCrumb(request)]),
        item: found,
        supported: request.user ? await supports(db, request.user.id, id) : false,
        actions,
        values,
        answerStatuses: (['planned', 'published', 'refused'] as RequestStatus[]).map((s) => ({ value: s, text: request.t(`data.requests.answerAs.${s}`), checked: values.status === s })),
        datasets: [{ value: '', text: request.t('data.list.noDataset') }, ...datasets.map((d) => ({ value: d.name, text: localize(d.title, request.lang)?.text ?? d.name, selected: values.datasetName === d.name }))],
      }
    }

    typed.get('/data/requests/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      return reply.render(showView, await showContext(request, request.params.id))
    })

    typed.post('/data/requests/:id/support', { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
      await supportRequest(db, request.user, request.params.id)
      return reply.redirect(`/${request.lang}/data/requests/${request.params.id}`, 303)
    })

    typed.post('/data/requests/:id/answer', { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
      const found = await showRequest(db, request.params.id)
      // Refused before the form is read: another body's editor sees no form of theirs to correct.
      requestActions.require(request.user, 'answer', { agencyId: found.agency.id, status: found.status })
      const body = request.body
      return handleForm(reply, showView, await showContext(request, request.params.id, body), async () => {
        await answerRequest(db, request.user, request.params.id, {
          status: body.status as 'planned', answer: body.answer, plannedFor: body.plannedFor, datasetName: body.datasetName,
        })
        return reply.redirect(`/${request.lang}/data/requests/${request.params.id}`, 303)
      })
    })
  })
}
