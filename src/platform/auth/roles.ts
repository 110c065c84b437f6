import type { MultilingualText } from '../i18n/multilingual.ts'
import type { Lang } from '../i18n/index.ts'

export const ROLES = ['admin', 'commission', 'agency-editor', 'agency-head'] as const
export type Role = (typeof ROLES)[number]

/** Roles that act on behalf of one state body. */
export const AGENCY_ROLES: readonly Role[] = ['agency-editor', 'agency-head']

export function isAgencyRole(role: Role): boolean {
  return AGENCY_ROLES.includes(role)
}

export interface RoleGrant {
  id: number
  role: Role
  agencyId: number | null
  agencySlug: string | null
  /** The body's name in kk/ru/en, for showing the grant. */
  agencyName: MultilingualText | null
}

/** A signed-in person, with every role granted to them. */
export interface User {
  id: number
  email: string
  displayName: string
  /** The language their mail is written in (the one they registered in). */
  lang: Lang
  /** Whether they proved the address is theirs (a link sent to it was followed). */
  emailConfirmed: boolean
  /** The region or city they stated they live in (a poll for its residents asks it), or null. */
  regionCode?: string | null
  roles: RoleGrant[]
}

export function hasRole(user: User | null | undefined, role: Role, agencyId?: number): boolean {
  return Boolean(user?.roles.some((g) => g.role === role && (agencyId === undefined || g.agencyId === agencyId)))
}

/** Whether the person is on a body's staff (its editors, the head's delegates, and its head): who acts for it. */
export function isBodyStaff(user: User | null | undefined, agencyId: number | null): boolean {
  return agencyId !== null && Boolean(user?.roles.some((g) => AGENCY_ROLES.includes(g.role) && g.agencyId === agencyId))
}

/** Whether the person is on some body's staff (may open a form for a new item of theirs). */
export function isAnyBodyStaff(user: User | null | undefined): boolean {
  return Boolean(user?.roles.some((g) => AGENCY_ROLES.includes(g.role)))
}

/** A policy of an item its body's staff act on (`{ agencyId }`): the rule most of a body's actions share. */
export const bodyStaff = (user: User, item: { agencyId: number | null }): boolean => isBodyStaff(user, item.agencyId)
