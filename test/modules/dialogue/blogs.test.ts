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

test('a body has one head, kept once: the blog and the body\'s page name the same person; a new one ends the last one\'s position, a corrected spelling does not', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
  })
  t.after(close)
  const { headHistory } = await import('../../../src/modules/agencies/heads.ts')
  const [{ id: agencyId }] = await db.query<{ id: number }>("select id from agencies where slug = 'ministry-of-health'") as [{ id: number }]
  const editor = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health', { confirmed: true })
  const edit = '/ru/dialogue/ministry-of-health/edit'
  const head = (kk: string, ru: string, more: Record<string, string> = {}) => editor.post(edit, { 'headName.kk': kk, 'headName.ru': ru, 'headPosition.kk': 'Министр', 'headPosition.ru': 'Министр здравоохранения', ...more }, { from: edit })
  assert.equal((await head('Айгүл Нұрланова', 'Айгуль Нурланова', { 'biography.ru': 'Врач.' })).statusCode, 303)
  const bodyPage = async () => (await app.inject({ url: '/ru/agencies/ministry-of-health' })).body
  const apiHead = async () => (await app.inject({ url: '/api/agencies/ministry-of-health' })).json().head
  assert.match(await bodyPage(), /Министр здравоохранения[\s\S]{0,400}Айгуль Нурланова/, 'the body\'s page names the head the blog names')
  assert.equal((await apiHead()).name.ru, 'Айгуль Нурланова')

  // A spelling corrected in one language is the same person: no new position.
  assert.equal((await head('Айгүл Серікқызы Нұрланова', 'Айгуль Нурланова')).statusCode, 303)
  assert.equal((await headHistory(db, agencyId)).length, 1)
  assert.equal((await apiHead()).name.kk, 'Айгүл Серікқызы Нұрланова')

  // Another person: the last one's position ends, theirs starts today; the page and the API follow.
  assert.equal((await head('Марат Сейітов', 'Марат Сеитов')).statusCode, 303)
  const history = await headHistory(db, agencyId)
  assert.deepEqual(history.map((h) => [h.name.ru, h.until === null]), [['Марат Сеитов', true], ['Айгуль Нурланова', false]])
  assert.ok(history[0]!.since && history[1]!.until! <= history[0]!.since!, 'the last one ends by the day the next begins')
  assert.match(await bodyPage(), /Марат Сеитов/)
  assert.doesNotMatch(await bodyPage(), /Нурланова/)
  assert.equal((await apiHead()).since, history[0]!.since)
  const blog = (await app.inject({ url: '/ru/dialogue/ministry-of-health' })).body
  assert.match(blog, /<h1 class="govuk-heading-l">Марат Сеитов<\/h1>/)
  assert.doesNotMatch(blog, /Врач\./, 'the last head\'s biography is not the new head\'s')

  // An administrator changing the head in the registry changes the blog too.
  const admin = await signedInBrowser(app, db, 'admin')
  const form = '/ru/agencies/ministry-of-health/edit'
  const saved = await admin.post(form, { kind: 'central', 'name.kk': 'Денсаулық сақтау министрлігі', 'name.ru': 'Министерство здравоохранения', 'headName.kk': 'Ерлан Ахметов', 'headName.ru': 'Ерлан Ахметов', 'headTitle.ru': 'Министр здравоохранения' }, { from: form })
  assert.equal(saved.statusCode, 303)
  assert.match((await app.inject({ url: '/ru/dialogue/ministry-of-health' })).body, /<h1 class="govuk-heading-l">Ерлан Ахметов<\/h1>/)
  assert.equal((await headHistory(db, agencyId)).filter((h) => h.until === null).length, 1, 'one head at a time')
})
