import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { BrowserContext } from 'playwright-core'
import { NO_BROWSER, screenshot, startSite } from './browser.ts'
import { makeUser, TEST_PASSWORD } from '../helpers/users.ts'

type Site = Awaited<ReturnType<typeof startSite>>
let site: Site
let editorEmail: string

before(async () => {
  if (NO_BROWSER) return
  site = await startSite()
  editorEmail = (await makeUser(site.db, 'agency-editor', 'ministry-of-finance')).email
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
