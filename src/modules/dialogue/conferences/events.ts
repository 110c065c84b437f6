import { defineEvent, say } from '../../../platform/notifications/events.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'

/** An online conference announced on a body's blog: the blog's followers are told its day, except who announced it. */
export const conferenceAnnounced = defineEvent<{ id: number; agencySlug: string; agencyName: MultilingualText; title: MultilingualText; startsAt: Date; authorId: number }>({
  name: 'dialogue-conference',
  occurrence: (p) => p.id,
  values: (p) => ({ agency: say.text(p.agencyName), title: say.text(p.title), date: say.date(p.startsAt), link: say.page(`/dialogue/conferences/${p.id}`) }),
  tells: [{ message: 'dialogue.mail.conference', to: (p) => ({ followers: [`dialogue-blog:${p.agencySlug}`], except: p.authorId }) }],
})
