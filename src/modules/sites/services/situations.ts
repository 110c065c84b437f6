import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { cleanMultilingual, cleanMultilingualList, type MultilingualList, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { RECIPIENTS, type Recipient } from './register.ts'

/** A sphere of the register (health, family, business…): the first 3 digits of its services' codes. */
export interface Sphere {
  code: string
  name: MultilingualText
}

/** One step of a life situation's guide. */
export interface SituationStep {
  position: number
  title: MultilingualText
  body: MultilingualText
  serviceIds: number[]
  agencyIds: number[]
  documents: MultilingualList
}

/** A life situation: a group of the register (its sphere's code and its own 2 digits) and a step-by-step guide. */
export interface LifeSituation {
  id: number
  slug: string
  sphereCode: string
  code: string
  audience: Recipient
  title: MultilingualText
  summary: MultilingualText
  updatedAt: string
}

export interface SituationInput {
  sphere: string
  code: string
  audience: string
  title: MultilingualText
  summary?: MultilingualText
  steps?: Array<{ title: MultilingualText; body?: MultilingualText; services?: string[]; agencies?: string[]; documents?: MultilingualList }>
}

interface SituationRow { id: string; slug: string; sphere_code: string; code: string; audience: Recipient; title: MultilingualText; summary: MultilingualText; updated_at: Date | string }
const SELECT = 'select id, slug, sphere_code, code, audience, title, summary, updated_at from life_situations'
const toSituation = (r: SituationRow): LifeSituation => ({
  id: Number(r.id), slug: r.slug, sphereCode: r.sphere_code, code: r.code, audience: r.audience, title: r.title, summary: r.summary, updatedAt: new Date(r.updated_at).toISOString(),
})

/** Every sphere of the register, by code. */
export async function listSpheres(db: Queryable): Promise<Sphere[]> {
  return db.query<Sphere>('select code, name from service_spheres order by code')
}

/** Every life situation, by sphere and code, with how many services of the register it groups. */
export async function listSituations(db: Queryable, audience?: Recipient): Promise<Array<LifeSituation & { services: number }>> {
  const rows = await db.query<SituationRow & { services: number }>(
    `select l.id, l.slug, l.sphere_code, l.code, l.audience, l.title, l.summary, l.updated_at,
       (select count(*)::int from public_services s where s.sphere_code = l.sphere_code and s.situation_code = l.code and s.excluded_on is null) as services
     from life_situations l where $1::text is null or l.audience = $1 order by l.sphere_code, l.code`,
    [audience ?? null],
  )
  return rows.map((r) => ({ ...toSituation(r), services: r.services }))
}

/** A life situation by its address, with its guide's steps in order. */
export async function findSituation(db: Queryable, slug: string): Promise<LifeSituation & { steps: SituationStep[] }> {
  const [row] = await db.query<SituationRow>(`${SELECT} where slug = $1`, [slug])
  if (!row) throw new NotFound('life-situation', slug)
  const steps = await db.query<{ position: number; title: MultilingualText; body: MultilingualText; service_ids: string[]; agency_ids: string[]; documents: MultilingualList }>(
    'select position, title, body, service_ids, agency_ids, documents from life_situation_steps where situation_id = $1 order by position', [row.id],
  )
  return {
    ...toSituation(row),
    steps: steps.map((s) => ({ position: s.position, title: s.title, body: s.body, serviceIds: s.service_ids.map(Number), agencyIds: s.agency_ids.map(Number), documents: s.documents })),
  }
}

/** Every life situation with its steps, for the CPSV-AP export. */
export async function allSituations(db: Queryable): Promise<Array<LifeSituation & { steps: SituationStep[] }>> {
  const situations = await db.query<SituationRow>(`${SELECT} order by sphere_code, code`)
  return Promise.all(situations.map((s) => findSituation(db, s.slug)))
}

/** Keeps a sphere of the register, its name replaced when it is known (administrators). */
export async function keepSphere(db: Db, user: User | null, code: string, name: MultilingualText): Promise<void> {
  const actor = authorize(user, 'services.register.keep')
  return keepSphereAs(db, { id: actor.id, email: actor.email }, code, name)
}

export async function keepSphereAs(db: Db, actor: Actor, code: string, name: MultilingualText): Promise<void> {
  const kept = cleanMultilingual(name)
  const problems: FieldError[] = []
  if (!/^[0-9]{3}$/.test(code)) problems.push({ field: 'code', messageKey: 'sites.services.errors.sphereCode' })
  for (const lang of ['kk', 'ru'] as const) if (!kept[lang]) problems.push({ field: `name.${lang}`, messageKey: 'sites.services.errors.nameRequired' })
  if (problems.length > 0) throw new ValidationError(problems)
  await db.transaction(async (tx) => {
    await tx.query('insert into service_spheres (code, name) values ($1, $2) on conflict (code) do update set name = excluded.name', [code, kept])
    await recordChange(tx, actor, { entity: 'service-sphere', entityId: code, action: 'keep', before: null, after: kept })
  })
}

/** Keeps a life situation at its address with its guide (administrators): its steps are replaced by those sent. */
export async function keepSituation(db: Db, user: User | null, slug: string, input: SituationInput): Promise<LifeSituation & { steps: SituationStep[] }> {
  const actor = authorize(user, 'services.register.keep')
  return keepSituationAs(db, { id: actor.id, email: actor.email }, slug, input)
}

export async function keepSituationAs(db: Db, actor: Actor, slug: string, input: SituationInput): Promise<LifeSituation & { steps: SituationStep[] }> {
  const problems: FieldError[] = []
  const problem = (field: string, key: string, values: Record<string, unknown> = {}) => problems.push({ field, messageKey: `sites.services.errors.${key}`, values })
  if (!/^[a-z0-9-]{2,100}$/.test(slug)) problem('slug', 'slug')
  if (!/^[0-9]{3}$/.test(input.sphere)) problem('sphere', 'sphereCode')
  else if ((await db.query('select 1 from service_spheres where code = $1', [input.sphere])).length === 0) problem('sphere', 'noSphere', { sphere: input.sphere })
  if (!/^[0-9]{2}$/.test(input.code)) problem('code', 'situationCode')
  if (!(RECIPIENTS as readonly string[]).includes(input.audience)) problem('audience', 'recipients')
  const title = cleanMultilingual(input.title)
  for (const lang of ['kk', 'ru'] as const) if (!title[lang]) problem(`title.${lang}`, 'nameRequired')
  const steps = input.steps ?? []
  const codes = [...new Set(steps.flatMap((s) => s.services ?? []))]
  const slugs = [...new Set(steps.flatMap((s) => s.agencies ?? []))]
  const serviceIds = new Map((await db.query<{ id: string; code: string }>('select id, code from public_services where code = any($1::text[])', [codes])).map((r) => [r.code, Number(r.id)]))
  const agencyIds = new Map((await db.query<{ id: string; slug: string }>('select id, slug from agencies where slug = any($1::text[])', [slugs])).map((r) => [r.slug, Number(r.id)]))
  steps.forEach((step, i) => {
    const stepTitle = cleanMultilingual(step.title)
    if (!stepTitle.kk && !stepTitle.ru) problem(`steps[${i}].title`, 'nameRequired')
    for (const code of step.services ?? []) if (!serviceIds.has(code)) problem(`steps[${i}].services`, 'noService', { code })
    for (const agency of step.agencies ?? []) if (!agencyIds.has(agency)) problem(`steps[${i}].agencies`, 'agency', { agency })
  })
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    const [clash] = await tx.query<{ slug: string }>('select slug from life_situations where sphere_code = $1 and code = $2 and slug <> $3', [input.sphere, input.code, slug])
    if (clash) throw new ValidationError([{ field: 'code', messageKey: 'sites.services.errors.codeTaken', values: { code: `${input.sphere}${input.code}`, slug: clash.slug } }])
    const [before] = await tx.query<SituationRow>(`${SELECT} where slug = $1`, [slug])
    if (before && (before.sphere_code !== input.sphere || before.code !== input.code)) {
      // A situation's code is in its services' codes: it moves only while it groups none.
      const [grouped] = await tx.query('select 1 from public_services where sphere_code = $1 and situation_code = $2 limit 1', [before.sphere_code, before.code])
      if (grouped) throw new ValidationError([{ field: 'code', messageKey: 'sites.services.errors.codeInUse', values: { code: `${before.sphere_code}${before.code}` } }])
    }
    const [row] = await tx.query<{ id: string }>(
      `insert into life_situations (slug, sphere_code, code, audience, title, summary) values ($1, $2, $3, $4, $5, $6)
       on conflict (slug) do update set sphere_code = excluded.sphere_code, code = excluded.code, audience = excluded.audience, title = excluded.title,
         summary = excluded.summary, updated_at = now()
       returning id`,
      [slug, input.sphere, input.code, input.audience, title, cleanMultilingual(input.summary)],
    )
    if (!row) throw new Error(`life situation ${slug} was not kept`)
    await tx.query('delete from life_situation_steps where situation_id = $1', [row.id])
    for (const [i, step] of steps.entries()) {
      await tx.query(
        'insert into life_situation_steps (situation_id, position, title, body, service_ids, agency_ids, documents) values ($1, $2, $3, $4, $5::bigint[], $6::bigint[], $7)',
        [row.id, i + 1, cleanMultilingual(step.title), cleanMultilingual(step.body), (step.services ?? []).map((c) => serviceIds.get(c)!), (step.agencies ?? []).map((s) => agencyIds.get(s)!), cleanMultilingualList(step.documents)],
      )
    }
    await recordChange(tx, actor, { entity: 'life-situation', entityId: row.id, action: before ? 'update' : 'create', before: before ?? null, after: input })
    return findSituation(tx, slug)
  })
}

