import type { SitemapSource } from '../../platform/html/sitemap.ts'
import { kazakhstanDay } from '../../platform/calendar/days.ts'
import { questionSql } from './questions/states.ts'

/** Every question the public may read today (the rule its page keeps), for search engines. */
export const questionSitemap: SitemapSource = {
  name: 'dialogue',
  topics: ['dialogue', 'calendar'],
  pages: async (db) => (await db.query<{ id: string; at: Date }>(
    `select q.id, coalesce(q.answered_at, q.created_at) as at from dialogue_questions q where ${questionSql.public('$1')} order by q.id`, [kazakhstanDay(new Date())],
  )).map((q) => ({ path: `/dialogue/questions/${q.id}`, modified: q.at })),
}
