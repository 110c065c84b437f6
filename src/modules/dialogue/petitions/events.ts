import { defineEvent, say } from '../../../platform/notifications/events.ts'
import type { Day } from '../../../platform/calendar/days.ts'

// What a petition's life tells its author and its body, announced by the change that makes it
// happen (service.ts), in the same transaction. Its history row is its event in dialogue_petition_events.

const page = (id: number) => say.page(`/dialogue/petitions/${id}`)

/** Published by a moderator: its author is told it collects signatures, how many it needs and until when. */
export const petitionPublished = defineEvent<{ id: number; authorId: number; title: string; needed: number; until: Day }>({
  name: 'petition-published',
  occurrence: (p) => p.id,
  values: (p) => ({ title: p.title, count: p.needed, date: say.date(p.until), link: page(p.id) }),
  tells: [{ message: 'dialogue.mail.petitionPublished', to: (p) => ({ person: p.authorId }) }],
})

/** Rejected by a moderator: its author is told the reason, in their language. */
export const petitionRejected = defineEvent<{ id: number; authorId: number; title: string; reason: string; note: string | null }>({
  name: 'petition-rejected',
  occurrence: (p) => p.id,
  values: (p) => ({ title: p.title, reason: say.message(`dialogue.petitions.reasons.${p.reason}`), note: p.note, link: page(p.id) }),
  tells: [{ message: 'dialogue.mail.petitionRejected', to: (p) => ({ person: p.authorId }) }],
})

/** Its signatures reached the number it needs: its author and its followers are told, and its body's staff have it to consider by its deadline. */
export const petitionSupported = defineEvent<{ id: number; authorId: number; agencyId: number; title: string; signatures: number; due: Day }>({
  name: 'petition-supported',
  occurrence: (p) => p.id,
  values: (p) => ({ title: p.title, count: p.signatures, date: say.date(p.due), link: page(p.id) }),
  tells: [
    { message: 'dialogue.mail.petitionSupported', to: (p) => ({ person: p.authorId }) },
    { message: 'dialogue.mail.petitionToConsider', to: (p) => ({ staffOf: p.agencyId }) },
    { message: 'dialogue.mail.followedPetitionSupported', to: (p) => ({ followers: [`dialogue-petition:${p.id}`] }) },
  ],
})

/** Its period ended short of its number: its author is told. */
export const petitionNotSupported = defineEvent<{ id: number; authorId: number; title: string; signatures: number }>({
  name: 'petition-not-supported',
  occurrence: (p) => p.id,
  values: (p) => ({ title: p.title, count: p.signatures, link: page(p.id) }),
  tells: [{ message: 'dialogue.mail.petitionNotSupported', to: (p) => ({ person: p.authorId }) }],
})

/** Its body decided: its author and its followers (signers who asked among them) are told the decision. */
export const petitionAnswered = defineEvent<{ id: number; authorId: number; title: string; decision: Record<string, string> }>({
  name: 'petition-answered',
  occurrence: (p) => p.id,
  values: (p) => ({ title: p.title, decision: say.text(p.decision), link: page(p.id) }),
  tells: [
    { message: 'dialogue.mail.petitionAnswered', to: (p) => ({ person: p.authorId }) },
    { message: 'dialogue.mail.followedPetitionAnswered', to: (p) => ({ followers: [`dialogue-petition:${p.id}`] }) },
  ],
})

/** Every event a petition tells of, for the module's definition. */
export const PETITION_EVENTS = [petitionPublished, petitionRejected, petitionSupported, petitionNotSupported, petitionAnswered]
