import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { stringify } from 'csv-stringify/sync'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { attachmentDisposition } from '../../../platform/files/download.ts'
import { queryHref } from '../../../platform/html/pagination.ts'
import { formatMonth, formatNumber, type Lang } from '../../../platform/i18n/index.ts'
import { settingsOf } from '../../../platform/html/accessibility.ts'
import { chartForScreens, chartLookFor, type ChartNumbers, type ChartType } from '../../../platform/charts/draw.ts'
import { localize } from '../../../platform/i18n/multilingual.ts'
import { translate } from '../../../platform/notifications/messages.ts'
import { dialogueStatistics, statisticsPeriod, type DialogueFigures, type MonthFigures } from './service.ts'
import { tableXlsx, XLSX_TYPE } from '../../../platform/files/spreadsheet.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { DIALOGUE_TOPICS } from '../page-topics.ts'

const DATE = '^\\d{4}-\\d{2}-\\d{2}$'
const PeriodQuery = Type.Object({
  from: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: DATE, description: 'the first day (2026-01-01)' })])),
  to: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: DATE, description: 'the last day, both included' })])),
}, { additionalProperties: false })
type PeriodQuery = Static<typeof PeriodQuery>

/** The columns of the statistics, in order: the figure's key and its column's name. */
const COLUMNS = ['received', 'published', 'answered', 'answeredOnTime', 'overdue', 'extended', 'forwarded', 'rejected', 'medianWorkingDays', 'satisfied'] as const

function cells(f: DialogueFigures, lang: Lang): string[] {
  const share = (part: number, whole: number) => (whole ? `${formatNumber(lang, part)} (${Math.round((100 * part) / whole)}%)` : formatNumber(lang, part))
  return [
    formatNumber(lang, f.received), formatNumber(lang, f.published), formatNumber(lang, f.answered), share(f.answeredOnTime, f.answered),
    formatNumber(lang, f.overdue), formatNumber(lang, f.extended), formatNumber(lang, f.forwarded), formatNumber(lang, f.rejected),
    f.medianWorkingDays === null ? '—' : formatNumber(lang, f.medianWorkingDays), f.rated ? share(f.satisfied, f.rated) : '—',
  ]
}

const FiguresSchema = Type.Object({
  agency: Type.Union([Type.Object({ slug: Type.String(), name: Type.Record(Type.String(), Type.String()) }), Type.Null()]),
  received: Type.Integer(), published: Type.Integer(), rejected: Type.Integer(), forwarded: Type.Integer(), answered: Type.Integer(),
  answeredOnTime: Type.Integer(), overdue: Type.Integer(), extended: Type.Integer(),
  medianWorkingDays: Type.Union([Type.Number(), Type.Null()]), rated: Type.Integer(), satisfied: Type.Integer(),
})

const MonthSchema = Type.Object({
  month: Type.String({ description: '2026-03' }), received: Type.Integer(), answered: Type.Integer(), answeredOnTime: Type.Integer(),
})

/** What the charts draw: of the questions received, how many were answered, and how many on time. */
const CHARTED = ['received', 'answered', 'answeredOnTime'] as const

/** A chart of the statistics with its numbers as a table, for the page's figure macro. */
async function statisticsChart(request: FastifyRequest, type: ChartType, caption: string, categoryTitle: string, numbers: ChartNumbers) {
  const { lang, t } = request
  const seriesName = (id: string) => t(`dialogue.statistics.columns.${id}`)
  const look = chartLookFor(settingsOf(request), lang, seriesName)
  return {
    caption,
    ...(await chartForScreens({ type }, numbers, look)),
    table: {
      head: [{ text: categoryTitle }, ...numbers.series.map((s) => ({ text: seriesName(s.id), format: 'numeric' }))],
      rows: numbers.categories.map((category, i) => [{ text: category }, ...numbers.series.map((s) => ({ text: formatNumber(lang, s.values[i] ?? 0), format: 'numeric' }))]),
    },
  }
}

/** The two charts: each body's questions, and all bodies' by the month they were received in. */
async function statisticsCharts(request: FastifyRequest, bodies: DialogueFigures[], months: MonthFigures[]) {
  const { lang, t } = request
  const series = <T extends Record<(typeof CHARTED)[number], number>>(list: T[]) => CHARTED.map((id) => ({ id, values: list.map((f) => f[id]) }))
  return [
    await statisticsChart(request, 'bar', t('dialogue.statistics.byBody'), t('dialogue.statistics.body'), {
      categories: bodies.map((f) => localize(f.agency!.name, lang)?.text ?? f.agency!.slug), series: series(bodies),
    }),
    // A few months read best as bars side by side; more, as lines over time.
    await statisticsChart(request, months.length > 3 ? 'line' : 'bar', t('dialogue.statistics.byMonth'), t('dialogue.statistics.month'), {
      categories: months.map((m) => formatMonth(lang, m.month)), series: series(months),
    }),
  ]
}

/** Every body's figures, and all bodies' together: a page with its charts and table, CSV and JSON. */
export async function statisticsPages(app: FastifyInstance, db: Db): Promise<void> {
  const json = (f: DialogueFigures) => ({ ...f, agency: f.agency ? { slug: f.agency.slug, name: f.agency.name as Record<string, string> } : null })
  app.withTypeProvider<TypeBoxTypeProvider>().get('/api/dialogue/statistics', {
    schema: {
      tags: ['Open dialogue'], summary: 'How each body, and all together, dealt with the questions received in a period',
      description: 'Questions count for the body that owns them, in the period they were received in (from/to, both included; this year to today unless told). '
        + 'forwarded counts for the body that sent them on. medianWorkingDays: from receipt to answer, on Kazakhstan\'s working-day calendar. overdue: still unanswered after the deadline, today. months: all bodies\' questions by the month they were received in, and how many of them are answered (on time) by today.',
      querystring: PeriodQuery,
      response: { 200: Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), all: FiguresSchema, bodies: Type.Array(FiguresSchema), months: Type.Array(MonthSchema) }) },
    },
  }, async (request) => {
    const period = statisticsPeriod(request.query)
    const { bodies, all, months } = await dialogueStatistics(db, period)
    return { ...period, all: json(all), bodies: bodies.map(json), months }
  })

  await registerPages(app, async (pages) => {

    const keptPages = keptUnder(db, DIALOGUE_TOPICS)
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const figuresOf = async (request: FastifyRequest & { query: PeriodQuery }) => {
      const period = statisticsPeriod(request.query)
      return { period, ...(await dialogueStatistics(db, period)) }
    }

    typed.get('/dialogue/statistics', { config: { pageCache: keptPages }, schema: { hide: true, querystring: PeriodQuery } }, async (request, reply) => {
      const { lang, t } = request
      const { period, bodies, all, months } = await figuresOf(request)
      const empty = all.received === 0 && all.forwarded === 0
      const columns = COLUMNS.map((k) => t(`dialogue.statistics.columns.${k}`))
      const row = (name: string, f: DialogueFigures, href?: string) => [
        href ? { html: `<a class="govuk-link" href="${href}">${name.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)}</a>`, attributes: { 'data-label': t('dialogue.statistics.body') } } : { text: name, attributes: { 'data-label': t('dialogue.statistics.body') } },
        ...cells(f, lang).map((text, i) => ({ text, format: 'numeric', attributes: { 'data-label': columns[i] } })),
      ]
      return reply.render('dialogue/statistics/views/statistics.njk', {
        title: t('dialogue.statistics.title'),
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('dialogue.title'), href: `/${lang}/dialogue` }],
        period,
        head: [{ text: t('dialogue.statistics.body') }, ...columns.map((text) => ({ text, format: 'numeric' }))],
        rows: [...bodies.map((f) => row(localize(f.agency!.name, lang)?.text ?? f.agency!.slug, f, `/${lang}/dialogue/${f.agency!.slug}`)), row(t('dialogue.statistics.all'), all)],
        empty,
        charts: empty ? [] : await statisticsCharts(request, bodies, months),
        csvHref: queryHref(`/${lang}/dialogue/statistics.csv`, period),
        xlsxHref: queryHref(`/${lang}/dialogue/statistics.xlsx`, period),
        apiHref: queryHref('/api/dialogue/statistics', period),
      })
    })

    // The figures as a table for spreadsheets: plain numbers, the columns named in the reader's
    // language, as on the page; as CSV and as XLSX.
    const spreadsheet = async (request: FastifyRequest<{ Querystring: PeriodQuery }>) => {
      const { lang } = request
      const { period, bodies, all } = await figuresOf(request)
      const t = (key: string) => translate(lang, key)
      const column = (id: string) => t(`dialogue.statistics.columns.${id}`)
      const header = [t('dialogue.statistics.code'), t('dialogue.statistics.body'), ...['received', 'published', 'answered', 'answeredOnTime', 'overdue', 'extended', 'forwarded', 'rejected', 'medianWorkingDays', 'rated', 'satisfied'].map(column)]
      const line = (f: DialogueFigures) => [f.agency?.slug ?? '', f.agency ? localize(f.agency.name, lang)?.text ?? '' : t('dialogue.statistics.all'), f.received, f.published, f.answered, f.answeredOnTime, f.overdue, f.extended, f.forwarded, f.rejected, f.medianWorkingDays, f.rated, f.satisfied]
      return { header, rows: [...bodies.map(line), line(all)], name: `dialogue-${period.from}-${period.to}-${lang}`, title: t('dialogue.statistics.title') }
    }

    typed.get('/dialogue/statistics.csv', { schema: { hide: true, querystring: PeriodQuery } }, async (request, reply) => {
      const { header, rows, name } = await spreadsheet(request)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition(`${name}.csv`))
        .send(`\ufeff${stringify([header, ...rows.map((row) => row.map((cell) => cell ?? ''))])}`)
    })

    typed.get('/dialogue/statistics.xlsx', { schema: { hide: true, querystring: PeriodQuery } }, async (request, reply) => {
      const { header, rows, name, title } = await spreadsheet(request)
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', attachmentDisposition(`${name}.xlsx`))
        .send(await tableXlsx(title, header, rows))
    })
  })
}
