import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { signedInBrowser } from '../../helpers/users.ts'
import { png } from '../../helpers/images.ts'

test('a body keeps its head\'s page and writes posts; readers comment on them and followers of the blog are mailed', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    await makeAgency(db, { slug: 'akimat-almaty' })
  })
  t.after(close)
  const editor = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health', { confirmed: true })
  const reader = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, lang: 'ru', displayName: 'Сергей' })
  const edit = '/ru/dialogue/ministry-of-health/edit'
  const missing = await editor.post(edit, { 'headName.ru': 'Айгуль Нурланова', 'headPosition.ru': 'Министр' }, { from: edit })
  assert.equal(missing.statusCode, 400)
  assert.match(missing.body, /Укажите имя руководителя на казахском и на русском/)
  assert.equal((await editor.post(edit, { 'headName.kk': 'Айгүл Нұрланова', 'headName.ru': 'Айгуль Нурланова', 'headPosition.kk': 'Министр', 'headPosition.ru': 'Министр здравоохранения', 'biography.ru': 'Врач.' }, { from: edit })).statusCode, 303)
  // A photo is a JPEG or a PNG by its bytes; it replaces the one before.
  const fields = { 'headName.kk': 'Айгүл Нұрланова', 'headName.ru': 'Айгуль Нурланова', 'headPosition.kk': 'Министр', 'headPosition.ru': 'Министр здравоохранения' }
  const program = await editor.postFile(edit, fields, { field: 'photo', name: 'photo.jpg', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]) }, { from: edit })
  assert.equal(program.statusCode, 400)
  assert.match(program.body, /href="#photo">Файл — EXE: принимаются только файлы JPG, PNG/)
  assert.equal((await editor.postFile(edit, fields, { field: 'photo', name: 'portrait.png', content: png() }, { from: edit })).statusCode, 303)
  const photo = await app.inject({ url: '/dialogue/ministry-of-health/photo' })
  assert.equal(photo.headers['content-type'], 'image/png')
  assert.equal(photo.rawPayload.compare(png()), 0)
  assert.match((await app.inject({ url: '/ru/dialogue/ministry-of-health' })).body, /<img class="ashyq-head-photo" src="\/dialogue\/ministry-of-health\/photo" alt="Фото: Айгуль Нурланова">/)
  const other = await signedInBrowser(app, db, 'agency-editor', 'akimat-almaty')
  assert.equal((await other.get(edit)).statusCode, 403)
  const blog = await app.inject({ url: '/ru/dialogue/ministry-of-health' })
  assert.match(blog.body, /<h1 class="govuk-heading-l">Айгуль Нурланова<\/h1>[\s\S]*Министр здравоохранения/)
  assert.match((await app.inject({ url: '/ru/dialogue' })).body, /Айгуль Нурланова/)

  // The reader follows the blog; a post mails them.
  assert.equal((await reader.post('/ru/subscriptions', { topic: 'dialogue-blog:ministry-of-health', returnTo: '/ru/dialogue/ministry-of-health' }, { from: '/ru/dialogue/ministry-of-health' })).statusCode, 303)
  const form = '/ru/dialogue/ministry-of-health/posts/new'
  assert.equal((await editor.post(form, { 'title.ru': 'Только по-русски', 'body.ru': 'Текст' }, { from: form })).statusCode, 400)
  const posted = await editor.post(form, { 'title.kk': 'Парақ туралы', 'title.ru': 'О больничном листе', 'body.kk': 'Мәтін', 'body.ru': 'С 1 января лист только электронный.' }, { from: form })
  assert.equal(posted.statusCode, 303)
  const postPath = String(posted.headers.location)
  const mail = await db.query<{ recipient: string; subject: string }>("select recipient, subject from outbox where kind = 'subscription'")
  assert.equal(mail.length, 1)
  assert.match(mail[0]!.subject, /О больничном листе/)

  const page = await reader.get(postPath)
  const id = /posts\/(\d+)/.exec(postPath)![1]!
  assert.match(page.body, /С 1 января лист только электронный/)
  const commented = await reader.post('/ru/comments', { subjectType: 'dialogue-post', subjectId: id, body: 'А если нет доступа к порталу?', returnTo: postPath }, { from: postPath })
  assert.equal(commented.statusCode, 303, commented.body.slice(0, 500))
  assert.match((await app.inject({ url: postPath })).body, /Сергей[\s\S]*А если нет доступа к порталу\?/)
})
