import { actionTable } from '../../../platform/states/actions.ts'
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

/**
 * Every action on a question: the states it is taken from and what else rules it out. Who may take
 * it is its policy `dialogue.question.<action>` (src/modules/dialogue/policies.ts). Pages offer what
 * `available` gives; the service refuses the rest with `require`, by the same rules.
 */
export const questionActions = actionTable<QuestionFacts, QuestionStatus, QuestionAction>('dialogue.question', {
  publish: { from: ['moderation'], messageKey: 'dialogue.errors.not.moderation' },
  reject: { from: ['moderation'], messageKey: 'dialogue.errors.not.moderation' },
  forward: { from: ['moderation'], messageKey: 'dialogue.errors.not.moderation' },
  extend: { from: OPEN_STATUSES, messageKey: 'dialogue.errors.not.published', unless: { when: (q) => q.extendedTo !== null, field: 'to', messageKey: 'dialogue.errors.extendedOnce' } },
  answer: { from: ['published'], messageKey: 'dialogue.errors.not.published' },
  withdraw: { from: OPEN_STATUSES, messageKey: 'dialogue.errors.notWithdrawable' },
  rate: { from: ['answered'], messageKey: 'dialogue.errors.not.answered', unless: { when: (q) => q.rating !== null, field: 'rating', messageKey: 'dialogue.errors.ratedOnce' } },
  // One follow-up per answered question, and none on a follow-up: a conversation, not a thread.
  'follow-up': {
    from: ['answered'], field: 'body', messageKey: 'dialogue.errors.followUp',
    unless: { when: (q) => q.followUpId !== null || q.followUpOf !== null, field: 'body', messageKey: 'dialogue.errors.followUp' },
  },
})
export type QuestionAction = 'publish' | 'reject' | 'forward' | 'extend' | 'answer' | 'withdraw' | 'rate' | 'follow-up'
