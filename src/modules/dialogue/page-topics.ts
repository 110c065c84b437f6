import type { Topic } from '../../platform/html/page-versions.ts'

/** What the dialogue's public pages show: its own records, bodies and their heads, askers' names, comments, and deadlines counted in working days. */
export const DIALOGUE_TOPICS: readonly Topic[] = ['dialogue', 'agencies', 'users', 'comments', 'calendar']

/** What a poll's pages show: the poll and its ballots (their own topic: a vote moves no other page), its body, and the day it opens and closes. */
export const POLL_TOPICS: readonly Topic[] = ['polls', 'agencies', 'calendar']

/** What a petition's pages show: the petition, its signatures and history (their own topic: a signature moves no other page), its body, signers' names, and its deadlines in working days. */
export const PETITION_TOPICS: readonly Topic[] = ['petitions', 'agencies', 'users', 'calendar']

/** What the dialogue's home and a head's page show: the dialogue's own, and the body's polls and petitions listed there. */
export const BLOG_TOPICS: readonly Topic[] = [...DIALOGUE_TOPICS, 'polls', 'petitions']
