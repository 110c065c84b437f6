import path from 'node:path'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import { createViewEnvironment, layoutContext } from './render.ts'
import { accessibilityContext } from './accessibility.ts'
import { PageCache } from './page-cache.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Pages kept for anonymous readers (routes opt in with config.pageCache). */
    pageCache: PageCache
  }
  interface FastifyReply {
    /** Renders a Nunjucks view with the layout's context, as an HTML response. */
    render(view: string, context?: Record<string, unknown>): FastifyReply
  }
}

const HERE = fileURLToPath(new URL('.', import.meta.url))
const GOVUK = path.dirname(fileURLToPath(import.meta.resolve('govuk-frontend/package.json'))) + '/dist/govuk'

let compiledCss: Promise<string> | undefined
const run = promisify(execFile)

/**
 * The Content-Security-Policy source that allows GOV.UK Frontend's one inline script (it marks the
 * page as having JavaScript), by its hash: the same on every page, so pages differ by nothing made
 * per request and can be kept and compared (ETag). Read from the template, so an upgrade that
 * changes the script changes the hash.
 */
export function govukInlineScriptSource(): string {
  const template = readFileSync(path.join(GOVUK, 'template.njk'), 'utf8')
  const script = /<script\b[^>]*>([^<]+)<\/script>/.exec(template)?.[1]
  if (!script) throw new Error('GOV.UK Frontend\'s template has no inline script to allow')
  return `'sha256-${createHash('sha256').update(script).digest('base64')}'`
}

/**
 * Ashyq's stylesheet: GOV.UK Frontend built from Sass with Ashyq's settings, once per process, in a
 * process of its own whose memory (Sass's compiler) is given back when it ends.
 */
export function stylesheet(): Promise<string> {
  compiledCss ??= run(process.execPath, [fileURLToPath(new URL('./compile-stylesheet.mjs', import.meta.url)), path.join(HERE, 'styles/ashyq.scss'), path.resolve(GOVUK, '../../..')], { maxBuffer: 16 * 1024 * 1024 })
    .then(({ stdout }) => stdout)
    .catch((error: unknown) => {
      // The next request tries again.
      compiledCss = undefined
      throw error
    })
  return compiledCss
}

function withErrorPrefix(fieldErrors: Record<string, object>, prefix: string): Record<string, object> {
  return Object.fromEntries(Object.entries(fieldErrors).map(([field, error]) => [field, { visuallyHiddenText: prefix, ...error }]))
}

/** Server-rendered pages: views, the stylesheet, GOV.UK Frontend's fonts, images and script. */
export const htmlPlugin = fp<{ pageCacheBytes?: number }>(async (app, options) => {
  const views = createViewEnvironment()
  const kept = new PageCache({ maxBytes: options.pageCacheBytes ?? 32 * 1024 * 1024 })
  app.decorate('pageCache', kept)
  app.decorateRequest('pageSlot', null)
  // Before the handler: an anonymous reader of a page that is kept gets it without it being made.
  app.addHook('preHandler', async (request, reply) => {
    if (await kept.sendKept(request, reply)) return reply
  })

  app.decorateReply('render', function (view: string, context: Record<string, unknown> = {}) {
    // GOV.UK Frontend says "Error:" before each field's message unless told the page's word.
    if (context.fieldErrors) context = { ...context, fieldErrors: withErrorPrefix(context.fieldErrors as Record<string, object>, this.request.t('platform.errors.prefix')) }
    let madeToken = false
    let token: string | undefined
    const html = views.render(view, {
      ...layoutContext(this.request),
      ...accessibilityContext(this.request),
      user: this.request.user ?? null,
      // A form's CSRF token, made when a template first asks for one and the same for every form of
      // the page: each new one would set a new secret cookie for a visitor who has none yet, and the
      // browser keeps only the last, so every form but the last would be refused.
      csrfToken: () => {
        madeToken = true
        token ??= typeof this.generateCsrf === 'function' ? this.generateCsrf() : ''
        return token
      },
      ...context,
    })
    // A page with a form's token is this reader's own; any other page of an anonymous reader may be kept.
    const etag = madeToken ? null : kept.keep(this.request, this, html)
    if (etag) this.header('etag', etag)
    // A page is kept by the reader's browser only (it may carry a form's token, or the reader's own
    // data when signed in), and asked again each time: a signed-in page is not kept at all.
    if (!this.hasHeader('cache-control')) this.header('cache-control', this.request.user ? 'private, no-store' : 'private, no-cache')
    return this.type('text/html; charset=utf-8').send(html)
  })

  // Fonts and images, where GOV.UK Frontend's stylesheet looks for them.
  await app.register(fastifyStatic, { root: path.join(GOVUK, 'assets'), prefix: '/assets/', maxAge: '1d' })
  // Ashyq's scripts and GOV.UK Frontend's module, nothing else of the package.
  await app.register(fastifyStatic, {
    root: [path.join(HERE, 'public'), GOVUK],
    prefix: '/static/',
    decorateReply: false,
    maxAge: '1h',
    allowedPath: (pathname) => /^\/[a-z0-9.-]+\.m?js$/.test(pathname),
  })

  app.get('/static/ashyq.css', { schema: { hide: true } }, async (_request, reply) => {
    return reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(await stylesheet())
  })
})
