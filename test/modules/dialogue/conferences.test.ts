import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { editorToken, makeUser, signedInBrowser } from '../../helpers/users.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'

test('a web conference takes questions and votes before it starts; after it, the answers and the recording are published', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
  })
  t.after(close)
  const editor = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health', { confirmed: true })
  const citizen = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, displayName: 'Марат' })
  const voter = await signedInBrowser(app, db, undefined, undefined, { confirmed: true })
  const form = '/ru/dialogue/ministry-of-health/conferences/new'
  const soon = new Date(Date.now() + 3600_000 + 5 * 3600_000).toISOString().slice(0, 16)
  const early = await editor.post(form, { startsAt: soon, 'title.kk': 'Конференция', 'title.ru': 'Конференция' }, { from: form })
  assert.equal(early.statusCode, 400)
  assert.match(early.body, /не раньше чем через сутки/)
  const later = new Date(Date.now() + 3 * 86_400_000 + 5 * 3600_000).toISOString().slice(0, 16)
  const announced = await editor.post(form, { startsAt: later, 'title.kk': 'Министрмен конференция', 'title.ru': 'Конференция с министром' }, { from: form })
  assert.equal(announced.statusCode, 303)
  const path = String(announced.headers.location)
  const id = /conferences\/(\d+)/.exec(path)![1]!

  for (const [who, text] of [[citizen, 'Когда сократят очереди?'], [voter, 'Будет ли вызов врача онлайн?']] as const) {
    assert.equal((await who.post('/ru/comments', { subjectType: 'dialogue-conference', subjectId: id, body: text, returnTo: path }, { from: path })).statusCode, 303)
  }
  const [first, second] = await db.query<{ id: number }>("select id from comments where subject_type = 'dialogue-conference' order by id")
  // The second question gets two votes, the first none: the most wanted comes first.
  for (const who of [citizen, voter]) assert.equal((await who.post('/ru/votes', { subjectType: 'comment', subjectId: String(second!.id), value: '1', returnTo: path }, { from: path })).statusCode, 303)
  const before = (await app.inject({ url: path })).body
  assert.ok(before.indexOf('Будет ли вызов врача онлайн?') < before.indexOf('Когда сократят очереди?'), 'the most voted question first')
  const tooSoon = await editor.post(`${path}/answers/${first!.id}`, { [`answer-${first!.id}.ru`]: 'Ответ' }, { from: path })
  assert.equal(tooSoon.statusCode, 400, 'no answers before it is held')

  // It is held: questions close, answers and the recording are published.
  await db.query("update dialogue_conferences set starts_at = now() - interval '1 hour' where id = $1", [id])
  assert.equal((await citizen.post('/ru/comments', { subjectType: 'dialogue-conference', subjectId: id, body: 'Поздно?', returnTo: path }, { from: path })).statusCode, 400)
  assert.equal((await editor.post(`${path}/answers/${first!.id}`, { [`answer-${first!.id}.ru`]: 'Очереди сократят до трёх дней.' }, { from: path })).statusCode, 303)
  assert.equal((await editor.post(`${path}/recording`, { recordingUrl: 'javascript:alert(1)' }, { from: path })).statusCode, 400)
  assert.equal((await editor.post(`${path}/recording`, { recordingUrl: 'https://video.example.kz/conference-1' }, { from: path })).statusCode, 303)
  const after = (await app.inject({ url: path })).body
  assert.match(after, /Когда сократят очереди\?[\s\S]*Очереди сократят до трёх дней\./)
  assert.match(after, /href="https:\/\/video.example.kz\/conference-1"/)
  assert.match((await app.inject({ url: '/ru/dialogue/ministry-of-health' })).body, /Конференция с министром[\s\S]*Прошли/)
})

test('blogs, posts and web conferences through the API: the body keeps its page, writes, announces and answers with its token; citizens ask and vote with theirs', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    await makeAgency(db, { slug: 'akimat-almaty' })
  })
  t.after(close)
  const staff = await editorToken(db, 'ministry-of-health')
  const otherStaff = await editorToken(db, 'akimat-almaty')
  const tokenOf = async () => (await createApiToken(db, SYSTEM_ACTOR, (await makeUser(db, undefined, undefined, { confirmed: true, displayName: 'Марат' })).id, 'x')).token
  const [citizen, voter] = [await tokenOf(), await tokenOf()]
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, bearer: string | null, payload?: object) => app.inject({
    method, url, ...(payload ? { payload } : {}), headers: { 'accept-language': 'ru', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
  })

  // The head's page.
  const page = { headName: { kk: 'Ажар Ғиният', ru: 'Ажар Гиният' }, headPosition: { kk: 'Министр', ru: 'Министр' }, areas: { ru: 'Здравоохранение' } }
  assert.equal((await call('PUT', '/api/dialogue/blogs/ministry-of-health', otherStaff, page)).statusCode, 403, 'another body\'s staff')
  const noName = await call('PUT', '/api/dialogue/blogs/ministry-of-health', staff, { ...page, headName: { ru: 'Ажар Гиният' } })
  assert.equal(noName.statusCode, 400)
  assert.equal(noName.json().errors[0].field, 'headName.kk')
  const kept = await call('PUT', '/api/dialogue/blogs/ministry-of-health', staff, page)
  assert.equal(kept.statusCode, 200, kept.body)
  assert.deepEqual([kept.json().headName.ru, kept.json().areas.ru, kept.json().photo], ['Ажар Гиният', 'Здравоохранение', null])

  // A post, with a comment through the platform's API.
  const post = await call('POST', '/api/dialogue/blogs/ministry-of-health/posts', staff, { title: { kk: 'Жаңа емхана', ru: 'Новая поликлиника' }, body: { kk: 'Ашылды.', ru: 'Открылась.' } })
  assert.equal(post.statusCode, 201, post.body)
  assert.equal((await call('POST', '/api/comments', citizen, { subjectType: 'dialogue-post', subjectId: String(post.json().id), body: 'Где она?' })).statusCode, 201)
  assert.equal((await call('GET', post.json().comments, null)).json().count, 1)
  assert.equal((await call('POST', '/api/dialogue/blogs/ministry-of-health/posts', staff, { title: { ru: 'Без казахского' }, body: { ru: 'Текст' } })).statusCode, 400)

  // A conference: questions and votes before it, answers and the recording after.
  const later = new Date(Date.now() + 3 * 86_400_000 + 5 * 3600_000).toISOString().slice(0, 16)
  const announced = await call('POST', '/api/dialogue/blogs/ministry-of-health/conferences', staff, { title: { kk: 'Министрмен конференция', ru: 'Конференция с министром' }, startsAt: later })
  assert.equal(announced.statusCode, 201, announced.body)
  const id = announced.json().id as number
  const asked = async (bearer: string, body: string) => (await call('POST', '/api/comments', bearer, { subjectType: 'dialogue-conference', subjectId: String(id), body })).json().id as number
  const first = await asked(citizen, 'Когда сократят очереди?')
  const second = await asked(voter, 'Будет ли вызов врача онлайн?')
  for (const bearer of [citizen, voter]) assert.equal((await call('PUT', '/api/votes', bearer, { subjectType: 'comment', subjectId: String(second), value: 1 })).statusCode, 204)
  const before = (await call('GET', `/api/dialogue/conferences/${id}`, null)).json()
  assert.deepEqual(before.questions.map((q: { id: number; votesFor: number }) => [q.id, q.votesFor]), [[second, 2], [first, 0]], 'the most wanted first')
  assert.equal((await call('PUT', `/api/dialogue/conferences/${id}/answers/${first}`, staff, { answer: { ru: 'Ответ' } })).statusCode, 400, 'not before it is held')
  await db.query("update dialogue_conferences set starts_at = now() - interval '1 hour' where id = $1", [id])
  const answered = await call('PUT', `/api/dialogue/conferences/${id}/answers/${first}`, staff, { answer: { ru: 'Очереди сократят до трёх дней.' } })
  assert.equal(answered.statusCode, 200, answered.body)
  assert.equal((await call('PUT', `/api/dialogue/conferences/${id}/recording`, staff, { url: 'javascript:alert(1)' })).statusCode, 400)
  const recorded = await call('PUT', `/api/dialogue/conferences/${id}/recording`, staff, { url: 'https://www.gov.kz/recordings/42' })
  assert.equal(recorded.json().recordingUrl, 'https://www.gov.kz/recordings/42')
  assert.equal(recorded.json().questions.find((q: { id: number }) => q.id === first).answer.ru, 'Очереди сократят до трёх дней.')
  assert.equal(recorded.json().open, false)

  const blog = (await call('GET', '/api/dialogue/blogs/ministry-of-health', null)).json()
  assert.deepEqual([blog.posts.map((p: { id: number }) => p.id), blog.conferences.map((c: { id: number }) => c.id)], [[post.json().id], [id]])
  assert.equal((await call('GET', '/api/dialogue/blogs/no-such-body', null)).statusCode, 404)
})
