import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { stringify } from 'csv-stringify/sync'
import type { Db } from '../../platform/db/index.ts'
import { registerPages } from '../../platform/html/pages.ts'
import { keptUnder } from '../../platform/html/page-versions.ts'
import { attachmentDisposition } from '../../platform/files/download.ts'
import { NotFound } from '../../platform/http/errors.ts'
import { MultilingualInput, Nullable } from '../../platform/http/validation.ts'
import { can } from '../../platform/auth/policies.ts'
import { handleForm } from '../../platform/auth/forms.ts'
import { addDays } from '../../platform/calendar/days.ts'
import { formatNumber, type Lang } from '../../platform/i18n/index.ts'
import { fromFormFields, localize } from '../../platform/i18n/multilingual.ts'
import { listAgencies, listRegions } from '../agencies/service.ts'
import { AGENCY_KINDS } from '../agencies/schemas.ts'
import { INDICATORS } from './indicators.ts'
import { listDisputes, reviewWindow } from './disputes/service.ts'
import { listRecommendations } from './commission/service.ts'
import { monthlySnapshots, resultRows, resultsDatasetName } from './results.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import { showDataset } from '../data/catalog/service.ts'
import { biggestGains, latestSnapshot, methodologies, publishMethodology, scoreHistory, snapshotScores, takeSnapshotNow, type Score, type Snapshot } from './service.ts'

const TAGS = ['Openness']
const TOKEN = [{ bearerAuth: [] }]
const Slug = Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' })
const IndicatorSchema = Type.Object({
  code: Type.String(), value: Nullable(Type.Number()), weight: Type.Number(), points: Nullable(Type.Number()), numerator: Type.Integer(), denominator: Type.Integer(),
  records: Type.Array(Type.Object({ text: Type.Record(Type.String(), Type.String()), path: Type.String() })),
  // The accepted dispute that corrected the count measured, and what it added to it.
  correction: Type.Optional(Type.Object({ dispute: Type.Integer(), numerator: Type.Integer(), denominator: Type.Integer() })),
})
const ScoreSchema = Type.Object({ agency: Type.String(), score: Nullable(Type.Number()), indicators: Type.Array(IndicatorSchema) })
const SnapshotSchema = Type.Object({ day: Type.String({ format: 'date' }), from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), methodology: Type.Integer() })
const snapshotJson = (s: Snapshot) => ({ day: s.day, from: s.from, to: s.to, methodology: s.version })

const Year = Type.Integer({ minimum: 2000, maximum: 2100 })
const YEARS_AT_ONCE = 10

/** The years a request for results asks (this year unless told), refused past YEARS_AT_ONCE or backwards. */
function yearsOf(query: { from?: number; to?: number }): { from: number; to: number } {
  const year = new Date().getFullYear()
  const from = query.from ?? query.to ?? year
  const to = query.to ?? Math.max(from, query.from === undefined ? year : from)
  if (to < from) throw new ValidationError([{ field: 'to', messageKey: 'openness.results.errors.order' }])
  if (to - from >= YEARS_AT_ONCE) throw new ValidationError([{ field: 'to', messageKey: 'openness.results.errors.span', values: { count: YEARS_AT_ONCE } }])
  return { from, to }
}

/** The openness index: the ranking, each body's explained score and trend, the methodology; their JSON and CSV; snapshots and new versions by the commission. */
export async function opennessPages(app: FastifyInstance, db: Db): Promise<void> {
  const datasetExists = (name: string) => showDataset(db, name).then(() => true, () => false)
  const bodies = async (lang: Lang) => new Map((await listAgencies(db, { perPage: 100_000 }, lang)).items.map((a) => [a.id, a]))

  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>()
    // A score as the API gives it, its body named from the names read once for the whole answer.
    const json = (names: Awaited<ReturnType<typeof bodies>>) => (score: Score) => ({ agency: names.get(score.agencyId)?.slug ?? '', score: score.score, indicators: score.indicators.map((i) => ({ ...i, records: i.records.map((r) => ({ text: r.text as Record<string, string>, path: r.path })) })) })
    api.get('/api/openness', {
      schema: { tags: TAGS, summary: 'The latest snapshot of the index: every body\'s score with each indicator\'s value, weight, points and records', response: { 200: Type.Object({ snapshot: Nullable(SnapshotSchema), scores: Type.Array(ScoreSchema) }) } },
    }, async () => {
      const snapshot = await latestSnapshot(db)
      if (!snapshot) return { snapshot: null, scores: [] }
      const names = await bodies('ru')
      const scores = await snapshotScores(db, snapshot.id)
      return { snapshot: snapshotJson(snapshot), scores: scores.map(json(names)) }
    })
    api.get('/api/openness/agencies/:slug', {
      schema: { tags: TAGS, summary: 'A body\'s score in the latest snapshot, explained, and its scores over time', params: Type.Object({ slug: Slug }), response: { 200: Type.Object({ snapshot: Nullable(SnapshotSchema), score: Nullable(ScoreSchema), history: Type.Array(Type.Object({ day: Type.String(), methodology: Type.Integer(), score: Nullable(Type.Number()) })) }) } },
    }, async (request) => {
      const names = await bodies('ru')
      const agency = [...names.values()].find((a) => a.slug === request.params.slug)
      if (!agency) throw new NotFound('agency', request.params.slug)
      const snapshot = await latestSnapshot(db)
      const score = snapshot ? (await snapshotScores(db, snapshot.id)).find((s) => s.agencyId === agency.id) : undefined
      return { snapshot: snapshot && snapshotJson(snapshot), score: score ? json(names)(score) : null, history: (await scoreHistory(db, agency.id)).map((h) => ({ day: h.day, methodology: h.version, score: h.score })) }
    })
    api.get('/api/openness/results', {
      schema: {
        tags: TAGS, summary: `The monthly results (each month's first snapshot, as disputes corrected it) of some years, at most ${YEARS_AT_ONCE} at once; this year unless told`,
        querystring: Type.Object({ from: Type.Optional(Year), to: Type.Optional(Year) }, { additionalProperties: false }),
        response: { 200: Type.Object({ snapshots: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), methodology: Type.Integer(), scores: Type.Array(ScoreSchema) })) }) },
      },
    }, async (request) => {
      const years = yearsOf(request.query)
      const snapshots = await monthlySnapshots(db, years.from, years.to)
      const names = await bodies('ru')
      return { snapshots: await Promise.all(snapshots.map(async (snapshot) => ({ ...snapshotJson(snapshot), scores: (await snapshotScores(db, snapshot.id)).map(json(names)) }))) }
    })
    api.get('/api/openness/methodology', {
      schema: { tags: TAGS, summary: 'The methodology\'s versions, the latest first: each indicator\'s weight', response: { 200: Type.Object({ versions: Type.Array(Type.Object({ version: Type.Integer(), weights: Type.Record(Type.String(), Type.Number()), note: Type.Record(Type.String(), Type.String()), publishedOn: Type.String() })) }) } },
    }, async () => ({ versions: (await methodologies(db)).map((m) => ({ ...m, note: m.note as Record<string, string> })) }))
    api.put('/api/openness/methodology', {
      schema: {
        tags: TAGS, security: TOKEN, summary: 'Publish a new version of the methodology with its weights (the commission); the next snapshots use it',
        body: Type.Object({ weights: Type.Record(Type.String({ maxLength: 60 }), Type.Integer()), note: MultilingualInput(2000) }, { additionalProperties: false }),
        response: { 200: Type.Object({ version: Type.Integer() }) },
      },
    }, async (request) => ({ version: (await publishMethodology(db, request.user, request.body)).version }))
    api.post('/api/openness/snapshots', {
      schema: { tags: TAGS, security: TOKEN, summary: 'Take today\'s snapshot now (the commission); the daily job takes one otherwise', response: { 201: SnapshotSchema } },
    }, async (request, reply) => reply.code(201).send(snapshotJson(await takeSnapshotNow(db, request.user))))
  })

  await registerPages(app, async (pages) => {
    const kept = keptUnder(db, ['openness', 'agencies'])
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const indicatorName = (request: FastifyRequest, code: string) => request.t(`openness.indicators.${code}`)
    const percent = (lang: Lang, value: number | null) => (value === null ? '—' : `${formatNumber(lang, Math.round(value * 1000) / 10)} %`)

    typed.get('/openness', {
      config: { pageCache: kept },
      schema: { hide: true, querystring: Type.Object({ kind: Type.Optional(Type.Union([Type.Enum([...AGENCY_KINDS]), Type.Literal('')])), region: Type.Optional(Type.String({ maxLength: 60 })) }, { additionalProperties: false }) },
    }, async (request, reply) => {
      const { lang, t } = request
      const snapshot = await latestSnapshot(db)
      const names = await bodies(lang)
      const scores = snapshot ? await snapshotScores(db, snapshot.id) : []
      // Movement since the snapshot a month before.
      const before = snapshot ? await latestSnapshot(db, addDays(snapshot.day, -28)) : null
      const earlier = new Map(before && before.id !== snapshot?.id ? (await snapshotScores(db, before.id)).map((s) => [s.agencyId, s.score]) : [])
      const shown = scores.filter((s) => {
        const a = names.get(s.agencyId)
        return a && (!request.query.kind || a.kind === request.query.kind) && (!request.query.region || a.region?.code === request.query.region)
      })
      return reply.render('openness/views/ranking.njk', {
        title: t('openness.title'), metaDescription: t('openness.lead'), breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }],
        snapshot, query: request.query,
        kinds: [{ value: '', text: t('openness.anyKind') }, ...AGENCY_KINDS.map((k) => ({ value: k, text: t(`agencies.kind.${k}`), selected: k === request.query.kind }))],
        regions: [{ value: '', text: t('openness.anyRegion') }, ...(await listRegions(db, lang)).map((r) => ({ value: r.code, text: localize(r.name, lang)?.text ?? r.code, selected: r.code === request.query.region }))],
        rows: shown.map((s, i) => {
          const a = names.get(s.agencyId)!
          const was = earlier.get(s.agencyId)
          const move = s.score !== null && was !== undefined && was !== null ? Math.round((s.score - was) * 10) / 10 : null
          return {
            rank: s.score === null ? '' : String(i + 1), href: `/${lang}/openness/agencies/${a.slug}`, name: localize(a.name, lang)?.text ?? a.slug,
            score: s.score === null ? t('openness.noScore') : formatNumber(lang, s.score), move: move === null ? '' : `${move > 0 ? '+' : ''}${formatNumber(lang, move)}`,
          }
        }),
        mayManage: can(request.user, 'openness.manage'),
      })
    })

    typed.get('/openness.csv', { config: { pageCache: kept }, schema: { hide: true } }, async (request, reply) => {
      const snapshot = await latestSnapshot(db)
      const names = await bodies('ru')
      const scores = snapshot ? await snapshotScores(db, snapshot.id) : []
      const codes = INDICATORS.map((i) => i.code)
      const rows = scores.map((s) => [snapshot!.day, String(snapshot!.version), names.get(s.agencyId)?.slug ?? '', s.score === null ? '' : String(s.score),
        ...codes.map((c) => { const i = s.indicators.find((x) => x.code === c); return i && i.value !== null ? String(i.value) : '' })])
      return reply.type('text/csv; charset=utf-8').header('content-disposition', attachmentDisposition(`openness-${snapshot?.day ?? 'none'}.csv`))
        .send(`\ufeff${stringify([['day', 'methodology', 'agency', 'score', ...codes], ...rows])}`)
    })

    const YearsQuery = Type.Object({ from: Type.Optional(Year), to: Type.Optional(Year) }, { additionalProperties: false })
    typed.get('/openness/results.csv', { config: { pageCache: kept }, schema: { hide: true, querystring: YearsQuery } }, async (request, reply) => {
      const years = yearsOf(request.query)
      return reply.type('text/csv; charset=utf-8').header('content-disposition', attachmentDisposition(`openness-${years.from}-${years.to}.csv`))
        .send(`\ufeff${stringify(await resultRows(db, years.from, years.to))}`)
    })
    typed.get('/openness/results', { config: { pageCache: kept }, schema: { hide: true } }, async (request, reply) => {
      const { t, lang } = request
      const all = await monthlySnapshots(db, 2000, 2100)
      const years = [...new Set(all.map((s) => Number(s.day.slice(0, 4))))].sort((a, b) => b - a)
      return reply.render('openness/views/results.njk', {
        title: t('openness.results.title'), breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('openness.title'), href: `/${lang}/openness` }],
        years: years.map((year) => ({ year, csv: `/${lang}/openness/results.csv?from=${year}&to=${year}`, json: `/api/openness/results?from=${year}&to=${year}`, dataset: `/${lang}/data/datasets/${resultsDatasetName(year)}`, months: all.filter((s) => s.day.startsWith(String(year))).map((s) => ({ day: s.day, version: s.version })) })),
        all: years.length > 1 ? { csv: `/${lang}/openness/results.csv?from=${years.at(-1)}&to=${years[0]}`, json: `/api/openness/results?from=${years.at(-1)}&to=${years[0]}` } : null,
        datasets: (await Promise.all(years.map(async (year) => ((await datasetExists(resultsDatasetName(year))) ? year : null)))).filter((y) => y !== null),
      })
    })

    typed.get('/openness/agencies/:slug', { config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => {
      const { lang, t } = request
      const agency = [...(await bodies(lang)).values()].find((a) => a.slug === request.params.slug)
      if (!agency) throw new NotFound('agency', request.params.slug)
      const snapshot = await latestSnapshot(db)
      const score = snapshot ? (await snapshotScores(db, snapshot.id)).find((s) => s.agencyId === agency.id) : undefined
      const name = localize(agency.name, lang)?.text ?? agency.slug
      return reply.render('openness/views/agency.njk', {
        title: t('openness.agencyTitle', { agency: name }), agency: { slug: agency.slug, name },
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('openness.title'), href: `/${lang}/openness` }],
        snapshot, score: score?.score ?? null, scoreText: score?.score === null || !score ? t('openness.noScore') : formatNumber(lang, score.score),
        indicators: (score?.indicators ?? []).map((i) => ({
          name: indicatorName(request, i.code), value: percent(lang, i.value), weight: formatNumber(lang, i.weight), points: i.points === null ? t('openness.notApplied') : formatNumber(lang, i.points),
          basis: i.denominator > 0 ? t('openness.basis', { numerator: i.numerator, denominator: i.denominator }) : '',
          records: i.records.map((r) => ({ text: localize(r.text, lang)?.text ?? '', href: `/${lang}${r.path}` })),
        })),
        gains: score ? biggestGains(score).slice(0, 3).map((g) => ({ name: indicatorName(request, g.code), gain: formatNumber(lang, g.gain) })) : [],
        history: (await scoreHistory(db, agency.id)).reverse().slice(0, 24).map((h) => ({ day: h.day, version: h.version, score: h.score === null ? t('openness.noScore') : formatNumber(lang, h.score) })),
        disputes: (await listDisputes(db, { agencyId: agency.id })).map((d) => ({ href: `/${lang}/openness/disputes/${d.id}`, number: d.id, indicator: indicatorName(request, d.indicator), status: d.status, statusText: t(`openness.disputes.states.${d.status}`), day: d.snapshot.day })),
        recommendations: (await listRecommendations(db, { agencyId: agency.id })).map((r) => ({ href: `/${lang}/openness/commission/recommendations/${r.id}`, number: r.id, text: localize(r.text, lang)?.text ?? '', dueOn: r.dueOn, state: r.state, stateText: t(`openness.commission.recommendationStates.${r.state}`) })),
        // Its staff are offered the form while the month's snapshot may be disputed.
        mayDispute: can(request.user, 'openness.dispute.submit', { agencyId: agency.id }) && Boolean((await reviewWindow(db))?.open),
      })
    })

    const methodologyView = 'openness/views/methodology.njk'
    const methodologyContext = async (request: FastifyRequest, values: Record<string, string>) => {
      const versions = await methodologies(db)
      const current = versions[0]
      return {
        title: request.t('openness.methodology.title'), breadcrumbs: [{ text: request.t('platform.home'), href: `/${request.lang}/` }, { text: request.t('openness.title'), href: `/${request.lang}/openness` }],
        versions: versions.map((v) => ({ version: v.version, publishedOn: v.publishedOn, note: localize(v.note, request.lang)?.text ?? '' })),
        indicators: INDICATORS.map((i) => ({ code: i.code, component: request.t(`openness.components.${i.component}`), name: indicatorName(request, i.code), weight: current?.weights[i.code] ?? 0, value: values[`weight.${i.code}`] ?? String(current?.weights[i.code] ?? 0) })),
        values, mayManage: can(request.user, 'openness.manage'),
      }
    }
    typed.get('/openness/methodology', { config: { pageCache: keptUnder(db, ['openness'], { unless: (request) => can(request.user, 'openness.manage') }) }, schema: { hide: true } }, async (request, reply) => reply.render(methodologyView, await methodologyContext(request, {})))
    typed.post('/openness/methodology', { schema: { hide: true, body: Type.Record(Type.String({ maxLength: 80 }), Type.String({ maxLength: 2000 }), { maxProperties: 40 }) } }, async (request, reply) => {
      const body = request.body
      return handleForm(reply, methodologyView, await methodologyContext(request, body), async () => {
        const weights = Object.fromEntries(INDICATORS.map((i) => [i.code, Number(body[`weight.${i.code}`] ?? 0)]))
        await publishMethodology(db, request.user, { weights, note: fromFormFields(body, 'note') })
        return reply.redirect(`/${request.lang}/openness/methodology`, 303)
      })
    })
    typed.post('/openness/snapshots', { schema: { hide: true, body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 200 }), { maxProperties: 5 }) } }, async (request, reply) => {
      await takeSnapshotNow(db, request.user)
      return reply.redirect(`/${request.lang}/openness`, 303)
    })
  })
}
