import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { createTestDb } from '../../helpers/db.ts'
import { SRC, sourceMatches } from '../../helpers/source.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { makeUser } from '../../helpers/users.ts'
import { loadModules } from '../../../src/platform/modules.ts'
import { announce, defineEvent, messagesOf, say, type EventKind } from '../../../src/platform/notifications/events.ts'
import { COMMENT_EVENTS } from '../../../src/platform/comments/events.ts'
import { I18n, LANGS } from '../../../src/platform/i18n/index.ts'

test('every event a module declares has a name of its own, and each of its messages a subject and a body in kk, ru and en', async () => {
  const events: EventKind<never>[] = [...COMMENT_EVENTS, ...(await loadModules()).flatMap((m) => m.events ?? [])]
  assert.ok(events.length >= 13, `${events.length} events`)
  const { catalogs } = new I18n()
  const names = events.map((e) => e.name)
  assert.deepEqual(names.filter((name, i) => names.indexOf(name) !== i), [], 'no two kinds share a name (their mail would be taken for each other)')
  for (const event of events) {
    for (const message of messagesOf(event as EventKind<unknown>)) {
      for (const lang of LANGS) {
        for (const part of ['subject', 'body']) {
          const key = `${message}.${part}`
          assert.ok(catalogs[lang][key]?.trim(), `${event.name}: ${key} in ${lang}`)
        }
      }
    }
  }
})

// A module that queued mail of its own (the outbox, or followers' mail by hand) would tell outside its events.
const OWN_MAIL = /\b(enqueueMail|mailFollowers)\b|insert\s+into\s+outbox\b/g

test('no module queues mail but through its events', () => {
  assert.equal([...'await enqueueMail(tx, mail)'.matchAll(OWN_MAIL)].length, 1, 'the search finds a mail queued by hand')
  assert.deepEqual(sourceMatches(path.join(SRC, 'modules'), OWN_MAIL), [])
})

test('an event tells each audience in its reader\'s language, a person once by the first telling that reaches them, and once per occurrence', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  await makeAgency(db, { slug: 'ministry-of-health' })
  const agency = (await db.query<{ id: number }>("select id from agencies where slug = 'ministry-of-health'"))[0]!.id
  const asker = await makeUser(db, undefined, undefined, { confirmed: true, lang: 'kk' })
  const editor = await makeUser(db, 'agency-editor', 'ministry-of-health', { lang: 'ru' })
  const follower = await makeUser(db, undefined, undefined, { confirmed: true, lang: 'en' })
  for (const who of [asker, editor, follower]) {
    await db.query("insert into subscriptions (user_id, topic, unsubscribe_token) values ($1, 'agency:ministry-of-health', $2)", [who.id, `token-${who.id}`])
  }
  const replied = defineEvent<{ id: number; askerId: number; agencyId: number; proposals: number[] }>({
    name: 'test-replied',
    occurrence: (p) => p.id,
    values: (p) => ({ title: say.text({ kk: 'Жоба', ru: 'Проект', en: 'Draft' }), text: say.date('2026-12-31'), link: say.page(`/items/${p.id}`) }),
    tells: [
      { message: 'platform.mail.commentReply', to: (p) => ({ person: p.askerId }) },
      { message: 'platform.mail.commentReply', to: (p) => ({ staffOf: p.agencyId }), values: () => ({ text: say.message('platform.comments.reasons.abuse') }) },
      { message: 'platform.mail.commentReply', to: (p) => p.proposals.map((proposal) => ({ person: p.askerId, key: String(proposal), values: { text: `#${proposal}` } })) },
      { message: 'platform.mail.commentReply', to: () => ({ followers: ['agency:ministry-of-health'] }) },
    ],
  })
  const tell = (id: number, proposals: number[] = []) => db.transaction((tx) => announce(tx, replied, { id, askerId: asker.id, agencyId: agency, proposals }, 'http://site'))
  assert.equal(await tell(1, [7, 8]), 5)
  const mail = await db.query<{ recipient: string; kind: string; body: string }>('select recipient, kind, body from outbox order by id')
  assert.deepEqual(mail.map((m) => [m.recipient, m.kind]), [
    [asker.email, 'test-replied'], [editor.email, 'test-replied'], [asker.email, 'test-replied'], [asker.email, 'test-replied'],
    // The asker and the editor follow the body too, but were told already: the follower alone hears as a follower.
    [follower.email, 'subscription'],
  ])
  assert.match(mail[0]!.body, /«Жоба»[\s\S]*2026 жылғы 31 желтоқсан[\s\S]*http:\/\/site\/kk\/items\/1/)
  assert.match(mail[1]!.body, /«Проект»[\s\S]*Оскорбления|«Проект»[\s\S]*оскорб/i)
  assert.match(mail[2]!.body, /#7/)
  assert.match(mail[3]!.body, /#8/)
  assert.match(mail[4]!.body, /31 December 2026[\s\S]*http:\/\/site\/en\/items\/1[\s\S]*unsubscribe/)
  // The same occurrence again (a retried request) mails nobody; the next one is news.
  assert.equal(await tell(1, [7, 8]), 0)
  assert.equal(await tell(2), 3)
  // A kind without occurrences (a comment hidden each time it is) is news every time it is announced.
  const hidden = defineEvent<{ id: number }>({ name: 'test-hidden', values: () => ({ title: 'T', text: 'x', link: say.page('/x') }), tells: [{ message: 'platform.mail.commentReply', to: () => ({ person: asker.id }) }] })
  await db.transaction((tx) => announce(tx, hidden, { id: 1 }, 'http://site'))
  await db.transaction((tx) => announce(tx, hidden, { id: 1 }, 'http://site'))
  assert.equal((await db.query("select 1 from outbox where kind = 'test-hidden'")).length, 2)
  // Mail is queued in the caller's transaction: undone with it.
  await assert.rejects(db.transaction(async (tx) => {
    await announce(tx, replied, { id: 3, askerId: asker.id, agencyId: agency, proposals: [] }, 'http://site')
    throw new Error('the change failed after')
  }))
  assert.equal((await db.query("select 1 from outbox where dedupe_key like 'test-replied:3:%'")).length, 0)
})
