import type { Topic } from '../../platform/html/page-versions.ts'

/** What the dialogue's public pages show: its own records, bodies and their heads, askers' names, comments, and deadlines counted in working days. */
export const DIALOGUE_TOPICS: readonly Topic[] = ['dialogue', 'agencies', 'users', 'comments', 'calendar']
