import { actionTable } from '../../../platform/states/actions.ts'
import type { PollState } from './states.ts'

/** What the rules of a poll's actions read of it, and of the person before it. */
export interface PollFacts {
  agencyId: number
  /** Its state today (states.ts): the rules are of what readers see. */
  status: PollState
  /** This person has a ballot in it already, and it may be changed until the poll closes. */
  voted: boolean
  changeable: boolean
}

export type PollAction = 'vote' | 'withdraw'

/**
 * A poll's actions, each its own policy (`dialogue.poll.vote`: anyone signed in, the service asking
 * for a confirmed address and the region; `dialogue.poll.withdraw`: its body's staff).
 */
export const pollActions = actionTable<PollFacts, PollState, PollAction>('dialogue.poll', {
  vote: {
    from: ['open'], field: 'choice', messageKey: 'dialogue.polls.errors.notOpen',
    unless: { when: (p) => p.voted && !p.changeable, field: 'choice', messageKey: 'dialogue.polls.errors.votedOnce' },
  },
  withdraw: { from: ['upcoming', 'open'], messageKey: 'dialogue.polls.errors.notWithdrawable' },
})
