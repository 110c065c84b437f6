import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { AxeBuilder } from '@axe-core/playwright'
import type { BrowserContext, Page } from 'playwright-core'
import { NO_BROWSER, screenshot, startSite } from './browser.ts'
import { mapSite, type MappedPage } from './site-map.ts'
import { Browser as CookieJar } from '../helpers/forms.ts'
import { signedInBrowser } from '../helpers/users.ts'
import { pathInLang } from '../../src/platform/html/render.ts'

type Site = Awaited<ReturnType<typeof startSite>>
let site: Site
let pages: MappedPage[] = []
const jars: Record<string, CookieJar> = {}

const LANGS = ['kk', 'ru'] as const

before(async () => {
  if (NO_BROWSER) return
  site = await startSite()
  const { app, db } = site
  Object.assign(jars, {
    visitor: new CookieJar(app),
    citizen: await signedInBrowser(app, db),
    editor: await signedInBrowser(app, db, 'agency-editor', 'ministry-of-finance'),
    head: await signedInBrowser(app, db, 'agency-head', 'ministry-of-finance'),
    commission: await signedInBrowser(app, db, 'commission'),
    admin: await signedInBrowser(app, db, 'admin'),
  })
  // An editor with a token: the account page shows the tokens' table.
  await jars.editor!.post('/en/account/tokens', { name: 'nightly import from the ministry\'s registry' }, { from: '/en/account' })
  // The home pages, and what the header's search box leads to.
  pages = await mapSite(app, jars, [...LANGS], ['/kk/', '/ru/', '/kk/search?q=%D0%B4%D0%B5%D1%80%D0%B5%D0%BA'])
})
after(async () => site?.close())

/**
 * The width, and the version for the visually impaired (its cookie) in which each page is checked:
 * Kazakh and Russian everywhere; English at the desktop width too. axe-core checks everything in
 * each page's markup at each width; the dark version has the light one's markup with other colours,
 * so there it checks what colours decide (contrast, links told from text). The other checks (sideways
 * scrolling, English left in, errors, status) run in every variant.
 */
const VARIANTS: { name: string; width: number; cookie?: string; langs: string[]; axe: 'all' | 'colours' }[] = [
  { name: '1280 usual', width: 1280, langs: ['kk', 'ru', 'en'], axe: 'all' },
  { name: '360 usual', width: 360, langs: ['kk', 'ru'], axe: 'all' },
  { name: '1280 VI light, largest type', width: 1280, cookie: 'on.larger.light.show.normal', langs: ['kk', 'ru', 'en'], axe: 'all' },
  { name: '360 VI light, largest type', width: 360, cookie: 'on.larger.light.show.wide', langs: ['kk', 'ru'], axe: 'all' },
  { name: '1280 VI dark, largest type', width: 1280, cookie: 'on.larger.dark.hide.wide', langs: ['kk', 'ru', 'en'], axe: 'colours' },
  { name: '360 VI dark, largest type', width: 360, cookie: 'on.larger.dark.show.normal', langs: ['kk', 'ru'], axe: 'colours' },
]

// WCAG 2.1 A and AA, as axe-core tags its rules; and those of them whose verdict colours decide.
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
const COLOUR_RULES = ['color-contrast', 'link-in-text-block']

/**
 * axe-core on the page as it is. Legacy mode runs axe.run in the page itself: the default runs each
 * frame's part and then joins them in a new blank tab, which costs some 0.4 s a page, and these
 * pages have no frames of other origins to join.
 */
function axeFor(page: Page, rules: 'all' | 'colours'): AxeBuilder {
  const axe = new AxeBuilder({ page }).setLegacyMode()
  return rules === 'all' ? axe.withTags(WCAG_TAGS) : axe.withRules(COLOUR_RULES)
}

// GOV.UK Frontend's own texts, which its macros and scripts put into a page unless given the page's.
const GOVUK_ENGLISH = /(?<![-\w])(Error|Page \d+|Previous|Next|Show password|Hide password|Show|Hide|Menu|Breadcrumb|Language|Service information|Choose file|No file chosen|Drop file here|characters? (remaining|too many)|words? (remaining|too many)|Show all sections|Hide all sections|There is a problem|Warning|Important|Success|Day|Month|Year|day|month|year)\b/

/** What a reader meets that they should not: each finding as one line. */
async function problemsOf(page: Page, width: number, lang: string): Promise<string[]> {
  const found: string[] = []
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
  if (scrollWidth > width) found.push(`scrolls sideways: ${scrollWidth}px wide`)
  const english = await page.evaluate((source) => {
    const pattern = new RegExp(source)
    const texts: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement
      if (!parent || parent.closest('[lang="en"], script, style, code, pre')) continue
      texts.push(node.textContent ?? '')
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
      if (el.closest('[lang="en"]')) continue
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) texts.push(el.getAttribute(name) ?? '')
    }
    return [...new Set(texts.map((t) => pattern.exec(t)?.[0]).filter(Boolean))]
  }, GOVUK_ENGLISH.source)
  if (lang !== 'en' && english.length > 0) found.push(`English default text: ${english.join(', ')}`)
  return found
}

// Pages are checked by two browser tabs at once (each with its own contexts): the server, the
// browser and axe then keep both cores busy, and every page is still checked in every variant.
const TABS = 2

for (const variant of VARIANTS) {
  test(`the crawl of the whole site: ${variant.name}`, { skip: NO_BROWSER }, async () => {
    const failures: string[] = []
    const work = variant.langs.flatMap((lang) => pages.map((mapped) => ({ lang, mapped })))
    let next = 0
    const tab = async () => {
      const contexts = new Map<string, { context: BrowserContext; page: Page; console: string[] }>()
      try {
        for (let item = work[next++]; item; item = work[next++]) {
          const { lang, mapped } = item
          let open = contexts.get(mapped.role)
          if (!open) {
            const context = await site.browser.newContext({ viewport: { width: variant.width, height: 800 } })
            const cookies = [...jars[mapped.role]!.cookies].map(([name, value]) => ({ name, value, url: site.base }))
            if (variant.cookie) cookies.push({ name: 'ashyq_a11y', value: variant.cookie, url: site.base })
            await context.addCookies(cookies)
            const page = await context.newPage()
            const console: string[] = []
            page.on('console', (message) => { if (message.type() === 'error') console.push(message.text()) })
            page.on('pageerror', (error) => console.push(error.message))
            open = { context, page, console }
            contexts.set(mapped.role, open)
          }
          const url = pathInLang(mapped.url, lang as 'kk')
          open.console.length = 0
          const response = await open.page.goto(`${site.base}${url}`)
          const problems = await problemsOf(open.page, variant.width, lang)
          if ((response?.status() ?? 0) >= 400) problems.push(`status ${response?.status()}`)
          for (const message of new Set(open.console)) problems.push(`console: ${message.slice(0, 160)}`)
          const axe = await axeFor(open.page, variant.axe).analyze()
          for (const v of axe.violations) problems.push(`axe ${v.id} (${v.nodes.length}): ${v.nodes[0]?.target.join(' ')}`)
          if (problems.length > 0) {
            failures.push(`${url} as ${mapped.role}:\n    ${problems.join('\n    ')}`)
            await screenshot(open.page, `crawl-${variant.name.replaceAll(/[ ,]+/g, '-')}-${url.replaceAll(/[^a-z0-9]+/gi, '-')}`)
          }
        }
      } finally {
        for (const { context } of contexts.values()) await context.close()
      }
    }
    await Promise.all(Array.from({ length: TABS }, tab))
    assert.equal(failures.length, 0, `${failures.length} of ${work.length} pages:\n${failures.sort().join('\n')}`)
  })
}
