import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import nunjucks from 'nunjucks'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { doneOf } from './done.ts'
import { COMMENT_MAX_LENGTH } from '../comments/limits.ts'
import { LANGS, formatBytes, formatDate, formatNumber, type Lang } from '../i18n/index.ts'
import { localize, localizeList, type MultilingualList, type MultilingualText } from '../i18n/multilingual.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The portals whose modules are loaded: the header and the home page offer these alone. */
    builtPortals: readonly string[]
  }
}

const SRC = fileURLToPath(new URL('../../', import.meta.url))
const GOVUK_DIST = path.dirname(fileURLToPath(import.meta.resolve('govuk-frontend/package.json'))) + '/dist'

/** The Nunjucks environment: platform views, module views (as "<module>/views/…") and GOV.UK Frontend's macros. */
export function createViewEnvironment(): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader(
    [path.join(SRC, 'platform/html/views'), path.join(SRC, 'platform'), path.join(SRC, 'modules'), GOVUK_DIST],
    { noCache: false },
  )
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false })
  // GOV.UK Frontend's macros trim each component's whole HTML with Nunjucks' trim, a regular
  // expression that looks for the end at every run of spaces (a tenth of a catalog page's time);
  // the engine's own trim takes away the same whitespace in one pass, and keeps what is safe safe.
  env.addFilter('trim', (value: unknown) => {
    const trimmed = String(value ?? '').trim()
    return value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(trimmed) : trimmed
  })
  env.addGlobal('COMMENT_MAX_LENGTH', COMMENT_MAX_LENGTH)
  // Shared macros add their own parameters to a page's: { ...params, ...more }.
  env.addFilter('merge', (value: unknown, more: Record<string, unknown>) => ({ ...(value as Record<string, unknown>), ...more }))
  return env
}

/** One portal in the header's navigation. */
interface PortalLink {
  key: string
  path: string
}

// The portals of open government, in the order the header shows them.
const PORTALS: PortalLink[] = [
  { key: 'data', path: '/data' },
  { key: 'legal-acts', path: '/legal-acts' },
  { key: 'budgets', path: '/budgets' },
  { key: 'dialogue', path: '/dialogue' },
  { key: 'agencies', path: '/agencies' },
  { key: 'services', path: '/services' },
  { key: 'openness', path: '/openness' },
]

/** The portals this site has, in the header's order. */
export function builtPortals(app: FastifyInstance): PortalLink[] {
  return PORTALS.filter((p) => app.builtPortals.includes(p.key))
}

const LANGUAGE_NAMES: Record<Lang, string> = { kk: 'Қазақша', ru: 'Русский', en: 'English' }

/** Text made safe to put inside HTML, in an element or an attribute's quotes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The URL of the same page in another language: the language prefix swapped, the query kept. */
export function pathInLang(url: string, lang: Lang): string {
  const [pathname = '/', query] = url.split('?', 2)
  const rest = pathname.replace(/^\/(kk|ru|en)(?=\/|$)/, '')
  return `/${lang}${rest || '/'}${query ? `?${query}` : ''}`
}

/** Query parameters a link gathers where it is shared (utm_source=telegram, fbclid=…): no page reads them. */
export const TRACKER = /^(utm_[a-z]+|fbclid|gclid|yclid)$/
// Those, and what tells of an action just done (done.ts): neither says which page it is.
const NOT_THE_PAGE = /^(utm_[a-z]+|fbclid|gclid|yclid|done|item|at)$/

/** A page's address as it is shared and indexed: the query without trackers and one-off notices, and no "page=1". */
export function canonicalPath(url: string): string {
  const [pathname = '/', query = ''] = url.split('?', 2)
  const params = new URLSearchParams(query)
  for (const key of [...params.keys()]) if (NOT_THE_PAGE.test(key) || (key === 'page' && params.get(key) === '1')) params.delete(key)
  const rest = params.toString()
  return `${pathname}${rest ? `?${rest}` : ''}`
}

// Open Graph's locales of the three languages.
const OG_LOCALES: Record<Lang, string> = { kk: 'kk_KZ', ru: 'ru_RU', en: 'en_GB' }

/** What every page's layout needs, beside the page's own context. */
export function layoutContext(request: FastifyRequest) {
  const { lang, t } = request
  const url = request.url
  const origin = request.server.publicUrl
  const canonical = canonicalPath(url)
  const pathname = url.split('?')[0] ?? '/'
  const here = pathname.replace(/^\/(kk|ru|en)/, '')
  const done = doneOf(url)
  return {
    lang,
    t,
    // The header's search box keeps what was searched for.
    searchQuery: pathname.endsWith('/search') ? new URLSearchParams(url.split('?')[1] ?? '').get('q') ?? '' : '',
    portalName: t('platform.portal.name'),
    languages: LANGS.map((code) => ({
      text: LANGUAGE_NAMES[code],
      lang: code,
      href: pathInLang(url, code),
      /** The page in this language, as search engines and shared links name it. */
      canonical: `${origin}${pathInLang(canonical, code)}`,
      ogLocale: OG_LOCALES[code],
      current: code === lang,
    })),
    canonicalUrl: `${origin}${canonical}`,
    ogLocale: OG_LOCALES[lang],
    siteOrigin: origin,
    portalNav: builtPortals(request.server).map((p) => ({
      text: t(`platform.portals.${p.key}`),
      href: `/${lang}${p.path}`,
      active: here === p.path || here.startsWith(`${p.path}/`),
    })),
    /** A multilingual value as HTML: its text, in a lang attribute, with a note when it is another language. */
    ml(value: MultilingualText | null | undefined): nunjucks.runtime.SafeString | string {
      const found = localize(value, lang)
      if (!found) return ''
      const text = escapeHtml(found.text)
      if (!found.fallback) return new nunjucks.runtime.SafeString(text)
      const note = escapeHtml(t(`platform.fallback.${found.lang}`))
      return new nunjucks.runtime.SafeString(
        `<span lang="${found.lang}">${text}</span> <span class="ashyq-fallback">(${note})</span>`,
      )
    },
    /** A multilingual value as plain text (titles, attributes), whatever language was found. */
    mlText(value: MultilingualText | null | undefined): string {
      return localize(value, lang)?.text ?? ''
    },
    /** A multilingual list (keywords) in the reader's language or the nearest one, with the note for another language. */
    mlList(value: MultilingualList | null | undefined) {
      const found = localizeList(value, lang)
      return found ? { ...found, note: found.fallback ? t(`platform.fallback.${found.lang}`) : '' } : { items: [], lang, fallback: false, note: '' }
    },
    date: (value: Date | string) => formatDate(lang, value),
    number: (value: number) => formatNumber(lang, value),
    /** A file's size as the reader writes it: "1,2 МБ". */
    bytes: (value: number) => formatBytes(lang, value),
    /** A new key for a form that must not act twice when sent twice (a double click, a retry). */
    formKey: () => randomUUID(),
    /** This page's path and query, for forms that bring the reader back to it. */
    currentPath: url,
    /** What the action that led here did, and where (see done.ts). */
    done,
    /** The message of the action just done, written inside the item it was done to: the address's fragment points at it. */
    doneFor(item: string): nunjucks.runtime.SafeString | string {
      if (!done || done.item !== item) return ''
      return new nunjucks.runtime.SafeString(
        `<p class="govuk-body ashyq-done" id="done" tabindex="-1" role="status"><strong>${escapeHtml(t(`platform.done.${done.key}`))}</strong></p>`,
      )
    },
  }
}
