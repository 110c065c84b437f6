import { personalPolicy, type Policies } from '../../platform/auth/policies.ts'
import { bodyStaff, type User } from '../../platform/auth/roles.ts'

/** A question's asker, and no one else, administrators neither: it is the citizen's to decide. */
const asker = personalPolicy((user: User, question: { askerId: number }): boolean => user.id === question.askerId)

/** A petition's author, and no one else, administrators neither. */
const author = personalPolicy((user: User, petition: { authorId: number }): boolean => user.id === petition.authorId)

/** Anyone but a petition's author (who cannot be their own co-author), administrators neither: each acts for themselves. */
const notAuthor = personalPolicy((user: User, petition: { authorId: number }): boolean => user.id !== petition.authorId)

/** A petition's co-authors, and no one else. */
const coAuthor = personalPolicy((user: User, petition: { coAuthorIds: readonly number[] }): boolean => petition.coAuthorIds.includes(user.id))

/**
 * Who may do what in Open Dialogue (administrators pass every policy). Each action on a question
 * is its own, given the question; which of them its state allows is the service's
 * `questionActions`, which pages offer and the service enforces alike.
 */
export const dialoguePolicies: Policies = {
  // Any signed-in person may ask (their address confirmed, which the service checks).
  'dialogue.ask': () => true,
  // The body's staff keep its blog and its conferences, and read its questions in every state.
  'dialogue.manage': bodyStaff,
  'dialogue.question.publish': bodyStaff,
  'dialogue.question.reject': bodyStaff,
  'dialogue.question.forward': bodyStaff,
  'dialogue.question.extend': bodyStaff,
  'dialogue.question.answer': bodyStaff,
  'dialogue.question.withdraw': asker,
  'dialogue.question.rate': asker,
  'dialogue.question.follow-up': asker,
  // A body's staff publish and withdraw its polls; anyone signed in votes (polls/actions.ts says when,
  // the service asks for a confirmed address and, for a region's poll, residence).
  'dialogue.poll.create': bodyStaff,
  'dialogue.poll.withdraw': bodyStaff,
  'dialogue.poll.vote': () => true,
  // Anyone signed in drafts and signs petitions (the service asks for a confirmed address); the
  // author alone submits or withdraws theirs; the portal's administrators moderate (no body judges a
  // petition to itself); the addressed body's staff discuss and answer.
  'dialogue.petition.create': () => true,
  'dialogue.petition.sign': () => true,
  // Anyone else with its invitation link joins a draft as a co-author; a co-author leaves it.
  'dialogue.petition.join': notAuthor,
  'dialogue.petition.leave': coAuthor,
  'dialogue.petition.submit': author,
  'dialogue.petition.withdraw': author,
  'dialogue.petition.moderate': () => false,
  'dialogue.petition.publish': () => false,
  'dialogue.petition.reject': () => false,
  'dialogue.petition.invalidate': () => false,
  'dialogue.petition.discuss': bodyStaff,
  'dialogue.petition.answer': bodyStaff,
}
