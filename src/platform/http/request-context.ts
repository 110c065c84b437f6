import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { IncomingMessage } from 'node:http'
import { withReplicaReads } from '../db/read-routing.ts'

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

/** The cookie that tells every server that this reader wrote a moment ago, and reads the primary. */
export const WROTE_COOKIE = 'ashyq_wrote'

const SAFE_METHODS = new Set(['GET', 'HEAD'])

function hasCookie(header: string | undefined, name: string): boolean {
  return header !== undefined && new RegExp(`(?:^|;\\s*)${name}=`).test(header)
}

/**
 * Answers every request with its id (X-Request-Id) and makes it currentRequestId() for everything the
 * request does, so that what it queues (a mail, a table's load) keeps the id of its log lines. With a
 * replica, says which reads may go to it: those of an anonymous reader's GET or HEAD (no session, no
 * token) who wrote nothing in the last readAfterWriteSeconds. A write that succeeds sets a cookie
 * for that long, so the writer's next pages, on whichever server, read the primary and show it.
 */
export function requestContext(app: FastifyInstance, options: { sessionCookie: string; replica?: { readAfterWriteSeconds: number } }): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    const replicaReads = options.replica !== undefined && SAFE_METHODS.has(request.method) && request.headers.authorization === undefined
      && !hasCookie(request.headers.cookie, options.sessionCookie) && !hasCookie(request.headers.cookie, WROTE_COOKIE)
    context.run({ requestId: request.id }, () => withReplicaReads(replicaReads, done))
  })
  const replica = options.replica
  if (!replica) return
  app.addHook('onSend', async (request, reply, payload) => {
    if (!SAFE_METHODS.has(request.method) && reply.statusCode < 400) {
      reply.header('set-cookie', [reply.getHeader('set-cookie') ?? []].flat().map(String).concat(`${WROTE_COOKIE}=1; Max-Age=${replica.readAfterWriteSeconds}; Path=/; HttpOnly; SameSite=Lax`))
    }
    return payload
  })
}
