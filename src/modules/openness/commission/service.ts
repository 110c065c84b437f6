import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { recordChange } from '../../../platform/audit/index.ts'
import { NOW, transition } from '../../../platform/states/index.ts'
import { told } from '../../../platform/notifications/events.ts'
import { isDay, kazakhstanDay, type Day } from '../../../platform/calendar/days.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { agencySlugById, agencyWithRegion } from '../../agencies/service.ts'
import { latestSnapshot, snapshotScores } from '../service.ts'
import { reviewWindow } from '../disputes/service.ts'
import { meetingActions, recommendationActions } from './actions.ts'
import { recommendationMade, recommendationReported } from './events.ts'
import { MEMBER_POSITIONS, PROPOSED_HEARINGS, recommendationState, type MeetingStatus, type MemberPosition, type RecommendationState, type RecommendationStatus } from './states.ts'

export interface Member { id: number; name: MultilingualText; affiliation: MultilingualText; position: MemberPosition; startedOn: Day; endedOn: Day | null }
export interface AgendaItem { agencyId: number | null; score: number | null; title: MultilingualText }
export interface Meeting { id: number; heldOn: Day; place: string; status: MeetingStatus; minutes: MultilingualText; agenda: AgendaItem[] }
export interface Recommendation {
  id: number; meetingId: number; meetingDay: Day; agencyId: number; text: MultilingualText; dueOn: Day
  status: RecommendationStatus; state: RecommendationState; report: MultilingualText | null; reportedOn: Day | null
}

const TEXT_LIMIT = 8000
const today = () => kazakhstanDay(new Date())
const commissionActor = (user: User | null) => authorize(user, 'openness.commission.manage')

/** A text in kk/ru/en that must be there in Kazakh and Russian (the state's languages), each within the limit. */
function bilingual(field: string, value: MultilingualText, problems: FieldError[], messageKey: string, limit = TEXT_LIMIT): MultilingualText {
  const text = cleanMultilingual(value)
  for (const lang of ['kk', 'ru'] as const) if (!text[lang]) problems.push({ field: `${field}.${lang}`, messageKey })
  for (const lang of ['kk', 'ru', 'en'] as const) if ((text[lang]?.length ?? 0) > limit) problems.push({ field: `${field}.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit } })
  return text
}

function dayProblem(field: string, day: string, problems: FieldError[]): Day {
  if (!isDay(day)) problems.push({ field, messageKey: 'openness.commission.errors.day' })
  return day
}

/** The Commission's members: those serving on a day first (by position), then the former. */
export async function listMembers(db: Queryable, on: Day = today()): Promise<{ current: Member[]; former: Member[] }> {
  const rows = (await db.query<{ id: string; name: MultilingualText; affiliation: MultilingualText; position: MemberPosition; started_on: string; ended_on: string | null }>(
    'select id, name, affiliation, position, started_on::text as started_on, ended_on::text as ended_on from openness_commission_members order by started_on, id',
  )).map((m): Member => ({ id: Number(m.id), name: m.name, affiliation: m.affiliation, position: m.position, startedOn: m.started_on, endedOn: m.ended_on }))
  const serving = (m: Member) => m.startedOn <= on && (m.endedOn === null || m.endedOn >= on)
  return {
    current: rows.filter(serving).sort((a, b) => MEMBER_POSITIONS.indexOf(a.position) - MEMBER_POSITIONS.indexOf(b.position)),
    former: rows.filter((m) => !serving(m) && m.startedOn <= on),
  }
}

/** The commission records a member: their name and affiliation in Kazakh and Russian, position and first day. */
export async function addMember(db: Db, user: User | null, input: { name: MultilingualText; affiliation: MultilingualText; position: string; startedOn: string }): Promise<number> {
  const actor = commissionActor(user)
  const problems: FieldError[] = []
  const name = bilingual('name', input.name, problems, 'openness.commission.errors.name', 300)
  const affiliation = bilingual('affiliation', input.affiliation, problems, 'openness.commission.errors.affiliation', 300)
  if (!MEMBER_POSITIONS.includes(input.position as MemberPosition)) problems.push({ field: 'position', messageKey: 'openness.commission.errors.position' })
  dayProblem('startedOn', input.startedOn, problems)
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>('insert into openness_commission_members (name, affiliation, position, started_on) values ($1, $2, $3, $4) returning id', [name, affiliation, input.position, input.startedOn])
    await recordChange(tx, { id: actor.id, email: actor.email }, { entity: 'openness-commission-member', entityId: row!.id, action: 'openness.commission.member.add', before: null, after: input })
    return Number(row!.id)
  })
}

/** The commission records a member's last day. */
export async function endMembership(db: Db, user: User | null, id: number, endedOn: string): Promise<void> {
  const actor = commissionActor(user)
  const problems: FieldError[] = []
  dayProblem('endedOn', endedOn, problems)
  if (problems.length > 0) throw new ValidationError(problems)
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ started_on: string; ended_on: string | null }>('select started_on::text as started_on, ended_on::text as ended_on from openness_commission_members where id = $1 for update', [id])
    if (!row) throw new NotFound('openness-commission-member', String(id))
    if (endedOn < row.started_on) throw new ValidationError([{ field: 'endedOn', messageKey: 'openness.commission.errors.endBeforeStart' }])
    await tx.query('update openness_commission_members set ended_on = $2 where id = $1', [id, endedOn])
    await recordChange(tx, { id: actor.id, email: actor.email }, { entity: 'openness-commission-member', entityId: String(id), action: 'openness.commission.member.end', before: { endedOn: row.ended_on }, after: { endedOn } })
  })
}

/**
 * The bodies a new meeting proposes to hear: the lowest scorers of the month's reviewed snapshot (the
 * month's first, as disputes corrected it), or of the latest one before any, the lowest first.
 */
export async function proposedHearings(db: Db, count = PROPOSED_HEARINGS * 2): Promise<Array<{ agencyId: number; score: number }>> {
  const snapshot = (await reviewWindow(db))?.snapshot ?? await latestSnapshot(db)
  if (!snapshot) return []
  return (await snapshotScores(db, snapshot.id)).filter((s) => s.score !== null).reverse().slice(0, count).map((s) => ({ agencyId: s.agencyId, score: s.score! }))
}

type MeetingRow = { id: string; held_on: string; place: string; status: MeetingStatus; minutes: MultilingualText }
const toMeeting = (m: MeetingRow, items: Array<{ meeting_id: string; agency_id: string | null; score: string | null; title: MultilingualText }>): Meeting => ({
  id: Number(m.id), heldOn: m.held_on, place: m.place, status: m.status, minutes: m.minutes,
  agenda: items.filter((i) => i.meeting_id === m.id).map((i) => ({ agencyId: i.agency_id === null ? null : Number(i.agency_id), score: i.score === null ? null : Number(i.score), title: i.title })),
})

/** The Commission's meetings, the latest first, each with its agenda. */
export async function listMeetings(db: Queryable, year?: number): Promise<Meeting[]> {
  const meetings = await db.query<MeetingRow>(
    `select id, held_on::text as held_on, place, status, minutes from openness_meetings where $1::int is null or extract(year from held_on) = $1 order by held_on desc, id desc`, [year ?? null])
  if (meetings.length === 0) return []
  const items = await db.query<{ meeting_id: string; agency_id: string | null; score: string | null; title: MultilingualText }>(
    'select meeting_id, agency_id, score::text as score, title from openness_meeting_items where meeting_id = any($1::bigint[]) order by meeting_id, position', [meetings.map((m) => m.id)])
  return meetings.map((m) => toMeeting(m, items))
}

/** A meeting by its number (public). */
export async function findMeeting(db: Queryable, id: number): Promise<Meeting> {
  const [meeting] = await db.query<MeetingRow>('select id, held_on::text as held_on, place, status, minutes from openness_meetings where id = $1', [id])
  if (!meeting) throw new NotFound('openness-meeting', String(id))
  const items = await db.query<{ meeting_id: string; agency_id: string | null; score: string | null; title: MultilingualText }>(
    'select meeting_id, agency_id, score::text as score, title from openness_meeting_items where meeting_id = $1 order by position', [id])
  return toMeeting(meeting, items)
}

/**
 * The commission plans a meeting: its day, place and agenda, the bodies it hears (each with its score
 * now, as proposed by `proposedHearings` or chosen) and other questions.
 */
export async function planMeeting(db: Db, user: User | null, input: { heldOn: string; place: string; hearings: readonly string[]; questions?: readonly MultilingualText[] }): Promise<number> {
  const actor = commissionActor(user)
  const problems: FieldError[] = []
  dayProblem('heldOn', input.heldOn, problems)
  const place = input.place.trim()
  if (place.length > 300) problems.push({ field: 'place', messageKey: 'platform.validation.maxLength', values: { limit: 300 } })
  const bodies: Array<{ id: number }> = []
  for (const slug of new Set(input.hearings)) {
    const agency = await agencyWithRegion(db, slug)
    if (agency) bodies.push(agency)
    else problems.push({ field: 'hearings', messageKey: 'openness.commission.errors.agency', values: { slug } })
  }
  const questions = (input.questions ?? []).map((q) => cleanMultilingual(q)).filter((q) => q.kk || q.ru || q.en)
  if (bodies.length === 0 && questions.length === 0) problems.push({ field: 'hearings', messageKey: 'openness.commission.errors.agenda' })
  if (problems.length > 0) throw new ValidationError(problems)
  const scores = new Map((await proposedHearings(db, Number.MAX_SAFE_INTEGER)).map((s) => [s.agencyId, s.score]))
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>('insert into openness_meetings (held_on, place) values ($1, $2) returning id', [input.heldOn, place])
    const items = [...bodies.map((b) => ({ agency_id: b.id, score: scores.get(b.id) ?? null, title: {} })), ...questions.map((q) => ({ agency_id: null, score: null, title: q }))]
      .map((item, i) => ({ ...item, position: i + 1 }))
    await tx.query(
      `insert into openness_meeting_items (meeting_id, position, agency_id, score, title)
       select $1, i.position, i.agency_id, i.score, i.title from jsonb_to_recordset($2::jsonb) as i(position integer, agency_id bigint, score numeric, title jsonb)`,
      [row!.id, JSON.stringify(items)])
    await recordChange(tx, { id: actor.id, email: actor.email }, { entity: 'openness-meeting', entityId: row!.id, action: 'openness.meeting.plan', before: null, after: input })
    return Number(row!.id)
  })
}

/** The commission records a meeting held: its minutes (what it heard and decided), in Kazakh and Russian, on or after its day. */
export async function holdMeeting(db: Db, user: User | null, id: number, input: { minutes: MultilingualText }, day: Day = today()): Promise<void> {
  const meeting = await findMeeting(db, id)
  const actor = meetingActions.require(user, 'hold', { status: meeting.status, agencyId: null })
  const problems: FieldError[] = []
  const minutes = bilingual('minutes', input.minutes, problems, 'openness.commission.errors.minutes')
  if (meeting.heldOn > day) problems.push({ field: 'minutes.ru', messageKey: 'openness.commission.errors.notYet' })
  if (problems.length > 0) throw new ValidationError(problems)
  await db.transaction(async (tx) => {
    await transition(tx, {
      table: 'openness_meetings', id, from: ['planned'], to: 'held', set: { minutes },
      audit: { actor: { id: actor.id, email: actor.email }, action: 'openness.meeting.hold', entity: 'openness-meeting', after: { minutes } },
      labelKey: (state) => `openness.commission.meetingStates.${state}`, href: `/openness/commission/meetings/${id}`,
    })
  })
}

type RecommendationRow = { id: string; meeting_id: string; held_on: string; agency_id: string; text: MultilingualText; due_on: string; status: RecommendationStatus; report: MultilingualText | null; reported_on: string | null }
const RECOMMENDATIONS = `select r.id, r.meeting_id, m.held_on::text as held_on, r.agency_id, r.text, r.due_on::text as due_on, r.status, r.report,
  ((r.reported_at at time zone 'UTC') + interval '5 hours')::date::text as reported_on
  from openness_recommendations r join openness_meetings m on m.id = r.meeting_id`
const toRecommendation = (r: RecommendationRow, day: Day): Recommendation => ({
  id: Number(r.id), meetingId: Number(r.meeting_id), meetingDay: r.held_on, agencyId: Number(r.agency_id), text: r.text, dueOn: r.due_on, status: r.status,
  state: recommendationState({ status: r.status, dueOn: r.due_on, reportedOn: r.reported_on }, day), report: r.report, reportedOn: r.reported_on,
})

/** Recommendations (public): of a meeting, of a body, or every one; by their day due. */
export async function listRecommendations(db: Queryable, filter: { meetingId?: number; agencyId?: number } = {}, day: Day = today()): Promise<Recommendation[]> {
  return (await db.query<RecommendationRow>(`${RECOMMENDATIONS} where ($1::bigint is null or r.meeting_id = $1) and ($2::bigint is null or r.agency_id = $2) order by r.due_on, r.id`,
    [filter.meetingId ?? null, filter.agencyId ?? null])).map((r) => toRecommendation(r, day))
}

export async function findRecommendation(db: Queryable, id: number, day: Day = today()): Promise<Recommendation> {
  const [row] = await db.query<RecommendationRow>(`${RECOMMENDATIONS} where r.id = $1`, [id])
  if (!row) throw new NotFound('openness-recommendation', String(id))
  return toRecommendation(row, day)
}

/** The commission records a recommendation of a held meeting to a body, with the day by which the body reports on it; the body's staff are told. */
export async function recommend(db: Db, user: User | null, meetingId: number, input: { agency: string; text: MultilingualText; dueOn: string }, origin: string): Promise<number> {
  const meeting = await findMeeting(db, meetingId)
  const actor = meetingActions.require(user, 'recommend', { status: meeting.status, agencyId: null })
  const problems: FieldError[] = []
  const agency = await agencyWithRegion(db, input.agency)
  if (!agency) problems.push({ field: 'agency', messageKey: 'openness.commission.errors.agency', values: { slug: input.agency } })
  const text = bilingual('text', input.text, problems, 'openness.commission.errors.text')
  if (dayProblem('dueOn', input.dueOn, problems) <= meeting.heldOn && isDay(input.dueOn)) problems.push({ field: 'dueOn', messageKey: 'openness.commission.errors.dueAfterMeeting' })
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>('insert into openness_recommendations (meeting_id, agency_id, text, due_on) values ($1, $2, $3, $4) returning id', [meetingId, agency!.id, text, input.dueOn])
    const id = Number(row!.id)
    await recordChange(tx, { id: actor.id, email: actor.email }, { entity: 'openness-recommendation', entityId: String(id), action: 'openness.meeting.recommend', before: null, after: input })
    await told(recommendationMade, { id, agencyId: agency!.id, text, due: input.dueOn }, origin).announce(tx)
    return id
  })
}

/** A body's staff report on a recommendation to it, once, in Kazakh and Russian; the commission is told. Late reports are taken and shown as late. */
export async function reportOnRecommendation(db: Db, user: User | null, id: number, input: { report: MultilingualText }, origin: string): Promise<void> {
  const recommendation = await findRecommendation(db, id)
  const actor = recommendationActions.require(user, 'report', recommendation)
  const problems: FieldError[] = []
  const report = bilingual('report', input.report, problems, 'openness.commission.errors.report')
  if (problems.length > 0) throw new ValidationError(problems)
  const agency = await agencyWithRegion(db, (await agencySlugById(db, recommendation.agencyId))!)
  await db.transaction(async (tx) => {
    await transition(tx, {
      table: 'openness_recommendations', id, from: ['open'], to: 'reported', set: { report, reported_at: NOW, reported_by: actor.id },
      audit: { actor: { id: actor.id, email: actor.email }, action: 'openness.recommendation.report', entity: 'openness-recommendation', after: { report } },
      labelKey: (state) => `openness.commission.recommendationStates.${state === 'open' ? 'awaiting' : state}`, href: `/openness/commission/recommendations/${id}`,
      tell: told(recommendationReported, { id, agencyName: agency!.name }, origin),
    })
  })
}
