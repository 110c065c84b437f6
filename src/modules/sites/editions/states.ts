import { Type } from 'typebox'
import type { StateColours } from '../../../platform/states/tags.ts'

/**
 * A site item's editions, in one place: each language of an item is an edition of its own, with
 * its own life, as GOV.UK's publishing keeps them. What is stored (`site_editions.status`, held to
 * this list by its CHECK), each state's tag, and the API's schema.
 */

/**
 * draft (being written) → submitted (for publishing) → published, or scheduled first (published by
 * the job at its time); a new edition published makes the last one superseded; a published item may
 * be withdrawn, with a reason readers see. A submitted or scheduled edition may be returned to draft.
 */
export const EDITION_STATUSES = ['draft', 'submitted', 'scheduled', 'published', 'superseded', 'withdrawn'] as const
export type EditionStatus = (typeof EDITION_STATUSES)[number]
export const EDITION_STATES = {
  draft: 'yellow', submitted: 'blue', scheduled: 'turquoise', published: 'green', superseded: 'grey', withdrawn: 'red',
} as const satisfies StateColours<EditionStatus>
export const EditionStatusSchema = Type.Enum([...EDITION_STATUSES])

/** The unpublished states: one edition at a time per language is in one of them (a unique index holds it). */
export const UNPUBLISHED: readonly EditionStatus[] = ['draft', 'submitted', 'scheduled']
/** The states of the edition readers see in a language: the published one, or what an item's withdrawal left. */
export const CURRENT: readonly EditionStatus[] = ['published', 'withdrawn']

/** What a body's site publishes as items with editions. */
/** What a body's site publishes: news, documents, and its one page about itself (its mandate and structure). */
export const ITEM_KINDS = ['news', 'document', 'about'] as const
/** The kinds listed in sections and feeds, newest first. */
export const LISTED_KINDS = ['news', 'document'] as const
export type ItemKind = (typeof ITEM_KINDS)[number]

/** The kinds of a body's documents (orders, plans, reports, regulations it adopted). */
export const SITE_DOCUMENT_KINDS = ['order', 'plan', 'report', 'regulation', 'other'] as const
export type SiteDocumentKind = (typeof SITE_DOCUMENT_KINDS)[number]
