import type { Db, Queryable } from '../../platform/db/index.ts'
import { NotFound, Unauthorized, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { authorize } from '../../platform/auth/policies.ts'
import type { User } from '../../platform/auth/roles.ts'
import { recordChange } from '../../platform/audit/index.ts'
import { cleanMultilingual, type MultilingualText } from '../../platform/i18n/multilingual.ts'
import { isDay, kazakhstanDay, type Day } from '../../platform/calendar/days.ts'
import { periodEnd } from '../../platform/calendar/periods.ts'
import type { CommentableKind } from '../../platform/comments/service.ts'
import type { Lang } from '../../platform/i18n/index.ts'
import { agencyWithRegion } from '../agencies/service.ts'
import { budgetNode, listBudgets, type Budget } from './service.ts'

/**
 * Public discussion of a budget programme's draft, or of the report on its execution: put up by the
 * programme's administrator for a period, commented on by signed-in citizens with the platform's
 * comments, each comment answered by the body in public (the Law "On access to information",
 * art. 17: the open budgets portal carries both for discussion).
 */

export const DISCUSSION_KINDS = ['draft', 'report'] as const
export type DiscussionKind = (typeof DISCUSSION_KINDS)[number]
export type DiscussionState = 'upcoming' | 'open' | 'closed'

/** The platform comments' subject type of a discussion. */
export const DISCUSSION_SUBJECT = 'budget-discussion'
const TEXT_MAX = 20_000
export const ANSWER_MAX = 5_000

export interface Discussion {
  id: number
  budget: Budget
  code: string
  kind: DiscussionKind
  agency: { id: number; slug: string; name: MultilingualText }
  title: MultilingualText
  body: MultilingualText
  opensOn: Day
  closesOn: Day
  state: DiscussionState
  /** Comments that answer no other, shown (not hidden), and how many of them the body answered. */
  comments: number
  answered: number
}

/** Where a discussion stands on a day: comments are taken from its first day to its last, both included. */
export function discussionState(d: { opensOn: Day; closesOn: Day }, today: Day): DiscussionState {
  if (today < d.opensOn) return 'upcoming'
  return today <= d.closesOn ? 'open' : 'closed'
}

const SELECT = `select d.id, d.budget_id, d.code, d.kind, d.title, d.body, d.opens_on::text as opens_on, d.closes_on::text as closes_on,
    a.id as agency_id, a.slug as agency_slug, a.name as agency_name,
    (select count(*)::int from comments c where c.subject_type = '${DISCUSSION_SUBJECT}' and c.subject_id = d.id::text and c.parent_id is null and c.hidden_at is null) as comments,
    (select count(*)::int from budget_discussion_answers x join comments c on c.id = x.comment_id
      where x.discussion_id = d.id and c.hidden_at is null) as answered
  from budget_discussions d join agencies a on a.id = d.agency_id`

interface Row {
  id: string; budget_id: string; code: string; kind: DiscussionKind; title: MultilingualText; body: MultilingualText; opens_on: Day; closes_on: Day
  agency_id: string; agency_slug: string; agency_name: MultilingualText; comments: number; answered: number
}

async function toDiscussions(db: Queryable, rows: Row[]): Promise<Discussion[]> {
  if (rows.length === 0) return []
  const budgets = new Map((await listBudgets(db, { ids: [...new Set(rows.map((r) => Number(r.budget_id)))] })).map((b) => [b.id, b]))
  const today = kazakhstanDay(new Date())
  return rows.map((r) => ({
    id: Number(r.id), budget: budgets.get(Number(r.budget_id))!, code: r.code, kind: r.kind,
    agency: { id: Number(r.agency_id), slug: r.agency_slug, name: r.agency_name },
    title: r.title, body: r.body, opensOn: r.opens_on, closesOn: r.closes_on,
    state: discussionState({ opensOn: r.opens_on, closesOn: r.closes_on }, today), comments: r.comments, answered: r.answered,
  }))
}

export async function findDiscussion(db: Queryable, id: number): Promise<Discussion> {
  const rows = await db.query<Row>(`${SELECT} where d.id = $1`, [id])
  const [found] = await toDiscussions(db, rows)
  if (!found) throw new NotFound('discussion', String(id))
  return found
}

/**
 * Discussions, the latest to open first: all, or a body's, a budget's, or one programme's of a
 * budget; `open` keeps those taking comments on the day.
 */
export async function listDiscussions(db: Queryable, filter: { agencyId?: number; budgetId?: number; code?: string; open?: boolean; limit?: number } = {}): Promise<Discussion[]> {
  const today = kazakhstanDay(new Date())
  const rows = await db.query<Row>(
    `${SELECT} where ($1::bigint is null or d.agency_id = $1) and ($2::bigint is null or d.budget_id = $2) and ($3::text is null or d.code = $3)
       and (not $4 or $5::date between d.opens_on and d.closes_on)
     order by d.opens_on desc, d.id desc limit $6`,
    [filter.agencyId ?? null, filter.budgetId ?? null, filter.code ?? null, filter.open ?? false, today, filter.limit ?? 200],
  )
  return toDiscussions(db, rows)
}

export interface NewDiscussion {
  code: string
  kind: string
  title: MultilingualText
  body: MultilingualText
  opensOn: string
  closesOn: string
}

/** The programme a code names in a budget, with the body administering it, or undefined. */
export async function programmeOf(db: Queryable, budget: Budget, code: string): Promise<{ name: MultilingualText | null; agencyId: number } | undefined> {
  if (!/^[0-9]{3} [0-9]{3}$/.test(code)) return undefined
  const found = await budgetNode(db, budget, 'administrative', code)
  const slug = found?.path.at(-1)?.agencySlug
  const agency = slug ? await agencyWithRegion(db, slug) : undefined
  return found && agency ? { name: found.node.name, agencyId: agency.id } : undefined
}

/**
 * Puts a programme's draft or execution report up for discussion, by the staff of the body that
 * administers it. Its days are Kazakhstan's; it opens today or later and lasts at least
 * `minimumDays` calendar days counted from the day after it opens (Civil Code art. 170).
 */
export async function openDiscussion(db: Db, user: User | null, budget: Budget, input: NewDiscussion, minimumDays: number): Promise<number> {
  const code = input.code.trim().replace(/\s+/g, ' ')
  const programme = await programmeOf(db, budget, code)
  // A code that names no programme of the budget is the staff's slip, told as such; a programme
  // is put up by its own administrator's staff only.
  if (!user) throw new Unauthorized()
  const actor = programme ? authorize(user, 'budget.discuss', { agencyId: programme.agencyId }) : user
  const problems: FieldError[] = []
  if (!programme) problems.push({ field: 'code', messageKey: 'budgets.discussions.errors.code' })
  if (!DISCUSSION_KINDS.includes(input.kind as DiscussionKind)) problems.push({ field: 'kind', messageKey: 'budgets.discussions.errors.kind' })
  const title = cleanMultilingual(input.title)
  const body = cleanMultilingual(input.body)
  // Kazakh and Russian, the state's languages, are required; English where the body writes it.
  for (const lang of ['kk', 'ru'] as const) {
    if (!title[lang]) problems.push({ field: `title.${lang}`, messageKey: 'budgets.discussions.errors.title' })
    if (!body[lang]) problems.push({ field: `body.${lang}`, messageKey: 'budgets.discussions.errors.body' })
  }
  for (const [lang, text] of Object.entries(title)) if ((text ?? '').length > 500) problems.push({ field: `title.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: 500 } })
  for (const [lang, text] of Object.entries(body)) if ((text ?? '').length > TEXT_MAX) problems.push({ field: `body.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: TEXT_MAX } })
  const today = kazakhstanDay(new Date())
  const opensOn = input.opensOn.trim()
  const closesOn = input.closesOn.trim()
  if (!isDay(opensOn)) problems.push({ field: 'opensOn', messageKey: 'budgets.discussions.errors.day' })
  else if (opensOn < today) problems.push({ field: 'opensOn', messageKey: 'budgets.discussions.errors.past' })
  if (!isDay(closesOn)) problems.push({ field: 'closesOn', messageKey: 'budgets.discussions.errors.day' })
  else if (isDay(opensOn)) {
    const earliest = periodEnd(opensOn, { length: minimumDays, unit: 'days' })
    if (closesOn < earliest) problems.push({ field: 'closesOn', messageKey: 'budgets.discussions.errors.short', values: { days: minimumDays, earliest } })
  }
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `insert into budget_discussions (budget_id, code, kind, agency_id, title, body, opens_on, closes_on, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [budget.id, code, input.kind, programme!.agencyId, title, body, opensOn, closesOn, actor.id],
    )
    const id = Number(row!.id)
    await recordChange(tx, { id: actor.id, email: actor.email }, {
      action: 'budget.discussion.open', entity: 'budget-discussion', entityId: String(id), before: null,
      after: { budget: budget.id, code, kind: input.kind, title, opensOn, closesOn },
    })
    return id
  })
}

export interface DiscussionAnswer {
  body: string
  lang: Lang
  answeredAt: Date
}

/** The body's answers on a discussion, by the comment each answers. */
export async function discussionAnswers(db: Queryable, discussionId: number): Promise<Map<number, DiscussionAnswer>> {
  const rows = await db.query<{ comment_id: string; body: string; lang: Lang; answered_at: Date }>(
    'select comment_id, body, lang, answered_at from budget_discussion_answers where discussion_id = $1', [discussionId])
  return new Map(rows.map((r) => [Number(r.comment_id), { body: r.body, lang: r.lang, answeredAt: r.answered_at }]))
}

/**
 * The body's answer to a comment on its discussion that answers no other, by its staff, while the
 * discussion is open or after; answering again changes it (the audit log keeps each).
 */
export async function answerComment(db: Db, user: User | null, discussionId: number, commentId: number, input: { body: string; lang: Lang }): Promise<void> {
  const discussion = await findDiscussion(db, discussionId)
  const actor = authorize(user, 'budget.discuss', { agencyId: discussion.agency.id })
  const [comment] = await db.query<{ id: string }>(
    `select id from comments where id = $1 and subject_type = $2 and subject_id = $3 and parent_id is null and hidden_at is null`,
    [commentId, DISCUSSION_SUBJECT, String(discussionId)],
  )
  if (!comment) throw new NotFound('comment', String(commentId))
  const body = input.body.trim()
  const field = `answer-${commentId}`
  if (discussion.state === 'upcoming') throw new ValidationError([{ field, messageKey: 'budgets.discussions.errors.notOpen' }])
  if (body === '') throw new ValidationError([{ field, messageKey: 'budgets.discussions.errors.answer' }])
  if (body.length > ANSWER_MAX) throw new ValidationError([{ field, messageKey: 'platform.validation.maxLength', values: { limit: ANSWER_MAX } }])
  await db.transaction(async (tx) => {
    const [before] = await tx.query<{ body: string }>('select body from budget_discussion_answers where comment_id = $1 for update', [commentId])
    await tx.query(
      `insert into budget_discussion_answers (comment_id, discussion_id, body, lang, answered_by) values ($1, $2, $3, $4, $5)
       on conflict (comment_id) do update set body = excluded.body, lang = excluded.lang, answered_by = excluded.answered_by, answered_at = now()`,
      [commentId, discussionId, body, input.lang, actor.id],
    )
    await recordChange(tx, { id: actor.id, email: actor.email }, {
      action: 'budget.discussion.answer', entity: 'comment', entityId: String(commentId), before: before ?? null, after: { body, lang: input.lang },
    })
  })
}

/**
 * A body's discussions for the openness index: those that closed in [from, to], the comments on
 * them that answer no other, and how many of those the body answered.
 */
export async function discussionFacts(db: Queryable, agencyId: number, from: Day, to: Day): Promise<{ discussions: number; comments: number; answered: number }> {
  const [row] = await db.query<{ discussions: number; comments: number; answered: number }>(
    `select count(distinct d.id)::int as discussions, count(c.id)::int as comments, count(x.comment_id)::int as answered
     from budget_discussions d
     left join comments c on c.subject_type = '${DISCUSSION_SUBJECT}' and c.subject_id = d.id::text and c.parent_id is null and c.hidden_at is null
     left join budget_discussion_answers x on x.comment_id = c.id
     where d.agency_id = $1 and d.closes_on between $2 and $3`,
    [agencyId, from, to],
  )
  return row ?? { discussions: 0, comments: 0, answered: 0 }
}

/** A discussion takes the platform's comments while it is open; the body administering its programme moderates them. */
export const budgetCommentables: CommentableKind[] = [{
  type: DISCUSSION_SUBJECT,
  async find(db, key) {
    if (!/^\d{1,15}$/.test(key)) return undefined
    const discussion = await findDiscussion(db, Number(key)).catch(() => undefined)
    return discussion && { agencyId: discussion.agency.id, open: discussion.state === 'open', path: `/budgets/discussions/${discussion.id}`, title: discussion.title }
  },
}]
