import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { AxeBuilder } from '@axe-core/playwright'
import { NO_BROWSER, screenshot, startSite } from './browser.ts'

type Site = Awaited<ReturnType<typeof startSite>>
let site: Site

before(async () => {
  if (NO_BROWSER) return
  site = await startSite()
  // The demo's table of population by region, as its dataset page links it.
  const [table] = await site.db.query<{ id: string }>(
    `select r.id from data_resources r join datasets d on d.id = r.dataset_id where d.name = 'population-by-region' order by r.position limit 1`)
  PAGES.table = `/data/datasets/population-by-region/resources/${table!.id}?sort=population_total&dir=desc`
})
after(async () => site?.close())

const PAGES: Record<string, string> = {
  home: '/',
  registry: '/agencies',
  body: '/agencies/ministry-of-finance',
  'sign-in': '/sign-in',
  register: '/register',
  'not-found': '/no-such-page',
  catalog: '/data?theme=econ',
  dataset: '/data/datasets/population-by-region',
  'unified-list': '/data/unified-list/ministry-of-finance',
  popular: '/data/popular',
  'unified-list-overview': '/data/unified-list',
  requests: '/data/requests',
}

// The usual version, and the version for the visually impaired in its two colour schemes.
const MODES: Record<string, string | undefined> = {
  usual: undefined,
  'vi-light': 'on.large.light.show.normal',
  'vi-dark': 'on.larger.dark.hide.wide',
}

for (const lang of ['kk', 'ru', 'en']) {
  for (const [mode, cookie] of Object.entries(MODES)) {
    test(`axe finds no WCAG 2.1 A/AA violations: ${lang}, ${mode}`, { skip: NO_BROWSER }, async () => {
      const context = await site.browser.newContext({ viewport: { width: 1024, height: 800 } })
      if (cookie) await context.addCookies([{ name: 'ashyq_a11y', value: cookie, url: site.base }])
      try {
        // The pages of one language and mode are checked side by side: the machine has two cores.
        await Promise.all(Object.entries(PAGES).map(async ([name, pathname]) => {
          const page = await context.newPage()
          await page.goto(`${site.base}/${lang}${pathname}`)
          if (cookie) assert.match((await page.getAttribute('html', 'class')) ?? '', /ashyq-vi/)
          const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
          await screenshot(page, `${lang}-${mode}-${name}`)
          const found = result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0]?.target.join(' ')}`)
          assert.deepEqual(found, [], `${lang}${pathname} in ${mode}`)
          await page.close()
        }))
      } finally {
        await context.close()
      }
    })
  }
}

test('the version for the visually impaired works with JavaScript off and the choice persists', { skip: NO_BROWSER }, async () => {
  const context = await site.browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  try {
    await page.goto(`${site.base}/ru/agencies/ministry-of-finance`)
    assert.doesNotMatch((await page.getAttribute('html', 'class')) ?? '', /ashyq-vi/)
    await page.click('text=Версия для слабовидящих')
    assert.equal(new URL(page.url()).pathname, '/ru/agencies/ministry-of-finance', 'back on the same page')
    assert.match((await page.getAttribute('html', 'class')) ?? '', /ashyq-vi--size-large/)
    const before = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('h1')!).fontSize))
    await page.click('.ashyq-vi-toolbar__link--size-larger')
    await page.click('.ashyq-vi-toolbar__link--contrast-dark')
    const after = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('h1')!).fontSize))
    assert.ok(after > before, `larger type: ${before} -> ${after}`)
    const colours = await page.evaluate(() => ({ bg: getComputedStyle(document.body).backgroundColor, fg: getComputedStyle(document.querySelector('h1')!).color }))
    assert.deepEqual(colours, { bg: 'rgb(0, 0, 0)', fg: 'rgb(255, 255, 255)' })
    await page.goto(`${site.base}/ru/agencies`)
    assert.match((await page.getAttribute('html', 'class')) ?? '', /ashyq-vi--contrast-dark/, 'the choice persists')
    await page.click('.ashyq-vi-toolbar__off')
    assert.doesNotMatch((await page.getAttribute('html', 'class')) ?? '', /ashyq-vi/)
  } finally {
    await context.close()
  }
})

test('keyboard only: the skip link comes first and shows, the language switch is reachable and visible on focus', { skip: NO_BROWSER }, async () => {
  const context = await site.browser.newContext()
  const page = await context.newPage()
  try {
    await page.goto(`${site.base}/kk/agencies`)
    await page.keyboard.press('Tab')
    const skip = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement
      const box = el.getBoundingClientRect()
      return { cls: el.className, href: el.getAttribute('href'), visible: box.width > 1 && box.height > 1 && box.top >= 0 }
    })
    assert.match(skip.cls, /govuk-skip-link/)
    assert.equal(skip.href, '#main-content')
    assert.ok(skip.visible, 'the skip link is visible when focused')
    let reached = false
    for (let i = 0; i < 15 && !reached; i += 1) {
      await page.keyboard.press('Tab')
      reached = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement
        if (!el.matches('.govuk-language-navigation__link[hreflang="ru"]')) return false
        const box = el.getBoundingClientRect()
        const style = getComputedStyle(el)
        // Focus shows: GOV.UK's yellow focus background or an outline.
        return box.width > 1 && box.height > 1 && (style.backgroundColor === 'rgb(255, 221, 0)' || style.outlineStyle !== 'none')
      })
    }
    assert.ok(reached, 'the Russian language link is reached by Tab and shows its focus')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/ru\/agencies$/)
  } finally {
    await context.close()
  }
})

test('on a 360 px phone no page scrolls sideways, and print leaves out the navigation', { skip: NO_BROWSER }, async () => {
  for (const cookie of [undefined, 'on.larger.light.show.wide']) {
    const context = await site.browser.newContext({ viewport: { width: 360, height: 740 } })
    if (cookie) await context.addCookies([{ name: 'ashyq_a11y', value: cookie, url: site.base }])
    const page = await context.newPage()
    try {
      for (const pathname of Object.values(PAGES)) {
        await page.goto(`${site.base}/ru${pathname}`)
        const width = await page.evaluate(() => document.documentElement.scrollWidth)
        assert.ok(width <= 360, `/ru${pathname} is ${width}px wide${cookie ? ' (visually impaired)' : ''}`)
        const search = await page.evaluate(() => document.querySelector('.ashyq-header__search')!.getBoundingClientRect().height)
        assert.ok(search < 120, `the header's search box is ${search}px tall`)
      }
      await page.goto(`${site.base}/ru/agencies/ministry-of-finance`)
      await screenshot(page, `ru-phone-${cookie ? 'vi' : 'usual'}-body`)
      await page.emulateMedia({ media: 'print' })
      const hidden = await page.evaluate(() => ['.govuk-service-navigation', '.govuk-footer', '.ashyq-header__tools']
        .map((s) => getComputedStyle(document.querySelector(s)!).display))
      assert.deepEqual(hidden, ['none', 'none', 'none'])
      assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('h1')!).display), 'block')
    } finally {
      await context.close()
    }
  }
})

test('each colour choice in the toolbar is readable in both schemes', { skip: NO_BROWSER }, async () => {
  for (const cookie of ['on.large.light.show.normal', 'on.large.dark.show.normal']) {
    const context = await site.browser.newContext()
    await context.addCookies([{ name: 'ashyq_a11y', value: cookie, url: site.base }])
    const page = await context.newPage()
    await page.goto(`${site.base}/en/`)
    const links = await page.$$eval('.ashyq-vi-toolbar__link', (els) => els.map((el) => {
      const style = getComputedStyle(el)
      return { text: el.textContent?.trim(), fg: style.color, bg: style.backgroundColor }
    }))
    for (const link of links) assert.notEqual(link.fg, link.bg, `${cookie}: "${link.text}" is ${link.fg} on ${link.bg}`)
    await context.close()
  }
})
