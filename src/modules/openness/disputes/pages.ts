import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { NotFound } from '../../../platform/http/errors.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { Nullable, RecordId } from '../../../platform/http/validation.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { formatNumber, type Lang } from '../../../platform/i18n/index.ts'
import { localize } from '../../../platform/i18n/multilingual.ts'
import { agencyNames, agencyWithRegion } from '../../agencies/service.ts'
import { disputeActions } from './actions.ts'
import { DISPUTE_STATUSES, REVIEW_WORKING_DAYS } from './states.ts'
import { decideDispute, disputable, findDispute, listDisputes, submitDispute, type Dispute } from './service.ts'

const TAGS = ['Openness']
const TOKEN = [{ bearerAuth: [] }]
const Slug = Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' })
const Count = Type.Object({ numerator: Type.Integer({ minimum: 0 }), denominator: Type.Integer({ minimum: 0 }) })
const DisputeSchema = Type.Object({
  id: Type.Integer(), status: Type.Enum([...DISPUTE_STATUSES]), agency: Type.String(), indicator: Type.String(),
  snapshot: Type.Object({ day: Type.String({ format: 'date' }), methodology: Type.Integer() }),
  reason: Type.String(), evidence: Type.String(), claimed: Nullable(Count), submittedAt: Type.String({ format: 'date-time' }),
  decidedAt: Nullable(Type.String({ format: 'date-time' })), decision: Nullable(Type.String()), measured: Nullable(Count), corrected: Nullable(Count),
  scoreBefore: Nullable(Type.Number()), scoreAfter: Nullable(Type.Number()),
})
const Text = Type.String({ maxLength: 4000 })

/** The review window's pages and API: every dispute in public, a body's staff disputing an indicator, the commission deciding. */
export async function disputePages(app: FastifyInstance, db: Db): Promise<void> {
  const slugs = async () => new Map((await agencyNames(db, 'ru')).map((a) => [a.id, a]))
  const json = (d: Dispute, names: Awaited<ReturnType<typeof slugs>>) => ({
    id: d.id, status: d.status, agency: names.get(d.agencyId)?.slug ?? '', indicator: d.indicator, snapshot: { day: d.snapshot.day, methodology: d.snapshot.version },
    reason: d.reason, evidence: d.evidence, claimed: d.claimed, submittedAt: d.submittedAt.toISOString(), decidedAt: d.decidedAt?.toISOString() ?? null,
    decision: d.decision, measured: d.measured, corrected: d.corrected, scoreBefore: d.scoreBefore, scoreAfter: d.scoreAfter,
  })

  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>()
    api.get('/api/openness/disputes', {
      schema: { tags: TAGS, summary: 'Every dispute of the index\'s review window and its decision, the latest first', querystring: Type.Object({ agency: Type.Optional(Slug), status: Type.Optional(Type.Enum([...DISPUTE_STATUSES])) }, { additionalProperties: false }), response: { 200: Type.Object({ disputes: Type.Array(DisputeSchema) }) } },
    }, async (request) => {
      const agencyId = request.query.agency ? (await agencyWithRegion(db, request.query.agency))?.id : undefined
      if (request.query.agency && agencyId === undefined) throw new NotFound('agency', request.query.agency)
      const names = await slugs()
      return { disputes: (await listDisputes(db, { ...(agencyId ? { agencyId } : {}), ...(request.query.status ? { status: request.query.status } : {}) })).map((d) => json(d, names)) }
    })
    api.get('/api/openness/disputes/:id', {
      schema: { tags: TAGS, summary: 'A dispute and its decision', params: Type.Object({ id: RecordId }), response: { 200: DisputeSchema } },
    }, async (request) => json(await findDispute(db, request.params.id), await slugs()))
    api.post('/api/openness/agencies/:slug/disputes', {
      schema: {
        tags: TAGS, security: TOKEN, summary: `Dispute an indicator of the month's snapshot (a body's staff, within ${REVIEW_WORKING_DAYS} working days of it), with a reason and evidence`,
        params: Type.Object({ slug: Slug }),
        body: Type.Object({ indicator: Type.String({ maxLength: 60 }), reason: Text, evidence: Text, claimed: Type.Optional(Count) }, { additionalProperties: false }),
        response: { 201: DisputeSchema },
      },
    }, async (request, reply) => {
      const { claimed, ...rest } = request.body
      const dispute = await submitDispute(db, request.user, request.params.slug, { ...rest, claimedNumerator: claimed?.numerator ?? null, claimedDenominator: claimed?.denominator ?? null }, siteOrigin(request))
      return reply.code(201).send(json(dispute, await slugs()))
    })
    api.post('/api/openness/disputes/:id/accept', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Accept a dispute with the corrected count (the commission): the score is made again', params: Type.Object({ id: RecordId }), body: Type.Object({ decision: Text, numerator: Type.Integer({ minimum: 0 }), denominator: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }), response: { 200: DisputeSchema } },
    }, async (request) => json(await decideDispute(db, request.user, request.params.id, 'accept', request.body, siteOrigin(request)), await slugs()))
    api.post('/api/openness/disputes/:id/reject', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Reject a dispute with a reason (the commission)', params: Type.Object({ id: RecordId }), body: Type.Object({ decision: Text }, { additionalProperties: false }), response: { 200: DisputeSchema } },
    }, async (request) => json(await decideDispute(db, request.user, request.params.id, 'reject', request.body, siteOrigin(request)), await slugs()))
  })

  await registerPages(app, async (pages) => {
    const kept = keptUnder(db, ['openness', 'agencies'])
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const countText = (request: FastifyRequest, c: { numerator: number; denominator: number } | null) => (c ? request.t('openness.basis', { numerator: c.numerator, denominator: c.denominator }) : null)
    const row = (request: FastifyRequest, d: Dispute, names: Map<number, { slug: string; name: Parameters<typeof localize>[0] }>) => {
      const lang: Lang = request.lang
      const agency = names.get(d.agencyId)
      return {
        id: d.id, href: `/${lang}/openness/disputes/${d.id}`, status: d.status, statusText: request.t(`openness.disputes.states.${d.status}`),
        agency: { name: localize(agency?.name ?? null, lang)?.text ?? agency?.slug ?? '', href: `/${lang}/openness/agencies/${agency?.slug ?? ''}` },
        indicator: request.t(`openness.indicators.${d.indicator}`), snapshotDay: d.snapshot.day, submittedAt: d.submittedAt, decidedAt: d.decidedAt,
        reason: d.reason, evidence: d.evidence, decision: d.decision, claimed: countText(request, d.claimed), measured: countText(request, d.measured), corrected: countText(request, d.corrected),
        scoreBefore: d.scoreBefore === null ? null : formatNumber(lang, d.scoreBefore), scoreAfter: d.scoreAfter === null ? null : formatNumber(lang, d.scoreAfter),
      }
    }
    const crumbs = (request: FastifyRequest) => [{ text: request.t('platform.home'), href: `/${request.lang}/` }, { text: request.t('openness.title'), href: `/${request.lang}/openness` }]

    typed.get('/openness/disputes', {
      config: { pageCache: kept },
      schema: { hide: true, querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Enum([...DISPUTE_STATUSES]), Type.Literal('')])) }, { additionalProperties: false }) },
    }, async (request, reply) => {
      const { t, lang } = request
      const names = new Map((await agencyNames(db, lang)).map((a) => [a.id, a]))
      const disputes = await listDisputes(db, request.query.status ? { status: request.query.status } : {})
      return reply.render('openness/disputes/views/list.njk', {
        title: t('openness.disputes.title'), metaDescription: t('openness.disputes.lead', { days: REVIEW_WORKING_DAYS }), breadcrumbs: crumbs(request),
        statuses: [{ value: '', text: t('openness.disputes.anyStatus') }, ...DISPUTE_STATUSES.map((s) => ({ value: s, text: t(`openness.disputes.states.${s}`), selected: s === request.query.status }))],
        rows: disputes.map((d) => row(request, d, names)), days: REVIEW_WORKING_DAYS,
      })
    })

    const disputeView = 'openness/disputes/views/dispute.njk'
    const disputeContext = async (request: FastifyRequest, id: number, values: Record<string, string>) => {
      const dispute = await findDispute(db, id)
      const names = new Map((await agencyNames(db, request.lang)).map((a) => [a.id, a]))
      return {
        title: request.t('openness.disputes.one', { number: dispute.id }), breadcrumbs: [...crumbs(request), { text: request.t('openness.disputes.title'), href: `/${request.lang}/openness/disputes` }],
        dispute: row(request, dispute, names), actions: disputeActions.available(request.user, dispute), values,
      }
    }
    typed.get('/openness/disputes/:id', {
      config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ id: RecordId }) },
    }, async (request, reply) => reply.render(disputeView, await disputeContext(request, request.params.id, {})))
    for (const action of ['accept', 'reject'] as const) {
      typed.post(`/openness/disputes/:id/${action}`, {
        schema: { hide: true, params: Type.Object({ id: RecordId }), body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 4000 }), { maxProperties: 8 }) },
      }, async (request, reply) => {
        const body = request.body
        return handleForm(reply, disputeView, await disputeContext(request, request.params.id, body), async () => {
          await decideDispute(db, request.user, request.params.id, action, { decision: body.decision ?? '', numerator: whole(body.numerator), denominator: whole(body.denominator) }, siteOrigin(request))
          return reply.redirect(`/${request.lang}/openness/disputes/${request.params.id}`, 303)
        })
      })
    }

    const formView = 'openness/disputes/views/form.njk'
    const formContext = async (request: FastifyRequest, slug: string, values: Record<string, string>) => {
      const agency = await agencyWithRegion(db, slug)
      if (!agency) throw new NotFound('agency', slug)
      // Only its staff may dispute a body's score: anyone else is refused the form as its sending would be.
      authorize(request.user, 'openness.dispute.submit', { agencyId: agency.id })
      const { window, indicators } = await disputable(db, agency.id)
      const name = localize(agency.name, request.lang)?.text ?? slug
      return {
        title: request.t('openness.disputes.formTitle'), agency: { slug, name }, window, values, days: REVIEW_WORKING_DAYS,
        breadcrumbs: [...crumbs(request), { text: name, href: `/${request.lang}/openness/agencies/${slug}` }],
        indicators: [{ value: '', text: '' }, ...indicators.map((code) => ({ value: code, text: request.t(`openness.indicators.${code}`), selected: code === values.indicator }))],
      }
    }
    typed.get('/openness/agencies/:slug/dispute', { schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => reply.render(formView, await formContext(request, request.params.slug, {})))
    typed.post('/openness/agencies/:slug/dispute', {
      schema: { hide: true, params: Type.Object({ slug: Slug }), body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 4000 }), { maxProperties: 8 }) },
    }, async (request, reply) => {
      const body = request.body
      return handleForm(reply, formView, await formContext(request, request.params.slug, body), async () => {
        const dispute = await submitDispute(db, request.user, request.params.slug, {
          indicator: body.indicator ?? '', reason: body.reason ?? '', evidence: body.evidence ?? '', claimedNumerator: whole(body.claimedNumerator), claimedDenominator: whole(body.claimedDenominator),
        }, siteOrigin(request))
        return reply.redirect(`/${request.lang}/openness/disputes/${dispute.id}`, 303)
      })
    })
  })
}

/** A whole number typed in a form; blank is none, anything else not a whole number is NaN (refused by the service, naming the field). */
function whole(text: string | undefined): number | null {
  const trimmed = text?.trim() ?? ''
  return trimmed === '' ? null : /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN
}
