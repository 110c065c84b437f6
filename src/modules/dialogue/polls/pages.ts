import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { stringify } from 'csv-stringify/sync'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { doneHref } from '../../../platform/html/done.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { attachmentDisposition } from '../../../platform/files/download.ts'
import { csvCells } from '../../../platform/files/csv-cells.ts'
import { settingsOf } from '../../../platform/html/accessibility.ts'
import { chartForScreens, chartLookFor } from '../../../platform/charts/draw.ts'
import { formatNumber, formatPercent } from '../../../platform/i18n/index.ts'
import { fromFormFields, localize } from '../../../platform/i18n/multilingual.ts'
import { listRegions } from '../../agencies/service.ts'
import { SlugParams } from '../schemas.ts'
import { POLL_TOPICS } from '../page-topics.ts'
import {
  availablePollActions, ballotOf, castBallot, createPoll, findPoll, listPolls, mayReadResults, ownWordsAnswers, POLL_OPTIONS_MAX, pollEvents, pollResults, today,
  withdrawPoll, type Poll, type PollResults,
} from './service.ts'

const IdParams = Type.Object({ id: RecordId })
const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 20_000 }), { maxProperties: 30 })
// A ballot's options come as one field per checked box: one value, or several of the same name.
const BallotBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  option: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: POLL_OPTIONS_MAX })])),
  text: Type.Optional(Type.String({ maxLength: 5000 })),
  regionCode: Type.Optional(Type.String({ maxLength: 60 })),
}, { additionalProperties: false })

const optionIds = (option: string | string[] | undefined): number[] =>
  (Array.isArray(option) ? option : option ? [option] : []).map(Number).filter((n) => Number.isSafeInteger(n) && n > 0)

/** The counts as a chart with their table, for the page's figure macro. */
async function resultsChart(request: FastifyRequest, poll: Poll, results: PollResults) {
  const { lang, t } = request
  const labels = results.options.map((o) => localize(o.label, lang)?.text ?? '')
  const look = chartLookFor(settingsOf(request), lang, () => t('dialogue.polls.votes'))
  const share = (votes: number) => (results.ballots > 0 ? formatPercent(lang, votes / results.ballots) : '—')
  return {
    caption: localize(poll.title, lang)?.text ?? '',
    ...(await chartForScreens({ type: 'bar' }, { categories: labels, series: [{ id: 'votes', values: results.options.map((o) => o.votes) }] }, look)),
    more: poll.choice === 'multiple' ? t('dialogue.polls.multipleNote') : '',
    table: {
      head: [{ text: t('dialogue.polls.option') }, { text: t('dialogue.polls.votes'), format: 'numeric' }, { text: t('dialogue.polls.share'), format: 'numeric' }],
      rows: results.options.map((o, i) => [{ text: labels[i] }, { text: formatNumber(lang, o.votes), format: 'numeric' }, { text: share(o.votes), format: 'numeric' }]),
    },
  }
}

/** A body's polls: published by its staff, answered by signed-in citizens, counted in a chart with its table, CSV and JSON. */
export async function pollPages(app: FastifyInstance, db: Db): Promise<void> {
  await registerPages(app, async (pages) => {
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    // A person's own page (their ballot, the staff's forms) is never kept; an anonymous reader's is, until a vote or the clock moves it.
    const keptPages = keptUnder(db, POLL_TOPICS)
    const crumbs = (request: FastifyRequest, agency: Poll['agency']) => [
      { text: request.t('platform.home'), href: `/${request.lang}/` },
      { text: request.t('dialogue.title'), href: `/${request.lang}/dialogue` },
      { text: localize(agency.name, request.lang)?.text ?? '', href: `/${request.lang}/dialogue/${agency.slug}` },
    ]

    const view = 'dialogue/polls/views/poll.njk'
    const show = async (request: FastifyRequest, id: number, extra: Record<string, unknown> = {}) => {
      const { lang } = request
      const poll = await findPoll(db, id)
      const ballot = await ballotOf(db, request.user?.id, poll.id)
      const visible = mayReadResults(request.user, poll)
      const results = visible ? await pollResults(db, poll) : null
      const chosen = new Set(ballot?.options ?? [])
      return {
        title: localize(poll.title, lang)?.text ?? '',
        breadcrumbs: crumbs(request, poll.agency),
        poll,
        actions: availablePollActions(request.user, poll, ballot),
        staff: can(request.user, 'dialogue.manage', { agencyId: poll.agency.id }),
        ballot,
        ballotText: poll.options.filter((o) => chosen.has(o.id)).map((o) => localize(o.label, lang)?.text ?? '').join('; '),
        results,
        chart: results && results.ballots > 0 ? await resultsChart(request, poll, results) : null,
        regions: poll.region ? await listRegions(db, lang) : [],
        events: await pollEvents(db, poll.id),
        values: { regionCode: request.user?.regionCode ?? '' },
        chosen: [...chosen].map(String),
        ...extra,
      }
    }

    typed.get('/dialogue/polls/:id', { config: { pageCache: keptPages }, schema: { hide: true, params: IdParams } }, async (request, reply) =>
      reply.render(view, await show(request, request.params.id)))

    typed.post('/dialogue/polls/:id/ballot', { schema: { hide: true, params: IdParams, body: BallotBody } }, async (request, reply) => {
      const body = request.body
      const options = optionIds(body.option)
      const context = await show(request, request.params.id, { values: { text: body.text ?? '', regionCode: body.regionCode ?? request.user?.regionCode ?? '' }, chosen: options.map(String) })
      return handleForm(reply, view, context, async () => {
        await castBallot(db, { user: request.user, address: request.ip }, request.params.id, { options, text: body.text ?? '', regionCode: body.regionCode ?? '' })
        return reply.redirect(doneHref(`/${request.lang}/dialogue/polls/${request.params.id}`, 'voted', 'ballot'), 303)
      })
    })

    typed.post('/dialogue/polls/:id/withdraw', { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
      const body = request.body
      return handleForm(reply, view, await show(request, request.params.id, { values: body }), async () => {
        await withdrawPoll(db, request.user, request.params.id, fromFormFields(body, 'reason'))
        return reply.redirect(doneHref(`/${request.lang}/dialogue/polls/${request.params.id}`, 'pollWithdrawn', 'poll'), 303)
      })
    })

    typed.get('/dialogue/polls/:id/results.csv', { config: { pageCache: keptPages }, schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const { lang, t } = request
      const poll = await findPoll(db, request.params.id)
      if (!mayReadResults(request.user, poll)) return reply.code(404).send()
      const results = await pollResults(db, poll)
      const rows = results.options.map((o) => csvCells([localize(o.label, lang)?.text ?? '', o.votes], [true, false]))
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition(`poll-${poll.id}-${lang}.csv`))
        .send(`\ufeff${stringify([[t('dialogue.polls.option'), t('dialogue.polls.votes')], ...rows, [t('dialogue.polls.results'), String(results.ballots)]])}`)
    })

    typed.get('/dialogue/polls/:id/own-words.csv', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const poll = await findPoll(db, request.params.id)
      const answers = await ownWordsAnswers(db, request.user, poll)
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', attachmentDisposition(`poll-${poll.id}-own-words.csv`))
        .send(`\ufeff${stringify([[request.t('dialogue.polls.yourAnswer'), 'date'], ...answers.map((a) => csvCells([a.text, a.castAt.toISOString()], [true, false]))])}`)
    })

    const listView = 'dialogue/polls/views/polls.njk'
    typed.get('/dialogue/polls', { config: { pageCache: keptPages }, schema: { hide: true } }, async (request, reply) => {
      const { lang, t } = request
      return reply.render(listView, {
        title: t('dialogue.polls.all'),
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('dialogue.title'), href: `/${lang}/dialogue` }],
        polls: await listPolls(db),
      })
    })

    const formView = 'dialogue/polls/views/poll-form.njk'
    const formContext = async (request: FastifyRequest, slug: string, values: Record<string, string>) => {
      const [agency] = await db.query<{ id: number; slug: string; name: Record<string, string> }>('select id, slug, name from agencies where slug = $1', [slug])
      authorize(request.user, 'dialogue.poll.create', { agencyId: agency?.id ?? 0 })
      if (!agency) return null
      return {
        title: request.t('dialogue.polls.new'), breadcrumbs: crumbs(request, agency as Poll['agency']), agency, values,
        regions: await listRegions(db, request.lang), optionsMax: POLL_OPTIONS_MAX,
      }
    }
    typed.get('/dialogue/:slug/polls/new', { schema: { hide: true, params: SlugParams } }, async (request, reply) => {
      const context = await formContext(request, request.params.slug, { choice: 'single', results: 'after-close', opensOn: today() })
      return context ? reply.render(formView, context) : reply.callNotFound()
    })
    typed.post('/dialogue/:slug/polls/new', { schema: { hide: true, params: SlugParams, body: FormBody } }, async (request, reply) => {
      const body = request.body
      const context = await formContext(request, request.params.slug, body)
      if (!context) return reply.callNotFound()
      return handleForm(reply, formView, context, async () => {
        const id = await createPoll(db, request.user, request.params.slug, {
          title: fromFormFields(body, 'title'), description: fromFormFields(body, 'description'),
          options: { kk: body['options.kk'], ru: body['options.ru'], en: body['options.en'] },
          choice: body.choice ?? '', freeText: body.freeText === 'yes', opensOn: body.opensOn ?? '', closesOn: body.closesOn ?? '',
          regionCode: body.regionCode ?? '', changeable: body.changeable === 'yes', results: body.results ?? '',
        }, siteOrigin(request))
        return reply.redirect(`/${request.lang}/dialogue/polls/${id}`, 303)
      })
    })
  })
}
