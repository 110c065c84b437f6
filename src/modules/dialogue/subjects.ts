import { defineCommentable } from '../../platform/comments/service.ts'
import { findPost } from './posts/service.ts'
import { defineFollowable } from '../../platform/notifications/subscriptions.ts'
import { translate } from '../../platform/notifications/messages.ts'
import { LANGS } from '../../platform/i18n/index.ts'
import { localize, type MultilingualText } from '../../platform/i18n/multilingual.ts'

// A head's blog: its followers are mailed each question published there.
defineFollowable({
  prefix: 'dialogue-blog',
  async find(db, slug) {
    const [row] = await db.query<{ name: MultilingualText }>('select name from agencies where slug = $1', [slug])
    if (!row) return undefined
    const title = Object.fromEntries(LANGS.map((lang) => [lang, `${translate(lang, 'dialogue.title')}: ${localize(row.name, lang)?.text ?? slug}`]))
    return { title, path: `/dialogue/${slug}` }
  },
})

// A post on a head's blog takes comments (moderated by the body's staff, as every platform comment).
defineCommentable({
  type: 'dialogue-post',
  async find(db, key) {
    if (!/^\d{1,15}$/.test(key)) return undefined
    const post = await findPost(db, Number(key)).catch(() => undefined)
    return post && { agencyId: post.agency.id, open: true, path: `/dialogue/posts/${post.id}`, title: post.title }
  },
})
