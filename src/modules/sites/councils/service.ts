import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { addDays, isDay, type Day } from '../../../platform/calendar/days.ts'
import { addWorkingDays, workingCalendar } from '../../../platform/calendar/service.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'

/**
 * The Law of the Republic of Kazakhstan "On public control" gives a public council 7 working days to
 * send its final document and the body 10 working days from receiving it to answer with its reasons.
 */
export const ANSWER_WORKING_DAYS = 10
export const SEND_WORKING_DAYS = 7

export const MEMBER_ROLES = ['chair', 'deputy-chair', 'secretary', 'member'] as const
export type MemberRole = (typeof MEMBER_ROLES)[number]

/** Where a recommendation stands: awaiting the body's answer, answered in time or late, or overdue (unanswered past its day). */
export type RecommendationState = 'awaiting' | 'overdue' | 'answered' | 'answered-late'

export interface Council { id: number; agencyId: number; name: MultilingualText; about: MultilingualText }
export interface Member { id: number; personId: number; name: MultilingualText; role: MemberRole; position: MultilingualText; since: Day; until: Day | null }
export interface Meeting { id: number; heldOn: Day; place: MultilingualText; agenda: MultilingualText; minutes: MultilingualText }
export interface Recommendation {
  id: number; meetingId: number | null; text: MultilingualText; sentOn: Day; answerDue: Day; answer: MultilingualText | null; answeredOn: Day | null; state: RecommendationState
  /** The last day the council had to send it after the meeting that adopted it (null without a meeting), and whether it was sent later. */
  sendDue: Day | null
  sentLate: boolean
}

/** A recommendation's state on a day. */
export function recommendationState(r: { answerDue: Day; answeredOn: Day | null }, today: Day): RecommendationState {
  if (r.answeredOn) return r.answeredOn > r.answerDue ? 'answered-late' : 'answered'
  return today > r.answerDue ? 'overdue' : 'awaiting'
}

/** A body's public council, or null when it has none. */
export async function councilOf(db: Queryable, agencyId: number): Promise<Council | null> {
  const [row] = await db.query<{ id: string; agency_id: string; name: MultilingualText; about: MultilingualText }>('select id, agency_id, name, about from public_councils where agency_id = $1', [agencyId])
  return row ? { id: Number(row.id), agencyId: Number(row.agency_id), name: row.name, about: row.about } : null
}

/** Everything a council's page shows: members now and before, plans by year, meetings newest first, recommendations with their state today. */
export async function councilRecord(db: Db, council: Council, today: Day) {
  const members = (await db.query<{ id: string; person_id: string; name: MultilingualText; role: MemberRole; position: MultilingualText; since: string; until: string | null }>(
    `select m.id, m.person_id, p.name, m.role, m.position, m.since::text as since, m.until::text as until from council_members m join people p on p.id = m.person_id
     where m.council_id = $1 order by m.until is not null, case m.role when 'chair' then 0 when 'deputy-chair' then 1 when 'secretary' then 2 else 3 end, m.since, m.id`, [council.id],
  )).map((m): Member => ({ id: Number(m.id), personId: Number(m.person_id), name: m.name, role: m.role, position: m.position, since: m.since, until: m.until }))
  const plans = await db.query<{ year: number; body: MultilingualText }>('select year, body from council_plans where council_id = $1 order by year desc', [council.id])
  const meetings = (await db.query<{ id: string; held_on: string; place: MultilingualText; agenda: MultilingualText; minutes: MultilingualText }>(
    'select id, held_on::text as held_on, place, agenda, minutes from council_meetings where council_id = $1 order by held_on desc, id desc', [council.id],
  )).map((m): Meeting => ({ id: Number(m.id), heldOn: m.held_on, place: m.place, agenda: m.agenda, minutes: m.minutes }))
  const rows = (await db.query<{ id: string; meeting_id: string | null; text: MultilingualText; sent_on: string; answer_due: string; answer: MultilingualText | null; answered_on: string | null }>(
    `select id, meeting_id, text, sent_on::text as sent_on, answer_due::text as answer_due, answer, answered_on::text as answered_on
     from council_recommendations where council_id = $1 order by sent_on desc, id desc`, [council.id],
  ))
  const heldOn = new Map(meetings.map((m) => [m.id, m.heldOn]))
  const earliest = meetings.reduce<Day | null>((min, m) => (min === null || m.heldOn < min ? m.heldOn : min), null)
  const latest = meetings.reduce<Day | null>((max, m) => (max === null || m.heldOn > max ? m.heldOn : max), null)
  const calendar = earliest && latest ? await workingCalendar(db, earliest, addDays(latest, SEND_WORKING_DAYS * 2 + 31)) : null
  const recommendations = rows.map((r): Recommendation => {
    const base = { id: Number(r.id), meetingId: r.meeting_id ? Number(r.meeting_id) : null, text: r.text, sentOn: r.sent_on, answerDue: r.answer_due, answer: r.answer, answeredOn: r.answered_on }
    const held = base.meetingId ? heldOn.get(base.meetingId) : undefined
    const sendDue = held && calendar ? calendar.addWorkingDays(held, SEND_WORKING_DAYS) : null
    return { ...base, state: recommendationState(base, today), sendDue, sentLate: sendDue !== null && base.sentOn > sendDue }
  })
  return { members, plans, meetings, recommendations }
}

const actorOf = (user: User): Actor => ({ id: user.id, email: user.email })
const required = (value: MultilingualText | undefined, field: string, key: string, problems: FieldError[]) => {
  const kept = cleanMultilingual(value)
  if (!kept.kk && !kept.ru) problems.push({ field: `${field}.ru`, messageKey: `sites.councils.errors.${key}` })
  return kept
}
const fail = (problems: FieldError[]) => { if (problems.length > 0) throw new ValidationError(problems) }

/** Opens a body's public council, or renames it (its staff, who keep its record). */
export async function keepCouncil(db: Db, user: User | null, agencyId: number, input: { name: MultilingualText; about?: MultilingualText }): Promise<Council> {
  const actor = authorize(user, 'site.council.edit', { agencyId })
  const problems: FieldError[] = []
  const name = cleanMultilingual(input.name)
  for (const lang of ['kk', 'ru'] as const) if (!name[lang]) problems.push({ field: `name.${lang}`, messageKey: 'sites.councils.errors.name' })
  fail(problems)
  return db.transaction(async (tx) => {
    await tx.query('insert into public_councils (agency_id, name, about) values ($1, $2, $3) on conflict (agency_id) do update set name = excluded.name, about = excluded.about', [agencyId, name, cleanMultilingual(input.about)])
    const council = (await councilOf(tx, agencyId))!
    await recordChange(tx, actorOf(actor), { entity: 'public-council', entityId: String(council.id), action: 'keep', before: null, after: { name } })
    return council
  })
}

async function ownCouncil(db: Queryable, agencyId: number): Promise<Council> {
  const council = await councilOf(db, agencyId)
  if (!council) throw new NotFound('public-council', String(agencyId))
  return council
}

/** Adds a member to a body's council from a day; a new chair or secretary ends the last one's membership in that role the day before. */
export async function addMember(db: Db, user: User | null, agencyId: number, input: { name: MultilingualText; role: string; position?: MultilingualText; since: string }): Promise<void> {
  const actor = authorize(user, 'site.council.edit', { agencyId })
  const council = await ownCouncil(db, agencyId)
  const problems: FieldError[] = []
  const name = cleanMultilingual(input.name)
  for (const lang of ['kk', 'ru'] as const) if (!name[lang]) problems.push({ field: `name.${lang}`, messageKey: 'sites.councils.errors.name' })
  if (!(MEMBER_ROLES as readonly string[]).includes(input.role)) problems.push({ field: 'role', messageKey: 'sites.councils.errors.role' })
  if (!isDay(input.since)) problems.push({ field: 'since', messageKey: 'sites.councils.errors.day' })
  fail(problems)
  await db.transaction(async (tx) => {
    if (input.role === 'chair' || input.role === 'secretary') {
      const [before] = await tx.query<{ id: string; since: string }>('select id, since::text as since from council_members where council_id = $1 and role = $2 and until is null', [council.id, input.role])
      if (before && before.since >= input.since) throw new ValidationError([{ field: 'since', messageKey: 'sites.councils.errors.beforeLast' }])
      if (before) await tx.query('update council_members set until = $2::date - 1 where id = $1', [before.id, input.since])
    }
    const [person] = await tx.query<{ id: string }>('insert into people (name) values ($1) returning id', [name])
    const [member] = await tx.query<{ id: string }>('insert into council_members (council_id, person_id, role, position, since) values ($1, $2, $3, $4, $5) returning id',
      [council.id, person!.id, input.role, cleanMultilingual(input.position), input.since])
    await recordChange(tx, actorOf(actor), { entity: 'council-member', entityId: member!.id, action: 'add', before: null, after: { ...input, name } })
  })
}

/** Ends a member's membership on its last day. */
export async function endMembership(db: Db, user: User | null, agencyId: number, memberId: number, until: string): Promise<void> {
  const actor = authorize(user, 'site.council.edit', { agencyId })
  const council = await ownCouncil(db, agencyId)
  if (!isDay(until)) throw new ValidationError([{ field: 'until', messageKey: 'sites.councils.errors.day' }])
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ since: string }>('select since::text as since from council_members where id = $1 and council_id = $2 and until is null', [memberId, council.id])
    if (!row) throw new NotFound('council-member', String(memberId))
    if (until < row.since) throw new ValidationError([{ field: 'until', messageKey: 'sites.councils.errors.beforeStart' }])
    await tx.query('update council_members set until = $2 where id = $1', [memberId, until])
    await recordChange(tx, actorOf(actor), { entity: 'council-member', entityId: String(memberId), action: 'end', before: null, after: { until } })
  })
}

/** Keeps the council's work plan for a year (replacing the year's plan). */
export async function keepPlan(db: Db, user: User | null, agencyId: number, year: number, body: MultilingualText): Promise<void> {
  const actor = authorize(user, 'site.council.edit', { agencyId })
  const council = await ownCouncil(db, agencyId)
  const problems: FieldError[] = []
  if (!Number.isInteger(year) || year < 2000 || year > 2100) problems.push({ field: 'year', messageKey: 'sites.councils.errors.year' })
  const kept = required(body, 'plan', 'plan', problems)
  fail(problems)
  await db.transaction(async (tx) => {
    await tx.query('insert into council_plans (council_id, year, body) values ($1, $2, $3) on conflict (council_id, year) do update set body = excluded.body, updated_at = now()', [council.id, year, kept])
    await recordChange(tx, actorOf(actor), { entity: 'council-plan', entityId: `${council.id}:${year}`, action: 'keep', before: null, after: kept })
  })
}

/** Records a meeting: its day, place, agenda and (once held) its minutes. */
export async function addMeeting(db: Db, user: User | null, agencyId: number, input: { heldOn: string; place?: MultilingualText; agenda: MultilingualText; minutes?: MultilingualText }): Promise<number> {
  const actor = authorize(user, 'site.council.edit', { agencyId })
  const council = await ownCouncil(db, agencyId)
  const problems: FieldError[] = []
  if (!isDay(input.heldOn)) problems.push({ field: 'heldOn', messageKey: 'sites.councils.errors.day' })
  const agenda = required(input.agenda, 'agenda', 'agenda', problems)
  fail(problems)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>('insert into council_meetings (council_id, held_on, place, agenda, minutes) values ($1, $2, $3, $4, $5) returning id',
      [council.id, input.heldOn, cleanMultilingual(input.place), agenda, cleanMultilingual(input.minutes)])
    await recordChange(tx, actorOf(actor), { entity: 'council-meeting', entityId: row!.id, action: 'add', before: null, after: input })
    return Number(row!.id)
  })
}

/** Adds the minutes of a held meeting (they replace any kept before). */
export async function keepMinutes(db: Db, user: User | null, agencyId: number, meetingId: number, minutes: MultilingualText): Promise<void> {
  const actor = authorize(user, 'site.council.edit', { agencyId })
  const council = await ownCouncil(db, agencyId)
  const problems: FieldError[] = []
  const kept = required(minutes, 'minutes', 'minutes', problems)
  fail(problems)
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>('update council_meetings set minutes = $3 where id = $1 and council_id = $2 returning id', [meetingId, council.id, kept])
    if (!row) throw new NotFound('council-meeting', String(meetingId))
    await recordChange(tx, actorOf(actor), { entity: 'council-meeting', entityId: String(meetingId), action: 'minutes', before: null, after: kept })
  })
}

/**
 * Records a recommendation of the council to the body, from the day its final document reached the
 * body; the answer is due 10 working days after, on Kazakhstan's calendar as kept.
 */
export async function addRecommendation(db: Db, user: User | null, agencyId: number, input: { meetingId?: number | null; text: MultilingualText; sentOn: string }): Promise<number> {
  const actor = authorize(user, 'site.council.edit', { agencyId })
  const council = await ownCouncil(db, agencyId)
  const problems: FieldError[] = []
  if (!isDay(input.sentOn)) problems.push({ field: 'sentOn', messageKey: 'sites.councils.errors.day' })
  const text = required(input.text, 'text', 'text', problems)
  if (input.meetingId && (await db.query('select 1 from council_meetings where id = $1 and council_id = $2', [input.meetingId, council.id])).length === 0) {
    problems.push({ field: 'meetingId', messageKey: 'sites.councils.errors.meeting' })
  }
  fail(problems)
  const due = await addWorkingDays(db, input.sentOn, ANSWER_WORKING_DAYS)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>('insert into council_recommendations (council_id, meeting_id, text, sent_on, answer_due) values ($1, $2, $3, $4, $5) returning id',
      [council.id, input.meetingId || null, text, input.sentOn, due])
    await recordChange(tx, actorOf(actor), { entity: 'council-recommendation', entityId: row!.id, action: 'add', before: null, after: { ...input, answerDue: due } })
    return Number(row!.id)
  })
}

/** The body's reasoned answer to a recommendation, on the day it was given (its staff): once. */
export async function answerRecommendation(db: Db, user: User | null, agencyId: number, recommendationId: number, input: { answer: MultilingualText; answeredOn: string }): Promise<void> {
  const actor = authorize(user, 'site.council.answer', { agencyId })
  const council = await ownCouncil(db, agencyId)
  const problems: FieldError[] = []
  if (!isDay(input.answeredOn)) problems.push({ field: 'answeredOn', messageKey: 'sites.councils.errors.day' })
  const answer = required(input.answer, `answer.${recommendationId}`, 'answer', problems)
  fail(problems)
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ sent_on: string; answered_on: string | null }>('select sent_on::text as sent_on, answered_on::text as answered_on from council_recommendations where id = $1 and council_id = $2 for update', [recommendationId, council.id])
    if (!row) throw new NotFound('council-recommendation', String(recommendationId))
    if (row.answered_on) throw new ValidationError([{ field: `answer.${recommendationId}.ru`, messageKey: 'sites.councils.errors.answered' }])
    if (input.answeredOn < row.sent_on) throw new ValidationError([{ field: 'answeredOn', messageKey: 'sites.councils.errors.beforeSent' }])
    await tx.query('update council_recommendations set answer = $2, answered_on = $3 where id = $1', [recommendationId, answer, input.answeredOn])
    await recordChange(tx, actorOf(actor), { entity: 'council-recommendation', entityId: String(recommendationId), action: 'answer', before: null, after: { answer, answeredOn: input.answeredOn } })
  })
}

/** For the openness index: the body's council's recommendations due in a period, and how many were answered on time. */
export async function councilFacts(db: Queryable, agencyId: number, from: Day, to: Day, today: Day): Promise<{ due: number; answeredOnTime: number; answeredLate: number; overdue: number }> {
  return (await councilFactsOf(db, [agencyId], from, to, today)).get(agencyId) ?? { due: 0, answeredOnTime: 0, answeredLate: 0, overdue: 0 }
}

/** councilFacts of many bodies at once (every body when null); a body whose council had nothing due is left out. */
export async function councilFactsOf(db: Queryable, agencyIds: readonly number[] | null, from: Day, to: Day, today: Day): Promise<Map<number, { due: number; answeredOnTime: number; answeredLate: number; overdue: number }>> {
  const rows = await db.query<{ agency_id: string; answer_due: string; answered_on: string | null }>(
    `select c.agency_id, r.answer_due::text as answer_due, r.answered_on::text as answered_on from council_recommendations r join public_councils c on c.id = r.council_id
     where ($1::bigint[] is null or c.agency_id = any($1::bigint[])) and r.answer_due between $2 and $3`, [agencyIds === null ? null : [...agencyIds], from, to])
  const found = new Map<number, { due: number; answeredOnTime: number; answeredLate: number; overdue: number }>()
  for (const r of rows) {
    const facts = found.get(Number(r.agency_id)) ?? { due: 0, answeredOnTime: 0, answeredLate: 0, overdue: 0 }
    const state = recommendationState({ answerDue: r.answer_due, answeredOn: r.answered_on }, today)
    facts.due += 1
    if (state === 'answered') facts.answeredOnTime += 1
    if (state === 'answered-late') facts.answeredLate += 1
    if (state === 'overdue') facts.overdue += 1
    found.set(Number(r.agency_id), facts)
  }
  return found
}
