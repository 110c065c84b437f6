import { defineEvent, say } from '../../../platform/notifications/events.ts'
import type { Day } from '../../../platform/calendar/days.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'

// What a draft's life tells, and to whom: each kind is announced by the change that makes it
// happen (lifecycle.ts, versions/service.ts), in the same transaction. Its history row is its
// event in legal_act_events.

const page = (id: number, rest = '') => say.page(`/legal-acts/drafts/${id}${rest}`)

/** A draft's discussion opened: the followers of its body and of its topic, except who opened it. */
export const draftPublished = defineEvent<{ id: number; title: MultilingualText; agencySlug: string; agencyName: MultilingualText; topic: string; end: Day; actorId: number }>({
  name: 'legal-act-published',
  occurrence: (p) => p.id,
  values: (p) => ({ title: say.text(p.title), agency: say.text(p.agencyName), end: say.date(p.end), link: page(p.id) }),
  tells: [{ message: 'legalActs.mail.published', to: (p) => ({ followers: [`agency:${p.agencySlug}`, `legal-act-topic:${p.topic}`], except: p.actorId }) }],
})

/** A new version of a draft in discussion or after: the draft's followers see what changed. */
export const draftVersioned = defineEvent<{ id: number; number: number; title: MultilingualText; actorId: number }>({
  name: 'legal-act-version',
  occurrence: (p) => `${p.id}:${p.number}`,
  values: (p) => ({ title: say.text(p.title), number: p.number, link: page(p.id, `/versions/${p.number}/changes`) }),
  tells: [{ message: 'legalActs.mail.version', to: (p) => ({ followers: [`legal-act:${p.id}`], except: p.actorId }) }],
})

/** A draft's discussion closed on its last day: its followers learn when the answers are due. */
export const draftClosed = defineEvent<{ id: number; title: MultilingualText; answersDue: Day }>({
  name: 'legal-act-closed',
  occurrence: (p) => p.id,
  values: (p) => ({ title: say.text(p.title), due: say.date(p.answersDue), link: page(p.id) }),
  tells: [{ message: 'legalActs.mail.closed', to: (p) => ({ followers: [`legal-act:${p.id}`] }) }],
})

/** One proposal's answer, for its author. */
export interface AnsweredProposal { id: number; authorId: number; body: string; decision: string; reason: MultilingualText | null }

/**
 * A draft's answers were published: each proposal's author is told the answer to theirs (one mail
 * a proposal), then the draft's followers that the summary is out.
 */
export const draftAnswered = defineEvent<{ id: number; title: MultilingualText; proposals: readonly AnsweredProposal[]; actorId: number }>({
  name: 'legal-act-answered',
  occurrence: (p) => p.id,
  values: (p) => ({ title: say.text(p.title), count: p.proposals.length, link: page(p.id, '/proposals') }),
  tells: [
    {
      message: 'legalActs.mail.answer',
      to: (p) => p.proposals.map((proposal) => ({
        person: proposal.authorId, key: String(proposal.id),
        values: { text: proposal.body, decision: say.message(`legalActs.decisions.${proposal.decision}`), reason: say.text(proposal.reason), link: page(p.id, `/proposals#proposal-${proposal.id}`) },
      })),
    },
    { message: 'legalActs.mail.answered', to: (p) => ({ followers: [`legal-act:${p.id}`], except: p.actorId }) },
  ],
})

/** Every event a draft tells of, for the module's definition. */
export const DRAFT_EVENTS = [draftPublished, draftVersioned, draftClosed, draftAnswered]
