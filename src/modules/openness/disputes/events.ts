import { defineEvent, say } from '../../../platform/notifications/events.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'

const page = (id: number) => say.page(`/openness/disputes/${id}`)

/** A body disputed an indicator: the commission is told, and the body's other staff. */
export const disputeSubmitted = defineEvent<{ id: number; agencyId: number; agencyName: MultilingualText; indicator: string; submittedBy: number }>({
  name: 'openness-dispute-submitted',
  occurrence: (p) => p.id,
  values: (p) => ({ number: p.id, agency: say.text(p.agencyName), indicator: say.message(`openness.indicators.${p.indicator}`), link: page(p.id) }),
  tells: [
    { message: 'openness.mail.disputeToDecide', to: () => ({ holders: 'commission' }) },
    { message: 'openness.mail.disputeSubmitted', to: (p) => [{ person: p.submittedBy }, { staffOf: p.agencyId }] },
  ],
})

/** The commission decided a dispute: the body's staff are told the decision and its reason. */
export const disputeDecided = defineEvent<{ id: number; agencyId: number; indicator: string; accepted: boolean; decision: string }>({
  name: 'openness-dispute-decided',
  occurrence: (p) => p.id,
  values: (p) => ({ number: p.id, indicator: say.message(`openness.indicators.${p.indicator}`), outcome: say.message(`openness.disputes.states.${p.accepted ? 'accepted' : 'rejected'}`), decision: p.decision, link: page(p.id) }),
  tells: [{ message: 'openness.mail.disputeDecided', to: (p) => ({ staffOf: p.agencyId }) }],
})

export const DISPUTE_EVENTS = [disputeSubmitted, disputeDecided]
