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
import { doneHref, type Done } from '../../../platform/html/done.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { paginationFor } from '../../../platform/html/pagination.ts'
import { attachmentDisposition } from '../../../platform/files/download.ts'
import { csvCells } from '../../../platform/files/csv-cells.ts'
import { settingsOf } from '../../../platform/html/accessibility.ts'
import { CHART_FONT_SIZES } from '../../../platform/charts/draw.ts'
import { mapSvgs, NUMBERED_PLACES } from '../../../platform/maps/kazakhstan.ts'
import { subscribe, subscriptionId } from '../../../platform/notifications/subscriptions.ts'
import { sendAtom } from '../../../platform/notifications/feeds.ts'
import { formatDateTime, formatNumber, formatPercent, LANGS, type Lang } from '../../../platform/i18n/index.ts'
import { fromFormFields, localize } from '../../../platform/i18n/multilingual.ts'
import type { PetitionRules } from '../../../platform/config.ts'
import { agencyNames, listRegions, regionCentres } from '../../agencies/service.ts'
import { agencyOptions } from '../../agencies/options.ts'
import { PETITION_TOPICS } from '../page-topics.ts'
import { statisticsPeriod } from '../statistics/service.ts'
import { petitionStatistics, type PetitionFigures } from './statistics.ts'
import { signaturesNeeded } from './rules.ts'
import {
  PETITION_LISTS, PETITION_REJECTION_REASONS, answerPetition, availablePetitionActions, coAuthorInvitation, countPetitionLists, draftPetition, findAddressee, findPetition, invalidateSignatures, invitedTo, joinPetition, leavePetition,
  levelsOf, listPetitions, moderationQueue, namedSigners, openDiscussion, petitionEvents, petitionsOf, publishPetition, rejectPetition, signatureOf, signatureWatch, signaturesByRegion,
  signPetition, submitPetition, today, withdrawPetition, type Petition, type PetitionList, type SignatureWatch,
} from './service.ts'

const IdParams = Type.Object({ id: RecordId })
const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 20_000 }), { maxProperties: 30 })
const PER_PAGE = 20

/**
 * Online petitions' pages: the public lists, a citizen's form, the petition's page with whatever its
 * reader may do there (sign, submit, withdraw, moderate, discuss, answer), its signatures by region on
 * a map with their table, the moderators' queue and a person's own petitions.
 */
export async function petitionPages(app: FastifyInstance, db: Db, rules: PetitionRules): Promise<void> {
  await registerPages(app, async (pages) => {
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    // A signature moves only petitions' pages; a signed-in person's own page (their signature, the forms) is never kept.
    const keptPages = keptUnder(db, PETITION_TOPICS)
    const home = (request: FastifyRequest) => [
      { text: request.t('platform.home'), href: `/${request.lang}/` },
      { text: request.t('dialogue.title'), href: `/${request.lang}/dialogue` },
      { text: request.t('dialogue.petitions.title'), href: `/${request.lang}/dialogue/petitions` },
    ]
    const href = (request: FastifyRequest, id: number) => `/${request.lang}/dialogue/petitions/${id}`

    const listView = 'dialogue/petitions/views/petitions.njk'
    const ListQuery = Type.Object({
      list: Type.Optional(Type.Enum(Object.keys(PETITION_LISTS) as PetitionList[])),
      page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    }, { additionalProperties: false })
    typed.get('/dialogue/petitions', { config: { pageCache: keptPages }, schema: { hide: true, querystring: ListQuery } }, async (request, reply) => {
      const { lang, t } = request
      const list = request.query.list ?? 'collecting'
      const page = request.query.page ?? 1
      const counts = await countPetitionLists(db)
      const pages = Math.max(1, Math.ceil(counts[list] / PER_PAGE))
      return reply.render(listView, {
        title: t('dialogue.petitions.title'),
        breadcrumbs: home(request).slice(0, 2),
        list, counts,
        lists: Object.keys(PETITION_LISTS).map((key) => ({
          text: t(`dialogue.petitions.lists.${key}`, { count: counts[key as PetitionList] }),
          href: `/${request.lang}/dialogue/petitions${key === 'collecting' ? '' : `?list=${key}`}`,
          current: key === list,
        })),
        petitions: await listPetitions(db, { list, limit: PER_PAGE, offset: (page - 1) * PER_PAGE }),
        pagination: pages > 1 ? paginationFor(request, `/${lang}/dialogue/petitions`, { ...request.query, list }, page, pages, { page: 1, list: 'collecting' }) : undefined,
        moderator: can(request.user, 'dialogue.petition.moderate'),
        feeds: Object.keys(FEEDS).map((name) => ({ href: `/${lang}/dialogue/petitions/${name}.atom`, text: t(`dialogue.petitions.feeds.${name}`) })),
      })
    })

    // Atom feeds of petitions newly listed (collecting, found by everyone) and of those answered, newest first.
    const FEEDS = { new: 'collecting', answered: 'answered' } as const
    const dayAt = (day: string | null) => new Date(`${day ?? '1970-01-01'}T00:00:00+05:00`)
    for (const [name, list] of Object.entries(FEEDS)) {
      typed.get(`/dialogue/petitions/${name}.atom`, { config: { pageCache: keptPages }, schema: { hide: true } }, async (request, reply) => {
        const { lang, t } = request
        const origin = siteOrigin(request)
        const petitions = await listPetitions(db, { list, limit: 50 })
        return sendAtom(reply, {
          self: `${origin}/${lang}/dialogue/petitions/${name}.atom`,
          link: `${origin}/${lang}/dialogue/petitions${list === 'collecting' ? '' : `?list=${list}`}`,
          title: `${t('dialogue.petitions.title')}: ${t(`dialogue.petitions.feeds.${name}`)}`,
          lang, author: t('platform.portal.name'),
          entries: petitions.map((p) => ({
            link: `${origin}/${lang}/dialogue/petitions/${p.id}`,
            title: p.title,
            summary: list === 'answered'
              ? `${t('dialogue.petitions.decision')}: ${localize(p.decision, lang)?.text ?? ''}`
              : `${localize(p.agency.name, lang)?.text ?? ''}. ${p.request}`,
            updated: dayAt(list === 'answered' ? p.answeredOn : p.listedOn ?? p.publishedOn),
            published: dayAt(p.publishedOn),
            author: p.authorName ?? undefined,
          })),
        })
      })
    }

    // What each body did with the petitions submitted to it in a period: the figures the openness index reads.
    const PeriodQuery = Type.Object({ from: Type.Optional(Type.String({ format: 'date' })), to: Type.Optional(Type.String({ format: 'date' })) }, { additionalProperties: false })
    const COLUMNS = ['received', 'published', 'rejected', 'supported', 'notSupported', 'answered', 'answeredOnTime', 'overdue', 'withdrawn', 'signatures'] as const
    typed.get('/dialogue/petitions/statistics', { config: { pageCache: keptPages }, schema: { hide: true, querystring: PeriodQuery } }, async (request, reply) => {
      const { lang, t } = request
      const period = statisticsPeriod(request.query)
      const { bodies, all } = await petitionStatistics(db, period)
      const columns = COLUMNS.map((k) => t(`dialogue.petitions.statistics.columns.${k}`))
      const row = (f: PetitionFigures) => [
        { text: f.agency ? localize(f.agency.name, lang)?.text ?? f.agency.slug : t('dialogue.statistics.all'), attributes: { 'data-label': t('dialogue.statistics.body') } },
        ...COLUMNS.map((k, i) => ({ text: formatNumber(lang, f[k]), format: 'numeric', attributes: { 'data-label': columns[i] } })),
      ]
      return reply.render('dialogue/petitions/views/statistics.njk', {
        title: t('dialogue.petitions.statistics.title'), breadcrumbs: home(request), period,
        head: [{ text: t('dialogue.statistics.body') }, ...columns.map((text) => ({ text, format: 'numeric' }))],
        rows: [...bodies.map(row), row(all)], empty: all.received === 0,
        apiHref: `/api/dialogue/petitions/statistics?from=${period.from}&to=${period.to}`,
      })
    })

    typed.get('/dialogue/petitions/mine', { schema: { hide: true } }, async (request, reply) => {
      const user = authorize(request.user, 'dialogue.petition.create')
      return reply.render('dialogue/petitions/views/mine.njk', {
        title: request.t('dialogue.petitions.mine'), breadcrumbs: home(request), petitions: await petitionsOf(db, user.id),
      })
    })

    typed.get('/dialogue/petitions/moderation', { schema: { hide: true } }, async (request, reply) => {
      const queue = await moderationQueue(db, request.user)
      return reply.render('dialogue/petitions/views/moderation.njk', { title: request.t('dialogue.petitions.moderation.title'), breadcrumbs: home(request), queue })
    })

    // The form: first the body it addresses (a plain GET form, JavaScript off too), then the petition.
    const formView = 'dialogue/petitions/views/petition-form.njk'
    const formContext = async (request: FastifyRequest, slug: string | undefined, values: Record<string, string>) => {
      const { lang, t } = request
      const agency = slug ? await findAddressee(db, slug) : undefined
      const levels = agency ? levelsOf(agency) : []
      const items = levels.map((level) => {
        const needed = signaturesNeeded(level, rules, agency?.population ?? null)
        return {
          value: level, text: t(`dialogue.petitions.levels.${level}`), checked: values.level === level || levels.length === 1,
          hint: { text: needed === null ? t('dialogue.petitions.errors.population') : t('dialogue.petitions.form.needs', { count: needed }) },
        }
      })
      return {
        title: t('dialogue.petitions.new'), breadcrumbs: home(request), agency: agency ?? null, levels: items, values,
        // The first step's list of bodies; the second names its body alone.
        agencies: agency ? [] : agencyOptions(request, await agencyNames(db, lang), slug, t('dialogue.petitions.form.chooseAgency')),
        langs: LANGS.map((code) => ({ value: code, text: t(`dialogue.edit.in.${code}`), checked: (values.lang || lang) === code })),
      }
    }
    typed.get('/dialogue/petitions/new', { schema: { hide: true, querystring: Type.Object({ agency: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }) } }, async (request, reply) => {
      authorize(request.user, 'dialogue.petition.create')
      const context = await formContext(request, request.query.agency || undefined, {})
      if (request.query.agency && !context.agency) reply.code(400)
      return reply.render(formView, { ...context, unknownAgency: Boolean(request.query.agency && !context.agency) })
    })
    typed.post('/dialogue/petitions/new', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
      const body = request.body
      return handleForm(reply, formView, await formContext(request, body.agency || undefined, body), async () => {
        const { id } = await draftPetition(db, { user: request.user ?? null, address: request.ip }, {
          agencySlug: body.agency ?? '', level: body.level ?? '', title: body.title ?? '', body: body.body ?? '', request: body.request ?? '',
          lang: (body.lang || request.lang) as Lang, showName: body.showName === 'yes' ? true : body.showName === 'no' ? false : null, idempotencyKey: body.idempotencyKey || null,
        }, rules)
        return reply.redirect(doneHref(href(request, id), 'drafted', 'petition'), 303)
      })
    })

    /** The signatures by region: a map of Kazakhstan with a dot by each region's centre, its numbers in the table beside it. */
    const regionsView = async (request: FastifyRequest, p: Petition) => {
      const { lang, t } = request
      const [counts, centres] = await Promise.all([signaturesByRegion(db, p.id), regionCentres(db)])
      if (counts.length === 0) return null
      const byCode = new Map(centres.map((c) => [c.code, c]))
      const rows = counts.map((c) => ({ ...c, region: c.regionCode ? byCode.get(c.regionCode) : undefined }))
      const placed = rows.filter((r) => r.region && r.region.lon !== null && r.region.lat !== null)
      const settings = settingsOf(request)
      const drawings = placed.length > 0
        ? await mapSvgs(`petition-${p.id}`, {
          points: placed.map((r) => ({ lon: r.region!.lon!, lat: r.region!.lat!, label: localize(r.region!.name, lang)?.text ?? '', weight: r.signatures })),
          shapes: [],
        }, { contrast: settings.contrast, fontSize: CHART_FONT_SIZES[settings.size], lang, km: t('platform.maps.km') }, { narrow: { width: 360, height: 240 }, wide: { width: 760, height: 380 } })
        : null
      const total = counts.reduce((n, c) => n + c.signatures, 0)
      const numbers = placed.length <= NUMBERED_PLACES ? new Map(placed.map((r, i) => [r.regionCode, i + 1])) : new Map()
      return {
        drawings,
        // A region's number on the map before its name: the map's numbers in words, in two columns less on a phone.
        head: [{ text: t('dialogue.petitions.regions.region') }, { text: t('dialogue.petitions.regions.signatures'), format: 'numeric' }, { text: t('dialogue.petitions.regions.share'), format: 'numeric' }],
        rows: rows.map((r) => [
          { text: `${numbers.get(r.regionCode) ? `${numbers.get(r.regionCode)}. ` : ''}${r.region ? localize(r.region.name, lang)?.text ?? '' : t('dialogue.petitions.regions.unknown')}` },
          { text: formatNumber(lang, r.signatures), format: 'numeric' },
          { text: formatPercent(lang, total > 0 ? r.signatures / total : 0), format: 'numeric' },
        ]),
      }
    }

    /** The watch's groups, each said in a sentence: its count, its share or its hours. */
    const watchView = (request: FastifyRequest, watch: SignatureWatch) => {
      const { lang, t } = request
      const at = (d: Date) => formatDateTime(lang, d)
      return {
        addresses: watch.addresses.map((a) => ({ ...a, text: t('dialogue.petitions.watch.from', { count: a.signatures, first: at(a.first), last: at(a.last) }) })),
        domains: watch.domains.map((d) => ({ ...d, text: t('dialogue.petitions.watch.domainShare', { count: d.signatures, share: formatPercent(lang, d.share) }) })),
        bursts: watch.bursts.map((b) => ({ ...b, text: t('dialogue.petitions.watch.burst', { hour: at(b.hour), count: b.signatures, median: formatNumber(lang, b.median) }) })),
      }
    }

    const view = 'dialogue/petitions/views/petition.njk'
    const show = async (request: FastifyRequest, id: number, extra: Record<string, unknown> = {}, found?: Petition) => {
      const { lang, t } = request
      const p = found ?? await findPetition(db, id, request.user)
      const signature = await signatureOf(db, request.user?.id, p.id)
      const actions = availablePetitionActions(request.user, p, Boolean(signature))
      const published = p.publishedOn !== null && p.status !== 'rejected'
      return {
        title: p.textWithheld ? t('dialogue.petitions.withheldTitle', { number: p.id }) : p.title,
        breadcrumbs: home(request),
        p, actions, signature,
        progress: p.signaturesNeeded ? Math.min(p.signatures, p.signaturesNeeded) : 0,
        regions: published ? await regionsView(request, p) : null,
        signers: published ? await namedSigners(db, p.id) : null,
        events: await petitionEvents(db, p.id),
        watch: published && actions.invalidate ? watchView(request, await signatureWatch(db, request.user, p.id)) : null,
        published,
        followId: published ? await subscriptionId(db, request.user?.id, `dialogue-petition:${p.id}`) : null,
        reasons: PETITION_REJECTION_REASONS.map((r) => ({ value: r, text: t(`dialogue.petitions.reasons.${r}`) })),
        regionChoices: actions.sign ? await listRegions(db, lang) : [],
        values: { regionCode: request.user?.regionCode ?? '' },
        coAuthorsNeeded: rules.coAuthors,
        invitation: rules.coAuthors > 0 ? await coAuthorInvitation(db, request.user, p).then((path) => path && `${siteOrigin(request)}/${lang}${path}`) : null,
        ...extra,
      }
    }

    typed.get('/dialogue/petitions/:id', { config: { pageCache: keptPages }, schema: { hide: true, params: IdParams } }, async (request, reply) =>
      reply.render(view, await show(request, request.params.id)))

    typed.get('/dialogue/petitions/:id/regions.csv', { config: { pageCache: keptPages }, schema: { hide: true, params: IdParams } }, async (request, reply) => {
      const { lang, t } = request
      const p = await findPetition(db, request.params.id, request.user)
      const names = new Map((await regionCentres(db)).map((c) => [c.code, localize(c.name, lang)?.text ?? c.code]))
      const rows = (await signaturesByRegion(db, p.id)).map((r) => csvCells([r.regionCode ?? '', r.regionCode ? names.get(r.regionCode) ?? '' : t('dialogue.petitions.regions.unknown'), r.signatures], [true, true, false]))
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition(`petition-${p.id}-regions-${lang}.csv`))
        .send(`\ufeff${stringify([['code', t('dialogue.petitions.regions.region'), t('dialogue.petitions.regions.signatures')], ...rows])}`)
    })

    // A draft's invitation to co-authors: the draft as its author wrote it, with the form to join it.
    const Invitation = Type.Object({ token: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false })
    const invited = async (request: FastifyRequest, id: number, token: string, extra: Record<string, unknown> = {}) =>
      show(request, id, { joinToken: token, ...extra }, await invitedTo(db, id, token))
    typed.get('/dialogue/petitions/:id/co-author', { schema: { hide: true, params: IdParams, querystring: Invitation } }, async (request, reply) =>
      reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex').render(view, await invited(request, request.params.id, request.query.token)))
    typed.post('/dialogue/petitions/:id/co-author', { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
      const body = request.body
      const token = body.token ?? ''
      return handleForm(reply, view, await invited(request, request.params.id, token, { values: body }), async () => {
        await joinPetition(db, request.user ?? null, request.params.id, { token, showName: body.showName === 'yes' })
        return reply.redirect(doneHref(href(request, request.params.id), 'coAuthorJoined', 'petition'), 303)
      })
    })
    // A co-author who leaves may no longer read the draft: they land on their own petitions.
    typed.post('/dialogue/petitions/:id/leave', { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) =>
      handleForm(reply, view, await show(request, request.params.id, { values: request.body }), async () => {
        await leavePetition(db, request.user ?? null, request.params.id)
        return reply.redirect(doneHref(`/${request.lang}/dialogue/petitions/mine`, 'coAuthorLeft', 'petitions'), 303)
      }))

    // Each action returns to the petition, at what it did.
    const act = (name: string, done: Done, item: string, run: (request: FastifyRequest & { params: { id: number } }, body: Record<string, string>) => Promise<unknown>) =>
      typed.post(`/dialogue/petitions/:id/${name}`, { schema: { hide: true, params: IdParams, body: FormBody } }, async (request, reply) => {
        const body = request.body
        return handleForm(reply, view, await show(request, request.params.id, { values: body }), async () => {
          await run(request, body)
          return reply.redirect(doneHref(href(request, request.params.id), done, item), 303)
        })
      })
    act('sign', 'signed', 'signature', async (r, b) => {
      await signPetition(db, { user: r.user ?? null, address: r.ip }, r.params.id, { showName: b.showName === 'yes', regionCode: b.regionCode ?? null }, rules, siteOrigin(r))
      if (b.follow === 'yes') await subscribe(db, r.user!, `dialogue-petition:${r.params.id}`)
    })
    act('submit', 'submitted', 'petition', (r) => submitPetition(db, r.user ?? null, r.params.id, rules))
    act('withdraw', 'petitionWithdrawn', 'petition', (r) => withdrawPetition(db, r.user ?? null, r.params.id))
    act('publish', 'petitionPublished', 'petition', (r) => publishPetition(db, r.user ?? null, r.params.id, rules, siteOrigin(r)))
    act('reject', 'petitionRejected', 'petition', (r, b) => rejectPetition(db, r.user ?? null, r.params.id, { reason: b.reason ?? '', note: b.note }, siteOrigin(r)))
    act('discuss', 'discussionOpened', 'petition', (r) => openDiscussion(db, r.user ?? null, r.params.id))
    act('answer', 'answered', 'decision', (r, b) => answerPetition(db, r.user ?? null, r.params.id, fromFormFields(b, 'decision'), siteOrigin(r)))
    act('invalidate', 'invalidated', 'watch', (r, b) => {
      const [kind, value = ''] = (b.group ?? '').split(':', 2)
      const group = kind === 'address' ? { address: value } : kind === 'domain' ? { domain: value } : { userIds: [] }
      return invalidateSignatures(db, r.user ?? null, r.params.id, group, b.reason ?? '')
    })
  })
}
