import { actionTable } from '../../../platform/states/actions.ts'
import type { PetitionStatus } from './states.ts'
import { WITHDRAWABLE } from './states.ts'

/** What the rules of a petition's actions read of it, and of the person before it. */
export interface PetitionFacts {
  agencyId: number
  authorId: number
  /** Its stored status (states.ts): by-link and overdue are what readers are told, not steps. */
  status: PetitionStatus
  /** This person's signature is on it already. */
  signed: boolean
  /** Its co-authors' accounts. */
  coAuthorIds: readonly number[]
  /** This person has joined it as a co-author. */
  coAuthor: boolean
}

export type PetitionAction = 'join' | 'leave' | 'submit' | 'withdraw' | 'sign' | 'publish' | 'reject' | 'invalidate' | 'discuss' | 'answer'

/**
 * A petition's actions, each its own policy `dialogue.petition.<action>` (policies.ts: its author
 * submits and withdraws, anyone signed in signs, the portal's administrators moderate, the addressed
 * body's staff discuss and answer); here the states each is taken from.
 */
export const petitionActions = actionTable<PetitionFacts, PetitionStatus, PetitionAction>('dialogue.petition', {
  // A draft's co-authors join by its invitation link (the service checks the link's token) and may leave before it is submitted.
  join: {
    from: ['draft'], messageKey: 'dialogue.petitions.errors.notDraft',
    unless: { when: (p) => p.coAuthor, field: 'showName', messageKey: 'dialogue.petitions.errors.joinedOnce' },
  },
  leave: { from: ['draft'], messageKey: 'dialogue.petitions.errors.notDraft' },
  submit: { from: ['draft'], messageKey: 'dialogue.petitions.errors.notDraft' },
  withdraw: { from: WITHDRAWABLE, messageKey: 'dialogue.petitions.errors.notWithdrawable' },
  sign: {
    from: ['collecting'], messageKey: 'dialogue.petitions.errors.notCollecting',
    unless: { when: (p) => p.signed, field: 'showName', messageKey: 'dialogue.petitions.errors.signedOnce' },
  },
  publish: { from: ['moderation'], messageKey: 'dialogue.petitions.errors.notInModeration' },
  reject: { from: ['moderation'], messageKey: 'dialogue.petitions.errors.notInModeration' },
  // Signatures found false after the petition was supported are struck off too: the count its body reads follows.
  invalidate: { from: ['collecting', 'consideration', 'discussion'], messageKey: 'dialogue.petitions.errors.notCounting' },
  discuss: { from: ['consideration'], messageKey: 'dialogue.petitions.errors.notInConsideration' },
  answer: { from: ['consideration', 'discussion'], messageKey: 'dialogue.petitions.errors.notInConsideration' },
})
