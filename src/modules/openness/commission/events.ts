import { defineEvent, say } from '../../../platform/notifications/events.ts'
import type { Day } from '../../../platform/calendar/days.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'

const page = (id: number) => say.page(`/openness/commission/recommendations/${id}`)

/** The Commission recommended something to a body: its staff are told what, and by when to report. */
export const recommendationMade = defineEvent<{ id: number; agencyId: number; text: MultilingualText; due: Day }>({
  name: 'openness-recommendation-made',
  occurrence: (p) => p.id,
  values: (p) => ({ number: p.id, text: say.text(p.text), date: say.date(p.due), link: page(p.id) }),
  tells: [{ message: 'openness.mail.recommendationMade', to: (p) => ({ staffOf: p.agencyId }) }],
})

/** A body reported on a recommendation: the commission is told. */
export const recommendationReported = defineEvent<{ id: number; agencyName: MultilingualText }>({
  name: 'openness-recommendation-reported',
  occurrence: (p) => p.id,
  values: (p) => ({ number: p.id, agency: say.text(p.agencyName), link: page(p.id) }),
  tells: [{ message: 'openness.mail.recommendationReported', to: () => ({ holders: 'commission' }) }],
})

export const COMMISSION_EVENTS = [recommendationMade, recommendationReported]
