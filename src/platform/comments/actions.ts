import { actionTable } from '../states/actions.ts'
import { can } from '../auth/policies.ts'
import type { User } from '../auth/roles.ts'
import type { CommentStatus } from './service.ts'

/** What the rules of moderation read of a comment: the body that owns its object now (none when the object is gone), and its state. */
export interface CommentFacts {
  agencyId: number | null
  status: CommentStatus
}

export type CommentAction = 'hide' | 'restore'

/**
 * A comment's moderation: hidden while shown, shown again while hidden, each by its own policy
 * (`comment.hide`, `comment.restore`: the staff of the body that owns the comment's object).
 */
export const commentActions = actionTable<CommentFacts, CommentStatus, CommentAction>('comment', {
  hide: { from: ['visible'], messageKey: 'platform.comments.errors.notVisible' },
  restore: { from: ['hidden'], messageKey: 'platform.comments.errors.notHidden' },
})

/** Whether a thread shows this person the moderation of its comments (the body's staff): hiding the shown, restoring the hidden. */
export function mayModerateComments(user: User | null | undefined, agencyId: number | null): boolean {
  return can(user, 'comment.hide', { agencyId }) || can(user, 'comment.restore', { agencyId })
}
