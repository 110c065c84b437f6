import { parameters } from '../../../platform/db/parameters.ts'
import { draftActions, draftFacts } from './actions.ts'
import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { kazakhstanDay, addDays, type Day } from '../../../platform/calendar/days.ts'
import { LANGS, type Lang } from '../../../platform/i18n/index.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { ACT_KINDS, TOPICS, type ActKind, type DraftEventKind, type DraftStatus, type Topic } from '../kinds.ts'
import { structureText, TextProblem, type TextUnit } from '../versions/text.ts'

/** A draft as it is kept, without what readers did with it: what a write or a job reads. */
export interface DraftCard {
  id: number
  agency: { id: number; slug: string; name: MultilingualText }
  externalId: string | null
  kind: ActKind
  topic: Topic
  title: MultilingualText
  summary: MultilingualText
  publicService: boolean
  status: DraftStatus
  discussionStart: Day | null
  discussionEnd: Day | null
  belowMinimum: boolean
  answersDue: Day | null
  /** Taking comments and votes today. */
  open: boolean
  /** Calendar days of discussion left, today included (while open). */
  daysLeft: number | null
  /** Closed, and its answers are not published by the day they were due. */
  answersOverdue: boolean
  adoptedOn: Day | null
  adoptedUrl: string | null
  adoptedTitle: MultilingualText | null
  withdrawnReason: MultilingualText | null
  createdAt: Date
  updatedAt: Date
}

/** A draft as lists and pages show it: with its comments and votes counted. */
export interface DraftSummary extends DraftCard {
  /** Comments shown on all its versions. */
  comments: number
  votesFor: number
  votesAgainst: number
}

const DRAFT_COUNTS = `
    (select count(*)::int from comments c join legal_act_versions v on c.subject_type = 'legal-act-version' and c.subject_id = v.id::text
      where v.draft_id = d.id and c.hidden_at is null) as comments,
    (select count(*)::int from votes where subject_type = 'legal-act' and subject_id = d.id::text and value = 1) as votes_for,
    (select count(*)::int from votes where subject_type = 'legal-act' and subject_id = d.id::text and value = -1) as votes_against`
// Comments and votes take a write's path without their counts (a DraftCard: none to misread as zero).
const selectDraft = (counts: boolean, extra = '') => `
  select d.id, d.external_id, d.kind, d.topic, d.title, d.summary, d.public_service, d.status,
    d.discussion_start::text as discussion_start, d.discussion_end::text as discussion_end, d.below_minimum,
    d.answers_due::text as answers_due, d.adopted_on::text as adopted_on, d.adopted_url, d.adopted_title, d.withdrawn_reason,
    d.created_at, d.updated_at, a.id as agency_id, a.slug as agency_slug, a.name as agency_name${counts ? `,${DRAFT_COUNTS}` : ''}${extra}
  from legal_act_drafts d join agencies a on a.id = d.agency_id`
const SELECT_DRAFT = selectDraft(true)

interface DraftRow {
  id: number
  external_id: string | null
  kind: ActKind
  topic: Topic
  title: MultilingualText
  summary: MultilingualText
  public_service: boolean
  status: DraftStatus
  discussion_start: Day | null
  discussion_end: Day | null
  below_minimum: boolean
  answers_due: Day | null
  adopted_on: Day | null
  adopted_url: string | null
  adopted_title: MultilingualText | null
  withdrawn_reason: MultilingualText | null
  created_at: Date
  updated_at: Date
  agency_id: number
  agency_slug: string
  agency_name: MultilingualText
  /** Counted when asked for (selectDraft(true)). */
  comments?: number
  votes_for?: number
  votes_against?: number
}

/** Today in Kazakhstan, the day discussions open and close by. */
export function today(now = new Date()): Day {
  return kazakhstanDay(now)
}

function toDraft(row: DraftRow, day: Day): DraftSummary
function toDraft(row: DraftRow, day: Day, counted: false): DraftCard
function toDraft(row: DraftRow, day: Day, counted = true): DraftCard | DraftSummary {
  const open = row.status === 'discussion' && row.discussion_start !== null && row.discussion_start <= day && day <= row.discussion_end!
  return {
    id: row.id, agency: { id: row.agency_id, slug: row.agency_slug, name: row.agency_name }, externalId: row.external_id,
    kind: row.kind, topic: row.topic, title: row.title, summary: row.summary, publicService: row.public_service, status: row.status,
    discussionStart: row.discussion_start, discussionEnd: row.discussion_end, belowMinimum: row.below_minimum, answersDue: row.answers_due,
    open,
    daysLeft: open ? Math.round((Date.parse(row.discussion_end!) - Date.parse(day)) / 86_400_000) + 1 : null,
    answersOverdue: row.status === 'closed' && row.answers_due !== null && row.answers_due < day,
    adoptedOn: row.adopted_on, adoptedUrl: row.adopted_url, adoptedTitle: row.adopted_title, withdrawnReason: row.withdrawn_reason,
    createdAt: row.created_at, updatedAt: row.updated_at,
    ...(counted ? { comments: row.comments ?? 0, votesFor: row.votes_for ?? 0, votesAgainst: row.votes_against ?? 0 } : {}),
  }
}

/**
 * One draft as it is kept, whoever asks, or NotFound: for writes, which check who may act
 * themselves, and for jobs. A reader's page or API answer takes findDraft, which checks who may
 * read it. Without counts (a write's path) it is a DraftCard, which has no comments or votes to show.
 */
export async function loadDraft(db: Queryable, id: number, options: { day?: Day; counts: false }): Promise<DraftCard>
export async function loadDraft(db: Queryable, id: number, options?: { day?: Day; counts?: true }): Promise<DraftSummary>
export async function loadDraft(db: Queryable, id: number, options: { day?: Day; counts?: boolean } = {}): Promise<DraftCard | DraftSummary> {
  const counted = options.counts ?? true
  const [row] = await db.query<DraftRow>(`${selectDraft(counted)} where d.id = $1`, [id])
  if (!row) throw new NotFound('legal-act', String(id))
  return counted ? toDraft(row, options.day ?? today()) : toDraft(row, options.day ?? today(), false)
}

/**
 * One draft as this person may read it, or NotFound: a draft in preparation is its developer's
 * (the body's editors and head, an administrator) until it is published for discussion.
 */
export async function findDraft(db: Queryable, id: number, user: User | null | undefined, options: { counts: false }): Promise<DraftCard>
export async function findDraft(db: Queryable, id: number, user: User | null | undefined, options?: { counts?: true }): Promise<DraftSummary>
export async function findDraft(db: Queryable, id: number, user: User | null | undefined, options: { counts?: boolean } = {}): Promise<DraftCard | DraftSummary> {
  const draft = options.counts === false ? await loadDraft(db, id, { counts: false }) : await loadDraft(db, id)
  if (draft.status === 'preparation' && !can(user ?? null, 'legal-act.manage', { agencyId: draft.agency.id })) throw new NotFound('legal-act', String(id))
  return draft
}

/** What a list of drafts is filtered by. */
export interface DraftQuery {
  q?: string
  agency?: string
  kind?: string
  topic?: string
  status?: string
  /** Only drafts taking comments today. */
  open?: boolean
  /** Only open drafts whose discussion ends within this many days. */
  closingWithin?: number
  /** Drafts whose discussion started on or after this day … */
  from?: Day
  /** … and on or before this one. */
  to?: Day
  page?: number
  perPage?: number
}

/** Drafts matching the query, newest first (best matches first for a search), and how many match in all. */
export async function listDrafts(db: Queryable, query: DraftQuery, day = today()): Promise<{ items: DraftSummary[]; total: number }> {
  const where: string[] = []
  const { params, bind } = parameters()
  let order = 'coalesce(d.discussion_start, d.created_at::date) desc, d.id desc'
  const q = query.q?.trim().toLowerCase()
  if (q) {
    const p = bind(q)
    where.push(`(d.search_text like '%' || ${p} || '%' or ${p} <% d.search_text)`)
    order = `word_similarity(${p}, d.search_text) desc, ${order}`
  }
  if (query.agency) where.push(`a.slug = ${bind(query.agency)}`)
  if (query.kind) where.push(`d.kind = ${bind(query.kind)}`)
  if (query.topic) where.push(`d.topic = ${bind(query.topic)}`)
  if (query.status) where.push(`d.status = ${bind(query.status)}`)
  if (query.open || query.closingWithin !== undefined) {
    const t = bind(day)
    where.push(`d.status = 'discussion' and d.discussion_start <= ${t}::date and d.discussion_end >= ${t}::date`)
  }
  if (query.closingWithin !== undefined) {
    where.push(`d.discussion_end <= ${bind(addDays(day, query.closingWithin))}::date`)
    order = `d.discussion_end, ${order}`
  }
  if (query.from) where.push(`d.discussion_start >= ${bind(query.from)}::date`)
  if (query.to) where.push(`d.discussion_start <= ${bind(query.to)}::date`)
  // Drafts in preparation are the developer's own: the public sees them once they are discussed.
  where.push("d.status <> 'preparation'")
  const condition = `where ${where.join(' and ')}`
  const perPage = query.perPage ?? 20
  const page = query.page ?? 1
  const [counted] = await db.query<{ total: number }>(`select count(*)::int as total from legal_act_drafts d join agencies a on a.id = d.agency_id ${condition}`, params)
  const rows = await db.query<DraftRow>(
    `${SELECT_DRAFT} ${condition} order by ${order} limit ${bind(perPage)} offset ${bind((page - 1) * perPage)}`,
    params,
  )
  return { items: rows.map((r) => toDraft(r, day)), total: counted?.total ?? 0 }
}

/** The drafts of one body in preparation, for its editors. */
export async function draftsInPreparation(db: Queryable, agencyIds: readonly number[], day = today()): Promise<DraftSummary[]> {
  if (agencyIds.length === 0) return []
  const rows = await db.query<DraftRow>(`${SELECT_DRAFT} where d.status = 'preparation' and d.agency_id = any($1) order by d.updated_at desc`, [[...agencyIds]])
  return rows.map((r) => toDraft(r, day))
}

/** Every draft of these bodies, in every stage, with the proposals still without an answer: an editor's work list. */
export async function draftsOfBodies(db: Queryable, agencyIds: readonly number[], day = today()): Promise<Array<DraftSummary & { unanswered: number }>> {
  if (agencyIds.length === 0) return []
  const rows = await db.query<DraftRow & { unanswered: number }>(
    `${selectDraft(true, `,
       (select count(*)::int from comments c join legal_act_versions v on c.subject_type = 'legal-act-version' and c.subject_id = v.id::text
         left join legal_act_answers ans on ans.comment_id = c.id
         where v.draft_id = d.id and c.parent_id is null and c.hidden_at is null and ans.comment_id is null) as unanswered`)}
     where d.agency_id = any($1) order by d.updated_at desc, d.id desc`,
    [[...agencyIds]],
  )
  return rows.map((r) => ({ ...toDraft(r, day), unanswered: r.unanswered }))
}

/** What an editor writes of a draft. */
export interface DraftFields {
  agencySlug: string
  kind: string
  topic: string
  title: MultilingualText
  summary: MultilingualText
  publicService: boolean
}

/** The text of a version in each language, as pasted (or converted from DOCX). */
export type VersionTexts = Partial<Record<Lang, string>>

/** Checks a draft's fields; returns its body's id and the cleaned fields. */
export async function checkDraftFields(db: Queryable, fields: DraftFields): Promise<{ agencyId: number; title: MultilingualText; summary: MultilingualText }> {
  const problems: FieldError[] = []
  const [agency] = await db.query<{ id: number }>('select id from agencies where slug = $1', [fields.agencySlug])
  if (!agency) problems.push({ field: 'agency', messageKey: 'legalActs.errors.agency' })
  if (!ACT_KINDS.includes(fields.kind as ActKind)) problems.push({ field: 'kind', messageKey: 'legalActs.errors.kind' })
  if (!TOPICS.includes(fields.topic as Topic)) problems.push({ field: 'topic', messageKey: 'legalActs.errors.topic' })
  const title = cleanMultilingual(fields.title)
  const summary = cleanMultilingual(fields.summary)
  // Kazakh, the state language, and Russian, used officially alongside it: both, always.
  for (const lang of ['kk', 'ru'] as const) if (!title[lang]) problems.push({ field: `title.${lang}`, messageKey: 'legalActs.errors.titleRequired' })
  for (const [lang, text] of Object.entries(title)) if (text.length > 500) problems.push({ field: `title.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: 500 } })
  for (const [lang, text] of Object.entries(summary)) if (text.length > 5000) problems.push({ field: `summary.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: 5000 } })
  if (problems.length > 0) throw new ValidationError(problems)
  return { agencyId: agency!.id, title, summary }
}

/** A version's structured text from its languages' texts, or the field errors that explain why not. */
export function checkTexts(texts: VersionTexts): TextUnit[] {
  const problems: FieldError[] = []
  for (const lang of ['kk', 'ru'] as const) if (!texts[lang]?.trim()) problems.push({ field: `text.${lang}`, messageKey: 'legalActs.errors.textRequired' })
  for (const lang of LANGS) if ((texts[lang]?.length ?? 0) > 1_000_000) problems.push({ field: `text.${lang}`, messageKey: 'legalActs.errors.textTooLong' })
  if (problems.length > 0) throw new ValidationError(problems)
  try {
    const units = structureText(texts)
    if (!units.some((u) => u.kind === 'paragraph')) throw new ValidationError([{ field: 'text.kk', messageKey: 'legalActs.errors.textRequired' }])
    return units
  } catch (error) {
    if (!(error instanceof TextProblem)) throw error
    const lang = (error.values.lang as string | undefined) ?? 'kk'
    throw new ValidationError([{ field: `text.${lang}`, messageKey: error.messageKey, values: error.values }])
  }
}

/** Writes a step of a draft's life. */
export async function recordEvent(tx: Queryable, draftId: number, kind: DraftEventKind, detail: Record<string, unknown> = {}): Promise<void> {
  await tx.query('insert into legal_act_events (draft_id, kind, detail) values ($1, $2, $3)', [draftId, kind, detail])
}

/** Creates a draft in preparation with its first version; returns its id. Only the body's own editors may. */
export async function createDraft(db: Db, user: User | null, fields: DraftFields, texts: VersionTexts, externalId: string | null = null): Promise<number> {
  const checked = await checkDraftFields(db, fields)
  authorize(user, 'legal-act.manage', { agencyId: checked.agencyId })
  const body = checkTexts(texts)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `insert into legal_act_drafts (agency_id, external_id, kind, topic, title, summary, public_service)
       values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [checked.agencyId, externalId, fields.kind, fields.topic, checked.title, checked.summary, fields.publicService],
    )
    const id = row!.id
    await tx.query('insert into legal_act_versions (draft_id, number, body, created_by) values ($1, 1, $2, $3)', [id, JSON.stringify(body), user!.id])
    await recordEvent(tx, id, 'created')
    await recordChange(tx, actorFor(user!), { action: 'legal-act.create', entity: 'legal-act', entityId: String(id), before: null, after: { ...fields, title: checked.title } })
    return id
  })
}

/** Changes a draft's title, summary, kind, topic or body, until it is adopted or withdrawn. */
export async function updateDraft(db: Db, user: User | null, id: number, fields: DraftFields): Promise<void> {
  const draft = await loadDraft(db, id)
  draftActions.require(user, 'edit', draftFacts(draft))
  const checked = await checkDraftFields(db, fields)
  // Moving a draft to another body takes an editor of both.
  authorize(user, 'legal-act.manage', { agencyId: checked.agencyId })
  await db.transaction(async (tx) => {
    await tx.query(
      'update legal_act_drafts set agency_id = $2, kind = $3, topic = $4, title = $5, summary = $6, public_service = $7, updated_at = now() where id = $1',
      [id, checked.agencyId, fields.kind, fields.topic, checked.title, checked.summary, fields.publicService],
    )
    await recordChange(tx, actorFor(user!), {
      action: 'legal-act.update', entity: 'legal-act', entityId: String(id),
      before: { kind: draft.kind, topic: draft.topic, title: draft.title, summary: draft.summary, agency: draft.agency.slug }, after: { ...fields, title: checked.title },
    })
  })
}

/** The audit log's actor for a signed-in user. */
export function actorFor(user: User): Actor {
  return { id: user.id, email: user.email }
}

/** A draft's life, dated: each step, oldest first. */
export async function draftEvents(db: Queryable, id: number): Promise<Array<{ kind: string; at: Date; detail: Record<string, unknown> }>> {
  return db.query('select kind, at, detail from legal_act_events where draft_id = $1 order by at, id', [id])
}

/** Whether a body has any draft out of preparation (its page links its drafts then). */
export async function hasPublicDrafts(db: Queryable, agencyId: number): Promise<boolean> {
  return (await db.query("select 1 from legal_act_drafts where agency_id = $1 and status <> 'preparation' limit 1", [agencyId])).length > 0
}
