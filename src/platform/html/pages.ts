import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { LANGS, negotiateLang } from '../i18n/index.ts'
import { builtPortals } from './render.ts'
import { keptUnder } from './page-versions.ts'
import type { Db } from '../db/index.ts'

/** Registers a plugin of page routes once under each language prefix: /kk, /ru, /en. */
export async function registerPages(app: FastifyInstance, pages: FastifyPluginAsync): Promise<void> {
  for (const lang of LANGS) await app.register(pages, { prefix: `/${lang}` })
}

/**
 * The home page and the root redirect by Accept-Language. The home page offers the portals that are
 * built, and nothing else: a portal still to come has no page, link or description until it works.
 * Under each portal it shows what is live there, from the facts its module keeps (`home` of its
 * definition): kept until one of those modules' topics moves.
 */
export async function platformPages(app: FastifyInstance, db: Db): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const lang = negotiateLang(request.headers['accept-language'])
    return reply.header('vary', 'Accept-Language').redirect(`/${lang}/`, 302)
  })

  await registerPages(app, async (pages) => {
    const topics = [...new Set(app.homeFigures.flatMap((h) => h.topics))]
    // A kept page is a minute old at most besides (the default): "closing in 3 days" moves with the day, not with a commit.
    pages.get('/', { schema: { hide: true }, config: { pageCache: keptUnder(db, topics) } }, async (request, reply) => {
      const live = new Map(await Promise.all(app.homeFigures.map(async (h) => [h.portal, await h.figures(db, request)] as const)))
      const portals = builtPortals(app).map(({ key }) => ({
        key,
        title: request.t(`platform.portals.${key}`),
        description: request.t(`platform.portalDescriptions.${key}`),
        href: `/${request.lang}/${key}`,
        figures: live.get(key) ?? [],
      }))
      return reply.render('home.njk', { title: request.t('platform.homePage.title'), portals })
    })
  })
}
