import type { StateColours } from '../../../platform/states/tags.ts'

/** A data request's states: asked, then answered as planned (with a date), published (with a dataset) or refused (with a reason). */
export const REQUEST_STATUSES = ['open', 'planned', 'published', 'refused'] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]
/** The colour of each state's tag. */
export const REQUEST_STATUS_COLOURS = { open: 'blue', planned: 'yellow', published: 'green', refused: 'red' } as const satisfies StateColours<RequestStatus>
