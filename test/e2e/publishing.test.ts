import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { BrowserContext } from 'playwright-core'
import { NO_BROWSER, WCAG_TAGS, axeViolations, screenshot, startSite, withAxe } from './browser.ts'
import { makeUser, TEST_PASSWORD } from '../helpers/users.ts'
import { createRequest } from '../../src/modules/data/requests/service.ts'

type Site = Awaited<ReturnType<typeof startSite>>
let site: Site
let editorEmail: string
let adminEmail: string

before(async () => {
  if (NO_BROWSER) return
  site = await startSite()
  editorEmail = (await makeUser(site.db, 'agency-editor', 'ministry-of-finance')).email
  const admin = await makeUser(site.db, 'admin')
  adminEmail = admin.email
  // A request for the answer form to show on.
  await createRequest(site.db, { id: admin.id, email: admin.email }, { agencySlug: 'ministry-of-finance', title: 'Процедуры госзакупок', description: 'По регионам', lang: 'ru' })
  // The demo's budget execution table, for the form of its columns.
  const [table] = await site.db.query<{ id: string }>(
    `select r.id from data_resources r join datasets d on d.id = r.dataset_id where d.name = 'republican-budget-execution' order by r.position limit 1`)
  FORMS['table-columns'] = `/data/datasets/republican-budget-execution/resources/${table!.id}/dictionary`
})
after(async () => site?.close())

async function signIn(context: BrowserContext, email: string): Promise<void> {
  const page = await context.newPage()
  await page.goto(`${site.base}/en/sign-in`)
  await page.fill('#email', email)
  await page.fill('#password', TEST_PASSWORD)
  await page.click('main button[type="submit"]')
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'))
  assert.ok((await context.cookies()).some((c) => c.name === 'ashyq_session'), 'signed in')
  await page.close()
}

// The publishers' and administrators' forms, as their users see them.
const FORMS: Record<string, string> = {
  'dataset-new': '/data/datasets/new',
  'dataset-edit': '/data/datasets/republican-budget-execution/edit',
  'resource-new': '/data/datasets/republican-budget-execution/resources/new',
  'unified-list-todo': '/data/unified-list/ministry-of-finance',
  'unified-list-import': '/data/unified-list/import',
  harvest: '/data/harvest',
  'request-new': '/data/requests/new',
  'request-answer': '/data/requests/1',
}

for (const [mode, cookie] of Object.entries({ usual: undefined, 'vi-dark': 'on.larger.dark.hide.wide' })) {
  test(`axe finds no WCAG 2.1 A/AA violations on the publishing forms: ${mode}`, { skip: NO_BROWSER }, async () => {
    const context = await withAxe(await site.browser.newContext({ viewport: { width: 1024, height: 800 } }))
    if (cookie) await context.addCookies([{ name: 'ashyq_a11y', value: cookie, url: site.base }])
    try {
      await signIn(context, adminEmail)
      for (const lang of ['kk', 'ru', 'en']) {
        await Promise.all(Object.entries(FORMS).map(async ([name, pathname]) => {
          const page = await context.newPage()
          const response = await page.goto(`${site.base}/${lang}${pathname}`)
          assert.equal(response?.status(), 200, `${lang}${pathname}`)
          assert.equal(new URL(page.url()).pathname, `/${lang}${pathname}`, 'the form itself, not the sign-in page')
          const violations = await axeViolations(page, { tags: WCAG_TAGS })
          await screenshot(page, `${lang}-${mode}-${name}`)
          assert.deepEqual(violations, [], `${lang}${pathname} in ${mode}`)
          await page.close()
        }))
      }
    } finally {
      await context.close()
    }
  })
}

test('an editor publishes a dataset and uploads its file in the browser; a citizen downloads it', { skip: NO_BROWSER }, async () => {
  const context = await site.browser.newContext()
  try {
    await signIn(context, editorEmail)
    const page = await context.newPage()
    const form = await page.goto(`${site.base}/ru/data/datasets/new`)
    assert.equal(form?.status(), 200, `${page.url()}: ${(await page.textContent('main'))?.slice(0, 300)}`)
    await page.fill('[id="name"]', 'tax-revenue-2025')
    await page.fill('[id="title.ru"]', 'Налоговые поступления, 2025')
    await page.fill('[id="title.kk"]', 'Салық түсімдері, 2025')
    await page.fill('[id="title.en"]', 'Tax revenue, 2025')
    await page.fill('[id="keywords.ru"]', 'налоги')
    await page.fill('[id="keywords.en"]', 'taxes')
    await page.check('input[name="frequency"][value="monthly"]')
    await page.click('main button[type="submit"]')
    await page.waitForURL(/\/ru\/data\/datasets\/tax-revenue-2025$/)
    await page.click('text=Добавить файл или ссылку')
    await page.fill('[id="name.ru"]', 'Поступления, CSV')
    // GOV.UK Frontend's file upload, in the page's language: its button takes the field's id, the input stays the input.
    assert.match(await page.textContent('.govuk-file-upload-button') ?? '', /Файл не выбран[\s\S]*Выберите файл/)
    await page.setInputFiles('input[type="file"][name="file"]', { name: 'revenue.csv', mimeType: 'text/csv', buffer: Buffer.from('month,revenue\n2025-01,100\n') })
    await page.click('main button[type="submit"]')
    await page.waitForURL(/\/ru\/data\/datasets\/tax-revenue-2025$/)
    assert.match(await page.textContent('main') ?? '', /Поступления, CSV/)
    assert.match(await page.textContent('main') ?? '', /Актуально/)

    const citizen = await site.browser.newContext()
    const visitor = await citizen.newPage()
    await visitor.goto(`${site.base}/ru/data?q=${encodeURIComponent('налоговые')}`)
    await visitor.click('text=Налоговые поступления, 2025')
    const [download] = await Promise.all([visitor.waitForEvent('download'), visitor.click('text=Поступления, CSV')])
    assert.equal(download.suggestedFilename(), 'revenue.csv')
    await citizen.close()
  } finally {
    await context.close()
  }
})
