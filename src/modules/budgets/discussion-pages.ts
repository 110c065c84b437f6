import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../platform/db/index.ts'
import { registerPages } from '../../platform/html/pages.ts'
import { handleForm } from '../../platform/auth/forms.ts'
import { can } from '../../platform/auth/policies.ts'
import { Forbidden, Unauthorized } from '../../platform/http/errors.ts'
import { RecordId } from '../../platform/http/validation.ts'
import { doneHref } from '../../platform/html/done.ts'
import { queryHref } from '../../platform/html/pagination.ts'
import { mayModerateComments } from '../../platform/comments/actions.ts'
import { commentThread } from '../../platform/comments/service.ts'
import { kazakhstanDay } from '../../platform/calendar/days.ts'
import { periodEnd } from '../../platform/calendar/periods.ts'
import { LANGS, formatDate } from '../../platform/i18n/index.ts'
import { fromFormFields, localize, type MultilingualText } from '../../platform/i18n/multilingual.ts'
import { BudgetKey } from './routes.ts'
import { discussionPeriod, headingOf, nameOf, territories } from './pages.ts'
import { budgetChildren, findBudget, programmeNames, type Budget } from './service.ts'
import { agencyIdBySlug } from '../agencies/service.ts'
import {
  ANSWER_MAX, DISCUSSION_KINDS, DISCUSSION_SUBJECT, answerComment, discussionAnswers, findDiscussion, listDiscussions, openDiscussion,
  type Discussion,
} from './discussions.ts'

const TAGS = ['Open budgets']
const TOKEN = [{ bearerAuth: [] }]
const Text = Type.Record(Type.String(), Type.String(), { description: 'in kk, ru and en (kk and ru required)' })
const IdParams = Type.Object({ id: RecordId })
const AnswerParams = Type.Object({ id: RecordId, commentId: RecordId })
const Day = Type.String({ format: 'date', description: 'a day in Kazakhstan (UTC+5)' })

const DiscussionSchema = Type.Object({
  id: Type.Integer(),
  budget: Type.String({ description: 'the budget\'s key' }),
  code: Type.String({ description: 'the programme\'s administrative code' }),
  kind: Type.Enum([...DISCUSSION_KINDS], { description: 'draft: the programme\'s draft; report: the report on its execution' }),
  agency: Type.String({ description: 'the slug of the body administering the programme' }),
  title: Text,
  body: Text,
  opensOn: Day,
  closesOn: Day,
  state: Type.Enum(['upcoming', 'open', 'closed']),
  comments: Type.Integer({ description: 'comments that answer no other, hidden ones not counted' }),
  answered: Type.Integer({ description: 'how many of those the body answered' }),
})

function discussionJson(d: Discussion) {
  return {
    id: d.id, budget: d.budget.key, code: d.code, kind: d.kind, agency: d.agency.slug, title: d.title, body: d.body,
    opensOn: d.opensOn, closesOn: d.closesOn, state: d.state, comments: d.comments, answered: d.answered,
  }
}

/** Discussions' API: anyone reads them with their comments and answers; a body's staff open them and answer with a token. */
export async function discussionRoutes(app: FastifyInstance, db: Db, minimumDays: number): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  api.get('/api/budgets/discussions', {
    schema: {
      tags: TAGS, summary: 'Public discussions of budget programmes\' drafts and execution reports, the latest to open first',
      querystring: Type.Object({ budget: Type.Optional(BudgetKey), code: Type.Optional(Type.String({ maxLength: 7, pattern: '^[0-9]{3} [0-9]{3}$' })), open: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: Type.Object({ discussions: Type.Array(DiscussionSchema) }) },
    },
  }, async (request) => {
    const { budget, code, open } = request.query
    const budgetId = budget ? (await findBudget(db, budget)).id : undefined
    return { discussions: (await listDiscussions(db, { budgetId, code, open })).map(discussionJson) }
  })

  api.get('/api/budgets/discussions/:id', {
    schema: {
      tags: TAGS, summary: 'A discussion, its comments that answer no other (hidden ones keep their place, not their text) and the body\'s answer to each',
      params: IdParams,
      response: {
        200: Type.Object({
          discussion: DiscussionSchema,
          comments: Type.Array(Type.Object({
            id: Type.Integer(), authorName: Type.String(), body: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String({ format: 'date-time' }),
            answer: Type.Union([Type.Object({ body: Type.String(), lang: Type.String(), answeredAt: Type.String({ format: 'date-time' }) }), Type.Null()]),
          })),
        }),
      },
    },
  }, async (request) => {
    const discussion = await findDiscussion(db, request.params.id)
    const { comments } = await commentThread(db, DISCUSSION_SUBJECT, String(discussion.id), null)
    const answers = await discussionAnswers(db, discussion.id)
    return {
      discussion: discussionJson(discussion),
      comments: comments.map((c) => {
        const answer = c.hidden ? undefined : answers.get(c.id)
        return {
          id: c.id, authorName: c.authorName, body: c.body, createdAt: c.createdAt.toISOString(),
          answer: answer ? { body: answer.body, lang: answer.lang, answeredAt: answer.answeredAt.toISOString() } : null,
        }
      }),
    }
  })

  api.post('/api/budgets/discussions', {
    schema: {
      tags: TAGS, security: TOKEN,
      summary: 'Put a programme\'s draft or execution report up for discussion (the staff of the body administering it)',
      description: `Titles and texts in kk and ru (en optional). It opens today or later (Kazakhstan's days) and lasts at least ${minimumDays} calendar days from the day after it opens (ASHYQ_DISCUSSION_MIN_DAYS).`,
      body: Type.Object({
        budget: BudgetKey, code: Type.String({ maxLength: 7 }), kind: Type.Enum([...DISCUSSION_KINDS]),
        title: Text, body: Text, opensOn: Type.String({ maxLength: 10 }), closesOn: Type.String({ maxLength: 10 }),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer() }) },
    },
  }, async (request, reply) => {
    if (!request.user) throw new Unauthorized()
    const { budget: key, ...input } = request.body
    const id = await openDiscussion(db, request.user, await findBudget(db, key), input, minimumDays)
    return reply.code(201).send({ id })
  })

  api.put('/api/budgets/discussions/:id/answers/:commentId', {
    schema: {
      tags: TAGS, security: TOKEN,
      summary: 'The body\'s answer to a comment on its discussion (its staff); answering again changes it',
      params: AnswerParams,
      body: Type.Object({ body: Type.String({ maxLength: ANSWER_MAX * 2 }), lang: Type.Enum([...LANGS]) }, { additionalProperties: false }),
      response: { 204: Type.Null() },
    },
  }, async (request, reply) => {
    await answerComment(db, request.user, request.params.id, request.params.commentId, request.body)
    return reply.code(204).send(null)
  })
}

/** Discussions' pages: the list, a discussion with its comments and answers, and a body's form to open one. */
export async function discussionPages(app: FastifyInstance, db: Db, minimumDays: number): Promise<void> {
  await registerPages(app, async (pages) => {
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const home = (request: FastifyRequest) => [{ text: request.t('platform.home'), href: `/${request.lang}/` }, { text: request.t('budgets.title'), href: `/${request.lang}/budgets` }]

    const item = (request: FastifyRequest, d: Discussion, territoryOf: (b: Budget) => string, names: Map<string, MultilingualText>) => {
      const name = names.get(`${d.budget.id}:${d.code}`)
      return {
        href: `/${request.lang}/budgets/discussions/${d.id}`,
        title: localize(d.title, request.lang)?.text ?? '',
        kind: request.t(`budgets.discussions.kinds.${d.kind}`),
        programme: `${d.code} ${name ? nameOf(request.lang, { code: d.code, name }) : ''}`.trim(),
        budget: `${headingOf(request, d.budget)} (${territoryOf(d.budget)})`,
        agency: localize(d.agency.name, request.lang)?.text ?? d.agency.slug,
        period: discussionPeriod(request.lang, d),
        state: request.t(`budgets.discussions.states.${d.state}`),
        counts: request.t('budgets.discussions.counts', { comments: d.comments, answered: d.answered }),
      }
    }

    typed.get('/budgets/discussions', { schema: { hide: true } }, async (request, reply) => {
      const { lang, t } = request
      const all = await listDiscussions(db)
      const territoryOf = await territories(db, lang, t)
      const names = await programmeNames(db, all.map((d) => ({ budgetId: d.budget.id, code: d.code })))
      const groups = (['open', 'upcoming', 'closed'] as const).map((state) => ({
        state, heading: t(`budgets.discussions.groups.${state}`),
        items: all.filter((d) => d.state === state).map((d) => item(request, d, territoryOf, names)),
      }))
      return reply.render('budgets/views/discussions.njk', {
        title: t('budgets.discussions.title'), breadcrumbs: home(request), groups: groups.filter((g) => g.items.length > 0), minimumDays,
      })
    })

    const discussionView = 'budgets/views/discussion.njk'
    const discussionContext = async (request: FastifyRequest, id: number, values: Record<string, string> = {}) => {
      const { lang, t } = request
      const discussion = await findDiscussion(db, id)
      const territoryOf = await territories(db, lang, t)
      const path = `/${lang}/budgets/discussions/${discussion.id}`
      const thread = await commentThread(db, DISCUSSION_SUBJECT, String(discussion.id), request.user?.id ?? null)
      const answers = await discussionAnswers(db, discussion.id)
      return {
        title: localize(discussion.title, lang)?.text ?? '',
        discussion, summary: item(request, discussion, territoryOf, await programmeNames(db, [{ budgetId: discussion.budget.id, code: discussion.code }])),
        programmeHref: queryHref(`/${lang}/budgets/${discussion.budget.key}`, { dimension: 'administrative', code: discussion.code }),
        breadcrumbs: [...home(request), { text: t('budgets.discussions.title'), href: `/${lang}/budgets/discussions` }],
        thread,
        answers: Object.fromEntries([...answers].map(([commentId, a]) => [commentId, { ...a, date: formatDate(lang, a.answeredAt) }])),
        commentOptions: {
          subjectType: DISCUSSION_SUBJECT, subjectId: String(discussion.id), open: discussion.state === 'open', returnTo: path,
          mayModerate: mayModerateComments(request.user, discussion.agency.id), heading: t('budgets.discussions.comments', { count: thread.count }),
        },
        mayAnswer: !!request.user && can(request.user, 'budget.discuss', { agencyId: discussion.agency.id }) && discussion.state !== 'upcoming',
        answerMax: ANSWER_MAX, values,
        agencyName: localize(discussion.agency.name, lang)?.text ?? discussion.agency.slug,
      }
    }

    typed.get('/budgets/discussions/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) =>
      reply.header('cache-control', 'no-store').render(discussionView, await discussionContext(request, request.params.id)))

    typed.post('/budgets/discussions/:id/answers/:commentId', {
      schema: { hide: true, params: AnswerParams, body: Type.Object({ body: Type.String({ maxLength: ANSWER_MAX * 2 }), _csrf: Type.Optional(Type.String()) }) },
    }, async (request, reply) => {
      const { id, commentId } = request.params
      // A refused answer comes back to the page with the reason at its comment, the text kept in the form.
      const context = await discussionContext(request, id, { [`answer-${commentId}`]: request.body.body })
      return handleForm(reply.header('cache-control', 'no-store'), discussionView, context, async () => {
        await answerComment(db, request.user, id, commentId, { body: request.body.body, lang: request.lang })
        return reply.redirect(doneHref(`/${request.lang}/budgets/discussions/${id}`, 'answered', `comment-${commentId}`), 303)
      })
    })

    const formView = 'budgets/views/discussion-form.njk'
    const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 40_000 }))
    const formContext = async (request: FastifyRequest, key: string, values: Record<string, string>) => {
      const { lang, t } = request
      if (!request.user) throw new Unauthorized()
      const budget = await findBudget(db, key)
      // The programmes of the budget the signed-in person's bodies administer (every one for an administrator).
      const programmes: Array<{ value: string; text: string }> = []
      for (const administrator of await budgetChildren(db, budget, 'administrative', '')) {
        const agencyId = administrator.agencySlug ? await agencyIdBySlug(db, administrator.agencySlug) : undefined
        if (agencyId === undefined || !can(request.user, 'budget.discuss', { agencyId })) continue
        for (const p of await budgetChildren(db, budget, 'administrative', administrator.code)) programmes.push({ value: p.code, text: `${p.code} ${nameOf(lang, p)}` })
      }
      if (programmes.length === 0) throw new Forbidden('budget.discuss')
      const today = kazakhstanDay(new Date())
      const filled: Record<string, string> = { kind: 'draft', opensOn: today, closesOn: periodEnd(today, { length: minimumDays, unit: 'days' }), ...values }
      return {
        budget,
        context: {
          title: t('budgets.discussions.new'), caption: headingOf(request, budget), budget, values: filled, minimumDays,
          kinds: DISCUSSION_KINDS.map((k) => ({ value: k, text: t(`budgets.discussions.kinds.${k}`), checked: filled.kind === k })),
          programmes: [{ value: '', text: '—' }, ...programmes.map((p) => ({ ...p, selected: p.value === filled.code }))],
          breadcrumbs: [...home(request), { text: headingOf(request, budget), href: `/${lang}/budgets/${budget.key}` }],
        },
      }
    }

    typed.get('/budgets/:key/discussions/new', { schema: { hide: true, params: Type.Object({ key: BudgetKey }), querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 7 })) }) } }, async (request, reply) => {
      const { context } = await formContext(request, request.params.key, request.query.code ? { code: request.query.code } : {})
      return reply.header('cache-control', 'no-store').render(formView, context)
    })

    typed.post('/budgets/:key/discussions/new', { schema: { hide: true, params: Type.Object({ key: BudgetKey }), body: FormBody } }, async (request, reply) => {
      const body = request.body
      const { budget, context } = await formContext(request, request.params.key, body)
      return handleForm(reply, formView, context, async () => {
        const id = await openDiscussion(db, request.user, budget, {
          code: body.code ?? '', kind: body.kind ?? '',
          title: fromFormFields(body, 'title'), body: fromFormFields(body, 'body'), opensOn: body.opensOn ?? '', closesOn: body.closesOn ?? '',
        }, minimumDays)
        return reply.redirect(`/${request.lang}/budgets/discussions/${id}`, 303)
      })
    })
  })
}

