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

/** CKAN's Action API, which existing open-data clients call: /api/3/action/… (and /api/action/…). */
export function isCkanAction(url: string): boolean {
  return url.startsWith('/api/3/action/') || url.startsWith('/api/action/')
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value
  return first?.trim() || undefined
}

// "Bearer <token>"; CKAN's clients send the token bare in the Authorization header.
function bearerToken(header: string | undefined, acceptBare: boolean): string | undefined {
  if (!header) return undefined
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  if (match?.[1]) return match[1]
  return acceptBare && /^\S+$/.test(header.trim()) ? header.trim() : undefined
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

function isMultipart(request: FastifyRequest): boolean {
  return String(request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data')
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
    // Secure whenever the request came over HTTPS (behind a proxy, with ASHYQ_TRUST_PROXY).
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: 'auto' },
  })
  app.decorateRequest('user', null)

  app.addHook('onRequest', async (request) => {
    if (isAsset(request.url)) return
    if (isApi(request.url)) {
      const ckan = isCkanAction(request.url)
      const token = bearerToken(request.headers.authorization, ckan) ?? (ckan ? headerValue(request.headers['x-ckan-api-key']) : undefined)
      if (token) request.user = (await tokenUser(db, token)) ?? null
      // Every API write needs a token: say so before looking at the body. CKAN's Action API takes
      // reads by POST as well, so each of its actions decides for itself.
      if (!request.user && UNSAFE_METHODS.has(request.method) && !ckan) throw new Unauthorized()
      return
    }
    const secret = request.cookies[SESSION_COOKIE]
    if (secret) request.user = (await sessionUser(db, secret)) ?? null
  })

  // After the form body is parsed (the token travels in its _csrf field), before it is validated:
  // a forged post is refused as such, whatever else is wrong with it.
  app.addHook('preValidation', (request, reply, done) => {
    if (!UNSAFE_METHODS.has(request.method) || isApi(request.url) || isMultipart(request)) return done()
    app.csrfProtection(request, reply, done)
  })
  // A form with a file has its fields read in its own scope's preValidation (see files/uploads.ts):
  // its token is checked once they are, and a refused request keeps no file.
  app.addHook('preHandler', (request, reply, done) => {
    if (!UNSAFE_METHODS.has(request.method) || isApi(request.url) || !isMultipart(request)) return done()
    app.csrfProtection(request, reply, done)
  })
})
