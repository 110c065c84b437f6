import type { Topic } from '../../platform/html/page-versions.ts'

/** What the legal acts' public pages show: drafts and their answers, bodies, commenters' names, comments, and discussion periods counted in days. */
export const LEGAL_ACTS_TOPICS: readonly Topic[] = ['legal-acts', 'agencies', 'users', 'comments', 'calendar']
