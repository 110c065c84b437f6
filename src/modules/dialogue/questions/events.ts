import { defineEvent, say } from '../../../platform/notifications/events.ts'
import type { Day } from '../../../platform/calendar/days.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'

// What a question's life tells, and to whom: each kind is announced by the change that makes it
// happen (see service.ts), in the same transaction. Its history row is its event in
// dialogue_question_events (states.ts lists those kinds).

const page = (id: number) => say.page(`/dialogue/questions/${id}`)

/** A question was received: its asker has a receipt with its deadline, its body's staff a question to moderate. */
export const questionReceived = defineEvent<{ id: number; askerId: number; agencyId: number; agencyName: MultilingualText; dueOn: Day; moderationDue: Day }>({
  name: 'question-received',
  occurrence: (p) => p.id,
  values: (p) => ({ number: p.id, link: page(p.id) }),
  tells: [
    { message: 'dialogue.mail.received', to: (p) => ({ person: p.askerId }), values: (p) => ({ agency: say.text(p.agencyName), due: say.date(p.dueOn) }) },
    { message: 'dialogue.mail.toModerate', to: (p) => ({ staffOf: p.agencyId }), values: (p) => ({ due: say.date(p.moderationDue) }) },
  ],
})

/** A question was published: its asker, the followers of its body's blog, and those of the question it follows up. */
export const questionPublished = defineEvent<{ id: number; askerId: number; agencySlug: string; agencyName: MultilingualText; body: string; followUpOf: number | null }>({
  name: 'question-published',
  occurrence: (p) => p.id,
  values: (p) => ({ number: p.id, link: page(p.id), text: p.body, agency: say.text(p.agencyName) }),
  tells: [
    { message: 'dialogue.mail.published', to: (p) => ({ person: p.askerId }) },
    { message: 'dialogue.mail.newQuestion', to: (p) => ({ followers: [`dialogue-blog:${p.agencySlug}`] }) },
    // A blog's follower has heard already: a person is told by the first telling that reaches them.
    { message: 'dialogue.mail.followUpAsked', to: (p) => p.followUpOf !== null && { followers: [`dialogue-question:${p.followUpOf}`] }, values: (p) => ({ number: p.followUpOf }) },
  ],
})

/** A question was rejected: its asker is told the reason (and, for a duplicate, where the original is). */
export const questionRejected = defineEvent<{ id: number; askerId: number; reason: string; duplicateOf: number | null }>({
  name: 'question-rejected',
  occurrence: (p) => p.id,
  values: (p) => ({ number: p.id, reason: say.message(`dialogue.rejection.${p.reason}.subject`), link: page(p.duplicateOf ?? p.id) }),
  tells: [{ message: 'dialogue.mail.rejected', to: (p) => ({ person: p.askerId }) }],
})

/** A question was forwarded to the competent body: its asker is told why and by when, that body's staff have it to moderate. */
export const questionForwarded = defineEvent<{ id: number; askerId: number; agencyId: number; agencyName: MultilingualText; reason: MultilingualText; dueOn: Day; moderationDue: Day }>({
  name: 'question-forwarded',
  // Forwarded on again, it is news again to the next body.
  occurrence: (p) => `${p.id}:${p.agencyId}`,
  values: (p) => ({ number: p.id, link: page(p.id) }),
  tells: [
    { message: 'dialogue.mail.forwarded', to: (p) => ({ person: p.askerId }), values: (p) => ({ agency: say.text(p.agencyName), reason: say.text(p.reason), due: say.date(p.dueOn) }) },
    { message: 'dialogue.mail.toModerate', to: (p) => ({ staffOf: p.agencyId }), values: (p) => ({ due: say.date(p.moderationDue) }) },
  ],
})

/** A question's deadline was extended: its asker, and the question's followers once it is public. */
export const questionExtended = defineEvent<{ id: number; askerId: number; to: Day; reason: MultilingualText; published: boolean }>({
  name: 'question-extended',
  occurrence: (p) => p.id,
  values: (p) => ({ number: p.id, to: say.date(p.to), reason: say.text(p.reason), link: page(p.id) }),
  tells: [
    { message: 'dialogue.mail.extended', to: (p) => ({ person: p.askerId }) },
    { message: 'dialogue.mail.followedExtended', to: (p) => p.published && { followers: [`dialogue-question:${p.id}`] } },
  ],
})

/** A question was answered: its asker, and the followers of the question and of its body's blog. */
export const questionAnswered = defineEvent<{ id: number; askerId: number; agencySlug: string; agencyName: MultilingualText; body: string; answer: MultilingualText }>({
  name: 'question-answered',
  occurrence: (p) => p.id,
  values: (p) => ({ number: p.id, agency: say.text(p.agencyName), answer: say.text(p.answer), question: p.body, link: page(p.id) }),
  tells: [
    { message: 'dialogue.mail.answered', to: (p) => ({ person: p.askerId }) },
    { message: 'dialogue.mail.followedAnswered', to: (p) => ({ followers: [`dialogue-question:${p.id}`, `dialogue-blog:${p.agencySlug}`] }) },
  ],
})

/** A question's deadline is near: its body's staff are reminded, once per deadline. */
export const questionDeadlineNear = defineEvent<{ id: number; agencyId: number; deadline: Day }>({
  name: 'question-deadline',
  occurrence: (p) => `${p.id}:${p.deadline}`,
  values: (p) => ({ number: p.id, due: say.date(p.deadline), link: page(p.id) }),
  tells: [{ message: 'dialogue.mail.deadlineNear', to: (p) => ({ staffOf: p.agencyId }) }],
})

/** Every event a question tells of, for the module's definition. */
export const QUESTION_EVENTS = [questionReceived, questionPublished, questionRejected, questionForwarded, questionExtended, questionAnswered, questionDeadlineNear]
