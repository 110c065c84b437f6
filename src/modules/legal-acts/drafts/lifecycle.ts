import type { Db } from '../../../platform/db/index.ts'
import { ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { StateConflict, transition, NOW, type Transition } from '../../../platform/states/index.ts'
import { daysBetween, isDay, type Day } from '../../../platform/calendar/days.ts'
import { periodEndOn } from '../../../platform/calendar/service.ts'
import { told } from '../../../platform/notifications/events.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { webUrl } from '../../../platform/http/validation.ts'
import type { LegalActRules } from '../../../platform/config.ts'
import { actorFor, loadDraft, today, type DraftSummary } from './service.ts'
import { NOT_FINAL, type DraftEventKind, type DraftStatus } from '../kinds.ts'
import { draftActions, draftFacts } from './actions.ts'
import { draftAnswered, draftClosed, draftPublished } from './events.ts'

/** A draft's change of state: its row, its event in legal_act_events, its audit row (see transition). */
function draftChange(id: number, from: readonly DraftStatus[], to: DraftStatus, event: { kind: DraftEventKind; detail?: Record<string, unknown> }, set: Transition<DraftStatus>['set'] = {}): Transition<DraftStatus> {
  return {
    table: 'legal_act_drafts', id, from, to, set: { ...set, updated_at: NOW },
    event: { table: 'legal_act_events', itemColumn: 'draft_id', ...event },
    labelKey: (state) => `legalActs.statuses.${state}`, href: `/legal-acts/drafts/${id}`,
  }
}

/** The shortest discussion a draft may have, and whether it is counted in working days. */
export function minimumPeriod(draft: Pick<DraftSummary, 'publicService'>, rules: LegalActRules): { days: number; working: boolean } {
  return draft.publicService ? { days: rules.publicServiceMinimumWorkingDays, working: true } : { days: rules.minimumDays, working: false }
}

/** The earliest last day a discussion published on `start` may have: the minimum's last day, counted from the day after. */
export async function earliestEnd(db: Db, start: Day, minimum: { days: number; working: boolean }): Promise<Day> {
  return periodEndOn(db, start, { length: minimum.days, unit: minimum.working ? 'working-days' : 'days' })
}

/** How a discussion is opened: today by an editor, or on the day the drafting system says by an import. */
export interface PublishOptions {
  /** Today in Kazakhstan. */
  day?: Day
  /** The discussion's first day (today unless told). */
  start?: Day
  /**
   * An import brings what the drafting system did: a discussion shorter than the minimum is taken and
   * marked `below_minimum` (a fact for the openness index), not refused.
   */
  recordBelowMinimum?: boolean
}

/**
 * Opens a draft in preparation for public discussion from its first day to `end` (its last day),
 * which may not be sooner than the rules allow. Followers of its body and topic are told.
 */
export async function publishDraft(db: Db, user: User | null, id: number, end: string, rules: LegalActRules, origin: string, options: PublishOptions = {}): Promise<void> {
  const day = options.day ?? today()
  const start = options.start ?? day
  const draft = await loadDraft(db, id, { day, counts: false })
  draftActions.require(user, 'publish', draftFacts(draft))
  if (!isDay(start)) throw new ValidationError([{ field: 'start', messageKey: 'legalActs.errors.startInvalid' }])
  if (!isDay(end)) throw new ValidationError([{ field: 'end', messageKey: 'legalActs.errors.endInvalid' }])
  const minimum = minimumPeriod(draft, rules)
  const earliest = await earliestEnd(db, start, minimum)
  const belowMinimum = end < earliest
  if (belowMinimum && !options.recordBelowMinimum) {
    throw new ValidationError([{ field: 'end', messageKey: minimum.working ? 'legalActs.errors.tooShortWorking' : 'legalActs.errors.tooShort', values: { days: minimum.days, earliest } }])
  }
  if (end < start) throw new ValidationError([{ field: 'end', messageKey: 'legalActs.errors.endBeforeStart' }])
  if (daysBetween(start, end) > 366) throw new ValidationError([{ field: 'end', messageKey: 'legalActs.errors.tooLong' }])
  await db.transaction(async (tx) => {
    await transition(tx, {
      ...draftChange(id, ['preparation'], 'discussion', { kind: 'discussion', detail: { start, end } }, { discussion_start: start, discussion_end: end, below_minimum: belowMinimum }),
      audit: { actor: actorFor(user!), action: 'legal-act.publish', entity: 'legal-act', after: { start, end, belowMinimum } },
      tell: told(draftPublished, { id, title: draft.title, agencySlug: draft.agency.slug, agencyName: draft.agency.name, topic: draft.topic, end, actorId: user!.id }, origin),
    })
  })
}

/**
 * Closes every discussion whose last day has ended, with the day its answers are due; followers of
 * each draft are told. Run by a job; returns the drafts closed.
 */
export async function closeEndedDiscussions(db: Db, rules: LegalActRules, origin: string, day = today()): Promise<number[]> {
  const due = await db.query<{ id: number; discussion_end: Day }>(
    "select id, discussion_end::text as discussion_end from legal_act_drafts where status = 'discussion' and discussion_end < $1::date order by id",
    [day],
  )
  const closed: number[] = []
  for (const { id, discussion_end: end } of due) {
    const answersDue = await periodEndOn(db, end, { length: rules.answersDueWorkingDays, unit: 'working-days' })
    const draft = await loadDraft(db, id, { day, counts: false })
    await db.transaction(async (tx) => {
      // Another process closing it first (or its body withdrawing it meanwhile) makes this one nothing.
      try {
        await transition(tx, {
          ...draftChange(id, ['discussion'], 'closed', { kind: 'closed', detail: { answersDue } }, { answers_due: answersDue }),
          tell: told(draftClosed, { id, title: draft.title, answersDue }, origin),
        })
      } catch (error) {
        if (error instanceof StateConflict) return
        throw error
      }
      closed.push(id)
    })
  }
  return closed
}

/**
 * Publishes the answers once every proposal has one: the summary table becomes public, each
 * proposal's author is told the answer to theirs by mail, and the draft's followers that the answers are out.
 */
export async function publishAnswers(db: Db, user: User | null, id: number, origin: string): Promise<void> {
  const draft = await loadDraft(db, id)
  draftActions.require(user, 'answer', draftFacts(draft))
  await db.transaction(async (tx) => {
    const proposals = await tx.query<{ id: number; authorId: number; body: string; decision: string | null; reason: MultilingualText | null }>(
      `select c.id, c.author_id as "authorId", c.body, ans.decision, ans.reason
       from comments c join legal_act_versions v on c.subject_type = 'legal-act-version' and c.subject_id = v.id::text
       left join legal_act_answers ans on ans.comment_id = c.id
       where v.draft_id = $1 and c.parent_id is null and c.hidden_at is null order by c.id`,
      [id],
    )
    const unanswered = proposals.filter((p) => !p.decision)
    if (unanswered.length > 0) throw new ValidationError([{ field: 'answers', messageKey: 'legalActs.errors.unanswered', values: { count: unanswered.length } }])
    await transition(tx, {
      ...draftChange(id, ['closed'], 'answered', { kind: 'answered', detail: { proposals: proposals.length } }),
      audit: { actor: actorFor(user!), action: 'legal-act.answers', entity: 'legal-act' },
      tell: told(draftAnswered, { id, title: draft.title, proposals: proposals.map((p) => ({ ...p, decision: p.decision! })), actorId: user!.id }, origin),
    })
  })
}

/** Records that the act was adopted: the day, and where the adopted act is published. */
export async function adoptDraft(db: Db, user: User | null, id: number, input: { adoptedOn: string; url: string; title: MultilingualText }, day = today()): Promise<void> {
  const draft = await loadDraft(db, id)
  draftActions.require(user, 'adopt', draftFacts(draft))
  const problems: FieldError[] = []
  if (!isDay(input.adoptedOn) || input.adoptedOn > day || (draft.discussionEnd && input.adoptedOn <= draft.discussionEnd)) problems.push({ field: 'adoptedOn', messageKey: 'legalActs.errors.adoptedOn' })
  const url = webUrl(input.url)
  if (!url) problems.push({ field: 'url', messageKey: 'legalActs.errors.url' })
  if (problems.length > 0) throw new ValidationError(problems)
  const title = cleanMultilingual(input.title)
  await db.transaction(async (tx) => {
    await transition(tx, {
      ...draftChange(id, ['answered'], 'adopted', { kind: 'adopted', detail: { adoptedOn: input.adoptedOn, url } }, { adopted_on: input.adoptedOn, adopted_url: url, adopted_title: title }),
      audit: { actor: actorFor(user!), action: 'legal-act.adopt', entity: 'legal-act', after: { adoptedOn: input.adoptedOn, url } },
    })
  })
}

/** Withdraws a draft (not adopted), with the reason the public reads. */
export async function withdrawDraft(db: Db, user: User | null, id: number, reason: MultilingualText): Promise<void> {
  const draft = await loadDraft(db, id)
  draftActions.require(user, 'withdraw', draftFacts(draft))
  const problems: FieldError[] = []
  const cleaned = cleanMultilingual(reason)
  if (!cleaned.kk && !cleaned.ru) problems.push({ field: 'reason.ru', messageKey: 'legalActs.errors.reasonRequired' })
  if (problems.length > 0) throw new ValidationError(problems)
  await db.transaction(async (tx) => {
    await transition(tx, {
      ...draftChange(id, NOT_FINAL, 'withdrawn', { kind: 'withdrawn' }, { withdrawn_reason: cleaned }),
      audit: { actor: actorFor(user!), action: 'legal-act.withdraw', entity: 'legal-act', after: { reason: cleaned } },
    })
  })
}
