import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { stringify } from 'csv-stringify/sync'
import type { Db } from '../../platform/db/index.ts'
import { registerPages } from '../../platform/html/pages.ts'
import { keptUnder } from '../../platform/html/page-versions.ts'
import { queryHref } from '../../platform/html/pagination.ts'
import { escapeHtml } from '../../platform/html/render.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import { attachmentDisposition } from '../../platform/files/download.ts'
import { csvCells } from '../../platform/files/csv-cells.ts'
import { tableXlsx, XLSX_TYPE } from '../../platform/files/spreadsheet.ts'
import { settingsOf } from '../../platform/html/accessibility.ts'
import { chartForScreens, chartLookFor } from '../../platform/charts/draw.ts'
import { treemapForScreens } from '../../platform/charts/treemap.ts'
import { formatCompactNumber, formatDate, formatPercent, numberFormat, type Lang } from '../../platform/i18n/index.ts'
import { localize } from '../../platform/i18n/multilingual.ts'
import { agencyWithRegion, listRegions, populationOf } from '../agencies/service.ts'
import { BudgetKey, programmePassport } from './routes.ts'
import { listDiscussions, programmeOf, type Discussion } from './discussions.ts'
import { listBudgetDocuments } from './documents.ts'
import { documentList } from './document-pages.ts'
import { indicatorCounts, indicatorMet } from './passports.ts'
import { CITIZEN_CHARTS, CITIZEN_SECTIONS_MAX, citizensBudgetOf, saveCitizensBudget, type CitizensBudget } from './citizens.ts'
import { authorize, can } from '../../platform/auth/policies.ts'
import { handleForm } from '../../platform/auth/forms.ts'
import { doneHref } from '../../platform/html/done.ts'
import { fromFormFields, toFormFields } from '../../platform/i18n/multilingual.ts'
import {
  DIMENSIONS, EVEN_PACE_TOLERANCE, budgetChildren, budgetNode, budgetWholes, budgetsAdministeredBy, elapsedShare, executionOf, findBudget, listBudgets, nodeAcrossYears, pathCodes, planOf, priceFactor, priceIndex, searchProgrammes,
  type Amounts, type Budget, type BudgetNode, type Dimension,
} from './service.ts'

/** Programmes a search lists on the page: a name common to many («строительство») is narrowed by more words. */
const SEARCH_LIMIT = 100

/** What a budget's pages show: its own records, and the bodies that keep and administer it. */
const BUDGET_TOPICS = ['budgets', 'agencies'] as const

const ExploreQuery = Type.Object({
  dimension: Type.Optional(Type.Enum([...DIMENSIONS])),
  per: Type.Optional(Type.Enum(['capita'], { description: 'amounts per head of the territory\'s population' })),
  prices: Type.Optional(Type.Enum(['constant'], { description: 'amounts of every year in the prices of the budget\'s own year' })),
  code: Type.Optional(Type.String({ maxLength: 40, pattern: '^([0-9]+( [0-9]+)*)?$' })),
}, { additionalProperties: false })

/** A table's cell with a part's execution share, and the word "behind" under it when it is under-spent. */
function shareCell({ lang, t }: FastifyRequest, { share, underSpent }: { share: number | null; underSpent: boolean }): { html: string; format: 'numeric' } {
  if (share === null) return { html: '—', format: 'numeric' }
  const behind = underSpent ? `<br><strong class="ashyq-under-spent">${escapeHtml(t('budgets.behind'))}</strong>` : ''
  return { html: `${escapeHtml(formatPercent(lang, share))}${behind}`, format: 'numeric' }
}

/** Millions of tenge with one decimal, as budgets are read ("1 234,5"); a dash where there is none. */
function millions(lang: Lang, amount: string | null): string {
  if (amount === null) return '—'
  return numberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Number(amount) / 1e6)
}

/**
 * How a page writes amounts: in millions of tenge, or per head of the territory's population in
 * whole tenge (the regions' register keeps one figure for each region, not one a year: every
 * year is divided by it, and the page says so).
 */
interface Money {
  perCapita: boolean
  text(amount: string | null): string
  value(amount: string | null): number | null
  /** The unit after an amount written alone: "million ₸", "₸ a head". */
  unit: string
  note: string
}

function moneyFor(request: FastifyRequest, population: number | null): Money {
  const { lang, t } = request
  if (population === null) {
    return {
      perCapita: false, text: (a) => millions(lang, a), value: (a) => (a === null ? null : Number(a)), unit: t('budgets.millionsShort'), note: t('budgets.millions'),
    }
  }
  const whole = numberFormat(lang, { maximumFractionDigits: 0 })
  return {
    perCapita: true,
    text: (a) => (a === null ? '—' : whole.format(Number(a) / population)),
    value: (a) => (a === null ? null : Number(a) / population),
    unit: t('budgets.perHeadShort'),
    note: t('budgets.perHeadNote', { population: whole.format(population) }),
  }
}

/** A budget's heading in the reader's language: its own title, else "Republican budget for 2026" or "Budget for 2026". */
export function headingOf(request: FastifyRequest, budget: Budget): string {
  const own = localize(budget.title, request.lang)?.text
  if (own) return own
  return request.t(budget.level === 'republican' ? 'budgets.heading.republican' : 'budgets.heading.local', { year: String(budget.year) })
}

/** Where a budget is spent: the country, a region or city, a district (its own title or its KATO code). */
export async function territories(db: Db, lang: Lang, t: FastifyRequest["t"]): Promise<(b: Budget) => string> {
  const regions = new Map((await listRegions(db, lang)).map((r) => [r.code, localize(r.name, lang)?.text ?? r.code]))
  return (b) => {
    if (b.level === 'republican') return t('budgets.level.republican')
    if (b.level === 'regional') return regions.get(b.regionCode ?? '') ?? b.regionCode ?? ''
    return localize(b.title, lang)?.text ?? t('budgets.level.districtCode', { code: b.districtCode ?? '' })
  }
}

/** A discussion's days as its readers read them: "2 декабря 2026 года – 13 декабря 2026 года". */
export function discussionPeriod(lang: Lang, d: Pick<Discussion, 'opensOn' | 'closesOn'>): string {
  return `${formatDate(lang, d.opensOn)} – ${formatDate(lang, d.closesOn)}`
}

/** A link to a discussion with its kind and days (nothing a kept page could outlive). */
function discussionLink({ lang, t }: FastifyRequest, d: Discussion): { href: string; text: string; kind: string; period: string } {
  return {
    href: `/${lang}/budgets/discussions/${d.id}`, text: localize(d.title, lang)?.text ?? '', kind: t(`budgets.discussions.kinds.${d.kind}`), period: discussionPeriod(lang, d),
  }
}

/** A node's name in the reader's language, or its code. */
export function nameOf(lang: Lang, node: Pick<BudgetNode, 'code' | 'name'>): string {
  return localize(node.name ?? {}, lang)?.text ?? node.code
}

/** The parts' amounts as rows for a spreadsheet, in tenge, exact as kept. */
function tableOf(request: FastifyRequest, parts: BudgetNode[], elapsed: number) {
  const { lang, t } = request
  const header = ['code', 'name', 'approved', 'adjusted', 'executed', 'executed_share'].map((c) => t(`budgets.columns.${c}`))
  const rows = parts.map((p) => {
    const { share } = executionOf(p, elapsed)
    return [p.code, nameOf(lang, p), p.approved, p.adjusted, p.executed, share === null ? null : Math.round(share * 1000) / 10]
  })
  return { header, rows }
}

/** The parts' execution as bars (executed ÷ plan, under-spent ones in a pattern of their own), with its numbers; null before any execution. */
async function executionFigure(request: FastifyRequest, budget: Budget, parts: BudgetNode[]) {
  const { lang, t } = request
  const elapsed = elapsedShare(budget.executedThrough)
  const measured = parts.map((p) => ({ part: p, ...executionOf(p, elapsed) })).filter((p) => p.share !== null)
  const settings = settingsOf(request)
  const look = { ...chartLookFor(settings, lang, (id) => t(`budgets.series.${id}`)), formatCompact: (v: number) => formatPercent(lang, v / 100) }
  const percent = (share: number) => Math.round(share * 1000) / 10
  if (measured.length === 0) return null
  return {
    caption: t('budgets.executionCaption', { period: t(`budgets.period.${budget.executedThrough}`) }),
    ...(await chartForScreens({ type: 'bar', stacked: true }, {
      categories: measured.map((p) => nameOf(lang, p.part)),
      series: [
        { id: 'onPace', values: measured.map((p) => (p.underSpent ? null : percent(p.share!))) },
        { id: 'underSpent', values: measured.map((p) => (p.underSpent ? percent(p.share!) : null)) },
      ],
    }, look)),
    more: t('budgets.underSpentRule', { share: formatPercent(lang, elapsed * EVEN_PACE_TOLERANCE), elapsed: formatPercent(lang, elapsed) }),
    table: {
      head: [{ text: t('budgets.columns.name') }, { text: t('budgets.columns.executed_share'), format: 'numeric' }, { text: t('budgets.columns.pace') }],
      rows: measured.map((p) => [
        { text: nameOf(lang, p.part) }, { text: formatPercent(lang, p.share!), format: 'numeric' },
        { text: p.underSpent ? t('budgets.series.underSpent') : t('budgets.series.onPace') },
      ]),
    },
  }
}

/** Open Budgets' pages: every budget, a budget read by function, body, economic class or revenue down to its subprogrammes, a body's budgets. */
export async function budgetPages(app: FastifyInstance, db: Db): Promise<void> {
  await registerPages(app, async (pages) => {
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const keptPages = keptUnder(db, BUDGET_TOPICS)
    const home = (request: FastifyRequest) => [{ text: request.t('platform.home'), href: `/${request.lang}/` }]

    typed.get('/budgets', { config: { pageCache: keptPages }, schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }) } }, async (request, reply) => {
      const { lang, t } = request
      const q = request.query.q?.trim() ?? ''
      const budgets = await listBudgets(db)
      const wholes = await budgetWholes(db, budgets)
      const territoryOf = await territories(db, lang, t)
      const years = [...new Set(budgets.map((b) => b.year))]
      const latest = budgets.find((b) => b.level === 'republican' && wholes.get(b.id)) ?? budgets.find((b) => wholes.get(b.id))
      const search = q ? await searchProgrammes(db, q, SEARCH_LIMIT) : null
      return reply.render('budgets/views/budgets.njk', {
        title: q ? t('budgets.search.results', { q }) : t('budgets.title'),
        q,
        search: search && {
          total: search.total,
          more: search.total > search.found.length,
          rows: search.found.map((f) => {
            const { share } = executionOf(f, elapsedShare(f.budget.executedThrough))
            return [
              { html: `<a class="govuk-link" href="${escapeHtml(queryHref(`/${lang}/budgets/${f.budget.key}`, { dimension: 'administrative', code: f.code }))}">${escapeHtml(localize(f.name, lang)?.text ?? f.code)}</a>` },
              { text: f.code, classes: 'ashyq-nowrap' },
              { text: `${territoryOf(f.budget)}, ${f.budget.year}` },
              { text: millions(lang, planOf(f)), format: 'numeric' },
              { text: share === null ? '—' : formatPercent(lang, share), format: 'numeric' },
            ]
          }),
        },
        breadcrumbs: home(request),
        latest: latest ? { budget: latest, heading: headingOf(request, latest), ...(await partsFigure(request, latest, 'functional', '')) } : null,
        years: years.map((year) => ({
          year: String(year),
          rows: budgets.filter((b) => b.year === year).map((b) => {
            const whole = wholes.get(b.id) ?? { approved: null, adjusted: null, executed: null }
            const { share } = executionOf(whole, elapsedShare(b.executedThrough))
            return [
              { html: `<a class="govuk-link" href="/${lang}/budgets/${b.key}">${escapeHtml(territoryOf(b))}</a>` },
              { text: millions(lang, planOf(whole)), format: 'numeric' },
              { text: millions(lang, whole.executed), format: 'numeric' },
              { text: share === null ? '—' : formatPercent(lang, share), format: 'numeric' },
              { text: b.executedThrough ? t(`budgets.period.${b.executedThrough}`) : t('budgets.notYet') },
            ]
          }),
        })),
      })
    })

    /** A node's parts as a treemap of the plan and as bars of execution, each with its numbers. */
    async function partsFigure(request: FastifyRequest, budget: Budget, dimension: Dimension, code: string, divisor = 1) {
      const { lang, t } = request
      const parts = await budgetChildren(db, budget, dimension, code)
      const settings = settingsOf(request)
      const look = chartLookFor(settings, lang, (id) => t(`budgets.series.${id}`))
      const planned = parts.filter((p) => Number(planOf(p) ?? 0) > 0)
      const treemap = planned.length > 0
        ? await treemapForScreens(planned.map((p) => ({ name: nameOf(lang, p), value: Number(planOf(p)), label: `${formatCompactNumber(lang, Number(planOf(p)) / divisor)} ₸` })),
          { contrast: settings.contrast, fontSize: look.fontSize, narrowFontSize: look.narrowFontSize })
        : null
      return { parts, treemap }
    }

    typed.get('/budgets/:key', { config: { pageCache: keptPages }, schema: { hide: true, params: Type.Object({ key: BudgetKey }), querystring: ExploreQuery } }, async (request, reply) => {
      const { lang, t } = request
      const budget = await findBudget(db, request.params.key)
      const dimension = (request.query.dimension ?? 'functional') as Dimension
      const code = request.query.code ?? ''
      const found = await budgetNode(db, budget, dimension, code)
      if (!found && code !== '') throw new ValidationError([{ field: 'code', messageKey: 'budgets.errors.noSuchCode' }])
      const elapsed = elapsedShare(budget.executedThrough)
      // Per head where the territory's population is known: a region's, or the country's for the republican budget.
      const population = budget.level === 'district' ? null : await populationOf(db, budget.level === 'regional' ? budget.regionCode : null)
      const perCapita = request.query.per === 'capita' && population !== null
      const money = moneyFor(request, perCapita ? population : null)
      const { parts, treemap } = await partsFigure(request, budget, dimension, code, perCapita ? population! : 1)
      const heading = headingOf(request, budget)
      const territoryOf = await territories(db, lang, t)
      const constantWanted = request.query.prices === 'constant'
      const here = (c: string, d: Dimension = dimension, per: string = perCapita ? 'capita' : '', prices: string = constantWanted ? 'constant' : '') =>
        queryHref(`/${lang}/budgets/${budget.key}`, { dimension: d, code: c, per, prices }, { dimension: 'functional', code: '', per: '', prices: '' })
      const node = found?.node ?? null
      const execution = node ? executionOf(node, elapsed) : { share: null, underSpent: false }
      const partsExecution = parts.map((p) => ({ part: p, ...executionOf(p, elapsed) }))
      const executionChart = await executionFigure(request, budget, parts)
      const settings = settingsOf(request)
      const programme = dimension === 'administrative' && node ? await programmeOf(db, budget, code) : undefined
      const years = node ? await nodeAcrossYears(db, budget, dimension, code) : []
      // Every year in this budget's year's prices, where the price index reaches each of them.
      const index = years.length >= 2 ? await priceIndex(db) : []
      const factors = years.map((y) => priceFactor(index, y.budget.year, budget.year))
      const constantKnown = years.length >= 2 && factors.every((f) => f !== null)
      const constant = constantWanted && constantKnown
      const inPrices = (amount: string | null, i: number) => (amount === null || !constant ? amount : (Number(amount) * factors[i]!).toFixed(2))
      const partial = years.filter((y) => y.executed !== null && elapsedShare(y.budget.executedThrough) < 1)
      const yearsChart = years.length >= 2
        ? {
            caption: (code === '' ? t('budgets.wholeAcrossYears', { territory: territoryOf(budget) }) : t('budgets.acrossYears', { node: `${node!.code} ${nameOf(lang, node!)}` }))
              + (constant ? ` ${t('budgets.inPricesOf', { year: String(budget.year) })}` : ''),
            ...(await chartForScreens({ type: 'line' }, {
              categories: years.map((y) => String(y.budget.year)),
              series: (['approved', 'adjusted', 'executed'] as const).map((phase) => ({ id: phase, values: years.map((y, i) => money.value(inPrices(y[phase], i))) })),
            }, { ...chartLookFor(settings, lang, (id) => t(`budgets.columns.${id}`)), formatCompact: (v: number) => `${formatCompactNumber(lang, v)} ₸` })),
            more: [
              ...partial.map((y) => t('budgets.partialYear', { year: String(y.budget.year), period: t(`budgets.period.${y.budget.executedThrough}`) })),
              ...(constant ? [t('budgets.constantNote', { year: String(budget.year), source: [...new Set(index.map((y) => localize(y.source.name, lang)?.text ?? ''))].join('; ') })] : []),
            ].join(' '),
            prices: constantKnown ? [
              { text: t('budgets.currentPrices'), href: here(code, dimension, perCapita ? 'capita' : '', ''), current: !constant },
              { text: t('budgets.constantPrices', { year: String(budget.year) }), href: here(code, dimension, perCapita ? 'capita' : '', 'constant'), current: constant },
            ] : null,
            table: {
              head: [{ text: t('budgets.columns.year') }, ...(['approved', 'adjusted', 'executed'] as const).map((phase) => ({ text: t(`budgets.columns.${phase}`), format: 'numeric' }))],
              rows: years.map((y, i) => [
                { html: y.budget.id === budget.id ? escapeHtml(String(y.budget.year)) : `<a class="govuk-link" href="${escapeHtml(queryHref(`/${lang}/budgets/${y.budget.key}`, { dimension, code, per: perCapita ? 'capita' : '' }, { dimension: 'functional', code: '', per: '' }))}">${y.budget.year}</a>` },
                ...(['approved', 'adjusted', 'executed'] as const).map((phase) => ({ text: money.text(inPrices(y[phase], i)), format: 'numeric' })),
              ]),
            },
          }
        : null
      const passport = node ? await programmePassport(db, budget, dimension, code) : null
      const decimal = numberFormat(lang, { maximumFractionDigits: 4 })
      return reply.render('budgets/views/budget.njk', {
        citizens: (await citizensBudgetOf(db, budget)) !== null,
        mayWrite: can(request.user, 'budget.import', { agencyId: budget.agency.id }),
        // A programme's discussions, and the way to open one for its administrator's staff.
        discussions: programme ? (await listDiscussions(db, { budgetId: budget.id, code })).map((d) => discussionLink(request, d)) : [],
        discussHref: programme && can(request.user, 'budget.discuss', { agencyId: programme.agencyId }) ? queryHref(`/${lang}/budgets/${budget.key}/discussions/new`, { code }) : null,
        passport: passport && {
          goal: passport.goal,
          rows: passport.indicators.map((i) => {
            const met = indicatorMet(i)
            return [
              { text: `${localize(i.name, lang)?.text ?? ''}${localize(i.unit, lang)?.text ? `, ${localize(i.unit, lang)!.text}` : ''}` },
              { text: t(`budgets.passport.${i.better}`) },
              { text: decimal.format(Number(i.planned)), format: 'numeric' },
              { text: i.achieved === null ? '—' : decimal.format(Number(i.achieved)), format: 'numeric' },
              { html: met === null ? escapeHtml(t('budgets.passport.notReported')) : met ? escapeHtml(t('budgets.passport.met')) : `<strong class="ashyq-under-spent">${escapeHtml(t('budgets.passport.notMet'))}</strong>` },
            ]
          }),
        },
        yearsChart,
        money: { unit: money.unit, note: money.note },
        perSwitch: population === null ? null : [
          { text: t('budgets.total'), href: here(code, dimension, ''), current: !perCapita },
          { text: t('budgets.perHead'), href: here(code, dimension, 'capita'), current: perCapita },
        ],
        title: found && found.path.length > 0 ? `${nameOf(lang, found.node)} — ${heading}` : heading,
        heading,
        breadcrumbs: [...home(request), { text: t('budgets.title'), href: `/${lang}/budgets` }],
        budget,
        territory: territoryOf(budget),
        dimension,
        dimensions: DIMENSIONS.map((d) => ({ key: d, text: t(`budgets.dimension.${d}`), href: here('', d), current: d === dimension })),
        path: found ? [...found.path, found.node].map((n, i) => ({
          text: i === 0 ? t(`budgets.dimension.${dimension}`) : `${n.code} ${nameOf(lang, n)}`,
          href: here(n.code),
        })) : [],
        node: node ? { ...node, heading: code === '' ? t(`budgets.dimension.${dimension}`) : `${node.code} ${nameOf(lang, node)}` } : null,
        amounts: node ? {
          approved: money.text(node.approved), adjusted: money.text(node.adjusted), executed: money.text(node.executed),
          share: execution.share === null ? null : formatPercent(lang, execution.share), underSpent: execution.underSpent,
        } : null,
        executedThrough: budget.executedThrough ? t(`budgets.period.${budget.executedThrough}`) : null,
        treemap: treemap ? { ...treemap, caption: t('budgets.treemapCaption', { node: code === '' ? heading : nameOf(lang, node!) }) } : null,
        executionChart,
        rows: partsExecution.map(({ part, share, underSpent }) => [
          { text: part.code, classes: 'ashyq-nowrap' },
          { html: part.hasParts ? `<a class="govuk-link" href="${escapeHtml(here(part.code))}">${escapeHtml(nameOf(lang, part))}</a>` : escapeHtml(nameOf(lang, part)) },
          { text: money.text(part.approved), format: 'numeric' },
          { text: money.text(part.adjusted), format: 'numeric' },
          { text: money.text(part.executed), format: 'numeric' },
          shareCell(request, { share, underSpent }),
        ]),
        administrators: dimension === 'administrative' || dimension === 'functional'
          ? parts.filter((p) => p.agencySlug && pathCodes(dimension, p.code).length === (dimension === 'administrative' ? 2 : 4)).map((p) => ({ code: p.code, slug: p.agencySlug }))
          : [],
        exports: {
          csv: queryHref(`/${lang}/budgets/${budget.key}/table.csv`, { dimension, code }, { dimension: 'functional', code: '' }),
          xlsx: queryHref(`/${lang}/budgets/${budget.key}/table.xlsx`, { dimension, code }, { dimension: 'functional', code: '' }),
          json: queryHref(`/api/budgets/${budget.key}`, { dimension, code }, { dimension: 'functional', code: '' }),
        },
      })
    })

    const spreadsheet = async (request: FastifyRequest<{ Params: { key: string }; Querystring: { dimension?: string; code?: string } }>) => {
      const budget = await findBudget(db, request.params.key)
      const dimension = (request.query.dimension ?? 'functional') as Dimension
      const code = request.query.code ?? ''
      if (code !== '' && !(await budgetNode(db, budget, dimension, code))) throw new ValidationError([{ field: 'code', messageKey: 'budgets.errors.noSuchCode' }])
      const { header, rows } = tableOf(request, await budgetChildren(db, budget, dimension, code), elapsedShare(budget.executedThrough))
      return { header, rows, name: `budget-${budget.key}-${dimension}${code ? `-${code.replaceAll(' ', '')}` : ''}-${request.lang}`, title: headingOf(request, budget) }
    }
    const exportSchema = { hide: true, params: Type.Object({ key: BudgetKey }), querystring: ExploreQuery }

    typed.get('/budgets/:key/table.csv', { config: { pageCache: keptPages }, schema: exportSchema }, async (request, reply) => {
      const { header, rows, name } = await spreadsheet(request)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition(`${name}.csv`))
        .send(`\ufeff${stringify([header, ...rows.map((row) => csvCells(row.map((cell) => cell ?? ''), [false, true]))])}`)
    })

    typed.get('/budgets/:key/table.xlsx', { config: { pageCache: keptPages }, schema: exportSchema }, async (request, reply) => {
      const { header, rows, name, title } = await spreadsheet(request)
      // A spreadsheet's numbers are binary fractions: tenge there are as exact as 15 digits allow (the CSV and JSON keep every digit).
      const numeric = rows.map((row) => row.map((cell, i) => (i >= 2 && i <= 4 && typeof cell === 'string' ? Number(cell) : cell)))
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', attachmentDisposition(`${name}.xlsx`))
        .send(await tableXlsx(title, header, numeric))
    })

    const citizensView = 'budgets/views/citizens.njk'
    const citizensForm = 'budgets/views/citizens-form.njk'
    const KeyParams = Type.Object({ key: BudgetKey })
    const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 10_000 }), { maxProperties: 60 })

    typed.get('/budgets/:key/citizens', { config: { pageCache: keptPages }, schema: { hide: true, params: KeyParams } }, async (request, reply) => {
      const { lang, t } = request
      const budget = await findBudget(db, request.params.key)
      const citizens = await citizensBudgetOf(db, budget)
      if (!citizens) return reply.callNotFound()
      const territoryOf = await territories(db, lang, t)
      const whole = (await budgetWholes(db, [budget])).get(budget.id) ?? { approved: null, adjusted: null, executed: null }
      const revenue = await budgetNode(db, budget, 'revenue', '')
      const population = budget.level === 'district' ? null : await populationOf(db, budget.level === 'regional' ? budget.regionCode : null)
      const { share } = executionOf(whole, elapsedShare(budget.executedThrough))
      const whole0 = numberFormat(lang, { maximumFractionDigits: 0 })
      return reply.render(citizensView, {
        title: t('budgets.citizens.title', { year: String(budget.year) }),
        territory: territoryOf(budget),
        breadcrumbs: [...home(request), { text: t('budgets.title'), href: `/${lang}/budgets` }, { text: headingOf(request, budget), href: `/${lang}/budgets/${budget.key}` }],
        budget,
        citizens,
        mayWrite: can(request.user, 'budget.import', { agencyId: budget.agency.id }),
        figures: [
          { label: t('budgets.citizens.spends'), value: `${formatCompactNumber(lang, Number(planOf(whole) ?? 0))} ₸` },
          ...(revenue && planOf(revenue.node) ? [{ label: t('budgets.citizens.receives'), value: `${formatCompactNumber(lang, Number(planOf(revenue.node)))} ₸` }] : []),
          ...(population && planOf(whole) ? [{ label: t('budgets.citizens.perHead'), value: `${whole0.format(Number(planOf(whole)) / population)} ₸` }] : []),
          ...(share !== null ? [{ label: t('budgets.citizens.spent', { period: t(`budgets.period.${budget.executedThrough}`) }), value: formatPercent(lang, share) }] : []),
        ],
        charts: await Promise.all(citizens.sections.map((section) => citizenChart(request, budget, section.chart))),
      })
    })

    /** A section's chart, drawn from the budget's figures: a way of reading it as a treemap with its table, or its execution as bars. */
    async function citizenChart(request: FastifyRequest, budget: Budget, chart: CitizensBudget['sections'][number]['chart']) {
      if (!chart) return null
      const { lang, t } = request
      const dimension: Dimension = chart === 'execution' ? 'functional' : chart
      const { parts, treemap } = await partsFigure(request, budget, dimension, '')
      if (chart === 'execution') {
        const bars = await executionFigure(request, budget, parts)
        return bars && { kind: 'bars', ...bars }
      }
      if (!treemap) return null
      const total = parts.reduce((sum, p) => sum + Number(planOf(p) ?? 0), 0)
      return {
        kind: 'treemap', ...treemap,
        caption: t(`budgets.dimension.${dimension}`),
        table: {
          head: [{ text: t('budgets.columns.name') }, { text: t('budgets.columns.plan'), format: 'numeric' }, { text: t('budgets.citizens.share'), format: 'numeric' }],
          rows: parts.map((p) => [{ text: nameOf(lang, p) }, { text: millions(lang, planOf(p)), format: 'numeric' }, { text: total > 0 ? formatPercent(lang, Number(planOf(p) ?? 0) / total) : '—', format: 'numeric' }]),
        },
      }
    }

    const citizensFormContext = async (request: FastifyRequest, key: string, values: Record<string, string> | null) => {
      const { lang, t } = request
      const budget = await findBudget(db, key)
      authorize(request.user, 'budget.import', { agencyId: budget.agency.id })
      const kept = values ? null : await citizensBudgetOf(db, budget)
      const filled = values ?? {
        ...toFormFields('lead', kept?.lead),
        ...Object.assign({}, ...Array.from({ length: CITIZEN_SECTIONS_MAX }, (_, i) => ({
          ...toFormFields(`section${i + 1}.heading`, kept?.sections[i]?.heading), ...toFormFields(`section${i + 1}.body`, kept?.sections[i]?.body),
          [`section${i + 1}.chart`]: kept?.sections[i]?.chart ?? '',
        }))),
      }
      return {
        budget,
        context: {
          title: t('budgets.citizens.edit'), caption: headingOf(request, budget), budget, values: filled,
          sections: Array.from({ length: CITIZEN_SECTIONS_MAX }, (_, i) => i + 1),
          charts: [{ value: '', text: t('budgets.citizens.noChart') }, ...CITIZEN_CHARTS.map((c) => ({ value: c, text: c === 'execution' ? t('budgets.citizens.executionChart') : t(`budgets.dimension.${c}`) }))],
          breadcrumbs: [...home(request), { text: t('budgets.title'), href: `/${lang}/budgets` }, { text: headingOf(request, budget), href: `/${lang}/budgets/${budget.key}` }],
        },
      }
    }

    typed.get('/budgets/:key/citizens/edit', { schema: { hide: true, params: KeyParams } }, async (request, reply) => {
      const { context } = await citizensFormContext(request, request.params.key, null)
      return reply.header('cache-control', 'no-store').render(citizensForm, context)
    })

    typed.post('/budgets/:key/citizens/edit', { schema: { hide: true, params: KeyParams, body: FormBody } }, async (request, reply) => {
      const body = request.body
      const { budget, context } = await citizensFormContext(request, request.params.key, body)
      return handleForm(reply, citizensForm, context, async () => {
        await saveCitizensBudget(db, request.user, budget, {
          lead: fromFormFields(body, 'lead'),
          sections: Array.from({ length: CITIZEN_SECTIONS_MAX }, (_, i) => ({
            heading: fromFormFields(body, `section${i + 1}.heading`), body: fromFormFields(body, `section${i + 1}.body`), chart: body[`section${i + 1}.chart`] ?? '',
          })),
        })
        return reply.redirect(doneHref(`/${request.lang}/budgets/${budget.key}/citizens`, 'citizensSaved', 'citizens'), 303)
      })
    })

    typed.get('/budgets/bodies/:slug', { config: { pageCache: keptPages }, schema: { hide: true, params: Type.Object({ slug: Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' }) }) } }, async (request, reply) => {
      const { lang, t } = request
      const agency = await agencyWithRegion(db, request.params.slug)
      if (!agency) return reply.callNotFound()
      const administered = await budgetsAdministeredBy(db, agency.id)
      const kept = await listBudgets(db, { agencyId: agency.id })
      const name = localize(agency.name, lang)?.text ?? agency.slug
      const years = [...new Set(administered.map((a) => a.budget.year))]
      const programmes = await Promise.all(administered.map((a) => budgetChildren(db, a.budget, 'administrative', a.code)))
      const indicators = await indicatorCounts(db, administered.map((a) => a.budget.id))
      const indicatorsOf = (budget: Budget, code: string) => {
        const counts = indicators.get(`${budget.id}:${code}`)
        if (!counts) return '—'
        return counts.reported === 0 ? t('budgets.passport.notReported') : t('budgets.passport.metOf', { met: counts.met, total: counts.total })
      }
      const territoryOf = await territories(db, lang, t)
      return reply.render('budgets/views/body.njk', {
        title: t('budgets.body.title', { agency: name }),
        agency: { slug: agency.slug, name },
        breadcrumbs: [...home(request), { text: t('budgets.title'), href: `/${lang}/budgets` }],
        kept: kept.map((b) => ({ href: `/${lang}/budgets/${b.key}`, text: `${headingOf(request, b)} (${territoryOf(b)})` })),
        // Its programmes' drafts and execution reports put up for discussion (their days, which a kept page never outlives; not their counts).
        discussions: (await listDiscussions(db, { agencyId: agency.id })).map((d) => discussionLink(request, d)),
        documents: documentList(request, await listBudgetDocuments(db, agency.id)),
        mayPublish: !!request.user && can(request.user, 'budget.documents', { agencyId: agency.id }),
        years: years.map((year) => ({
          year: String(year),
          budgets: administered.flatMap((a, i) => a.budget.year !== year ? [] : [{
            heading: `${headingOf(request, a.budget)} (${territoryOf(a.budget)})`,
            href: queryHref(`/${lang}/budgets/${a.budget.key}`, { dimension: 'administrative', code: a.code }),
            code: a.code,
            plan: millions(lang, planOf(a)), executed: millions(lang, a.executed),
            share: (() => { const { share } = executionOf(a, elapsedShare(a.budget.executedThrough)); return share === null ? '—' : formatPercent(lang, share) })(),
            rows: programmes[i]!.map((p) => {
              const { share, underSpent } = executionOf(p, elapsedShare(a.budget.executedThrough))
              return [
                { text: p.code, classes: 'ashyq-nowrap' },
                { html: `<a class="govuk-link" href="${escapeHtml(queryHref(`/${lang}/budgets/${a.budget.key}`, { dimension: 'administrative', code: p.code }))}">${escapeHtml(nameOf(lang, p))}</a>` },
                { text: millions(lang, planOf(p)), format: 'numeric' },
                { text: millions(lang, p.executed), format: 'numeric' },
                shareCell(request, { share, underSpent }),
                { text: indicatorsOf(a.budget, p.code) },
              ]
            }),
          }]),
        })),
      })
    })
  })
}
