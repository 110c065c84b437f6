import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { signedInBrowser } from '../../helpers/users.ts'

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
