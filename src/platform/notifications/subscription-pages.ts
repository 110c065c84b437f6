import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../db/index.ts'
import { registerPages } from '../html/pages.ts'
import { Unauthorized } from '../http/errors.ts'
import { LocalPath, localPath } from '../http/redirects.ts'
import { RecordId } from '../http/validation.ts'
import { subscribe, unsubscribe, unsubscribeByToken } from './subscriptions.ts'

const FollowBody = Type.Object({ topic: Type.String({ maxLength: 200 }), returnTo: Type.Optional(LocalPath), _csrf: Type.Optional(Type.String()) })
const ReturnBody = Type.Object({ returnTo: Type.Optional(LocalPath), _csrf: Type.Optional(Type.String()) })
const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 100 })) })
const TokenBody = Type.Object({ token: Type.String({ maxLength: 100 }), _csrf: Type.Optional(Type.String()) })

/** Following and unfollowing: the buttons on the pages of what can be followed, and the link in every mail. */
export async function subscriptionPages(app: FastifyInstance, db: Db): Promise<void> {
  await registerPages(app, async (pages) => {
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()

    typed.post('/subscriptions', { schema: { hide: true, body: FollowBody } }, async (request, reply) => {
      if (!request.user) throw new Unauthorized()
      await subscribe(db, request.user, request.body.topic)
      return reply.redirect(localPath(request.body.returnTo, `/${request.lang}/account#subscriptions`), 303)
    })

    typed.post('/subscriptions/:id/delete', { schema: { hide: true, params: Type.Object({ id: RecordId }), body: ReturnBody } }, async (request, reply) => {
      if (!request.user) throw new Unauthorized()
      await unsubscribe(db, request.user, request.params.id)
      return reply.redirect(localPath(request.body.returnTo, `/${request.lang}/account#subscriptions`), 303)
    })

    // The link in a mail opens a page with a button: a mail scanner that follows links ends nothing.
    const view = 'notifications/views/unsubscribe.njk'
    typed.get('/subscriptions/unsubscribe', { schema: { hide: true, querystring: TokenQuery } }, async (request, reply) =>
      reply.render(view, { title: request.t('platform.subscriptions.unsubscribeTitle'), token: request.query.token ?? '' }))

    typed.post('/subscriptions/unsubscribe', { schema: { hide: true, body: TokenBody } }, async (request, reply) => {
      const title = await unsubscribeByToken(db, request.body.token)
      return reply.code(title ? 200 : 404).render(view, { title: request.t('platform.subscriptions.unsubscribeTitle'), done: title !== undefined, topicTitle: title, gone: title === undefined })
    })
  })
}
