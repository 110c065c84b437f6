import Fastify, { type FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import formbody from '@fastify/formbody'
import rateLimit from '@fastify/rate-limit'
import type { Config } from './platform/config.ts'
import type { Db } from './platform/db/index.ts'
import { I18n } from './platform/i18n/index.ts'
import { languagePlugin } from './platform/http/language.ts'
import { httpErrorsPlugin } from './platform/http/index.ts'
import { htmlPlugin } from './platform/html/index.ts'
import { platformPages } from './platform/html/pages.ts'
import { loadModules } from './platform/modules.ts'
import { authPlugin } from './platform/auth/index.ts'
import { authPages } from './platform/auth/pages.ts'
import { adminPages } from './platform/auth/admin-pages.ts'

declare module 'fastify' {
  interface FastifyInstance {
    routeList: { method: string; url: string }[]
  }
}

export interface AppOptions {
  db: Db
  config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'trustProxy'>>
  i18n?: I18n
}

/** Builds the Fastify app: platform plugins first, then every module under src/modules/. */
export async function buildApp({ db, config, i18n = new I18n() }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    ajv: {
      // Unknown fields are refused with a 400 rather than dropped silently.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
    },
    trustProxy: config.trustProxy ?? false,
  })

  // Every route, as registered: the meta-test walks the write routes to prove each is guarded.
  const routes: { method: string; url: string }[] = []
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url })
  })
  app.decorate('routeList', routes)

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Ashyq API',
        description: 'Open government of Kazakhstan: state bodies, open data, legal acts, budgets, dialogue. ' +
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
  await app.register(swaggerUi, { routePrefix: '/api/docs' })
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  await app.register(formbody)
  await app.register(languagePlugin, { i18n })
  await app.register(httpErrorsPlugin)
  await app.register(authPlugin, { db })
  await app.register(htmlPlugin)
  // Limits are set per route (sign-in); in memory, so per process: see README for many processes.
  await app.register(rateLimit, { global: false })

  const modules = await loadModules()
  for (const module of modules) await module.register(app, { db })
  await authPages(app, db)
  await adminPages(app, db)
  await platformPages(app, modules.flatMap((m) => (m.portal ? [m.portal] : [])))

  return app
}
