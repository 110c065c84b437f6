import { defineEvent, say } from '../../../platform/notifications/events.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'

/** A post on a body's blog: the blog's followers are told, except its author. */
export const postPublished = defineEvent<{ id: number; agencySlug: string; agencyName: MultilingualText; title: MultilingualText; authorId: number }>({
  name: 'dialogue-post',
  occurrence: (p) => p.id,
  values: (p) => ({ agency: say.text(p.agencyName), title: say.text(p.title), link: say.page(`/dialogue/posts/${p.id}`) }),
  tells: [{ message: 'dialogue.mail.post', to: (p) => ({ followers: [`dialogue-blog:${p.agencySlug}`], except: p.authorId }) }],
})
