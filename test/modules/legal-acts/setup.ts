import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { signedInBrowser } from '../../helpers/users.ts'

/** A site with the Ministry of Health (named in three languages) and the Ministry of Finance, and a signed-in editor of Health with a confirmed address. */
export async function legalActsSite() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    await makeAgency(db, { slug: 'ministry-of-finance' })
  })
  const editor = await signedInBrowser(testApp.app, testApp.db, 'agency-editor', 'ministry-of-health', { confirmed: true })
  return { ...testApp, editor }
}
