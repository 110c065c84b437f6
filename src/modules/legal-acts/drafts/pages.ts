import { mayModerateComments } from '../../../platform/comments/actions.ts'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { draftActions, draftFacts } from './actions.ts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { paginationFor, queryHref } from '../../../platform/html/pagination.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { siteOrigin } from '../../../platform/http/index.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { commentThread, voteCounts, type CommentView } from '../../../platform/comments/service.ts'
import { subscriptionId } from '../../../platform/notifications/subscriptions.ts'
import { sendAtom } from '../../../platform/notifications/feeds.ts'
import { fallbackOrder, localize } from '../../../platform/i18n/multilingual.ts'
import { formatDate, type Lang } from '../../../platform/i18n/index.ts'
import { isDay } from '../../../platform/calendar/days.ts'
import { agencyNames } from '../../agencies/service.ts'
import { agencyOptions } from '../../agencies/options.ts'
import { ACT_KINDS, STATUSES, TOPICS, isFinal } from '../kinds.ts'
import { findVersion, listVersions, type Version } from '../versions/service.ts'
import { diffVersions } from '../versions/diff.ts'
import { listAttachments } from '../attachments/service.ts'
import { textBlocks, type TextUnit } from '../versions/text.ts'
import { draftEvents, draftsInPreparation, draftsOfBodies, listDrafts, findDraft, type DraftSummary } from './service.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { LEGAL_ACTS_TOPICS } from '../page-topics.ts'

const SLUG = '^[a-z0-9]+(-[a-z0-9]+)*$'
const DATE = '^\\d{4}-\\d{2}-\\d{2}$'
export const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  agency: Type.Optional(Type.String({ pattern: SLUG, maxLength: 100 })),
  kind: Type.Optional(Type.Enum(['', ...ACT_KINDS])),
  topic: Type.Optional(Type.Enum(['', ...TOPICS])),
  status: Type.Optional(Type.Enum(['', ...STATUSES.filter((s) => s !== 'preparation')])),
  open: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('now'), Type.Literal('closing')])),
  from: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: DATE })])),
  to: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: DATE })])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
}, { additionalProperties: false })
export type ListQuery = Static<typeof ListQuery>
const FeedQuery = Type.Object({
  agency: Type.Optional(Type.String({ pattern: SLUG, maxLength: 100 })),
  topic: Type.Optional(Type.Enum([...TOPICS])),
}, { additionalProperties: false })
const IdParams = Type.Object({ id: RecordId })
const VersionParams = Type.Object({ id: RecordId, number: Type.Integer({ minimum: 1, maximum: 100000 }) })

/** "Closing soon": open drafts whose discussion ends within this many days. */
export const CLOSING_SOON_DAYS = 3

/** The query of a list as the service takes it. */
export function draftQuery(query: ListQuery) {
  return {
    q: query.q, agency: query.agency, kind: query.kind || undefined, topic: query.topic || undefined, status: query.status || undefined,
    open: query.open === 'now', closingWithin: query.open === 'closing' ? CLOSING_SOON_DAYS : undefined,
    from: query.from || undefined, to: query.to || undefined, page: query.page ?? 1,
  }
}

/** The language a version is shown in: the reader's when every unit has it, else the nearest that does. */
function textLanguage(units: readonly TextUnit[], lang: Lang): Lang {
  return fallbackOrder(lang).find((candidate) => units.every((u) => u.text[candidate]?.trim())) ?? 'ru'
}

function crumbs(request: FastifyRequest, extra: { text: string; href: string }[] = []) {
  return [
    { text: request.t('platform.home'), href: `/${request.lang}/` },
    { text: request.t('legalActs.title'), href: `/${request.lang}/legal-acts` },
    ...extra,
  ]
}

/** The public pages of Open Legal Acts: the list with its filters and feeds, a draft with its text and discussion, versions and their changes. */
export async function draftPages(app: FastifyInstance, db: Db): Promise<void> {
  await registerPages(app, async (pages) => {
    const keptPages = keptUnder(db, LEGAL_ACTS_TOPICS)
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()

    typed.get('/legal-acts', { config: { pageCache: keptPages }, schema: { hide: true, querystring: ListQuery } }, async (request, reply) => {
      const { lang, t, query } = request
      const result = await listDrafts(db, { ...draftQuery(query), perPage: 20 })
      const pages = Math.max(1, Math.ceil(result.total / 20))
      const editable = request.user?.roles.filter((g) => g.agencyId !== null && can(request.user, 'legal-act.manage', { agencyId: g.agencyId })) ?? []
      const option = (value: string, text: string, selected: string | undefined) => ({ value, text, selected: selected === value })
      return reply.render('legal-acts/drafts/views/list.njk', {
        title: t('legalActs.title'),
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }],
        query,
        result,
        pagination: paginationFor(request, `/${lang}/legal-acts`, query, query.page ?? 1, pages),
        pages,
        agencies: agencyOptions(request, await agencyNames(db, lang), query.agency, t('legalActs.filters.anyBody')),
        kinds: [option('', t('legalActs.filters.anyKind'), query.kind), ...ACT_KINDS.map((k) => option(k, t(`legalActs.kinds.${k}`), query.kind))],
        topics: [option('', t('legalActs.filters.anyTopic'), query.topic), ...TOPICS.map((k) => option(k, t(`legalActs.topics.${k}`), query.topic))],
        statuses: [option('', t('legalActs.filters.anyStatus'), query.status), ...STATUSES.filter((s) => s !== 'preparation').map((k) => option(k, t(`legalActs.statuses.${k}`), query.status))],
        openChoices: [
          { value: '', text: t('legalActs.filters.openAny'), checked: !query.open },
          { value: 'now', text: t('legalActs.filters.openNow'), checked: query.open === 'now' },
          { value: 'closing', text: t('legalActs.filters.closingSoon', { days: CLOSING_SOON_DAYS }), checked: query.open === 'closing' },
        ],
        feedHref: queryHref(`/${lang}/legal-acts/feed.atom`, { agency: query.agency, topic: query.topic || undefined }),
        mayCreate: can(request.user, 'legal-act.create'),
        inPreparation: await draftsInPreparation(db, editable.map((g) => g.agencyId!)),
      })
    })

    // An editor's work list: every draft of their bodies, grouped by what is to be done next.
    typed.get('/legal-acts/mine', { schema: { hide: true } }, async (request, reply) => {
      const { lang, t } = request
      authorize(request.user, 'legal-act.create')
      const own = request.user!.roles.filter((g) => g.agencyId !== null && can(request.user, 'legal-act.manage', { agencyId: g.agencyId })).map((g) => g.agencyId!)
      const drafts = await draftsOfBodies(db, [...new Set(own)])
      const groups = [
        { key: 'toPublish', drafts: drafts.filter((d) => d.status === 'preparation') },
        { key: 'inDiscussion', drafts: drafts.filter((d) => d.status === 'discussion') },
        { key: 'toAnswer', drafts: drafts.filter((d) => d.status === 'closed').sort((a, b) => (a.answersDue ?? '').localeCompare(b.answersDue ?? '')) },
        { key: 'toAdopt', drafts: drafts.filter((d) => d.status === 'answered') },
        { key: 'done', drafts: drafts.filter((d) => isFinal(d.status)).slice(0, 20) },
      ]
      return reply.render('legal-acts/drafts/views/mine.njk', {
        title: t('legalActs.mine.title'),
        breadcrumbs: crumbs(request),
        groups,
        empty: drafts.length === 0,
      })
    })

    typed.get('/legal-acts/feed.atom', { schema: { hide: true, querystring: FeedQuery } }, async (request, reply) => {
      const { lang, t, query } = request
      const origin = siteOrigin(request)
      const { items } = await listDrafts(db, { agency: query.agency, topic: query.topic, perPage: 50 })
      const agency = query.agency ? (await agencyNames(db, lang)).find((a) => a.slug === query.agency) : undefined
      const scope = agency ? localize(agency.name, lang)?.text : query.topic ? t(`legalActs.topics.${query.topic}`) : undefined
      return sendAtom(reply, {
        self: `${origin}${queryHref(`/${lang}/legal-acts/feed.atom`, query)}`,
        link: `${origin}${queryHref(`/${lang}/legal-acts`, query)}`,
        title: scope ? `${t('legalActs.title')}: ${scope}` : t('legalActs.title'),
        lang,
        author: scope && agency ? scope : t('platform.portal.name'),
        entries: items.map((d) => ({
          link: `${origin}/${lang}/legal-acts/drafts/${d.id}`,
          title: localize(d.title, lang)?.text ?? '',
          summary: [t(`legalActs.statuses.${d.status}`), d.discussionEnd ? t('legalActs.feed.until', { end: d.discussionEnd }) : '', localize(d.summary, lang)?.text ?? ''].filter(Boolean).join('. '),
          updated: d.updatedAt,
          published: d.createdAt,
          author: localize(d.agency.name, lang)?.text,
        })),
      })
    })

    const showVersion = async (request: FastifyRequest, res: FastifyReply, draft: DraftSummary, version: Version, isLatest?: boolean) => {
      const { lang, t } = request
      const viewer = request.user?.id ?? null
      const versions = await listVersions(db, draft.id)
      const latest = isLatest ?? version.number === versions.at(-1)?.number
      const thread = await commentThread(db, 'legal-act-version', String(version.id), viewer)
      // Comments on each paragraph beside it, those on the whole draft below the text.
      const byAnchor = new Map<string, CommentView[]>()
      for (const c of thread.comments) byAnchor.set(c.anchor ?? '', [...(byAnchor.get(c.anchor ?? '') ?? []), c])
      const visible = (list: CommentView[]): number => list.reduce((n, c) => n + (c.hidden ? 0 : 1) + visible(c.replies), 0)
      const textLang = textLanguage(version.body, lang)
      const path = latest ? `/${lang}/legal-acts/drafts/${draft.id}` : `/${lang}/legal-acts/drafts/${draft.id}/versions/${version.number}`
      const open = latest && draft.open
      const mayManage = can(request.user, 'legal-act.manage', { agencyId: draft.agency.id })
      const actions = draftActions.available(request.user, draftFacts(draft))
      const draftVote = (await voteCounts(db, 'legal-act', [String(draft.id)], viewer)).get(String(draft.id))
      return res.render('legal-acts/drafts/views/draft.njk', {
        title: localize(draft.title, lang)?.text ?? '',
        breadcrumbs: crumbs(request),
        draft,
        actions,
        version,
        latest,
        versions,
        earlierComments: versions.filter((v) => v.number < version.number).reduce((n, v) => n + v.comments, 0),
        units: version.body.map((unit) => {
          const comments = byAnchor.get(unit.eId) ?? []
          const shown = unit.text[textLang] ?? ''
          return { ...unit, shown, blocks: textBlocks(shown), comments: { comments, count: visible(comments) } }
        }),
        textLang,
        wholeThread: { comments: byAnchor.get('') ?? [], count: visible(byAnchor.get('') ?? []) },
        commentOptions: { subjectType: 'legal-act-version', subjectId: String(version.id), open, returnTo: path, mayModerate: mayModerateComments(request.user, draft.agency.id) },
        draftVote: { for: draftVote?.for ?? 0, against: draftVote?.against ?? 0, mine: draftVote?.mine ?? 0 },
        voteOptions: { open, returnTo: path },
        followId: await subscriptionId(db, request.user?.id, `legal-act:${draft.id}`),
        events: (await draftEvents(db, draft.id)).map((e) => ({
          ...e,
          values: Object.fromEntries(Object.entries(e.detail).map(([key, value]) => [key, typeof value === 'string' && isDay(value) ? formatDate(lang, value) : value])),
        })),
        mayManage,
        attachments: await listAttachments(db, draft.id),
        path,
        jsonHref: `/api/legal-acts/drafts/${draft.id}`,
      })
    }

    typed.get('/legal-acts/drafts/:id', { config: { pageCache: keptPages }, schema: { hide: true, params: IdParams } }, async (request, res) => {
      const draft = await findDraft(db, request.params.id, request.user)
      return showVersion(request, res, draft, await findVersion(db, draft.id), true)
    })

    typed.get('/legal-acts/drafts/:id/versions/:number', { config: { pageCache: keptPages }, schema: { hide: true, params: VersionParams } }, async (request, res) => {
      const draft = await findDraft(db, request.params.id, request.user)
      const version = await findVersion(db, draft.id, request.params.number)
      return showVersion(request, res, draft, version)
    })

    typed.get('/legal-acts/drafts/:id/versions/:number/changes', { config: { pageCache: keptPages }, schema: { hide: true, params: VersionParams } }, async (request, res) => {
      const { lang, t } = request
      const draft = await findDraft(db, request.params.id, request.user)
      const version = await findVersion(db, draft.id, request.params.number)
      if (version.number === 1) return res.redirect(`/${lang}/legal-acts/drafts/${draft.id}/versions/1`, 303)
      const previous = await findVersion(db, draft.id, version.number - 1)
      const textLang = textLanguage([...previous.body, ...version.body], lang)
      const changes = diffVersions(previous.body, version.body, textLang)
      return res.render('legal-acts/drafts/views/changes.njk', {
        title: t('legalActs.changes.title', { number: version.number, previous: previous.number }),
        breadcrumbs: crumbs(request, [{ text: localize(draft.title, lang)?.text ?? '', href: `/${lang}/legal-acts/drafts/${draft.id}` }]),
        draft, version, previous, changes, textLang,
        counts: { changed: changes.filter((c) => c.change === 'changed').length, added: changes.filter((c) => c.change === 'added').length, removed: changes.filter((c) => c.change === 'removed').length },
      })
    })
  })
}
