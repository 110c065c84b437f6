import type { Db, Queryable, SqlValue } from '../../../platform/db/index.ts'
import { escapeLike } from '../../../platform/db/parameters.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { cleanMultilingual, cleanMultilingualList, type MultilingualList, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { LANGS } from '../../../platform/i18n/index.ts'
import type { Day } from '../../../platform/calendar/days.ts'
import { normalizeSearch } from '../../agencies/service.ts'

/** Where a service is received: the e-government portal (egov.kz), the citizens' service centres, the body itself. */
export const CHANNELS = ['egov', 'service_centre', 'body'] as const
export type Channel = (typeof CHANNELS)[number]
/** Whom a service or a life situation is for. */
export const RECIPIENTS = ['individual', 'business'] as const
export type Recipient = (typeof RECIPIENTS)[number]

/** A service of the register as kept. */
export interface PublicService {
  id: number
  /** 8 digits: the sphere's 3, the life situation's 2, the service's own 3. */
  code: string
  sphereCode: string
  situationCode: string
  agencyId: number
  name: MultilingualText
  description: MultilingualText
  recipients: Recipient[]
  channels: Channel[]
  /** In tenge, as a decimal string; null when the service is free. */
  feeKzt: string | null
  feeNote: MultilingualText
  term: MultilingualText
  documents: MultilingualList
  result: MultilingualText
  legalBasis: MultilingualText
  egovUrl: string | null
  excluded: { on: Day; reason: MultilingualText } | null
  updatedAt: string
}

/** A service as sent to the register (by its CSV or the API); the body named by its slug. */
export interface ServiceInput {
  code: string
  agency: string
  name: MultilingualText
  description?: MultilingualText
  recipients: string[]
  channels: string[]
  feeKzt?: string | null
  feeNote?: MultilingualText
  term: MultilingualText
  documents?: MultilingualList
  result?: MultilingualText
  legalBasis?: MultilingualText
  egovUrl?: string | null
}

export interface ServiceFilter {
  q?: string
  sphere?: string
  /** A life situation's sphere and code, 5 digits. */
  situation?: string
  agencyId?: number
  channel?: Channel
  recipient?: Recipient
  /** Services taken out of the register are left out unless asked for. */
  withExcluded?: boolean
  offset?: number
  limit?: number
}

interface ServiceRow {
  id: string; code: string; sphere_code: string; situation_code: string; agency_id: string; name: MultilingualText; description: MultilingualText
  recipients: Recipient[]; channels: Channel[]; fee_kzt: string | null; fee_note: MultilingualText; term: MultilingualText; documents: MultilingualList
  result: MultilingualText; legal_basis: MultilingualText; egov_url: string | null; excluded_on: string | null; excluded_reason: MultilingualText | null; updated_at: Date | string
}

const SELECT = `select s.id, s.code, s.sphere_code, s.situation_code, s.agency_id, s.name, s.description, s.recipients, s.channels, s.fee_kzt::text as fee_kzt,
  s.fee_note, s.term, s.documents, s.result, s.legal_basis, s.egov_url, s.excluded_on::text as excluded_on, s.excluded_reason, s.updated_at from public_services s`

const toService = (r: ServiceRow): PublicService => ({
  id: Number(r.id), code: r.code, sphereCode: r.sphere_code, situationCode: r.situation_code, agencyId: Number(r.agency_id), name: r.name, description: r.description,
  recipients: r.recipients, channels: r.channels, feeKzt: r.fee_kzt, feeNote: r.fee_note, term: r.term, documents: r.documents, result: r.result, legalBasis: r.legal_basis,
  egovUrl: r.egov_url, excluded: r.excluded_on ? { on: r.excluded_on, reason: r.excluded_reason ?? {} } : null, updatedAt: new Date(r.updated_at).toISOString(),
})

/** The register's services that pass the filter, by code (best match first when searched), and how many there are in all. */
export async function listServices(db: Queryable, filter: ServiceFilter): Promise<{ items: PublicService[]; total: number }> {
  const where: string[] = []
  const params: SqlValue[] = []
  const p = (value: SqlValue) => `$${params.push(value)}`
  let order = 's.code'
  const q = filter.q ? normalizeSearch(filter.q) : ''
  if (/^[0-9]{3,8}$/.test(q)) {
    // Digits are a code or its start: a sphere's 3, a life situation's 5, a service's 8.
    where.push(`s.code like ${p(q)} || '%'`)
  } else if (q) {
    const qp = p(q)
    where.push(`(s.search_text like '%' || ${p(escapeLike(q))} || '%' or ${qp} <% s.search_text)`)
    order = `word_similarity(${qp}, s.search_text) desc, s.code`
  }
  if (filter.sphere) where.push(`s.sphere_code = ${p(filter.sphere)}`)
  if (filter.situation) where.push(`s.sphere_code || s.situation_code = ${p(filter.situation)}`)
  if (filter.agencyId) where.push(`s.agency_id = ${p(filter.agencyId)}`)
  if (filter.channel) where.push(`${p(filter.channel)} = any(s.channels)`)
  if (filter.recipient) where.push(`${p(filter.recipient)} = any(s.recipients)`)
  if (!filter.withExcluded) where.push('s.excluded_on is null')
  const condition = where.length > 0 ? `where ${where.join(' and ')}` : ''
  const [counted] = await db.query<{ total: number }>(`select count(*)::int as total from public_services s ${condition}`, params)
  const total = counted?.total ?? 0
  const rows = await db.query<ServiceRow>(`${SELECT} ${condition} order by ${order} limit ${p(filter.limit ?? 1000)} offset ${p(filter.offset ?? 0)}`, params)
  return { items: rows.map(toService), total }
}

/** One service by its code (also one taken out of the register). */
export async function findService(db: Queryable, code: string): Promise<PublicService> {
  const [row] = /^[0-9]{8}$/.test(code) ? await db.query<ServiceRow>(`${SELECT} where s.code = $1`, [code]) : []
  if (!row) throw new NotFound('public-service', code)
  return toService(row)
}

/** Services by their ids, for a life situation's steps (those taken out of the register too, marked). */
export async function servicesByIds(db: Queryable, ids: readonly number[]): Promise<Map<number, PublicService>> {
  if (ids.length === 0) return new Map()
  const rows = await db.query<ServiceRow>(`${SELECT} where s.id = any($1::bigint[])`, [[...ids]])
  return new Map(rows.map((r) => [Number(r.id), toService(r)]))
}

/** Whether a body provides any service of the register (its site links the list then). */
export async function providesServices(db: Queryable, agencyId: number): Promise<boolean> {
  const rows = await db.query('select 1 from public_services where agency_id = $1 and excluded_on is null limit 1', [agencyId])
  return rows.length > 0
}

const CODE = /^[0-9]{8}$/
const FEE = /^[0-9]{1,12}([.,][0-9]{1,2})?$/

/** What is wrong with a service sent to the register, each problem under its field (prefixed for a CSV's row). */
/** Where a problem is reported: the field, and for a CSV's row its line. */
export interface Where { field: string; values?: Record<string, unknown> }

export function serviceProblems(input: ServiceInput, known: { situations: Set<string>; agencies: Map<string, number> }, at: (name: string) => Where = (field) => ({ field })): FieldError[] {
  const problems: FieldError[] = []
  const problem = (name: string, key: string, values: Record<string, unknown> = {}) => {
    const where = at(name)
    problems.push({ field: where.field, messageKey: `sites.services.errors.${key}`, values: { ...where.values, ...values } })
  }
  if (!CODE.test(input.code)) problem('code', 'code')
  else if (!known.situations.has(input.code.slice(0, 5))) problem('code', 'situation', { situation: input.code.slice(0, 5) })
  if (!known.agencies.has(input.agency)) problem('agency', 'agency', { agency: input.agency })
  const name = cleanMultilingual(input.name)
  for (const lang of ['kk', 'ru'] as const) if (!name[lang]) problem(`name_${lang}`, 'nameRequired')
  for (const lang of LANGS) if ((name[lang]?.length ?? 0) > 500) problem(`name_${lang}`, 'tooLong', { max: 500 })
  const term = cleanMultilingual(input.term)
  if (!term.kk && !term.ru) problem('term_ru', 'termRequired')
  if (input.recipients.length === 0 || input.recipients.some((r) => !(RECIPIENTS as readonly string[]).includes(r))) problem('recipients', 'recipients')
  if (input.channels.length === 0 || input.channels.some((c) => !(CHANNELS as readonly string[]).includes(c))) problem('channels', 'channels')
  if (input.feeKzt && !FEE.test(input.feeKzt)) problem('fee_kzt', 'fee')
  if (input.egovUrl && (!/^https:\/\/[^\s]+$/.test(input.egovUrl) || input.egovUrl.length > 500)) problem('egov_url', 'egovUrl')
  return problems
}

/** The life situations' 5-digit codes and the bodies' slugs a service may name. */
async function knownNames(db: Queryable): Promise<{ situations: Set<string>; agencies: Map<string, number> }> {
  const situations = await db.query<{ code: string }>('select sphere_code || code as code from life_situations')
  const agencies = await db.query<{ id: string; slug: string }>('select id, slug from agencies')
  return { situations: new Set(situations.map((s) => s.code)), agencies: new Map(agencies.map((a) => [a.slug, Number(a.id)])) }
}

/** Services of the register, checked and then kept all at once: each new code added, each known one replaced. Administrators. */
export async function keepServices(db: Db, user: User | null, inputs: readonly ServiceInput[], at?: (index: number, name: string) => Where): Promise<{ added: number; replaced: number }> {
  const actor = authorize(user, 'services.register.keep')
  return keepServicesAs(db, { id: actor.id, email: actor.email }, inputs, at)
}

/** keepServices by whoever was let do it (the system for the demo). Nothing is kept when any service is wrong. */
export async function keepServicesAs(db: Db, actor: Actor, inputs: readonly ServiceInput[], at: (index: number, name: string) => Where = (i, n) => ({ field: `services[${i}].${n}` })): Promise<{ added: number; replaced: number }> {
  const known = await knownNames(db)
  const problems: FieldError[] = []
  const seen = new Map<string, number>()
  inputs.forEach((input, i) => {
    problems.push(...serviceProblems(input, known, (name) => at(i, name)))
    if (seen.has(input.code)) {
      const where = at(i, 'code')
      problems.push({ field: where.field, messageKey: 'sites.services.errors.twice', values: { ...where.values, code: input.code } })
    }
    seen.set(input.code, i)
  })
  if (problems.length > 0) throw new ValidationError(problems.slice(0, 100))
  return db.transaction(async (tx) => {
    let added = 0
    const before = new Map((await tx.query<ServiceRow>(`${SELECT} where s.code = any($1::text[])`, [inputs.map((i) => i.code)])).map((r) => [r.code, toService(r)]))
    for (const input of inputs) {
      const [row] = await tx.query<{ id: string; added: boolean }>(
        `insert into public_services (code, agency_id, name, description, recipients, channels, fee_kzt, fee_note, term, documents, result, legal_basis, egov_url)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         on conflict (code) do update set agency_id = excluded.agency_id, name = excluded.name, description = excluded.description, recipients = excluded.recipients,
           channels = excluded.channels, fee_kzt = excluded.fee_kzt, fee_note = excluded.fee_note, term = excluded.term, documents = excluded.documents,
           result = excluded.result, legal_basis = excluded.legal_basis, egov_url = excluded.egov_url, updated_at = now()
         returning id, (xmax = 0) as added`,
        [input.code, known.agencies.get(input.agency)!, cleanMultilingual(input.name), cleanMultilingual(input.description), [...new Set(input.recipients)], [...new Set(input.channels)],
          input.feeKzt ? input.feeKzt.replace(',', '.') : null, cleanMultilingual(input.feeNote), cleanMultilingual(input.term), cleanMultilingualList(input.documents),
          cleanMultilingual(input.result), cleanMultilingual(input.legalBasis), input.egovUrl || null],
      )
      if (!row) throw new Error(`public service ${input.code} was not kept`)
      if (row.added) added++
      await recordChange(tx, actor, { entity: 'public-service', entityId: row.id, action: row.added ? 'create' : 'update', before: before.get(input.code) ?? null, after: input })
    }
    return { added, replaced: inputs.length - added }
  })
}

/** Takes a service out of the register with a public reason: its page stays, marked (administrators). */
export async function excludeService(db: Db, user: User | null, code: string, on: Day, reason: MultilingualText): Promise<PublicService> {
  const actor = authorize(user, 'services.register.keep')
  const kept = cleanMultilingual(reason)
  if (!kept.kk && !kept.ru) throw new ValidationError([{ field: 'reason', messageKey: 'sites.services.errors.reasonRequired' }])
  const current = await findService(db, code)
  if (current.excluded) throw new ValidationError([{ field: 'code', messageKey: 'sites.services.errors.alreadyExcluded', values: { code } }])
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>('update public_services set excluded_on = $2, excluded_reason = $3, updated_at = now() where code = $1 and excluded_on is null returning id', [code, on, kept])
    if (!row) throw new NotFound('public-service', code)
    await recordChange(tx, { id: actor.id, email: actor.email }, { entity: 'public-service', entityId: row.id, action: 'exclude', before: null, after: { on, reason: kept } })
    return findService(tx, code)
  })
}

