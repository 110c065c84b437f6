import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db, Queryable } from '../db/index.ts'
import { NotFound } from '../http/errors.ts'
import { LANGS } from '../i18n/index.ts'
import { keptUnder, type Topic } from './page-versions.ts'
import { escapeHtml } from './render.ts'

/** One public page a module lists for search engines: its path after the language, and when it last changed. */
export interface SitemapPage {
  path: string
  modified?: Date | string | null
}

/** What a module gives the sitemap: its public pages, read from the topics its pages are kept under. */
export interface SitemapSource {
  /** The sitemap's name in its address, /sitemaps/<name>/1.xml. */
  name: string
  topics: readonly Topic[]
  pages(db: Queryable): Promise<SitemapPage[]>
}

// A sitemap holds at most 50,000 addresses (sitemaps.org); each page is listed once per language.
export const PAGES_PER_SITEMAP = Math.floor(50_000 / LANGS.length)

const lastmod = (modified: SitemapPage['modified']) => (modified ? `<lastmod>${new Date(modified).toISOString()}</lastmod>` : '')

/**
 * robots.txt, the sitemap index at /sitemap.xml and each module's sitemaps (sitemaps.org 0.9): every
 * page once per language, each naming its versions in the other languages (hreflang, as Google reads
 * alternates in a sitemap). Addresses are the site's public address, never a request's Host.
 */
export async function sitemapRoutes(app: FastifyInstance, db: Db, sources: readonly SitemapSource[]): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  const origin = () => app.publicUrl
  // The portals' front pages are the platform's own source.
  const all: SitemapSource[] = [
    { name: 'portals', topics: [], pages: async () => [{ path: '/' }, ...app.builtPortals.map((key) => ({ path: `/${key}` }))] },
    ...sources,
  ]
  const topics = [...new Set(all.flatMap((s) => s.topics))]

  typed.get('/robots.txt', { schema: { hide: true } }, async (_request, reply) => reply
    .type('text/plain; charset=utf-8')
    // The API answers programs, which read its reference; its addresses are not pages to index.
    .send(`User-agent: *\nDisallow: /api/\nDisallow: /*/account\n\nSitemap: ${origin()}/sitemap.xml\n`))

  typed.get('/sitemap.xml', { config: { pageCache: keptUnder(db, topics) }, schema: { hide: true } }, async (_request, reply) => {
    const entries: string[] = []
    for (const source of all) {
      const pages = await source.pages(db)
      const files = Math.max(1, Math.ceil(pages.length / PAGES_PER_SITEMAP))
      const latest = pages.reduce<string | null>((max, p) => {
        const at = p.modified ? new Date(p.modified).toISOString() : null
        return at && (!max || at > max) ? at : max
      }, null)
      for (let n = 1; n <= files; n++) entries.push(`<sitemap><loc>${escapeHtml(`${origin()}/sitemaps/${source.name}/${n}.xml`)}</loc>${lastmod(latest)}</sitemap>`)
    }
    return reply.type('application/xml; charset=utf-8')
      .send(`<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</sitemapindex>\n`)
  })

  typed.get('/sitemaps/:name/:file', {
    config: { pageCache: keptUnder(db, topics) },
    schema: { hide: true, params: Type.Object({ name: Type.String({ pattern: '^[a-z-]{1,40}$' }), file: Type.String({ pattern: '^[1-9][0-9]{0,4}\\.xml$' }) }) },
  }, async (request, reply) => {
    const source = all.find((s) => s.name === request.params.name)
    if (!source) throw new NotFound('sitemap', request.params.name)
    const n = Number.parseInt(request.params.file, 10)
    const pages = (await source.pages(db)).slice((n - 1) * PAGES_PER_SITEMAP, n * PAGES_PER_SITEMAP)
    if (pages.length === 0 && n > 1) throw new NotFound('sitemap', `${source.name}/${n}`)
    const urls = pages.flatMap((page) => {
      const at = (lang: string) => escapeHtml(`${origin()}/${lang}${page.path === '/' ? '/' : page.path}`)
      const alternates = LANGS.map((lang) => `<xhtml:link rel="alternate" hreflang="${lang}" href="${at(lang)}"/>`).join('')
      return LANGS.map((lang) => `<url><loc>${at(lang)}</loc>${lastmod(page.modified)}${alternates}</url>`)
    })
    return reply.type('application/xml; charset=utf-8')
      .send(`<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join('\n')}\n</urlset>\n`)
  })
}
