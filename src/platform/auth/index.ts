import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import type { Db } from '../db/index.ts'
import type { Actor } from '../audit/index.ts'
import { Unauthorized } from '../http/errors.ts'
import type { User } from './roles.ts'
import { sessionUser } from './sessions.ts'
import { tokenUser } from './tokens.ts'

export const SESSION_COOKIE = 'ashyq_session'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user: from the session cookie on pages, from a Bearer token on the API. */
    user: User | null
  }
}

/** Who acts in this request, for the audit log. */
export function actorOf(request: FastifyRequest): Actor {
  return { id: request.user?.id ?? null, email: request.user?.email ?? null }
}

function isApi(url: string): boolean {
  return url === '/api' || url.startsWith('/api/')
}

// Assets never need to know who asks: no database lookup for them.
function isAsset(url: string): boolean {
  return url.startsWith('/assets/') || url.startsWith('/static/')
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure when the request came over HTTPS. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, secret: string, maxAgeSeconds: number): void {
  reply.setCookie(SESSION_COOKIE, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    maxAge: maxAgeSeconds,
  })
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' })
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Who is asking (session cookie on pages, `Authorization: Bearer` on the API) and CSRF protection
 * on every form: an unsafe request to a page without a valid token is refused with 403.
 * The API takes no session cookies, so a page elsewhere cannot act through a visitor's browser.
 */
export const authPlugin = fp<{ db: Db }>(async (app, { db }) => {
  await app.register(cookie)
  await app.register(csrf, {
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true },
  })
  app.decorateRequest('user', null)

  app.addHook('onRequest', async (request) => {
    if (isAsset(request.url)) return
    if (isApi(request.url)) {
      const header = request.headers.authorization
      const match = header && /^Bearer\s+(\S+)$/i.exec(header)
      if (match?.[1]) request.user = (await tokenUser(db, match[1])) ?? null
      // Every API write needs a token: say so before looking at the body.
      if (!request.user && UNSAFE_METHODS.has(request.method)) throw new Unauthorized()
      return
    }
    const secret = request.cookies[SESSION_COOKIE]
    if (secret) request.user = (await sessionUser(db, secret)) ?? null
  })

  // After the form body is parsed (the token travels in its _csrf field), before it is validated:
  // a forged post is refused as such, whatever else is wrong with it.
  app.addHook('preValidation', (request, reply, done) => {
    if (!UNSAFE_METHODS.has(request.method) || isApi(request.url)) return done()
    app.csrfProtection(request, reply, done)
  })
})
