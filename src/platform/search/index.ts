import type { FastifyInstance } from 'fastify'
import { keptUnder, TOPICS } from '../html/page-versions.ts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../db/index.ts'
import type { Lang } from '../i18n/index.ts'
import { registerPages } from '../html/pages.ts'

/** One thing found: its title in the reader's language, where it lives, and a line about it. */
export interface SearchHit {
  title: string
  /** A path on this site, without the language prefix: "/agencies/ministry-of-finance". */
  path: string
  summary: string
}

/**
 * What a module gives the site search: its results for a query, best first. Each portal registers
 * one through its ModuleDefinition, and the header's search box asks them all.
 */
export interface SearchProvider {
  /** A stable id, also the message key of the group's heading: "<id>.search.title". */
  id: string
  /** Where the module's own search shows every result for the query (a path without the language). */
  morePath(q: string): string
  search(db: Db, q: string, lang: Lang, limit: number): Promise<{ total: number; hits: SearchHit[] }>
}

export interface SearchGroup {
  provider: string
  title: string
  total: number
  more: string
  hits: (SearchHit & { href: string })[]
}

const Query = Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false })

const SearchGroupSchema = Type.Object({
  provider: Type.String(),
  title: Type.String(),
  total: Type.Integer(),
  more: Type.String(),
  hits: Type.Array(Type.Object({ title: Type.String(), path: Type.String(), href: Type.String(), summary: Type.String() })),
})

const PER_GROUP = 5

/** Asks every provider, in the order the modules registered them; groups with nothing found are left out. */
export async function searchAll(db: Db, providers: readonly SearchProvider[], q: string, lang: Lang, t: (key: string) => string): Promise<SearchGroup[]> {
  const query = q.trim()
  if (!query) return []
  const groups = await Promise.all(providers.map(async (provider) => {
    const { total, hits } = await provider.search(db, query, lang, PER_GROUP)
    return {
      provider: provider.id,
      title: t(`${provider.id}.search.title`),
      total,
      more: `/${lang}${provider.morePath(query)}`,
      hits: hits.map((hit) => ({ ...hit, href: `/${lang}${hit.path}` })),
    }
  }))
  return groups.filter((g) => g.total > 0)
}

/** The site search: /{lang}/search and GET /api/search, over every registered provider. */
export async function searchRoutes(app: FastifyInstance, db: Db, providers: readonly SearchProvider[]): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/api/search', {
    schema: {
      tags: ['Search'],
      summary: 'Search the whole portal',
      description: 'Results grouped by portal, the first few of each; `more` leads to all of them.',
      querystring: Query,
      response: { 200: Type.Object({ q: Type.String(), groups: Type.Array(SearchGroupSchema) }) },
    },
  }, async (request) => {
    const q = request.query.q ?? ''
    return { q, groups: await searchAll(db, providers, q, request.lang, request.t) }
  })

  await registerPages(app, async (pages) => {
    pages.withTypeProvider<TypeBoxTypeProvider>().get('/search', { schema: { hide: true, querystring: Query }, config: { pageCache: keptUnder(db, TOPICS) } }, async (request, reply) => {
      const q = request.query.q ?? ''
      const groups = await searchAll(db, providers, q, request.lang, request.t)
      return reply.render('search/views/results.njk', {
        title: q.trim() ? request.t('platform.search.resultsFor', { q: q.trim() }) : request.t('platform.search.title'),
        q,
        groups,
        breadcrumbs: [{ text: request.t('platform.home'), href: `/${request.lang}/` }],
      })
    })
  })
}
