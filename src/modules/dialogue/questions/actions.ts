import { authorize, can } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { ValidationError } from '../../../platform/http/errors.ts'
import { OPEN_STATUSES, type QuestionStatus } from './states.ts'

/** What an action is told of a question: who owns and asked it, where it stands. */
export interface QuestionFacts {
  agencyId: number
  askerId: number
  status: QuestionStatus
  extendedTo: string | null
  rating: number | null
  followUpOf: number | null
  followUpId: number | null
}

interface ActionRule {
  /** The statuses it may be taken from. */
  from: readonly QuestionStatus[]
  /** What else rules it out, with the message the refusal gives (field and locale key). */
  unless?: { when: (q: QuestionFacts) => boolean; field: string; messageKey: string }
  /** The refusal's message when the status does not allow it. */
  messageKey: string
}

/**
 * Every action on a question: the states it is taken from and what else rules it out. Who may take
 * it is its policy `dialogue.question.<action>` (src/modules/dialogue/policies.ts). Pages offer what
 * `questionActions` gives; the service refuses the rest with the same rules.
 */
export const QUESTION_ACTIONS = {
  publish: { from: ['moderation'], messageKey: 'dialogue.errors.not.moderation' },
  reject: { from: ['moderation'], messageKey: 'dialogue.errors.not.moderation' },
  forward: { from: ['moderation'], messageKey: 'dialogue.errors.not.moderation' },
  extend: { from: OPEN_STATUSES, messageKey: 'dialogue.errors.not.published', unless: { when: (q) => q.extendedTo !== null, field: 'to', messageKey: 'dialogue.errors.extendedOnce' } },
  answer: { from: ['published'], messageKey: 'dialogue.errors.not.published' },
  withdraw: { from: OPEN_STATUSES, messageKey: 'dialogue.errors.notWithdrawable' },
  rate: { from: ['answered'], messageKey: 'dialogue.errors.not.answered', unless: { when: (q) => q.rating !== null, field: 'rating', messageKey: 'dialogue.errors.ratedOnce' } },
  // One follow-up per answered question, and none on a follow-up: a conversation, not a thread.
  'follow-up': {
    from: ['answered'], messageKey: 'dialogue.errors.followUp',
    unless: { when: (q) => q.followUpId !== null || q.followUpOf !== null, field: 'body', messageKey: 'dialogue.errors.followUp' },
  },
} as const satisfies Record<string, ActionRule>
export type QuestionAction = keyof typeof QUESTION_ACTIONS

const permission = (action: QuestionAction) => `dialogue.question.${action}`

function refusal(action: QuestionAction, q: QuestionFacts): { field: string; messageKey: string } | null {
  const rule: ActionRule = QUESTION_ACTIONS[action]
  if (!rule.from.includes(q.status)) return { field: action === 'follow-up' ? 'body' : 'status', messageKey: rule.messageKey }
  if (rule.unless?.when(q)) return rule.unless
  return null
}

/** The actions this person may take on the question now: what its page offers them. */
export function questionActions(user: User | null | undefined, q: QuestionFacts): Partial<Record<QuestionAction, true>> {
  const actions = (Object.keys(QUESTION_ACTIONS) as QuestionAction[]).filter((action) => can(user, permission(action), q) && !refusal(action, q))
  return Object.fromEntries(actions.map((action) => [action, true]))
}

/** Refuses an action this person may not take (401, 403), or that the question's state rules out (400, naming why); else the user. */
export function requireQuestionAction(user: User | null | undefined, action: QuestionAction, q: QuestionFacts): User {
  const actor = authorize(user, permission(action), q)
  const refused = refusal(action, q)
  if (refused) throw new ValidationError([refused])
  return actor
}
