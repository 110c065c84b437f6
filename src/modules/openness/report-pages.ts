import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../platform/db/index.ts'
import { registerPages } from '../../platform/html/pages.ts'
import { keptUnder } from '../../platform/html/page-versions.ts'
import { attachmentDisposition } from '../../platform/files/download.ts'
import { reportPdf, type ReportSection } from '../../platform/files/pdf.ts'
import { settingsOf } from '../../platform/html/accessibility.ts'
import { chartForScreens, chartLookFor } from '../../platform/charts/draw.ts'
import { can } from '../../platform/auth/policies.ts'
import { MultilingualInput, MultilingualSchema } from '../../platform/http/validation.ts'
import { handleForm } from '../../platform/auth/forms.ts'
import { formatDate, formatNumber, type Lang } from '../../platform/i18n/index.ts'
import { fromFormFields, localize, toFormFields } from '../../platform/i18n/multilingual.ts'
import { agencyNames } from '../agencies/service.ts'
import { findReport, publishedReports, publishReport, reportYears, writeReportText, type Report } from './report.ts'

const TAGS = ['Openness']
const TOKEN = [{ bearerAuth: [] }]
const Year = Type.Integer({ minimum: 2000, maximum: 2100 })
/** An indicator whose mean value over the bodies is below this is named among the year's problems. */
const PROBLEM_BELOW = 0.8

/**
 * The report's sections in the reader's language, as both its page and its PDF show them: each a
 * heading, paragraphs and a table (the page draws the monthly results as a chart too).
 */
async function sections(db: Db, request: FastifyRequest, report: Report): Promise<Array<ReportSection & { withChart?: boolean }>> {
  const { t, lang } = request
  const f = report.figures
  const n = (value: number) => formatNumber(lang, value)
  const pct = (part: number, whole: number) => (whole === 0 ? '—' : `${n(Math.round((part / whole) * 1000) / 10)} %`)
  const names = new Map((await agencyNames(db, lang)).map((a) => [a.id, localize(a.name, lang)?.text ?? a.slug]))
  const signed = (value: number | null) => (value === null ? '—' : `${value > 0 ? '+' : ''}${n(value)}`)
  const problems: string[] = [
    ...f.results.indicators.filter((i) => i.mean < PROBLEM_BELOW).map((i) => t('openness.reports.problems.indicator', { indicator: t(`openness.indicators.${i.code}`), value: pct(i.mean, 1), count: i.bodies })),
    ...(f.questions.overdue > 0 ? [t('openness.reports.problems.questions', { count: f.questions.overdue })] : []),
    ...(f.legalActs.answersOverdue > 0 ? [t('openness.reports.problems.answers', { count: f.legalActs.answersOverdue })] : []),
    ...(f.data.overdue > 0 ? [t('openness.reports.problems.data', { count: f.data.overdue })] : []),
    ...(f.commission.overdue > 0 ? [t('openness.reports.problems.recommendations', { count: f.commission.overdue })] : []),
  ]
  const text = localize(report.text, lang)
  return [
    ...(text ? [{ heading: t('openness.reports.commissionText'), paragraphs: text.text.split(/\n\s*\n/) }] : []),
    {
      heading: t('openness.reports.results'), withChart: true,
      paragraphs: [
        t('openness.reports.resultsLine', { count: f.results.bodies.length, average: f.results.average === null ? '—' : n(f.results.average), change: signed(f.results.averageChange), months: f.results.months.length }),
        t('openness.reports.disputesLine', { accepted: f.results.disputes.accepted, rejected: f.results.disputes.rejected, open: f.results.disputes.open }),
      ],
      table: {
        columns: [t('openness.commission.body'), t('openness.score'), t('openness.reports.change')],
        rows: f.results.bodies.map((b) => [names.get(b.agencyId) ?? '', n(b.score), signed(b.change)]),
      },
    },
    {
      heading: t('openness.reports.indicators'),
      paragraphs: [t('openness.reports.indicatorsLine')],
      table: { columns: [t('openness.indicator'), t('openness.reports.mean'), t('openness.reports.bodies')], rows: f.results.indicators.map((i) => [t(`openness.indicators.${i.code}`), pct(i.mean, 1), n(i.bodies)]) },
    },
    {
      heading: t('openness.reports.requests'),
      paragraphs: [t('openness.reports.questionsLine', { received: f.questions.received, answered: f.questions.answered, onTime: pct(f.questions.answeredOnTime, f.questions.answered + f.questions.overdue), overdue: f.questions.overdue, forwarded: f.questions.forwarded })],
      table: {
        columns: [t('openness.reports.figure'), t('openness.reports.value')],
        rows: [
          [t('openness.reports.petitionsCollecting'), n(f.petitions.collecting)], [t('openness.reports.petitionsConsidered'), n(f.petitions.consideration)],
          [t('openness.reports.petitionsAnswered'), n(f.petitions.answered)], [t('openness.reports.petitionsNotSupported'), n(f.petitions.notSupported)],
        ],
      },
    },
    {
      heading: t('openness.reports.portals'),
      paragraphs: [],
      table: {
        columns: [t('openness.reports.figure'), t('openness.reports.value')],
        rows: [
          [t('openness.reports.datasets'), n(f.data.datasets)], [t('openness.reports.datasetsFresh'), pct(f.data.fresh, f.data.fresh + f.data.overdue)],
          [t('openness.reports.drafts'), n(f.legalActs.drafts)], [t('openness.reports.proposals'), n(f.legalActs.proposals)],
          [t('openness.reports.answersOnTime'), pct(f.legalActs.answersOnTime, f.legalActs.answersOnTime + f.legalActs.answersLate + f.legalActs.answersOverdue)],
          [t('openness.reports.belowMinimum'), n(f.legalActs.belowMinimum)],
        ],
      },
    },
    {
      heading: t('openness.reports.commissionWork'),
      paragraphs: [t('openness.reports.commissionLine', { meetings: f.commission.meetings, hearings: f.commission.hearings, recommendations: f.commission.recommendations })],
      table: {
        columns: [t('openness.commission.state'), t('openness.reports.value')],
        rows: (['reported', 'reported-late', 'overdue', 'awaiting'] as const).map((s) => [t(`openness.commission.recommendationStates.${s}`), n({ reported: f.commission.reported, 'reported-late': f.commission.reportedLate, overdue: f.commission.overdue, awaiting: f.commission.awaiting }[s])]),
      },
    },
    { heading: t('openness.reports.problems.title'), paragraphs: problems.length > 0 ? problems : [t('openness.reports.problems.none')] },
  ]
}

/** The annual reports: the list, each year's report as a page and a PDF, and the commission's text and publication. */
export async function reportPages(app: FastifyInstance, db: Db): Promise<void> {
  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>()
    api.get('/api/openness/reports/:year', {
      schema: { tags: TAGS, summary: 'A year\'s annual report on access to information: the commission\'s text and the figures (a draft to the commission alone)', params: Type.Object({ year: Year }), response: { 200: Type.Object({ year: Type.Integer(), status: Type.String(), text: MultilingualSchema, publishedAt: Type.Union([Type.String(), Type.Null()]), figures: Type.Unknown() }) } },
    }, async (request) => {
      const report = await findReport(db, request.user, request.params.year)
      return { ...report, text: report.text as Record<string, string>, publishedAt: report.publishedAt?.toISOString() ?? null }
    })
    api.put('/api/openness/reports/:year', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Write the commission\'s text of a year\'s report (a draft)', params: Type.Object({ year: Year }), body: Type.Object({ text: MultilingualInput(20_000) }, { additionalProperties: false }), response: { 204: Type.Null() } },
    }, async (request, reply) => { await writeReportText(db, request.user, request.params.year, request.body); return reply.code(204).send(null) })
    api.post('/api/openness/reports/:year/publish', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Publish a year\'s report: its figures are kept as they are today', params: Type.Object({ year: Year }), response: { 204: Type.Null() } },
    }, async (request, reply) => { await publishReport(db, request.user, request.params.year); return reply.code(204).send(null) })
  })

  await registerPages(app, async (pages) => {
    const kept = keptUnder(db, ['openness', 'agencies', 'data', 'dialogue', 'legal-acts', 'petitions'])
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const crumbs = (request: FastifyRequest) => [{ text: request.t('platform.home'), href: `/${request.lang}/` }, { text: request.t('openness.title'), href: `/${request.lang}/openness` }]
    typed.get('/openness/reports', { config: { pageCache: kept }, schema: { hide: true } }, async (request, reply) => {
      const { t, lang } = request
      const mayPrepare = can(request.user, 'openness.report.prepare')
      const published = await publishedReports(db)
      return reply.render('openness/views/reports.njk', {
        title: t('openness.reports.title'), breadcrumbs: crumbs(request),
        reports: published.map((r) => ({ year: r.year, href: `/${lang}/openness/reports/${r.year}`, pdf: `/${lang}/openness/reports/${r.year}.pdf`, publishedAt: r.publishedAt })),
        drafts: mayPrepare ? (await reportYears(db)).filter((y) => !published.some((r) => r.year === y)).map((year) => ({ year, href: `/${lang}/openness/reports/${year}` })) : [],
      })
    })

    const view = 'openness/views/report.njk'
    const context = async (request: FastifyRequest, year: number, values: Record<string, string>) => {
      const { t, lang } = request
      const report = await findReport(db, request.user, year)
      const months = report.figures.results.months.filter((m) => m.average !== null)
      const chart = months.length > 1 ? {
        caption: t('openness.reports.chart'),
        ...(await chartForScreens({ type: 'line' }, { categories: months.map((m) => formatDate(lang, m.day)), series: [{ id: 'average', values: months.map((m) => m.average!) }] }, chartLookFor(settingsOf(request), lang, () => t('openness.reports.average')))),
        table: { head: [{ text: t('openness.reports.month') }, { text: t('openness.reports.average'), format: 'numeric' }], rows: months.map((m) => [{ text: formatDate(lang, m.day) }, { text: formatNumber(lang, m.average!), format: 'numeric' }]) },
      } : null
      return {
        title: t('openness.reports.one', { year }), breadcrumbs: [...crumbs(request), { text: t('openness.reports.title'), href: `/${lang}/openness/reports` }],
        report: { year, status: report.status, publishedAt: report.publishedAt, asOf: report.figures.asOf, pdf: `/${lang}/openness/reports/${year}.pdf` },
        sections: await sections(db, request, report), chart,
        mayPrepare: report.status === 'draft' && can(request.user, 'openness.report.prepare'), mayPublish: report.status === 'draft' && can(request.user, 'openness.report.publish') && Boolean(report.text.kk && report.text.ru),
        values: { ...toFormFields('text', report.text), ...values },
      }
    }
    typed.get('/openness/reports/:year', { config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ year: Year }) } }, async (request, reply) => reply.render(view, await context(request, request.params.year, {})))
    typed.get('/openness/reports/:year.pdf', { config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ year: Year }) } }, async (request, reply) => {
      const { t, lang } = request
      const report = await findReport(db, request.user, request.params.year)
      const pdf = await reportPdf({
        title: t('openness.reports.one', { year: report.year }), lang: lang as Lang, author: t('openness.commission.title'),
        lines: [report.status === 'published' ? t('openness.reports.publishedOn', { date: formatDate(lang, report.publishedAt!) }) : t('openness.reports.draftAsOf', { date: formatDate(lang, report.figures.asOf) })],
        sections: await sections(db, request, report), pageLabel: (page, pages) => t('openness.reports.page', { page, pages }),
      })
      return reply.type('application/pdf').header('content-disposition', attachmentDisposition(`openness-report-${report.year}-${lang}.pdf`)).send(pdf)
    })
    typed.post('/openness/reports/:year', { schema: { hide: true, params: Type.Object({ year: Year }), body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 20_000 }), { maxProperties: 6 }) } }, async (request, reply) => {
      const body = request.body
      return handleForm(reply, view, await context(request, request.params.year, body), async () => {
        await writeReportText(db, request.user, request.params.year, { text: fromFormFields(body, 'text') })
        return reply.redirect(`/${request.lang}/openness/reports/${request.params.year}`, 303)
      })
    })
    typed.post('/openness/reports/:year/publish', { schema: { hide: true, params: Type.Object({ year: Year }), body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 200 }), { maxProperties: 4 }) } }, async (request, reply) => {
      return handleForm(reply, view, await context(request, request.params.year, {}), async () => {
        await publishReport(db, request.user, request.params.year)
        return reply.redirect(`/${request.lang}/openness/reports/${request.params.year}`, 303)
      })
    })
  })
}
