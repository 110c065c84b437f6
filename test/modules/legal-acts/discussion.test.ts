import { test } from 'node:test'
import assert from 'node:assert/strict'
import { legalActsSite } from './setup.ts'
import { Browser } from '../../helpers/forms.ts'
import { makeUser, signedInBrowser, TEST_PASSWORD } from '../../helpers/users.ts'
import type { Db } from '../../../src/platform/db/index.ts'
import { addDays } from '../../../src/platform/calendar/days.ts'
import { today } from '../../../src/modules/legal-acts/drafts/service.ts'
import { closeEndedDiscussions } from '../../../src/modules/legal-acts/drafts/lifecycle.ts'
import { DEFAULT_LEGAL_ACT_RULES } from '../../../src/platform/config.ts'
import { pdfPages, pdfStructure } from '../../helpers/pdf.ts'
import { holdTransactions } from '../../helpers/race.ts'

const TEXT = {
  'text.kk': 'Қағидалар\n1-тарау. Жалпы ережелер\n1. Парақ электрондық түрде беріледі.\n2. Парақ 3 жұмыс күні ішінде жабылады.',
  'text.ru': 'Правила\nГлава 1. Общие положения\n1. Лист выдаётся в электронном виде.\n2. Лист закрывается в течение 3 рабочих дней.',
}

const setup = legalActsSite

async function newDraft(editor: Browser, fields: Record<string, string> = {}) {
  const response = await editor.post('/ru/legal-acts/drafts/new', {
    agency: 'ministry-of-health', kind: 'order', topic: 'health', 'title.kk': 'Парақ беру қағидаларының жобасы', 'title.ru': 'Проект правил выдачи листа',
    'summary.ru': 'Электронные листы вместо бумажных', ...TEXT, ...fields,
  }, { from: '/ru/legal-acts/drafts/new' })
  assert.equal(response.statusCode, 303, response.body.slice(0, 2000))
  return Number(/drafts\/(\d+)$/.exec(String(response.headers.location))![1])
}

async function endDiscussion(db: Db, id: number) {
  await db.query("update legal_act_drafts set discussion_start = discussion_start - 30, discussion_end = $2 where id = $1", [id, addDays(today(), -1)])
  return closeEndedDiscussions(db, DEFAULT_LEGAL_ACT_RULES, 'http://site')
}

test('an editor prepares a draft and publishes it for at least the minimum period; the public sees it only then', async (t) => {
  const { app, db, editor, close } = await setup()
  t.after(close)
  const bad = await editor.post('/ru/legal-acts/drafts/new', { agency: 'ministry-of-health', kind: 'order', topic: 'health', 'title.kk': '', 'title.ru': 'Проект', 'text.kk': '1. Бір.', 'text.ru': '1. Один.\n2. Два.' }, { from: '/ru/legal-acts/drafts/new' })
  assert.equal(bad.statusCode, 400)
  assert.match(bad.body, /Введите название на казахском и на русском/)
  const mismatch = await editor.post('/ru/legal-acts/drafts/new', { agency: 'ministry-of-health', kind: 'order', topic: 'health', 'title.kk': 'Жоба', 'title.ru': 'Проект', 'text.kk': '1. Бір.', 'text.ru': '1. Один.\n2. Два.' }, { from: '/ru/legal-acts/drafts/new' })
  assert.equal(mismatch.statusCode, 400)
  assert.match(mismatch.body, /Главы и нумерованные пункты не совпадают с казахским текстом/)
  assert.equal((await db.query('select * from legal_act_drafts')).length, 0)

  const id = await newDraft(editor)
  assert.equal((await app.inject({ url: `/ru/legal-acts/drafts/${id}` })).statusCode, 404, 'in preparation, the public does not see it')
  assert.equal((await app.inject({ url: `/api/legal-acts/drafts/${id}` })).statusCode, 404)
  assert.doesNotMatch((await app.inject({ url: '/ru/legal-acts' })).body, /Проект правил выдачи листа/)

  // The period runs from the day after publication (Civil Code art. 170): ending on the ninth day after is one day short.
  const tooShort = await editor.post(`/kk/legal-acts/drafts/${id}/publish`, { end: addDays(today(), 9) }, { from: `/kk/legal-acts/drafts/${id}/publish` })
  assert.equal(tooShort.statusCode, 400)
  assert.match(tooShort.body, /Талқылау кемінде 10 күнтізбелік күнге созылуы керек/)
  const published = await editor.post(`/ru/legal-acts/drafts/${id}/publish`, { end: addDays(today(), 10) }, { from: `/ru/legal-acts/drafts/${id}/publish` })
  assert.equal(published.statusCode, 303)
  const page = await app.inject({ url: `/ru/legal-acts/drafts/${id}` })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /На обсуждении/)
  assert.match(page.body, /осталось 11 дней/, 'today, on which comments are taken already, and the ten days of the period')
  assert.match(page.body, /id="para_2"[\s\S]*?Лист закрывается в течение 3 рабочих дней/)
  assert.match((await app.inject({ url: '/ru/legal-acts?open=now' })).body, /Проект правил выдачи листа/)

  // Another body's editor cannot touch it; a citizen cannot open the forms.
  const other = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-finance')
  assert.equal((await other.get(`/ru/legal-acts/drafts/${id}/edit`)).statusCode, 403)
  assert.equal((await other.post(`/ru/legal-acts/drafts/${id}/withdraw`, { 'reason.ru': 'x' }, { from: '/ru/account' })).statusCode, 403)
  const citizen = await signedInBrowser(app, db)
  assert.equal((await citizen.get('/ru/legal-acts/drafts/new')).statusCode, 403)
  assert.equal((await citizen.get('/ru/legal-acts/mine')).statusCode, 403)
  // Each editor's work list holds their own bodies' drafts, by what is to be done next.
  assert.match((await editor.get('/ru/legal-acts/mine')).body, /На обсуждении \(1\)[\s\S]*Проект правил выдачи листа[\s\S]*осталось 11 дней<\/strong> · нет комментариев/)
  assert.doesNotMatch((await other.get('/ru/legal-acts/mine')).body, /Проект правил выдачи листа/)
  assert.equal((await citizen.post(`/ru/legal-acts/drafts/${id}/versions/new`, TEXT, { from: '/ru/account' })).statusCode, 403)
})

test('a draft setting a public service is discussed for at least 10 working days', async (t) => {
  const { editor, close } = await setup()
  t.after(close)
  const id = await newDraft(editor, { kind: 'public-service-standard', publicService: 'yes' })
  // Ten calendar days always hold fewer than ten working days.
  const tenDays = await editor.post(`/en/legal-acts/drafts/${id}/publish`, { end: addDays(today(), 9) }, { from: `/en/legal-acts/drafts/${id}/publish` })
  assert.equal(tenDays.statusCode, 400)
  assert.match(tenDays.body, /at least 10 working days/)
  const earliest = /choose (\d{4}-\d{2}-\d{2}) or later/.exec(tenDays.body)![1]!
  assert.equal((await editor.post(`/en/legal-acts/drafts/${id}/publish`, { end: addDays(earliest, -1) }, { from: `/en/legal-acts/drafts/${id}/publish` })).statusCode, 400, 'one day short')
  assert.equal((await editor.post(`/en/legal-acts/drafts/${id}/publish`, { end: earliest }, { from: `/en/legal-acts/drafts/${id}/publish` })).statusCode, 303)
})

test('citizens comment on a paragraph and vote while the discussion is open; it closes by itself, and then nobody can', async (t) => {
  const { app, db, editor, close } = await setup()
  t.after(close)
  const id = await newDraft(editor)
  await editor.post(`/ru/legal-acts/drafts/${id}/publish`, { end: addDays(today(), 12) }, { from: `/ru/legal-acts/drafts/${id}/publish` })
  const [{ id: versionId }] = await db.query<{ id: number }>('select id from legal_act_versions where draft_id = $1', [id]) as [{ id: number }]
  const citizen = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, displayName: 'Ольга' })
  const draftPage = `/ru/legal-acts/drafts/${id}`
  const page = await citizen.get(draftPage)
  assert.match(page.body, /Ваш комментарий к пункту 2/)
  assert.match(page.body, /data-module="govuk-character-count" data-maxlength="5000"[\s\S]*?id="comment-body-para_2"/, 'the comment box counts down to its limit')
  const posted = await citizen.post('/ru/comments', { subjectType: 'legal-act-version', subjectId: String(versionId), anchor: 'para_2', body: 'Предлагаю 5 рабочих дней.', key: 'k1', returnTo: draftPage }, { from: draftPage })
  assert.equal(posted.statusCode, 303)
  // Back at the new comment: its paragraph open, the message beside it, the fragment pointing at the message.
  const [{ id: commentId }] = await db.query<{ id: number }>('select id from comments') as [{ id: number }]
  assert.equal(posted.headers.location, `${draftPage}?done=commented&item=comment-${commentId}&at=para_2#done`)
  const landed = (await citizen.get(String(posted.headers.location))).body
  assert.match(landed, new RegExp(`id="para_2"[\\s\\S]*?<details[^>]*\\sopen>[\\s\\S]*?id="comment-${commentId}"[\\s\\S]*?<p class="govuk-body ashyq-done" id="done" tabindex="-1" role="status"><strong>Ваш комментарий опубликован\\.</strong>`))
  assert.equal([...landed.matchAll(/<details[^>]*\sopen>/g)].length, 1, 'only that paragraph is opened')
  const onParagraph = (await app.inject({ url: draftPage })).body
  assert.match(onParagraph, /id="para_2"[\s\S]*?1 комментарий к пункту 2[\s\S]*?Ольга[\s\S]*?lang="ru">Предлагаю 5 рабочих дней\./)
  assert.doesNotMatch(onParagraph, /<details[^>]*\sopen>|id="done"/, 'a plain visit opens nothing and says nothing')

  // A vote on the comment comes back to it too, in the reader's language.
  const reader = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, lang: 'kk' })
  const kkPage = `/kk/legal-acts/drafts/${id}`
  const voted = await reader.post('/kk/votes', { subjectType: 'comment', subjectId: String(commentId), value: '1', returnTo: kkPage }, { from: kkPage })
  assert.equal(voted.headers.location, `${kkPage}?done=voted&item=votes-comment-${commentId}&at=para_2#done`)
  assert.match((await reader.get(String(voted.headers.location))).body, new RegExp(`<details[^>]*\\sopen>[\\s\\S]*?id="comment-${commentId}"[\\s\\S]*?class="ashyq-votes">\\s*<p class="govuk-body ashyq-done" id="done"[^>]*><strong>Дауысыңыз есептелді\\.</strong>`))
  // A paragraph the text has not is refused.
  const wrong = await citizen.post('/ru/comments', { subjectType: 'legal-act-version', subjectId: String(versionId), anchor: 'para_9', body: 'x', key: 'k2', returnTo: draftPage }, { from: draftPage })
  assert.equal(wrong.statusCode, 400)

  assert.equal((await citizen.post('/ru/votes', { subjectType: 'legal-act', subjectId: String(id), value: '1', returnTo: draftPage }, { from: draftPage })).statusCode, 303)
  assert.equal((await citizen.post('/ru/votes', { subjectType: 'legal-act', subjectId: String(id), value: '1', returnTo: draftPage }, { from: draftPage })).statusCode, 303)
  assert.match((await app.inject({ url: draftPage })).body, /За: 1, против: 0/)

  assert.deepEqual(await endDiscussion(db, id), [id])
  assert.deepEqual(await closeEndedDiscussions(db, DEFAULT_LEGAL_ACT_RULES, 'http://site'), [], 'closed once')
  const closed = await citizen.post('/ru/comments', { subjectType: 'legal-act-version', subjectId: String(versionId), anchor: 'para_1', body: 'Поздно', key: 'k3', returnTo: draftPage }, { from: draftPage })
  assert.equal(closed.statusCode, 400)
  assert.match(closed.body, /обсуждение закрыто/)
  assert.equal((await citizen.post('/ru/votes', { subjectType: 'legal-act', subjectId: String(id), value: '-1', returnTo: draftPage }, { from: draftPage })).statusCode, 400)
  const after = (await app.inject({ url: draftPage })).body
  assert.match(after, /Обсуждение завершено/)
  assert.match(after, /Ответы до/)
  assert.match(after, /Приём комментариев закрыт/)
  // Its body's editor still moderates the closed thread: the link stands alone, without a reply link to follow.
  const moderated = (await editor.get(draftPage)).body
  assert.match(moderated, new RegExp(`<p class="govuk-body-s">\\s*<a class="govuk-link" href="/ru/comments/${commentId}/moderate`))
})

test('after the discussion the developer answers every proposal; the answers are published, told to their authors, and downloadable', async (t) => {
  const { app, db, editor, close } = await setup()
  t.after(close)
  const id = await newDraft(editor)
  await editor.post(`/ru/legal-acts/drafts/${id}/publish`, { end: addDays(today(), 12) }, { from: `/ru/legal-acts/drafts/${id}/publish` })
  const [{ id: versionId }] = await db.query<{ id: number }>('select id from legal_act_versions where draft_id = $1', [id]) as [{ id: number }]
  const author = await makeUser(db, undefined, undefined, { confirmed: true, lang: 'kk', displayName: 'Айгерім' })
  const authorBrowser = new Browser(app)
  await authorBrowser.post('/kk/sign-in', { email: author.email, password: TEST_PASSWORD })
  const draftPage = `/kk/legal-acts/drafts/${id}`
  for (const [anchor, body] of [['para_2', '5 жұмыс күнін ұсынамын'], ['', 'Жоба жақсы']] as const) {
    await authorBrowser.post('/kk/comments', { subjectType: 'legal-act-version', subjectId: String(versionId), anchor, body, key: body, returnTo: draftPage }, { from: draftPage })
  }
  const [first, second] = await db.query<{ id: number }>('select id from comments order by id')
  assert.equal((await editor.post(`/ru/legal-acts/drafts/${id}/proposals/${first!.id}/answer`, { decision: 'rejected', 'reason.ru': 'x' }, { from: `/ru/legal-acts/drafts/${id}` })).statusCode, 400, 'not while the discussion is open')
  await endDiscussion(db, id)

  const proposals = `/ru/legal-acts/drafts/${id}/proposals`
  const noReason = await editor.post(`/ru/legal-acts/drafts/${id}/proposals/${first!.id}/answer`, { decision: 'rejected' }, { from: proposals })
  assert.equal(noReason.statusCode, 400)
  assert.match(noReason.body, /Укажите обоснование/)
  const early = await editor.post(`/ru/legal-acts/drafts/${id}/answers/publish`, {}, { from: proposals })
  assert.equal(early.statusCode, 400)
  assert.match(early.body, /На 2 предложения ещё нет ответа/)
  assert.equal((await editor.post(`/ru/legal-acts/drafts/${id}/proposals/${first!.id}/answer`, { decision: 'partly', 'reason.ru': 'Срок увеличен до 4 дней', 'reason.kk': 'Мерзім 4 күнге ұзартылды' }, { from: proposals })).statusCode, 303)
  assert.equal((await editor.post(`/ru/legal-acts/drafts/${id}/proposals/${second!.id}/answer`, { decision: 'accepted' }, { from: proposals })).statusCode, 303)
  // Before they are published, the public sees the proposals, not the answers.
  assert.doesNotMatch((await app.inject({ url: proposals })).body, /Срок увеличен до 4 дней/)
  const otherEditor = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-finance')
  assert.equal((await otherEditor.post(`/ru/legal-acts/drafts/${id}/answers/publish`, {}, { from: proposals })).statusCode, 403)
  assert.equal((await editor.post(`/ru/legal-acts/drafts/${id}/answers/publish`, {}, { from: proposals })).statusCode, 303)

  const table = (await app.inject({ url: proposals })).body
  assert.match(table, /Принято частично[\s\S]*?Срок увеличен до 4 дней/)
  assert.match(table, /2 предложения: принято 1, частично 1, не принято 0/)
  const csv = await app.inject({ url: `${proposals}.csv` })
  assert.match(String(csv.headers['content-type']), /^text\/csv/)
  assert.match(csv.body, /^\ufeff№,Редакция,Пункт,Автор,Дата,Предложение,За,Против,Решение,Обоснование\n/)
  assert.match(csv.body, /,1,2,Айгерім,\d{4}-\d{2}-\d{2},5 жұмыс күнін ұсынамын,0,0,Принято частично,Срок увеличен до 4 дней\n/)
  const xlsx = await app.inject({ url: `${proposals}.xlsx` })
  const { default: Excel } = await import('exceljs')
  const book = new Excel.Workbook()
  await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
  const sheet = book.worksheets[0]!
  assert.equal(sheet.getRow(1).getCell(6).value, 'Предложение')
  assert.equal(typeof sheet.getRow(2).getCell(1).value, 'number', 'numbers as numbers')
  assert.ok(sheet.getRow(2).getCell(5).value instanceof Date, 'the day as a date')
  const pdf = await app.inject({ url: `/kk/legal-acts/drafts/${id}/proposals.pdf` })
  assert.equal(pdf.headers['content-type'], 'application/pdf')
  const [page, ...more] = await pdfPages(pdf.rawPayload)
  assert.equal(more.length, 0)
  assert.match(page!, /Ұсыныстар мен жауаптар: Парақ беру қағидаларының жобасы/)
  assert.match(page!, /Денсаулық сақтау министрлігі/)
  assert.match(page!, /Ұсыныстар: 2\. Қабылданды: 1, Ішінара қабылданды: 1, Қабылданбады: 0/)
  assert.match(page!, /5 жұмыс күнін ұсынамын[\s\S]*Ішінара[\s\S]*қабылданды[\s\S]*Мерзім 4 күнге ұзартылды/)
  assert.match(page!, /1 беттің 1-беті/)
  // Tagged for screen readers: the document's language, the title a heading, a real table with header cells.
  const { lang, roles } = await pdfStructure(pdf.rawPayload)
  assert.equal(lang, 'kk')
  assert.deepEqual(roles.slice(0, 5), ['Root', 'Document', 'H1', 'P', 'P'])
  assert.ok(roles.includes('Table'), roles.join(' '))
  const tagged = roles.slice(roles.indexOf('Table'))
  assert.deepEqual(tagged.slice(0, 12), ['Table', 'TR', ...Array(10).fill('TH')], 'the header row is ten header cells')
  assert.deepEqual(tagged.slice(12, 14), ['TR', 'TD'])
  for (const header of ['Редакция', 'Тармақ', 'Жақтайды', 'Негіздеме']) assert.ok(page!.includes(header), `the header "${header}" is whole, not broken inside the word`)
  assert.match(page!, /\d{4} жылғы \d{1,2} [а-яәғқңөұүһі]+/u, 'dates as the pages write them')
  const mails = await db.query<{ recipient: string; subject: string; body: string }>("select recipient, subject, body from outbox where kind = 'legal-act-answered' order by id")
  assert.equal(mails.length, 2)
  assert.equal(mails[0]!.recipient, author.email)
  assert.match(mails[0]!.subject, /ұсынысыңызға жауап/)
  assert.match(mails[0]!.body, /Шешім: Ішінара қабылданды\nМерзім 4 күнге ұзартылды/)

  const api = (await app.inject({ url: `/api/legal-acts/drafts/${id}/proposals` })).json() as { answersPublished: boolean; items: Array<{ paragraph: string | null; answer: { decision: string } | null }> }
  assert.equal(api.answersPublished, true)
  assert.deepEqual(api.items.map((p) => [p.paragraph, p.answer?.decision]), [['2', 'partly'], [null, 'accepted']])

  const adopted = await editor.post(`/ru/legal-acts/drafts/${id}/adopt`, { adoptedOn: today(), url: 'https://adilet.zan.kz/rus/docs/V2600000001', 'adoptedTitle.ru': 'Приказ № 1' }, { from: `/ru/legal-acts/drafts/${id}/adopt` })
  assert.equal(adopted.statusCode, 303)
  const done = (await app.inject({ url: `/ru/legal-acts/drafts/${id}` })).body
  assert.match(done, /Принят/)
  assert.match(done, /href="https:\/\/adilet\.zan\.kz\/rus\/docs\/V2600000001"[^>]*>Приказ № 1</)
  assert.match(done, /История[\s\S]*?Вынесен на обсуждение[\s\S]*?Обсуждение завершено[\s\S]*?Опубликованы ответы на 2 предложения[\s\S]*?Принят/)
})

test('a new version shows its changes word by word; comments stay with the version and paragraph they were written on', async (t) => {
  const { app, db, editor, close } = await setup()
  t.after(close)
  const id = await newDraft(editor)
  await editor.post(`/ru/legal-acts/drafts/${id}/publish`, { end: addDays(today(), 12) }, { from: `/ru/legal-acts/drafts/${id}/publish` })
  const [{ id: v1 }] = await db.query<{ id: number }>('select id from legal_act_versions where draft_id = $1', [id]) as [{ id: number }]
  const citizen = await signedInBrowser(app, db, undefined, undefined, { confirmed: true })
  await citizen.post('/ru/comments', { subjectType: 'legal-act-version', subjectId: String(v1), anchor: 'para_2', body: 'Срок мал', key: 'a', returnTo: `/ru/legal-acts/drafts/${id}` }, { from: `/ru/legal-acts/drafts/${id}` })

  const form = await editor.get(`/ru/legal-acts/drafts/${id}/versions/new`)
  assert.match(form.body, /Лист закрывается в течение 3 рабочих дней/, 'the form starts from the latest text')
  const versioned = await editor.post(`/ru/legal-acts/drafts/${id}/versions/new`, {
    'note.ru': 'Срок увеличен', 'text.kk': TEXT['text.kk'].replace('3 жұмыс', '5 жұмыс') + '\n3. Пациент көшірмесін алады.',
    'text.ru': TEXT['text.ru'].replace('3 рабочих', '5 рабочих') + '\n3. Пациент получает копию.',
  }, { from: `/ru/legal-acts/drafts/${id}/versions/new` })
  assert.equal(versioned.statusCode, 303)
  assert.equal(versioned.headers.location, `/ru/legal-acts/drafts/${id}/versions/2/changes`)
  const changes = (await app.inject({ url: `/ru/legal-acts/drafts/${id}/versions/2/changes` })).body
  assert.match(changes, /Изменено: 1\. Добавлено: 1\. Удалено: 0\./)
  assert.match(changes, /<del>3<\/del>[\s\S]*?<ins>5<\/ins>|<ins>5<\/ins>[\s\S]*?<del>3<\/del>/)
  assert.match(changes, /<ins>3\. Пациент получает копию\.<\/ins>/)

  const latest = (await app.inject({ url: `/ru/legal-acts/drafts/${id}` })).body
  assert.match(latest, /Редакция 2 из 2/)
  assert.match(latest, /К прежним редакциям написан 1 комментарий/)
  assert.doesNotMatch(latest, /Срок мал/)
  const first = (await app.inject({ url: `/ru/legal-acts/drafts/${id}/versions/1` })).body
  assert.match(first, /Это редакция 1; последняя — редакция 2/)
  assert.match(first, /id="para_2"[\s\S]*?Срок мал/)
  // Comments are taken on the latest version only.
  const onOld = await citizen.post('/ru/comments', { subjectType: 'legal-act-version', subjectId: String(v1), body: 'x', key: 'b', returnTo: '/ru/legal-acts' }, { from: '/ru/legal-acts' })
  assert.equal(onOld.statusCode, 400)
})

test('a draft can be withdrawn with a reason, and an adopted or withdrawn draft cannot be changed', async (t) => {
  const { app, editor, close } = await setup()
  t.after(close)
  const id = await newDraft(editor)
  await editor.post(`/ru/legal-acts/drafts/${id}/publish`, { end: addDays(today(), 12) }, { from: `/ru/legal-acts/drafts/${id}/publish` })
  const noReason = await editor.post(`/ru/legal-acts/drafts/${id}/withdraw`, {}, { from: `/ru/legal-acts/drafts/${id}/withdraw` })
  assert.equal(noReason.statusCode, 400)
  assert.match(noReason.body, /Укажите причину на казахском или русском/)
  assert.equal((await editor.post(`/ru/legal-acts/drafts/${id}/withdraw`, { 'reason.ru': 'Будет переработан' }, { from: `/ru/legal-acts/drafts/${id}/withdraw` })).statusCode, 303)
  const page = (await app.inject({ url: `/ru/legal-acts/drafts/${id}` })).body
  assert.match(page, /Отозван[\s\S]*?Будет переработан/)
  const again = await editor.post(`/ru/legal-acts/drafts/${id}/versions/new`, TEXT, { from: `/ru/legal-acts/drafts/${id}` })
  assert.equal(again.statusCode, 400)
  assert.match(again.body, /Принятый или отозванный проект изменить нельзя/)
})

test('an adoption and a withdrawal sent at once: exactly one is done and audited, the other answers 409 with the state the draft is in', async (t) => {
  const { db, editor, close } = await setup()
  t.after(close)
  const id = await newDraft(editor)
  await editor.post(`/ru/legal-acts/drafts/${id}/publish`, { end: addDays(today(), 12) }, { from: `/ru/legal-acts/drafts/${id}/publish` })
  await endDiscussion(db, id)
  // No proposals: the answers are published at once, and the draft waits for its adoption.
  assert.equal((await editor.post(`/ru/legal-acts/drafts/${id}/answers/publish`, {}, { from: `/ru/legal-acts/drafts/${id}/proposals` })).statusCode, 303)
  const statusOf = async () => (await db.query<{ status: string }>('select status from legal_act_drafts where id = $1', [id]))[0]?.status
  assert.equal(await statusOf(), 'answered')

  // Both requests read the draft as answered before either writes, as on two servers.
  const release = holdTransactions(db)
  t.after(release)
  const [adopted, withdrawn] = await Promise.all([
    editor.post(`/ru/legal-acts/drafts/${id}/adopt`, { adoptedOn: today(), url: 'https://adilet.zan.kz/rus/docs/V2600000001', 'adoptedTitle.ru': 'Приказ № 1' }, { from: `/ru/legal-acts/drafts/${id}/adopt` }),
    editor.post(`/ru/legal-acts/drafts/${id}/withdraw`, { 'reason.ru': 'Будет переработан' }, { from: `/ru/legal-acts/drafts/${id}/withdraw` }),
  ])
  release()
  assert.deepEqual([adopted.statusCode, withdrawn.statusCode].sort(), [303, 409])
  const status = await statusOf()
  const lost = adopted.statusCode === 409 ? adopted : withdrawn
  assert.match(lost.body, /Это уже изменили/)
  assert.match(lost.body, status === 'adopted' ? /Сейчас её состояние: Принят\./ : /Сейчас её состояние: Отозван\./, 'the state it is in now is said, in words')
  assert.doesNotMatch(lost.body, /status:|govuk-error-summary/, 'not as a form\'s error named by its field')
  assert.match(lost.body, new RegExp(`href="/ru/legal-acts/drafts/${id}">Открыть её снова`), 'and it leads back to the draft')
  const audited = await db.query("select 1 from audit_log where entity = 'legal-act' and entity_id = $1 and action in ('legal-act.adopt', 'legal-act.withdraw')", [String(id)])
  const events = await db.query<{ kind: string }>("select kind from legal_act_events where draft_id = $1 and kind in ('adopted', 'withdrawn')", [id])
  assert.equal(audited.length, 1, 'only the one done is audited')
  assert.deepEqual(events.map((e) => e.kind), [status])
})

test('a draft\'s page offers its body\'s staff the steps its state allows, and the services refuse the rest by the same table: another body\'s editor, a withdrawn draft', async (t) => {
  const { app, db, editor, close } = await setup()
  t.after(close)
  const id = await newDraft(editor)
  const page = `/ru/legal-acts/drafts/${id}`
  // The links of the staff's navigation (the public's link to the proposals is outside it).
  const steps = async (who: Browser) => [...((await who.get(page)).body.split('</nav>').find((part) => part.includes('class="govuk-body" aria-label'))?.split('class="govuk-body" aria-label')[1] ?? '').matchAll(new RegExp(`href="/ru/legal-acts/drafts/${id}/(edit|versions/new|publish|proposals|adopt|withdraw)"`, 'g'))].map((m) => m[1]).sort()
  assert.deepEqual(await steps(editor), ['edit', 'publish', 'versions/new', 'withdraw'], 'in preparation')
  const other = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-finance')
  assert.equal((await other.post(`${page}/withdraw`, { 'reason.ru': 'Не наш' }, { from: `${page}/withdraw` })).statusCode, 403, 'another body\'s editor, in preparation')
  await editor.post(`${page}/publish`, { end: addDays(today(), 12) }, { from: `${page}/publish` })
  assert.deepEqual(await steps(editor), ['edit', 'versions/new', 'withdraw'], 'in discussion: no second publication')
  assert.deepEqual(await steps(other), [], 'another body\'s editor reads it, and takes no step')
  assert.equal((await other.post(`${page}/withdraw`, { 'reason.ru': 'Не наш' }, { from: `${page}/withdraw` })).statusCode, 403)
  assert.equal((await editor.post(`${page}/withdraw`, { 'reason.ru': 'Будет переработан' }, { from: `${page}/withdraw` })).statusCode, 303)
  assert.deepEqual(await steps(editor), [], 'a withdrawn draft takes no step')
  const edited = await editor.post(`${page}/edit`, { agency: 'ministry-of-health', kind: 'order', topic: 'health', 'title.ru': 'Другое название', ...TEXT }, { from: `${page}/edit` })
  assert.equal(edited.statusCode, 400, 'nor is it edited')
})
