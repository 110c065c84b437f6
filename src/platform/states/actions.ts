import { authorize, can } from '../auth/policies.ts'
import type { User } from '../auth/roles.ts'
import { ValidationError, type FieldError } from '../http/errors.ts'

/** One action on an item: the states it is taken from, and what else rules it out. */
export interface ActionRule<I, S extends string> {
  from: readonly S[]
  /** The refusal's message when the state does not allow it, and its field (`status` unless told). */
  messageKey: string
  field?: string
  /** What else rules it out, with the refusal it gives. */
  unless?: { when: (item: I) => boolean; field: string; messageKey: string }
}

/** A kind of item's actions: what a page offers a person, and the refusal of anything else. */
export interface ActionTable<I, A extends string> {
  /** The actions this person may take on the item now: what its page offers them. */
  available(user: User | null | undefined, item: I): Partial<Record<A, true>>
  /** Refuses an action this person may not take (401, 403) or that the item's state rules out (400, naming why); else the user. */
  require(user: User | null | undefined, action: A, item: I): User
}

/**
 * The actions of one kind of item: each action's states and conditions here, its *who* the policy
 * `<policyPrefix>.<action>` (registered by the module's definition), given the item.
 */
export function actionTable<I extends { status: S }, S extends string, A extends string>(policyPrefix: string, rules: Readonly<Record<A, ActionRule<I, S>>>): ActionTable<I, A> {
  const refusal = (action: A, item: I): FieldError | null => {
    const rule = rules[action]
    if (!rule.from.includes(item.status)) return { field: rule.field ?? 'status', messageKey: rule.messageKey }
    if (rule.unless?.when(item)) return { field: rule.unless.field, messageKey: rule.unless.messageKey }
    return null
  }
  const names = Object.keys(rules) as A[]
  return {
    available(user, item) {
      return Object.fromEntries(names.filter((action) => can(user, `${policyPrefix}.${action}`, item) && !refusal(action, item)).map((action) => [action, true])) as Partial<Record<A, true>>
    },
    require(user, action, item) {
      const actor = authorize(user, `${policyPrefix}.${action}`, item)
      const refused = refusal(action, item)
      if (refused) throw new ValidationError([refused])
      return actor
    },
  }
}
