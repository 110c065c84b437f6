import type { Queryable } from '../../../platform/db/index.ts'
import type { Day } from '../../../platform/calendar/days.ts'

/** The correction an accepted dispute made to one indicator of a body: what it added to the count measured. */
export interface Correction {
  dispute: number
  numerator: number
  denominator: number
}

/**
 * The corrections a snapshot of a day carries, by body and indicator: those of the disputes accepted
 * against the first snapshot of the day's month, taken before it. The month's later snapshots measure
 * their facts again; the count the commission found wrong stays corrected by the same difference
 * until the next month's snapshot is reviewed.
 */
export async function monthCorrections(db: Queryable, day: Day): Promise<Map<number, Map<string, Correction>>> {
  const rows = await db.query<{ id: string; agency_id: string; indicator: string; numerator: number; denominator: number }>(
    `select d.id, d.agency_id, d.indicator, d.corrected_numerator - d.measured_numerator as numerator, d.corrected_denominator - d.measured_denominator as denominator
     from openness_disputes d join openness_snapshots s on s.id = d.snapshot_id
     where d.status = 'accepted' and date_trunc('month', s.day) = date_trunc('month', $1::date) and s.day < $1::date
     order by d.decided_at`, [day])
  const byBody = new Map<number, Map<string, Correction>>()
  for (const r of rows) {
    const body = byBody.get(Number(r.agency_id)) ?? new Map<string, Correction>()
    // Two disputes of one count accepted one after the other: the second corrected what the first had.
    const before = body.get(r.indicator)
    body.set(r.indicator, { dispute: Number(r.id), numerator: r.numerator + (before?.numerator ?? 0), denominator: r.denominator + (before?.denominator ?? 0) })
    byBody.set(Number(r.agency_id), body)
  }
  return byBody
}

/** A count with a correction added, kept within its bounds (nothing below 0, no more met than fell due). */
export function corrected(measure: { numerator: number; denominator: number }, correction: Correction): { numerator: number; denominator: number } {
  const denominator = Math.max(0, measure.denominator + correction.denominator)
  return { numerator: Math.min(denominator, Math.max(0, measure.numerator + correction.numerator)), denominator }
}
