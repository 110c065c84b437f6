import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { formatNumber } from '../../../platform/i18n/index.ts'
import { localize } from '../../../platform/i18n/multilingual.ts'
import { today } from '../drafts/service.ts'
import { legalActFacts } from './service.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { LEGAL_ACTS_TOPICS } from '../page-topics.ts'

const Query = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }, { additionalProperties: false })

/** How each body discusses its drafts, year by year: the facts the openness index reads, for everyone to read. */
export async function factsPages(app: FastifyInstance, db: Db): Promise<void> {
  await registerPages(app, async (pages) => {
    const keptPages = keptUnder(db, LEGAL_ACTS_TOPICS)
    pages.withTypeProvider<TypeBoxTypeProvider>().get('/legal-acts/bodies', { config: { pageCache: keptPages }, schema: { hide: true, querystring: Query } }, async (request, reply) => {
      const { lang, t } = request
      const thisYear = Number(today().slice(0, 4))
      const year = request.query.year ?? thisYear
      const period = { from: `${year}-01-01`, to: `${year}-12-31` }
      const facts = await legalActFacts(db, period)
      const [first] = await db.query<{ year: number | null }>('select extract(year from min(discussion_start))::int as year from legal_act_drafts')
      const years = []
      for (let y = thisYear; y >= Math.min(first?.year ?? thisYear, year); y -= 1) years.push({ value: String(y), text: String(y), selected: y === year })
      const columns = ['body', 'published', 'days', 'belowMinimum', 'answered', 'onTime', 'late', 'overdue'].map((k) => t(`legalActs.bodies.columns.${k}`))
      const cell = (text: string, index: number, extra: Record<string, unknown> = {}) => ({ text, attributes: { 'data-label': columns[index] }, ...extra })
      return reply.render('legal-acts/facts/views/bodies.njk', {
        title: t('legalActs.bodies.title'),
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('legalActs.title'), href: `/${lang}/legal-acts` }],
        year, years, facts,
        head: columns.map((text, i) => ({ text, format: i > 0 ? 'numeric' : undefined })),
        rows: facts.map((f) => [
          { html: `<a class="govuk-link" href="/${lang}/legal-acts?agency=${f.agency.slug}">${escapeHtml(localize(f.agency.name, lang)?.text ?? f.agency.slug)}</a>`, attributes: { 'data-label': columns[0] } },
          cell(formatNumber(lang, f.draftsPublished), 1, { format: 'numeric' }),
          cell(formatNumber(lang, f.medianDiscussionDays), 2, { format: 'numeric' }),
          cell(formatNumber(lang, f.belowMinimum), 3, { format: 'numeric', classes: f.belowMinimum ? 'govuk-!-font-weight-bold' : undefined }),
          cell(f.proposals ? `${f.proposalsAnswered} / ${f.proposals}` : '—', 4, { format: 'numeric' }),
          cell(formatNumber(lang, f.answersOnTime), 5, { format: 'numeric' }),
          cell(f.answersLate ? t('legalActs.bodies.lateBy', { count: f.answersLate, days: formatNumber(lang, f.meanDaysLate) }) : '0', 6, { format: 'numeric' }),
          cell(formatNumber(lang, f.answersOverdue), 7, { format: 'numeric', classes: f.answersOverdue ? 'govuk-!-font-weight-bold' : undefined }),
        ]),
        apiHref: `/api/legal-acts/facts?from=${period.from}&to=${period.to}`,
      })
    })
  })
}

function escapeHtml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!)
}
