import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../db/index.ts'
import { registerPages } from '../html/pages.ts'
import { authorize } from '../auth/policies.ts'
import { listOutbox, retryFailedMail } from './outbox.ts'

/** The administrators' view of the outbox: what was sent, what waits and why, and the text of each mail. */
export async function outboxPages(app: FastifyInstance, db: Db, { sending }: { sending: boolean }): Promise<void> {
  await registerPages(app, async (pages) => {
    const show = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
      authorize(request.user, 'outbox.read')
      const { lang, t } = request
      const { entries, counts } = await listOutbox(db)
      return reply.render('notifications/views/outbox.njk', {
        title: t('platform.mail.outbox.title'),
        sending,
        entries,
        counts,
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('platform.auth.account.title'), href: `/${lang}/account` }],
        ...extra,
      })
    }
    pages.get('/admin/outbox', { schema: { hide: true } }, async (request, reply) => show(request, reply))
    pages.post('/admin/outbox/retry', { schema: { hide: true } }, async (request, reply) => {
      authorize(request.user, 'outbox.read')
      return show(request, reply, { retried: await retryFailedMail(db) })
    })
  })
}
