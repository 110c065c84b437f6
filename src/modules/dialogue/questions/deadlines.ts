import type { Day, WorkingCalendar } from '../../../platform/calendar/days.ts'
import type { DialogueRules } from '../../../platform/config.ts'
import { periodEnd } from '../../../platform/calendar/periods.ts'

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
 * A question's deadlines: periods of working days that its receipt starts (counted from the next
 * day, as every period is: `platform/calendar/periods.ts`), each ending with the last of its working
 * days. A question received on a Saturday is, like one received on the Friday before, counted from Monday.
 */
export function questionDeadlines(calendar: WorkingCalendar, receivedOn: Day, rules: DialogueRules): QuestionDeadlines {
  const due = (length: number) => periodEnd(receivedOn, { length, unit: 'working-days' }, calendar)
  return { receivedOn, moderationDue: due(rules.moderationWorkingDays), forwardDue: due(rules.forwardWorkingDays), dueOn: due(rules.answerWorkingDays) }
}

/**
 * The latest day a deadline may be extended to: the APC (art. 76) lets the answer's period be
 * extended to so many months counted, like the period itself, from the question's receipt, not from
 * the first deadline; a period of months ends on the same date (Civil Code art. 171).
 */
export function extensionLimit(receivedOn: Day, rules: DialogueRules): Day {
  return periodEnd(receivedOn, { length: rules.extensionMonths, unit: 'months' })
}
