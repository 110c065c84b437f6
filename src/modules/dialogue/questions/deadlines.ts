import type { Day, WorkingCalendar } from '../../../platform/calendar/days.ts'
import type { DialogueRules } from '../../../platform/config.ts'

/** The days a question must be dealt with by, from the day its body received it. */
export interface QuestionDeadlines {
  receivedOn: Day
  /** Published, rejected or forwarded by the end of this day. */
  moderationDue: Day
  /** Forwarded to the competent body by the end of this day (APC art. 65). */
  forwardDue: Day
  /** Answered by the end of this day (APC art. 76). */
  dueOn: Day
}

/**
 * A question's deadlines: periods of working days counted from the day after the one it was
 * received, each ending with the last of its working days (the calendar's rule). A question
 * received on a Saturday is, like one received on the Friday before, counted from Monday.
 */
export function questionDeadlines(calendar: WorkingCalendar, receivedOn: Day, rules: DialogueRules): QuestionDeadlines {
  return {
    receivedOn,
    moderationDue: calendar.addWorkingDays(receivedOn, rules.moderationWorkingDays),
    forwardDue: calendar.addWorkingDays(receivedOn, rules.forwardWorkingDays),
    dueOn: calendar.addWorkingDays(receivedOn, rules.answerWorkingDays),
  }
}

/** The same day so many months later, or the month's last day where it has no such day (31 January + 1 month: 28 or 29 February). */
export function addMonths(day: Day, months: number): Day {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(year, month - 1 + months, 1))
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(date, last))
  return target.toISOString().slice(0, 10)
}

/** The latest day a deadline may be extended to: so many months from the day the question was received. */
export function extensionLimit(receivedOn: Day, rules: DialogueRules): Day {
  return addMonths(receivedOn, rules.extensionMonths)
}

/** What a reader is told of a question's state: its stored status, with forwarded, extended and overdue read from its days. */
export type QuestionState = 'moderation' | 'forwarded' | 'published' | 'extended' | 'overdue' | 'answered' | 'rejected' | 'withdrawn'

export function questionState(q: { status: string; forwardedFrom: number | null; extendedTo: Day | null; dueOn: Day }, today: Day): QuestionState {
  if (q.status === 'answered' || q.status === 'rejected' || q.status === 'withdrawn') return q.status
  if (today > (q.extendedTo ?? q.dueOn)) return 'overdue'
  if (q.status === 'moderation') return q.forwardedFrom === null ? 'moderation' : 'forwarded'
  return q.extendedTo ? 'extended' : 'published'
}

