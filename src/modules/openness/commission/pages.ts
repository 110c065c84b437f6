import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { MultilingualInput, MultilingualSchema, Nullable, RecordId } from '../../../platform/http/validation.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { formatDate, formatNumber } from '../../../platform/i18n/index.ts'
import { fromFormFields, localize, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { kazakhstanDay } from '../../../platform/calendar/days.ts'
import { agencyNames } from '../../agencies/service.ts'
import { meetingActions, recommendationActions } from './actions.ts'
import { MEMBER_POSITIONS, MEETING_STATUSES, PROPOSED_HEARINGS, RECOMMENDATION_STATES, type RecommendationState } from './states.ts'
import {
  addMember, endMembership, findMeeting, findRecommendation, holdMeeting, listMeetings, listMembers, listRecommendations, planMeeting, proposedHearings, recommend, reportOnRecommendation,
  type Meeting, type Member, type Recommendation,
} from './service.ts'

const TAGS = ['Openness']
const TOKEN = [{ bearerAuth: [] }]
const Day = Type.String({ format: 'date' })
const Slug = Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' })
const MemberSchema = Type.Object({ id: Type.Integer(), name: MultilingualSchema, affiliation: MultilingualSchema, position: Type.Enum([...MEMBER_POSITIONS]), startedOn: Type.String(), endedOn: Nullable(Type.String()) })
const MeetingSchema = Type.Object({
  id: Type.Integer(), heldOn: Type.String(), place: Type.String(), status: Type.Enum([...MEETING_STATUSES]), minutes: MultilingualSchema,
  agenda: Type.Array(Type.Object({ agency: Nullable(Type.String()), score: Nullable(Type.Number()), title: MultilingualSchema })),
})
const RecommendationSchema = Type.Object({
  id: Type.Integer(), meeting: Type.Integer(), agency: Type.String(), text: MultilingualSchema, dueOn: Type.String(), state: Type.Enum(Object.keys(RECOMMENDATION_STATES) as RecommendationState[]),
  report: Nullable(MultilingualSchema), reportedOn: Nullable(Type.String()),
})
const FormBody = Type.Record(Type.String({ maxLength: 80 }), Type.Union([Type.String({ maxLength: 8000 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 1000 })]), { maxProperties: 1100 })
type FormFields = Record<string, string | string[]>
const field = (body: FormFields, name: string) => { const v = body[name]; return Array.isArray(v) ? v[0] ?? '' : v ?? '' }
const texts = (body: FormFields, name: string) => fromFormFields(Object.fromEntries(Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])), name)
const stringsOf = (body: FormFields) => Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>

/** The Commission's record in public (members, meetings, recommendations and the bodies' reports), and the forms that keep it. */
export async function commissionPages(app: FastifyInstance, db: Db): Promise<void> {
  const slugs = async () => new Map((await agencyNames(db, 'ru')).map((a) => [a.id, a.slug]))
  const memberJson = (m: Member) => ({ ...m, name: m.name as Record<string, string>, affiliation: m.affiliation as Record<string, string> })
  const meetingJson = (m: Meeting, names: Map<number, string>) => ({
    id: m.id, heldOn: m.heldOn, place: m.place, status: m.status, minutes: m.minutes as Record<string, string>,
    agenda: m.agenda.map((i) => ({ agency: i.agencyId === null ? null : names.get(i.agencyId) ?? null, score: i.score, title: i.title as Record<string, string> })),
  })
  const recommendationJson = (r: Recommendation, names: Map<number, string>) => ({
    id: r.id, meeting: r.meetingId, agency: names.get(r.agencyId) ?? '', text: r.text as Record<string, string>, dueOn: r.dueOn, state: r.state,
    report: r.report as Record<string, string> | null, reportedOn: r.reportedOn,
  })

  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>()
    api.get('/api/openness/commission', {
      schema: { tags: TAGS, summary: 'The Commission on access to information: its members, meetings with their agenda and minutes, and recommendations to bodies with their reports', response: { 200: Type.Object({ members: Type.Array(MemberSchema), formerMembers: Type.Array(MemberSchema), meetings: Type.Array(MeetingSchema), recommendations: Type.Array(RecommendationSchema) }) } },
    }, async () => {
      const names = await slugs()
      const members = await listMembers(db)
      return {
        members: members.current.map(memberJson), formerMembers: members.former.map(memberJson),
        meetings: (await listMeetings(db)).map((m) => meetingJson(m, names)), recommendations: (await listRecommendations(db)).map((r) => recommendationJson(r, names)),
      }
    })
    api.post('/api/openness/commission/members', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Record a member of the Commission (the commission)', body: Type.Object({ name: MultilingualInput(300), affiliation: MultilingualInput(300), position: Type.Enum([...MEMBER_POSITIONS]), startedOn: Day }, { additionalProperties: false }), response: { 201: Type.Object({ id: Type.Integer() }) } },
    }, async (request, reply) => reply.code(201).send({ id: await addMember(db, request.user, request.body) }))
    api.post('/api/openness/commission/members/:id/end', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Record a member\'s last day (the commission)', params: Type.Object({ id: RecordId }), body: Type.Object({ endedOn: Day }, { additionalProperties: false }), response: { 204: Type.Null() } },
    }, async (request, reply) => { await endMembership(db, request.user, request.params.id, request.body.endedOn); return reply.code(204).send(null) })
    api.post('/api/openness/commission/meetings', {
      schema: {
        tags: TAGS, security: TOKEN, summary: `Plan a meeting (the commission): the bodies heard (GET /api/openness/commission/proposed gives the ${PROPOSED_HEARINGS * 2} lowest scorers) and other questions`,
        body: Type.Object({ heldOn: Day, place: Type.String({ maxLength: 300 }), hearings: Type.Array(Slug, { maxItems: 100 }), questions: Type.Optional(Type.Array(MultilingualInput(1000), { maxItems: 20 })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.Integer() }) },
      },
    }, async (request, reply) => reply.code(201).send({ id: await planMeeting(db, request.user, request.body) }))
    api.get('/api/openness/commission/proposed', {
      schema: { tags: TAGS, summary: 'The bodies a new meeting proposes to hear: the lowest scorers of the month\'s snapshot, the lowest first', response: { 200: Type.Object({ proposed: Type.Array(Type.Object({ agency: Type.String(), score: Type.Number() })) }) } },
    }, async () => {
      const names = await slugs()
      return { proposed: (await proposedHearings(db)).map((p) => ({ agency: names.get(p.agencyId) ?? '', score: p.score })) }
    })
    api.post('/api/openness/commission/meetings/:id/minutes', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Record a meeting held, with its minutes (the commission)', params: Type.Object({ id: RecordId }), body: Type.Object({ minutes: MultilingualInput(8000) }, { additionalProperties: false }), response: { 204: Type.Null() } },
    }, async (request, reply) => { await holdMeeting(db, request.user, request.params.id, request.body); return reply.code(204).send(null) })
    api.post('/api/openness/commission/meetings/:id/recommendations', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Record a recommendation of a held meeting to a body, with the day it reports by (the commission)', params: Type.Object({ id: RecordId }), body: Type.Object({ agency: Slug, text: MultilingualInput(8000), dueOn: Day }, { additionalProperties: false }), response: { 201: Type.Object({ id: Type.Integer() }) } },
    }, async (request, reply) => reply.code(201).send({ id: await recommend(db, request.user, request.params.id, request.body, siteOrigin(request)) }))
    api.post('/api/openness/commission/recommendations/:id/report', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Report on a recommendation to the body (its staff)', params: Type.Object({ id: RecordId }), body: Type.Object({ report: MultilingualInput(8000) }, { additionalProperties: false }), response: { 204: Type.Null() } },
    }, async (request, reply) => { await reportOnRecommendation(db, request.user, request.params.id, request.body, siteOrigin(request)); return reply.code(204).send(null) })
  })

  await registerPages(app, async (pages) => {
    const kept = keptUnder(db, ['openness', 'agencies'])
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const crumbs = (request: FastifyRequest) => [{ text: request.t('platform.home'), href: `/${request.lang}/` }, { text: request.t('openness.title'), href: `/${request.lang}/openness` }]
    const commissionCrumbs = (request: FastifyRequest) => [...crumbs(request), { text: request.t('openness.commission.title'), href: `/${request.lang}/openness/commission` }]
    const namesIn = async (request: FastifyRequest) => new Map((await agencyNames(db, request.lang)).map((a) => [a.id, { slug: a.slug, name: localize(a.name, request.lang)?.text ?? a.slug }]))
    const shown = (request: FastifyRequest, text: MultilingualText | null) => localize(text, request.lang) ?? null
    const recommendationRow = (request: FastifyRequest, r: Recommendation, names: Map<number, { slug: string; name: string }>) => ({
      id: r.id, href: `/${request.lang}/openness/commission/recommendations/${r.id}`, agency: names.get(r.agencyId), text: shown(request, r.text), dueOn: r.dueOn,
      state: r.state, stateText: request.t(`openness.commission.recommendationStates.${r.state}`), reportedOn: r.reportedOn, report: shown(request, r.report),
      meeting: { href: `/${request.lang}/openness/commission/meetings/${r.meetingId}`, day: r.meetingDay },
    })
    const meetingRow = (request: FastifyRequest, m: Meeting, names: Map<number, { slug: string; name: string }>) => ({
      id: m.id, href: `/${request.lang}/openness/commission/meetings/${m.id}`, heldOn: m.heldOn, place: m.place, status: m.status,
      statusText: request.t(`openness.commission.meetingStates.${m.status}`), minutes: shown(request, m.minutes),
      agenda: m.agenda.map((i) => i.agencyId !== null
        ? { agency: names.get(i.agencyId), score: i.score === null ? null : formatNumber(request.lang, i.score) }
        : { title: shown(request, i.title) }),
    })

    const manageView = 'openness/commission/views/manage.njk'
    const commissionContext = async (request: FastifyRequest, values: FormFields) => {
      const names = await namesIn(request)
      const members = await listMembers(db)
      const member = (m: Member) => ({ id: m.id, name: shown(request, m.name), affiliation: shown(request, m.affiliation), position: request.t(`openness.commission.positions.${m.position}`), startedOn: m.startedOn, endedOn: m.endedOn })
      const chosen = new Set(Array.isArray(values.hearings) ? values.hearings : values.hearings ? [values.hearings] : [])
      const mayManage = can(request.user, 'openness.commission.manage')
      // Only the form to plan a meeting shows the proposed hearings: the public page reads no scores for them.
      const proposed = mayManage ? await proposedHearings(db) : []
      return {
        title: request.t('openness.commission.title'), breadcrumbs: crumbs(request),
        members: members.current.map(member), former: members.former.map(member),
        meetings: (await listMeetings(db)).map((m) => meetingRow(request, m, names)),
        recommendations: (await listRecommendations(db)).map((r) => recommendationRow(request, r, names)),
        mayManage, values: stringsOf(values), today: kazakhstanDay(new Date()),
        positions: MEMBER_POSITIONS.map((p) => ({ value: p, text: request.t(`openness.commission.positions.${p}`), selected: p === (values.position ?? 'member') })),
        // The lowest scorers, the five lowest checked unless the commission chose otherwise.
        proposed: proposed.map((p, i) => ({ value: names.get(p.agencyId)?.slug ?? '', text: `${names.get(p.agencyId)?.name ?? ''} (${formatNumber(request.lang, p.score)})`, checked: chosen.size > 0 ? chosen.has(names.get(p.agencyId)?.slug ?? '') : i < PROPOSED_HEARINGS })),
      }
    }
    typed.get('/openness/commission', { config: { pageCache: kept }, schema: { hide: true } }, async (request, reply) => reply.render('openness/commission/views/commission.njk', await commissionContext(request, {})))
    typed.get('/openness/commission/manage', { schema: { hide: true } }, async (request, reply) => {
      authorize(request.user, 'openness.commission.manage')
      return reply.render(manageView, await commissionContext(request, {}))
    })
    const manageForm = (url: string, command: (request: FastifyRequest, body: FormFields) => Promise<string>) =>
      typed.post(url, { schema: { hide: true, params: Type.Object({ id: Type.Optional(RecordId) }), body: FormBody } }, async (request, reply) => {
        const body = request.body as FormFields
        return handleForm(reply, manageView, await commissionContext(request, body), async () => reply.redirect(await command(request, body), 303))
      })
    manageForm('/openness/commission/members', async (request, body) => {
      await addMember(db, request.user, { name: texts(body, 'name'), affiliation: texts(body, 'affiliation'), position: field(body, 'position'), startedOn: field(body, 'startedOn') })
      return `/${request.lang}/openness/commission/manage`
    })
    manageForm('/openness/commission/members/:id/end', async (request, body) => {
      await endMembership(db, request.user, (request.params as { id: number }).id, field(body, 'endedOn'))
      return `/${request.lang}/openness/commission/manage`
    })
    manageForm('/openness/commission/meetings', async (request, body) => {
      const hearings = Array.isArray(body.hearings) ? body.hearings : body.hearings ? [body.hearings] : []
      const question = texts(body, 'question')
      const id = await planMeeting(db, request.user, { heldOn: field(body, 'heldOn'), place: field(body, 'place'), hearings, questions: [question] })
      return `/${request.lang}/openness/commission/meetings/${id}`
    })

    const meetingView = 'openness/commission/views/meeting.njk'
    const meetingContext = async (request: FastifyRequest, id: number, values: FormFields) => {
      const meeting = await findMeeting(db, id)
      const names = await namesIn(request)
      return {
        title: request.t('openness.commission.meeting', { date: formatDate(request.lang, meeting.heldOn) }), breadcrumbs: commissionCrumbs(request),
        meeting: meetingRow(request, meeting, names), recommendations: (await listRecommendations(db, { meetingId: id })).map((r) => recommendationRow(request, r, names)),
        actions: meetingActions.available(request.user, { status: meeting.status, agencyId: null }), values: stringsOf(values),
        agencies: [{ value: '', text: '' }, ...[...names.values()].map((a) => ({ value: a.slug, text: a.name, selected: a.slug === values.agency }))],
      }
    }
    typed.get('/openness/commission/meetings/:id', { config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ id: RecordId }) } },
      async (request, reply) => reply.render(meetingView, await meetingContext(request, request.params.id, {})))
    for (const [action, run] of [
      ['minutes', (request: FastifyRequest, id: number, body: FormFields) => holdMeeting(db, request.user, id, { minutes: texts(body, 'minutes') })],
      ['recommendations', (request: FastifyRequest, id: number, body: FormFields) => recommend(db, request.user, id, { agency: field(body, 'agency'), text: texts(body, 'text'), dueOn: field(body, 'dueOn') }, siteOrigin(request))],
    ] as const) {
      typed.post(`/openness/commission/meetings/:id/${action}`, { schema: { hide: true, params: Type.Object({ id: RecordId }), body: FormBody } }, async (request, reply) => {
        const body = request.body as FormFields
        return handleForm(reply, meetingView, await meetingContext(request, request.params.id, body), async () => {
          await run(request, request.params.id, body)
          return reply.redirect(`/${request.lang}/openness/commission/meetings/${request.params.id}`, 303)
        })
      })
    }

    const recommendationView = 'openness/commission/views/recommendation.njk'
    const recommendationContext = async (request: FastifyRequest, id: number, values: FormFields) => {
      const recommendation = await findRecommendation(db, id)
      return {
        title: request.t('openness.commission.recommendation', { number: id }), breadcrumbs: commissionCrumbs(request),
        r: recommendationRow(request, recommendation, await namesIn(request)), actions: recommendationActions.available(request.user, recommendation), values: stringsOf(values),
      }
    }
    typed.get('/openness/commission/recommendations/:id', { config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ id: RecordId }) } },
      async (request, reply) => reply.render(recommendationView, await recommendationContext(request, request.params.id, {})))
    typed.post('/openness/commission/recommendations/:id/report', { schema: { hide: true, params: Type.Object({ id: RecordId }), body: FormBody } }, async (request, reply) => {
      const body = request.body as FormFields
      return handleForm(reply, recommendationView, await recommendationContext(request, request.params.id, body), async () => {
        await reportOnRecommendation(db, request.user, request.params.id, { report: texts(body, 'report') }, siteOrigin(request))
        return reply.redirect(`/${request.lang}/openness/commission/recommendations/${request.params.id}`, 303)
      })
    })
  })
}
