import { flushDemand } from '../demand/service.ts'
import type { Db, Queryable } from '../../../platform/db/index.ts'
import { isIsoDate } from '../../../platform/http/validation.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/index.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { transition } from '../../../platform/states/index.ts'
import type { Lang } from '../../../platform/i18n/index.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { agencyIdBySlug } from '../../agencies/service.ts'
import { PUBLIC_DATASET } from '../catalog/visibility.ts'

import { REQUEST_STATUSES, type RequestStatus } from './states.ts'
import { requestActions } from './actions.ts'
import type { User } from '../../../platform/auth/roles.ts'

export { REQUEST_STATUSES, REQUEST_STATUS_COLOURS, type RequestStatus } from './states.ts'

export interface DataRequest {
  id: number
  agency: { id: number; slug: string; name: MultilingualText }
  title: string
  description: string
  /** The language the request was written in. */
  lang: Lang
  status: RequestStatus
  answer: string | null
  plannedFor: string | null
  dataset: { name: string; title: MultilingualText } | null
  answeredAt: string | null
  supporters: number
  createdAt: string
}

interface RequestRow {
  id: number; agency_id: number; agency_slug: string; agency_name: MultilingualText; title: string; description: string; lang: Lang
  status: RequestStatus; answer: string | null; planned_for: string | null; dataset_name: string | null; dataset_title: MultilingualText | null
  answered_at: Date | string | null; supporters: number; created_at: Date | string
}

const SELECT = `
  select r.id, r.agency_id, a.slug as agency_slug, a.name as agency_name, r.title, r.description, r.lang, r.status, r.answer,
         to_char(r.planned_for, 'YYYY-MM-DD') as planned_for, d.name as dataset_name, d.title as dataset_title,
         r.answered_at, r.supporters, r.created_at
  from data_requests r join agencies a on a.id = r.agency_id left join datasets d on d.id = r.dataset_id`

function toRequest(row: RequestRow): DataRequest {
  return {
    id: row.id,
    agency: { id: row.agency_id, slug: row.agency_slug, name: row.agency_name },
    title: row.title,
    description: row.description,
    lang: row.lang,
    status: row.status,
    answer: row.answer,
    plannedFor: row.planned_for,
    dataset: row.dataset_name ? { name: row.dataset_name, title: row.dataset_title ?? {} } : null,
    answeredAt: row.answered_at ? new Date(row.answered_at).toISOString() : null,
    supporters: row.supporters,
    createdAt: new Date(row.created_at).toISOString(),
  }
}

export interface RequestFilter {
  agencySlug?: string
  status?: RequestStatus
  sort?: 'supporters' | 'newest'
  page?: number
  perPage?: number
}

/** Requests, most supported (or newest) first, paged. */
export async function listRequests(db: Queryable, filter: RequestFilter = {}): Promise<{ items: DataRequest[]; total: number }> {
  const perPage = filter.perPage ?? 20
  const offset = ((filter.page ?? 1) - 1) * perPage
  const order = filter.sort === 'newest' ? 'r.created_at desc, r.id desc' : 'r.supporters desc, r.created_at desc, r.id desc'
  const rows = await db.query<RequestRow & { total: number }>(
    `select * from (${SELECT.replace('select r.id,', 'select count(*) over ()::int as total, r.id,')}
       where ($1::text is null or a.slug = $1) and ($2::text is null or r.status = $2) order by ${order} limit $3 offset $4) q`,
    [filter.agencySlug ?? null, filter.status ?? null, perPage, offset],
  )
  return { items: rows.map(toRequest), total: rows[0]?.total ?? 0 }
}

export async function showRequest(db: Queryable, id: number): Promise<DataRequest> {
  const [row] = await db.query<RequestRow>(`${SELECT} where r.id = $1`, [id])
  if (!row) throw new NotFound('data-request', String(id))
  return toRequest(row)
}

export interface NewRequest {
  agencySlug: string
  title: string
  description: string
  lang: Lang
}

/** A citizen's request; its author is its first supporter. */
export async function createRequest(db: Db, actor: Actor & { id: number }, request: NewRequest): Promise<number> {
  const title = request.title.trim()
  const description = request.description.trim()
  const problems: FieldError[] = []
  if (!title) problems.push({ field: 'title', messageKey: 'data.requests.errors.titleRequired' })
  if (title.length > 200) problems.push({ field: 'title', messageKey: 'platform.validation.maxLength', values: { limit: 200 } })
  if (description.length > 5000) problems.push({ field: 'description', messageKey: 'platform.validation.maxLength', values: { limit: 5000 } })
  const agencyId = await agencyIdBySlug(db, request.agencySlug)
  if (agencyId === undefined) problems.push({ field: 'agencySlug', messageKey: 'data.edit.choosePublisher' })
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `insert into data_requests (agency_id, title, description, lang, author_id, supporters) values ($1, $2, $3, $4, $5, 1) returning id`,
      [agencyId!, title, description, request.lang, actor.id],
    )
    await tx.query('insert into data_request_supports (request_id, user_id) values ($1, $2)', [row!.id, actor.id])
    await recordChange(tx, actor, { action: 'data-request.create', entity: 'data-request', entityId: String(row!.id), before: null, after: { agencySlug: request.agencySlug, title, description } })
    return row!.id
  })
}

/** Adds one account's support; supporting twice changes nothing. Returns the number of supporters. */
export async function supportRequest(db: Db, user: User | null, id: number): Promise<number> {
  return db.transaction(async (tx) => {
    const [request] = await tx.query<{ supporters: number; agency_id: number; status: RequestStatus }>('select supporters, agency_id, status from data_requests where id = $1 for update', [id])
    if (!request) throw new NotFound('data-request', String(id))
    const userId = requestActions.require(user, 'support', { agencyId: request.agency_id, status: request.status }).id
    const added = await tx.query('insert into data_request_supports (request_id, user_id) values ($1, $2) on conflict do nothing returning user_id', [id, userId])
    if (added.length === 0) return request.supporters
    const [row] = await tx.query<{ supporters: number }>('update data_requests set supporters = supporters + 1 where id = $1 returning supporters', [id])
    return row!.supporters
  })
}

/** Whether this account supports the request already. */
export async function supports(db: Queryable, userId: number, id: number): Promise<boolean> {
  return (await db.query('select 1 from data_request_supports where request_id = $1 and user_id = $2', [id, userId])).length > 0
}

export interface Answer {
  status: Exclude<RequestStatus, 'open'>
  answer?: string
  plannedFor?: string
  datasetName?: string
}

/** The body's answer: planned (with a date), published (with one of its datasets) or refused (with a reason). */
export async function answerRequest(db: Db, user: User | null, id: number, answer: Answer, now: Date = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const [request] = await tx.query<{ agency_id: number; status: RequestStatus; answer: string | null }>('select agency_id, status, answer from data_requests where id = $1 for update', [id])
    if (!request) throw new NotFound('data-request', String(id))
    const answerer = requestActions.require(user, 'answer', { agencyId: request.agency_id, status: request.status })
    const actor: Actor = { id: answerer.id, email: answerer.email }
    const text = answer.answer?.trim() || null
    const problems: FieldError[] = []
    if (!['planned', 'published', 'refused'].includes(answer.status)) problems.push({ field: 'status', messageKey: 'data.requests.errors.status' })
    if ((text?.length ?? 0) > 5000) problems.push({ field: 'answer', messageKey: 'platform.validation.maxLength', values: { limit: 5000 } })
    let plannedFor: string | null = null
    let datasetId: string | null = null
    if (answer.status === 'planned') {
      plannedFor = answer.plannedFor?.trim() ?? ''
      if (!isIsoDate(plannedFor)) problems.push({ field: 'plannedFor', messageKey: 'data.errors.date' })
      else if (plannedFor < now.toISOString().slice(0, 10)) problems.push({ field: 'plannedFor', messageKey: 'data.requests.errors.pastDate' })
    }
    if (answer.status === 'published') {
      const [dataset] = await tx.query<{ id: string; agency_id: number }>(`select id, agency_id from datasets where name = $1 and state = 'active' and not private`, [answer.datasetName?.trim() ?? ''])
      if (!dataset) problems.push({ field: 'datasetName', messageKey: 'data.list.errors.datasetUnknown' })
      else if (dataset.agency_id !== request.agency_id) problems.push({ field: 'datasetName', messageKey: 'data.list.errors.datasetOfOtherBody' })
      else datasetId = dataset.id
    }
    if (answer.status === 'refused' && !text) problems.push({ field: 'answer', messageKey: 'data.requests.errors.reasonRequired' })
    if (problems.length > 0) throw new ValidationError(problems)
    // An answer may be given again (a plan kept or changed): every state leads to the answer's.
    await transition<RequestStatus>(tx, {
      table: 'data_requests', id, from: REQUEST_STATUSES, to: answer.status,
      set: { answer: text, planned_for: plannedFor, dataset_id: datasetId, answered_by: actor.id, answered_at: now },
      audit: { actor, action: 'data-request.answer', entity: 'data-request', before: { answer: request.answer }, after: { answer: text, plannedFor, datasetName: answer.datasetName ?? null } },
      labelKey: (state) => `data.requests.status.${state}`, href: `/data/requests/${id}`,
    })
  })
}

/** The most wanted datasets over the last `days` days: views, downloads and API calls together. */
export async function popularDatasets(db: Queryable, filter: { agencySlug?: string; days?: number; limit?: number } = {}, now: Date = new Date()) {
  const since = new Date(now.getTime() - (filter.days ?? 30) * 24 * 60 * 60 * 1000).toISOString().slice(0, 10)
  await flushDemand(db)
  return db.query<{ name: string; title: MultilingualText; agency_slug: string; agency_name: MultilingualText; views: number; downloads: number; api_calls: number }>(
    `select d.name, d.title, a.slug as agency_slug, a.name as agency_name,
            sum(s.views)::int as views, sum(s.downloads)::int as downloads, sum(s.api_calls)::int as api_calls
     from data_daily_stats s join datasets d on d.id = s.dataset_id and ${PUBLIC_DATASET} join agencies a on a.id = d.agency_id
     where s.day >= $1 and ($2::text is null or a.slug = $2)
     group by d.id, a.id
     order by sum(s.views + s.downloads + s.api_calls) desc, d.name
     limit $3`,
    [since, filter.agencySlug ?? null, filter.limit ?? 10],
  )
}
