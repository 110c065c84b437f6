import { actionTable } from '../../../platform/states/actions.ts'
import type { EditionStatus } from './states.ts'

/** What the rules of an edition's actions read of it. */
export interface EditionFacts {
  agencyId: number
  status: EditionStatus
}

export type EditionAction = 'edit' | 'submit' | 'publish' | 'return' | 'withdraw'

/**
 * An edition's actions, each its own policy (`site.edition.<action>`: the body's staff). Editing
 * writes a draft (a published edition is edited by starting the next one); withdrawing a published
 * edition withdraws the item in every language.
 */
export const editionActions = actionTable<EditionFacts, EditionStatus, EditionAction>('site.edition', {
  edit: { from: ['draft', 'published'], messageKey: 'sites.errors.notEditable' },
  submit: { from: ['draft'], messageKey: 'sites.errors.notDraft' },
  publish: { from: ['submitted'], messageKey: 'sites.errors.notSubmitted' },
  return: { from: ['submitted', 'scheduled'], messageKey: 'sites.errors.notReturnable' },
  withdraw: { from: ['published'], messageKey: 'sites.errors.notPublished' },
})
