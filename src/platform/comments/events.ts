import { defineEvent, say } from '../notifications/events.ts'
import type { MultilingualText } from '../i18n/multilingual.ts'

const commentPage = (subjectPath: string, id: number) => say.page(`${subjectPath}#comment-${id}`)

/** A reply to someone's comment: its author is told (not when they answer themselves). */
export const commentReplied = defineEvent<{ id: number; parentAuthorId: number; subjectTitle: MultilingualText; subjectPath: string; body: string }>({
  name: 'comment-reply',
  occurrence: (p) => p.id,
  values: (p) => ({ title: say.text(p.subjectTitle), text: p.body, link: commentPage(p.subjectPath, p.id) }),
  tells: [{ message: 'platform.mail.commentReply', to: (p) => ({ person: p.parentAuthorId }) }],
})

/** A comment hidden by a moderator: its author is told why, each time it is hidden. */
export const commentHidden = defineEvent<{ id: number; authorId: number; subjectTitle: MultilingualText; subjectPath: string; body: string; reason: string; note: string | null }>({
  name: 'comment-hidden',
  values: (p) => ({
    title: say.text(p.subjectTitle), text: p.body, reason: say.message(`platform.comments.reasons.${p.reason}`), note: p.note, link: commentPage(p.subjectPath, p.id),
  }),
  tells: [{ message: 'platform.mail.commentHidden', to: (p) => ({ person: p.authorId }) }],
})

/** The events of comments, which every module's comments tell of. */
export const COMMENT_EVENTS = [commentReplied, commentHidden]
