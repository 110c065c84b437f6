import type { CommentableKind } from '../../platform/comments/service.ts'
import { findConference } from './conferences/service.ts'
import { findPost } from './posts/service.ts'
import { findQuestion } from './questions/service.ts'
import { findPetition } from './petitions/service.ts'
import type { Followable } from '../../platform/notifications/subscriptions.ts'
import { translate } from '../../platform/notifications/messages.ts'
import { LANGS } from '../../platform/i18n/index.ts'
import { localize, type MultilingualText } from '../../platform/i18n/multilingual.ts'

/** What of this portal takes comments: registered by the module's definition. */
export const dialogueCommentables: CommentableKind[] = [
  // A post on a head's blog takes comments (moderated by the body's staff, as every platform comment).
  {
    type: 'dialogue-post',
    async find(db, key) {
      if (!/^\d{1,15}$/.test(key)) return undefined
      const post = await findPost(db, Number(key)).catch(() => undefined)
      return post && { agencyId: post.agency.id, open: true, path: `/dialogue/posts/${post.id}`, title: post.title }
    },
  },
  // Questions sent to a web conference before it starts, voted up by readers.
  {
    type: 'dialogue-conference',
    async find(db, key) {
      if (!/^\d{1,15}$/.test(key)) return undefined
      const conference = await findConference(db, Number(key)).catch(() => undefined)
      return conference && { agencyId: conference.agency.id, open: conference.open, path: `/dialogue/conferences/${conference.id}`, title: conference.title }
    },
  },
]

/** What of this portal can be followed: registered by the module's definition. */
export const dialogueFollowables: Followable[] = [
  // A head's blog: its followers are mailed each question published there.
  {
    prefix: 'dialogue-blog',
    async find(db, slug) {
      const [row] = await db.query<{ name: MultilingualText }>('select name from agencies where slug = $1', [slug])
      if (!row) return undefined
      const title = Object.fromEntries(LANGS.map((lang) => [lang, `${translate(lang, 'dialogue.title')}: ${localize(row.name, lang)?.text ?? slug}`]))
      return { title, path: `/dialogue/${slug}` }
    },
  },
  // A public question awaiting its answer: its followers are mailed when the deadline is extended,
  // when it is answered, and when its asker's follow-up is published.
  {
    prefix: 'dialogue-question',
    async find(db, key) {
      if (!/^\d{1,15}$/.test(key)) return undefined
      const question = await findQuestion(db, Number(key), null).catch(() => undefined)
      if (!question) return undefined
      const title = Object.fromEntries(LANGS.map((lang) => [lang, translate(lang, 'dialogue.question.title', { number: question.id })]))
      return { title, path: `/dialogue/questions/${question.id}` }
    },
  },
  // A published petition: its followers (signers who asked, readers who follow it) are mailed when it
  // has the signatures it needs and when its body decides.
  {
    prefix: 'dialogue-petition',
    async find(db, key) {
      if (!/^\d{1,15}$/.test(key)) return undefined
      const petition = await findPetition(db, Number(key), null).catch(() => undefined)
      if (!petition) return undefined
      return { title: Object.fromEntries(LANGS.map((lang) => [lang, petition.title])), path: `/dialogue/petitions/${petition.id}` }
    },
  },
]
