import type { FastifyInstance } from 'fastify'
import Router from 'find-my-way'
import type { Browser as CookieJar } from '../helpers/forms.ts'

/** One page to check: its URL, the role that reached it first, and its shape (route and query keys). */
export interface MappedPage {
  url: string
  role: string
  shape: string
}

// Links that change what they visit rather than show a page: the version for the visually impaired
// is switched by links, and signing out is a form.
const NOT_PAGES = [/^\/(kk|ru|en)\/accessibility\b/, /^\/static\//, /^\/api\//, /\/sign-out\b/]

// Query parameters that choose which record a route's page shows, not what the page is made of: a
// budget's page is the same at every node of its classification (its `code`).
const RECORD_PARAMS: Record<string, string[]> = { '/budgets/:key': ['code'] }

// How many pages of one shape a role walks for links: one dataset has a table, another has not.
const FOLLOWED_PER_SHAPE = 3

/** The same-site links of an HTML page, as paths with their queries, in the order they appear. */
export function linksOf(html: string, from: string): string[] {
  const found: string[] = []
  for (const match of html.matchAll(/<a\s[^>]*?href="([^"#]*)(#[^"]*)?"/g)) {
    const href = match[1]!.replaceAll('&amp;', '&')
    if (!href) continue
    const url = new URL(href, `http://site${from}`)
    if (url.host === 'site') found.push(url.pathname + url.search)
  }
  return found
}

/** A URL's shape: the route that answers it, without the language, and the names of its query's parameters. */
export function shapeFinder(app: FastifyInstance): (url: string) => string {
  const router = Router()
  for (const route of app.routeList) if (route.method === 'GET') router.on('GET', route.url, () => {}, { url: route.url })
  return (url) => {
    const { pathname, searchParams } = new URL(url, 'http://site')
    const found = router.find('GET', pathname)
    const route = (found?.store as { url: string } | undefined)?.url ?? '(not found)'
    const path = route.replace(/^\/(kk|ru|en)(?=\/|$)/, '') || '/'
    const chosen = RECORD_PARAMS[path] ?? []
    return `${path}?${[...new Set(searchParams.keys())].filter((key) => !chosen.includes(key)).sort().join('&')}`
  }
}

/**
 * Maps the site as visitors in each role would walk it: from `start`, every same-site link of every
 * HTML page in one of `langs`, breadth first. Each shape is listed once, for the first role that
 * reaches it; a role walks a few pages of each shape for their links, and skips the rest.
 */
export async function mapSite(app: FastifyInstance, roles: Record<string, CookieJar>, langs: string[], start: string[]): Promise<MappedPage[]> {
  const shapeOf = shapeFinder(app)
  const pages: MappedPage[] = []
  const listed = new Set<string>()
  for (const [role, jar] of Object.entries(roles)) {
    const seen = new Set<string>()
    const walked = new Map<string, number>()
    const queue = [...start]
    while (queue.length > 0) {
      const url = queue.shift()!
      if (seen.has(url) || NOT_PAGES.some((re) => re.test(url))) continue
      if (!langs.some((lang) => url.startsWith(`/${lang}/`))) continue
      seen.add(url)
      const shape = shapeOf(url)
      const visits = (walked.get(shape) ?? 0) + 1
      if (visits > FOLLOWED_PER_SHAPE) continue
      walked.set(shape, visits)
      const response = await jar.get(url)
      if (!String(response.headers['content-type'] ?? '').startsWith('text/html')) continue
      if (!listed.has(shape) && response.statusCode < 400) {
        listed.add(shape)
        pages.push({ url, role, shape })
      }
      if (response.statusCode < 300) queue.push(...linksOf(response.body, url))
    }
  }
  return pages
}
