import { test } from 'node:test'
import { holdTransactions } from '../../helpers/race.ts'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { makeUser, signedInBrowser } from '../../helpers/users.ts'
import { buildApp } from '../../../src/app.ts'
import { defineCommentable } from '../../../src/platform/comments/service.ts'
import type { Db } from '../../../src/platform/db/index.ts'
import { Browser } from '../../helpers/forms.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'

// A kind of object for these tests: a state body's "notice", open for comments while in `open`,
// owned by the body of its name unless `movedTo` says another took it over.
const open = new Set<string>()
const movedTo = new Map<string, string>()
defineCommentable({
  type: 'test-notice',
  async find(db, id) {
    const [agency] = await db.query<{ id: number }>('select id from agencies where slug = $1', [movedTo.get(id) ?? id])
    if (!agency) return undefined
    return { agencyId: agency.id, open: open.has(id), anchors: new Set(['para_1', 'para_2']), path: `/notices/${id}`, title: { kk: 'Хабарландыру', ru: 'Объявление', en: 'Notice' } }
  },
})

async function setup() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-a' })
    await makeAgency(db, { slug: 'ministry-b' })
  })
  open.clear()
  open.add('ministry-a')
  movedTo.clear()
  return testApp
}

const comment = (fields: Record<string, string>) => ({ subjectType: 'test-notice', subjectId: 'ministry-a', returnTo: '/ru/notices/ministry-a', ...fields })

async function rows(db: Db) {
  return db.query<{ id: number; body: string; anchor: string | null; parent_id: number | null }>('select id, body, anchor, parent_id from comments order by id')
}

test('a citizen with a confirmed address comments on a paragraph; sent twice, it is one comment; bad input is refused in the page language and keeps nothing', async (t) => {
  const { app, db, close } = await setup()
  t.after(close)
  const citizen = await signedInBrowser(app, db, undefined, undefined, { confirmed: true })
  const first = await citizen.post('/ru/comments', comment({ anchor: 'para_2', body: '  Предлагаю уточнить срок.  ', key: 'form-1' }), { from: '/ru/account' })
  assert.equal(first.statusCode, 303)
  const [stored] = await rows(db)
  assert.equal(first.headers.location, `/ru/notices/ministry-a?done=commented&item=comment-${stored!.id}&at=para_2#done`)
  assert.deepEqual({ body: stored!.body, anchor: stored!.anchor }, { body: 'Предлагаю уточнить срок.', anchor: 'para_2' })
  const again = await citizen.post('/ru/comments', comment({ anchor: 'para_2', body: 'Предлагаю уточнить срок.', key: 'form-1' }), { from: '/ru/account' })
  assert.equal(again.headers.location, first.headers.location)
  assert.equal((await rows(db)).length, 1)

  const empty = await citizen.post('/ru/comments', comment({ body: '   ', key: 'form-2' }), { from: '/ru/account' })
  assert.equal(empty.statusCode, 400)
  assert.match(empty.body, /Напишите комментарий/)
  const wrongPart = await citizen.post('/ru/comments', comment({ anchor: 'para_9', body: 'Текст', key: 'form-3' }), { from: '/ru/account' })
  assert.equal(wrongPart.statusCode, 400)
  assert.match(wrongPart.body, /В этом тексте нет такого пункта/)
  assert.match(wrongPart.body, /name="body"[^>]*>Текст<\/textarea>|>Текст<\/textarea>/, 'the text is kept')
  open.delete('ministry-a')
  const closed = await citizen.post('/ru/comments', comment({ body: 'Поздно', key: 'form-4' }), { from: '/ru/account' })
  assert.equal(closed.statusCode, 400)
  assert.match(closed.body, /обсуждение закрыто/)
  const unknown = await citizen.post('/ru/comments', comment({ subjectId: 'no-such-body', body: 'Текст', key: 'form-5' }), { from: '/ru/account' })
  assert.equal(unknown.statusCode, 404)
  assert.equal((await rows(db)).length, 1)

  open.add('ministry-a')
  const unconfirmed = await signedInBrowser(app, db)
  const refused = await unconfirmed.post('/ru/comments', comment({ body: 'Текст', key: 'form-6' }), { from: '/ru/account' })
  assert.equal(refused.statusCode, 403)
  assert.match(refused.body, /Сначала подтвердите адрес электронной почты/)
  assert.equal((await app.inject({ method: 'POST', url: '/ru/comments', payload: comment({ body: 'x' }) })).statusCode, 403, 'no CSRF token, no comment')
  assert.equal((await rows(db)).length, 1)
})

test('a reply is told to the author of what it answers, by mail in their language; the API lists the thread', async (t) => {
  const { app, db, close } = await setup()
  t.after(close)
  const author = await makeUser(db, undefined, undefined, { confirmed: true, lang: 'kk', displayName: 'Айгерім' })
  const authorBrowser = new Browser(app)
  await authorBrowser.post('/kk/sign-in', { email: author.email, password: 'steppe-eagle-over-altai' })
  await authorBrowser.post('/kk/comments', comment({ anchor: 'para_1', body: 'Бірінші пікір', key: 'a' }), { from: '/kk/account' })
  const [first] = await rows(db)
  const other = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, displayName: 'Иван' })
  const replyForm = await other.get(`/ru/comments/new?subjectType=test-notice&subjectId=ministry-a&parentId=${first!.id}&returnTo=/ru/notices/ministry-a`)
  assert.equal(replyForm.statusCode, 200)
  assert.match(replyForm.body, /Вы отвечаете пользователю Айгерім/)
  const reply = await other.post('/ru/comments', comment({ parentId: String(first!.id), body: 'Согласен', key: 'b' }), { from: '/ru/account' })
  assert.equal(reply.statusCode, 303)
  // The author's own reply to themselves sends no mail.
  await authorBrowser.post('/kk/comments', comment({ parentId: String(first!.id), body: 'Нақтылаймын', key: 'c' }), { from: '/kk/account' })
  const mail = await db.query<{ recipient: string; subject: string; body: string }>("select recipient, subject, body from outbox where kind = 'comment-reply'")
  assert.equal(mail.length, 1)
  assert.equal(mail[0]!.recipient, author.email)
  assert.match(mail[0]!.subject, /«Хабарландыру» бойынша пікіріңізге жауап/)
  assert.match(mail[0]!.body, /Согласен[\s\S]*\/kk\/notices\/ministry-a#comment-\d+/)

  const api = await app.inject({ url: '/api/comments?subjectType=test-notice&subjectId=ministry-a' })
  assert.equal(api.statusCode, 200)
  const body = api.json() as { count: number; comments: Array<{ parentId: number | null; anchor: string | null; authorName: string; body: string }> }
  assert.equal(body.count, 3)
  assert.deepEqual(body.comments.map((c) => [c.parentId, c.anchor, c.authorName, c.body]), [
    [null, 'para_1', 'Айгерім', 'Бірінші пікір'], [first!.id, 'para_1', 'Иван', 'Согласен'], [first!.id, 'para_1', 'Айгерім', 'Нақтылаймын'],
  ])
  assert.equal((await app.inject({ url: '/api/comments?subjectType=test-notice' })).statusCode, 400)
})

test('one vote per account: changed, taken back, refused when closed or unconfirmed', async (t) => {
  const { app, db, close } = await setup()
  t.after(close)
  const voter = await signedInBrowser(app, db, undefined, undefined, { confirmed: true })
  const vote = (value: string, subjectType = 'test-notice', subjectId = 'ministry-a') =>
    voter.post('/en/votes', { subjectType, subjectId, value, returnTo: '/en/notices/ministry-a' }, { from: '/en/account' })
  const counts = async () => db.query<{ value: number }>("select value from votes where subject_type = 'test-notice'")
  assert.equal((await vote('1')).statusCode, 303)
  assert.equal((await vote('1')).statusCode, 303)
  assert.deepEqual((await counts()).map((v) => v.value), [1])
  await vote('-1')
  assert.deepEqual((await counts()).map((v) => v.value), [-1])
  await vote('0')
  assert.deepEqual(await counts(), [])
  assert.equal((await vote('2')).statusCode, 400)

  await voter.post('/en/comments', comment({ body: 'A comment', key: 'k' }), { from: '/en/account' })
  const [c] = await rows(db)
  assert.equal((await vote('1', 'comment', String(c!.id))).statusCode, 303)
  open.delete('ministry-a')
  const closed = await vote('1')
  assert.equal(closed.statusCode, 400)
  assert.match(closed.body, /the discussion is closed/)
  open.add('ministry-a')
  const unconfirmed = await signedInBrowser(app, db)
  assert.equal((await unconfirmed.post('/en/votes', { subjectType: 'test-notice', subjectId: 'ministry-a', value: '1' }, { from: '/en/account' })).statusCode, 403)
  assert.equal((await db.query('select * from votes')).length, 1)
})

test("an editor of the body hides a comment for a documented reason, its author is told why, and it can be shown again; another body's editor cannot", async (t) => {
  const { app, db, close } = await setup()
  t.after(close)
  const author = await makeUser(db, undefined, undefined, { confirmed: true, lang: 'ru' })
  const authorBrowser = new Browser(app)
  await authorBrowser.post('/ru/sign-in', { email: author.email, password: 'steppe-eagle-over-altai' })
  await authorBrowser.post('/ru/comments', comment({ body: 'Первый', key: 'a' }), { from: '/ru/account' })
  await authorBrowser.post('/ru/comments', comment({ body: 'Первый', key: 'b' }), { from: '/ru/account' })
  const [original, repeat] = await rows(db)

  const otherEditor = await signedInBrowser(app, db, 'agency-editor', 'ministry-b')
  assert.equal((await otherEditor.get(`/ru/comments/${repeat!.id}/moderate`)).statusCode, 403)
  assert.equal((await otherEditor.post(`/ru/comments/${repeat!.id}/moderate`, { reason: 'abuse' }, { from: '/ru/account' })).statusCode, 403)

  const editor = await signedInBrowser(app, db, 'agency-editor', 'ministry-a')
  const form = await editor.get(`/ru/comments/${repeat!.id}/moderate?returnTo=/ru/notices/ministry-a`)
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /чужие персональные данные/)
  const noReason = await editor.post(`/ru/comments/${repeat!.id}/moderate`, { reason: '' }, { from: '/ru/account' })
  assert.equal(noReason.statusCode, 400)
  assert.match(noReason.body, /Выберите причину/)
  const noOriginal = await editor.post(`/ru/comments/${repeat!.id}/moderate`, { reason: 'duplicate', duplicateOf: String(repeat!.id) }, { from: '/ru/account' })
  assert.equal(noOriginal.statusCode, 400)
  assert.match(noOriginal.body, /Укажите номер другого комментария/)
  const hidden = await editor.post(`/ru/comments/${repeat!.id}/moderate`, { reason: 'duplicate', duplicateOf: String(original!.id), note: 'Уже есть выше', returnTo: '/ru/notices/ministry-a' }, { from: '/ru/account' })
  assert.equal(hidden.statusCode, 303)
  assert.match(String(hidden.headers.location), new RegExp(`^/ru/notices/ministry-a\\?done=hidden&item=comment-${repeat!.id}(&at=\\w+)?#done$`))

  const api = (await app.inject({ url: '/api/comments?subjectType=test-notice&subjectId=ministry-a' })).json() as { count: number; comments: Array<{ body: string | null; hidden: { reason: string; duplicateOf: number } | null }> }
  assert.equal(api.count, 1)
  assert.deepEqual(api.comments[1], { ...api.comments[1], body: null, hidden: { reason: 'duplicate', note: 'Уже есть выше', duplicateOf: original!.id } })
  const [told] = await db.query<{ recipient: string; subject: string; body: string }>("select recipient, subject, body from outbox where kind = 'comment-hidden'")
  assert.equal(told?.recipient, author.email)
  assert.match(told!.body, /Причина: повтор другого комментария\.\nУже есть выше/)
  const [audit] = await db.query<{ action: string }>("select action from audit_log where entity = 'comment'")
  assert.equal(audit?.action, 'comment.hide')

  assert.equal((await editor.post(`/ru/comments/${repeat!.id}/restore`, { returnTo: '/ru/notices/ministry-a' }, { from: '/ru/account' })).statusCode, 303)
  assert.equal(((await app.inject({ url: '/api/comments?subjectType=test-notice&subjectId=ministry-a' })).json() as { count: number }).count, 2)
  assert.deepEqual(await db.query('select status, hidden_at from comments where id = $1', [repeat!.id]), [{ status: 'visible', hidden_at: null }])

  // Two moderators hide it at once, as on two servers: one hides it and mails its author; the other is told it is hidden now.
  const colleague = await signedInBrowser(app, db, 'agency-head', 'ministry-a')
  const release = holdTransactions(db)
  const both = await Promise.all([editor, colleague].map((who) => who.post(`/ru/comments/${repeat!.id}/moderate`, { reason: 'abuse' }, { from: '/ru/account' })))
  release()
  assert.deepEqual(both.map((r) => r.statusCode).sort(), [303, 409])
  assert.match(both.find((r) => r.statusCode === 409)!.body, new RegExp(`Сейчас её состояние: скрыт модератором\\.[\\s\\S]*href="/ru/notices/ministry-a#comment-${repeat!.id}"`))
  assert.equal((await db.query("select 1 from outbox where kind = 'comment-hidden'")).length, 2, 'the author is mailed once more, for this hiding alone')
  assert.equal((await db.query("select 1 from audit_log where action = 'comment.hide'")).length, 2)
})

test('an object moved to another body has its comments moderated by that body, not by the one it was written under', async (t) => {
  const { app, db, close } = await setup()
  t.after(close)
  const citizen = await signedInBrowser(app, db, undefined, undefined, { confirmed: true })
  await citizen.post('/ru/comments', comment({ body: 'Вопрос к министерству', key: 'a' }), { from: '/ru/account' })
  const [written] = await rows(db)
  const before = await signedInBrowser(app, db, 'agency-editor', 'ministry-a')
  const after = await signedInBrowser(app, db, 'agency-editor', 'ministry-b')
  movedTo.set('ministry-a', 'ministry-b')
  assert.equal((await before.post(`/ru/comments/${written!.id}/moderate`, { reason: 'abuse' }, { from: '/ru/account' })).statusCode, 403)
  assert.equal((await after.get(`/ru/comments/${written!.id}/moderate`)).statusCode, 200)
  assert.equal((await after.post(`/ru/comments/${written!.id}/moderate`, { reason: 'off-topic' }, { from: '/ru/account' })).statusCode, 303)
  const [hidden] = await db.query<{ reason: string }>('select hidden_reason as reason from comments where id = $1', [written!.id])
  assert.equal(hidden?.reason, 'off-topic')
})

test('the per-account limit holds across processes of the site: it is counted in the database', async (t) => {
  const { app, db, close } = await setup()
  const second = await buildApp({ db, config: { logLevel: 'silent' } })
  t.after(async () => { await second.close(); await close() })
  const user = await makeUser(db, undefined, undefined, { confirmed: true })
  const inFirst = new Browser(app)
  const inSecond = new Browser(second)
  await inFirst.post('/en/sign-in', { email: user.email, password: 'steppe-eagle-over-altai' })
  await inSecond.post('/en/sign-in', { email: user.email, password: 'steppe-eagle-over-altai' })
  for (let i = 0; i < 10; i += 1) {
    const browser = i % 2 === 0 ? inFirst : inSecond
    assert.equal((await browser.post('/en/comments', comment({ body: `Comment ${i}`, key: `k${i}` }), { from: '/en/account' })).statusCode, 303)
  }
  const eleventh = await inSecond.post('/en/comments', comment({ body: 'One too many', key: 'k10' }), { from: '/en/account' })
  assert.equal(eleventh.statusCode, 429)
  assert.ok(Number(eleventh.headers['retry-after']) > 0)
  assert.equal((await rows(db)).length, 10)
})

test('comments and votes through the API with a token: the same rules, one comment for a retried request, errors in the asker\'s language', async (t) => {
  const { app, db, close } = await setup()
  t.after(close)
  const citizen = await makeUser(db, undefined, undefined, { confirmed: true })
  const token = (await createApiToken(db, SYSTEM_ACTOR, citizen.id, 'comments')).token
  const headers = { authorization: `Bearer ${token}`, 'accept-language': 'ru' }
  const post = (payload: object, extra: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/api/comments', payload, headers: { ...headers, ...extra } })
  const fields = { subjectType: 'test-notice', subjectId: 'ministry-a' }

  assert.equal((await app.inject({ method: 'POST', url: '/api/comments', payload: { ...fields, body: 'x' } })).statusCode, 401)
  const made = await post({ ...fields, anchor: 'para_2', body: 'Предлагаю уточнить пункт 2.' }, { 'idempotency-key': 'k1' })
  assert.equal(made.statusCode, 201, made.body)
  const again = await post({ ...fields, anchor: 'para_2', body: 'Предлагаю уточнить пункт 2.' }, { 'idempotency-key': 'k1' })
  assert.deepEqual([again.statusCode, again.json().id], [200, made.json().id])
  // Sent at once with one key (a client retrying before the first answer): one comment, no 500.
  const together = await Promise.all([1, 2, 3].map(() => post({ ...fields, body: 'Одновременно' }, { 'idempotency-key': 'k2' })))
  assert.deepEqual(together.map((r) => r.statusCode).sort(), [200, 200, 201], together.map((r) => r.body).join('\n'))
  assert.equal(new Set(together.map((r) => r.json().id)).size, 1)
  await db.query("delete from comments where body = 'Одновременно'")
  const long = await post({ ...fields, body: 'Длинный ключ' }, { 'idempotency-key': 'k'.repeat(101) })
  assert.equal(long.statusCode, 400)
  assert.deepEqual(long.json().errors.map((e: { field: string }) => e.field), ['idempotency-key'])
  const reply = await post({ ...fields, parentId: made.json().id, body: 'Согласен' })
  assert.equal(reply.statusCode, 201)
  const bad = await post({ ...fields, anchor: 'para_9', body: ' ' })
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(bad.json().errors.map((e: { field: string }) => e.field).sort(), ['anchor', 'body'])
  assert.match(bad.body, /[а-я]/, 'in Russian')
  assert.deepEqual((await rows(db)).map((r) => [r.anchor, r.parent_id]), [['para_2', null], ['para_2', made.json().id]], 'a reply is on its parent\'s paragraph')

  const vote = (payload: object) => app.inject({ method: 'PUT', url: '/api/votes', payload, headers })
  assert.equal((await vote({ subjectType: 'comment', subjectId: String(made.json().id), value: 1 })).statusCode, 204)
  assert.equal((await vote({ ...fields, value: -1 })).statusCode, 204)
  assert.equal((await vote({ ...fields, value: 2 })).statusCode, 400)
  const thread = (await app.inject({ url: '/api/comments?subjectType=test-notice&subjectId=ministry-a' })).json()
  assert.equal(thread.comments[0].votesFor, 1)
  open.delete('ministry-a')
  assert.equal((await vote({ ...fields, value: 1 })).statusCode, 400, 'closed')
  assert.equal((await post({ ...fields, body: 'Поздно' })).statusCode, 400, 'closed')
  assert.deepEqual((await db.query<{ value: number }>("select value from votes where subject_type = 'test-notice'")).map((v) => v.value), [-1])
})

test('each comment keeps the language it is written in, read from its letters: a Kazakh comment on a Russian page is Kazakh', async (t) => {
  const { app, db, close } = await setup()
  t.after(close)
  const citizen = await signedInBrowser(app, db, undefined, undefined, { confirmed: true })
  for (const [page, body, key] of [['ru', 'Мерзімді 5 жұмыс күніне қысқарту керек.', 'a'], ['kk', 'Срок надо сократить.', 'b'], ['ru', 'Deadline is too long.', 'c'], ['kk', '5 → 3', 'd']] as const) {
    assert.equal((await citizen.post(`/${page}/comments`, comment({ body, key, returnTo: `/${page}/notices/ministry-a` }), { from: '/ru/account' })).statusCode, 303)
  }
  const api = (await app.inject({ url: '/api/comments?subjectType=test-notice&subjectId=ministry-a' })).json() as { comments: Array<{ lang: string }> }
  assert.deepEqual(api.comments.map((c) => c.lang), ['kk', 'ru', 'en', 'kk'], 'letters decide; a text of none is in its page\'s language')
})
