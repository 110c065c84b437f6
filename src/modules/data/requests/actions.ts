import { actionTable } from '../../../platform/states/actions.ts'
import { REQUEST_STATUSES, type RequestStatus } from './states.ts'

/** What the rules of its actions read of a data request: the body asked, and its state. */
export interface RequestFacts {
  agencyId: number
  status: RequestStatus
}

export type RequestAction = 'answer' | 'support'

/**
 * A data request's actions, each its own policy (`data-request.answer`: the staff of the body asked;
 * `data-request.support`: anyone signed in). Both are open in every state: an answer may be given
 * again (a plan kept or changed), and a request is supported whatever its answer.
 */
export const requestActions = actionTable<RequestFacts, RequestStatus, RequestAction>('data-request', {
  answer: { from: REQUEST_STATUSES, messageKey: 'data.requests.errors.status' },
  support: { from: REQUEST_STATUSES, messageKey: 'data.requests.errors.status' },
})
