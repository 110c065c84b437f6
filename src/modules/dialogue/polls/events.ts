import { defineEvent, say } from '../../../platform/notifications/events.ts'
import type { Day } from '../../../platform/calendar/days.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'

const page = (id: number) => say.page(`/dialogue/polls/${id}`)

/** A poll was published: the followers of its body's blog are told its question and its days, except who published it. */
export const pollPublished = defineEvent<{ id: number; agencySlug: string; agencyName: MultilingualText; title: MultilingualText; opensOn: Day; closesOn: Day; actorId: number }>({
  name: 'dialogue-poll-published',
  occurrence: (p) => p.id,
  values: (p) => ({ agency: say.text(p.agencyName), title: say.text(p.title), from: say.date(p.opensOn), to: say.date(p.closesOn), link: page(p.id) }),
  tells: [{ message: 'dialogue.mail.pollPublished', to: (p) => ({ followers: [`dialogue-blog:${p.agencySlug}`], except: p.actorId }) }],
})

/** A poll closed after its last day: the followers of its body's blog are told its results are there. */
export const pollClosed = defineEvent<{ id: number; agencySlug: string; agencyName: MultilingualText; title: MultilingualText; ballots: number }>({
  name: 'dialogue-poll-closed',
  occurrence: (p) => p.id,
  values: (p) => ({ agency: say.text(p.agencyName), title: say.text(p.title), count: p.ballots, link: page(p.id) }),
  tells: [{ message: 'dialogue.mail.pollClosed', to: (p) => ({ followers: [`dialogue-blog:${p.agencySlug}`] }) }],
})

/** Every event a poll tells of, for the module's definition. */
export const POLL_EVENTS = [pollPublished, pollClosed]
