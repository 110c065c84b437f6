import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { LANGS, negotiateLang } from '../i18n/index.ts'
import { PORTAL_KEYS } from './render.ts'

/** Registers a plugin of page routes once under each language prefix: /kk, /ru, /en. */
export async function registerPages(app: FastifyInstance, pages: FastifyPluginAsync): Promise<void> {
  for (const lang of LANGS) await app.register(pages, { prefix: `/${lang}` })
}

/** The home page, the root redirect by Accept-Language, and "coming soon" for portals not built yet. */
export async function platformPages(app: FastifyInstance, builtPortals: readonly string[]): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const lang = negotiateLang(request.headers['accept-language'])
    return reply.header('vary', 'Accept-Language').redirect(`/${lang}/`, 302)
  })

  const comingSoon = PORTAL_KEYS.filter((key) => !builtPortals.includes(key))
  await registerPages(app, async (pages) => {
    pages.get('/', { schema: { hide: true } }, async (request, reply) => {
      const portals = PORTAL_KEYS.map((key) => ({
        key,
        title: request.t(`platform.portals.${key}`),
        description: request.t(`platform.portalDescriptions.${key}`),
        href: `/${request.lang}/${key}`,
      }))
      return reply.render('home.njk', { title: request.t('platform.homePage.title'), portals })
    })
    for (const key of comingSoon) {
      pages.get(`/${key}`, { schema: { hide: true } }, async (request, reply) => {
        const title = request.t(`platform.portals.${key}`)
        return reply.render('coming-soon.njk', {
          title,
          description: request.t(`platform.portalDescriptions.${key}`),
          breadcrumbs: [{ text: request.t('platform.home'), href: `/${request.lang}/` }],
        })
      })
    }
  })
}
