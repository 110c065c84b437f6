import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import axe from 'axe-core'
import { chromium, type Browser, type Page } from 'playwright-core'
import { buildApp } from '../../src/app.ts'
import { testFileStore } from '../helpers/files.ts'
import type { Db } from '../../src/platform/db/index.ts'
import { seedDemo } from '../../src/demo/index.ts'
import { createTestDb } from '../helpers/db.ts'

/**
 * Debian's Chromium headless shell (apt-get install chromium-headless-shell), as Playwright runs
 * headless Chromium by default: the same Blink, without the full browser's windowing and compositing,
 * it crawled the site's 360 px variant in 79 s against the full browser's 103 s (2026-12-03). The
 * full browser when the shell is missing; CHROMIUM_PATH names another.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH
  ?? ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((file) => existsSync(file)) ?? '/usr/bin/chromium'

/**
 * Why browser tests do not run here, or false when they do. Pages look the same on either database,
 * so the PostgreSQL pass of the suite leaves them to the PGlite pass.
 */
export const NO_BROWSER =
  (!existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM} (apt-get install chromium-headless-shell; .ci/run does)`) ||
  (Boolean(process.env.DATABASE_URL) && 'browser tests run in the PGlite pass')

export const SCREENSHOTS = path.resolve('test-results/screenshots')

/**
 * A full-page screenshot for people to look at, when ASHYQ_SCREENSHOTS is set: on this 2-core
 * machine each costs a second or more of the browser's time, and no test's verdict depends on one.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.ASHYQ_SCREENSHOTS) return
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** The real app with the demo data, listening on 127.0.0.1, and Debian's Chromium driving it. */
export async function startSite(): Promise<{ base: string; app: FastifyInstance; browser: Browser; db: Db; close(): Promise<void> }> {
  const db = await createTestDb()
  const files = testFileStore()
  await seedDemo(db, files)
  const app = await buildApp({ db, config: { logLevel: 'silent' }, files })
  // axe-core from the site's own origin (its policy allows scripts from there alone), cached, so
  // that Chromium compiles it once and then takes its code from the cache (see axeViolations).
  app.get(AXE_PATH, async (_request, reply) => reply.header('content-type', 'text/javascript; charset=utf-8')
    .header('cache-control', 'public, max-age=31536000, immutable').send(axe.source))
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  await mkdir(SCREENSHOTS, { recursive: true })
  return {
    base: `http://127.0.0.1:${port}`,
    app,
    browser,
    db,
    async close() {
      await browser.close()
      await app.close()
      await db.close()
    },
  }
}

// WCAG 2.1 A and AA, as axe-core tags its rules.
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

// Where startSite serves axe-core, for axeViolations to put into a page.
const AXE_PATH = '/test-only/axe-core.js'

/**
 * axe-core's violations in the page as it is (a page of startSite's), each as one line: the rule,
 * how many elements break it, the first of them. Run in the page itself; these pages have no frames
 * of other origins to join. Only the violations come back, not every pass.
 *
 * axe-core is put into the page by a script element from the site's origin, after the page's own
 * scripts: its 0.5 MB compiled from Chromium's code cache. Given to every page as text (an init
 * script, which no cache keeps) it doubled a page's load, from 100 ms to 205 ms (scratch timing of
 * five pages, 2026-12-03); @axe-core/playwright's AxeBuilder sent it anew with each check, and every
 * rule's passes came back too.
 */
export async function axeViolations(page: Page, only: { tags: string[] } | { rules: string[] }): Promise<string[]> {
  const runOnly = 'tags' in only ? { type: 'tag' as const, values: only.tags } : { type: 'rule' as const, values: only.rules }
  if (!await page.evaluate(() => 'axe' in window)) await page.addScriptTag({ url: AXE_PATH })
  return page.evaluate(async (runOnly) => {
    const { axe } = window as unknown as { axe?: typeof import('axe-core') }
    if (!axe) throw new Error('axe-core did not load into this page')
    const result = await axe.run(document, { runOnly, resultTypes: ['violations'] })
    return result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0]?.target.join(' ')}`)
  }, runOnly)
}
