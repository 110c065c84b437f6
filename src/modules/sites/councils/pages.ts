import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { renderMarkdown } from '../../../platform/html/markdown.ts'
import { NotFound } from '../../../platform/http/errors.ts'
import { Nullable, RecordId, MultilingualSchema as Text, MultilingualInput as TextInput } from '../../../platform/http/validation.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { kazakhstanDay } from '../../../platform/calendar/days.ts'
import { fromFormFields, localize, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { agencyWithRegion } from '../../agencies/service.ts'
import {
  ANSWER_WORKING_DAYS, MEMBER_ROLES, addMeeting, addMember, addRecommendation, answerRecommendation, councilOf, councilRecord, endMembership, keepCouncil, keepMinutes, keepPlan,
  type Council,
} from './service.ts'

const Slug = Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' })
const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 20_000 }), { maxProperties: 30 })
const TAGS = ['Agency sites']
const TOKEN = [{ bearerAuth: [] }]
const Day = Type.String({ format: 'date' })
const CouncilSchema = Type.Object({
  name: Text, about: Text,
  members: Type.Array(Type.Object({ id: Type.Integer(), name: Text, role: Type.Enum([...MEMBER_ROLES]), position: Text, since: Day, until: Nullable(Day) })),
  plans: Type.Array(Type.Object({ year: Type.Integer(), body: Text })),
  meetings: Type.Array(Type.Object({ id: Type.Integer(), heldOn: Day, place: Text, agenda: Text, minutes: Text })),
  recommendations: Type.Array(Type.Object({
    id: Type.Integer(), meetingId: Nullable(Type.Integer()), text: Text, sentOn: Day, answerDue: Day, answer: Nullable(Text), answeredOn: Nullable(Day),
    state: Type.Enum(['awaiting', 'overdue', 'answered', 'answered-late']),
    sendDue: Nullable(Day), sentLate: Type.Boolean({ description: 'sent to the body later than 7 working days after the meeting that adopted it' }),
  })),
})

/** A body's public council: its page and its JSON for anyone, its record kept by the body's staff. */
export async function councilPages(app: FastifyInstance, db: Db): Promise<void> {
  const agencyOf = async (slug: string) => {
    const agency = await agencyWithRegion(db, slug)
    if (!agency) throw new NotFound('agency', slug)
    return agency
  }
  const councilFor = async (agencyId: number, slug: string) => {
    const council = await councilOf(db, agencyId)
    if (!council) throw new NotFound('public-council', slug)
    return council
  }
  const today = () => kazakhstanDay(new Date())
  const json = async (council: Council) => {
    const record = await councilRecord(db, council, today())
    const t = (v: MultilingualText) => v as Record<string, string>
    return {
      name: t(council.name), about: t(council.about),
      members: record.members.map((m) => ({ id: m.id, name: t(m.name), role: m.role, position: t(m.position), since: m.since, until: m.until })),
      plans: record.plans.map((p) => ({ year: p.year, body: t(p.body) })),
      meetings: record.meetings.map((m) => ({ id: m.id, heldOn: m.heldOn, place: t(m.place), agenda: t(m.agenda), minutes: t(m.minutes) })),
      recommendations: record.recommendations.map((r) => ({ ...r, text: t(r.text), answer: r.answer && t(r.answer) })),
    }
  }

  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>()
    const Params = Type.Object({ slug: Slug })
    api.get('/api/agencies/:slug/council', {
      schema: { tags: TAGS, summary: 'A body\'s public council: members, plans, meetings, recommendations with the body\'s answers and their state today', params: Params, response: { 200: CouncilSchema } },
    }, async (request) => {
      const agency = await agencyOf(request.params.slug)
      return json(await councilFor(agency.id, agency.slug))
    })
    api.put('/api/agencies/:slug/council', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Open or rename the body\'s public council (its staff)', params: Params, body: Type.Object({ name: TextInput(300), about: Type.Optional(TextInput(5000)) }, { additionalProperties: false }), response: { 200: CouncilSchema } },
    }, async (request) => json(await keepCouncil(db, request.user, (await agencyOf(request.params.slug)).id, request.body)))
    api.post('/api/agencies/:slug/council/members', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Add a member from a day; a new chair or secretary ends the last one\'s membership the day before', params: Params, body: Type.Object({ name: TextInput(300), role: Type.Enum([...MEMBER_ROLES]), position: Type.Optional(TextInput(300)), since: Day }, { additionalProperties: false }), response: { 204: Type.Null() } },
    }, async (request, reply) => {
      await addMember(db, request.user, (await agencyOf(request.params.slug)).id, request.body)
      return reply.code(204).send(null)
    })
    api.post('/api/agencies/:slug/council/members/:id/end', {
      schema: { tags: TAGS, security: TOKEN, summary: 'End a membership on its last day', params: Type.Object({ slug: Slug, id: RecordId }), body: Type.Object({ until: Day }, { additionalProperties: false }), response: { 204: Type.Null() } },
    }, async (request, reply) => {
      await endMembership(db, request.user, (await agencyOf(request.params.slug)).id, request.params.id, request.body.until)
      return reply.code(204).send(null)
    })
    api.put('/api/agencies/:slug/council/plans/:year', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Keep the council\'s work plan for a year (Markdown)', params: Type.Object({ slug: Slug, year: Type.Integer({ minimum: 2000, maximum: 2100 }) }), body: Type.Object({ plan: TextInput(50_000) }, { additionalProperties: false }), response: { 204: Type.Null() } },
    }, async (request, reply) => {
      await keepPlan(db, request.user, (await agencyOf(request.params.slug)).id, request.params.year, request.body.plan)
      return reply.code(204).send(null)
    })
    api.post('/api/agencies/:slug/council/meetings', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Record a meeting with its agenda (and its minutes once held; Markdown)', params: Params, body: Type.Object({ heldOn: Day, place: Type.Optional(TextInput(300)), agenda: TextInput(20_000), minutes: Type.Optional(TextInput(50_000)) }, { additionalProperties: false }), response: { 201: Type.Object({ id: Type.Integer() }) } },
    }, async (request, reply) => reply.code(201).send({ id: await addMeeting(db, request.user, (await agencyOf(request.params.slug)).id, request.body) }))
    api.put('/api/agencies/:slug/council/meetings/:id/minutes', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Keep a meeting\'s minutes (Markdown)', params: Type.Object({ slug: Slug, id: RecordId }), body: Type.Object({ minutes: TextInput(50_000) }, { additionalProperties: false }), response: { 204: Type.Null() } },
    }, async (request, reply) => {
      await keepMinutes(db, request.user, (await agencyOf(request.params.slug)).id, request.params.id, request.body.minutes)
      return reply.code(204).send(null)
    })
    api.post('/api/agencies/:slug/council/recommendations', {
      schema: {
        tags: TAGS, security: TOKEN, summary: `Record a recommendation to the body from the day it reached it; the answer is due ${ANSWER_WORKING_DAYS} working days after (Law "On public control")`,
        params: Params, body: Type.Object({ meetingId: Type.Optional(Nullable(RecordId)), text: TextInput(20_000), sentOn: Day }, { additionalProperties: false }), response: { 201: Type.Object({ id: Type.Integer() }) },
      },
    }, async (request, reply) => reply.code(201).send({ id: await addRecommendation(db, request.user, (await agencyOf(request.params.slug)).id, request.body) }))
    api.post('/api/agencies/:slug/council/recommendations/:id/answer', {
      schema: { tags: TAGS, security: TOKEN, summary: 'The body\'s reasoned answer to a recommendation (its staff), once', params: Type.Object({ slug: Slug, id: RecordId }), body: Type.Object({ answer: TextInput(20_000), answeredOn: Day }, { additionalProperties: false }), response: { 204: Type.Null() } },
    }, async (request, reply) => {
      await answerRecommendation(db, request.user, (await agencyOf(request.params.slug)).id, request.params.id, request.body)
      return reply.code(204).send(null)
    })
  })

  await registerPages(app, async (pages) => {
    // A recommendation becomes overdue as days pass: the page is made again at least hourly.
    const kept = keptUnder(db, ['sites', 'agencies', 'calendar'], { maxAgeMs: 3600_000 })
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const shown = (request: FastifyRequest, value: MultilingualText | null | undefined) => {
      const found = localize(value, request.lang)
      return found ? { text: found.text, lang: found.fallback ? found.lang : null } : null
    }
    const prose = (request: FastifyRequest, value: MultilingualText | null | undefined) => {
      const found = localize(value, request.lang)
      return found ? { html: renderMarkdown(found.text), lang: found.fallback ? found.lang : null } : null
    }
    const view = async (request: FastifyRequest, council: Council) => {
      const record = await councilRecord(db, council, today())
      return {
        members: record.members.map((m) => ({ id: m.id, name: shown(request, m.name), role: request.t(`sites.councils.roles.${m.role}`), position: shown(request, m.position), since: m.since, until: m.until })),
        plans: record.plans.map((p) => ({ year: p.year, body: prose(request, p.body) })),
        meetings: record.meetings.map((m) => ({
          id: m.id, heldOn: m.heldOn, place: shown(request, m.place), agenda: prose(request, m.agenda), minutes: prose(request, m.minutes),
          recommendations: record.recommendations.filter((r) => r.meetingId === m.id).map((r) => r.id),
        })),
        recommendations: record.recommendations.map((r) => ({
          id: r.id, text: prose(request, r.text), sentOn: r.sentOn, answerDue: r.answerDue, answer: prose(request, r.answer), answeredOn: r.answeredOn, state: r.state,
          stateText: request.t(`sites.councils.states.${r.state}`), meetingId: r.meetingId, sendDue: r.sendDue, sentLate: r.sentLate,
        })),
      }
    }
    const crumbs = (request: FastifyRequest, slug: string, name: string, more: Array<{ text: string; href: string }> = []) => [
      { text: request.t('platform.home'), href: `/${request.lang}/` }, { text: request.t('agencies.list.title'), href: `/${request.lang}/agencies` },
      { text: name, href: `/${request.lang}/agencies/${slug}` }, ...more,
    ]

    typed.get('/agencies/:slug/council', { config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => {
      const { lang, t } = request
      const agency = await agencyOf(request.params.slug)
      const council = await councilFor(agency.id, agency.slug)
      const name = localize(agency.name, lang)?.text ?? agency.slug
      return reply.render('sites/councils/views/council.njk', {
        title: localize(council.name, lang)?.text ?? t('sites.councils.title'), metaDescription: t('sites.councils.lead', { days: ANSWER_WORKING_DAYS }),
        agency: { slug: agency.slug, name }, breadcrumbs: crumbs(request, agency.slug, name), about: prose(request, council.about),
        ...(await view(request, council)), days: ANSWER_WORKING_DAYS,
        mayEdit: can(request.user, 'site.council.edit', { agencyId: agency.id }),
      })
    })

    // The body's staff keep the council's record.
    const editView = 'sites/councils/views/edit.njk'
    const editContext = async (request: FastifyRequest, agency: { id: number; slug: string; title: string }, values: Record<string, string>) => {
      const council = await councilOf(db, agency.id)
      return {
        title: request.t('sites.councils.editTitle'), agency: { slug: agency.slug, name: agency.title }, council: council && { name: shown(request, council.name) },
        breadcrumbs: crumbs(request, agency.slug, agency.title, council ? [{ text: localize(council.name, request.lang)?.text ?? '', href: `/${request.lang}/agencies/${agency.slug}/council` }] : []),
        values: { since: today(), heldOn: today(), sentOn: today(), answeredOn: today(), year: String(new Date().getFullYear()), ...values },
        roles: MEMBER_ROLES.map((r) => ({ value: r, text: request.t(`sites.councils.roles.${r}`), checked: (values.role ?? 'member') === r })),
        ...(council ? await view(request, council) : { members: [], plans: [], meetings: [], recommendations: [] }),
        today: today(),
      }
    }
    const editHref = (request: FastifyRequest, slug: string) => `/${request.lang}/agencies/${slug}/site/council`
    const staffOf = async (request: FastifyRequest, slug: string) => {
      const agency = await agencyOf(slug)
      authorize(request.user, 'site.council.edit', { agencyId: agency.id })
      return { ...agency, title: localize(agency.name, request.lang)?.text ?? agency.slug }
    }
    typed.get('/agencies/:slug/site/council', { schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug)
      return reply.render(editView, await editContext(request, agency, {}))
    })
    // Each form of the page posts to its own address; a wrong one comes back with its errors and values.
    const forms: Record<string, (request: FastifyRequest, agencyId: number, body: Record<string, string>) => Promise<unknown>> = {
      council: (request, id, body) => keepCouncil(db, request.user, id, { name: fromFormFields(body, 'name'), about: fromFormFields(body, 'about') }),
      members: (request, id, body) => addMember(db, request.user, id, { name: fromFormFields(body, 'name'), role: body.role ?? '', position: fromFormFields(body, 'position'), since: body.since ?? '' }),
      plans: (request, id, body) => keepPlan(db, request.user, id, Number(body.year), fromFormFields(body, 'plan')),
      meetings: (request, id, body) => addMeeting(db, request.user, id, { heldOn: body.heldOn ?? '', place: fromFormFields(body, 'place'), agenda: fromFormFields(body, 'agenda'), minutes: fromFormFields(body, 'minutes') }),
      recommendations: (request, id, body) => addRecommendation(db, request.user, id, { meetingId: body.meetingId ? Number(body.meetingId) : null, text: fromFormFields(body, 'text'), sentOn: body.sentOn ?? '' }),
    }
    typed.post('/agencies/:slug/site/council/:form', { schema: { hide: true, params: Type.Object({ slug: Slug, form: Type.Enum(Object.keys(forms)) }), body: FormBody } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug)
      return handleForm(reply, editView, await editContext(request, agency, request.body), async () => {
        await forms[request.params.form]!(request, agency.id, request.body)
        return reply.redirect(editHref(request, agency.slug), 303)
      })
    })
    typed.post('/agencies/:slug/site/council/members/:id/end', { schema: { hide: true, params: Type.Object({ slug: Slug, id: RecordId }), body: FormBody } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug)
      return handleForm(reply, editView, await editContext(request, agency, {}), async () => {
        await endMembership(db, request.user, agency.id, request.params.id, request.body.until ?? '')
        return reply.redirect(editHref(request, agency.slug), 303)
      })
    })
    typed.post('/agencies/:slug/site/council/meetings/:id/minutes', { schema: { hide: true, params: Type.Object({ slug: Slug, id: RecordId }), body: FormBody } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug)
      return handleForm(reply, editView, await editContext(request, agency, request.body), async () => {
        await keepMinutes(db, request.user, agency.id, request.params.id, fromFormFields(request.body, `minutes.${request.params.id}`))
        return reply.redirect(editHref(request, agency.slug), 303)
      })
    })
    typed.post('/agencies/:slug/site/council/recommendations/:id/answer', { schema: { hide: true, params: Type.Object({ slug: Slug, id: RecordId }), body: FormBody } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug)
      return handleForm(reply, editView, await editContext(request, agency, request.body), async () => {
        await answerRecommendation(db, request.user, agency.id, request.params.id, { answer: fromFormFields(request.body, `answer.${request.params.id}`), answeredOn: request.body.answeredOn ?? '' })
        return reply.redirect(editHref(request, agency.slug), 303)
      })
    })
  })
}
