import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { recordChange } from '../../../platform/audit/index.ts'
import { isEmail } from '../../../platform/http/validation.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { inBounds } from '../../../platform/maps/kazakhstan.ts'

/** An office or reception of a body, as its contacts page lists it and its map shows it. */
export interface Office {
  id: number
  agencyId: number
  name: MultilingualText
  address: MultilingualText
  lon: number | null
  lat: number | null
  phone: string | null
  email: string | null
  hours: MultilingualText
}

export interface OfficeInput {
  name: MultilingualText
  address: MultilingualText
  lon?: number | string | null
  lat?: number | string | null
  phone?: string | null
  email?: string | null
  hours?: MultilingualText
}

interface Row { id: string; agency_id: string; name: MultilingualText; address: MultilingualText; lon: number | null; lat: number | null; phone: string | null; email: string | null; hours: MultilingualText }
const toOffice = (r: Row): Office => ({ id: Number(r.id), agencyId: Number(r.agency_id), name: r.name, address: r.address, lon: r.lon, lat: r.lat, phone: r.phone, email: r.email, hours: r.hours })

/** A body's offices, in its order. */
export async function officesOf(db: Queryable, agencyId: number): Promise<Office[]> {
  return (await db.query<Row>('select id, agency_id, name, address, lon, lat, phone, email, hours from site_offices where agency_id = $1 order by position, id', [agencyId])).map(toOffice)
}

const PHONE = /^\+?[0-9 ()-]{5,30}$/

/** An office as kept, or what is wrong with it, field by field (the prefix names it in a list). */
function checked(input: OfficeInput, prefix = ''): { office: Omit<Office, 'id' | 'agencyId'>; problems: FieldError[] } {
  const problems: FieldError[] = []
  const problem = (field: string, key: string) => problems.push({ field: `${prefix}${field}`, messageKey: `sites.offices.errors.${key}` })
  const name = cleanMultilingual(input.name)
  const address = cleanMultilingual(input.address)
  for (const lang of ['kk', 'ru'] as const) {
    if (!name[lang]) problem(`name.${lang}`, 'name')
    if (!address[lang]) problem(`address.${lang}`, 'address')
  }
  const number = (value: number | string | null | undefined) => (value === null || value === undefined || value === '' ? null : Number(String(value).replace(',', '.')))
  const lon = number(input.lon)
  const lat = number(input.lat)
  if ((lon === null) !== (lat === null) || (lon !== null && lat !== null && (!Number.isFinite(lon) || !Number.isFinite(lat) || !inBounds(lon, lat)))) problem('lat', 'place')
  const phone = input.phone?.trim() || null
  if (phone && !PHONE.test(phone)) problem('phone', 'phone')
  const email = input.email?.trim() || null
  if (email && !isEmail(email)) problem('email', 'email')
  return { office: { name, address, lon, lat, phone, email, hours: cleanMultilingual(input.hours) }, problems }
}

/** Adds an office to a body's contacts (its staff). */
export async function addOffice(db: Db, user: User | null, agencyId: number, input: OfficeInput): Promise<Office> {
  const actor = authorize(user, 'site.offices.edit', { agencyId })
  const { office, problems } = checked(input)
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<Row>(
      `insert into site_offices (agency_id, name, address, lon, lat, phone, email, hours, position)
       values ($1, $2, $3, $4, $5, $6, $7, $8, (select coalesce(max(position), 0) + 1 from site_offices where agency_id = $1))
       returning id, agency_id, name, address, lon, lat, phone, email, hours`,
      [agencyId, office.name, office.address, office.lon, office.lat, office.phone, office.email, office.hours],
    )
    await recordChange(tx, { id: actor.id, email: actor.email }, { entity: 'site-office', entityId: row!.id, action: 'create', before: null, after: office })
    return toOffice(row!)
  })
}

/** Replaces a body's offices with those given, in their order (its staff, by the API): all or none. */
export async function replaceOffices(db: Db, user: User | null, agencyId: number, inputs: readonly OfficeInput[]): Promise<Office[]> {
  const actor = authorize(user, 'site.offices.edit', { agencyId })
  const results = inputs.map((input, i) => checked(input, `offices[${i}].`))
  const problems = results.flatMap((r) => r.problems)
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    const before = await officesOf(tx, agencyId)
    await tx.query('delete from site_offices where agency_id = $1', [agencyId])
    for (const [i, { office }] of results.entries()) {
      await tx.query('insert into site_offices (agency_id, name, address, lon, lat, phone, email, hours, position) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [agencyId, office.name, office.address, office.lon, office.lat, office.phone, office.email, office.hours, i + 1])
    }
    await recordChange(tx, { id: actor.id, email: actor.email }, { entity: 'site-offices', entityId: String(agencyId), action: 'replace', before, after: results.map((r) => r.office) })
    return officesOf(tx, agencyId)
  })
}

/** Removes an office from a body's contacts (its staff): a closed reception leaves the page and the map. */
export async function removeOffice(db: Db, user: User | null, agencyId: number, officeId: number): Promise<void> {
  const actor = authorize(user, 'site.offices.edit', { agencyId })
  await db.transaction(async (tx) => {
    const [row] = await tx.query<Row>('delete from site_offices where id = $1 and agency_id = $2 returning id, agency_id, name, address, lon, lat, phone, email, hours', [officeId, agencyId])
    if (!row) throw new NotFound('office', String(officeId))
    await recordChange(tx, { id: actor.id, email: actor.email }, { entity: 'site-office', entityId: row.id, action: 'delete', before: toOffice(row), after: null })
  })
}
