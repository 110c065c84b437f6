import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseFeed } from '@rowanmanning/feed-parser'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { makeUser, signedInBrowser, TEST_PASSWORD } from '../../helpers/users.ts'
import { Browser } from '../../helpers/forms.ts'
import { announce, defineEvent, say } from '../../../src/platform/notifications/events.ts'
import { atomXml } from '../../../src/platform/notifications/feeds.ts'

test('followers of a body get one mail per event in their own language, with a link that ends the subscription', async (t) => {
  const { app, db, close } = await createTestApp((db) => makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } }).then(() => undefined))
  t.after(close)
  const kk = await makeUser(db, undefined, undefined, { confirmed: true, lang: 'kk' })
  const kkBrowser = new Browser(app)
  await kkBrowser.post('/kk/sign-in', { email: kk.email, password: TEST_PASSWORD })
  const followed = await kkBrowser.post('/kk/subscriptions', { topic: 'agency:ministry-of-health', returnTo: '/kk/agencies/ministry-of-health' }, { from: '/kk/account' })
  assert.equal(followed.statusCode, 303)
  assert.equal(followed.headers.location, '/kk/agencies/ministry-of-health')
  // Following twice is following once.
  await kkBrowser.post('/kk/subscriptions', { topic: 'agency:ministry-of-health' }, { from: '/kk/account' })
  assert.match((await kkBrowser.get('/kk/account')).body, /id="subscriptions"[\s\S]*?Денсаулық сақтау министрлігі/)

  const ru = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, lang: 'ru' })
  await ru.post('/ru/subscriptions', { topic: 'agency:ministry-of-health' }, { from: '/ru/account' })
  const unknown = await ru.post('/ru/subscriptions', { topic: 'agency:no-such-body' }, { from: '/ru/account' })
  assert.equal(unknown.statusCode, 400)
  assert.match(unknown.body, /Подписаться на это нельзя/)
  const unconfirmed = await signedInBrowser(app, db)
  assert.equal((await unconfirmed.post('/en/subscriptions', { topic: 'agency:ministry-of-health' }, { from: '/en/account' })).statusCode, 403)

  const published = defineEvent<{ id: number; topics: string[]; actor?: number }>({
    name: 'draft-published', occurrence: (p) => p.id,
    values: (p) => ({ title: say.text({ kk: 'Жоба', ru: 'Проект', en: 'Draft' }), text: 'x', link: say.page(`/legal-acts/drafts/${p.id}`) }),
    tells: [{ message: 'platform.mail.commentReply', to: (p) => ({ followers: p.topics, except: p.actor ?? null }) }],
  })
  const tell = (payload: { id: number; topics: string[]; actor?: number }) => db.transaction((tx) => announce(tx, published, payload, 'http://site'))
  assert.equal(await tell({ id: 1, topics: ['agency:ministry-of-health', 'topic:health'] }), 2)
  // The same event again mails nobody again.
  assert.equal(await tell({ id: 1, topics: ['agency:ministry-of-health'] }), 0)
  // The one who caused an event is not told of it.
  assert.equal(await tell({ id: 2, topics: ['agency:ministry-of-health'], actor: kk.id }), 1)

  const [kkMail] = await db.query<{ subject: string; body: string }>("select subject, body from outbox where recipient = $1 and kind = 'subscription' order by id limit 1", [kk.email])
  assert.match(kkMail!.subject, /пікіріңізге жауап/)
  // Its values are said in the follower's language: the title's Kazakh text, the page in Kazakh.
  assert.match(kkMail!.body, /Жоба[\s\S]*http:\/\/site\/kk\/legal-acts\/drafts\/1/)
  const stop = /http:\/\/site(\/kk\/subscriptions\/unsubscribe\?token=[\w%-]+)/.exec(kkMail!.body)?.[1]
  assert.ok(stop, kkMail!.body)
  const stopPage = await kkBrowser.get(stop)
  assert.match(stopPage.body, /Жазылымнан бас тарту/)
  const token = decodeURIComponent(stop.split('token=')[1]!)
  const stopped = await new Browser(app).post('/kk/subscriptions/unsubscribe', { token }, { from: stop })
  assert.equal(stopped.statusCode, 200)
  assert.match(stopped.body, /«Денсаулық сақтау министрлігі» жазылымынан бас тарттыңыз/)
  assert.equal((await new Browser(app).post('/kk/subscriptions/unsubscribe', { token }, { from: stop })).statusCode, 404)
  assert.equal((await db.query('select * from subscriptions')).length, 1)
})

test('an Atom feed reads back with a maintained parser: its title, language, links, entries and authors', async () => {
  const xml = atomXml({
    self: 'http://site/kk/legal-acts/feed.atom', link: 'http://site/kk/legal-acts', title: 'НҚА жобалары <жаңа>', lang: 'kk', author: 'Ashyq',
    entries: [
      { link: 'http://site/kk/legal-acts/drafts/2', title: 'Бұйрық жобасы & ереже', summary: 'Талқылау 10 желтоқсанға дейін', updated: new Date('2026-11-20T10:00:00Z'), published: new Date('2026-11-19T10:00:00Z'), author: 'Қаржы министрлігі' },
      { link: 'http://site/kk/legal-acts/drafts/1', title: 'Қаулы жобасы', summary: 'Жаңа', updated: new Date('2026-11-18T10:00:00Z') },
    ],
  })
  const feed = parseFeed(xml)
  assert.equal(feed.meta.type, 'atom')
  assert.equal(feed.title, 'НҚА жобалары <жаңа>')
  assert.equal(feed.language, 'kk')
  assert.equal(feed.url, 'http://site/kk/legal-acts')
  assert.equal(feed.self, 'http://site/kk/legal-acts/feed.atom')
  assert.equal(feed.updated?.toISOString(), '2026-11-20T10:00:00.000Z')
  assert.deepEqual(feed.items.map((i) => [i.id, i.title, i.url, i.authors[0]?.name]), [
    ['http://site/kk/legal-acts/drafts/2', 'Бұйрық жобасы & ереже', 'http://site/kk/legal-acts/drafts/2', 'Қаржы министрлігі'],
    // An entry without its own author has the feed's (RFC 4287, 4.2.1).
    ['http://site/kk/legal-acts/drafts/1', 'Қаулы жобасы', 'http://site/kk/legal-acts/drafts/1', 'Ashyq'],
  ])
  assert.equal(feed.authors[0]?.name, 'Ashyq')
  assert.match(xml, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom" xml:lang="kk">/)
})
