import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../db/index.ts'
import { registerPages } from '../html/pages.ts'
import { Unauthorized } from '../http/errors.ts'
import { LocalPath, localPath } from '../http/redirects.ts'
import { doneHref } from '../html/done.ts'
import { RecordId } from '../http/validation.ts'
import { IdempotencyHeaders } from '../http/idempotency.ts'
import { siteOrigin } from '../http/index.ts'
import { requireConfirmedEmail } from '../auth/email-confirmation.ts'
import { commentActions } from './actions.ts'
import { handleForm } from '../auth/forms.ts'
import { castVote, commentThread, commentToModerate, findComment, hideComment, HIDE_REASONS, postComment, restoreComment, COMMENT_MAX_LENGTH, type CommentView } from './service.ts'

const SubjectFields = {
  subjectType: Type.String({ maxLength: 60 }),
  subjectId: Type.String({ maxLength: 100 }),
}
const CommentBody = Type.Object({
  ...SubjectFields,
  anchor: Type.Optional(Type.String({ maxLength: 200 })),
  parentId: Type.Optional(Type.String({ maxLength: 20, pattern: '^\\d*$' })),
  body: Type.String({ maxLength: COMMENT_MAX_LENGTH * 2 }),
  key: Type.Optional(Type.String({ maxLength: 100 })),
  returnTo: Type.Optional(LocalPath),
  _csrf: Type.Optional(Type.String()),
})
const NewCommentQuery = Type.Object({
  ...SubjectFields,
  anchor: Type.Optional(Type.String({ maxLength: 200 })),
  parentId: Type.Optional(RecordId),
  returnTo: Type.Optional(LocalPath),
})
const VoteBody = Type.Object({
  ...SubjectFields,
  value: Type.String({ enum: ['1', '-1', '0'] }),
  returnTo: Type.Optional(LocalPath),
  _csrf: Type.Optional(Type.String()),
})
const IdParams = Type.Object({ id: RecordId })
const ReturnQuery = Type.Object({ returnTo: Type.Optional(LocalPath) })
const HideBody = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 20 })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  duplicateOf: Type.Optional(Type.String({ maxLength: 20, pattern: '^\\d*$' })),
  returnTo: Type.Optional(LocalPath),
  _csrf: Type.Optional(Type.String()),
})
const RestoreBody = Type.Object({ returnTo: Type.Optional(LocalPath), _csrf: Type.Optional(Type.String()) })

const CommentSchema = Type.Object({
  id: Type.Integer(),
  anchor: Type.Union([Type.String(), Type.Null()], { description: 'the part of the object it is about (a paragraph\'s eId), or null for the whole' }),
  parentId: Type.Union([Type.Integer(), Type.Null()], { description: 'the comment it replies to' }),
  authorName: Type.String(),
  body: Type.Union([Type.String(), Type.Null()], { description: 'null when the comment is hidden' }),
  lang: Type.Union([Type.Enum(['kk', 'ru', 'en']), Type.Null()], { description: 'the language it is written in, read from its letters' }),
  createdAt: Type.String({ format: 'date-time' }),
  hidden: Type.Union([Type.Object({ reason: Type.String(), note: Type.Union([Type.String(), Type.Null()]), duplicateOf: Type.Union([Type.Integer(), Type.Null()]) }), Type.Null()]),
  votesFor: Type.Integer(),
  votesAgainst: Type.Integer(),
})

/** The item a vote's message is written in: its object's votes. */
export function voteItem(subjectType: string, subjectId: string): string {
  return `votes-${subjectType}-${subjectId}`.toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 61)
}

/** Comments, votes and their moderation: the forms every module's pages embed, and the public API. */
export async function commentPages(app: FastifyInstance, db: Db): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/api/comments', {
    schema: {
      tags: ['Platform'],
      summary: 'The comments on an object of any portal, oldest first (a reply names its parent)',
      description: 'subjectType and subjectId name the object as its portal does (a draft\'s version: legal-act-version and its id). Hidden comments keep their place and reason, not their text.',
      querystring: Type.Object({ ...SubjectFields, anchor: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ count: Type.Integer(), comments: Type.Array(CommentSchema) }) },
    },
  }, async (request) => {
    const { subjectType, subjectId, anchor } = request.query
    const thread = await commentThread(db, subjectType, subjectId, null, anchor)
    const flat: CommentView[] = []
    const walk = (list: CommentView[]) => list.forEach((c) => { flat.push(c); walk(c.replies) })
    walk(thread.comments)
    flat.sort((a, b) => a.id - b.id)
    return {
      count: thread.count,
      comments: flat.map(({ id, anchor, parentId, authorName, body, lang, createdAt, hidden, votesFor, votesAgainst }) => ({
        id, anchor, parentId, authorName, body, lang: hidden ? null : lang, createdAt: createdAt.toISOString(), hidden, votesFor, votesAgainst,
      })),
    }
  })

  // Writing through the API, with a token: the same rules, limits and mail as the forms.
  const security = [{ bearerAuth: [] }]
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  api.post('/api/comments', {
    schema: {
      tags: ['Platform'], security,
      summary: 'Comment on an object open for comments, or reply to a comment on it (an account with a confirmed address)',
      description: 'An Idempotency-Key header makes a retry return the comment it made (200) rather than a second one (201). Limits per account and per address; over them, 429 with Retry-After.',
      headers: IdempotencyHeaders,
      body: Type.Object({
        ...SubjectFields,
        anchor: Type.Optional(Type.String({ maxLength: 200, description: 'the part of the object it is about (a paragraph\'s eId)' })),
        parentId: Type.Optional(RecordId),
        body: Type.String({ maxLength: COMMENT_MAX_LENGTH * 2, description: `at most ${COMMENT_MAX_LENGTH} characters` }),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Type.Integer() }), 201: Type.Object({ id: Type.Integer() }) },
    },
  }, async (request, reply) => {
    if (!request.user) throw new Unauthorized()
    const { subjectType, subjectId, anchor, parentId, body } = request.body
    const { id, created } = await postComment(db, { user: request.user, address: request.ip }, {
      subjectType, subjectId, anchor: anchor || null, parentId: parentId ?? null, body, pageLang: request.lang, idempotencyKey: request.headers['idempotency-key'] ?? null,
    }, siteOrigin(request))
    return reply.code(created ? 201 : 200).send({ id })
  })
  api.put('/api/votes', {
    schema: {
      tags: ['Platform'], security,
      summary: 'Vote for (1) or against (-1) an object open for comments, or a comment on it (subjectType comment); 0 takes the vote back',
      body: Type.Object({ ...SubjectFields, value: Type.Union([Type.Literal(1), Type.Literal(-1), Type.Literal(0)]) }, { additionalProperties: false }),
      response: { 204: Type.Null() },
    },
  }, async (request, reply) => {
    if (!request.user) throw new Unauthorized()
    await castVote(db, { user: request.user, address: request.ip }, request.body.subjectType, request.body.subjectId, request.body.value)
    return reply.code(204).send(null)
  })

  await registerPages(app, async (pages) => {
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const formView = 'comments/views/comment-form.njk'
    const back = (request: FastifyRequest, returnTo: string | undefined) => localPath(returnTo, `/${request.lang}/`)

    const formContext = async (request: FastifyRequest, values: Record<string, string | undefined>) => {
      const parentId = Number(values.parentId) || null
      const parent = parentId ? await findComment(db, parentId) : undefined
      return {
        title: request.t(parent ? 'platform.comments.replyTitle' : 'platform.comments.formTitle'),
        parent: parent && !parent.hidden ? parent : undefined,
        values: { ...values, key: values.key || randomUUID() },
        back: back(request, values.returnTo),
      }
    }

    typed.get('/comments/new', { schema: { hide: true, querystring: NewCommentQuery } }, async (request, reply) => {
      if (!request.user) throw new Unauthorized()
      requireConfirmedEmail(request.user)
      const { parentId, ...rest } = request.query
      return reply.render(formView, await formContext(request, { ...rest, parentId: parentId ? String(parentId) : undefined }))
    })

    typed.post('/comments', { schema: { hide: true, body: CommentBody } }, async (request, reply) => {
      if (!request.user) throw new Unauthorized()
      const body = request.body
      return handleForm(reply, formView, await formContext(request, body), async () => {
        const { id } = await postComment(db, { user: request.user!, address: request.ip }, {
          subjectType: body.subjectType, subjectId: body.subjectId, anchor: body.anchor || null,
          parentId: Number(body.parentId) || null, body: body.body, pageLang: request.lang, idempotencyKey: body.key ?? null,
        }, siteOrigin(request))
        return reply.redirect(doneHref(back(request, body.returnTo), 'commented', `comment-${id}`, (await findComment(db, id))?.anchor), 303)
      })
    })

    typed.post('/votes', { schema: { hide: true, body: VoteBody } }, async (request, reply) => {
      if (!request.user) throw new Unauthorized()
      const { subjectType, subjectId, value, returnTo } = request.body
      await castVote(db, { user: request.user, address: request.ip }, subjectType, subjectId, Number(value))
      // Back at the votes just cast, a comment's paragraph open.
      const anchor = subjectType === 'comment' && /^\d{1,15}$/.test(subjectId) ? (await findComment(db, Number(subjectId)))?.anchor : null
      return reply.redirect(doneHref(back(request, returnTo), 'voted', voteItem(subjectType, subjectId), anchor), 303)
    })

    const moderateView = 'comments/views/moderate.njk'
    const moderateContext = async (request: FastifyRequest, id: number, values: Record<string, string | undefined>) => {
      const comment = await commentToModerate(db, id)
      commentActions.require(request.user, 'hide', { agencyId: comment.agencyId, status: comment.hidden ? 'hidden' : 'visible' })
      return {
        title: request.t('platform.comments.moderateTitle'),
        comment,
        reasons: HIDE_REASONS.map((reason) => ({
          value: reason, text: request.t(`platform.comments.reasons.${reason}`), checked: values.reason === reason,
          hint: { text: request.t(`platform.comments.reasonHints.${reason}`) },
        })),
        values,
        back: back(request, values.returnTo),
      }
    }
    const moderate = async (request: FastifyRequest, reply: FastifyReply, id: number, values: Record<string, string | undefined>) =>
      reply.render(moderateView, await moderateContext(request, id, values))

    typed.get('/comments/:id/moderate', { schema: { hide: true, params: IdParams, querystring: ReturnQuery } }, async (request, reply) =>
      moderate(request, reply, request.params.id, { returnTo: request.query.returnTo }))

    typed.post('/comments/:id/moderate', { schema: { hide: true, params: IdParams, body: HideBody } }, async (request, reply) => {
      const body = request.body
      const context = await moderateContext(request, request.params.id, body)
      return handleForm(reply, moderateView, context, async () => {
        await hideComment(db, request.user, request.params.id, { reason: body.reason ?? '', note: body.note, duplicateOf: Number(body.duplicateOf) || null }, siteOrigin(request))
        return reply.redirect(doneHref(context.back, 'hidden', `comment-${request.params.id}`, context.comment.anchor), 303)
      })
    })

    typed.post('/comments/:id/restore', { schema: { hide: true, params: IdParams, body: RestoreBody } }, async (request, reply) => {
      await restoreComment(db, request.user, request.params.id)
      return reply.redirect(doneHref(back(request, request.body.returnTo), 'restored', `comment-${request.params.id}`, (await findComment(db, request.params.id))?.anchor), 303)
    })
  })
}
