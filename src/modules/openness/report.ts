import type { Db, Queryable } from '../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { authorize, can } from '../../platform/auth/policies.ts'
import type { User } from '../../platform/auth/roles.ts'
import { NOW, transition } from '../../platform/states/index.ts'
import { recordChange } from '../../platform/audit/index.ts'
import { kazakhstanDay, type Day } from '../../platform/calendar/days.ts'
import { cleanMultilingual, type MultilingualText } from '../../platform/i18n/multilingual.ts'
import { dialogueStatistics } from '../dialogue/statistics/service.ts'
import { countPetitionLists } from '../dialogue/petitions/service.ts'
import { legalActFacts } from '../legal-acts/facts/service.ts'
import { catalogFreshness } from '../data/catalog/service.ts'
import { snapshotScores } from './service.ts'
import { monthlySnapshots } from './results.ts'
import { listDisputes } from './disputes/service.ts'
import { listMeetings, listRecommendations } from './commission/service.ts'

/**
 * The annual report on access to information for a year: the openness results and their movement,
 * the statistics of questions and their answers, each portal's figures, the Commission's work and
 * the problems these show; the commission adds its own text and publishes it, and the figures are
 * kept as they were that day.
 */
export interface ReportFigures {
  year: number
  /** The day the figures were read. */
  asOf: Day
  results: {
    months: Array<{ day: Day; average: number | null; scored: number }>
    /** The last monthly snapshot's scores, best first, with each body's movement since the year's first. */
    bodies: Array<{ agencyId: number; score: number; change: number | null }>
    average: number | null
    averageChange: number | null
    /** Each indicator's mean value over the bodies it applied to in the last snapshot, the weakest first. */
    indicators: Array<{ code: string; mean: number; bodies: number }>
    disputes: { accepted: number; rejected: number; open: number }
  }
  questions: { received: number; answered: number; answeredOnTime: number; overdue: number; forwarded: number; rejected: number }
  petitions: { collecting: number; consideration: number; answered: number; notSupported: number }
  legalActs: { drafts: number; proposals: number; answered: number; answersOnTime: number; answersLate: number; answersOverdue: number; belowMinimum: number }
  data: { datasets: number; fresh: number; overdue: number }
  commission: { meetings: number; hearings: number; recommendations: number; reported: number; reportedLate: number; overdue: number; awaiting: number }
}

export interface Report { year: number; status: 'draft' | 'published'; text: MultilingualText; publishedAt: Date | null; figures: ReportFigures }

const round1 = (n: number) => Math.round(n * 10) / 10
const mean = (values: number[]) => (values.length === 0 ? null : round1(values.reduce((a, b) => a + b, 0) / values.length))

/** The year's figures as they are now, read from each portal's own facts. */
export async function reportFigures(db: Db, year: number, today: Day = kazakhstanDay(new Date())): Promise<ReportFigures> {
  const period = { from: `${year}-01-01`, to: `${year}-12-31` < today ? `${year}-12-31` : today }
  const snapshots = await monthlySnapshots(db, year, year)
  const months = []
  const scoresOf = new Map<number, Awaited<ReturnType<typeof snapshotScores>>>()
  for (const snapshot of snapshots) {
    const scores = await snapshotScores(db, snapshot.id)
    scoresOf.set(snapshot.id, scores)
    const scored = scores.filter((s) => s.score !== null).map((s) => s.score!)
    months.push({ day: snapshot.day, average: mean(scored), scored: scored.length })
  }
  const first = snapshots[0] ? new Map(scoresOf.get(snapshots[0].id)!.map((s) => [s.agencyId, s.score])) : new Map<number, number | null>()
  const last = snapshots.at(-1) ? scoresOf.get(snapshots.at(-1)!.id)! : []
  const bodies = last.filter((s) => s.score !== null).map((s) => {
    const was = first.get(s.agencyId)
    return { agencyId: s.agencyId, score: s.score!, change: was === undefined || was === null || snapshots.length < 2 ? null : round1(s.score! - was) }
  })
  const codes = [...new Set(last.flatMap((s) => s.indicators.map((i) => i.code)))]
  const indicators = codes.map((code) => {
    const values = last.flatMap((s) => s.indicators.filter((i) => i.code === code && i.value !== null).map((i) => i.value!))
    return { code, mean: values.length === 0 ? 1 : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100, bodies: values.length }
  }).filter((i) => i.bodies > 0).sort((a, b) => a.mean - b.mean)
  const disputes = (await listDisputes(db)).filter((d) => d.snapshot.day.startsWith(String(year)))
  const { all } = await dialogueStatistics(db, period, today)
  const lists = await countPetitionLists(db, today)
  const facts = await legalActFacts(db, period, today)
  const sum = (pick: (f: (typeof facts)[number]) => number) => facts.reduce((n, f) => n + pick(f), 0)
  const freshness = await catalogFreshness(db)
  const meetings = (await listMeetings(db, year)).filter((m) => m.status === 'held')
  const recommendations = (await listRecommendations(db, {}, today)).filter((r) => meetings.some((m) => m.id === r.meetingId))
  const state = (s: string) => recommendations.filter((r) => r.state === s).length
  return {
    year, asOf: today,
    results: {
      months, bodies, average: mean(bodies.map((b) => b.score)),
      averageChange: (() => { const changes = bodies.flatMap((b) => (b.change === null ? [] : [b.change])); return changes.length === 0 ? null : mean(changes) })(),
      indicators,
      disputes: { accepted: disputes.filter((d) => d.status === 'accepted').length, rejected: disputes.filter((d) => d.status === 'rejected').length, open: disputes.filter((d) => d.status === 'open').length },
    },
    questions: { received: all.received, answered: all.answered, answeredOnTime: all.answeredOnTime, overdue: all.overdue, forwarded: all.forwarded, rejected: all.rejected },
    petitions: { collecting: lists.collecting, consideration: lists.consideration, answered: lists.answered, notSupported: lists['not-supported'] },
    legalActs: {
      drafts: sum((f) => f.draftsPublished), proposals: sum((f) => f.proposals), answered: sum((f) => f.proposalsAnswered),
      answersOnTime: sum((f) => f.answersOnTime), answersLate: sum((f) => f.answersLate), answersOverdue: sum((f) => f.answersOverdue), belowMinimum: sum((f) => f.belowMinimum),
    },
    data: { datasets: freshness.total, fresh: freshness.fresh, overdue: freshness.overdue },
    commission: {
      meetings: meetings.length, hearings: meetings.reduce((n, m) => n + m.agenda.filter((i) => i.agencyId !== null).length, 0),
      recommendations: recommendations.length, reported: state('reported'), reportedLate: state('reported-late'), overdue: state('overdue'), awaiting: state('awaiting'),
    },
  }
}

/** The years a report can be made for: those with a monthly snapshot, the latest first. */
export async function reportYears(db: Queryable): Promise<number[]> {
  return (await db.query<{ year: number }>('select distinct extract(year from day)::int as year from openness_snapshots order by 1 desc')).map((r) => r.year)
}

/** The published reports, the latest first (public). */
export async function publishedReports(db: Queryable): Promise<Array<{ year: number; publishedAt: Date }>> {
  return (await db.query<{ year: number; published_at: Date }>("select year, published_at from openness_reports where status = 'published' order by year desc"))
    .map((r) => ({ year: r.year, publishedAt: r.published_at }))
}

/**
 * A year's report: a published one with its figures as published, to anyone; a draft (with the figures
 * as they are now) to the commission alone, to anyone else as if it were not there.
 */
export async function findReport(db: Db, user: User | null | undefined, year: number): Promise<Report> {
  const [row] = await db.query<{ status: 'draft' | 'published'; text: MultilingualText; figures: ReportFigures | null; published_at: Date | null }>(
    'select status, text, figures, published_at from openness_reports where year = $1', [year])
  if (row?.status === 'published') return { year, status: 'published', text: row.text, publishedAt: row.published_at, figures: row.figures! }
  if (!can(user, 'openness.report.prepare') || !(await reportYears(db)).includes(year)) throw new NotFound('openness-report', String(year))
  return { year, status: 'draft', text: row?.text ?? {}, publishedAt: null, figures: await reportFigures(db, year) }
}

/** The commission writes its text of a year's report (a draft), in Kazakh and Russian at least. */
export async function writeReportText(db: Db, user: User | null, year: number, input: { text: MultilingualText }): Promise<void> {
  const actor = authorize(user, 'openness.report.prepare')
  const text = cleanMultilingual(input.text)
  const problems: FieldError[] = []
  for (const lang of ['kk', 'ru'] as const) if (!text[lang]) problems.push({ field: `text.${lang}`, messageKey: 'openness.reports.errors.text' })
  for (const lang of ['kk', 'ru', 'en'] as const) if ((text[lang]?.length ?? 0) > 20_000) problems.push({ field: `text.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: 20_000 } })
  if (!(await reportYears(db)).includes(year)) problems.push({ field: 'year', messageKey: 'openness.reports.errors.year' })
  if (problems.length > 0) throw new ValidationError(problems)
  await db.transaction(async (tx) => {
    const [published] = await tx.query("select 1 from openness_reports where year = $1 and status = 'published'", [year])
    if (published) throw new ValidationError([{ field: 'text.ru', messageKey: 'openness.reports.errors.published' }])
    await tx.query("insert into openness_reports (year, text) values ($1, $2) on conflict (year) do update set text = excluded.text", [year, text])
    await recordChange(tx, { id: actor.id, email: actor.email }, { entity: 'openness-report', entityId: String(year), action: 'openness.report.write', before: null, after: { text } })
  })
}

/** The commission publishes a year's report with its text: its figures are kept as they are today. */
export async function publishReport(db: Db, user: User | null, year: number): Promise<void> {
  const actor = authorize(user, 'openness.report.publish')
  const [row] = await db.query<{ text: MultilingualText; status: string }>('select text, status from openness_reports where year = $1', [year])
  if (row?.status === 'published') throw new ValidationError([{ field: 'text.ru', messageKey: 'openness.reports.errors.published' }])
  if (!row?.text.kk || !row.text.ru) throw new ValidationError([{ field: 'text.ru', messageKey: 'openness.reports.errors.text' }])
  const figures = await reportFigures(db, year)
  await db.transaction(async (tx) => {
    await transition(tx, {
      table: 'openness_reports', id: year, from: ['draft'], to: 'published', set: { figures: JSON.stringify(figures), published_at: NOW, published_by: actor.id },
      audit: { actor: { id: actor.id, email: actor.email }, action: 'openness.report.publish', entity: 'openness-report' },
      labelKey: (state) => `openness.reports.states.${state}`, href: `/openness/reports/${year}`,
    })
  })
}
