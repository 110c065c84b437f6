import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { LANGS, negotiateLang } from '../i18n/index.ts'
import { builtPortals } from './render.ts'
import { KEPT_AS_CODE } from './page-versions.ts'

/** Registers a plugin of page routes once under each language prefix: /kk, /ru, /en. */
export async function registerPages(app: FastifyInstance, pages: FastifyPluginAsync): Promise<void> {
  for (const lang of LANGS) await app.register(pages, { prefix: `/${lang}` })
}

/**
 * The home page and the root redirect by Accept-Language. The home page offers the portals that are
 * built, and nothing else: a portal still to come has no page, link or description until it works.
 */
export async function platformPages(app: FastifyInstance): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const lang = negotiateLang(request.headers['accept-language'])
    return reply.header('vary', 'Accept-Language').redirect(`/${lang}/`, 302)
  })

  await registerPages(app, async (pages) => {
    // The home page shows the code's own text only: kept a minute at a time.
    pages.get('/', { schema: { hide: true }, config: { pageCache: KEPT_AS_CODE } }, async (request, reply) => {
      const portals = builtPortals(app).map(({ key }) => ({
        key,
        title: request.t(`platform.portals.${key}`),
        description: request.t(`platform.portalDescriptions.${key}`),
        href: `/${request.lang}/${key}`,
      }))
      return reply.render('home.njk', { title: request.t('platform.homePage.title'), portals })
    })
  })
}
