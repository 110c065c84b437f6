import path from 'node:path'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import fp from 'fastify-plugin'
import { createViewEnvironment, layoutContext, TRACKER } from './render.ts'
import type { StateColours } from '../states/tags.ts'
import { accessibilityContext } from './accessibility.ts'
import { PageCache } from './page-cache.ts'
import { fileOnDisk, filesUnder, fingerprint, StaticFiles, TYPES } from './static-files.ts'

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
 * Ashyq's stylesheet: GOV.UK Frontend built from Sass with Ashyq's settings, by npm run build or
 * else once per process, in a process of its own whose memory (Sass's compiler) is given back when
 * it ends.
 */
export function stylesheet(): Promise<string> {
  // The compiled tree (npm run build) holds the stylesheet compiled once, beside this file.
  const precompiled = path.join(HERE, 'ashyq.css')
  if (existsSync(precompiled)) return compiledCss ??= readFile(precompiled, 'utf8')
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

/**
 * The files pages load, held in memory: GOV.UK Frontend's assets under a folder named by their
 * fingerprint (the template's assetPath), its fonts also where the stylesheet names them (their names
 * carry GOV.UK Frontend's own fingerprint), the stylesheet and the scripts by fingerprinted names.
 */
function siteFiles(): { send: StaticFiles['send']; has: StaticFiles['has']; addresses: { assetPath: string; css: string; js: string; shareCard: string } } {
  const files = new StaticFiles()
  const assetsDir = path.join(GOVUK, 'assets')
  const assets = filesUnder(assetsDir).map((name) => ({ name, file: fileOnDisk(path.join(assetsDir, name)) }))
  const govukPackage = readFileSync(path.join(GOVUK, '../../package.json'))
  const assetsPrint = fingerprint(...assets.map(({ name }) => name), govukPackage)
  for (const { name, file } of assets) {
    files.add(`/assets/${name}`, file, { immutable: /-[0-9a-f]{10}-v\d+\.woff2?$/.test(name), folderFingerprint: { prefix: '/assets/', value: assetsPrint } })
  }
  const govukModule = readFileSync(path.join(GOVUK, 'govuk-frontend.min.js'))
  const govukScript = files.add('/static/govuk-frontend.min.js', { type: TYPES['.js']!, body: async () => govukModule }, { fingerprint: fingerprint(govukModule) })
  // Ashyq's script imports GOV.UK Frontend's module by the address that names its version.
  const script = Buffer.from(readFileSync(path.join(HERE, 'public/ashyq.js'), 'utf8').replaceAll("'/static/govuk-frontend.min.js'", `'${govukScript}'`))
  const js = files.add('/static/ashyq.js', { type: TYPES['.js']!, body: async () => script }, { fingerprint: fingerprint(script) })
  // The picture a shared link shows (Open Graph's og:image), 1200 × 630 as social sites draw it.
  const card = readFileSync(path.join(HERE, 'public/share-card.png'))
  const shareCard = files.add('/static/share-card.png', { type: TYPES['.png']!, body: async () => card }, { fingerprint: fingerprint(card) })
  // The stylesheet is compiled on first use; its name is the fingerprint of what it is compiled from.
  const stylesDir = path.join(HERE, 'styles')
  const sources = filesUnder(stylesDir).flatMap((name) => [name, readFileSync(path.join(stylesDir, name))])
  const css = files.add('/static/ashyq.css', { type: TYPES['.css']!, body: async () => Buffer.from(await stylesheet()) }, {
    fingerprint: fingerprint(...sources, readFileSync(path.join(HERE, 'compile-stylesheet.mjs')), govukPackage),
  })
  return { send: files.send.bind(files), has: files.has.bind(files), addresses: { assetPath: `/assets/${assetsPrint}`, css, js, shareCard } }
}

/** Server-rendered pages: views, the stylesheet, GOV.UK Frontend's fonts, images and script. */
export const htmlPlugin = fp<{ pageCacheBytes?: number; tagColours?: Readonly<Record<string, StateColours>> }>(async (app, options) => {
  const views = createViewEnvironment()
  const statics = siteFiles()
  views.addGlobal('staticFiles', statics.addresses)
  // The colour of each state of each kind of item, from the modules' state models (states/views/tag.njk).
  views.addGlobal('tagColours', options.tagColours ?? {})
  const kept = new PageCache({ maxBytes: options.pageCacheBytes ?? 32 * 1024 * 1024 })
  app.decorate('pageCache', kept)
  app.decorateRequest('pageSlot', null)
  // A shared link's trackers are let through and read by nobody: a page whose query is checked strictly
  // answers a link from a messenger as it answers the plain one, not with a 400.
  app.addHook('preValidation', async (request) => {
    const query = request.query as Record<string, unknown> | undefined
    if (query && typeof query === 'object') for (const key of Object.keys(query)) if (TRACKER.test(key)) delete query[key]
  })
  // Before the handler: an anonymous reader of a page that is kept gets it without it being made.
  app.addHook('preHandler', async (request, reply) => {
    if (await kept.sendKept(request, reply)) return reply
  })
  // A page that was not kept (an error, a form's token) lets those who waited for it make their own.
  app.addHook('onResponse', async (request) => PageCache.release(request))

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

  // Fonts and images where GOV.UK Frontend's stylesheet and template look for them, Ashyq's
  // scripts and GOV.UK Frontend's module, and the stylesheet: held in memory, compressed once.
  app.get('/assets/*', { schema: { hide: true } }, async (request, reply) => {
    if (!(await statics.send(request, reply, request.url.split('?')[0]!))) return reply.callNotFound()
    return reply
  })
  app.get('/static/*', { schema: { hide: true } }, async (request, reply) => {
    const address = request.url.split('?')[0]!
    // A page made before a release names the stylesheet or script it was made with: the current one
    // is sent, to be asked for again.
    if (!(await statics.send(request, reply, statics.has(address) ? address : address.replace(/\.[0-9a-f]{10}(\.m?js|\.css)$/, '$1')))) return reply.callNotFound()
    return reply
  })
})
