import type { Db, Queryable } from '../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { authorize } from '../../platform/auth/policies.ts'
import type { User } from '../../platform/auth/roles.ts'
import { recordChange } from '../../platform/audit/index.ts'
import { addDays, kazakhstanDay, type Day } from '../../platform/calendar/days.ts'
import { cleanMultilingual, type MultilingualText } from '../../platform/i18n/multilingual.ts'
import { INDICATORS, type EvidenceRecord, type Measure } from './indicators.ts'
import { corrected, monthCorrections, type Correction } from './disputes/corrections.ts'

/** A version of the methodology: each indicator's weight (an indicator absent or weighted 0 does not count). */
export interface Methodology {
  version: number
  weights: Record<string, number>
  note: MultilingualText
  publishedOn: Day
}

/** One indicator of one body's score, as the score explains itself. */
export interface IndicatorScore {
  code: string
  /** The share measured, 0..1; null when the indicator did not apply to the body (nothing due in the period). */
  value: number | null
  weight: number
  /** Of the score's 100: the indicator's part of the weights that applied, times its value. */
  points: number | null
  numerator: number
  denominator: number
  records: EvidenceRecord[]
  /** The accepted dispute that corrected the count measured, and what it added (numerator and denominator are the corrected count). */
  correction?: Correction
}

/** What an indicator measured of a body, as a dispute may have corrected it. */
export type CorrectedMeasure = Measure & { correction?: Correction }

export interface Score {
  agencyId: number
  score: number | null
  indicators: IndicatorScore[]
}

export interface Snapshot { id: number; day: Day; from: Day; to: Day; version: number }

const round2 = (n: number) => Math.round(n * 100) / 100

/** The methodology's versions, the latest first. */
export async function methodologies(db: Queryable): Promise<Methodology[]> {
  return (await db.query<{ version: number; weights: Record<string, number>; note: MultilingualText; published_on: string }>(
    'select version, weights, note, published_on::text as published_on from openness_methodologies order by version desc',
  )).map((m) => ({ version: m.version, weights: m.weights, note: m.note, publishedOn: m.published_on }))
}

/**
 * A body's score from its measures and a methodology: the weights of the indicators that applied
 * (something was due) are shared out to 100, each indicator gives its part times its value. A body
 * to which no indicator applied has no score. The one function that makes a score: the published
 * values and the methodology give it again.
 */
export function scoreOf(weights: Record<string, number>, measures: ReadonlyMap<string, CorrectedMeasure | undefined>): { score: number | null; indicators: IndicatorScore[] } {
  // In the order of their codes, whatever order the stored weights come in.
  const codes = Object.keys(weights).filter((code) => (weights[code] ?? 0) > 0).sort()
  const applied = codes.filter((code) => (measures.get(code)?.denominator ?? 0) > 0)
  const total = applied.reduce((sum, code) => sum + weights[code]!, 0)
  const indicators = codes.map((code): IndicatorScore => {
    const m = measures.get(code)
    const value = m && m.denominator > 0 ? m.numerator / m.denominator : null
    return {
      code, value: value === null ? null : round2(value * 100) / 100, weight: weights[code]!,
      points: value === null || total === 0 ? null : round2((weights[code]! / total) * 100 * value),
      numerator: m?.numerator ?? 0, denominator: m?.denominator ?? 0, records: m?.records ?? [],
      ...(m?.correction ? { correction: m.correction } : {}),
    }
  })
  const score = total === 0 ? null : round2(indicators.reduce((sum, i) => sum + (i.points ?? 0), 0))
  return { score, indicators }
}

/**
 * Takes a snapshot for a day with the latest methodology: every body's score over the twelve months
 * before it, each indicator with its value, weight, points and records, and the corrections of the
 * disputes accepted against the month's first snapshot. A snapshot taken again the same day with the
 * same methodology replaces the first, unless the first is disputed: what a body disputed stays as it was.
 */
export async function takeSnapshot(db: Db, day: Day): Promise<Snapshot> {
  const [methodology] = await methodologies(db)
  if (!methodology) throw new NotFound('openness-methodology', 'latest')
  const [disputed] = await db.query<{ id: string }>(
    'select s.id from openness_snapshots s where s.day = $1 and s.methodology_version = $2 and exists (select 1 from openness_disputes d where d.snapshot_id = s.id)', [day, methodology.version])
  if (disputed) return (await latestSnapshot(db, day))!
  const corrections = await monthCorrections(db, day)
  const period = { from: addDays(day, -364), to: day, today: day }
  const measured = new Map<string, Map<number, Measure>>()
  for (const indicator of INDICATORS) if ((methodology.weights[indicator.code] ?? 0) > 0) measured.set(indicator.code, await indicator.measure(db, period))
  const agencies = await db.query<{ id: string }>('select id from agencies order by id')
  return db.transaction(async (tx) => {
    await tx.query('delete from openness_snapshots where day = $1 and methodology_version = $2', [day, methodology.version])
    const [row] = await tx.query<{ id: string }>('insert into openness_snapshots (day, period_from, period_to, methodology_version) values ($1, $2, $3, $4) returning id', [day, period.from, period.to, methodology.version])
    const scores = agencies.map((agency) => {
      const id = Number(agency.id)
      const own = corrections.get(id)
      return {
        agency_id: id,
        ...scoreOf(methodology.weights, new Map([...measured].map(([code, byBody]) => {
          const m = byBody.get(id)
          const correction = own?.get(code)
          return [code, correction ? { records: [], ...m, ...corrected(m ?? { numerator: 0, denominator: 0 }, correction), correction } : m]
        }))),
      }
    })
    // Every body's score in one statement.
    await tx.query(
      `insert into openness_scores (snapshot_id, agency_id, score, indicators)
       select $1, s.agency_id, s.score, s.indicators from jsonb_to_recordset($2::jsonb) as s(agency_id bigint, score numeric, indicators jsonb)`,
      [row!.id, JSON.stringify(scores)])
    return { id: Number(row!.id), day, from: period.from, to: period.to, version: methodology.version }
  })
}

/** Takes today's snapshot if there is none yet (the daily job). */
export async function takeDueSnapshot(db: Db, now = new Date()): Promise<Snapshot | null> {
  const day = kazakhstanDay(now)
  const [methodology] = await methodologies(db)
  if (!methodology) return null
  const [taken] = await db.query('select 1 from openness_snapshots where day = $1 and methodology_version = $2', [day, methodology.version])
  return taken ? null : takeSnapshot(db, day)
}

/** Takes a snapshot now, on request (the commission, administrators). */
export async function takeSnapshotNow(db: Db, user: User | null): Promise<Snapshot> {
  authorize(user, 'openness.manage')
  return takeSnapshot(db, kazakhstanDay(new Date()))
}

/** The latest snapshot, or the latest on or before a day. */
export async function latestSnapshot(db: Queryable, onOrBefore?: Day): Promise<Snapshot | null> {
  const [row] = await db.query<{ id: string; day: string; period_from: string; period_to: string; methodology_version: number }>(
    `select id, day::text as day, period_from::text as period_from, period_to::text as period_to, methodology_version from openness_snapshots
     where $1::date is null or day <= $1::date order by day desc, methodology_version desc limit 1`, [onOrBefore ?? null])
  return row ? { id: Number(row.id), day: row.day, from: row.period_from, to: row.period_to, version: row.methodology_version } : null
}

/** Every body's score in a snapshot, best first (bodies without a score last). */
export async function snapshotScores(db: Queryable, snapshotId: number): Promise<Score[]> {
  const rows = await db.query<{ agency_id: string; score: string | null; indicators: IndicatorScore[] }>(
    // By the stored number, not its text ("50.00" sorts after "100.00" as text).
    'select o.agency_id, o.score::text as score, o.indicators from openness_scores o where o.snapshot_id = $1 order by o.score desc nulls last, o.agency_id', [snapshotId])
  return rows.map((r) => ({ agencyId: Number(r.agency_id), score: r.score === null ? null : Number(r.score), indicators: r.indicators }))
}

/** A body's scores over time, oldest first: its trend. */
export async function scoreHistory(db: Queryable, agencyId: number): Promise<Array<{ day: Day; version: number; score: number | null }>> {
  return (await db.query<{ day: string; methodology_version: number; score: string | null }>(
    `select s.day::text as day, s.methodology_version, o.score::text as score from openness_scores o join openness_snapshots s on s.id = o.snapshot_id
     where o.agency_id = $1 order by s.day, s.methodology_version`, [agencyId],
  )).map((r) => ({ day: r.day, version: r.methodology_version, score: r.score === null ? null : Number(r.score) }))
}

/** What would raise a score most: the applied indicators by the points they still lack, largest first. */
export function biggestGains(score: Score): Array<{ code: string; gain: number }> {
  const total = score.indicators.filter((i) => i.value !== null).reduce((sum, i) => sum + i.weight, 0)
  return score.indicators.filter((i) => i.value !== null && i.value < 1)
    .map((i) => ({ code: i.code, gain: round2((i.weight / total) * 100 * (1 - (i.value ?? 0))) }))
    .sort((a, b) => b.gain - a.gain)
}

/** Publishes a new version of the methodology with its weights (the commission): the next snapshots use it. */
export async function publishMethodology(db: Db, user: User | null, input: { weights: Record<string, number>; note: MultilingualText }): Promise<Methodology> {
  const actor = authorize(user, 'openness.manage')
  const known = new Set(INDICATORS.map((i) => i.code))
  const problems: FieldError[] = []
  for (const [code, weight] of Object.entries(input.weights)) {
    if (!known.has(code)) problems.push({ field: `weights.${code}`, messageKey: 'openness.errors.indicator', values: { code } })
    else if (!Number.isInteger(weight) || weight < 0 || weight > 100) problems.push({ field: `weights.${code}`, messageKey: 'openness.errors.weight' })
  }
  if (!Object.values(input.weights).some((w) => w > 0)) problems.push({ field: 'weights', messageKey: 'openness.errors.noWeight' })
  const note = cleanMultilingual(input.note)
  if (!note.kk || !note.ru) problems.push({ field: 'note.ru', messageKey: 'openness.errors.note' })
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ version: number }>(
      `insert into openness_methodologies (version, weights, note, published_on, published_by)
       select coalesce(max(version), 0) + 1, $1::jsonb, $2, $3, $4 from openness_methodologies returning version`,
      [JSON.stringify(input.weights), note, kazakhstanDay(new Date()), actor.id])
    await recordChange(tx, { id: actor.id, email: actor.email }, { entity: 'openness-methodology', entityId: String(row!.version), action: 'publish', before: null, after: input })
    return (await methodologies(tx)).find((m) => m.version === row!.version)!
  })
}
