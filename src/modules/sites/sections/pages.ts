import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { settingsOf } from '../../../platform/html/accessibility.ts'
import { CHART_FONT_SIZES } from '../../../platform/charts/draw.ts'
import { mapSvgs } from '../../../platform/maps/kazakhstan.ts'
import { NotFound } from '../../../platform/http/errors.ts'
import { Nullable, RecordId, MultilingualSchema as Text, MultilingualInput as TextInput } from '../../../platform/http/validation.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { kazakhstanDay } from '../../../platform/calendar/days.ts'
import { fromFormFields, localize, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { agencyWithRegion, showAgency } from '../../agencies/service.ts'
import { appointLeader, endPosition, leadershipOf, LEADER_ROLES, type Leader } from '../../agencies/leadership.ts'
import { addOffice, officesOf, removeOffice, replaceOffices, type Office } from './offices.ts'

const Slug = Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' })
const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 2000 }), { maxProperties: 30 })
const TAGS = ['Agency sites']
const TOKEN = [{ bearerAuth: [] }]
const LeaderSchema = Type.Object({
  id: Type.Integer(), role: Type.Enum([...LEADER_ROLES]), rank: Type.Integer(), name: Text, title: Text,
  since: Nullable(Type.String({ format: 'date' })), until: Nullable(Type.String({ format: 'date' })),
})
const OfficeSchema = Type.Object({
  name: Text, address: Text, lon: Nullable(Type.Number()), lat: Nullable(Type.Number()), phone: Nullable(Type.String()), email: Nullable(Type.String()), hours: Text,
})
const OfficeInputSchema = Type.Object({
  name: TextInput(300), address: TextInput(500), lon: Type.Optional(Nullable(Type.Number())), lat: Type.Optional(Nullable(Type.Number())),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 60 }))), email: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), hours: Type.Optional(TextInput(500)),
}, { additionalProperties: false })

const leaderJson = (l: Leader) => ({ id: l.positionId, role: l.role, rank: l.rank, name: l.name as Record<string, string>, title: l.title as Record<string, string>, since: l.since, until: l.until })
const officeJson = (o: Office) => ({ name: o.name as Record<string, string>, address: o.address as Record<string, string>, lon: o.lon, lat: o.lat, phone: o.phone, email: o.email, hours: o.hours as Record<string, string> })

/** A body's leadership and contacts: public pages and their JSON, and their keeping by the body's staff. */
export async function sectionPages(app: FastifyInstance, db: Db): Promise<void> {
  const agencyOf = async (slug: string) => {
    const agency = await agencyWithRegion(db, slug)
    if (!agency) throw new NotFound('agency', slug)
    return agency
  }

  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>()
    api.get('/api/agencies/:slug/leadership', {
      schema: { tags: TAGS, summary: 'A body\'s leadership now and before it: the head, deputies by rank, the executive secretary, each with their days', params: Type.Object({ slug: Slug }), response: { 200: Type.Object({ current: Type.Array(LeaderSchema), past: Type.Array(LeaderSchema) }) } },
    }, async (request) => {
      const { current, past } = await leadershipOf(db, (await agencyOf(request.params.slug)).id)
      return { current: current.map(leaderJson), past: past.map(leaderJson) }
    })
    api.post('/api/agencies/:slug/leadership', {
      schema: {
        tags: TAGS, security: TOKEN, summary: 'Appoint a person to the body\'s leadership from a day (its staff); a new head or executive secretary ends the one before the day before',
        params: Type.Object({ slug: Slug }),
        body: Type.Object({ role: Type.Enum([...LEADER_ROLES]), name: TextInput(300), title: TextInput(300), rank: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })), since: Type.String({ format: 'date' }) }, { additionalProperties: false }),
        response: { 201: LeaderSchema },
      },
    }, async (request, reply) => reply.code(201).send(leaderJson(await appointLeader(db, request.user, (await agencyOf(request.params.slug)).id, request.body))))
    api.post('/api/agencies/:slug/leadership/:id/end', {
      schema: {
        tags: TAGS, security: TOKEN, summary: 'End a position on its last day (the body\'s staff)', params: Type.Object({ slug: Slug, id: RecordId }),
        body: Type.Object({ until: Type.String({ format: 'date' }) }, { additionalProperties: false }), response: { 204: Type.Null() },
      },
    }, async (request, reply) => {
      await endPosition(db, request.user, (await agencyOf(request.params.slug)).id, request.params.id, request.body.until)
      return reply.code(204).send(null)
    })
    api.get('/api/agencies/:slug/offices', {
      schema: { tags: TAGS, summary: 'A body\'s offices and receptions, with their places, phones and hours', params: Type.Object({ slug: Slug }), response: { 200: Type.Object({ offices: Type.Array(OfficeSchema) }) } },
    }, async (request) => ({ offices: (await officesOf(db, (await agencyOf(request.params.slug)).id)).map(officeJson) }))
    api.put('/api/agencies/:slug/offices', {
      schema: {
        tags: TAGS, security: TOKEN, summary: 'Replace a body\'s offices with these, in this order (its staff): all or none', params: Type.Object({ slug: Slug }),
        body: Type.Object({ offices: Type.Array(OfficeInputSchema, { maxItems: 100 }) }, { additionalProperties: false }), response: { 200: Type.Object({ offices: Type.Array(OfficeSchema) }) },
      },
    }, async (request) => ({ offices: (await replaceOffices(db, request.user, (await agencyOf(request.params.slug)).id, request.body.offices)).map(officeJson) }))
  })

  await registerPages(app, async (pages) => {
    const kept = keptUnder(db, ['agencies', 'sites'])
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const shown = (request: FastifyRequest, value: MultilingualText | null | undefined) => {
      const found = localize(value, request.lang)
      return found ? { text: found.text, lang: found.fallback ? found.lang : null } : null
    }
    const leaderView = (request: FastifyRequest, l: Leader) => ({ id: l.positionId, name: shown(request, l.name), title: shown(request, l.title), since: l.since, until: l.until, role: l.role })
    const crumbs = (request: FastifyRequest, agency: { slug: string }, name: string, more: Array<{ text: string; href: string }> = []) => [
      { text: request.t('platform.home'), href: `/${request.lang}/` }, { text: request.t('agencies.list.title'), href: `/${request.lang}/agencies` },
      { text: name, href: `/${request.lang}/agencies/${agency.slug}` }, ...more,
    ]

    typed.get('/agencies/:slug/leadership', { config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => {
      const { lang, t } = request
      const agency = await agencyOf(request.params.slug)
      const name = localize(agency.name, lang)?.text ?? agency.slug
      const { current, past } = await leadershipOf(db, agency.id)
      return reply.render('sites/sections/views/leadership.njk', {
        title: t('sites.leadership.title'), metaDescription: t('sites.leadership.about', { agency: name }), agency: { slug: agency.slug, name },
        breadcrumbs: crumbs(request, agency, name), current: current.map((l) => leaderView(request, l)), past: past.map((l) => leaderView(request, l)),
        mayEdit: can(request.user, 'agency.leadership.edit', { agencyId: agency.id }),
      })
    })

    typed.get('/agencies/:slug/contacts', { config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => {
      const { lang, t } = request
      const agency = await showAgency(db, request.params.slug, lang)
      const name = localize(agency.name, lang)?.text ?? agency.slug
      const offices = await officesOf(db, agency.id)
      const placed = offices.filter((o) => o.lon !== null && o.lat !== null)
      const settings = settingsOf(request)
      const drawings = placed.length > 0
        ? await mapSvgs(`offices-${agency.id}`, { points: placed.map((o) => ({ lon: o.lon!, lat: o.lat!, label: localize(o.name, lang)?.text ?? '' })), shapes: [] },
          { contrast: settings.contrast, fontSize: CHART_FONT_SIZES[settings.size], lang, km: t('platform.maps.km') }, { narrow: { width: 360, height: 240 }, wide: { width: 620, height: 360 } })
        : null
      const numbers = new Map(placed.map((o, i) => [o.id, i + 1]))
      return reply.render('sites/sections/views/contacts.njk', {
        title: t('sites.offices.title'), metaDescription: t('sites.offices.about', { agency: name }), agency: { slug: agency.slug, name },
        breadcrumbs: crumbs(request, agency, name),
        main: { address: shown(request, agency.address), phone: agency.phone, email: agency.email, website: agency.website },
        offices: offices.map((o) => ({
          number: numbers.get(o.id) ?? null, name: shown(request, o.name), address: shown(request, o.address), phone: o.phone, email: o.email, hours: shown(request, o.hours),
        })),
        drawings, mayEdit: can(request.user, 'site.offices.edit', { agencyId: agency.id }),
        questionsHref: `/${lang}/dialogue`,
      })
    })

    // The body's staff: who leads it, and its offices.
    const staffOf = async (request: FastifyRequest, slug: string, action: string) => {
      const agency = await agencyOf(slug)
      authorize(request.user, action, { agencyId: agency.id })
      return { ...agency, title: localize(agency.name, request.lang)?.text ?? agency.slug }
    }
    const leadershipView = 'sites/sections/views/leadership-edit.njk'
    const leadershipContext = async (request: FastifyRequest, agency: { id: number; slug: string; title: string }, values: Record<string, string>) => {
      const { current } = await leadershipOf(db, agency.id)
      return {
        title: request.t('sites.leadership.editTitle'), agency: { slug: agency.slug, name: agency.title }, values: { since: kazakhstanDay(new Date()), role: 'deputy', ...values },
        breadcrumbs: crumbs(request, agency, agency.title, [{ text: request.t('sites.leadership.title'), href: `/${request.lang}/agencies/${agency.slug}/leadership` }]),
        current: current.map((l) => leaderView(request, l)), today: kazakhstanDay(new Date()),
        roles: LEADER_ROLES.map((r) => ({ value: r, text: request.t(`sites.leadership.roles.${r}`), checked: (values.role ?? 'deputy') === r })),
      }
    }
    const leadershipHref = (request: FastifyRequest, slug: string) => `/${request.lang}/agencies/${slug}/site/leadership`
    typed.get('/agencies/:slug/site/leadership', { schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug, 'agency.leadership.edit')
      return reply.render(leadershipView, await leadershipContext(request, agency, {}))
    })
    typed.post('/agencies/:slug/site/leadership', { schema: { hide: true, params: Type.Object({ slug: Slug }), body: FormBody } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug, 'agency.leadership.edit')
      const body = request.body
      return handleForm(reply, leadershipView, await leadershipContext(request, agency, body), async () => {
        await appointLeader(db, request.user, agency.id, { role: body.role ?? '', name: fromFormFields(body, 'name'), title: fromFormFields(body, 'title'), rank: body.rank ? Number(body.rank) : 0, since: body.since ?? '' })
        return reply.redirect(leadershipHref(request, agency.slug), 303)
      })
    })
    typed.post('/agencies/:slug/site/leadership/:id/end', { schema: { hide: true, params: Type.Object({ slug: Slug, id: RecordId }), body: FormBody } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug, 'agency.leadership.edit')
      return handleForm(reply, leadershipView, await leadershipContext(request, agency, {}), async () => {
        await endPosition(db, request.user, agency.id, request.params.id, request.body.until ?? '')
        return reply.redirect(leadershipHref(request, agency.slug), 303)
      })
    })

    const officesView = 'sites/sections/views/offices-edit.njk'
    const officesContext = async (request: FastifyRequest, agency: { id: number; slug: string; title: string }, values: Record<string, string>) => ({
      title: request.t('sites.offices.editTitle'), agency: { slug: agency.slug, name: agency.title }, values,
      breadcrumbs: crumbs(request, agency, agency.title, [{ text: request.t('sites.offices.title'), href: `/${request.lang}/agencies/${agency.slug}/contacts` }]),
      offices: (await officesOf(db, agency.id)).map((o) => ({ id: o.id, name: shown(request, o.name), address: shown(request, o.address) })),
    })
    const officesHref = (request: FastifyRequest, slug: string) => `/${request.lang}/agencies/${slug}/site/offices`
    typed.get('/agencies/:slug/site/offices', { schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug, 'site.offices.edit')
      return reply.render(officesView, await officesContext(request, agency, {}))
    })
    typed.post('/agencies/:slug/site/offices', { schema: { hide: true, params: Type.Object({ slug: Slug }), body: FormBody } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug, 'site.offices.edit')
      const body = request.body
      return handleForm(reply, officesView, await officesContext(request, agency, body), async () => {
        await addOffice(db, request.user, agency.id, {
          name: fromFormFields(body, 'name'), address: fromFormFields(body, 'address'), hours: fromFormFields(body, 'hours'),
          lat: body.lat ?? null, lon: body.lon ?? null, phone: body.phone ?? null, email: body.email ?? null,
        })
        return reply.redirect(officesHref(request, agency.slug), 303)
      })
    })
    typed.post('/agencies/:slug/site/offices/:id/remove', { schema: { hide: true, params: Type.Object({ slug: Slug, id: RecordId }), body: FormBody } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug, 'site.offices.edit')
      await removeOffice(db, request.user, agency.id, request.params.id)
      return reply.redirect(officesHref(request, agency.slug), 303)
    })
  })
}
