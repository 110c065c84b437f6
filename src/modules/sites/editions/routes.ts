import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import { NotFound } from '../../../platform/http/errors.ts'
import { Nullable, RecordId, MultilingualSchema as Text } from '../../../platform/http/validation.ts'
import { LANGS, type Lang } from '../../../platform/i18n/index.ts'
import { agencyIdBySlug, agencySlugById } from '../../agencies/service.ts'
import { listPublished, publicItem, type PublicItem } from './reading.ts'
import { createItem, findItem, itemEditions, publishEdition, returnEdition, saveEdition, submitEdition, withdrawItem, type Edition } from './service.ts'
import { EditionStatusSchema, ITEM_KINDS, LISTED_KINDS, SITE_DOCUMENT_KINDS } from './states.ts'
import { siteFileHref } from './pages.ts'
import type { FileStore } from '../../../platform/files/index.ts'

const TAGS = ['Agency sites']
const TOKEN = [{ bearerAuth: [] }]
const Slug = Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' })
const LangSchema = Type.Enum([...LANGS])

const EditionSchema = Type.Object({
  lang: LangSchema, number: Type.Integer(), status: EditionStatusSchema, title: Type.String(), summary: Type.String(),
  body: Type.String({ description: 'Markdown' }), changeNote: Nullable(Type.String()),
  file: Nullable(Type.Object({ name: Type.String(), mediaType: Type.String(), size: Type.Integer(), sha256: Type.String(), url: Nullable(Type.String()) })),
  publishAt: Nullable(Type.String({ format: 'date-time' })), publishedAt: Nullable(Type.String({ format: 'date-time' })),
  withdrawn: Nullable(Type.Object({ at: Type.String({ format: 'date-time' }), reason: Type.String() })),
})
const ItemSchema = Type.Object({
  id: Type.Integer(), kind: Type.Enum([...ITEM_KINDS]), documentKind: Nullable(Type.Enum([...SITE_DOCUMENT_KINDS])), number: Nullable(Type.String()),
  signedOn: Nullable(Type.String({ format: 'date' })), signatory: Nullable(Text),
  languages: Type.Array(LangSchema, { description: 'the languages it is published in' }),
  firstPublishedAt: Type.String({ format: 'date-time' }),
  editions: Type.Array(EditionSchema, { description: 'the edition readers see in each language it is published in' }),
})

/** A body's news and documents as JSON for anyone, and their editions' steps for its staff with a token. */
export async function siteRoutes(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const agencyOf = async (slug: string) => {
    const id = await agencyIdBySlug(db, slug)
    if (id === undefined) throw new NotFound('agency', slug)
    return id
  }
  const editionJson = (slug: string, itemId: number, e: Edition) => ({
    lang: e.lang, number: e.number, status: e.status, title: e.title, summary: e.summary, body: e.body, changeNote: e.changeNote,
    file: e.file && { name: e.file.name, mediaType: e.file.mediaType, size: e.file.size, sha256: e.file.sha256, url: e.status === 'published' ? siteFileHref(slug, itemId, e.lang) : null },
    publishAt: e.publishAt?.toISOString() ?? null, publishedAt: e.publishedAt?.toISOString() ?? null,
    withdrawn: e.withdrawn && { at: e.withdrawn.at.toISOString(), reason: e.withdrawn.reason },
  })
  const itemJson = (slug: string, p: PublicItem) => ({
    id: p.item.id, kind: p.item.kind, documentKind: p.item.documentKind, number: p.item.number, signedOn: p.item.signedOn,
    signatory: p.item.signatory as Record<string, string> | null, languages: p.languages, firstPublishedAt: p.firstPublishedAt.toISOString(),
    editions: p.current.map((e) => editionJson(slug, p.item.id, e)),
  })

  for (const kind of LISTED_KINDS) {
    const section = kind === 'news' ? 'news' : 'documents'
    api.get(`/api/agencies/:slug/${section}`, {
      schema: {
        tags: TAGS, summary: `A body's published ${section}, newest first`, params: Type.Object({ slug: Slug }),
        querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(ItemSchema) }) },
      },
    }, async (request) => {
      const agencyId = await agencyOf(request.params.slug)
      const page = request.query.page ?? 1
      const { items, total } = await listPublished(db, agencyId, kind, 'ru', { offset: (page - 1) * 20, limit: 20 })
      return { total, items: items.map((p) => itemJson(request.params.slug, p)) }
    })
    api.get(`/api/agencies/:slug/${section}/:id`, {
      schema: { tags: TAGS, summary: `One of a body's published ${section}, every language it is published in`, params: Type.Object({ slug: Slug, id: RecordId }), response: { 200: ItemSchema } },
    }, async (request) => itemJson(request.params.slug, await publicItem(db, await agencyOf(request.params.slug), kind, request.params.id, 'ru')))
  }

  const EditionBody = Type.Object({
    title: Type.String({ maxLength: 300 }), summary: Type.Optional(Type.String({ maxLength: 600 })), body: Type.Optional(Type.String({ maxLength: 100_000, description: 'Markdown' })),
    changeNote: Type.Optional(Type.String({ maxLength: 1000, description: 'what changed: required before a second edition is submitted' })),
  }, { additionalProperties: false })
  api.post('/api/agencies/:slug/site/items', {
    schema: {
      tags: TAGS, security: TOKEN, summary: 'Start a news item or a document of the body (its staff): its first edition, a draft in one language',
      params: Type.Object({ slug: Slug }),
      body: Type.Object({
        kind: Type.Enum([...ITEM_KINDS]), lang: LangSchema, documentKind: Type.Optional(Type.Enum([...SITE_DOCUMENT_KINDS])), number: Type.Optional(Type.String({ maxLength: 60 })),
        signedOn: Type.Optional(Type.String({ format: 'date' })), signatory: Type.Optional(Text), reviewOn: Type.Optional(Type.String({ format: 'date' })), edition: EditionBody,
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer() }) },
    },
  }, async (request, reply) => {
    const { edition, lang, ...item } = request.body
    const id = await createItem(db, files, request.user, await agencyOf(request.params.slug), item, lang, edition)
    return reply.code(201).send({ id })
  })

  const EditionParams = Type.Object({ id: RecordId, lang: LangSchema })
  api.put('/api/site/items/:id/:lang', {
    schema: { tags: TAGS, security: TOKEN, summary: 'Write an item\'s edition in a language (its body\'s staff): the draft, or the next edition as a draft', params: EditionParams, body: EditionBody, response: { 200: Type.Object({ editions: Type.Array(EditionSchema) }) } },
  }, async (request) => {
    await saveEdition(db, files, request.user, request.params.id, request.params.lang, request.body)
    return editionsOf(request.params.id)
  })
  const editionsOf = async (id: number) => {
    const item = await findItem(db, id)
    const slug = (await agencySlugById(db, item.agencyId)) ?? ''
    return { editions: (await itemEditions(db, id)).map((e) => editionJson(slug, id, e)) }
  }
  for (const action of ['submit', 'publish', 'return'] as const) {
    api.post(`/api/site/items/:id/:lang/${action}`, {
      schema: {
        tags: TAGS, security: TOKEN, params: EditionParams,
        summary: { submit: 'Submit a language\'s draft for publishing', publish: 'Publish a language\'s submitted edition now, or at ?publishAt=', return: 'Return a submitted or scheduled edition to draft' }[action],
        querystring: Type.Object({ publishAt: Type.Optional(Type.String({ format: 'date-time', description: 'publish: the moment to publish at (scheduled); none: now' })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ editions: Type.Array(EditionSchema) }) },
      },
    }, async (request) => {
      const { id, lang } = request.params as { id: number; lang: Lang }
      if (action === 'submit') await submitEdition(db, request.user, id, lang)
      if (action === 'return') await returnEdition(db, request.user, id, lang)
      if (action === 'publish') await publishEdition(db, request.user, id, lang, request.query.publishAt ? new Date(request.query.publishAt) : null)
      return editionsOf(id)
    })
  }
  api.post('/api/site/items/:id/withdraw', {
    schema: {
      tags: TAGS, security: TOKEN, summary: 'Withdraw an item in every language with a reason readers see (its body\'s staff)', params: Type.Object({ id: RecordId }),
      body: Type.Object({ reason: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }), response: { 200: Type.Object({ editions: Type.Array(EditionSchema) }) },
    },
  }, async (request) => {
    await withdrawItem(db, request.user, request.params.id, request.body.reason)
    return editionsOf(request.params.id)
  })
}
