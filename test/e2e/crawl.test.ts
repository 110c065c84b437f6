import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { BrowserContext, Page } from 'playwright-core'
import { NO_BROWSER, WCAG_TAGS, axeViolations, screenshot, startSite } from './browser.ts'
import { mapSite, type MappedPage } from './site-map.ts'
import { Browser as CookieJar } from '../helpers/forms.ts'
import { signedInBrowser } from '../helpers/users.ts'
import { pathInLang } from '../../src/platform/html/render.ts'
import { SERVER_URL } from '../helpers/db.ts'

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
  pages.push(...await pagesAfterForms(site))
})

/**
 * Pages a link never reaches, only a form sent: a question just received, the confirmation of a
 * forwarded one, a question after its body acted on it (the message beside it), the form a
 * password-reset link opens, a data request; and pages a link reaches whose forms only another role
 * sees (the map lists each address's shape once, for the first role that reaches it).
 */
async function pagesAfterForms({ app, db }: Site): Promise<MappedPage[]> {
  const asker = await signedInBrowser(app, db, undefined, undefined, { confirmed: true })
  const staff = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health')
  Object.assign(jars, { asker, staff })
  const form = '/ru/dialogue/ministry-of-health/ask'
  const ask = async (body: string) => (await asker.postFile(form, { topic: 'health', body, showName: 'no' }, [], { from: form })).headers.location as string
  const first = await ask('Когда откроют новую поликлинику в микрорайоне?')
  const second = await ask('Почему в аптеке нет инсулина?')
  const idOf = (location: string) => /questions\/(\d+)/.exec(location)![1]!
  const forwarded = await staff.post(`/ru/dialogue/questions/${idOf(first)}/forward`, { agency: 'akimat-almaty', 'reason.ru': 'Строительство поликлиник — акимат' }, { from: `/ru/dialogue/questions/${idOf(first)}` })
  const published = await staff.post(`/ru/dialogue/questions/${idOf(second)}/publish`, {}, { from: `/ru/dialogue/questions/${idOf(second)}` })
  // A data request just sent, as its asker sees it and as the body's editor does (the answer form);
  // the Unified List of a body as the administrator sees it (the forms of its entries).
  const requested = await jars.citizen!.post('/ru/data/requests/new', { agencySlug: 'ministry-of-finance', title: 'Процедуры госзакупок по регионам', description: 'Для сравнения регионов' }, { from: '/ru/data/requests/new' })
  const request = String(requested.headers.location)
  const visitor = jars.visitor!
  await visitor.post('/ru/account/forgot', { email: (await db.query<{ email: string }>('select email from users order by id desc limit 1'))[0]!.email })
  const [mail] = await db.query<{ body: string }>("select body from outbox where kind = 'password-reset' order by id desc limit 1")
  const reset = /\/(?:kk|ru|en)\/account\/reset\?token=\S+/.exec(mail!.body)![0]
  // An open poll answered by a citizen who says where they live: the message, their answer, the form to change it.
  const [poll] = await db.query<{ id: string; option: string; region: string }>(
    `select p.id::text, (select o.id::text from dialogue_poll_options o where o.poll_id = p.id order by o.position limit 1) as option, p.region_code as region
     from dialogue_polls p where p.status = 'published' and p.opens_on <= current_date and p.region_code is not null order by p.id limit 1`,
  )
  const pollPage = `/ru/dialogue/polls/${poll!.id}`
  const voted = await asker.post(`${pollPage}/ballot`, { option: poll!.option, regionCode: poll!.region }, { from: pollPage })
  // A petition drafted (the message, the step to submit it), a listed one signed (the message beside
  // the signature), and a supported one as its body's staff see it (the forms to discuss and answer).
  const drafted = await asker.post('/ru/dialogue/petitions/new', {
    agency: 'ministry-of-health', level: 'government', title: 'Бесплатные анализы для детей', request: 'Сделать анализы бесплатными', body: '', lang: 'ru', showName: 'no',
  }, { from: '/ru/dialogue/petitions/new?agency=ministry-of-health' })
  const [listed] = await db.query<{ id: string }>("select id::text from dialogue_petitions where status = 'collecting' and listed_on is not null order by id limit 1")
  const petitionPage = `/ru/dialogue/petitions/${listed!.id}`
  const signed = await asker.post(`${petitionPage}/sign`, { regionCode: 'almaty', showName: 'yes' }, { from: petitionPage })
  const [considered] = await db.query<{ id: string; slug: string }>(
    "select p.id::text, a.slug from dialogue_petitions p join agencies a on a.id = p.agency_id where p.status = 'consideration' order by p.id limit 1")
  Object.assign(jars, { petitionStaff: await signedInBrowser(app, db, 'agency-editor', considered!.slug) })
  const after = [
    { url: first, role: 'asker' },
    { url: String(drafted.headers.location).replace(/#.*$/, ''), role: 'asker' },
    { url: String(signed.headers.location).replace(/#.*$/, ''), role: 'asker' },
    { url: `/ru/dialogue/petitions/${considered!.id}`, role: 'petitionStaff' },
    { url: String(forwarded.headers.location), role: 'staff' },
    { url: String(published.headers.location).replace(/#.*$/, ''), role: 'staff' },
    { url: reset, role: 'visitor' },
    { url: request, role: 'citizen' },
    { url: request, role: 'editor' },
    { url: '/ru/data/unified-list/ministry-of-finance', role: 'admin' },
    { url: String(voted.headers.location).replace(/#.*$/, ''), role: 'asker' },
  ]
  for (const page of after) assert.match(page.url, /^\/(kk|ru)\//, 'a form led to a page of the site')
  return after.map((page) => ({ ...page, shape: `after a form: ${page.url}` }))
}
after(async () => site?.close())

/**
 * The width, and the version for the visually impaired (its cookie) in which each page is checked:
 * Kazakh and Russian, whose words are the longest, in every light variant; English at the usual
 * desktop width, where its texts are checked. axe-core checks everything in each page's markup at
 * each width. The dark version has the light one's markup with other colours, so there it checks
 * what colours decide (contrast, links told from text), in Kazakh alone: a page's colours are the
 * same in every language. The other checks (sideways scrolling, English left in, errors, status) run
 * in every variant. (Each page in each language of each variant costs the crawl some 0.45 s: the six
 * variants took 15 of the PGlite pass's minutes with English in three and all languages in the dark
 * ones; `npm test`'s log, 2026-12-06.)
 */
const VARIANTS: { name: string; width: number; cookie?: string; langs: string[]; axe: 'all' | 'colours' }[] = [
  { name: '1280 usual', width: 1280, langs: ['kk', 'ru', 'en'], axe: 'all' },
  { name: '360 usual', width: 360, langs: ['kk', 'ru'], axe: 'all' },
  { name: '1280 VI light, largest type', width: 1280, cookie: 'on.larger.light.show.normal', langs: ['kk', 'ru'], axe: 'all' },
  { name: '360 VI light, largest type', width: 360, cookie: 'on.larger.light.show.wide', langs: ['kk', 'ru'], axe: 'all' },
  { name: '1280 VI dark, largest type', width: 1280, cookie: 'on.larger.dark.hide.wide', langs: ['kk'], axe: 'colours' },
  { name: '360 VI dark, largest type', width: 360, cookie: 'on.larger.dark.show.normal', langs: ['kk'], axe: 'colours' },
]

// On a PostgreSQL server (the suite's second pass) every page is visited in the first variant alone:
// what it answers, and its markup checked, on that database too. The other variants check what the
// markup and the styles decide, which the database does not change, and the first pass checked them
// (each took 2.5 to 4 minutes of the pass on this machine: the crawl's log of `npm test`, 2026-12-05).
const CHECKED_VARIANTS = SERVER_URL ? VARIANTS.slice(0, 1) : VARIANTS

// The rules whose verdict colours decide.
const COLOUR_RULES = ['color-contrast', 'link-in-text-block']

// GOV.UK Frontend's own texts, which its macros and scripts put into a page unless given the page's.
const GOVUK_ENGLISH = /(?<![-\w])(Error|Page \d+|Previous|Next|Show password|Hide password|Show|Hide|Menu|Breadcrumb|Language|Service information|Choose file|No file chosen|Drop file here|characters? (remaining|too many)|words? (remaining|too many)|Show all sections|Hide all sections|There is a problem|Warning|Important|Success|Day|Month|Year|day|month|year)\b/

/** What a reader meets that they should not: each finding as one line. Read in one call to the page. */
async function problemsOf(page: Page, width: number, lang: string): Promise<string[]> {
  const found: string[] = []
  const { scrollWidth, english, overlaps } = await page.evaluate((source) => {
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
    // A chart's names and numbers, as drawn: none may run into another. (A map's numbered places
    // may lie close together: the list under it names them.)
    const overlaps: string[] = []
    for (const svg of document.querySelectorAll('.ashyq-chart:not(.ashyq-chart--map) svg.ashyq-chart__svg')) {
      const labels = [...svg.querySelectorAll('text')].map((t) => ({ text: t.textContent ?? '', box: t.getBoundingClientRect() })).filter((t) => t.box.width > 0)
      for (let i = 0; i < labels.length; i += 1) {
        for (let j = i + 1; j < labels.length; j += 1) {
          const [a, b] = [labels[i]!.box, labels[j]!.box]
          if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps.push(`"${labels[i]!.text}" and "${labels[j]!.text}"`)
        }
      }
    }
    return {
      scrollWidth: document.documentElement.scrollWidth,
      english: [...new Set(texts.map((t) => pattern.exec(t)?.[0]).filter(Boolean))],
      overlaps,
    }
  }, GOVUK_ENGLISH.source)
  if (scrollWidth > width) found.push(`scrolls sideways: ${scrollWidth}px wide`)
  if (lang !== 'en' && english.length > 0) found.push(`English default text: ${english.join(', ')}`)
  if (overlaps.length > 0) found.push(`chart labels overlap (${overlaps.length}): ${overlaps.slice(0, 3).join(', ')}`)
  return found
}

// Pages are checked by two browser tabs at once (each with its own contexts): the server, the
// browser and axe then keep both cores busy, and every page is still checked in every variant.
const TABS = 2

for (const variant of CHECKED_VARIANTS) {
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
          const violations = await axeViolations(open.page, variant.axe === 'all' ? { tags: WCAG_TAGS } : { rules: COLOUR_RULES })
          for (const violation of violations) problems.push(`axe ${violation}`)
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
