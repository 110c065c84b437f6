import type { Db, Queryable } from '../db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../http/errors.ts'
import { spendLimits, type Limit } from '../http/rate-limits.ts'
import { holdIdempotencyKey, idempotencyKey } from '../http/idempotency.ts'
import { NOW, transition, type Transition } from '../states/index.ts'
import { authorize } from '../auth/policies.ts'
import { commentActions } from './actions.ts'
import { requireConfirmedEmail } from '../auth/email-confirmation.ts'
import type { User } from '../auth/roles.ts'
import { announce, told } from '../notifications/events.ts'
import { commentHidden, commentReplied } from './events.ts'
import type { MultilingualText } from '../i18n/multilingual.ts'
import type { Lang } from '../i18n/index.ts'
import { textLang } from '../i18n/detect.ts'

/** What the module that owns an object says of it, for comments and votes on it. */
export interface CommentableSubject {
  /** The body whose editors moderate its comments. */
  agencyId: number | null
  /** Whether it takes comments and votes now (a discussion period is open). */
  open: boolean
  /** The parts a comment may be about (paragraphs' eIds); without it, only the whole. */
  anchors?: ReadonlySet<string>
  /** Where it is shown, without the language ("/legal-acts/drafts/12"), for links in mail. */
  path: string
  title: MultilingualText
}

/** A kind of object that takes comments, registered by the module that owns it. */
export interface CommentableKind {
  type: string
  find(db: Queryable, id: string): Promise<CommentableSubject | undefined>
}

const kinds = new Map<string, CommentableKind>()

/** Registers a kind of commentable object (by the module's definition); a type may be registered once, the same kind again changes nothing. */
export function defineCommentable(kind: CommentableKind): void {
  const known = kinds.get(kind.type)
  if (known === kind) return
  if (known) throw new Error(`Commentable "${kind.type}" is defined twice`)
  kinds.set(kind.type, kind)
}

/** The reasons a comment may be hidden for, each explained to its author. */
export const HIDE_REASONS = ['abuse', 'personal-data', 'off-topic', 'duplicate'] as const
export type HideReason = (typeof HIDE_REASONS)[number]
/** A comment's states (migration 0038): shown, or hidden by a moderator with a reason. */
export const COMMENT_STATUSES = ['visible', 'hidden'] as const
export type CommentStatus = (typeof COMMENT_STATUSES)[number]

export { COMMENT_MAX_LENGTH } from './limits.ts'
import { COMMENT_MAX_LENGTH } from './limits.ts'

// Enough for a person taking part in a discussion, not for a script: per account and per address
// (many people may share an office's address, so its limit is wider).
export const COMMENT_LIMITS = {
  account: { name: 'comment:account', max: 10, windowSeconds: 600 },
  address: { name: 'comment:address', max: 30, windowSeconds: 600 },
} as const satisfies Record<string, Limit>
export const VOTE_LIMITS = {
  account: { name: 'vote:account', max: 60, windowSeconds: 600 },
  address: { name: 'vote:address', max: 200, windowSeconds: 600 },
} as const satisfies Record<string, Limit>

/** What a comment is about, as the module that owns it says, or undefined when it is gone. */
async function subjectOf(db: Queryable, type: string, id: string): Promise<CommentableSubject | undefined> {
  return kinds.get(type)?.find(db, id)
}

async function findSubject(db: Queryable, type: string, id: string): Promise<CommentableSubject> {
  const subject = await subjectOf(db, type, id)
  if (!subject) throw new NotFound(type || 'subject', id)
  return subject
}

/** One comment to write. */
export interface NewComment {
  subjectType: string
  subjectId: string
  anchor?: string | null
  parentId?: number | null
  body: string
  /** The language of the page it was written on: a text of no letters is taken to be in it. */
  pageLang?: Lang
  /** The form's own key: sent twice, it makes one comment. */
  idempotencyKey?: string | null
}

/** Who acts, and from where (for the per-address limit). */
export interface Participant {
  user: User
  address: string
}

/**
 * Writes a comment of a person with a confirmed address on an object open for comments (a part of
 * it, a reply to another comment on it); returns its id. The same submission sent again returns the
 * first's id. The author of the comment replied to is told by mail, in their language.
 */
export async function postComment(db: Db, who: Participant, input: NewComment, origin: string): Promise<{ id: number; created: boolean }> {
  const user = requireConfirmedEmail(who.user)
  const subject = await findSubject(db, input.subjectType, input.subjectId)
  const body = input.body.trim()
  const anchor = input.anchor?.trim() || null
  const problems: FieldError[] = []
  if (!subject.open) problems.push({ field: 'body', messageKey: 'platform.comments.closed' })
  if (body === '') problems.push({ field: 'body', messageKey: 'platform.comments.bodyRequired' })
  if (body.length > COMMENT_MAX_LENGTH) problems.push({ field: 'body', messageKey: 'platform.validation.maxLength', values: { limit: COMMENT_MAX_LENGTH } })
  if (anchor && !subject.anchors?.has(anchor)) problems.push({ field: 'anchor', messageKey: 'platform.comments.anchorUnknown' })
  if (problems.length > 0) throw new ValidationError(problems)
  const key = idempotencyKey(input.idempotencyKey, 'key')

  return db.transaction(async (tx) => {
    if (key) {
      await holdIdempotencyKey(tx, 'comment', user.id, key)
      const [existing] = await tx.query<{ id: number }>('select id from comments where author_id = $1 and idempotency_key = $2', [user.id, key])
      if (existing) return { id: existing.id, created: false }
    }
    let parent: { id: number; author_id: number; anchor: string | null } | undefined
    if (input.parentId) {
      ;[parent] = await tx.query(
        `select c.id, c.author_id, c.anchor from comments c
         where c.id = $1 and c.subject_type = $2 and c.subject_id = $3 and c.hidden_at is null`,
        [input.parentId, input.subjectType, input.subjectId],
      )
      if (!parent) throw new ValidationError([{ field: 'parentId', messageKey: 'platform.comments.parentUnknown' }])
    }
    await spendLimits(tx, [{ limit: COMMENT_LIMITS.account, key: String(user.id) }, { limit: COMMENT_LIMITS.address, key: who.address }])
    const [row] = await tx.query<{ id: number }>(
      `insert into comments (subject_type, subject_id, anchor, parent_id, author_id, body, idempotency_key, lang)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
      // A reply is about what its parent is about.
      [input.subjectType, input.subjectId, parent ? parent.anchor : anchor, parent?.id ?? null, user.id, body, key, textLang(body, input.pageLang ?? user.lang)],
    )
    const id = row!.id
    if (parent && parent.author_id !== user.id) {
      await announce(tx, commentReplied, { id, parentAuthorId: parent.author_id, subjectTitle: subject.title, subjectPath: subject.path, body }, origin)
    }
    return { id, created: true }
  })
}

/** A comment as readers see it: a hidden one shows its reason, not its text. */
export interface CommentView {
  id: number
  anchor: string | null
  parentId: number | null
  authorName: string
  /** Whether the viewer wrote it. */
  own: boolean
  body: string | null
  /** The language it is written in (null for one written before it was kept). */
  lang: Lang | null
  createdAt: Date
  hidden: { reason: HideReason; note: string | null; duplicateOf: number | null } | null
  votesFor: number
  votesAgainst: number
  /** The viewer's vote on it: 1, -1, or 0. */
  myVote: number
  replies: CommentView[]
}

/** Votes for and against each object of a type, and the viewer's own. */
export async function voteCounts(db: Queryable, subjectType: string, ids: readonly string[], viewerId: number | null): Promise<Map<string, { for: number; against: number; mine: number }>> {
  const rows = await db.query<{ subject_id: string; for: number; against: number; mine: number }>(
    `select subject_id, count(*) filter (where value = 1)::int as for, count(*) filter (where value = -1)::int as against,
       coalesce(max(value) filter (where user_id = $3), 0)::int as mine
     from votes where subject_type = $1 and subject_id = any($2) group by subject_id`,
    [subjectType, [...ids], viewerId ?? 0],
  )
  return new Map(rows.map((r) => [r.subject_id, { for: r.for, against: r.against, mine: r.mine }]))
}

/** The comments on an object, oldest first, replies under what they answer; with anchor, only those on that part. */
export async function commentThread(db: Queryable, subjectType: string, subjectId: string, viewerId: number | null, anchor?: string): Promise<{ comments: CommentView[]; count: number }> {
  const rows = await db.query<{ id: number; anchor: string | null; parent_id: number | null; author_id: number; display_name: string; body: string; lang: Lang | null; created_at: Date; hidden_reason: HideReason | null; hidden_note: string | null; duplicate_of: number | null }>(
    `select c.id, c.anchor, c.parent_id, c.author_id, u.display_name, c.body, c.lang, c.created_at, c.hidden_reason, c.hidden_note, c.duplicate_of
     from comments c join users u on u.id = c.author_id
     where c.subject_type = $1 and c.subject_id = $2 and ($3::text is null or c.anchor = $3) order by c.created_at, c.id`,
    [subjectType, subjectId, anchor ?? null],
  )
  const votes = await voteCounts(db, 'comment', rows.map((r) => String(r.id)), viewerId)
  const byId = new Map<number, CommentView>()
  const top: CommentView[] = []
  for (const r of rows) {
    const v = votes.get(String(r.id))
    const view: CommentView = {
      id: r.id, anchor: r.anchor, parentId: r.parent_id, authorName: r.display_name, own: r.author_id === viewerId,
      body: r.hidden_reason ? null : r.body, lang: r.lang, createdAt: r.created_at,
      hidden: r.hidden_reason ? { reason: r.hidden_reason, note: r.hidden_note, duplicateOf: r.duplicate_of } : null,
      votesFor: v?.for ?? 0, votesAgainst: v?.against ?? 0, myVote: v?.mine ?? 0, replies: [],
    }
    byId.set(r.id, view)
    const parent = r.parent_id ? byId.get(r.parent_id) : undefined
    if (parent) parent.replies.push(view)
    else top.push(view)
  }
  return { comments: top, count: rows.filter((r) => !r.hidden_reason).length }
}

/** Comments shown on each part of an object (hidden ones not counted), by anchor; the whole's under ''. */
export async function commentCountsByAnchor(db: Queryable, subjectType: string, subjectId: string): Promise<Map<string, number>> {
  const rows = await db.query<{ anchor: string | null; count: number }>(
    'select anchor, count(*)::int as count from comments where subject_type = $1 and subject_id = $2 and hidden_at is null group by anchor',
    [subjectType, subjectId],
  )
  return new Map(rows.map((r) => [r.anchor ?? '', r.count]))
}

/**
 * A person's vote for (1) or against (-1) an object open for comments, or on a comment of one; 0 takes
 * the vote back. One vote per account: voting again changes it.
 */
export async function castVote(db: Db, who: Participant, subjectType: string, subjectId: string, value: number): Promise<void> {
  const user = requireConfirmedEmail(who.user)
  if (![1, -1, 0].includes(value)) throw new ValidationError([{ field: 'value', messageKey: 'platform.validation.enum', values: { allowed: '1, -1, 0' } }])
  let open: boolean
  if (subjectType === 'comment') {
    const [comment] = await db.query<{ subject_type: string; subject_id: string; hidden: boolean }>(
      'select subject_type, subject_id, hidden_at is not null as hidden from comments where id = $1', [Number(subjectId) || 0])
    if (!comment || comment.hidden) throw new NotFound('comment', subjectId)
    open = (await findSubject(db, comment.subject_type, comment.subject_id)).open
  } else {
    open = (await findSubject(db, subjectType, subjectId)).open
  }
  if (!open) throw new ValidationError([{ field: 'value', messageKey: 'platform.comments.closed' }])
  await db.transaction(async (tx) => {
    await spendLimits(tx, [{ limit: VOTE_LIMITS.account, key: String(user.id) }, { limit: VOTE_LIMITS.address, key: who.address }])
    if (value === 0) {
      await tx.query('delete from votes where subject_type = $1 and subject_id = $2 and user_id = $3', [subjectType, subjectId, user.id])
    } else {
      await tx.query(
        `insert into votes (subject_type, subject_id, user_id, value) values ($1, $2, $3, $4)
         on conflict (subject_type, subject_id, user_id) do update set value = excluded.value, created_at = now()`,
        [subjectType, subjectId, user.id, value],
      )
    }
  })
}

/** A comment, or undefined. */
export async function findComment(db: Queryable, id: number): Promise<{ id: number; subjectType: string; subjectId: string; anchor: string | null; body: string; hidden: boolean; authorId: number; authorName: string } | undefined> {
  const [row] = await db.query<{ id: number; subject_type: string; subject_id: string; anchor: string | null; body: string; hidden: boolean; author_id: number; display_name: string }>(
    `select c.id, c.subject_type, c.subject_id, c.anchor, c.body, c.hidden_at is not null as hidden, c.author_id, u.display_name
     from comments c join users u on u.id = c.author_id where c.id = $1`,
    [id],
  )
  return row && { id: row.id, subjectType: row.subject_type, subjectId: row.subject_id, anchor: row.anchor, body: row.body, hidden: row.hidden, authorId: row.author_id, authorName: row.display_name }
}

/**
 * A comment a moderator acts on, or NotFound, with the object it is about as its module says now:
 * the body that owns the object now moderates it (agencyId null when the object is gone: nobody).
 */
export async function commentToModerate(db: Queryable, id: number): Promise<NonNullable<Awaited<ReturnType<typeof findComment>>> & { agencyId: number | null; subject: CommentableSubject | undefined }> {
  const comment = await findComment(db, id)
  if (!comment) throw new NotFound('comment', String(id))
  const subject = await subjectOf(db, comment.subjectType, comment.subjectId)
  return { ...comment, agencyId: subject?.agencyId ?? null, subject }
}

/**
 * Hides a comment for one of the documented reasons, by an editor of the body that owns its object;
 * its text stays in the record, readers see the reason, and its author is told by mail why.
 */
export async function hideComment(db: Db, moderator: User | null, id: number, input: { reason: string; note?: string; duplicateOf?: number | null }, origin: string): Promise<void> {
  const comment = await commentToModerate(db, id)
  // Hidden already (the form sent twice): nothing more to do, and its author is not mailed again.
  if (comment.hidden) {
    authorize(moderator, 'comment.hide', { agencyId: comment.agencyId })
    return
  }
  commentActions.require(moderator, 'hide', { agencyId: comment.agencyId, status: 'visible' })
  const problems: FieldError[] = []
  if (!HIDE_REASONS.includes(input.reason as HideReason)) problems.push({ field: 'reason', messageKey: 'platform.comments.reasonRequired' })
  const note = input.note?.trim() || null
  if (note && note.length > 1000) problems.push({ field: 'note', messageKey: 'platform.validation.maxLength', values: { limit: 1000 } })
  let duplicateOf: number | null = null
  if (input.reason === 'duplicate') {
    const original = input.duplicateOf ? await findComment(db, input.duplicateOf) : undefined
    if (!original || original.id === id || original.subjectType !== comment.subjectType || original.subjectId !== comment.subjectId) {
      problems.push({ field: 'duplicateOf', messageKey: 'platform.comments.duplicateUnknown' })
    } else duplicateOf = original.id
  }
  if (problems.length > 0) throw new ValidationError(problems)
  const subject = comment.subject
  if (!subject) throw new NotFound(comment.subjectType, comment.subjectId)
  await db.transaction(async (tx) => {
    await transition(tx, {
      ...commentChange(moderator!, comment, ['visible'], 'hidden', 'comment.hide', { reason: input.reason, note, duplicateOf }),
      set: { hidden_reason: input.reason, hidden_note: note, duplicate_of: duplicateOf, hidden_by: moderator!.id, hidden_at: NOW },
      tell: told(commentHidden, { id, authorId: comment.authorId, subjectTitle: subject.title, subjectPath: subject.path, body: comment.body, reason: input.reason, note }, origin),
    })
  })
}

/** A comment's moderation as a change of its state (visible, hidden): guarded, audited, its conflict linking back to it. */
function commentChange(moderator: User, comment: { id: number; subject: { path: string } | undefined }, from: readonly CommentStatus[], to: CommentStatus, action: string,
  after: Record<string, unknown> = {}): Transition<CommentStatus> {
  return {
    table: 'comments', id: comment.id, from, to,
    audit: { actor: { id: moderator.id, email: moderator.email }, action, entity: 'comment', after },
    labelKey: (state) => `platform.comments.states.${state}`, ...(comment.subject ? { href: `${comment.subject.path}#comment-${comment.id}` } : {}),
  }
}

/** Shows a hidden comment again (a moderator's mistake), recorded in the audit log. */
export async function restoreComment(db: Db, moderator: User | null, id: number): Promise<void> {
  const comment = await commentToModerate(db, id)
  // Shown already (the button pressed twice): nothing to do.
  if (!comment.hidden) {
    authorize(moderator, 'comment.restore', { agencyId: comment.agencyId })
    return
  }
  commentActions.require(moderator, 'restore', { agencyId: comment.agencyId, status: 'hidden' })
  await db.transaction(async (tx) => {
    await transition(tx, {
      ...commentChange(moderator!, comment, ['hidden'], 'visible', 'comment.restore'),
      set: { hidden_reason: null, hidden_note: null, duplicate_of: null, hidden_by: null, hidden_at: null },
    })
  })
}
