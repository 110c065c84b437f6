import fp from 'fastify-plugin'
import { isLang, negotiateLang, type I18n, type Lang, type Translate } from '../i18n/index.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The language of this request: the page's path prefix, else Accept-Language (Kazakh first). */
    lang: Lang
    t: Translate
  }
  interface FastifyInstance {
    i18n: I18n
  }
}

/** The language a URL's first path segment names, if any (/kk/..., /ru/..., /en/...). */
export function langOfPath(url: string): Lang | undefined {
  const first = url.split(/[/?#]/)[1]
  return isLang(first) ? first : undefined
}

/** Sets request.lang and request.t for every request. */
export const languagePlugin = fp<{ i18n: I18n }>(async (app, { i18n }) => {
  app.decorate('i18n', i18n)
  app.decorateRequest('lang', 'kk')
  app.decorateRequest('t', null as unknown as Translate)
  app.addHook('onRequest', async (request, reply) => {
    const fromPath = langOfPath(request.url)
    request.lang = fromPath ?? negotiateLang(request.headers['accept-language'])
    request.t = i18n.for(request.lang)
    // Outside /{lang}/ pages the answer depends on the header: caches must keep one copy per language.
    if (!fromPath) reply.header('vary', 'Accept-Language')
    reply.header('content-language', request.lang)
  })
})
