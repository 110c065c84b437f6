import type { FastifyInstance } from 'fastify'
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { Db } from '../db/index.ts'
import type { Job } from '../jobs/index.ts'
import { NotFound } from './errors.ts'
import { isInNetworks, type Network } from './networks.ts'

/** What /metrics reads besides the requests it times: the database's pool, the outbox and the jobs' queues. */
export interface MetricsSources {
  db: Db
  /** The jobs whose waiting work is counted (those with a `backlog`). */
  jobs: () => readonly Job[]
  /** Who may read the figures: these networks, as the connection's own address says (never a forwarded header). */
  readers: readonly Network[]
}

/**
 * Prometheus figures at /metrics (prom-client): how long requests take per route and status, the
 * database pool's connections in use, idle and waited for, the outbox's mail waiting to be sent, each
 * job's waiting work, and the process's own (memory, event loop, garbage collection, taken on the
 * first scrape). Served only to the scraper's networks (ASHYQ_METRICS_NETWORKS, this machine by
 * default); anyone else is told there is no such page.
 */
export async function metricsRoutes(app: FastifyInstance, sources: MetricsSources): Promise<void> {
  const registry = new Registry()
  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer a request, by method, route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern, never the path asked for: a label per dataset would grow without end.
    const route = request.routeOptions.url ?? 'no route'
    if (route === '/metrics') return
    durations.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000)
  })
  new Gauge({
    name: 'db_pool_connections',
    help: 'Connections of the database pool, by state (PostgreSQL server only)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const use = sources.db.poolUse?.()
      if (!use) return
      for (const [state, count] of Object.entries(use)) this.set({ state }, count)
    },
  })
  new Gauge({
    name: 'outbox_backlog',
    help: 'Mail in the outbox not sent yet (waiting, being sent, or waiting for its next attempt)',
    registers: [registry],
    async collect() {
      const [row] = await sources.db.query<{ n: number }>("select count(*)::int as n from outbox where state in ('pending', 'sending')")
      this.set(row?.n ?? 0)
    },
  })
  new Gauge({
    name: 'job_queue_depth',
    help: 'Work waiting for each job (tables to load, sources to harvest)',
    labelNames: ['job'] as const,
    registers: [registry],
    async collect() {
      for (const job of sources.jobs()) if (job.backlog) this.set({ job: job.name }, await job.backlog(sources.db))
    },
  })
  let processFigures = false
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!isInNetworks(request.socket.remoteAddress ?? '', sources.readers)) throw new NotFound('page', request.url)
    // The process's own figures start with the first scrape: a site nobody scrapes runs no monitors.
    if (!processFigures) {
      processFigures = true
      collectDefaultMetrics({ register: registry })
    }
    return reply.header('cache-control', 'no-store').type(registry.contentType).send(await registry.metrics())
  })
}
