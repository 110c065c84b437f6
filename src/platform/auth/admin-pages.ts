import { RecordId } from '../http/validation.ts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../db/index.ts'
import { registerPages } from '../html/pages.ts'
import { NotFound, ValidationError } from '../http/errors.ts'
import { localize, type MultilingualText } from '../i18n/multilingual.ts'
import { nameCollator } from '../../modules/agencies/service.ts'
import { findRoleGrant, findUserByEmail, grantRole, listUsers, revokeRole } from './accounts.ts'
import { actorOf } from './index.ts'
import { authorize } from './policies.ts'
import { handleForm } from './forms.ts'
import { ROLES, type Role } from './roles.ts'
import { doneHref } from '../html/done.ts'
import { paginationFor, queryHref } from '../html/pagination.ts'

const GrantBody = Type.Object({
  email: Type.String({ maxLength: 254 }),
  role: Type.String({ maxLength: 40 }),
  agency: Type.Optional(Type.String({ maxLength: 100 })),
  _csrf: Type.Optional(Type.String()),
})
const GrantParams = Type.Object({ id: RecordId })
const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 254 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
})
const PER_PAGE = 50

/** The administrators' page of accounts and roles. */
export async function adminPages(app: FastifyInstance, db: Db): Promise<void> {
  await registerPages(app, async (pages) => {
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const view = 'auth/views/users.njk'

    const context = async (request: FastifyRequest, values: Record<string, string | undefined>, query: { q?: string; page?: number } = {}) => {
      const { lang, t } = request
      // State bodies are the one module every portal refers to: the agency roles are granted for one.
      const agencies = await db.query<{ slug: string; name: MultilingualText }>('select slug, name from agencies')
      agencies.sort(nameCollator(lang))
      const q = query.q?.trim() ?? ''
      const page = query.page ?? 1
      const { users, total } = await listUsers(db, { q, page, perPage: PER_PAGE })
      const pages = Math.max(1, Math.ceil(total / PER_PAGE))
      return {
        title: t('platform.auth.admin.title'),
        q, total, users,
        pagination: pages > 1 ? paginationFor(request, `/${lang}/admin/users`, { q }, page, pages) : null,
        roles: ROLES.map((role) => ({ value: role, text: t(`platform.auth.roles.${role}`), selected: values.role === role })),
        agencies: [{ value: '', text: '—' }, ...agencies.map((a) => ({ value: a.slug, text: localize(a.name, lang)?.text ?? a.slug, selected: values.agency === a.slug }))],
        values,
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }],
      }
    }

    typed.get('/admin/users', { schema: { hide: true, querystring: ListQuery } }, async (request, reply) => {
      authorize(request.user, 'user.list')
      return reply.render(view, await context(request, {}, request.query))
    })

    typed.post('/admin/users', { schema: { hide: true, body: GrantBody } }, async (request, reply) => {
      authorize(request.user, 'role.grant')
      const { email, role, agency } = request.body
      return handleForm(reply, view, await context(request, request.body), async () => {
        const user = await findUserByEmail(db, email)
        if (!user) throw new ValidationError([{ field: 'email', messageKey: 'platform.auth.admin.noSuchUser' }])
        await grantRole(db, actorOf(request), user.id, role as Role, agency || undefined)
        return reply.redirect(doneHref(queryHref(`/${request.lang}/admin/users`, { q: user.email }), 'roleGranted', `user-${user.id}`), 303)
      })
    })

    // Revoking asks first, and says so when it is the administrator's own role.
    const confirmation = async (request: FastifyRequest, grantId: number) => {
      const { lang, t } = request
      const grant = await findRoleGrant(db, grantId)
      if (!grant) throw new NotFound('role', String(grantId))
      const role = t(`platform.auth.roles.${grant.role}`) + (grant.agencyName ? ` — ${localize(grant.agencyName, lang)?.text ?? ''}` : '')
      return {
        title: t('platform.auth.admin.confirmTitle', { role, email: grant.email }),
        question: t('platform.auth.admin.confirmQuestion'),
        warning: grant.userId === request.user?.id ? t('platform.auth.admin.confirmOwn') : undefined,
        action: `/${lang}/admin/users/grants/${grant.id}/revoke`,
        submit: t('platform.auth.admin.confirmSubmit'),
        cancel: { href: `/${lang}/admin/users`, text: t('platform.auth.admin.cancel') },
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('platform.auth.admin.title'), href: `/${lang}/admin/users` }],
      }
    }

    typed.get('/admin/users/grants/:id/revoke', { schema: { hide: true, params: GrantParams } }, async (request, reply) => {
      authorize(request.user, 'role.grant')
      return reply.render('confirm.njk', await confirmation(request, request.params.id))
    })

    typed.post('/admin/users/grants/:id/revoke', { schema: { hide: true, params: GrantParams } }, async (request, reply) => {
      authorize(request.user, 'role.grant')
      const grant = await findRoleGrant(db, request.params.id)
      try {
        await revokeRole(db, actorOf(request), request.params.id)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const errors = error.fields.map((f) => ({ text: request.t(f.messageKey, f.values) }))
        return reply.code(409).render('confirm.njk', { ...await confirmation(request, request.params.id), errors })
      }
      return reply.redirect(grant ? doneHref(queryHref(`/${request.lang}/admin/users`, { q: grant.email }), 'roleRevoked', `user-${grant.userId}`) : `/${request.lang}/admin/users`, 303)
    })
  })
}
