import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { recordChange } from '../../../platform/audit/index.ts'
import { webUrl } from '../../../platform/http/validation.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { announce } from '../../../platform/notifications/events.ts'
import { conferenceAnnounced } from './events.ts'
import { managedBlog } from '../blogs/service.ts'
import { commentThread, type CommentView } from '../../../platform/comments/service.ts'

/** A head's web conference. */
export interface Conference {
  id: number
  agency: { id: number; slug: string; name: MultilingualText }
  title: MultilingualText
  description: MultilingualText
  startsAt: Date
  streamUrl: string | null
  recordingUrl: string | null
  /** Questions are taken and voted on until it starts. */
  open: boolean
}

interface Row { id: number; agency_id: number; slug: string; name: MultilingualText; title: MultilingualText; description: MultilingualText; starts_at: Date; stream_url: string | null; recording_url: string | null }
const toConference = (r: Row, now: Date): Conference => ({
  id: r.id, agency: { id: r.agency_id, slug: r.slug, name: r.name }, title: r.title, description: r.description, startsAt: r.starts_at,
  streamUrl: r.stream_url, recordingUrl: r.recording_url, open: now < r.starts_at,
})
const SELECT = 'select c.id, c.agency_id, a.slug, a.name, c.title, c.description, c.starts_at, c.stream_url, c.recording_url from dialogue_conferences c join agencies a on a.id = c.agency_id'

export async function findConference(db: Queryable, id: number, now = new Date()): Promise<Conference> {
  const [row] = await db.query<Row>(`${SELECT} where c.id = $1`, [id])
  if (!row) throw new NotFound('conference', String(id))
  return toConference(row, now)
}

/** A body's conferences, the coming ones first (soonest first), then the past (latest first). */
export async function listConferences(db: Queryable, agencyId: number, now = new Date()): Promise<Conference[]> {
  const rows = await db.query<Row>(`${SELECT} where c.agency_id = $1 order by c.starts_at < $2, abs(extract(epoch from c.starts_at - $2)) limit 50`, [agencyId, now])
  return rows.map((r) => toConference(r, now))
}

/** What a body announces. */
export interface ConferenceFields {
  title: MultilingualText
  description: MultilingualText
  /** Its day and hour in Kazakhstan (UTC+5), as a form's datetime-local sends it: 2026-12-15T15:00. */
  startsAt: string
  streamUrl: string
}

/** Announces a conference (at least a day ahead, so questions can come); the blog's followers are mailed. */
export async function announceConference(db: Db, user: User | null, agencySlug: string, input: ConferenceFields, origin: string, now = new Date()): Promise<number> {
  const agency = await managedBlog(db, user, agencySlug)
  const title = cleanMultilingual(input.title)
  const description = cleanMultilingual(input.description)
  const problems: FieldError[] = []
  for (const lang of ['kk', 'ru'] as const) if (!title[lang]) problems.push({ field: `title.${lang}`, messageKey: 'dialogue.errors.postTitle' })
  const startsAt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(input.startsAt) ? new Date(`${input.startsAt}:00+05:00`) : null
  if (!startsAt || Number.isNaN(startsAt.getTime()) || startsAt.getTime() < now.getTime() + 24 * 3600_000) problems.push({ field: 'startsAt', messageKey: 'dialogue.errors.startsAt' })
  const stream = input.streamUrl.trim()
  if (stream && !webUrl(stream)) problems.push({ field: 'streamUrl', messageKey: 'dialogue.errors.url' })
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      'insert into dialogue_conferences (agency_id, title, description, starts_at, stream_url, created_by) values ($1, $2, $3, $4, $5, $6) returning id',
      [agency.id, title, description, startsAt, stream || null, user!.id],
    )
    const id = row!.id
    await recordChange(tx, { id: user!.id, email: user!.email }, { action: 'dialogue.conference', entity: 'dialogue-conference', entityId: String(id), before: null, after: { title, startsAt } })
    await announce(tx, conferenceAnnounced, { id, agencySlug, agencyName: agency.name, title, startsAt: startsAt!, authorId: user!.id }, origin)
    return id
  })
}

/**
 * The questions sent to a conference (the platform's comments on it), the most wanted first (the
 * most votes for, less those against), each with its answer once given; and how many there are.
 */
export async function conferenceQuestions(db: Queryable, conferenceId: number, viewerId: number | null): Promise<{ questions: Array<CommentView & { answer: MultilingualText | null }>; count: number }> {
  const thread = await commentThread(db, 'dialogue-conference', String(conferenceId), viewerId)
  const answers = await conferenceAnswers(db, conferenceId)
  const questions = [...thread.comments].sort((a, b) => (b.votesFor - b.votesAgainst) - (a.votesFor - a.votesAgainst) || a.id - b.id)
    .map((c) => ({ ...c, answer: answers.get(c.id) ?? null }))
  return { questions, count: thread.count }
}

/** The answers given at a conference, by the question (comment) they answer. */
export async function conferenceAnswers(db: Queryable, conferenceId: number): Promise<Map<number, MultilingualText>> {
  const rows = await db.query<{ comment_id: number; answer: MultilingualText }>('select comment_id, answer from dialogue_conference_answers where conference_id = $1', [conferenceId])
  return new Map(rows.map((r) => [r.comment_id, r.answer]))
}

/** After the conference: the answer to one question sent to it (answering again changes it). */
export async function answerConferenceQuestion(db: Db, user: User | null, conferenceId: number, commentId: number, input: { answer: MultilingualText }, now = new Date()): Promise<void> {
  const conference = await findConference(db, conferenceId, now)
  authorize(user, 'dialogue.manage', { agencyId: conference.agency.id })
  if (conference.open) throw new ValidationError([{ field: `answer-${commentId}`, messageKey: 'dialogue.errors.conferenceNotHeld' }])
  const [comment] = await db.query("select id from comments where id = $1 and subject_type = 'dialogue-conference' and subject_id = $2 and parent_id is null and hidden_at is null", [commentId, String(conferenceId)])
  if (!comment) throw new NotFound('comment', String(commentId))
  const answer = cleanMultilingual(input.answer)
  if (Object.keys(answer).length === 0) throw new ValidationError([{ field: `answer-${commentId}`, messageKey: 'dialogue.errors.answerRequired' }])
  await db.transaction(async (tx) => {
    await tx.query(
      `insert into dialogue_conference_answers (comment_id, conference_id, answer, answered_by) values ($1, $2, $3, $4)
       on conflict (comment_id) do update set answer = excluded.answer, answered_by = excluded.answered_by, answered_at = now()`,
      [commentId, conferenceId, answer, user!.id],
    )
    await recordChange(tx, { id: user!.id, email: user!.email }, { action: 'dialogue.conference-answer', entity: 'comment', entityId: String(commentId), before: null, after: { answer } })
  })
}

/** After the conference: where its recording is. */
export async function setRecording(db: Db, user: User | null, conferenceId: number, url: string, now = new Date()): Promise<void> {
  const conference = await findConference(db, conferenceId, now)
  authorize(user, 'dialogue.manage', { agencyId: conference.agency.id })
  if (conference.open) throw new ValidationError([{ field: 'recordingUrl', messageKey: 'dialogue.errors.conferenceNotHeld' }])
  if (!webUrl(url.trim())) throw new ValidationError([{ field: 'recordingUrl', messageKey: 'dialogue.errors.url' }])
  await db.transaction(async (tx) => {
    await tx.query('update dialogue_conferences set recording_url = $2 where id = $1', [conferenceId, url.trim()])
    await recordChange(tx, { id: user!.id, email: user!.email }, { action: 'dialogue.conference-recording', entity: 'dialogue-conference', entityId: String(conferenceId), before: { recordingUrl: conference.recordingUrl }, after: { recordingUrl: url.trim() } })
  })
}
