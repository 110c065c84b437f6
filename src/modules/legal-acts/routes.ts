import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../platform/db/index.ts'
import { RecordId, Nullable, MultilingualSchema as Text } from '../../platform/http/validation.ts'
import { ACT_KINDS, DECISIONS, STATUSES, TOPICS } from './kinds.ts'
import { draftEvents, listDrafts, findDraft, type DraftSummary } from './drafts/service.ts'
import { draftQuery, ListQuery } from './drafts/pages.ts'
import { findVersion, listVersions } from './versions/service.ts'
import { listProposals } from './answers/service.ts'
import { answersArePublic } from './answers/pages.ts'
import { toAkomaNtoso } from './versions/akn.ts'
import { factsPeriod, legalActFacts } from './facts/service.ts'
import { NotFound } from '../../platform/http/errors.ts'
import { LANGS } from '../../platform/i18n/index.ts'
import { translate } from '../../platform/notifications/messages.ts'

const DraftSchema = Type.Object({
  id: Type.Integer(),
  agency: Type.Object({ slug: Type.String(), name: Text }),
  externalId: Nullable(Type.String()),
  kind: Type.Enum([...ACT_KINDS]),
  topic: Type.Enum([...TOPICS]),
  title: Text,
  summary: Text,
  publicService: Type.Boolean({ description: 'it sets a public service\'s procedure (its discussion is counted in working days)' }),
  status: Type.Enum([...STATUSES]),
  discussionStart: Nullable(Type.String({ format: 'date' })),
  discussionEnd: Nullable(Type.String({ format: 'date', description: 'the last day comments are taken' })),
  open: Type.Boolean(),
  answersDue: Nullable(Type.String({ format: 'date' })),
  answersOverdue: Type.Boolean(),
  belowMinimum: Type.Boolean(),
  adoptedOn: Nullable(Type.String({ format: 'date' })),
  adoptedUrl: Nullable(Type.String()),
  comments: Type.Integer(),
  votesFor: Type.Integer(),
  votesAgainst: Type.Integer(),
  url: Type.String({ description: 'its page' }),
})
const UnitSchema = Type.Object({
  eId: Type.String({ description: 'the unit\'s id, as in Akoma Ntoso: chp_2, art_5, para_3, intro_1; comments name it as their anchor' }),
  kind: Type.Union([Type.Literal('section'), Type.Literal('paragraph')]),
  num: Type.String(),
  text: Text,
})
const ProposalSchema = Type.Object({
  id: Type.Integer({ description: 'the comment\'s id (GET /api/comments for the whole thread)' }),
  versionNumber: Type.Integer(),
  anchor: Nullable(Type.String()),
  paragraph: Nullable(Type.String()),
  authorName: Type.String(),
  body: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  votesFor: Type.Integer(),
  votesAgainst: Type.Integer(),
  answer: Nullable(Type.Object({ decision: Type.Enum([...DECISIONS]), reason: Text, answeredAt: Type.String({ format: 'date-time' }) })),
})
const IdParams = Type.Object({ id: RecordId })

function toJson(d: DraftSummary) {
  return {
    id: d.id, agency: { slug: d.agency.slug, name: d.agency.name as Record<string, string> }, externalId: d.externalId, kind: d.kind, topic: d.topic,
    title: d.title as Record<string, string>, summary: d.summary as Record<string, string>, publicService: d.publicService, status: d.status,
    discussionStart: d.discussionStart, discussionEnd: d.discussionEnd, open: d.open, answersDue: d.answersDue, answersOverdue: d.answersOverdue,
    belowMinimum: d.belowMinimum, adoptedOn: d.adoptedOn, adoptedUrl: d.adoptedUrl, comments: d.comments, votesFor: d.votesFor, votesAgainst: d.votesAgainst,
    url: `/ru/legal-acts/drafts/${d.id}`,
  }
}

/** The JSON API of Open Legal Acts: drafts, their versions' texts and the proposals with their answers. */
export async function legalActRoutes(app: FastifyInstance, db: Db): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['Open legal acts']

  api.get('/api/legal-acts/drafts', {
    schema: {
      tags, summary: 'Drafts of regulations in or after public discussion, newest first (best matches first for q)', querystring: ListQuery,
      description: 'open=now: taking comments today; open=closing: closing within 3 days. from/to: the discussion started on or between these days.',
      response: { 200: Type.Object({ items: Type.Array(DraftSchema), total: Type.Integer() }) },
    },
  }, async (request) => {
    const { items, total } = await listDrafts(db, { ...draftQuery(request.query), perPage: 50 })
    return { items: items.map(toJson), total }
  })

  api.get('/api/legal-acts/drafts/:id', {
    schema: {
      tags, summary: 'One draft, with its versions and every step of its life', params: IdParams,
      response: {
        200: Type.Intersect([DraftSchema, Type.Object({
          versions: Type.Array(Type.Object({ number: Type.Integer(), id: Type.Integer({ description: 'comments name the version by this id (subjectType legal-act-version)' }), createdAt: Type.String({ format: 'date-time' }), comments: Type.Integer() })),
          events: Type.Array(Type.Object({ kind: Type.String(), at: Type.String({ format: 'date-time' }), detail: Type.Record(Type.String(), Type.Unknown()) })),
        })]),
      },
    },
  }, async (request) => {
    const draft = await findDraft(db, request.params.id, request.user)
    const versions = await listVersions(db, draft.id)
    const events = await draftEvents(db, draft.id)
    return {
      ...toJson(draft),
      versions: versions.map((v) => ({ number: v.number, id: v.id, createdAt: v.createdAt.toISOString(), comments: v.comments })),
      events: events.map((e) => ({ kind: e.kind, at: e.at.toISOString(), detail: e.detail })),
    }
  })

  api.get('/api/legal-acts/drafts/:id/versions/:number', {
    schema: {
      tags, summary: 'The text of one version: chapters and numbered paragraphs, each with its eId', params: Type.Object({ id: RecordId, number: Type.Integer({ minimum: 1 }) }),
      response: { 200: Type.Object({ id: Type.Integer(), number: Type.Integer(), note: Text, createdAt: Type.String({ format: 'date-time' }), units: Type.Array(UnitSchema) }) },
    },
  }, async (request) => {
    const draft = await findDraft(db, request.params.id, request.user)
    const version = await findVersion(db, draft.id, request.params.number)
    return { id: version.id, number: version.number, note: version.note as Record<string, string>, createdAt: version.createdAt.toISOString(), units: version.body.map((u) => ({ ...u, text: u.text as Record<string, string> })) }
  })

  api.get('/api/legal-acts/drafts/:id/versions/:number/akn', {
    schema: {
      tags, summary: 'The text of one version in one language as Akoma Ntoso 3.0 (OASIS LegalDocML) XML',
      description: 'A bill with its FRBR identification (work: the draft; expression: this version in this language), chapters, articles and paragraphs, each with the eId comments name as their anchor.',
      params: Type.Object({ id: RecordId, number: Type.Integer({ minimum: 1 }) }),
      querystring: Type.Object({ lang: Type.Enum([...LANGS], { description: 'kk or ru (always there) or en (when written)' }) }, { additionalProperties: false }),
      produces: ['application/akn+xml'],
      response: { 200: Type.String({ description: 'application/akn+xml' }) },
    },
  }, async (request, reply) => {
    const { lang } = request.query
    const draft = await findDraft(db, request.params.id, request.user, { counts: false })
    const version = await findVersion(db, draft.id, request.params.number)
    if (!version.body.every((u) => u.text[lang]?.trim())) throw new NotFound('legal-act-text', `${draft.id}/${version.number}/${lang}`)
    const xml = toAkomaNtoso({
      id: draft.id, kind: draft.kind, title: draft.title, agency: draft.agency,
      workDate: draft.discussionStart ?? draft.createdAt.toISOString().slice(0, 10), version,
    }, lang, translate(lang, 'platform.portal.name'))
    return reply
      .type('application/akn+xml; charset=utf-8')
      .header('content-disposition', `inline; filename="legal-act-${draft.id}-v${version.number}-${lang}.akn.xml"`)
      .send(xml)
  })

  api.get('/api/legal-acts/facts', {
    schema: {
      tags, summary: 'What each body did with its drafts in a period: published, days of discussion, below the minimum, proposals answered, answers on time, late or overdue',
      description: 'Drafts count in the period their discussion started in (from/to, both included; the current year unless told). '
        + 'Proposals count once a draft\'s discussion has closed; an answer counts once the answers are published. Days are Kazakhstan\'s.',
      querystring: Type.Object({
        from: Type.Optional(Type.String({ format: 'date' })),
        to: Type.Optional(Type.String({ format: 'date' })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          from: Type.String({ format: 'date' }),
          to: Type.String({ format: 'date' }),
          items: Type.Array(Type.Object({
            agency: Type.Object({ slug: Type.String(), name: Text }),
            draftsPublished: Type.Integer(), medianDiscussionDays: Type.Number(), shortestDiscussionDays: Type.Integer(), belowMinimum: Type.Integer(),
            proposals: Type.Integer(), proposalsAnswered: Type.Integer(),
            answersOnTime: Type.Integer(), answersLate: Type.Integer(), answersOverdue: Type.Integer(), meanDaysLate: Type.Number(),
          })),
        }),
      },
    },
  }, async (request) => {
    const period = factsPeriod(request.query)
    const items = await legalActFacts(db, period)
    return { ...period, items: items.map((f) => ({ ...f, agency: { slug: f.agency.slug, name: f.agency.name as Record<string, string> } })) }
  })

  api.get('/api/legal-acts/drafts/:id/proposals', {
    schema: {
      tags, summary: 'The proposals on a draft (comments that answer no other) and the developer\'s answers, once published', params: IdParams,
      response: { 200: Type.Object({ answersPublished: Type.Boolean(), items: Type.Array(ProposalSchema) }) },
    },
  }, async (request) => {
    const draft = await findDraft(db, request.params.id, request.user)
    const published = await answersArePublic(db, draft)
    const proposals = await listProposals(db, draft.id)
    return {
      answersPublished: published,
      items: proposals.map((p) => ({
        ...p, createdAt: p.createdAt.toISOString(),
        answer: published && p.answer ? { decision: p.answer.decision, reason: p.answer.reason as Record<string, string>, answeredAt: p.answer.answeredAt.toISOString() } : null,
      })),
    }
  })
}
