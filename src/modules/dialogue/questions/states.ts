import { Type } from 'typebox'
import type { Day } from '../../../platform/calendar/days.ts'
import type { StateColours } from '../../../platform/states/tags.ts'

/**
 * A question's states, in one place: what is stored, what readers are told, the colour of its tag,
 * the API's schema, and the same rules in TypeScript and in SQL (test/modules/dialogue/states.test.ts
 * runs both over the same rows, and holds the database's CHECK to the stored list).
 */

/** What the body has done with a question, as stored in `dialogue_questions.status`. */
export const QUESTION_STATUSES = ['moderation', 'published', 'answered', 'rejected', 'withdrawn'] as const
export type QuestionStatus = (typeof QUESTION_STATUSES)[number]

/** The statuses in which the body still owes the asker an answer (or a decision), by its deadline. */
export const OPEN_STATUSES = ['moderation', 'published'] as const satisfies readonly QuestionStatus[]
/** The statuses the public reads in full. */
export const PUBLIC_STATUSES = ['published', 'answered'] as const satisfies readonly QuestionStatus[]

/**
 * What readers are told of a question: its status, with forwarded, extended and overdue read from its
 * days; each with the colour of its tag (GOV.UK Frontend's tag modifiers).
 */
export const QUESTION_STATES = {
  moderation: 'yellow', forwarded: 'orange', published: 'blue', extended: 'purple', overdue: 'red', answered: 'green', rejected: 'grey', withdrawn: 'grey',
} as const satisfies StateColours
export type QuestionState = keyof typeof QUESTION_STATES

export const QuestionStateSchema = Type.Enum(Object.keys(QUESTION_STATES) as QuestionState[], {
  description: 'published, extended, overdue or answered; its asker and its body see it also in moderation, forwarded, rejected or withdrawn',
})

/** The steps of a question's life its history records (`dialogue_question_events.kind`, held to this list by a CHECK). */
export const QUESTION_EVENT_KINDS = ['received', 'published', 'rejected', 'forwarded', 'extended', 'answered', 'rated', 'withdrawn', 'reminded'] as const
export type QuestionEventKind = (typeof QUESTION_EVENT_KINDS)[number]

/** The states a list of public questions is filtered by, each a set of the states above. */
export const QUESTION_FILTERS = { awaiting: ['published', 'extended'], overdue: ['overdue'], answered: ['answered'] } as const satisfies Record<string, readonly QuestionState[]>
export type QuestionFilter = keyof typeof QUESTION_FILTERS

const isOpen = (status: string): boolean => (OPEN_STATUSES as readonly string[]).includes(status)

/** The day a question is due: its extended deadline, or its first. */
export function deadlineOf(q: { extendedTo: Day | null; dueOn: Day }): Day {
  return q.extendedTo ?? q.dueOn
}

/** What a reader is told of a question on a day: a final status as it is; an open one past its deadline is overdue. */
export function questionState(q: { status: string; forwardedFrom: number | null; extendedTo: Day | null; dueOn: Day }, today: Day): QuestionState {
  if (!isOpen(q.status)) return q.status as QuestionState
  if (today > deadlineOf(q)) return 'overdue'
  if (q.status === 'moderation') return q.forwardedFrom === null ? 'moderation' : 'forwarded'
  return q.extendedTo ? 'extended' : 'published'
}

/**
 * Whether the public reads a question: published and answered ones, and one a body let pass its
 * deadline in moderation (public as overdue, its text withheld), so it cannot bury a question.
 */
export function isPublic(q: { status: string; state: QuestionState }): boolean {
  return (PUBLIC_STATUSES as readonly string[]).includes(q.status) || (q.status === 'moderation' && q.state === 'overdue')
}

const list = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ')

/** The same rules in SQL, over the row aliased `q`, on the day `day` (a bound parameter's placeholder). */
export const questionSql = {
  deadline: (q = 'q') => `coalesce(${q}.extended_to, ${q}.due_on)`,
  state(day: string, q = 'q'): string {
    return `case when ${q}.status not in (${list(OPEN_STATUSES)}) then ${q}.status
      when ${day}::date > ${this.deadline(q)} then 'overdue'
      when ${q}.status = 'moderation' then case when ${q}.forwarded_from is null then 'moderation' else 'forwarded' end
      when ${q}.extended_to is not null then 'extended' else 'published' end`
  },
  /** Open and past its deadline (overdue). */
  overdue: (day: string, q = 'q') => `(${q}.status in (${list(OPEN_STATUSES)}) and ${questionSql.deadline(q)} < ${day}::date)`,
  public: (day: string, q = 'q') => `(${q}.status in (${list(PUBLIC_STATUSES)}) or (${q}.status = 'moderation' and ${questionSql.deadline(q)} < ${day}::date))`,
  /** One of the public filters (a status first, so the index on it is used). */
  filter(name: QuestionFilter, day: string, q = 'q'): string {
    const states: readonly QuestionState[] = QUESTION_FILTERS[name]
    if (name === 'overdue') return this.overdue(day, q)
    return `${q}.status in (${list(PUBLIC_STATUSES)}) and (${this.state(day, q)}) in (${list(states)})`
  },
}
