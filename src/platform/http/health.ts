import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Db } from '../db/index.ts'
import type { FileStore } from '../files/index.ts'

/** What a readiness check found of one thing the site needs: "ok", or what is wrong. */
const Check = Type.String({ description: '"ok", or what is wrong ("unreachable", "behind: 59 of 60")' })
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]),
  checks: Type.Object({ database: Check, migrations: Check, files: Check, server: Check }),
})

// A check that takes longer than this counts as failed: a load balancer asks every few seconds.
const CHECK_MS = 3_000

/** What check gives, or what went wrong: it failed, or took longer than CHECK_MS. */
async function timed<T>(check: () => Promise<T>): Promise<{ value: T } | { problem: string }> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<{ problem: string }>((resolve) => { timer = setTimeout(() => resolve({ problem: 'no answer in 3 s' }), CHECK_MS) })
  try {
    return await Promise.race([check().then((value) => ({ value }), () => ({ problem: 'unreachable' })), late])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Health for load balancers and orchestrators. /health/live answers while the process can answer at
 * all (restart it when it does not); /health/ready while it should be sent requests: its database
 * answers with every migration this code knows applied, its file store is readable and writable, and
 * it is not shutting down (`stopping()`, set on SIGTERM before requests in flight are finished).
 * Neither says more than the words above: what is wrong in detail is in the server's log.
 */
export async function healthRoutes(app: FastifyInstance, deps: { db: Db; files: FileStore; latestMigration: number; stopping: () => boolean }): Promise<void> {
  app.get('/health/live', { schema: { tags: ['health'], summary: 'The process answers', response: { 200: Type.Object({ status: Type.Literal('live') }) } } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    return { status: 'live' as const }
  })
  app.get('/health/ready', { schema: { tags: ['health'], summary: 'The server should be sent requests: database, migrations, file store, not shutting down', response: { 200: Readiness, 503: Readiness } } }, async (request, reply) => {
    const [version, files] = await Promise.all([
      timed(async () => (await deps.db.query<{ version: number | null }>('select max(version)::int as version from schema_migrations'))[0]?.version ?? 0),
      timed(() => deps.files.check()),
    ])
    const checks = {
      database: 'problem' in version ? version.problem : 'ok',
      migrations: 'problem' in version ? 'unknown' : version.value === deps.latestMigration ? 'ok' : `behind: ${version.value} of ${deps.latestMigration}`,
      files: 'problem' in files ? files.problem : 'ok',
      server: deps.stopping() ? 'shutting down' : 'ok',
    }
    const ready = Object.values(checks).every((c) => c === 'ok')
    if (!ready) request.log.warn({ checks }, 'not ready')
    reply.header('cache-control', 'no-store').code(ready ? 200 : 503)
    return { status: ready ? 'ready' as const : 'not ready' as const, checks }
  })
}
