import type { Db, Queryable } from '../db/index.ts'
import { isEmail } from '../http/validation.ts'
import { escapeLike } from '../db/parameters.ts'
import { NotFound, TooManyRequests, ValidationError, type FieldError } from '../http/errors.ts'
import { recordChange, type Actor } from '../audit/index.ts'
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts'
import { isAgencyRole, ROLES, type Role, type RoleGrant, type User } from './roles.ts'
import type { MultilingualText } from '../i18n/multilingual.ts'
import { DEFAULT_LANG, type Lang } from '../i18n/index.ts'

// A practical check (something@domain.tld); the address is proven only by mail, later.

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

interface UserRow {
  id: number
  email: string
  display_name: string
  lang: Lang
  email_confirmed: boolean
  region_code: string | null
}

const USER_COLUMNS = 'id, email, display_name, lang, email_confirmed_at is not null as email_confirmed, region_code'

async function rolesOf(db: Queryable, userIds: number[]): Promise<Map<number, RoleGrant[]>> {
  const rows = await db.query<{ id: number; user_id: number; role: Role; agency_id: number | null; slug: string | null; name: MultilingualText | null }>(
    `select g.id, g.user_id, g.role, g.agency_id, a.slug, a.name from role_grants g
     left join agencies a on a.id = g.agency_id where g.user_id = any($1) order by g.id`,
    [userIds],
  )
  const byUser = new Map<number, RoleGrant[]>()
  for (const r of rows) {
    const list = byUser.get(r.user_id) ?? []
    list.push({ id: r.id, role: r.role, agencyId: r.agency_id, agencySlug: r.slug, agencyName: r.name })
    byUser.set(r.user_id, list)
  }
  return byUser
}

function toUser(row: UserRow, roles: RoleGrant[] = []): User {
  return { id: row.id, email: row.email, displayName: row.display_name, lang: row.lang, emailConfirmed: row.email_confirmed, regionCode: row.region_code, roles }
}

export async function findUser(db: Queryable, id: number): Promise<User | undefined> {
  const [row] = await db.query<UserRow>(`select ${USER_COLUMNS} from users where id = $1`, [id])
  if (!row) return undefined
  return toUser(row, (await rolesOf(db, [row.id])).get(row.id))
}

export async function findUserByEmail(db: Queryable, email: string): Promise<User | undefined> {
  const [row] = await db.query<UserRow>(`select ${USER_COLUMNS} from users where email = $1`, [normalizeEmail(email)])
  if (!row) return undefined
  return toUser(row, (await rolesOf(db, [row.id])).get(row.id))
}

export interface NewAccount {
  email: string
  password: string
  displayName?: string
  /** The language their mail will be written in: the page's, when they register there. */
  lang?: Lang
}

/** A new account checked and its password hashed, ready to be written. */
export interface PreparedAccount {
  email: string
  passwordHash: string
  displayName: string
  lang: Lang
}

/**
 * Checks the address and the password and hashes the password: the slow part, done before any
 * transaction opens, so that none waits on it.
 */
export async function prepareAccount(account: NewAccount): Promise<PreparedAccount> {
  const email = normalizeEmail(account.email)
  const problems: FieldError[] = []
  if (!isEmail(email) || email.length > 254) problems.push({ field: 'email', messageKey: 'platform.auth.emailInvalid' })
  const weak = passwordProblem(account.password, email)
  if (weak) problems.push(weak)
  if (problems.length > 0) throw new ValidationError(problems)
  return { email, passwordHash: await hashPassword(account.password), displayName: account.displayName?.trim() ?? '', lang: account.lang ?? DEFAULT_LANG }
}

/** Writes a prepared account; a taken address is a field error. */
export async function insertAccount(db: Queryable, account: PreparedAccount): Promise<User> {
  const [row] = await db.query<UserRow>(
    `insert into users (email, password_hash, display_name, lang) values ($1, $2, $3, $4)
     on conflict (email) do nothing returning ${USER_COLUMNS}`,
    [account.email, account.passwordHash, account.displayName, account.lang],
  )
  if (!row) throw new ValidationError([{ field: 'email', messageKey: 'platform.auth.emailTaken' }])
  return toUser(row)
}

/** Creates an account after checking the address and the password; a taken address is a field error. */
export async function registerUser(db: Queryable, account: NewAccount): Promise<User> {
  return insertAccount(db, await prepareAccount(account))
}

export const SIGN_IN_ATTEMPTS_PER_MINUTE = 10

/** How a sign-in attempt is made: from where, and how to wait when it must be slowed down. */
export interface SignInAttempt {
  /** The client's address: failures lock the account for that address alone. */
  address: string
  /** Waits so many milliseconds (a test gives its own clock). */
  sleep?: (ms: number) => Promise<void>
}

// Past the per-address limit, each failure of the last minute (from any address) adds this much
// waiting to every attempt on the account, up to the most: guessing from many addresses is slowed,
// the owner's right password still gets in.
const SLOWDOWN_STEP_MS = 500
const SLOWDOWN_MOST_MS = 5_000

/** How long an attempt on an account waits, given its failures of the last minute from every address. */
export function signInDelayMs(failuresLastMinute: number): number {
  const over = failuresLastMinute - SIGN_IN_ATTEMPTS_PER_MINUTE + 1
  return over > 0 ? Math.min(SLOWDOWN_MOST_MS, over * SLOWDOWN_STEP_MS) : 0
}

/**
 * Checks an email and password. "No such user" and "wrong password" are the same answer (undefined),
 * and take the same time. After 10 failures for one account from one address within a minute, that
 * address is refused for the account for that minute (the right password included); attempts from
 * other addresses are slowed down (signInDelayMs), never refused, so no one can lock the owner out.
 */
export async function authenticate(db: Queryable, emailInput: string, password: string, attempt: SignInAttempt = { address: 'local' }): Promise<User | undefined> {
  const email = normalizeEmail(emailInput)
  const [failures] = await db.query<{ here: number; all: number }>(
    `select count(*) filter (where address = $2)::int as here, count(*)::int as "all"
     from sign_in_failures where email = $1 and at > now() - interval '1 minute'`,
    [email, attempt.address],
  )
  if ((failures?.here ?? 0) >= SIGN_IN_ATTEMPTS_PER_MINUTE) throw new TooManyRequests(60)
  const delay = signInDelayMs(failures?.all ?? 0)
  if (delay > 0) await (attempt.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(delay)
  const [row] = await db.query<UserRow & { password_hash: string }>(
    `select ${USER_COLUMNS}, password_hash from users where email = $1`,
    [email],
  )
  const ok = await verifyPassword(row?.password_hash ?? (await dummyPasswordHash()), password)
  if (!row || !ok) {
    await db.query("delete from sign_in_failures where email = $1 and at < now() - interval '1 hour'", [email])
    await db.query('insert into sign_in_failures (email, address) values ($1, $2)', [email, attempt.address])
    return undefined
  }
  return toUser(row, (await rolesOf(db, [row.id])).get(row.id))
}

/**
 * Accounts a page of the administrators' list shows, by address: those holding a role, or, with q,
 * any account whose address or name holds it (a country's citizens are too many to list whole).
 */
export async function listUsers(db: Queryable, filter: { q?: string; page?: number; perPage?: number } = {}): Promise<{ users: User[]; total: number }> {
  const q = filter.q?.trim().toLowerCase() ?? ''
  const perPage = filter.perPage ?? 50
  const where = q
    ? "(lower(email) like '%' || $1 || '%' or lower(display_name) like '%' || $1 || '%')"
    : 'exists (select 1 from role_grants g where g.user_id = users.id)'
  const params = q ? [escapeLike(q)] : []
  const [{ total }] = await db.query<{ total: number }>(`select count(*)::int as total from users where ${where}`, params) as [{ total: number }]
  const rows = await db.query<UserRow>(
    `select ${USER_COLUMNS} from users where ${where} order by email limit $${params.length + 1} offset $${params.length + 2}`,
    [...params, perPage, ((filter.page ?? 1) - 1) * perPage],
  )
  const roles = await rolesOf(db, rows.map((r) => r.id))
  return { users: rows.map((r) => toUser(r, roles.get(r.id))), total }
}

/** Grants a role (scoped to a body for agency roles) inside the caller's transaction, with its audit entry. */
export async function insertRoleGrant(tx: Queryable, actor: Actor, userId: number, role: Role, agencySlug?: string): Promise<void> {
  if (!ROLES.includes(role)) throw new ValidationError([{ field: 'role', messageKey: 'platform.validation.enum', values: { allowed: ROLES.join(', ') } }])
  let agencyId: number | null = null
  if (isAgencyRole(role)) {
    if (!agencySlug) throw new ValidationError([{ field: 'agency', messageKey: 'platform.auth.agencyRequired' }])
    const [agency] = await tx.query<{ id: number }>('select id from agencies where slug = $1', [agencySlug])
    if (!agency) throw new ValidationError([{ field: 'agency', messageKey: 'platform.auth.agencyUnknown' }])
    agencyId = agency.id
  }
  const [user] = await tx.query<{ id: number }>('select id from users where id = $1', [userId])
  if (!user) throw new NotFound('user', String(userId))
  const inserted = await tx.query<{ id: number }>(
    'insert into role_grants (user_id, role, agency_id) values ($1, $2, $3) on conflict do nothing returning id',
    [userId, role, agencyId],
  )
  if (inserted.length > 0) {
    await recordChange(tx, actor, {
      action: 'role.grant', entity: 'user', entityId: String(userId), before: null,
      after: { role, agency: isAgencyRole(role) ? agencySlug : null },
    })
  }
}

/** Grants a role in a transaction of its own. */
export function grantRole(db: Db, actor: Actor, userId: number, role: Role, agencySlug?: string): Promise<void> {
  return db.transaction((tx) => insertRoleGrant(tx, actor, userId, role, agencySlug))
}

/** One role grant with its account's email and its body's name, for a confirmation. */
export async function findRoleGrant(db: Queryable, grantId: number): Promise<{ id: number; userId: number; email: string; role: Role; agencyName: MultilingualText | null } | undefined> {
  const [row] = await db.query<{ id: number; user_id: number; email: string; role: Role; agency_name: MultilingualText | null }>(
    'select g.id, g.user_id, u.email, g.role, a.name as agency_name from role_grants g join users u on u.id = g.user_id left join agencies a on a.id = g.agency_id where g.id = $1',
    [grantId],
  )
  return row && { id: row.id, userId: row.user_id, email: row.email, role: row.role, agencyName: row.agency_name }
}

/** Takes a role grant back, recorded in the audit log; the last administrator's role is kept. */
export async function revokeRole(db: Db, actor: Actor, grantId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [grant] = await tx.query<{ user_id: number; role: string; slug: string | null }>(
      'select g.user_id, g.role, a.slug from role_grants g left join agencies a on a.id = g.agency_id where g.id = $1',
      [grantId],
    )
    if (!grant) throw new NotFound('role', String(grantId))
    // The site is never left without an administrator (locked rows: two revoking at once cannot both pass).
    if (grant.role === 'admin') {
      const admins = await tx.query("select id from role_grants where role = 'admin' for update")
      if (admins.length <= 1) throw new ValidationError([{ field: 'role', messageKey: 'platform.auth.admin.lastAdmin' }])
    }
    await tx.query('delete from role_grants where id = $1', [grantId])
    await recordChange(tx, actor, {
      action: 'role.revoke', entity: 'user', entityId: String(grant.user_id),
      before: { role: grant.role, agency: grant.slug }, after: null,
    })
  })
}

/** The people who act for a body (its editors and head), for mail about its work. */
export async function agencyStaff(db: Queryable, agencyId: number): Promise<Array<{ id: number; email: string; lang: Lang }>> {
  return db.query(
    `select distinct u.id, u.email, u.lang from role_grants g join users u on u.id = g.user_id
     where g.agency_id = $1 and g.role in ('agency-editor', 'agency-head') order by u.id`,
    [agencyId],
  )
}

/** Everyone granted a role of the whole site (the commission, administrators), to be told of what they decide. */
export async function roleHolders(db: Queryable, role: 'admin' | 'commission'): Promise<Array<{ id: number; email: string; lang: Lang }>> {
  return db.query('select distinct u.id, u.email, u.lang from role_grants g join users u on u.id = g.user_id where g.role = $1 order by u.id', [role])
}

/**
 * Records the region or city the person says they live in (a code of `regions`): stated by them, as
 * a poll for a region's residents asks it, until an identity provider that knows the address is
 * plugged in. Returns false for a code that names no region.
 */
export async function setResidence(db: Queryable, userId: number, regionCode: string | null): Promise<boolean> {
  const rows = await db.query('update users set region_code = $2 where id = $1 and ($2::text is null or exists (select 1 from regions where code = $2)) returning id', [userId, regionCode])
  return rows.length > 0
}

/** The regions and cities a person may say they live in, with their names in kk/ru/en. */
export async function residenceChoices(db: Queryable): Promise<Array<{ code: string; name: MultilingualText }>> {
  return db.query('select code, name from regions order by code')
}
