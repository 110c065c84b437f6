import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency, makeDataset } from '../../helpers/factories.ts'
import { makeUser } from '../../helpers/users.ts'
import { findUser } from '../../../src/platform/auth/accounts.ts'
import { addDays } from '../../../src/platform/calendar/days.ts'
import { DEFAULT_LEGAL_ACT_RULES } from '../../../src/platform/config.ts'
import { today } from '../../../src/modules/legal-acts/drafts/service.ts'
import { importDraft } from '../../../src/modules/legal-acts/imports/service.ts'
import { takeSnapshot } from '../../../src/modules/openness/service.ts'

test('the home page shows what is live in each portal, from its facts, each linking to its page, and follows the next commit', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    for (const slug of ['ministry-of-health', 'ministry-of-finance', 'ministry-of-energy', 'ministry-of-justice']) await makeAgency(db, { slug })
  })
  t.after(close)
  // Two datasets released yearly: one updated now, one a year and a half ago.
  await makeDataset(db, 'ministry-of-health')
  const stale = await makeDataset(db, 'ministry-of-finance')
  await db.query("update datasets set data_updated_at = now() where name <> (select name from datasets where id = $1)", [stale])
  await db.query("update datasets set data_updated_at = now() - interval '550 days' where id = $1", [stale])
  // Two drafts in discussion, one closing in two days.
  const editor = (await findUser(db, (await makeUser(db, 'agency-editor', 'ministry-of-health')).id))!
  for (const [n, closing] of [[1, false], [2, true]] as const) {
    const { id } = await importDraft(db, editor, `home-${n}`, { agency: 'ministry-of-health', kind: 'order', topic: 'health', title: { kk: `Жоба ${n}`, ru: `Проект ${n}` }, text: { kk: '1. Бір.', ru: '1. Один.' }, discussion: { start: today(), end: addDays(today(), 20) } }, DEFAULT_LEGAL_ACT_RULES, 'http://site')
    if (closing) await db.query('update legal_act_drafts set discussion_end = $2 where id = $1', [id, addDays(today(), 2)])
  }
  // Four bodies scored 100, 100, 50 and 0 by their sites' news.
  for (const [slug, langs, late] of [['ministry-of-health', ['kk', 'ru'], 0], ['ministry-of-finance', ['kk', 'ru'], 0], ['ministry-of-energy', ['kk', 'ru'], 3], ['ministry-of-justice', ['ru'], 3]] as const) {
    const [item] = await db.query<{ id: string }>("insert into site_items (agency_id, kind, created_at) select id, 'news', now() - make_interval(days => $2) from agencies where slug = $1 returning id", [slug, late])
    for (const lang of langs) await db.query("insert into site_editions (item_id, lang, number, status, title, published_at) values ($1, $2, 1, 'published', 'x', now())", [item!.id, lang])
  }
  await takeSnapshot(db, today())

  const home = (await app.inject({ url: '/ru/' })).body
  assert.match(home, /href="\/ru\/data"><strong>2<\/strong> открытых набора данных/)
  assert.match(home, /<strong>50 %<\/strong> из 2 наборов, обновляемых по графику, обновлены в срок/)
  assert.match(home, /href="\/ru\/legal-acts\?open=now"><strong>2<\/strong> проекта обсуждаются публично/)
  assert.match(home, /href="\/ru\/legal-acts\/drafts\/\d+">Проект 2<\/a> <span class="ashyq-secondary">\(обсуждение до /, 'the draft closing soon, linked')
  assert.doesNotMatch(home, />Проект 1<\/a>/, 'not one closing later')
  assert.match(home, /Самые открытые[\s\S]*href="\/ru\/openness\/agencies\/ministry-of-(health|finance)"[\s\S]*Наименее открытые[\s\S]*href="\/ru\/openness\/agencies\/ministry-of-justice">[^<]*<\/a> <span class="ashyq-secondary">\(0\)/)
  assert.match((await app.inject({ url: '/kk/' })).body, /<strong>2<\/strong> жоба жария талқылануда/)

  // Kept for anonymous readers until a portal's facts move: a new dataset shows at once.
  await makeDataset(db, 'ministry-of-energy')
  assert.match((await app.inject({ url: '/ru/' })).body, /<strong>3<\/strong> открытых набора данных/)
})
