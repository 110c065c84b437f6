import { Forbidden, Unauthorized } from '../http/errors.ts'
import { hasRole, isAnyBodyStaff, type User } from './roles.ts'

/** A rule for one action: may this user do it, to this resource? */
export type Policy<R = unknown> = (user: User, resource: R) => boolean

const policies = new Map<string, Policy<never>>()
const personal = new WeakSet<Policy<never>>()

/**
 * A rule that holds for administrators too: what only the person concerned may do (a citizen
 * withdrawing or rating their own question), which an administrator doing it would falsify.
 */
export function personalPolicy<R>(rule: Policy<R>): Policy<R> {
  personal.add(rule as Policy<never>)
  return rule
}

/** The rules of a module's actions, each named "<entity>.<verb>" (or "<module>.<item>.<verb>"). */
export type Policies = Readonly<Record<string, Policy<never>>>

/**
 * Registers rules of actions; a name may be defined once (the same rule again, as a module
 * definition loaded by a second app in one process registers it, is no second definition).
 */
export function definePolicies(rules: Policies): void {
  for (const [action, rule] of Object.entries(rules)) {
    const known = policies.get(action)
    if (known === rule) continue
    if (known) throw new Error(`Policy "${action}" is defined twice`)
    policies.set(action, rule)
  }
}

export function knownActions(): string[] {
  return [...policies.keys()].sort()
}

/** The one place roles are checked, for pages and API alike. An unknown action is a bug, not a "no". */
export function can<R>(user: User | null | undefined, action: string, resource?: R): boolean {
  const rule = policies.get(action) as Policy<R | undefined> | undefined
  if (!rule) throw new Error(`No policy for action "${action}"`)
  if (!user) return false
  if (personal.has(rule as Policy<never>)) return rule(user, resource)
  return hasRole(user, 'admin') || rule(user, resource)
}

/** Throws Unauthorized without a user and Forbidden when the policy says no. */
export function authorize<R>(user: User | null | undefined, action: string, resource?: R): User {
  if (!user) throw new Unauthorized()
  if (!can(user, action, resource)) throw new Forbidden(action)
  return user
}

/** The platform's own actions (registered by loadModules with the modules'); modules define theirs in their policies.ts. */
export const accountPolicies: Policies = {
  // Only administrators (who pass every policy) manage accounts and roles.
  'role.grant': () => false,
  'user.list': () => false,
  // Anyone with a confirmed address may hold API tokens, as in CKAN, and every body's staff (their
  // roles are granted by hand): a token may do what its holder may do on the site (an editor
  // publishes, a citizen asks and rates).
  'token.manage': (user: User) => user.emailConfirmed || isAnyBodyStaff(user),
  'monitoring.read': (user: User) => hasRole(user, 'commission'),
}
