import { loadConfig, ConfigError } from './platform/config.ts'
import { openDatabase, startupWarnings } from './platform/db/index.ts'
import { migrate, SchemaTooNewError } from './platform/db/migrate.ts'
import { openFileStore } from './platform/files/index.ts'
import { QuietCollector } from './platform/memory.ts'

/** Starts the server: config -> database -> migrations -> demo data -> app -> listen. */
async function main(): Promise<void> {
  const config = loadConfig()
  // The site's code is loaded while the database opens (on a thread of its own when embedded).
  const loading = Promise.all([
    import('./app.ts'), import('./demo/index.ts'), import('./demo/users.ts'), import('./platform/jobs/index.ts'),
    import('./platform/html/index.ts'), import('./platform/notifications/mailer.ts'),
    // Every portal's code, which the app then finds loaded.
    import('./platform/modules.ts').then(({ loadModules }) => loadModules()),
  ])
  loading.catch(() => undefined)
  const db = await openDatabase(config)
  const [{ buildApp }, { seedDemo }, { resetDemoUsers }, { startJobs }, { stylesheet }, { createMailSender }] = await loading
  await migrate(db)
  for (const warning of await startupWarnings(db, config)) console.warn(`Warning: ${warning}`)
  const files = await openFileStore(config)
  if (config.demo) {
    const seeded = await seedDemo(db, files, { opennessPublisher: config.opennessPublisher })
    if (seeded) console.log(`Demo data loaded: ${seeded.agencies} state bodies, ${seeded.regions} regions, ${seeded.datasets} datasets, ${seeded.drafts} draft regulations.`)
    const users = await resetDemoUsers(db, { create: Boolean(seeded) })
    if (users.length > 0) {
      console.log('Demo accounts (new passwords at every start in demo mode):')
      for (const u of users) console.log(`  ${u.role.padEnd(14)} ${u.email.padEnd(28)} ${u.password}`)
    }
  }
  const mail = createMailSender(config)
  if (!mail) console.warn('Warning: ASHYQ_SMTP_URL is not set: mail is kept in the outbox (administrators read it at /en/admin/outbox), not sent.')
  let stopping = false
  const app = await buildApp({ db, config, files, mail, stopping: () => stopping })
  // Compile the stylesheet before the first visitor asks for it (about a second of Sass).
  await stylesheet()
  let jobs: { stop(graceMs?: number): Promise<void> } | undefined
  // What start-up and each burst of requests left behind is given back once the site is quiet.
  const quiet = new QuietCollector({ quietMs: 5_000, grownBytes: 8 * 1024 * 1024 })
  // On SIGTERM: readiness says "shutting down" at once, so that a load balancer asking it stops
  // sending requests; after ASHYQ_SHUTDOWN_DELAY_SECONDS, the jobs give their claims back and the
  // requests in flight are finished (new ones refused), then the database is closed.
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'shutting down')
    const cutOff = setTimeout(() => {
      console.error(`Still shutting down after ${config.shutdownGraceSeconds} s: stopping now.`)
      process.exit(1)
    }, (config.shutdownDelaySeconds + config.shutdownGraceSeconds) * 1000)
    cutOff.unref()
    await new Promise((resolve) => setTimeout(resolve, config.shutdownDelaySeconds * 1000))
    quiet.stop()
    await Promise.all([jobs?.stop(config.shutdownGraceSeconds * 1000), app.close()])
    await db.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  await app.listen({ port: config.port, host: config.host })
  app.server.on('request', () => quiet.touch())
  // The jobs' statements give way to the requests' on the embedded database (Db.background).
  const statusOf = async (path: string) => (await app.inject({ method: 'GET', url: path })).statusCode
  jobs = startJobs({ db: db.background(), files, config: app.moduleConfig, statusOf }, app.jobs, (message, error) => app.log.error({ err: error }, message))
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
  const where = config.databaseUrl ? `PostgreSQL server (DATABASE_URL${config.databaseReadUrl ? ', anonymous reads from ASHYQ_DATABASE_READ_URL' : ''})` : `embedded PGlite in ${config.dataDir}`
  quiet.collect()
  console.log(`Ashyq is running on http://${shown}:${config.port} — database: ${where}; files: ${files.description}`)
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof SchemaTooNewError) {
    console.error(error.message)
  } else {
    console.error(error)
  }
  process.exit(1)
})
