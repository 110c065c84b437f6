import { actionTable } from '../../../platform/states/actions.ts'
import { NOT_FINAL, type DraftStatus } from '../kinds.ts'

/** What an action is told of a draft: the body that develops it, and where it stands. */
export interface DraftFacts {
  agencyId: number
  status: DraftStatus
}

export type DraftAction = 'edit' | 'version' | 'publish' | 'answer' | 'adopt' | 'withdraw'

/**
 * Every step a body's staff take with a draft: the states each is taken from. Who may take it is its
 * policy `legal-act.draft.<action>` (src/modules/legal-acts/policies.ts); the draft's page offers
 * what `available` gives and the services refuse the rest with `require`. (The discussion's closing
 * is the site's own, on its last day.)
 */
export const draftActions = actionTable<DraftFacts, DraftStatus, DraftAction>('legal-act.draft', {
  edit: { from: NOT_FINAL, messageKey: 'legalActs.errors.final' },
  version: { from: NOT_FINAL, messageKey: 'legalActs.errors.final' },
  publish: { from: ['preparation'], messageKey: 'legalActs.errors.notInPreparation' },
  answer: { from: ['closed'], messageKey: 'legalActs.errors.notClosed' },
  adopt: { from: ['answered'], messageKey: 'legalActs.errors.notAnswered' },
  withdraw: { from: NOT_FINAL, messageKey: 'legalActs.errors.final' },
})

/** The facts of a loaded draft. */
export const draftFacts = (draft: { agency: { id: number }; status: DraftStatus }): DraftFacts => ({ agencyId: draft.agency.id, status: draft.status })
