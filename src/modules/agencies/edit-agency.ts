import type { Db, Queryable } from '../../platform/db/index.ts'
import { isEmail } from '../../platform/http/validation.ts'
import { NotFound, ValidationError, type FieldError } from '../../platform/http/index.ts'
import { recordChange, type Actor } from '../../platform/audit/index.ts'
import { blankToNull, cleanMultilingual as clean, type MultilingualText } from '../../platform/i18n/multilingual.ts'
import { kazakhstanDay } from '../../platform/calendar/days.ts'
import { AGENCY_KINDS, type AgencyKind } from './schemas.ts'
import { currentHeads, setHead } from './heads.ts'

/** The editable fields of a state body; the parent is named by its slug. */
export interface AgencyFields {
  kind: AgencyKind
  name: MultilingualText
  shortName?: MultilingualText
  headName?: MultilingualText
  headTitle?: MultilingualText
  address?: MultilingualText
  phone?: string | null
  email?: string | null
  website?: string | null
  regionCode?: string | null
  parentSlug?: string | null
}

export interface NewAgency extends AgencyFields {
  slug: string
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/
const PHONE = /^\+?[0-9 ()-]{5,30}$/
const LANGS = ['kk', 'ru', 'en'] as const

/** The record as stored and as the audit log shows it before and after a change. */
function normalize(fields: AgencyFields): Required<AgencyFields> {
  return {
    kind: fields.kind,
    name: clean(fields.name),
    shortName: clean(fields.shortName),
    headName: clean(fields.headName),
    headTitle: clean(fields.headTitle),
    address: clean(fields.address),
    phone: blankToNull(fields.phone),
    email: blankToNull(fields.email)?.toLowerCase() ?? null,
    website: blankToNull(fields.website),
    regionCode: blankToNull(fields.regionCode),
    parentSlug: blankToNull(fields.parentSlug),
  }
}

async function check(tx: Queryable, fields: Required<AgencyFields>, slug: string): Promise<{ parentId: number | null }> {
  const problems: FieldError[] = []
  if (!AGENCY_KINDS.includes(fields.kind)) problems.push({ field: 'kind', messageKey: 'platform.validation.enum', values: { allowed: AGENCY_KINDS.join(', ') } })
  if (Object.keys(fields.name).length === 0) problems.push({ field: 'name', messageKey: 'agencies.errors.nameRequired' })
  for (const [key, text] of Object.entries({ name: fields.name, shortName: fields.shortName, headName: fields.headName, headTitle: fields.headTitle, address: fields.address })) {
    for (const lang of LANGS) {
      if ((text[lang]?.length ?? 0) > 500) problems.push({ field: `${key}.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: 500 } })
    }
  }
  if (fields.email && !isEmail(fields.email)) problems.push({ field: 'email', messageKey: 'platform.auth.emailInvalid' })
  if (fields.phone && !PHONE.test(fields.phone)) problems.push({ field: 'phone', messageKey: 'agencies.errors.phone' })
  if (fields.website && !/^https?:\/\/[^\s/]+\.[^\s]+$/.test(fields.website)) problems.push({ field: 'website', messageKey: 'agencies.errors.website' })
  if (fields.regionCode) {
    const rows = await tx.query('select 1 from regions where code = $1', [fields.regionCode])
    if (rows.length === 0) problems.push({ field: 'regionCode', messageKey: 'agencies.errors.regionUnknown' })
  }
  let parentId: number | null = null
  if (fields.parentSlug) {
    // The parent must exist and must not be the body itself or one of its subordinates.
    const [parent] = await tx.query<{ id: number; cycle: boolean }>(
      `with recursive up as (
         select id, parent_id, slug from agencies where slug = $1
         union all select a.id, a.parent_id, a.slug from agencies a join up on a.id = up.parent_id
       )
       select (select id from agencies where slug = $1) as id, exists (select 1 from up where slug = $2) as cycle`,
      [fields.parentSlug, slug],
    )
    if (!parent?.id) problems.push({ field: 'parentSlug', messageKey: 'agencies.errors.parentUnknown' })
    else if (parent.cycle) problems.push({ field: 'parentSlug', messageKey: 'agencies.errors.parentCycle' })
    else parentId = parent.id
  }
  if (problems.length > 0) throw new ValidationError(problems)
  return { parentId }
}

const COLUMNS = 'kind, name, short_name, address, phone, email, website, region_code, parent_id'

function values(fields: Required<AgencyFields>, parentId: number | null) {
  return [fields.kind, fields.name, fields.shortName, fields.address, fields.phone, fields.email, fields.website, fields.regionCode, parentId]
}

// The head is kept once, with the days of their position (heads.ts), from today in Kazakhstan.
function recordHead(tx: Queryable, agencyId: number, fields: Required<AgencyFields>) {
  return setHead(tx, agencyId, { name: fields.headName, title: fields.headTitle }, kazakhstanDay(new Date()))
}

/** Adds a state body, with its audit entry, inside the caller's transaction. */
export async function insertAgency(tx: Queryable, actor: Actor, agency: NewAgency): Promise<void> {
  if (!SLUG.test(agency.slug) || agency.slug.length > 100) throw new ValidationError([{ field: 'slug', messageKey: 'agencies.errors.slug' }])
  const fields = normalize(agency)
  const { parentId } = await check(tx, fields, agency.slug)
  const [inserted] = await tx.query<{ id: number }>(
    `insert into agencies (slug, ${COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (slug) do nothing returning id`,
    [agency.slug, ...values(fields, parentId)],
  )
  if (!inserted) throw new ValidationError([{ field: 'slug', messageKey: 'agencies.errors.slugTaken' }])
  await recordHead(tx, inserted.id, fields)
  await recordChange(tx, actor, { action: 'agency.create', entity: 'agency', entityId: agency.slug, before: null, after: fields })
}

/** Adds a state body in a transaction of its own. */
export function createAgency(db: Db, actor: Actor, agency: NewAgency): Promise<void> {
  return db.transaction((tx) => insertAgency(tx, actor, agency))
}

/** The editable fields of a body as stored, with its id (for policies). */
export async function loadAgencyFields(db: Queryable, slug: string): Promise<{ id: number; fields: Required<AgencyFields> }> {
  const [row] = await db.query<{
    id: number; kind: AgencyKind; name: MultilingualText; short_name: MultilingualText; address: MultilingualText
    phone: string | null; email: string | null; website: string | null; region_code: string | null; parent_slug: string | null
  }>(
    `select a.id, a.kind, a.name, a.short_name, a.address, a.phone, a.email, a.website,
            a.region_code, p.slug as parent_slug
     from agencies a left join agencies p on p.id = a.parent_id where a.slug = $1`,
    [slug],
  )
  if (!row) throw new NotFound('agency', slug)
  const head = (await currentHeads(db, [row.id])).get(row.id)
  return {
    id: row.id,
    fields: {
      kind: row.kind, name: row.name, shortName: row.short_name, headName: head?.name ?? {}, headTitle: head?.title ?? {},
      address: row.address, phone: row.phone, email: row.email, website: row.website,
      regionCode: row.region_code, parentSlug: row.parent_slug,
    },
  }
}

/**
 * Changes a body's fields (those given; the rest stay), recording before and after in the audit
 * log in the same transaction. Nothing is written when nothing changed.
 */
export async function updateAgency(db: Db, actor: Actor, slug: string, changes: Partial<AgencyFields>): Promise<void> {
  await db.transaction(async (tx) => {
    // Lock the row: two editors saving at once are applied one after the other.
    await tx.query('select id from agencies where slug = $1 for update', [slug])
    // As normalize() writes it: jsonb hands keys back in an order of its own.
    const loaded = await loadAgencyFields(tx, slug)
    const before = normalize(loaded.fields)
    const after = normalize({ ...before, ...changes })
    const { parentId } = await check(tx, after, slug)
    if (JSON.stringify(after) === JSON.stringify(before)) return
    await tx.query(
      `update agencies set (${COLUMNS}, updated_at) = ($2, $3, $4, $5, $6, $7, $8, $9, $10, now()) where slug = $1`,
      [slug, ...values(after, parentId)],
    )
    await recordHead(tx, loaded.id, after)
    await recordChange(tx, actor, { action: 'agency.update', entity: 'agency', entityId: slug, before, after })
  })
}

/**
 * Deletes a state body that nothing names yet (one added by mistake), with its audit entry. A body
 * that any record names (a dataset, a member of staff, a question, a score…) is kept: its records
 * would lose whom they belong to, so the refusal says so.
 */
export async function deleteAgency(db: Db, actor: Actor, slug: string): Promise<void> {
  await db.transaction(async (tx) => {
    const loaded = await loadAgencyFields(tx, slug)
    await recordChange(tx, actor, { action: 'agency.delete', entity: 'agency', entityId: slug, before: normalize(loaded.fields), after: null })
    try {
      await tx.query('delete from agencies where id = $1', [loaded.id])
    } catch (error) {
      // foreign_key_violation: another table's row names the body.
      if ((error as { code?: unknown }).code === '23503') throw new ValidationError([{ field: 'slug', messageKey: 'agencies.errors.inUse' }])
      throw error
    }
  })
}
