import type { StateColours } from '../../platform/states/tags.ts'

/** The kinds of acts whose drafts are discussed, as Kazakhstan's Law "On legal acts" names them. */
export const ACT_KINDS = [
  'law', 'code', 'decree', 'resolution', 'order', 'joint-order', 'akimat-resolution', 'maslikhat-decision',
  'rules', 'public-service-standard', 'concept',
] as const
export type ActKind = (typeof ACT_KINDS)[number]

/** The topics drafts are filed under, for filters and subscriptions. */
export const TOPICS = [
  'economy', 'finance', 'health', 'education', 'social', 'labour', 'environment', 'agriculture', 'transport',
  'digital', 'energy', 'construction', 'justice', 'security', 'culture', 'public-administration',
] as const
export type Topic = (typeof TOPICS)[number]

/** A draft's life, each step dated and public. */
export const STATUSES = ['preparation', 'discussion', 'closed', 'answered', 'adopted', 'withdrawn'] as const
export type DraftStatus = (typeof STATUSES)[number]
/** The colour of each status's tag. */
export const STATUS_COLOURS = { preparation: 'yellow', discussion: 'green', closed: 'grey', answered: 'blue', adopted: 'purple', withdrawn: 'red' } as const satisfies StateColours<DraftStatus>

/** The kinds of a draft's history (legal_act_events, held by its CHECK), each told in kk, ru and en as legalActs.events.<kind>. */
export const DRAFT_EVENT_KINDS = ['created', 'discussion', 'closed', 'answered', 'adopted', 'withdrawn', 'version'] as const
export type DraftEventKind = (typeof DRAFT_EVENT_KINDS)[number]

/** The states a draft may still leave, and whether it is past them: adopted and withdrawn are final. */
export const NOT_FINAL: readonly DraftStatus[] = ['preparation', 'discussion', 'closed', 'answered']
export const isFinal = (status: DraftStatus): boolean => !NOT_FINAL.includes(status)

/** What the developer decided on a proposal. */
export const DECISIONS = ['accepted', 'partly', 'rejected'] as const
export type Decision = (typeof DECISIONS)[number]

/** The documents that come with a draft. */
export const ATTACHMENT_KINDS = ['explanatory-note', 'comparative-table', 'impact-analysis', 'other'] as const
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number]
