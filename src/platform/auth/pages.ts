import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../db/index.ts'
import { registerPages } from '../html/pages.ts'
import { NotFound, ValidationError, Unauthorized } from '../http/errors.ts'
import { LocalPath, localPath } from '../http/redirects.ts'
import { RecordId } from '../http/validation.ts'
import { authenticate, insertAccount, prepareAccount, residenceChoices, setResidence } from './accounts.ts'
import { collatorFor } from '../i18n/index.ts'
import { localize } from '../i18n/multilingual.ts'
import { confirmEmail, sendConfirmationLink } from './email-confirmation.ts'
import { checkResetLink, requestPasswordReset, resetPassword, RESET_MINUTES } from './password-reset.ts'
import { MIN_PASSWORD_LENGTH } from './passwords.ts'
import { siteOrigin } from '../http/index.ts'
import { limitPerAddress, type Limit } from '../http/rate-limits.ts'
import { listSubscriptions } from '../notifications/subscriptions.ts'
import { actorOf, clearSessionCookie, setSessionCookie, SESSION_COOKIE } from './index.ts'
import { authorize, can } from './policies.ts'
import { handleForm } from './forms.ts'
import { endSession, SESSION_DAYS, startSession } from './sessions.ts'
import { createApiToken, listApiTokens, revokeApiToken } from './tokens.ts'

/**
 * Requests per network address to the account forms, counted in the database by every server
 * together: enough for the people behind one address (a school, an office), not for a script.
 */
export const ADDRESS_LIMITS: Record<'signIn' | 'register' | 'confirm' | 'reset', Limit> = {
  signIn: { name: 'sign-in-address', max: 10, windowSeconds: 60 },
  register: { name: 'register-address', max: 10, windowSeconds: 600 },
  confirm: { name: 'confirm-address', max: 20, windowSeconds: 600 },
  reset: { name: 'reset-address', max: 20, windowSeconds: 600 },
}

const SignInBody = Type.Object({
  email: Type.String({ maxLength: 254 }),
  password: Type.String({ maxLength: 256 }),
  next: Type.Optional(LocalPath),
  _csrf: Type.Optional(Type.String()),
})

const RegisterBody = Type.Object({
  email: Type.String({ maxLength: 254 }),
  password: Type.String({ maxLength: 256 }),
  displayName: Type.Optional(Type.String({ maxLength: 200 })),
  _csrf: Type.Optional(Type.String()),
})

const ResidenceBody = Type.Object({ regionCode: Type.Optional(Type.String({ maxLength: 60 })), _csrf: Type.Optional(Type.String()) })
const TokenBody = Type.Object({ name: Type.String({ maxLength: 100 }), _csrf: Type.Optional(Type.String()) })
const TokenParams = Type.Object({ id: RecordId })
const NextQuery = Type.Object({ next: Type.Optional(LocalPath) })
const ConfirmQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 100 })) })
const ConfirmBody = Type.Object({ token: Type.String({ maxLength: 100 }), _csrf: Type.Optional(Type.String()) })
const ForgotBody = Type.Object({ email: Type.String({ maxLength: 254 }), _csrf: Type.Optional(Type.String()) })
const ResetBody = Type.Object({ token: Type.String({ maxLength: 100 }), password: Type.String({ maxLength: 256 }), _csrf: Type.Optional(Type.String()) })

async function signIn(db: Db, request: FastifyRequest, reply: import('fastify').FastifyReply, userId: number) {
  // A new session id at every sign-in: a session fixed before it opens nothing after.
  const previous = request.cookies[SESSION_COOKIE]
  if (previous) await endSession(db, previous)
  setSessionCookie(request, reply, await startSession(db, userId), SESSION_DAYS * 24 * 3600)
}

/** Registration, sign-in and sign-out, and the account page with API tokens. */
export async function authPages(app: FastifyInstance, db: Db): Promise<void> {
  await registerPages(app, async (pages) => {
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()

    typed.get('/register', { schema: { hide: true } }, async (request, reply) =>
      reply.render('auth/views/register.njk', { title: request.t('platform.auth.register.title'), values: {} }))

    typed.post('/register', {
      schema: { hide: true, body: RegisterBody },
      onRequest: limitPerAddress(db, ADDRESS_LIMITS.register),
    }, async (request, reply) => {
      const values = { email: request.body.email, displayName: request.body.displayName }
      return handleForm(reply, 'auth/views/register.njk', { title: request.t('platform.auth.register.title'), values }, async () => {
        const account = await prepareAccount({ ...request.body, lang: request.lang })
        // The account and the mail with its confirmation link are written together, or neither.
        const user = await db.transaction(async (tx) => {
          const created = await insertAccount(tx, account)
          await sendConfirmationLink(tx, created, siteOrigin(request))
          return created
        })
        await signIn(db, request, reply, user.id)
        return reply.redirect(`/${request.lang}/account`, 303)
      })
    })

    typed.get('/sign-in', { schema: { hide: true, querystring: NextQuery } }, async (request, reply) =>
      reply.render('auth/views/sign-in.njk', { title: request.t('platform.auth.signIn.title'), values: { next: request.query.next } }))

    typed.post('/sign-in', {
      schema: { hide: true, body: SignInBody },
      // Per address here; per account and address in authenticate.
      onRequest: limitPerAddress(db, ADDRESS_LIMITS.signIn),
    }, async (request, reply) => {
      const values = { email: request.body.email, next: request.body.next }
      return handleForm(reply, 'auth/views/sign-in.njk', { title: request.t('platform.auth.signIn.title'), values }, async () => {
        const user = await authenticate(db, request.body.email, request.body.password, { address: request.ip })
        // One answer for "no such user" and "wrong password".
        if (!user) throw new ValidationError([{ field: 'email', messageKey: 'platform.auth.signIn.failed' }])
        await signIn(db, request, reply, user.id)
        return reply.redirect(localPath(request.body.next, `/${request.lang}/account`), 303)
      })
    })

    typed.post('/sign-out', { schema: { hide: true } }, async (request, reply) => {
      const secret = request.cookies[SESSION_COOKIE]
      if (secret) await endSession(db, secret)
      clearSessionCookie(request, reply)
      return reply.redirect(`/${request.lang}/`, 303)
    })

    const accountPage = async (request: FastifyRequest, reply: import('fastify').FastifyReply, extra: Record<string, unknown> = {}) => {
      if (!request.user) throw new Unauthorized()
      const mayHoldTokens = can(request.user, 'token.manage')
      return reply.render('auth/views/account.njk', {
        title: request.t('platform.auth.account.title'),
        account: request.user,
        mayHoldTokens,
        isAdmin: can(request.user, 'user.list'),
        tokens: mayHoldTokens ? await listApiTokens(db, request.user.id) : [],
        subscriptions: await listSubscriptions(db, request.user.id),
        regions: (await residenceChoices(db)).sort((a, b) => collatorFor(request.lang).compare(localize(a.name, request.lang)?.text ?? a.code, localize(b.name, request.lang)?.text ?? b.code)),
        ...extra,
      })
    }

    typed.get('/account', { schema: { hide: true } }, async (request, reply) => accountPage(request, reply))

    // Where the person lives, as they state it: a poll of one region's residents asks it.
    typed.post('/account/residence', { schema: { hide: true, body: ResidenceBody } }, async (request, reply) => {
      if (!request.user) throw new Unauthorized()
      const code = request.body.regionCode?.trim() || null
      if (!(await setResidence(db, request.user.id, code))) {
        const message = request.t('platform.auth.residence.unknown')
        return accountPage(request, reply.code(400), { errors: [{ text: message, href: '#regionCode' }], fieldErrors: { regionCode: { text: message } } })
      }
      return reply.redirect(`/${request.lang}/account#residence`, 303)
    })

    // Another confirmation link, for a mail that never came or a link that expired.
    typed.post('/account/confirmation', { schema: { hide: true } }, async (request, reply) => {
      if (!request.user) throw new Unauthorized()
      const user = request.user
      if (!user.emailConfirmed) await db.transaction((tx) => sendConfirmationLink(tx, user, siteOrigin(request)))
      return accountPage(request, reply, { linkSent: !user.emailConfirmed })
    })

    // The link in the mail opens a page with a button: a mail scanner that follows links confirms nothing.
    const confirmView = 'auth/views/confirm-email.njk'
    typed.get('/account/confirm', { schema: { hide: true, querystring: ConfirmQuery } }, async (request, reply) =>
      reply.render(confirmView, { title: request.t('platform.auth.confirm.title'), token: request.query.token ?? '' }))

    typed.post('/account/confirm', {
      schema: { hide: true, body: ConfirmBody },
      onRequest: limitPerAddress(db, ADDRESS_LIMITS.confirm),
    }, async (request, reply) => {
      const context = { title: request.t('platform.auth.confirm.title'), token: request.body.token }
      return handleForm(reply, confirmView, context, async () => {
        await confirmEmail(db, request.body.token)
        return reply.render(confirmView, { ...context, confirmed: true })
      })
    })

    // A forgotten password: a link by mail, one answer whether or not an account uses the address.
    const forgotView = 'auth/views/forgot-password.njk'
    typed.get('/account/forgot', { schema: { hide: true } }, async (request, reply) =>
      reply.render(forgotView, { title: request.t('platform.auth.reset.title'), values: {}, minutes: RESET_MINUTES }))

    typed.post('/account/forgot', { schema: { hide: true, body: ForgotBody } }, async (request, reply) => {
      const context = { title: request.t('platform.auth.reset.title'), values: { email: request.body.email }, minutes: RESET_MINUTES }
      return handleForm(reply, forgotView, context, async () => {
        await requestPasswordReset(db, { email: request.body.email, address: request.ip }, siteOrigin(request))
        return reply.render(forgotView, { ...context, title: request.t('platform.auth.reset.sentTitle'), sent: true })
      })
    })

    // The link opens a form (a mail scanner following it changes nothing); a used or expired link says so at once.
    const resetView = 'auth/views/reset-password.njk'
    const resetContext = (request: FastifyRequest, token: string) => ({ title: request.t('platform.auth.reset.newTitle'), token, usable: true, minLength: MIN_PASSWORD_LENGTH })
    typed.get('/account/reset', { schema: { hide: true, querystring: ConfirmQuery } }, async (request, reply) => {
      const context = resetContext(request, request.query.token ?? '')
      return handleForm(reply, async (found) => reply.render(resetView, { ...context, ...found, usable: false }), context, async () => {
        await checkResetLink(db, context.token)
        return reply.render(resetView, context)
      })
    })

    typed.post('/account/reset', {
      schema: { hide: true, body: ResetBody },
      onRequest: limitPerAddress(db, ADDRESS_LIMITS.reset),
    }, async (request, reply) => {
      const context = resetContext(request, request.body.token)
      return handleForm(reply, async (found) => reply.render(resetView, { ...context, ...found, usable: !found.fieldErrors?.token }), context, async () => {
        await resetPassword(db, request.body.token, request.body.password)
        // Every session of the account has ended; this browser's cookie goes too.
        clearSessionCookie(request, reply)
        return reply.render(resetView, { ...context, title: request.t('platform.auth.reset.doneTitle'), done: true })
      })
    })

    typed.post('/account/tokens', { schema: { hide: true, body: TokenBody } }, async (request, reply) => {
      const user = authorize(request.user, 'token.manage')
      try {
        const created = await createApiToken(db, actorOf(request), user.id, request.body.name)
        return accountPage(request, reply, { newToken: created.token })
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return accountPage(request, reply.code(400), { errors: [{ text: request.t('platform.auth.tokenNameLength'), href: '#name' }], fieldErrors: { name: { text: request.t('platform.auth.tokenNameLength') } } })
      }
    })

    // Revoking asks first: programs using the token stop working at once, and it cannot be undone.
    typed.get('/account/tokens/:id/revoke', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
      const user = authorize(request.user, 'token.manage')
      const token = (await listApiTokens(db, user.id)).find((t) => t.id === request.params.id && !t.revokedAt)
      if (!token) throw new NotFound('token', String(request.params.id))
      const { lang, t } = request
      return reply.render('confirm.njk', {
        title: t('platform.auth.tokens.confirmTitle', { name: token.name }),
        question: t('platform.auth.tokens.confirmQuestion'),
        action: `/${lang}/account/tokens/${token.id}/revoke`,
        submit: t('platform.auth.tokens.confirmSubmit'),
        cancel: { href: `/${lang}/account`, text: t('platform.auth.tokens.cancel') },
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('platform.auth.account.title'), href: `/${lang}/account` }],
      })
    })

    typed.post('/account/tokens/:id/revoke', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
      if (!request.user) throw new Unauthorized()
      await revokeApiToken(db, actorOf(request), request.user.id, request.params.id)
      return reply.redirect(`/${request.lang}/account`, 303)
    })
  })
}
