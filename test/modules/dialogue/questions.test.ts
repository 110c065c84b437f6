import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { editorToken, makeUser, signedInBrowser } from '../../helpers/users.ts'
import { holdTransactions } from '../../helpers/race.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'
import type { Browser } from '../../helpers/forms.ts'
import { png } from '../../helpers/images.ts'
import { addDays } from '../../../src/platform/calendar/days.ts'
import { DEFAULT_DIALOGUE_RULES } from '../../../src/platform/config.ts'
import { remindDeadlines, today } from '../../../src/modules/dialogue/questions/service.ts'

async function setup() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    await makeAgency(db, { slug: 'akimat-almaty', name: { kk: 'Алматы қаласының әкімдігі', ru: 'Акимат города Алматы', en: 'Akimat of Almaty' } })
  })
  const { app, db } = testApp
  const editor = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health', { confirmed: true })
  const citizen = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, displayName: 'Айгерім Сапарова', lang: 'ru' })
  return { ...testApp, editor, citizen }
}

async function ask(citizen: Browser, fields: Record<string, string> = {}, files: Array<{ field: string; name: string; content: Buffer | string }> = []) {
  const from = '/ru/dialogue/ministry-of-health/ask'
  return citizen.postFile(from, { topic: 'health', body: 'Почему больничный лист закрывают только через 3 дня?', showName: 'yes', ...fields }, files, { from })
}

const idOf = (location: unknown) => Number(/questions\/(\d+)/.exec(String(location))![1])

test('a citizen asks with a confirmed address and is acknowledged at once with a number, the deadline and a receipt; the body moderates, extends once and answers; the asker rates and follows up once', async (t) => {
  const { app, db, editor, citizen, close } = await setup()
  t.after(close)
  const unconfirmed = await signedInBrowser(app, db)
  assert.equal((await ask(unconfirmed)).statusCode, 403, 'anonymous appeals are not considered: the address must be confirmed')
  assert.equal((await app.inject({ url: '/ru/dialogue/ministry-of-health/ask' })).statusCode, 303, 'signed-out visitors are sent to sign in')

  const empty = await ask(citizen, { topic: '', body: '  ' })
  assert.equal(empty.statusCode, 400)
  assert.match(empty.body, /Выберите тему[\s\S]*Напишите вопрос/)
  const program = await ask(citizen, {}, [{ field: 'file1', name: 'photo.png', content: png() }, { field: 'file2', name: 'scan.png', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)]) }])
  assert.equal(program.statusCode, 400)
  assert.match(program.body, /href="#file2">Файл — EXE/)
  assert.equal((await db.query('select * from dialogue_questions')).length, 0, 'a refused question stores nothing')

  const sent = await ask(citizen, { idempotencyKey: 'form-1' }, [{ field: 'file1', name: 'фото.png', content: png() }])
  assert.equal(sent.statusCode, 303, sent.body.slice(0, 2000))
  const id = idOf(sent.headers.location)
  const again = await ask(citizen, { idempotencyKey: 'form-1' }, [{ field: 'file1', name: 'фото.png', content: png() }])
  assert.equal(idOf(again.headers.location), id, 'the same form sent twice makes one question')
  assert.equal((await db.query('select * from dialogue_questions')).length, 1)

  const receipt = (await citizen.get(String(sent.headers.location))).body
  assert.match(receipt, new RegExp(`Вопрос № ${id} принят`))
  assert.equal([...receipt.matchAll(/<h1[\s>]/g)].length, 1, 'one heading of the first level: the panel')
  assert.match(receipt, /На модерации/)
  const [row] = await db.query<{ received_on: string; due_on: string; moderation_due: string }>('select received_on::text, due_on::text, moderation_due::text from dialogue_questions where id = $1', [id])
  assert.equal(row!.received_on, today())
  assert.ok(row!.due_on > addDays(today(), 19), '15 working days are at least three weeks')
  const mails = await db.query<{ kind: string; subject: string }>('select kind, subject from outbox order by id')
  assert.deepEqual(mails.map((m) => m.kind), ['question-received', 'question-received'], 'a receipt for the asker, a question to moderate for the body')
  assert.match(mails[1]!.subject, new RegExp(`№ ${id}`))
  assert.match(mails[0]!.subject, new RegExp(`Ваш вопрос № ${id} принят`))

  assert.equal((await app.inject({ url: `/ru/dialogue/questions/${id}` })).statusCode, 404, 'in moderation, the public does not see it')
  assert.equal((await app.inject({ url: `/api/dialogue/questions/${id}` })).statusCode, 404)
  const other = await signedInBrowser(app, db, 'agency-editor', 'akimat-almaty')
  assert.equal((await other.post(`/ru/dialogue/questions/${id}/publish`, {}, { from: `/ru/dialogue/questions/${id}` })).statusCode, 404, 'another body\'s editor does not even see it')
  assert.equal((await editor.post(`/ru/dialogue/questions/${id}/publish`, {}, { from: `/ru/dialogue/questions/${id}` })).statusCode, 303)
  const page = await app.inject({ url: `/ru/dialogue/questions/${id}` })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Ждёт ответа[\s\S]*Айгерім Сапарова[\s\S]*больничный лист/)
  const [file] = await db.query<{ id: number }>('select id from dialogue_question_files where question_id = $1', [id])
  const download = await app.inject({ url: `/dialogue/questions/${id}/files/${file!.id}/download` })
  assert.equal(download.headers['content-type'], 'image/png')
  assert.match((await app.inject({ url: '/ru/dialogue/ministry-of-health' })).body, new RegExp(`Вопрос № ${id}`))
  // Found by a word with a typo, on the portal and in the site search.
  assert.match((await app.inject({ url: '/ru/dialogue?q=больничнй' })).body, new RegExp(`Найден 1 вопрос[\\s\\S]*Вопрос № ${id}`))
  assert.match((await app.inject({ url: '/ru/search?q=больничный' })).body, /Вопросы руководителям госорганов[\s\S]*больничный лист/)
  const api = (await app.inject({ url: `/api/dialogue/questions?agency=ministry-of-health` })).json() as { total: number; items: Array<{ id: number; state: string; askerName: string }> }
  assert.deepEqual(api.items.map((q) => [q.id, q.state, q.askerName]), [[id, 'published', 'Айгерім Сапарова']])

  const [{ received_on: received }] = await db.query<{ received_on: string }>('select received_on::text from dialogue_questions where id = $1', [id]) as [{ received_on: string }]
  const tooLate = await editor.post(`/ru/dialogue/questions/${id}/extend`, { to: addDays(received, 70), 'extensionReason.ru': 'Нужен запрос в другие органы' }, { from: `/ru/dialogue/questions/${id}` })
  assert.equal(tooLate.statusCode, 400)
  assert.match(tooLate.body, /Выберите день после .* и не позднее/)
  assert.equal((await editor.post(`/ru/dialogue/questions/${id}/extend`, { to: addDays(received, 40), 'extensionReason.ru': 'Нужен запрос в другие органы' }, { from: `/ru/dialogue/questions/${id}` })).statusCode, 303)
  const twice = await editor.post(`/ru/dialogue/questions/${id}/extend`, { to: addDays(received, 45), 'extensionReason.ru': 'Ещё раз' }, { from: `/ru/dialogue/questions/${id}` })
  assert.equal(twice.statusCode, 400)
  assert.match(twice.body, /Срок продлевается только один раз/)
  assert.match((await app.inject({ url: `/ru/dialogue/questions/${id}` })).body, /Срок продлён[\s\S]*Нужен запрос в другие органы/)

  assert.equal((await editor.post(`/ru/dialogue/questions/${id}/answer`, { 'answer.ru': 'Лист закрывается в день выписки.' }, { from: `/ru/dialogue/questions/${id}` })).statusCode, 303)
  const answeredMail = await db.query<{ body: string }>("select body from outbox where kind = 'question-answered'")
  assert.match(answeredMail[0]!.body, /Лист закрывается в день выписки/)
  assert.equal((await editor.post(`/ru/dialogue/questions/${id}/rate`, { rating: 'satisfied' }, { from: `/ru/dialogue/questions/${id}` })).statusCode, 403, 'only the asker rates')
  assert.equal((await citizen.post(`/ru/dialogue/questions/${id}/rate`, { rating: 'unsatisfied', comment: 'Не ответили по существу' }, { from: `/ru/dialogue/questions/${id}` })).statusCode, 303)
  const rateAgain = await citizen.post(`/ru/dialogue/questions/${id}/rate`, { rating: 'satisfied' }, { from: `/ru/dialogue/questions/${id}` })
  assert.equal(rateAgain.statusCode, 400)
  assert.match((await app.inject({ url: `/ru/dialogue/questions/${id}` })).body, /Ответ не устроил<\/strong>: Не ответили по существу/)

  const followUp = await ask(citizen, { followUpOf: String(id), body: 'А если выписка в выходной?' })
  assert.equal(followUp.statusCode, 303, followUp.body.slice(0, 1500))
  const second = await ask(citizen, { followUpOf: String(id), body: 'И ещё?' })
  assert.equal(second.statusCode, 400, 'one follow-up per question')
})

test('a question is forwarded to the competent body within 3 working days, or rejected for a documented reason; overdue ones are marked and the body is reminded', async (t) => {
  const { app, db, editor, citizen, close } = await setup()
  t.after(close)
  const id = idOf((await ask(citizen, { body: 'Когда отремонтируют дорогу на улице Абая?', topic: 'transport' })).headers.location)
  await db.query('update dialogue_questions set forward_due = $2 where id = $1', [id, addDays(today(), -1)])
  const late = await editor.post(`/ru/dialogue/questions/${id}/forward`, { agency: 'akimat-almaty', 'reason.ru': 'Дороги города — акимат' }, { from: `/ru/dialogue/questions/${id}` })
  assert.equal(late.statusCode, 400)
  assert.match(late.body, /в течение 3 рабочих дней/)
  await db.query('update dialogue_questions set forward_due = $2 where id = $1', [id, today()])
  const noReason = await editor.post(`/ru/dialogue/questions/${id}/forward`, { agency: 'akimat-almaty' }, { from: `/ru/dialogue/questions/${id}` })
  assert.equal(noReason.statusCode, 400)
  const forwarded = await editor.post(`/ru/dialogue/questions/${id}/forward`, { agency: 'akimat-almaty', 'reason.ru': 'Дороги города — акимат' }, { from: `/ru/dialogue/questions/${id}` })
  assert.equal(forwarded.statusCode, 303)
  assert.equal(forwarded.headers.location, `/ru/dialogue/questions/${id}/forwarded`, 'the forwarder lands on a confirmation, not on a question no longer theirs')
  const confirmation = await editor.get(String(forwarded.headers.location))
  assert.equal(confirmation.statusCode, 200)
  assert.match(confirmation.body, new RegExp(`govuk-panel__title">\\s*Вопрос № ${id} перенаправлен[\\s\\S]*Акимат города Алматы[\\s\\S]*Срок ответа[\\s\\S]*href="/ru/dialogue/ministry-of-health">Вернуться к вопросам вашего органа`))
  assert.equal((await editor.get(`/ru/dialogue/questions/${id}`)).statusCode, 404, 'the body it came from no longer owns it')
  const akimat = await signedInBrowser(app, db, 'agency-editor', 'akimat-almaty')
  for (const other of [akimat.get.bind(akimat), citizen.get.bind(citizen), (url: string) => app.inject({ url })]) {
    assert.equal((await other(`/ru/dialogue/questions/${id}/forwarded`)).statusCode, 404, 'the confirmation is the forwarder\'s alone')
  }
  const owned = await akimat.get(`/ru/dialogue/questions/${id}`)
  assert.match(owned.body, /Перенаправлен[\s\S]*Министерство здравоохранения/)
  const forwardedMail = await db.query<{ subject: string; body: string }>("select subject, body from outbox where kind = 'question-forwarded'")
  assert.match(forwardedMail[0]!.subject, /перенаправлен в Акимат города Алматы/)
  assert.match(forwardedMail[0]!.body, /Дороги города — акимат/)

  // A duplicate names the published question it repeats; the asker is told why.
  assert.equal((await akimat.post(`/ru/dialogue/questions/${id}/publish`, {}, { from: `/ru/dialogue/questions/${id}` })).statusCode, 303)
  const repeat = idOf((await ask(citizen, { body: 'Дорога на Абая, когда ремонт?', topic: 'transport' })).headers.location)
  const noOriginal = await editor.post(`/ru/dialogue/questions/${repeat}/reject`, { reason: 'duplicate' }, { from: `/ru/dialogue/questions/${repeat}` })
  assert.equal(noOriginal.statusCode, 400)
  assert.match(noOriginal.body, /Укажите номер опубликованного вопроса/)
  assert.equal((await editor.post(`/ru/dialogue/questions/${repeat}/reject`, { reason: 'duplicate', duplicateOf: String(id) }, { from: `/ru/dialogue/questions/${repeat}` })).statusCode, 303)
  const rejectedMail = await db.query<{ body: string }>("select body from outbox where kind = 'question-rejected'")
  assert.match(rejectedMail[0]!.body, /Повторяет уже заданный вопрос/)
  assert.equal((await app.inject({ url: `/ru/dialogue/questions/${repeat}` })).statusCode, 404)

  // Past its deadline, a question is marked overdue for everyone; before it, its body is reminded once.
  await db.query('update dialogue_questions set due_on = $2 where id = $1', [id, addDays(today(), -1)])
  assert.match((await app.inject({ url: `/ru/dialogue/questions/${id}` })).body, /Просрочен[\s\S]*Срок ответа \(/)
  assert.match((await app.inject({ url: '/ru/dialogue/akimat-almaty?state=overdue' })).body, new RegExp(`Вопрос № ${id}`))
  assert.match((await app.inject({ url: '/ru/dialogue' })).body, /просрочено 1/)
  await db.query('update dialogue_questions set due_on = $2 where id = $1', [id, today()])
  assert.equal(await remindDeadlines(db, DEFAULT_DIALOGUE_RULES, 'http://site'), 1)
  await remindDeadlines(db, DEFAULT_DIALOGUE_RULES, 'http://site')
  const reminders = await db.query<{ subject: string }>("select subject from outbox where dedupe_key like 'question-deadline:%'")
  assert.equal(reminders.length, 1, 'one reminder per question and deadline')
  assert.deepEqual(await db.query("select detail from dialogue_question_events where question_id = $1 and kind = 'reminded'", [id]), [{ detail: { deadline: today() } }], 'its history says when the body was reminded, once')
  assert.match((await akimat.get(`/ru/dialogue/questions/${id}`)).body, /сотрудникам органа напомнили о приближении срока/)
})

test('a question\'s page offers each person the actions its rules give them now, and the service refuses the rest by the same rules: another body\'s staff, a stranger, an administrator in the asker\'s place, a follow-up of a follow-up', async (t) => {
  const { app, db, editor, citizen, close } = await setup()
  t.after(close)
  const akimat = await signedInBrowser(app, db, 'agency-editor', 'akimat-almaty', { confirmed: true })
  const admin = await signedInBrowser(app, db, 'admin', undefined, { confirmed: true })
  const stranger = await signedInBrowser(app, db, undefined, undefined, { confirmed: true })
  const id = idOf((await ask(citizen)).headers.location)
  const page = `/ru/dialogue/questions/${id}`
  const forms = async (who: Browser) => [...(await who.get(page)).body.matchAll(/action="\/ru\/dialogue\/questions\/\d+\/([a-z-]+)"/g)].map((m) => m[1]).sort()
  assert.deepEqual(await forms(editor), ['extend', 'forward', 'publish', 'reject'], 'the body\'s staff, in moderation')
  assert.deepEqual(await forms(citizen), ['withdraw'], 'the asker')
  assert.deepEqual(await forms(admin), ['extend', 'forward', 'publish', 'reject'], 'an administrator acts as any body\'s staff, never as the asker')
  assert.equal((await akimat.post(`${page}/publish`, {}, { from: page })).statusCode, 404, 'another body\'s staff do not see it in moderation')
  assert.equal((await admin.post(`${page}/withdraw`, {}, { from: page })).statusCode, 403, 'an administrator does not withdraw a citizen\'s question')

  assert.equal((await editor.post(`${page}/publish`, {}, { from: page })).statusCode, 303)
  assert.deepEqual(await forms(editor), ['answer', 'extend'])
  assert.deepEqual(await forms(stranger), [], 'a reader who did not ask')
  assert.equal((await stranger.post(`${page}/withdraw`, {}, { from: page })).statusCode, 403)
  assert.equal((await akimat.post(`${page}/answer`, { 'answer.ru': 'Не наш вопрос' }, { from: page })).statusCode, 403, 'another body\'s staff')
  const twice = await editor.post(`${page}/publish`, {}, { from: page })
  assert.equal(twice.statusCode, 400, 'an action its state rules out')
  assert.match(twice.body, /href="#status"/)

  assert.equal((await editor.post(`${page}/answer`, { 'answer.ru': 'Через 3 дня, по правилам.' }, { from: page })).statusCode, 303)
  assert.deepEqual(await forms(editor), [])
  assert.deepEqual(await forms(citizen), ['rate'])
  assert.match((await citizen.get(page)).body, /followUpOf=/, 'the asker may follow up')
  assert.equal((await admin.post(`${page}/rate`, { rating: 'unsatisfied' }, { from: page })).statusCode, 403, 'an administrator does not rate for the asker')
  assert.equal((await citizen.post(`${page}/rate`, { rating: 'satisfied' }, { from: page })).statusCode, 303)
  assert.deepEqual(await forms(citizen), [])
  const [rated] = await db.query<{ before: unknown; after: unknown }>("select before, after from audit_log where action = 'question.rate' and entity_id = $1", [String(id)])
  assert.deepEqual(rated, { before: { status: 'answered' }, after: { status: 'answered', rating: 1, comment: '' } }, 'a rating is audited as every action is')

  const followUp = idOf((await ask(citizen, { body: 'А если врач не закрывает лист?', followUpOf: String(id) })).headers.location)
  await editor.post(`/ru/dialogue/questions/${followUp}/publish`, {}, { from: `/ru/dialogue/questions/${followUp}` })
  await editor.post(`/ru/dialogue/questions/${followUp}/answer`, { 'answer.ru': 'Обратитесь в поликлинику.' }, { from: `/ru/dialogue/questions/${followUp}` })
  assert.doesNotMatch((await citizen.get(`/ru/dialogue/questions/${followUp}`)).body, /followUpOf=/, 'a follow-up is not followed up on its page')
  const chained = await ask(citizen, { body: 'И ещё раз?', followUpOf: String(followUp) })
  assert.equal(chained.statusCode, 400, 'nor by the service')
  assert.equal((await db.query('select 1 from dialogue_questions where follow_up_of = $1', [followUp])).length, 0)
})

test('a person asks at most 5 questions a day, counted in the database', async (t) => {
  const { citizen, close } = await setup()
  t.after(close)
  for (let n = 0; n < 5; n += 1) assert.equal((await ask(citizen, { body: `Вопрос ${n}` })).statusCode, 303)
  const flood = await ask(citizen, { body: 'Шестой' })
  assert.equal(flood.statusCode, 429)
  assert.ok(Number(flood.headers['retry-after']) > 0)
})

test('the body acts on its questions through the API with its token, by the same rules as the forms', async (t) => {
  const { app, db, citizen, close } = await setup()
  t.after(close)
  const token = await editorToken(db, 'ministry-of-health')
  const other = await editorToken(db, 'akimat-almaty')
  const id = idOf((await ask(citizen)).headers.location)
  const call = (path: string, bearer: string | null, payload: object = {}) => app.inject({
    method: 'POST', url: `/api/dialogue/questions/${id}/${path}`, payload, headers: { 'accept-language': 'ru', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
  })
  assert.equal((await call('publish', null)).statusCode, 401)
  assert.equal((await call('publish', other)).statusCode, 404, 'another body does not see a question in moderation')
  const published = await call('publish', token)
  assert.equal(published.statusCode, 200)
  assert.equal(published.json().state, 'published')
  const empty = await call('answer', token, { answer: {} })
  assert.equal(empty.statusCode, 400)
  assert.match(empty.body, /Напишите ответ/)
  const answered = await call('answer', token, { answer: { ru: 'Лист закрывается в день выписки.' } })
  assert.equal(answered.statusCode, 200)
  assert.deepEqual([answered.json().state, answered.json().answer.ru], ['answered', 'Лист закрывается в день выписки.'])
  assert.equal((await call('answer', token, { answer: { ru: 'Ещё раз' } })).statusCode, 400, 'an answered question is not answered again')
})

test('a citizen asks, follows up, rates and withdraws through the API with their own token, by the same rules as the forms', async (t) => {
  const { app, db, close } = await setup()
  t.after(close)
  const asker = await makeUser(db, undefined, undefined, { confirmed: true, displayName: 'Ерлан Абдрахманов', lang: 'kk' })
  const token = (await createApiToken(db, SYSTEM_ACTOR, asker.id, 'my questions')).token
  const stranger = await makeUser(db, undefined, undefined, { confirmed: true })
  const strangerToken = (await createApiToken(db, SYSTEM_ACTOR, stranger.id, 'x')).token
  const staff = await editorToken(db, 'ministry-of-health')
  const as = (bearer: string | null, extra: Record<string, string> = {}) => ({ 'accept-language': 'ru', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...extra })
  const question = { agency: 'ministry-of-health', topic: 'health', body: 'Сколько дней ждать направления к кардиологу?', showName: false }
  const post = (url: string, bearer: string | null, payload: object, extra: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload, headers: as(bearer, extra) })

  assert.equal((await post('/api/dialogue/questions', null, question)).statusCode, 401, 'anonymous questions are not taken')
  const bad = await post('/api/dialogue/questions', token, { ...question, body: '   ', agency: 'no-such-body' })
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(bad.json().errors.map((e: { field: string }) => e.field).sort(), ['agency', 'body'])
  assert.match(bad.body, /Напишите вопрос|вопрос/i)

  const asked = await post('/api/dialogue/questions', token, question, { 'idempotency-key': 'retry-1' })
  assert.equal(asked.statusCode, 201, asked.body)
  const id = asked.json().id as number
  assert.equal(asked.headers.location, `/api/dialogue/questions/${id}`)
  assert.deepEqual([asked.json().state, asked.json().askerName, asked.json().lang], ['moderation', null, 'ru'])
  assert.ok(asked.json().dueOn > today(), 'acknowledged with its deadline')
  const retried = await post('/api/dialogue/questions', token, question, { 'idempotency-key': 'retry-1' })
  assert.equal(retried.statusCode, 200, 'a retry returns the question it made')
  assert.equal(retried.json().id, id)
  const [{ n } = { n: 0 }] = await db.query<{ n: number }>('select count(*)::int as n from dialogue_questions where asker_id = $1', [asker.id])
  assert.equal(n, 1)
  const [receipt] = await db.query<{ subject: string }>("select subject from outbox where kind = 'question-received' and recipient = $1", [asker.email])
  assert.ok(receipt, 'a receipt by mail')

  // With files: multipart, each checked by its content.
  const withFile = new FormData()
  for (const [key, value] of Object.entries({ agency: 'ministry-of-health', topic: 'health', body: 'Прилагаю фото направления', showName: 'false', lang: 'kk' })) withFile.append(key, value)
  withFile.append('file1', new Blob([new Uint8Array(png())], { type: 'image/png' }), 'направление.png')
  const filed = await app.inject({ method: 'POST', url: '/api/dialogue/questions', payload: withFile, headers: as(token) })
  assert.equal(filed.statusCode, 201, filed.body)
  assert.equal(filed.json().lang, 'kk')
  const [file] = await db.query<{ media_type: string }>('select media_type from dialogue_question_files where question_id = $1', [filed.json().id])
  assert.equal(file?.media_type, 'image/png')
  const program = new FormData()
  for (const [key, value] of Object.entries({ agency: 'ministry-of-health', topic: 'health', body: 'Справка', showName: 'false' })) program.append(key, value)
  program.append('file1', new Blob([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff')]), 'справка.pdf')
  const refused = await app.inject({ method: 'POST', url: '/api/dialogue/questions', payload: program, headers: as(token) })
  assert.equal(refused.statusCode, 400)
  assert.equal(refused.json().errors[0].field, 'file1')

  const mine = await app.inject({ url: '/api/dialogue/questions/mine', headers: as(token) })
  assert.deepEqual(mine.json().items.map((q: { id: number }) => q.id), [filed.json().id, id])
  assert.equal((await app.inject({ url: '/api/dialogue/questions/mine' })).statusCode, 401)

  // The asker withdraws the second; a withdrawn question is not withdrawn again.
  const withdrawn = await post(`/api/dialogue/questions/${filed.json().id}/withdraw`, token, {})
  assert.equal(withdrawn.json().state, 'withdrawn')
  assert.equal((await post(`/api/dialogue/questions/${filed.json().id}/withdraw`, token, {})).statusCode, 400)
  assert.equal((await post(`/api/dialogue/questions/${id}/withdraw`, strangerToken, {})).statusCode, 404, 'another person cannot see it, let alone withdraw it')

  // The body answers; the asker rates once (the same rating again is no error), and follows up once.
  assert.equal((await post(`/api/dialogue/questions/${id}/rating`, token, { satisfied: true })).statusCode, 400, 'nothing to rate before the answer')
  await post(`/api/dialogue/questions/${id}/publish`, staff, {})
  await post(`/api/dialogue/questions/${id}/answer`, staff, { answer: { ru: 'Не более 10 рабочих дней.' } })
  assert.equal((await post(`/api/dialogue/questions/${id}/rating`, strangerToken, { satisfied: false })).statusCode, 403, 'only the asker rates')
  const rated = await post(`/api/dialogue/questions/${id}/rating`, token, { satisfied: true, comment: 'Спасибо' })
  assert.equal(rated.statusCode, 200, rated.body)
  assert.equal(rated.json().rating, 1)
  assert.equal((await post(`/api/dialogue/questions/${id}/rating`, token, { satisfied: true, comment: 'Спасибо' })).statusCode, 200, 'a retry is no error')
  const changed = await post(`/api/dialogue/questions/${id}/rating`, token, { satisfied: false })
  assert.equal(changed.statusCode, 400)
  assert.equal(changed.json().errors[0].field, 'rating')
  const followUp = await post('/api/dialogue/questions', token, { ...question, body: 'А если срок прошёл?', followUpOf: id })
  assert.equal(followUp.statusCode, 201, followUp.body)
  assert.equal(followUp.json().followUpOf, id)
  assert.equal((await app.inject({ url: `/api/dialogue/questions/${id}` })).json().followUpId, followUp.json().id)
  assert.equal((await post('/api/dialogue/questions', token, { ...question, body: 'Ещё один', followUpOf: id })).statusCode, 400, 'one follow-up')
})

test('the asker withdraws while the body answers, at once: one of them is done, event and audit row included; the other answers 409 saying the state', async (t) => {
  const { app, db, close } = await setup()
  t.after(close)
  const asker = await makeUser(db, undefined, undefined, { confirmed: true })
  const token = (await createApiToken(db, SYSTEM_ACTOR, asker.id, 'my questions')).token
  const staff = await editorToken(db, 'ministry-of-health')
  const post = (url: string, bearer: string, payload: object) => app.inject({ method: 'POST', url, payload, headers: { 'accept-language': 'ru', authorization: `Bearer ${bearer}` } })
  const asked = await post('/api/dialogue/questions', token, { agency: 'ministry-of-health', topic: 'health', body: 'Когда откроют поликлинику?', showName: false })
  const id = asked.json().id as number
  assert.equal((await post(`/api/dialogue/questions/${id}/publish`, staff, {})).statusCode, 200)

  const release = holdTransactions(db)
  t.after(release)
  const [withdrawn, answered] = await Promise.all([
    post(`/api/dialogue/questions/${id}/withdraw`, token, {}),
    post(`/api/dialogue/questions/${id}/answer`, staff, { answer: { ru: 'В марте.' } }),
  ])
  release()
  assert.deepEqual([withdrawn.statusCode, answered.statusCode].sort(), [200, 409])
  const [{ status } = { status: '' }] = await db.query<{ status: string }>('select status from dialogue_questions where id = $1', [id])
  const lost = withdrawn.statusCode === 409 ? withdrawn : answered
  assert.equal(lost.json().type, '/api/problems/state-conflict')
  assert.match(lost.json().detail, status === 'answered' ? /status: Отвечен/ : /status: Отозван автором/)
  const events = await db.query<{ kind: string }>("select kind from dialogue_question_events where question_id = $1 and kind in ('answered', 'withdrawn')", [id])
  assert.deepEqual(events.map((e) => e.kind), [status], 'no event of what was not done')
  const audited = await db.query<{ action: string }>("select action from audit_log where entity = 'question' and entity_id = $1 and action in ('question.answer', 'question.withdraw')", [String(id)])
  assert.deepEqual(audited.map((a) => a.action), [status === 'answered' ? 'question.answer' : 'question.withdraw'])
})

test('a reader follows a question: mailed once when its deadline is extended, when it is answered (a blog\'s follower too, once), and when its follow-up is published', async (t) => {
  const { app, db, citizen, close } = await setup()
  t.after(close)
  const staff = await editorToken(db, 'ministry-of-health')
  const id = idOf((await ask(citizen)).headers.location)
  const path = `/ru/dialogue/questions/${id}`
  const act = (what: string, payload: object) => app.inject({ method: 'POST', url: `/api/dialogue/questions/${id}/${what}`, payload, headers: { authorization: `Bearer ${staff}` } })
  await act('publish', {})

  const reader = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, lang: 'kk' })
  const both = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, lang: 'ru' })
  const page = await reader.get(path)
  assert.match(page.body, /name="topic" value="dialogue-question:\d+"/, 'a follow button')
  assert.doesNotMatch((await citizen.get(path)).body, /name="topic" value="dialogue-question:/, 'its asker hears of it anyway')
  for (const [who, topic] of [[reader, `dialogue-question:${id}`], [both, `dialogue-question:${id}`], [both, 'dialogue-blog:ministry-of-health']] as const) {
    assert.equal((await who.post('/ru/subscriptions', { topic, returnTo: path }, { from: path })).statusCode, 303)
  }
  const followed = async () => (await db.query<{ recipient: string; subject: string }>("select recipient, subject from outbox where kind = 'subscription' order by id"))

  const due = (await app.inject({ url: `/api/dialogue/questions/${id}` })).json().dueOn as string
  assert.equal((await act('extend', { to: addDays(due, 10), reason: { ru: 'Нужен запрос в другой орган' } })).statusCode, 200)
  assert.deepEqual((await followed()).map((m) => m.subject).sort(), [`Срок ответа на вопрос № ${id} продлён`, `№ ${id} сұрақтың жауап мерзімі ұзартылды`])
  assert.equal((await act('answer', { answer: { kk: 'Жауап.', ru: 'Ответ.' } })).statusCode, 200)
  const answered = (await followed()).slice(2)
  assert.equal(answered.length, 2, 'one mail each, though one follows the blog as well')
  assert.ok(answered.some((m) => m.subject === `Министерство здравоохранения ответил на вопрос № ${id}`))

  const followUp = await ask(citizen, { body: 'А когда именно?', followUpOf: String(id) })
  const followUpId = idOf(followUp.headers.location)
  await app.inject({ method: 'POST', url: `/api/dialogue/questions/${followUpId}/publish`, headers: { authorization: `Bearer ${staff}` } })
  const last = (await followed()).slice(4)
  assert.deepEqual(last.map((m) => m.subject).sort(), [`Новый вопрос в Министерство здравоохранения`, `№ ${id} сұраққа нақтылау сұрағы`], 'the reader of the question in Kazakh; the follower of both once, as a new question on the blog')
})

test('one Idempotency-Key sent three times at once makes one question and no server error; a key longer than kept is refused by name, in the form too', async (t) => {
  const { app, db, citizen, close } = await setup()
  t.after(close)
  const asker = await makeUser(db, undefined, undefined, { confirmed: true })
  const token = (await createApiToken(db, SYSTEM_ACTOR, asker.id, 'retries')).token
  const question = { agency: 'ministry-of-health', topic: 'health', body: 'Когда откроется поликлиника?', showName: false }
  const post = (key: string) => app.inject({ method: 'POST', url: '/api/dialogue/questions', payload: question, headers: { authorization: `Bearer ${token}`, 'accept-language': 'ru', 'idempotency-key': key } })
  const together = await Promise.all([1, 2, 3].map(() => post('at-once')))
  assert.deepEqual(together.map((r) => r.statusCode).sort(), [200, 200, 201], together.map((r) => r.body).join('\n'))
  assert.equal(new Set(together.map((r) => r.json().id)).size, 1)
  assert.equal((await db.query('select * from dialogue_questions')).length, 1)
  for (const length of [101, 200]) {
    const long = await post('k'.repeat(length))
    assert.equal(long.statusCode, 400, long.body)
    assert.deepEqual(long.json().errors.map((e: { field: string }) => e.field), ['idempotency-key'])
  }
  const form = await ask(citizen, { idempotencyKey: 'f'.repeat(101) })
  assert.equal(form.statusCode, 400)
  assert.equal((await db.query('select * from dialogue_questions')).length, 1, 'nothing more kept')
})

test('a hidden asker stays hidden: nothing is chosen for them, a follow-up keeps the choice whatever is sent, and their name is in no page, API answer, CSV or mail to others', async (t) => {
  const { app, db, citizen, close } = await setup()
  t.after(close)
  const secret = 'Жанар Құпиябекова'
  const hidden = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, displayName: secret, lang: 'ru' })
  const [{ email: askerEmail }] = await db.query<{ email: string }>('select email from users where display_name = $1', [secret]) as [{ email: string }]
  const staff = await editorToken(db, 'ministry-of-health')
  const act = (id: number, what: string, payload: object = {}) => app.inject({ method: 'POST', url: `/api/dialogue/questions/${id}/${what}`, payload, headers: { authorization: `Bearer ${staff}` } })

  const form = (await hidden.get('/ru/dialogue/ministry-of-health/ask')).body
  assert.match(form, /data-module="govuk-file-upload" data-i18n\.choose-files-button="Выберите файл" data-i18n\.no-file-chosen="Файл не выбран"/, 'file inputs speak the page\'s language')
  assert.match(form, /name="showName" type="radio" value="yes"/)
  assert.doesNotMatch(form, /name="showName"[^>]*checked/, 'no choice is made for the citizen')
  const unchosen = await ask(hidden, { showName: '' })
  assert.equal(unchosen.statusCode, 400)
  assert.match(unchosen.body, /href="#showName">Выберите, показывать ли ваше имя/)
  const asker = await makeUser(db, undefined, undefined, { confirmed: true })
  const token = (await createApiToken(db, SYSTEM_ACTOR, asker.id, 'x')).token
  const api = await app.inject({ method: 'POST', url: '/api/dialogue/questions', payload: { agency: 'ministry-of-health', topic: 'health', body: 'Вопрос?' }, headers: { authorization: `Bearer ${token}`, 'accept-language': 'ru' } })
  assert.equal(api.statusCode, 400)
  assert.deepEqual(api.json().errors.map((e: { field: string }) => e.field), ['showName'])
  assert.equal((await db.query('select * from dialogue_questions')).length, 0)

  const id = idOf((await ask(hidden, { showName: 'no', body: 'Почему в поликлинике нет терапевта?' })).headers.location)
  await act(id, 'publish')
  const reader = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, lang: 'ru' })
  const path = `/ru/dialogue/questions/${id}`
  for (const topic of [`dialogue-question:${id}`, 'dialogue-blog:ministry-of-health']) await reader.post('/ru/subscriptions', { topic, returnTo: path }, { from: path })
  await act(id, 'answer', { answer: { ru: 'Терапевт принят на работу.' } })

  const followUpForm = (await hidden.get(`/ru/dialogue/ministry-of-health/ask?followUpOf=${id}`)).body
  assert.doesNotMatch(followUpForm, /name="showName"/, 'a follow-up offers no other choice')
  assert.match(followUpForm, new RegExp(`Ваше имя не будет показано, как и у вопроса № ${id}`))
  const followUp = await ask(hidden, { followUpOf: String(id), showName: 'yes', body: 'А когда он начнёт приём?' })
  assert.equal(followUp.statusCode, 303, followUp.body.slice(0, 1000))
  const followUpId = idOf(followUp.headers.location)
  await act(followUpId, 'publish')
  const apiFollowUp = await app.inject({ method: 'POST', url: '/api/dialogue/questions', payload: { agency: 'ministry-of-health', topic: 'health', body: 'Ещё?', showName: true, followUpOf: id }, headers: { authorization: `Bearer ${token}` } })
  assert.equal(apiFollowUp.statusCode, 400, 'another person\'s question is not theirs to follow up')

  const everyone = [(url: string) => app.inject({ url }), (url: string) => reader.get(url), (url: string) => citizen.get(url)]
  const urls = [
    path, `/ru/dialogue/questions/${followUpId}`, `/kk/dialogue/questions/${followUpId}`, '/ru/dialogue/ministry-of-health', '/ru/dialogue', '/ru/dialogue?q=терапевт',
    '/ru/search?q=терапевт', '/ru/dialogue/statistics', '/ru/dialogue/statistics.csv', '/api/dialogue/questions', `/api/dialogue/questions/${id}`,
    `/api/dialogue/questions/${followUpId}`, '/api/dialogue/questions?agency=ministry-of-health', '/api/dialogue/blogs/ministry-of-health', '/api/dialogue/statistics',
  ]
  for (const url of urls) {
    for (const get of everyone) {
      const response = await get(url)
      assert.ok(response.statusCode < 400, `${url}: ${response.statusCode}`)
      assert.ok(!response.body.includes(secret) && !response.body.includes(askerEmail), `${url} names the hidden asker`)
    }
  }
  assert.match((await app.inject({ url: `/ru/dialogue/questions/${followUpId}` })).body, /Автор[\s\S]{0,200}Гражданин|гражданин/i)
  const staffEmails = (await db.query<{ email: string }>("select u.email from users u join role_grants r on r.user_id = u.id where r.role in ('agency-editor', 'agency-head')")).map((r) => r.email)
  const mails = await db.query<{ recipient: string; subject: string; body: string }>('select recipient, subject, body from outbox')
  const toOthers = mails.filter((m) => m.recipient !== askerEmail && !staffEmails.includes(m.recipient))
  assert.equal(toOthers.length, 2, 'the reader was mailed of the answer and of the follow-up')
  for (const mail of toOthers) assert.ok(!`${mail.subject}\n${mail.body}`.includes(secret), `a mail to ${mail.recipient} names the hidden asker`)
  assert.deepEqual((await db.query<{ show_name: boolean }>('select show_name from dialogue_questions order by id')).map((r) => r.show_name), [false, false])
})

test('a question its body leaves in moderation past its deadline is public as overdue, its text, files and asker withheld until it is published', async (t) => {
  const { app, db, editor, citizen, close } = await setup()
  t.after(close)
  const text = 'Почему в приёмном покое нет дежурного хирурга?'
  const id = idOf((await ask(citizen, { body: text }, [{ field: 'file1', name: 'фото.png', content: png() }])).headers.location)
  const path = `/ru/dialogue/questions/${id}`
  const [file] = await db.query<{ id: number }>('select id from dialogue_question_files where question_id = $1', [id])
  const fileUrl = `/dialogue/questions/${id}/files/${file!.id}/download`
  const listed = async () => ({
    page: (await app.inject({ url: '/ru/dialogue/ministry-of-health' })).body,
    overdue: (await app.inject({ url: '/ru/dialogue/ministry-of-health?state=overdue' })).body,
    api: ((await app.inject({ url: '/api/dialogue/questions?agency=ministry-of-health' })).json() as { items: Array<{ id: number; state: string; body: string | null }> }).items,
  })

  await db.query('update dialogue_questions set due_on = $2 where id = $1', [id, today()])
  assert.equal((await app.inject({ url: path })).statusCode, 404, 'on its last day it is still the body\'s to moderate')
  assert.deepEqual((await listed()).api, [])

  await db.query('update dialogue_questions set due_on = $2 where id = $1', [id, addDays(today(), -1)])
  const page = await app.inject({ url: path })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Просрочен[\s\S]*Гражданин[\s\S]*Госорган не опубликовал этот вопрос/)
  const { page: list, overdue, api } = await listed()
  for (const body of [page.body, list, overdue]) {
    assert.ok(!body.includes(text) && !body.includes('Айгерім Сапарова') && !body.includes('фото.png'), 'no text, asker or file')
  }
  assert.match(list, new RegExp(`Вопрос № ${id}[\\s\\S]*Не прошёл модерацию в срок`))
  assert.match(overdue, new RegExp(`Вопрос № ${id}`))
  assert.deepEqual(api.map((q) => [q.id, q.state, q.body]), [[id, 'overdue', null]])
  assert.deepEqual((await app.inject({ url: `/api/dialogue/questions/${id}` })).json().body, null)
  assert.equal((await app.inject({ url: fileUrl })).statusCode, 404)
  assert.doesNotMatch((await app.inject({ url: '/ru/dialogue?q=хирурга' })).body, new RegExp(`Вопрос № ${id}`), 'a withheld text is not searched')
  assert.doesNotMatch((await app.inject({ url: '/ru/search?q=хирурга' })).body, /приёмном покое/)
  assert.match((await citizen.get(path)).body, /приёмном покое/, 'its asker sees it whole')
  assert.match((await editor.get(path)).body, /приёмном покое/, 'so does its body')

  const published = await editor.post(`${path}/publish`, {}, { from: path })
  assert.equal(published.headers.location, `${path}?done=published&item=question#done`)
  assert.match((await editor.get(String(published.headers.location))).body, /<h1[^>]*>Вопрос № \d+<\/h1>\s*<p class="govuk-body ashyq-done" id="done" tabindex="-1" role="status"><strong>Вопрос опубликован\.<\/strong>/)
  assert.match((await app.inject({ url: path })).body, /Просрочен[\s\S]*Айгерім Сапарова[\s\S]*приёмном покое/)
  assert.equal((await app.inject({ url: fileUrl })).statusCode, 200)
})
