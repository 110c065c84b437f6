import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { IncomingMessage } from 'node:http'

const context = new AsyncLocalStorage<{ requestId: string }>()

// What a proxy's id may look like: enough for UUIDs and the usual tracing formats, nothing that could break a log line.
const GIVEN_ID = /^[\w.:-]{8,100}$/

/**
 * The id of a request, as its log lines carry it: the X-Request-Id a proxy in front gave it (trusted
 * only with ASHYQ_TRUST_PROXY, as its other headers are), else a new UUID.
 */
export function requestIdGenerator(trustProxy: boolean): (request: IncomingMessage) => string {
  return (request) => {
    const given = request.headers['x-request-id']
    return trustProxy && typeof given === 'string' && GIVEN_ID.test(given) ? given : randomUUID()
  }
}

/** The id of the request whose work is running now, or null outside one (a job, a command). */
export function currentRequestId(): string | null {
  return context.getStore()?.requestId ?? null
}

/**
 * Answers every request with its id (X-Request-Id) and makes it currentRequestId() for everything the
 * request does, so that what it queues (a mail, a table's load) keeps the id of its log lines.
 */
export function requestContext(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    context.run({ requestId: request.id }, done)
  })
}
