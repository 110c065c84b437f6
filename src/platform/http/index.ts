import fp from 'fastify-plugin'
import { StateConflict } from '../states/index.ts'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, Busy, InsufficientStorage, TooManyRequests, Unauthorized, Unavailable, ValidationError, type FieldError } from './errors.ts'
import { isDatabaseUnavailable } from '../db/types.ts'
import { schemaErrorsToFields } from './validation.ts'

export { AppError, NotFound, ValidationError, Forbidden, Unauthorized, TooManyRequests, Busy, Unavailable, InsufficientStorage, type FieldError } from './errors.ts'
export { Gate, type GateLimits } from './gate.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The site's configured public address (ASHYQ_PUBLIC_URL), without a trailing slash. */
    publicUrl: string
  }
}

/**
 * The site's address for absolute links ("https://data.example.kz"): the configured public address,
 * never the request's Host header, which anyone can set (a confirmation link mailed on their host).
 */
export function siteOrigin(request: FastifyRequest): string {
  return request.server.publicUrl
}

/** An RFC 9457 problem, as every API error is returned. */
export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance: string
  errors?: { field: string; message: string }[]
}

function isApi(request: FastifyRequest): boolean {
  return request.url === '/api' || request.url.startsWith('/api/')
}

const TITLE_KEYS: Record<number, string> = {
  400: 'platform.errors.badRequest.title',
  401: 'platform.errors.unauthorized.title',
  429: 'platform.errors.tooManyRequests.title',
  503: 'platform.errors.busy.title',
  403: 'platform.errors.forbidden.title',
  404: 'platform.errors.notFound.title',
}

function problemCode(status: number, error: unknown): string {
  if (error instanceof AppError) return error.code
  if (status === 404) return 'not-found'
  if (status >= 500) return 'server-error'
  return 'bad-request'
}

// Errors whose cause the person can mend themselves get a title of their own.
const CODE_TITLE_KEYS: Record<string, string> = {
  'email-not-confirmed': 'platform.errors.emailNotConfirmed.title',
  unavailable: 'platform.errors.unavailable.title',
  'insufficient-storage': 'platform.errors.insufficientStorage.title',
  'state-conflict': 'platform.errors.stateConflict.title',
}

// Seconds a client waits before trying again when the database does not answer: about what a
// server's restart or a replica's promotion takes.
const DATABASE_RETRY_SECONDS = 10

function sendError(request: FastifyRequest, reply: FastifyReply, status: number, error: unknown, fields: FieldError[] = []) {
  const { t } = request
  const code = problemCode(status, error)
  const title =
    error instanceof ValidationError
      ? t('platform.errors.validation')
      : t(CODE_TITLE_KEYS[code] ?? TITLE_KEYS[status] ?? (status >= 500 ? 'platform.errors.server.title' : 'platform.errors.badRequest.title'))
  const messages = fields.map((f) => ({ field: f.field, message: `${f.field}: ${t(f.messageKey, f.values)}` }))
  if (!isApi(request) && error instanceof StateConflict) {
    // Not a form to mend: the page says what the item is now, in words, and leads back to it.
    const now = error.fields[0] && t(error.fields[0].messageKey)
    return reply.code(status).render('error.njk', { status, code, title, conflict: { now, href: error.href ? `/${request.lang}${error.href}` : null } })
  }
  if (isApi(request)) {
    const problem: Problem = {
      type: `/api/problems/${code}`,
      title,
      status,
      instance: request.url,
      ...(messages.length > 0 ? { detail: messages.map((m) => m.message).join('; '), errors: messages } : {}),
    }
    return reply.code(status).type('application/problem+json').send(problem)
  }
  return reply.code(status).render('error.njk', { status, code, title, errors: messages })
}

/**
 * The first field (as "a.b.0") whose text holds a NUL character, which PostgreSQL cannot store or
 * compare in text: refused up front, so no query meets one and answers 500.
 */
export function fieldWithNul(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null
  if (!value || typeof value !== 'object' || depth > 32) return null
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return path ? `${path}.${key}` : key
    const found = fieldWithNul(inner, path ? `${path}.${key}` : key, depth + 1)
    if (found !== null) return found
  }
  return null
}

/** One error model: typed errors and schema failures become problem+json under /api, a friendly page elsewhere. */
export const httpErrorsPlugin = fp(async (app) => {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
      const field = fieldWithNul(value)
      if (field !== null) throw new ValidationError([{ field: field || part, messageKey: 'platform.validation.nul' }])
    }
  })
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const fields = schemaErrorsToFields(error.validation, error.validationContext ?? 'request')
      return sendError(request, reply, 400, new ValidationError(fields), fields)
    }
    if (error instanceof ValidationError) return sendError(request, reply, 400, error, error.fields)
    if (isDatabaseUnavailable(error)) {
      request.log.error({ err: error }, 'the database does not answer')
      reply.header('retry-after', String(DATABASE_RETRY_SECONDS))
      return sendError(request, reply, 503, new Unavailable(DATABASE_RETRY_SECONDS))
    }
    if (error instanceof InsufficientStorage) {
      request.log.error({ err: error }, 'the file store is full')
      return sendError(request, reply, error.status, error, error.fields)
    }
    if (error instanceof Unauthorized) {
      if (!isApi(request)) return reply.redirect(`/${request.lang}/sign-in?next=${encodeURIComponent(request.url)}`, 303)
      reply.header('www-authenticate', 'Bearer')
    }
    if (error instanceof TooManyRequests || error instanceof Busy) reply.header('retry-after', String(error.retryAfterSeconds))
    if (error instanceof AppError) return sendError(request, reply, error.status, error, 'fields' in error ? (error.fields as FieldError[]) : [])
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status >= 500) request.log.error({ err: error }, 'request failed')
    return sendError(request, reply, status, error)
  })
  app.setNotFoundHandler((request, reply) => sendError(request, reply, 404, undefined))
})
