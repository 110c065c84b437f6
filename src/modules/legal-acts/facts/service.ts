import type { Queryable } from '../../../platform/db/index.ts'
import type { Day } from '../../../platform/calendar/days.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { today } from '../drafts/service.ts'
import { ValidationError } from '../../../platform/http/errors.ts'

/**
 * What one body did with its drafts in a period, as the openness index reads it: the drafts it
 * published for discussion (their first day in the period), how long they were discussed, how many
 * were shorter than the minimum, and what became of the proposals: answered, on time or late.
 */
export interface LegalActFacts {
  agency: { slug: string; name: MultilingualText }
  draftsPublished: number
  /** Calendar days of discussion, from the day after publication to the last day (Civil Code art. 170): the median and the shortest. */
  medianDiscussionDays: number
  shortestDiscussionDays: number
  /** Published with a discussion shorter than the rules' minimum (imports bring such). */
  belowMinimum: number
  /** Proposals on drafts whose discussion has closed, and how many of them have a published answer. */
  proposals: number
  proposalsAnswered: number
  /** Closed drafts, by what became of their answers: published by the day due, after it, or still missing after it. */
  answersOnTime: number
  answersLate: number
  answersOverdue: number
  /** Working days are the law's, but lateness is told in calendar days: the mean of the late drafts. */
  meanDaysLate: number
}

/** The facts of every body that published a draft for discussion between from and to (both included). */
export async function legalActFacts(db: Queryable, period: { from: Day; to: Day }, day = today()): Promise<LegalActFacts[]> {
  const rows = await db.query<{
    slug: string; name: MultilingualText; drafts: number; median_days: number; shortest_days: number; below_minimum: number
    proposals: number; answered: number; on_time: number; late: number; overdue: number; mean_days_late: number
  }>(
    `with drafts as (
       select d.id, d.agency_id, d.status, d.below_minimum, d.answers_due, d.discussion_end - d.discussion_start as days,
         -- The day answers were published, in Kazakhstan (UTC+5).
         (select min(((e.at at time zone 'UTC') + interval '5 hours')::date) from legal_act_events e where e.draft_id = d.id and e.kind = 'answered') as answered_on,
         (select count(*)::int from comments c join legal_act_versions v on c.subject_type = 'legal-act-version' and c.subject_id = v.id::text
           where v.draft_id = d.id and c.parent_id is null and c.hidden_at is null) as proposals,
         (select count(*)::int from legal_act_answers a join comments c on c.id = a.comment_id
           where a.draft_id = d.id and c.parent_id is null and c.hidden_at is null) as answers
       from legal_act_drafts d
       where d.discussion_start between $1::date and $2::date
     )
     select a.slug, a.name, count(*)::int as drafts,
       percentile_cont(0.5) within group (order by days)::float as median_days, min(days)::int as shortest_days,
       count(*) filter (where below_minimum)::int as below_minimum,
       coalesce(sum(proposals) filter (where answers_due is not null), 0)::int as proposals,
       coalesce(sum(answers) filter (where answered_on is not null), 0)::int as answered,
       count(*) filter (where answered_on <= answers_due)::int as on_time,
       count(*) filter (where answered_on > answers_due)::int as late,
       count(*) filter (where answered_on is null and status = 'closed' and answers_due < $3::date)::int as overdue,
       coalesce(avg(answered_on - answers_due) filter (where answered_on > answers_due), 0)::float as mean_days_late
     from drafts join agencies a on a.id = drafts.agency_id
     group by a.slug, a.name order by count(*) desc, a.slug`,
    [period.from, period.to, day],
  )
  return rows.map((r) => ({
    agency: { slug: r.slug, name: r.name }, draftsPublished: r.drafts, medianDiscussionDays: r.median_days, shortestDiscussionDays: r.shortest_days,
    belowMinimum: r.below_minimum, proposals: r.proposals, proposalsAnswered: r.answered,
    answersOnTime: r.on_time, answersLate: r.late, answersOverdue: r.overdue, meanDaysLate: Math.round(r.mean_days_late * 10) / 10,
  }))
}

/** The period facts are asked for: the current year in Kazakhstan unless told; at most ten years. */
export function factsPeriod(query: { from?: string; to?: string }, day = today()): { from: Day; to: Day } {
  const year = day.slice(0, 4)
  const from = query.from || `${year}-01-01`
  const to = query.to || `${year}-12-31`
  if (to < from) throw new ValidationError([{ field: 'to', messageKey: 'legalActs.errors.periodReversed' }])
  if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) > 10) throw new ValidationError([{ field: 'from', messageKey: 'legalActs.errors.periodTooLong' }])
  return { from, to }
}
