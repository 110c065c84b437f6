import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { NO_BROWSER, screenshot, startSite } from './browser.ts'

type Site = Awaited<ReturnType<typeof startSite>>
let site: Site

before(async () => {
  if (NO_BROWSER) return
  site = await startSite()
})
after(async () => site?.close())

// axe, sideways scrolling, the policy and the language of every page: crawl.test.ts walks the whole site.

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

test('on a 360 px phone the search in the header stays small, and print leaves out the navigation', { skip: NO_BROWSER }, async () => {
  for (const cookie of [undefined, 'on.larger.light.show.wide']) {
    const context = await site.browser.newContext({ viewport: { width: 360, height: 740 } })
    if (cookie) await context.addCookies([{ name: 'ashyq_a11y', value: cookie, url: site.base }])
    const page = await context.newPage()
    try {
      await page.goto(`${site.base}/ru/agencies/ministry-of-finance`)
      const search = await page.evaluate(() => document.querySelector('.ashyq-header__search')!.getBoundingClientRect().height)
      assert.ok(search < 120, `the header's search box is ${search}px tall`)
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
    // The current choice of each row is marked the same way, and only it.
    const marks = await page.$$eval('.ashyq-vi-toolbar__link', (els) => els.map((el) => ({
      current: el.hasAttribute('aria-current'), tick: getComputedStyle(el, '::before').content, weight: getComputedStyle(el).fontWeight,
    })))
    for (const mark of marks) {
      assert.equal(mark.tick, mark.current ? '"✓ "' : 'none')
      if (mark.current) assert.equal(mark.weight, '700')
    }
    assert.equal(marks.filter((m) => m.current).length, 4, 'one current choice in each of the four rows')
    await context.close()
  }
})

test('on a phone the toolbar of the version for the visually impaired folds behind one line and no longer fills the first screen', { skip: NO_BROWSER }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false })
  await context.addCookies([{ name: 'ashyq_a11y', value: 'on.larger.dark.show.normal', url: site.base }])
  const page = await context.newPage()
  try {
    await page.goto(`${site.base}/kk/agencies`)
    assert.equal(await page.isVisible('.ashyq-vi-toolbar__link--size-normal'), false, 'the choices are folded')
    assert.equal(await page.isVisible('.ashyq-vi-toolbar__off'), true, 'switching back stays in sight')
    const toolbar = await page.evaluate(() => document.querySelector('.ashyq-vi-toolbar')!.getBoundingClientRect().height)
    assert.ok(toolbar < 740 / 3, `the toolbar takes ${toolbar}px of a 740px screen`)
    await page.click('.ashyq-vi-toolbar__summary')
    assert.equal(await page.isVisible('.ashyq-vi-toolbar__link--size-normal'), true, 'one press opens them, without JavaScript')
    // On a wider screen the choices are open from the start.
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.reload()
    assert.equal(await page.isVisible('.ashyq-vi-toolbar__link--size-normal'), true)
    assert.equal(await page.isVisible('.ashyq-vi-toolbar__summary'), false)
  } finally {
    await context.close()
  }
})

test('in the larger type the checkboxes grow with the text and stay beside their labels, the tick inside its box', { skip: NO_BROWSER }, async () => {
  const sizes: Record<string, number> = {}
  for (const [size, factor] of [['normal', 1], ['large', 1.25], ['larger', 1.5]] as const) {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 800 } })
    await context.addCookies([{ name: 'ashyq_a11y', value: `on.${size}.light.show.normal`, url: site.base }])
    const page = await context.newPage()
    try {
      await page.goto(`${site.base}/ru/data?theme=econ`)
      const box = await page.$eval('#facet-theme .govuk-checkboxes__input:checked', (input) => {
        const label = input.nextElementSibling as HTMLElement
        const before = label.getBoundingClientRect()
        const item = input.parentElement!.getBoundingClientRect()
        const mark = getComputedStyle(label, '::before')
        const tick = getComputedStyle(label, '::after')
        const zoom = Number(getComputedStyle(input).zoom || 1)
        return {
          width: parseFloat(mark.width) * zoom, tickLeft: parseFloat(tick.left) * zoom, tickWidth: parseFloat(tick.width) * zoom,
          labelTop: before.top - item.top, labelLeft: before.left - item.left, fontSize: parseFloat(getComputedStyle(label).fontSize),
        }
      })
      sizes[size] = box.width
      assert.ok(Math.abs(box.width - 24 * factor) < 1, `${size}: the box is ${box.width}px`)
      assert.ok(box.tickLeft + box.tickWidth < box.width, `${size}: the tick ends inside the box`)
      assert.ok(box.labelTop < box.width, `${size}: the label starts beside the box, not under it (${box.labelTop}px down)`)
      assert.ok(box.labelLeft >= box.width, `${size}: the label starts after the box`)
    } finally {
      await context.close()
    }
  }
  assert.ok(sizes.normal! < sizes.large! && sizes.large! < sizes.larger!)
})

test('at 400% zoom (1280 × 800 read as 320 × 200) the header folds its search, settings and account behind one line, and the page begins on the second screen at the latest', { skip: NO_BROWSER }, async () => {
  // The portals' menu folds by GOV.UK Frontend's script; the header's tools fold without it.
  const context = await site.browser.newContext({ viewport: { width: 320, height: 200 } })
  const page = await context.newPage()
  try {
    await page.goto(`${site.base}/ru/agencies/ministry-of-finance`)
    assert.equal(await page.isVisible('#site-search'), false, 'the search is folded')
    const top = await page.evaluate(() => document.querySelector('h1')!.getBoundingClientRect().top)
    assert.ok(top < 200 * 1.5, `the page's heading starts at ${top}px: ${(top / 200).toFixed(1)} screens down`)
    await page.click('.ashyq-header__summary')
    assert.equal(await page.isVisible('#site-search'), true, 'one press opens it (a details element: no script needed)')
    assert.equal(await page.isVisible('.govuk-language-navigation__link[hreflang="kk"]'), true)
    // Unfolded on a wide screen, the summary out of sight.
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.reload()
    assert.equal(await page.isVisible('#site-search'), true)
    assert.equal(await page.isVisible('.ashyq-header__summary'), false)
  } finally {
    await context.close()
  }
})
