import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { editorToken, signedInBrowser } from '../../helpers/users.ts'
import { addDays, kazakhstanDay } from '../../../src/platform/calendar/days.ts'
import { checkSiteLinks } from '../../../src/modules/sites/editions/links.ts'
import { siteOpennessFacts } from '../../../src/modules/sites/facts.ts'

test('the link check finds a published item\'s links within the site that lead nowhere and files no longer kept, and the body\'s editors see them; links elsewhere are not followed', async (t) => {
  const { app, db, files, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
  })
  t.after(close)
  const token = await editorToken(db, 'ministry-of-health')
  const call = (method: 'POST' | 'PUT', url: string, payload?: object) => app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } })
  const created = await call('POST', '/api/agencies/ministry-of-health/site/items', {
    kind: 'news', lang: 'ru', edition: { title: 'Ссылки', body: '[Орган](/ru/agencies/ministry-of-health), [нет такого](/ru/agencies/no-such-body#top), [Адилет](https://adilet.zan.kz/rus), [почта](mailto:a@b.kz)' },
  })
  assert.equal(created.statusCode, 201, created.body)
  const id = created.json().id
  await call('POST', `/api/site/items/${id}/ru/submit`)
  assert.equal((await call('POST', `/api/site/items/${id}/ru/publish`)).statusCode, 200)
  // A document whose file is lost from the store.
  const saved = await files.save(Readable.from([Buffer.from('%PDF-1.4\n%%EOF\n')]))
  const [doc] = await db.query<{ id: string }>("insert into site_items (agency_id, kind, document_kind, number, signed_on, signatory) select id, 'document', 'order', '1', current_date, '{\"ru\":\"Министр\"}' from agencies where slug = 'ministry-of-health' returning id")
  await db.query("insert into site_editions (item_id, lang, number, status, title, file_key, file_name, media_type, size, sha256, published_at) values ($1, 'ru', 1, 'published', 'Приказ', $2, 'p.pdf', 'application/pdf', 15, $3, now())", [doc!.id, saved.key, saved.checksum])
  await files.remove(saved.key)

  const asked: string[] = []
  const statusOf = async (path: string) => {
    asked.push(path)
    return (await app.inject({ url: path })).statusCode
  }
  const checked = await checkSiteLinks(db, files, app.publicUrl, statusOf)
  assert.deepEqual(checked, { editions: 2, problems: 2 })
  assert.deepEqual(asked.sort(), ['/ru/agencies/ministry-of-health', '/ru/agencies/no-such-body'], 'links elsewhere are not followed')

  const site = await (await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health')).get('/ru/agencies/ministry-of-health/site')
  assert.match(site.body, /1 неработающая ссылка[\s\S]*<code>\/ru\/agencies\/no-such-body<\/code> \(на русском: 404\)/)
  assert.match(site.body, new RegExp(`<code>/agencies/ministry-of-health/documents/${doc!.id}/file/ru</code> \\(на русском: файла нет\\)`))

  // Mended: the next check finds nothing for it.
  assert.equal((await call('PUT', `/api/site/items/${id}/ru`, { title: 'Ссылки', body: '[Орган](/ru/agencies/ministry-of-health)', changeNote: 'Исправлена ссылка' })).statusCode, 200)
  await call('POST', `/api/site/items/${id}/ru/submit`)
  await call('POST', `/api/site/items/${id}/ru/publish`)
  assert.deepEqual(await checkSiteLinks(db, files, app.publicUrl, statusOf), { editions: 2, problems: 1 })
})

test('a body\'s openness facts: items first published in the period with their languages, late by the update rule (news within a day of its draft, a document within 3 working days of its signing), the rule a parameter', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
  })
  t.after(close)
  const [{ id: agencyId }] = await db.query<{ id: string }>("select id from agencies where slug = 'ministry-of-health'") as [{ id: string }]
  const today = kazakhstanDay(new Date())
  const item = async (kind: string, draftedDaysAgo: number, signedDaysAgo: number | null, langs: string[]) => {
    const [row] = await db.query<{ id: string }>(
      `insert into site_items (agency_id, kind, document_kind, number, signed_on, signatory, created_at) values ($1, $2, $3, $4, $5, $6, now() - make_interval(days => $7)) returning id`,
      [agencyId, kind, kind === 'document' ? 'order' : null, kind === 'document' ? '7' : null, signedDaysAgo === null ? null : addDays(today, -signedDaysAgo), kind === 'document' ? { ru: 'Министр' } : null, draftedDaysAgo])
    for (const lang of langs) await db.query("insert into site_editions (item_id, lang, number, status, title, published_at) values ($1, $2, 1, 'published', 'x', now())", [row!.id, lang])
    return Number(row!.id)
  }
  const fresh = await item('news', 0, null, ['kk', 'ru'])
  const stale = await item('news', 2, null, ['ru'])
  // Signed 30 days ago: past 3 working days whatever the holidays.
  const lateDocument = await item('document', 30, 30, ['kk', 'ru'])
  const onTime = await item('document', 0, 0, ['ru'])
  const facts = await siteOpennessFacts(db, Number(agencyId), addDays(today, -1), today)
  const byId = new Map(facts.items.map((i) => [i.id, i]))
  assert.equal(byId.get(fresh)!.late, false)
  assert.equal(byId.get(stale)!.late, true, 'news published two days after its draft')
  assert.equal(byId.get(stale)!.dueOn, addDays(today, -1))
  assert.equal(byId.get(lateDocument)!.late, true)
  assert.equal(byId.get(onTime)!.late, false)
  assert.equal(facts.late, 2)
  assert.deepEqual(facts.complete, { kk: 0.5, ru: 1 })
  assert.deepEqual(byId.get(stale)!.languages, ['ru'])
  assert.deepEqual((await siteOpennessFacts(db, Number(agencyId), addDays(today, -1), today, { newsDays: 3, documentWorkingDays: 60 })).late, 0, 'the rule is a parameter the index may change')
  assert.equal((await siteOpennessFacts(db, Number(agencyId), addDays(today, -10), addDays(today, -2))).items.length, 0, 'the period holds what was first published in it')
  void app
})
