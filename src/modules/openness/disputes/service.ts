import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { recordChange } from '../../../platform/audit/index.ts'
import { NOW, transition } from '../../../platform/states/index.ts'
import { announce, told } from '../../../platform/notifications/events.ts'
import { addWorkingDays } from '../../../platform/calendar/service.ts'
import { kazakhstanDay, type Day } from '../../../platform/calendar/days.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { agencyWithRegion } from '../../agencies/service.ts'
import { methodologies, scoreOf, type IndicatorScore } from '../service.ts'
import { corrected, type Correction } from './corrections.ts'
import { disputeActions, type DisputeAction } from './actions.ts'
import { disputeDecided, disputeSubmitted } from './events.ts'
import { REVIEW_WORKING_DAYS, type DisputeStatus } from './states.ts'

/** A dispute of one indicator of a body's monthly snapshot, and the commission's decision. */
export interface Dispute {
  id: number
  status: DisputeStatus
  snapshot: { id: number; day: Day; version: number }
  agencyId: number
  indicator: string
  reason: string
  evidence: string
  claimed: { numerator: number; denominator: number } | null
  submittedAt: Date
  decidedAt: Date | null
  decision: string | null
  measured: { numerator: number; denominator: number } | null
  corrected: { numerator: number; denominator: number } | null
  scoreBefore: number | null
  scoreAfter: number | null
}

/** The snapshot a body may dispute on a day, and until when: the first of the day's month, for REVIEW_WORKING_DAYS working days after it. */
export interface ReviewWindow { snapshot: { id: number; day: Day; version: number }; closes: Day; open: boolean }

const TEXT_LIMIT = 4000

/** The review window of a day: the first snapshot of its month, and the last working day it may be disputed. Null before the month's first snapshot. */
export async function reviewWindow(db: Db, today: Day = kazakhstanDay(new Date())): Promise<ReviewWindow | null> {
  const [first] = await db.query<{ id: string; day: string; methodology_version: number }>(
    `select id, day::text as day, methodology_version from openness_snapshots
     where date_trunc('month', day) = date_trunc('month', $1::date) and day <= $1::date order by day, methodology_version desc limit 1`, [today])
  if (!first) return null
  const closes = await addWorkingDays(db, first.day, REVIEW_WORKING_DAYS)
  return { snapshot: { id: Number(first.id), day: first.day, version: first.methodology_version }, closes, open: today <= closes }
}

type DisputeRow = {
  id: string; status: DisputeStatus; snapshot_id: string; day: string; methodology_version: number; agency_id: string; indicator: string; reason: string; evidence: string
  claimed_numerator: number | null; claimed_denominator: number | null; submitted_at: Date; decided_at: Date | null; decision: string | null
  measured_numerator: number | null; measured_denominator: number | null; corrected_numerator: number | null; corrected_denominator: number | null; score_before: string | null; score_after: string | null
}
const SELECT = `select d.id, d.status, d.snapshot_id, s.day::text as day, s.methodology_version, d.agency_id, d.indicator, d.reason, d.evidence, d.claimed_numerator, d.claimed_denominator,
  d.submitted_at, d.decided_at, d.decision, d.measured_numerator, d.measured_denominator, d.corrected_numerator, d.corrected_denominator, d.score_before::text as score_before, d.score_after::text as score_after
  from openness_disputes d join openness_snapshots s on s.id = d.snapshot_id`
const pair = (numerator: number | null, denominator: number | null) => (numerator === null || denominator === null ? null : { numerator, denominator })
const toDispute = (r: DisputeRow): Dispute => ({
  id: Number(r.id), status: r.status, snapshot: { id: Number(r.snapshot_id), day: r.day, version: r.methodology_version }, agencyId: Number(r.agency_id), indicator: r.indicator,
  reason: r.reason, evidence: r.evidence, claimed: pair(r.claimed_numerator, r.claimed_denominator), submittedAt: r.submitted_at, decidedAt: r.decided_at, decision: r.decision,
  measured: pair(r.measured_numerator, r.measured_denominator), corrected: pair(r.corrected_numerator, r.corrected_denominator),
  scoreBefore: r.score_before === null ? null : Number(r.score_before), scoreAfter: r.score_after === null ? null : Number(r.score_after),
})

/** Every dispute (public, as the index's review is), the latest first; of one body or in one state when asked. */
export async function listDisputes(db: Queryable, filter: { agencyId?: number; status?: DisputeStatus } = {}): Promise<Dispute[]> {
  return (await db.query<DisputeRow>(`${SELECT} where ($1::bigint is null or d.agency_id = $1) and ($2::text is null or d.status = $2) order by d.submitted_at desc, d.id desc`,
    [filter.agencyId ?? null, filter.status ?? null])).map(toDispute)
}

/** A dispute by its number (public). */
export async function findDispute(db: Queryable, id: number): Promise<Dispute> {
  const [row] = await db.query<DisputeRow>(`${SELECT} where d.id = $1`, [id])
  if (!row) throw new NotFound('openness-dispute', String(id))
  return toDispute(row)
}

/** The indicators of a body's score in a snapshot (those a dispute may name). */
async function scoredIndicators(db: Queryable, snapshotId: number, agencyId: number): Promise<IndicatorScore[]> {
  const [row] = await db.query<{ indicators: IndicatorScore[] }>('select indicators from openness_scores where snapshot_id = $1 and agency_id = $2', [snapshotId, agencyId])
  return row?.indicators ?? []
}

/** The indicators a body may dispute now, and the window: none when the window is closed. */
export async function disputable(db: Db, agencyId: number, today: Day = kazakhstanDay(new Date())): Promise<{ window: ReviewWindow | null; indicators: string[] }> {
  const window = await reviewWindow(db, today)
  if (!window?.open) return { window, indicators: [] }
  return { window, indicators: (await scoredIndicators(db, window.snapshot.id, agencyId)).map((i) => i.code) }
}

export interface DisputeInput {
  indicator: string
  reason: string
  evidence: string
  claimedNumerator?: number | null
  claimedDenominator?: number | null
}

const textProblems = (field: string, text: string, messageKey: string): FieldError[] =>
  !text ? [{ field, messageKey }] : text.length > TEXT_LIMIT ? [{ field, messageKey: 'platform.validation.maxLength', values: { limit: TEXT_LIMIT } }] : []

/** A body's staff dispute an indicator of the month's snapshot while its review window is open, with a reason and evidence; the commission is told. */
export async function submitDispute(db: Db, user: User | null, agencySlug: string, input: DisputeInput, origin: string, today: Day = kazakhstanDay(new Date())): Promise<Dispute> {
  const agency = await agencyWithRegion(db, agencySlug)
  if (!agency) throw new NotFound('agency', agencySlug)
  const actor = authorize(user, 'openness.dispute.submit', { agencyId: agency.id })
  const { window, indicators } = await disputable(db, agency.id, today)
  const reason = input.reason.trim()
  const evidence = input.evidence.trim()
  const problems: FieldError[] = []
  if (!window?.open) problems.push({ field: 'indicator', messageKey: 'openness.disputes.errors.closed', values: { days: REVIEW_WORKING_DAYS } })
  else if (!indicators.includes(input.indicator)) problems.push({ field: 'indicator', messageKey: 'openness.disputes.errors.indicator' })
  problems.push(...textProblems('reason', reason, 'openness.disputes.errors.reason'), ...textProblems('evidence', evidence, 'openness.disputes.errors.evidence'))
  const claimed = claimedCount(input, problems)
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    const [open] = await tx.query('select 1 from openness_disputes where snapshot_id = $1 and agency_id = $2 and indicator = $3 and status = $4', [window!.snapshot.id, agency.id, input.indicator, 'open'])
    if (open) throw new ValidationError([{ field: 'indicator', messageKey: 'openness.disputes.errors.openAlready' }])
    const [row] = await tx.query<{ id: string }>(
      `insert into openness_disputes (snapshot_id, agency_id, indicator, reason, evidence, claimed_numerator, claimed_denominator, submitted_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
      [window!.snapshot.id, agency.id, input.indicator, reason, evidence, claimed?.numerator ?? null, claimed?.denominator ?? null, actor.id])
    const id = Number(row!.id)
    await recordChange(tx, { id: actor.id, email: actor.email }, { entity: 'openness-dispute', entityId: String(id), action: 'openness.dispute.submit', before: null, after: { agency: agencySlug, snapshot: window!.snapshot.day, ...input } })
    await announce(tx, disputeSubmitted, { id, agencyId: agency.id, agencyName: agency.name as MultilingualText, indicator: input.indicator, submittedBy: actor.id }, origin)
    const [stored] = await tx.query<DisputeRow>(`${SELECT} where d.id = $1`, [id])
    return toDispute(stored!)
  })
}

/** A count given as two whole numbers, both or neither, the first not above the second. */
function claimedCount(input: { claimedNumerator?: number | null; claimedDenominator?: number | null }, problems: FieldError[], required = false, field = 'claimed'): { numerator: number; denominator: number } | null {
  const n = input.claimedNumerator ?? null
  const d = input.claimedDenominator ?? null
  if (n === null && d === null && !required) return null
  if (n === null || d === null || !Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 0 || n > d || d > 1_000_000) {
    problems.push({ field: `${field}Numerator`, messageKey: 'openness.disputes.errors.count' })
    return null
  }
  return { numerator: n, denominator: d }
}

export interface Decision {
  decision: string
  /** The corrected count, when accepting. */
  numerator?: number | null
  denominator?: number | null
}

/**
 * The commission decides a dispute: it accepts it with the corrected count (the indicator's value and
 * the body's score are made again, in the disputed snapshot and the month's later ones, and the
 * change recorded) or rejects it; either with its reason. The body's staff are told.
 */
export async function decideDispute(db: Db, user: User | null, id: number, action: DisputeAction, input: Decision, origin: string): Promise<Dispute> {
  const dispute = await findDispute(db, id)
  const actor = disputeActions.require(user, action, dispute)
  const decision = input.decision.trim()
  const problems = textProblems('decision', decision, 'openness.disputes.errors.decision')
  const fixed = action === 'accept' ? claimedCount({ claimedNumerator: input.numerator, claimedDenominator: input.denominator }, problems, true, 'corrected') : null
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    await transition(tx, {
      table: 'openness_disputes', id, from: ['open'], to: action === 'accept' ? 'accepted' : 'rejected',
      set: { decided_by: actor.id, decided_at: NOW, decision, corrected_numerator: fixed?.numerator ?? null, corrected_denominator: fixed?.denominator ?? null },
      audit: { actor: { id: actor.id, email: actor.email }, action: `openness.dispute.${action}`, entity: 'openness-dispute', after: { decision, corrected: fixed } },
      labelKey: (state) => `openness.disputes.states.${state}`, href: `/openness/disputes/${id}`,
      tell: told(disputeDecided, { id, agencyId: dispute.agencyId, indicator: dispute.indicator, accepted: action === 'accept', decision }, origin),
    })
    if (fixed) {
      const applied = await correctMonth(tx, dispute, fixed)
      await tx.query('update openness_disputes set measured_numerator = $2, measured_denominator = $3, score_before = $4, score_after = $5 where id = $1',
        [id, applied.measured.numerator, applied.measured.denominator, applied.before, applied.after])
    }
    return findDispute(tx, id)
  })
}

/**
 * Corrects the disputed indicator of the body's score in the disputed snapshot to the count given,
 * and by the same difference in the month's later snapshots; each score is made again with its
 * snapshot's methodology. Returns the count measured and the disputed snapshot's score before and after.
 */
async function correctMonth(tx: Queryable, dispute: Dispute, count: { numerator: number; denominator: number }) {
  const weightsOf = new Map((await methodologies(tx)).map((m) => [m.version, m.weights]))
  const rows = await tx.query<{ snapshot_id: string; methodology_version: number; score: string | null; indicators: IndicatorScore[] }>(
    `select o.snapshot_id, s.methodology_version, o.score::text as score, o.indicators from openness_scores o join openness_snapshots s on s.id = o.snapshot_id
     where o.agency_id = $1 and date_trunc('month', s.day) = date_trunc('month', $2::date) and s.day >= $2::date order by s.day, s.methodology_version for update of o`,
    [dispute.agencyId, dispute.snapshot.day])
  const disputed = rows.find((r) => Number(r.snapshot_id) === dispute.snapshot.id)!
  const was = disputed.indicators.find((i) => i.code === dispute.indicator) ?? { numerator: 0, denominator: 0 }
  const correction: Correction = { dispute: dispute.id, numerator: count.numerator - was.numerator, denominator: count.denominator - was.denominator }
  let after: number | null = null
  for (const row of rows) {
    const measures = new Map(row.indicators.map((i) => [i.code, i]))
    const own = measures.get(dispute.indicator)
    // A count corrected before by another dispute keeps that correction too.
    const total = { dispute: dispute.id, numerator: correction.numerator + (own?.correction?.numerator ?? 0), denominator: correction.denominator + (own?.correction?.denominator ?? 0) }
    measures.set(dispute.indicator, { records: [], ...own, ...corrected(own ?? { numerator: 0, denominator: 0 }, correction), correction: total } as IndicatorScore)
    const made = scoreOf(weightsOf.get(row.methodology_version)!, measures)
    await tx.query('update openness_scores set score = $3, indicators = $4 where snapshot_id = $1 and agency_id = $2', [row.snapshot_id, dispute.agencyId, made.score, JSON.stringify(made.indicators)])
    if (row === disputed) after = made.score
  }
  return { measured: { numerator: was.numerator, denominator: was.denominator }, before: disputed.score === null ? null : Number(disputed.score), after }
}
