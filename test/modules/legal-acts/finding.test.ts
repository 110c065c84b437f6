import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseFeed } from '@rowanmanning/feed-parser'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { makeUser } from '../../helpers/users.ts'
import { addDays } from '../../../src/platform/calendar/days.ts'
import { createDraft, today } from '../../../src/modules/legal-acts/drafts/service.ts'
import { publishDraft } from '../../../src/modules/legal-acts/drafts/lifecycle.ts'
import { DEFAULT_LEGAL_ACT_RULES } from '../../../src/platform/config.ts'
import type { Db } from '../../../src/platform/db/index.ts'
import type { User } from '../../../src/platform/auth/roles.ts'
import { findUser } from '../../../src/platform/auth/accounts.ts'

async function draft(db: Db, editor: User, agency: string, topic: string, title: { kk: string; ru: string }, days: number) {
  const id = await createDraft(db, editor, { agencySlug: agency, kind: 'order', topic, title, summary: {}, publicService: false }, { kk: '1. Бір.', ru: '1. Один.' })
  await publishDraft(db, editor, id, addDays(today(), days), DEFAULT_LEGAL_ACT_RULES, 'http://site')
  return id
}

async function setup() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    await makeAgency(db, { slug: 'ministry-of-energy', name: { kk: 'Энергетика министрлігі', ru: 'Министерство энергетики', en: 'Ministry of Energy' } })
  })
  const { db } = testApp
  try {
    // The accounts as a request would see them: with the roles just granted.
    const health = (await findUser(db, (await makeUser(db, 'agency-editor', 'ministry-of-health')).id))!
    const energy = (await findUser(db, (await makeUser(db, 'agency-editor', 'ministry-of-energy')).id))!
    const ids = {
      vaccines: await draft(db, health, 'ministry-of-health', 'health', { kk: 'Вакцинация қағидаларының жобасы', ru: 'Проект правил вакцинации' }, 30),
      tariffs: await draft(db, energy, 'ministry-of-energy', 'energy', { kk: 'Тарифтер туралы бұйрық жобасы', ru: 'Проект приказа о тарифах на электроэнергию' }, 10),
    }
    return { ...testApp, ids }
  } catch (error) {
    await testApp.close()
    throw error
  }
}

test('drafts are found by a word with a typo, in Latin letters too, by filters, and from the site search in the header', async (t) => {
  const { app, ids, close } = await setup()
  t.after(close)
  const titles = async (url: string) => ((await app.inject({ url })).json() as { items: Array<{ id: number }> }).items.map((d) => d.id)
  assert.deepEqual(await titles(`/api/legal-acts/drafts?q=${encodeURIComponent('вакцинацыи')}`), [ids.vaccines], 'a typo is tolerated')
  assert.deepEqual(await titles(`/api/legal-acts/drafts?q=${encodeURIComponent('tarifter')}`), [ids.tariffs], 'Kazakh typed in Latin letters')
  assert.deepEqual(await titles('/api/legal-acts/drafts?agency=ministry-of-energy'), [ids.tariffs])
  assert.deepEqual(await titles('/api/legal-acts/drafts?topic=health'), [ids.vaccines])
  assert.deepEqual(await titles('/api/legal-acts/drafts?open=closing'), [], 'nothing ends within three days')
  assert.deepEqual((await titles('/api/legal-acts/drafts?open=now')).sort(), [ids.vaccines, ids.tariffs].sort())
  assert.equal((await app.inject({ url: '/api/legal-acts/drafts?kind=decree-of-nobody' })).statusCode, 400)

  const page = (await app.inject({ url: `/ru/legal-acts?q=${encodeURIComponent('вакцинацыи')}` })).body
  assert.match(page, /Найден 1 проект/)
  const search = await app.inject({ url: `/ru/search?q=${encodeURIComponent('тарифах')}` })
  assert.match(search.body, /Проекты НПА[\s\S]*?Проект приказа о тарифах на электроэнергию/)
})

test('Atom feeds of all drafts, of a body and of a topic read back with a feed parser', async (t) => {
  const { app, ids, close } = await setup()
  t.after(close)
  const all = parseFeed((await app.inject({ url: '/kk/legal-acts/feed.atom' })).body)
  assert.equal(all.language, 'kk')
  assert.deepEqual(all.items.map((i) => i.url).sort(), [ids.vaccines, ids.tariffs].map((id) => `http://localhost:3000/kk/legal-acts/drafts/${id}`).sort())
  const body = await app.inject({ url: '/ru/legal-acts/feed.atom?agency=ministry-of-health' })
  assert.match(String(body.headers['content-type']), /^application\/atom\+xml/)
  const feed = parseFeed(body.body)
  assert.equal(feed.title, 'Проекты НПА: Министерство здравоохранения')
  assert.deepEqual(feed.items.map((i) => [i.title, i.authors[0]?.name]), [['Проект правил вакцинации', 'Министерство здравоохранения']])
  const topic = parseFeed((await app.inject({ url: '/en/legal-acts/feed.atom?topic=energy' })).body)
  assert.equal(topic.items.length, 1)
  assert.match(topic.items[0]!.title ?? '', /Тарифтер|тарифах/, 'an English reader gets the nearest language')
})

test('the JSON API gives a draft, its version\'s text with eIds, and its proposals', async (t) => {
  const { app, ids, close } = await setup()
  t.after(close)
  const draft = (await app.inject({ url: `/api/legal-acts/drafts/${ids.vaccines}` })).json() as { status: string; open: boolean; versions: Array<{ number: number }>; events: Array<{ kind: string }> }
  assert.equal(draft.status, 'discussion')
  assert.equal(draft.open, true)
  assert.deepEqual(draft.versions.map((v) => v.number), [1])
  assert.deepEqual(draft.events.map((e) => e.kind), ['created', 'discussion'])
  const version = (await app.inject({ url: `/api/legal-acts/drafts/${ids.vaccines}/versions/1` })).json() as { units: Array<{ eId: string; text: Record<string, string> }> }
  assert.deepEqual(version.units, [{ eId: 'para_1', kind: 'paragraph', num: '1', text: { kk: '1. Бір.', ru: '1. Один.' } }])
  assert.equal((await app.inject({ url: `/api/legal-acts/drafts/${ids.vaccines}/versions/9` })).statusCode, 404)
  const openapi = (await app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> }
  assert.ok(openapi.paths['/api/legal-acts/drafts/{id}/proposals'])
  assert.ok(openapi.paths['/api/comments'])
})
