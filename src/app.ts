import path from 'node:path'
import zlib from 'node:zlib'
import { tmpdir } from 'node:os'
import Fastify, { type FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import formbody from '@fastify/formbody'
import compress from '@fastify/compress'
import helmet, { type HelmetOptions } from 'helmet'
import { DEFAULT_DIALOGUE_RULES, DEFAULT_PETITION_RULES, DEFAULT_LEGAL_ACT_RULES, type Config } from './platform/config.ts'
import type { Db } from './platform/db/index.ts'
import { I18n } from './platform/i18n/index.ts'
import { languagePlugin } from './platform/http/language.ts'
import { httpErrorsPlugin, ValidationError } from './platform/http/index.ts'
import { govukInlineScriptSource, htmlPlugin } from './platform/html/index.ts'
import { platformPages } from './platform/html/pages.ts'
import { accessibilityPages } from './platform/html/accessibility.ts'
import { apiReferencePages } from './platform/http/api-reference.ts'
import { healthRoutes } from './platform/http/health.ts'
import { requestContext, requestIdGenerator } from './platform/http/request-context.ts'
import { metricsRoutes } from './platform/http/metrics.ts'
import { parseNetworks } from './platform/http/networks.ts'
import { readMigrations } from './platform/db/migrate.ts'
import { answerClientError } from './platform/http/client-errors.ts'
import { searchRoutes } from './platform/search/index.ts'
import { sitemapRoutes } from './platform/html/sitemap.ts'
import { loadModules, type ModuleConfig } from './platform/modules.ts'
import { authPlugin, SESSION_COOKIE } from './platform/auth/index.ts'
import { FolderFileStore, type FileStore } from './platform/files/index.ts'
import type { Job } from './platform/jobs/index.ts'
import { authPages } from './platform/auth/pages.ts'
import { adminPages } from './platform/auth/admin-pages.ts'
import { calendarPages } from './platform/calendar/pages.ts'
import { outboxPages } from './platform/notifications/pages.ts'
import { commentPages } from './platform/comments/pages.ts'
import { subscriptionPages } from './platform/notifications/subscription-pages.ts'
import { outboxJob } from './platform/notifications/mailer.ts'
import type { MailSender } from './platform/notifications/outbox.ts'
import { lazyCompilers } from './platform/http/lazy-compilers.ts'

declare module 'fastify' {
  interface FastifyInstance {
    routeList: { method: string; url: string }[]
    /** Compiles the routes' validators and serializers not compiled yet (they are on a route's first request); how many. */
    compileSchemas: () => number
    /** The scheduled work of every module, for the server process to run (tests never start it). */
    jobs: Job[]
    /** What of the configuration modules and their jobs read. */
    moduleConfig: ModuleConfig
  }
}

export interface AppOptions {
  db: Db
  /** What is not given takes its default (datastoreSql: on a server only). */
  config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'trustProxy' | 'datastoreSql' | 'harvestPrivateNetworks' | 'metricsNetworks' | 'databaseReadUrl' | 'readAfterWriteSeconds' | 'pageCacheBytes' | 'legalActs' | 'dialogue' | 'petitions' | 'publicUrl' | 'production' | 'allowedHosts' | 'opennessPublisher'>>
  i18n?: I18n
  /** Where uploads go; by default a folder under the system's temporary directory (tests, tools). */
  files?: FileStore
  /** How mail leaves the outbox; without it, mail waits there and administrators read it. */
  mail?: MailSender
  /** Whether the server is shutting down (its readiness then says so); never, unless told. */
  stopping?: () => boolean
}

// Over plain HTTP on localhost an HSTS header would only confuse; behind HTTPS the proxy sets it.
const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", govukInlineScriptSource()],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
      upgradeInsecureRequests: null,
    },
  },
  strictTransportSecurity: false,
} as const satisfies HelmetOptions

function temporaryFileStore(): FileStore {
  return new FolderFileStore(path.join(tmpdir(), `ashyq-files-${process.pid}`))
}

/** Builds the Fastify app: platform plugins first, then every module under src/modules/. */
export async function buildApp({ db, config, i18n = new I18n(), files = temporaryFileStore(), mail, stopping = () => false }: AppOptions): Promise<FastifyInstance> {
  const compilers = lazyCompilers()
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    schemaController: { compilersFactory: { buildValidator: compilers.buildValidator, buildSerializer: compilers.buildSerializer } },
    ajv: {
      // Unknown fields are refused with a 400 rather than dropped silently.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
    },
    trustProxy: config.trustProxy ?? false,
    clientErrorHandler: answerClientError,
    genReqId: requestIdGenerator(config.trustProxy ?? false),
  })
  requestContext(app, { sessionCookie: SESSION_COOKIE, replica: config.databaseReadUrl ? { readAfterWriteSeconds: config.readAfterWriteSeconds ?? 30 } : undefined })

  // Every route, as registered: the meta-test walks the write routes to prove each is guarded.
  const routes: { method: string; url: string }[] = []
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url })
  })
  app.decorate('routeList', routes)
  app.decorate('compileSchemas', compilers.compileAll)

  // Security headers on every answer, with a Content-Security-Policy that allows only this site's own
  // files and the one inline script of GOV.UK Frontend's template, by its hash. Built once; a hook
  // of the whole site, added before the sign-in hook, so a request refused there gets them too.
  const securityHeaders = helmet(SECURITY_HEADERS)
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined))
  })

  // Pages, JSON and CSV compressed for readers on slow links: Brotli at a quality that costs about
  // what gzip does (its highest would cost the server more than the bytes save), gzip otherwise.
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
  })

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Ashyq API',
        description: 'Open government of Kazakhstan: state bodies, open data, legal acts, dialogue. ' +
          'Errors are application/problem+json in the language of the Accept-Language header (kk, ru, en).',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token from your account page' },
        },
      },
    },
  })
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  await app.register(formbody)
  await app.register(languagePlugin, { i18n })
  await app.register(httpErrorsPlugin)
  // Before the modules, so that its timing hook covers every route.
  await metricsRoutes(app, { db, jobs: () => app.jobs, readers: parseNetworks(config.metricsNetworks ?? ['127.0.0.0/8', '::1/128']) })
  const publicUrl = config.publicUrl ?? 'http://localhost:3000'
  app.decorate('publicUrl', publicUrl)
  // In production, a request for a host that is not the site's is refused before anything reads it:
  // no page, redirect or mail is ever built for a host an attacker chose.
  if (config.production) {
    const hosts = new Set(config.allowedHosts ?? [new URL(publicUrl).host])
    app.addHook('onRequest', async (request) => {
      if (!hosts.has(request.host.toLowerCase())) throw new ValidationError([{ field: 'Host', messageKey: 'platform.validation.unknownHost', values: { site: publicUrl } }])
    })
  }
  await app.register(authPlugin, { db })
  const modules = await loadModules()
  await app.register(htmlPlugin, { pageCacheBytes: config.pageCacheBytes, tagColours: Object.assign({}, ...modules.map((m) => m.tags ?? {})) })

  app.decorate('builtPortals', modules.flatMap((m) => (m.portal ? [m.portal] : [])))
  app.decorate('agencyLinks', modules.flatMap((m) => m.agencyLinks ?? []))
  app.decorate('homeFigures', modules.flatMap((m) => (m.home ? [m.home] : [])))
  const moduleConfig: ModuleConfig = {
    datastoreSql: config.datastoreSql ?? db.kind === 'postgres',
    harvestPrivateNetworks: config.harvestPrivateNetworks ?? [],
    legalActs: config.legalActs ?? DEFAULT_LEGAL_ACT_RULES,
    dialogue: config.dialogue ?? DEFAULT_DIALOGUE_RULES,
    petitions: config.petitions ?? DEFAULT_PETITION_RULES,
    publicUrl,
    opennessPublisher: config.opennessPublisher ?? 'ministry-of-culture-and-information',
  }
  for (const module of modules) await module.register(app, { db, files, config: moduleConfig })
  app.decorate('jobs', [...(mail ? [outboxJob(mail)] : []), ...modules.flatMap((m) => m.jobs ?? [])])
  app.decorate('moduleConfig', moduleConfig)
  await authPages(app, db)
  await adminPages(app, db)
  await calendarPages(app, db, files)
  await outboxPages(app, db, { sending: mail !== undefined })
  await commentPages(app, db)
  await subscriptionPages(app, db)
  await accessibilityPages(app)
  await apiReferencePages(app)
  await healthRoutes(app, { db, files, latestMigration: (await readMigrations()).at(-1)?.version ?? 0, stopping })
  await searchRoutes(app, db, modules.flatMap((m) => (m.search ? [m.search] : [])))
  await sitemapRoutes(app, db, modules.flatMap((m) => m.sitemaps ?? []))
  await platformPages(app, db)

  return app
}
