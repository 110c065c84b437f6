import { parameters } from '../../../platform/db/parameters.ts'
import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { spendLimits, type Limit } from '../../../platform/http/rate-limits.ts'
import { holdIdempotencyKey, idempotencyKey } from '../../../platform/http/idempotency.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { requireConfirmedEmail } from '../../../platform/auth/email-confirmation.ts'
import { NOW, transition, type Transition } from '../../../platform/states/index.ts'
import { addDays, isDay, kazakhstanDay, type Day } from '../../../platform/calendar/days.ts'
import { workingCalendar } from '../../../platform/calendar/service.ts'
import type { DialogueRules } from '../../../platform/config.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import type { UploadedFile } from '../../../platform/files/uploads.ts'
import { checkFileKind, keptFileName, type FileKind } from '../../../platform/files/types.ts'
import { announce, told } from '../../../platform/notifications/events.ts'
import { LANGS, type Lang } from '../../../platform/i18n/index.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { QUESTION_FILE_KINDS, QUESTION_FILE_LIMIT_BYTES, QUESTION_FILES_MAX, QUESTION_MAX_LENGTH, REJECTION_REASONS, TOPICS, type RejectionReason, type Topic } from '../kinds.ts'
import { extensionLimit, questionDeadlines } from './deadlines.ts'
import { questionActions, type QuestionAction, type QuestionFacts } from './actions.ts'
import { questionAnswered, questionDeadlineNear, questionExtended, questionForwarded, questionPublished, questionReceived, questionRejected } from './events.ts'
import { OPEN_STATUSES, isPublic, type QuestionEventKind, questionSql, questionState, type QuestionFilter, type QuestionState, type QuestionStatus } from './states.ts'

/** A question as its pages show it. */
export interface Question {
  id: number
  agency: { id: number; slug: string; name: MultilingualText }
  askedAgencyId: number
  forwardedFrom: { id: number; slug: string; name: MultilingualText } | null
  askerId: number
  /** The asker's name when they let it be shown, else null. */
  askerName: string | null
  topic: Topic
  lang: Lang
  body: string
  status: QuestionStatus
  state: QuestionState
  receivedOn: Day
  moderationDue: Day
  forwardDue: Day
  dueOn: Day
  extendedTo: Day | null
  extensionReason: MultilingualText | null
  publishedAt: Date | null
  rejectionReason: RejectionReason | null
  duplicateOf: number | null
  answer: MultilingualText | null
  answeredAt: Date | null
  answeredOn: Day | null
  rating: 1 | -1 | null
  ratingComment: string | null
  followUpOf: number | null
  /** The follow-up asked on from this one, if any. */
  followUpId: number | null
  files: Array<{ id: number; fileName: string; mediaType: string; size: number }>
  createdAt: Date
  /**
   * True when the reader sees a question its body let pass its deadline unmoderated: public, with its
   * number, body and dates, while its text, files and asker wait for the body to publish it.
   */
  textWithheld: boolean
}

const SELECT = `
  select q.id, q.agency_id, a.slug as agency_slug, a.name as agency_name, q.asked_agency_id,
    q.forwarded_from, f.slug as forwarded_slug, f.name as forwarded_name, q.asker_id,
    case when q.show_name then u.display_name end as asker_name, q.show_name, q.topic, q.lang, q.body, q.status,
    q.received_on::text as received_on, q.moderation_due::text as moderation_due, q.forward_due::text as forward_due, q.due_on::text as due_on,
    q.extended_to::text as extended_to, q.extension_reason, q.published_at, q.rejection_reason, q.duplicate_of,
    q.answer, q.answered_at, q.answered_on::text as answered_on, q.rating, q.rating_comment, q.follow_up_of,
    (select id from dialogue_questions n where n.follow_up_of = q.id) as follow_up_id, q.created_at,
    coalesce((select json_agg(json_build_object('id', x.id, 'fileName', x.file_name, 'mediaType', x.media_type, 'size', x.size) order by x.id)
      from dialogue_question_files x where x.question_id = q.id), '[]') as files
  from dialogue_questions q join agencies a on a.id = q.agency_id join users u on u.id = q.asker_id
  left join agencies f on f.id = q.forwarded_from`

interface Row {
  id: number; agency_id: number; agency_slug: string; agency_name: MultilingualText; asked_agency_id: number
  forwarded_from: number | null; forwarded_slug: string | null; forwarded_name: MultilingualText | null; asker_id: number
  asker_name: string | null; show_name: boolean; topic: Topic; lang: Lang; body: string; status: Question['status']
  received_on: Day; moderation_due: Day; forward_due: Day; due_on: Day; extended_to: Day | null; extension_reason: MultilingualText | null
  published_at: Date | null; rejection_reason: RejectionReason | null; duplicate_of: number | null
  answer: MultilingualText | null; answered_at: Date | null; answered_on: Day | null; rating: 1 | -1 | null; rating_comment: string | null
  follow_up_of: number | null; follow_up_id: number | null; created_at: Date; files: Question['files']
}

/** Today in Kazakhstan, the day deadlines are read by. */
export function today(now = new Date()): Day {
  return kazakhstanDay(now)
}

function toQuestion(r: Row, day: Day): Question {
  const q: Question = {
    id: r.id, agency: { id: r.agency_id, slug: r.agency_slug, name: r.agency_name }, askedAgencyId: r.asked_agency_id,
    forwardedFrom: r.forwarded_from ? { id: r.forwarded_from, slug: r.forwarded_slug!, name: r.forwarded_name! } : null,
    askerId: r.asker_id, askerName: r.asker_name || null, topic: r.topic, lang: r.lang, body: r.body, status: r.status, state: 'moderation',
    receivedOn: r.received_on, moderationDue: r.moderation_due, forwardDue: r.forward_due, dueOn: r.due_on,
    extendedTo: r.extended_to, extensionReason: r.extension_reason, publishedAt: r.published_at, rejectionReason: r.rejection_reason,
    duplicateOf: r.duplicate_of, answer: r.answer, answeredAt: r.answered_at, answeredOn: r.answered_on, rating: r.rating,
    ratingComment: r.rating_comment, followUpOf: r.follow_up_of, followUpId: r.follow_up_id, files: r.files.map((f) => ({ ...f, size: Number(f.size) })), createdAt: r.created_at,
    textWithheld: false,
  }
  q.state = questionState({ status: q.status, forwardedFrom: r.forwarded_from, extendedTo: q.extendedTo, dueOn: q.dueOn }, day)
  return q
}

/**
 * The public sees a question once it is published; its asker and the owning body's staff see it from
 * the start. A body cannot bury a question by never moderating it: one still in moderation past its
 * answer's deadline is public as overdue, its text withheld until it is published.
 */
export function mayRead(user: User | null | undefined, q: Pick<Question, 'status' | 'state' | 'askerId' | 'agency'>): boolean {
  return isPublic(q) || mayReadAll(user, q)
}

function mayReadAll(user: User | null | undefined, q: Pick<Question, 'askerId' | 'agency'>): boolean {
  return Boolean(user && (user.id === q.askerId || can(user, 'dialogue.manage', { agencyId: q.agency.id })))
}

/** What the public sees of a question not yet published: that it exists, whose it is to answer and its days. */
function withheld(q: Question): Question {
  return { ...q, body: '', askerName: null, files: [], textWithheld: true }
}

/** One question, or NotFound when there is none or this person may not read it. */
export async function findQuestion(db: Queryable, id: number, user: User | null | undefined, day = today()): Promise<Question> {
  const [row] = await db.query<Row>(`${SELECT} where q.id = $1`, [id])
  if (!row) throw new NotFound('question', String(id))
  const q = toQuestion(row, day)
  if (!mayRead(user, q)) throw new NotFound('question', String(id))
  return q.status === 'moderation' && !mayReadAll(user, q) ? withheld(q) : q
}

/** What a list of questions is filtered by. */
export interface QuestionQuery {
  agencyId?: number
  q?: string
  topic?: string
  /** A state as readers see it: awaiting (published or extended), overdue, answered. */
  state?: QuestionFilter
  /** The body's own queue: questions in moderation too. */
  staff?: boolean
  page?: number
  perPage?: number
}

/** Questions, newest first (best matches first for a search), and how many match. */
export async function listQuestions(db: Queryable, query: QuestionQuery, day = today()): Promise<{ items: Question[]; total: number }> {
  const where: string[] = []
  const { params, bind } = parameters()
  let order = 'q.received_on desc, q.id desc'
  if (query.agencyId !== undefined) where.push(`q.agency_id = ${bind(query.agencyId)}`)
  where.push(query.staff ? "q.status in ('moderation', 'published', 'answered')" : questionSql.public(bind(day)))
  const search = query.q?.trim().toLowerCase()
  if (search) {
    const p = bind(search)
    where.push(`(q.search_text like '%' || ${p} || '%' or ${p} <% q.search_text)`)
    // A withheld text is not searched either: a match would tell what it says.
    if (!query.staff) where.push("q.status <> 'moderation'")
    order = `word_similarity(${p}, q.search_text) desc, ${order}`
  }
  if (query.topic) where.push(`q.topic = ${bind(query.topic)}`)
  if (query.state) where.push(questionSql.filter(query.state, bind(day)))
  const condition = `where ${where.join(' and ')}`
  const perPage = query.perPage ?? 20
  const [counted] = await db.query<{ total: number }>(`select count(*)::int as total from dialogue_questions q ${condition}`, params)
  const rows = await db.query<Row>(`${SELECT} ${condition} order by ${order} limit ${bind(perPage)} offset ${bind(((query.page ?? 1) - 1) * perPage)}`, params)
  const items = rows.map((r) => toQuestion(r, day)).map((q) => (q.status === 'moderation' && !query.staff ? withheld(q) : q))
  return { items, total: counted?.total ?? 0 }
}

/** A person's own questions, newest first, in every state. */
export async function questionsOf(db: Queryable, askerId: number, day = today()): Promise<Question[]> {
  return (await db.query<Row>(`${SELECT} where q.asker_id = $1 order by q.id desc limit 100`, [askerId])).map((r) => toQuestion(r, day))
}

/** Where a question's files are kept: the site's store, with the smaller limit of a question's file. */
export function questionFileStore(files: FileStore): FileStore {
  return files.withLimit(QUESTION_FILE_LIMIT_BYTES)
}

/** How many questions one person, and one address, may ask: a citizen asks a few a day; a flood stops. */
export const QUESTION_LIMITS: { account: Limit; address: Limit } = {
  account: { name: 'question-account', max: 5, windowSeconds: 24 * 3600 },
  address: { name: 'question-address', max: 20, windowSeconds: 24 * 3600 },
}

/** What a citizen sends. */
export interface NewQuestion {
  agencySlug: string
  topic: string
  body: string
  /**
   * Whether the asker's name is shown with the question: the asker's own choice, never a default
   * (null: not chosen, refused). A follow-up keeps its question's choice, whatever is sent.
   */
  showName: boolean | null
  lang: Lang
  /** The answered question this one asks on from (its asker's own, once). */
  followUpOf?: number | null
  idempotencyKey?: string | null
}

/** The calendar's deadlines for a question received on this day. */
async function deadlinesFor(db: Db, receivedOn: Day, rules: DialogueRules) {
  // The longest period ahead: the answer's working days, with room for every holiday of two months.
  const calendar = await workingCalendar(db, receivedOn, addDays(receivedOn, rules.answerWorkingDays * 3 + 60))
  return questionDeadlines(calendar, receivedOn, rules)
}

/**
 * Takes a citizen's question (a confirmed address is required: anonymous appeals are not
 * considered), with its files checked by their contents, and acknowledges it at once: its number,
 * the day it is due, and a receipt by mail. The body's staff are told a question waits. A form sent
 * twice makes one question.
 */
export async function askQuestion(
  db: Db, files: FileStore, who: { user: User | null; address: string }, input: NewQuestion, uploads: UploadedFile[], rules: DialogueRules, origin: string,
): Promise<{ id: number; created: boolean }> {
  const user = requireConfirmedEmail(authorizeSignedIn(who.user))
  const key = idempotencyKey(input.idempotencyKey, 'idempotencyKey')
  const problems: FieldError[] = []
  const [agency] = await db.query<{ id: number; slug: string; name: MultilingualText }>('select id, slug, name from agencies where slug = $1', [input.agencySlug])
  if (!agency) problems.push({ field: 'agency', messageKey: 'dialogue.errors.agency' })
  if (!TOPICS.includes(input.topic as Topic)) problems.push({ field: 'topic', messageKey: 'dialogue.errors.topic' })
  const body = input.body.trim()
  if (!body) problems.push({ field: 'body', messageKey: 'dialogue.errors.bodyRequired' })
  if (body.length > QUESTION_MAX_LENGTH) problems.push({ field: 'body', messageKey: 'platform.validation.maxLength', values: { limit: QUESTION_MAX_LENGTH } })
  if (uploads.length > QUESTION_FILES_MAX) problems.push({ field: 'file1', messageKey: 'dialogue.errors.tooManyFiles', values: { max: QUESTION_FILES_MAX } })
  let showName = input.showName
  if (input.followUpOf) {
    const [parent] = await db.query<Row>(`${SELECT} where q.id = $1`, [input.followUpOf])
    const facts = parent && questionFacts(toQuestion(parent, today()))
    // The same form sent again finds its own follow-up there: the idempotency key answers it below.
    if (!facts || !questionActions.available(user, key ? { ...facts, followUpId: null } : facts)['follow-up']) {
      problems.push({ field: 'body', messageKey: 'dialogue.errors.followUp' })
    }
    // A follow-up is linked from its question: a name shown on one would name the other's asker.
    showName = parent?.show_name ?? showName
  }
  if (showName === null) problems.push({ field: 'showName', messageKey: 'dialogue.errors.showName' })
  if (problems.length > 0) throw new ValidationError(problems)
  const kinds: FileKind[] = []
  for (const [i, upload] of uploads.entries()) kinds.push(await checkFileKind(files, upload, QUESTION_FILE_KINDS, `file${i + 1}`))
  const receivedOn = today()
  const deadlines = await deadlinesFor(db, receivedOn, rules)
  return db.transaction(async (tx) => {
    if (key) {
      await holdIdempotencyKey(tx, 'question', user.id, key)
      const [existing] = await tx.query<{ id: number }>('select id from dialogue_questions where asker_id = $1 and idempotency_key = $2', [user.id, key])
      if (existing) return { id: existing.id, created: false }
    }
    if (input.followUpOf) {
      const [taken] = await tx.query('select 1 from dialogue_questions where follow_up_of = $1', [input.followUpOf])
      if (taken) throw new ValidationError([{ field: 'body', messageKey: 'dialogue.errors.followUp' }])
    }
    await spendLimits(tx, [{ limit: QUESTION_LIMITS.account, key: String(user.id) }, { limit: QUESTION_LIMITS.address, key: who.address }])
    const [row] = await tx.query<{ id: number }>(
      `insert into dialogue_questions (agency_id, asked_agency_id, asker_id, show_name, topic, lang, body, received_on, moderation_due, forward_due, due_on, follow_up_of, idempotency_key)
       values ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id`,
      [agency!.id, user.id, showName, input.topic, input.lang, body, receivedOn, deadlines.moderationDue, deadlines.forwardDue, deadlines.dueOn, input.followUpOf ?? null, key],
    )
    const id = row!.id
    for (const [i, upload] of uploads.entries()) {
      await tx.query(
        'insert into dialogue_question_files (question_id, file_key, file_name, media_type, size, sha256) values ($1, $2, $3, $4, $5, $6)',
        [id, upload.key, keptFileName(upload.fileName, kinds[i]!, 'file'), kinds[i]!.mime, upload.size, upload.checksum],
      )
    }
    await recordQuestionEvent(tx, id, 'received', user.id, { dueOn: deadlines.dueOn })
    await announce(tx, questionReceived, { id, askerId: user.id, agencyId: agency!.id, agencyName: agency!.name, dueOn: deadlines.dueOn, moderationDue: deadlines.moderationDue }, origin)
    return { id, created: true }
  })
}

/** Whether the asker's name is shown with their own answered question, which a follow-up keeps; null when it is not theirs to follow up. */
export async function followUpShowsName(db: Queryable, user: User | null, questionId: number): Promise<boolean | null> {
  if (!user) return null
  const [parent] = await db.query<{ show_name: boolean }>("select show_name from dialogue_questions where id = $1 and asker_id = $2 and status = 'answered'", [questionId, user.id])
  return parent?.show_name ?? null
}

function authorizeSignedIn(user: User | null): User {
  authorize(user, 'dialogue.ask')
  return user!
}

async function recordQuestionEvent(tx: Queryable, id: number, kind: QuestionEventKind, actorId: number | null, detail: Record<string, unknown> = {}): Promise<void> {
  await tx.query('insert into dialogue_question_events (question_id, kind, actor_id, detail) values ($1, $2, $3, $4)', [id, kind, actorId, detail])
}

/** A question's change of state by a person: its row, its event, its audit row (see transition). */
function questionChange(user: User, id: number, from: readonly QuestionStatus[], to: QuestionStatus | undefined, action: string,
  event: { kind: QuestionEventKind; detail?: Record<string, unknown> }, set: Transition<QuestionStatus>['set'] = {}, after: Record<string, unknown> = {},
  before: Record<string, unknown> = {}): Transition<QuestionStatus> {
  return {
    table: 'dialogue_questions', id, from, ...(to ? { to } : {}), set,
    event: { table: 'dialogue_question_events', itemColumn: 'question_id', ...event, columns: { actor_id: user.id } },
    audit: { actor: { id: user.id, email: user.email }, action, entity: 'question', before, after },
    labelKey: (state) => `dialogue.states.${state}`, href: `/dialogue/questions/${id}`,
  }
}

/** A question's life, dated, oldest first. */
export async function questionEvents(db: Queryable, id: number): Promise<Array<{ kind: string; at: Date; detail: Record<string, unknown> }>> {
  return db.query('select kind, at, detail from dialogue_question_events where question_id = $1 order by at, id', [id])
}

/** What the rules of its actions read of a question. */
export function questionFacts(q: Question): QuestionFacts {
  return { agencyId: q.agency.id, askerId: q.askerId, status: q.status, extendedTo: q.extendedTo, rating: q.rating, followUpOf: q.followUpOf, followUpId: q.followUpId }
}

/** The actions this person may take on the question now (see actions.ts): what its page offers. */
export function availableActions(user: User | null | undefined, q: Question): Partial<Record<QuestionAction, true>> {
  return questionActions.available(user, questionFacts(q))
}

/** A question someone acts on, refused unless they may take the action now. */
async function actOn(db: Queryable, user: User | null, id: number, action: QuestionAction): Promise<{ q: Question; actor: User }> {
  const q = await findQuestion(db, id, user)
  return { q, actor: questionActions.require(user, action, questionFacts(q)) }
}

/** Publishes a question in moderation: it is public, and awaits its answer by its deadline. */
export async function publishQuestion(db: Db, user: User | null, id: number, origin: string): Promise<void> {
  const { q, actor } = await actOn(db, user, id, 'publish')
  await db.transaction(async (tx) => {
    await transition(tx, {
      ...questionChange(actor, id, ['moderation'], 'published', 'question.publish', { kind: 'published' }, { published_at: NOW }),
      tell: told(questionPublished, { id, askerId: q.askerId, agencySlug: q.agency.slug, agencyName: q.agency.name, body: q.body, followUpOf: q.followUpOf }, origin),
    })
  })
}

/** Rejects a question in moderation for one of the documented reasons (a duplicate names the question it repeats); the asker is told why. */
export async function rejectQuestion(db: Db, user: User | null, id: number, input: { reason: string; duplicateOf?: number | null }, origin: string): Promise<void> {
  const { q, actor } = await actOn(db, user, id, 'reject')
  const problems: FieldError[] = []
  if (!REJECTION_REASONS.includes(input.reason as RejectionReason)) problems.push({ field: 'reason', messageKey: 'dialogue.errors.reason' })
  let duplicateOf: number | null = null
  if (input.reason === 'duplicate') {
    const [original] = input.duplicateOf && input.duplicateOf !== id
      ? await db.query<{ id: number }>("select id from dialogue_questions where id = $1 and status in ('published', 'answered')", [input.duplicateOf])
      : []
    if (!original) problems.push({ field: 'duplicateOf', messageKey: 'dialogue.errors.duplicateOf' })
    else duplicateOf = original.id
  }
  if (problems.length > 0) throw new ValidationError(problems)
  await db.transaction(async (tx) => {
    await transition(tx, {
      ...questionChange(actor, id, ['moderation'], 'rejected', 'question.reject', { kind: 'rejected', detail: { reason: input.reason, duplicateOf } },
        { rejection_reason: input.reason, duplicate_of: duplicateOf }, { reason: input.reason, duplicateOf }),
      tell: told(questionRejected, { id, askerId: q.askerId, reason: input.reason, duplicateOf }, origin),
    })
  })
}

/**
 * Forwards a question in moderation to the competent body, within the working days the Code allows
 * (art. 65): that body owns it from today, its deadlines counted afresh, and the asker is told.
 */
export async function forwardQuestion(db: Db, user: User | null, id: number, input: { agencySlug: string; reason: MultilingualText }, rules: DialogueRules, origin: string): Promise<void> {
  const { q, actor } = await actOn(db, user, id, 'forward')
  const day = today()
  const problems: FieldError[] = []
  const [target] = await db.query<{ id: number; name: MultilingualText }>('select id, name from agencies where slug = $1', [input.agencySlug])
  if (!target || target.id === q.agency.id) problems.push({ field: 'agency', messageKey: 'dialogue.errors.forwardAgency' })
  if (day > q.forwardDue) problems.push({ field: 'agency', messageKey: 'dialogue.errors.forwardLate', values: { due: q.forwardDue } })
  const reason = cleanMultilingual(input.reason)
  if (Object.keys(reason).length === 0) problems.push({ field: 'reason.ru', messageKey: 'dialogue.errors.forwardReason' })
  if (problems.length > 0) throw new ValidationError(problems)
  const deadlines = await deadlinesFor(db, day, rules)
  await db.transaction(async (tx) => {
    // Still this body's: one forwarded meanwhile by a colleague is not forwarded again.
    await transition(tx, {
      ...questionChange(actor, id, ['moderation'], undefined, 'question.forward', { kind: 'forwarded', detail: { from: q.agency.slug, to: input.agencySlug, reason, dueOn: deadlines.dueOn } },
        { agency_id: target!.id, forwarded_from: q.agency.id, received_on: day, moderation_due: deadlines.moderationDue, forward_due: deadlines.forwardDue, due_on: deadlines.dueOn },
        { agency: input.agencySlug, reason }, { agency: q.agency.slug }),
      expect: { agency_id: q.agency.id },
      tell: told(questionForwarded, { id, askerId: q.askerId, agencyId: target!.id, agencyName: target!.name, reason, dueOn: deadlines.dueOn, moderationDue: deadlines.moderationDue }, origin),
    })
  })
}

/**
 * The last forwarding of a question by this person: whom it went to and when it is due. The
 * forwarder no longer reads the question (it is the other body's now), so this is what they see
 * instead, and only they; null for anyone else.
 */
export async function forwardedBy(db: Queryable, user: User | null, id: number): Promise<{ from: string; to: { slug: string; name: MultilingualText }; dueOn: Day } | null> {
  if (!user) return null
  const [event] = await db.query<{ detail: { from: string; to: string; dueOn: Day } }>(
    "select detail from dialogue_question_events where question_id = $1 and kind = 'forwarded' and actor_id = $2 order by at desc, id desc limit 1", [id, user.id],
  )
  if (!event) return null
  const [to] = await db.query<{ slug: string; name: MultilingualText }>('select slug, name from agencies where slug = $1', [event.detail.to])
  return to ? { from: event.detail.from, to, dueOn: event.detail.dueOn } : null
}

/**
 * Extends a question's deadline, once, with a public reason, to no later than the months the rules
 * allow from the day it was received; the asker is told at once.
 */
export async function extendDeadline(db: Db, user: User | null, id: number, input: { to: string; reason: MultilingualText }, rules: DialogueRules, origin: string): Promise<void> {
  const { q, actor } = await actOn(db, user, id, 'extend')
  const problems: FieldError[] = []
  const limit = extensionLimit(q.receivedOn, rules)
  if (!isDay(input.to) || input.to <= q.dueOn || input.to > limit) problems.push({ field: 'to', messageKey: 'dialogue.errors.extendTo', values: { after: q.dueOn, limit } })
  const reason = cleanMultilingual(input.reason)
  if (Object.keys(reason).length === 0) problems.push({ field: 'reason.ru', messageKey: 'dialogue.errors.extendReason' })
  if (problems.length > 0) throw new ValidationError(problems)
  await db.transaction(async (tx) => {
    await transition(tx, {
      ...questionChange(actor, id, OPEN_STATUSES, undefined, 'question.extend', { kind: 'extended', detail: { to: input.to, reason } },
        { extended_to: input.to, extension_reason: reason }, { extendedTo: input.to, reason }, { dueOn: q.dueOn }),
      expect: { extended_to: null },
      tell: told(questionExtended, { id, askerId: q.askerId, to: input.to, reason, published: q.status === 'published' }, origin),
    })
  })
}

/** The head's (or a delegate's) answer to a published question; the asker is told, and may rate it. */
export async function answerQuestion(db: Db, user: User | null, id: number, input: { answer: MultilingualText }, origin: string): Promise<void> {
  const { q, actor } = await actOn(db, user, id, 'answer')
  const answer = cleanMultilingual(input.answer)
  const problems: FieldError[] = []
  if (Object.keys(answer).length === 0) problems.push({ field: `answer.${q.lang}`, messageKey: 'dialogue.errors.answerRequired' })
  for (const lang of LANGS) if ((answer[lang]?.length ?? 0) > 20_000) problems.push({ field: `answer.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: 20_000 } })
  if (problems.length > 0) throw new ValidationError(problems)
  const day = today()
  await db.transaction(async (tx) => {
    await transition(tx, {
      ...questionChange(actor, id, ['published'], 'answered', 'question.answer', { kind: 'answered', detail: { onTime: day <= (q.extendedTo ?? q.dueOn) } },
        { answer, answered_at: NOW, answered_on: day, answered_by: actor.id }, { answer }),
      tell: told(questionAnswered, { id, askerId: q.askerId, agencySlug: q.agency.slug, agencyName: q.agency.name, body: q.body, answer }, origin),
    })
  })
}

/** The asker withdraws their question before it is answered. */
export async function withdrawQuestion(db: Db, user: User | null, id: number): Promise<void> {
  // A question its reader may see (a public one) is still only its asker's to withdraw.
  const { actor } = await actOn(db, user, id, 'withdraw')
  await db.transaction(async (tx) => {
    await transition(tx, questionChange(actor, id, OPEN_STATUSES, 'withdrawn', 'question.withdraw', { kind: 'withdrawn' }))
  })
}

/**
 * The asker rates the answer, once: satisfied or not, with what they say. The same rating sent
 * again (a double click, a retried request) changes nothing and is no error; another one is refused.
 */
export async function rateAnswer(db: Db, user: User | null, id: number, input: { rating: string; comment: string }): Promise<void> {
  const q = await findQuestion(db, id, user)
  const comment = input.comment.trim()
  const rating = input.rating === 'satisfied' ? 1 : -1
  const known = input.rating === 'satisfied' || input.rating === 'unsatisfied'
  if (known && q.rating === rating && (q.ratingComment ?? '') === comment && user?.id === q.askerId) return
  const actor = questionActions.require(user, 'rate', questionFacts(q))
  const problems: FieldError[] = []
  if (!known) problems.push({ field: 'rating', messageKey: 'dialogue.errors.rating' })
  if (comment.length > 2000) problems.push({ field: 'comment', messageKey: 'platform.validation.maxLength', values: { limit: 2000 } })
  if (problems.length > 0) throw new ValidationError(problems)
  await db.transaction(async (tx) => {
    await transition(tx, {
      ...questionChange(actor, id, ['answered'], undefined, 'question.rate', { kind: 'rated', detail: { rating } }, { rating, rating_comment: comment || null, rated_at: NOW }, { rating, comment }),
      expect: { rating: null },
    })
  })
}

/**
 * Reminds each body's staff of questions whose deadline is near (the rules' working days before it),
 * once per question and deadline. Run by a job; returns how many questions were reminded of.
 */
export async function remindDeadlines(db: Db, rules: DialogueRules, origin: string, day = today()): Promise<number> {
  const calendar = await workingCalendar(db, day, addDays(day, rules.reminderWorkingDays * 3 + 30))
  const horizon = calendar.addWorkingDays(day, rules.reminderWorkingDays)
  const due = await db.query<{ id: number; agency_id: number; deadline: Day }>(
    `select id, agency_id, ${questionSql.deadline()}::text as deadline from dialogue_questions q
     where status = any($3) and ${questionSql.deadline()} between $1::date and $2::date order by id`,
    [day, horizon, [...OPEN_STATUSES]],
  )
  for (const q of due) {
    await db.transaction(async (tx) => {
      // Once per deadline: the job looks every hour, and the question's history says when its body was reminded.
      const [reminded] = await tx.query("select 1 from dialogue_question_events where question_id = $1 and kind = 'reminded' and detail ->> 'deadline' = $2", [q.id, q.deadline])
      if (reminded) return
      await recordQuestionEvent(tx, q.id, 'reminded', null, { deadline: q.deadline })
      await announce(tx, questionDeadlineNear, { id: q.id, agencyId: q.agency_id, deadline: q.deadline }, origin)
    })
  }
  return due.length
}
