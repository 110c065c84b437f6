import { test } from 'node:test'
import assert from 'node:assert/strict'
import { signedInBrowser } from '../../helpers/users.ts'
import { setup } from './fixture.ts'
import { addDays, kazakhstanDay } from '../../../src/platform/calendar/days.ts'
import { discussionFacts } from '../../../src/modules/budgets/discussions.ts'

const today = () => kazakhstanDay(new Date())
const fields = (overrides: Record<string, string> = {}) => ({
  kind: 'draft', code: '226 002',
  'title.kk': 'Дәрі-дәрмекпен қамтамасыз ету бағдарламасының жобасы', 'title.ru': 'Проект программы лекарственного обеспечения', 'title.en': '',
  'body.kk': 'Мақсаты: дәрі-дәрмектің қолжетімділігі.', 'body.ru': 'Цель: доступность лекарств.\nПоказатель: 95 % аптек с запасом.', 'body.en': '',
  opensOn: today(), closesOn: addDays(today(), 10), ...overrides,
})

test('a programme\'s administrator puts its draft up for discussion, a citizen comments, the body answers each comment in public; others are refused at the route', async (t) => {
  const { app, db, tokenOf, headers, close } = await setup()
  t.after(close)
  const staff = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-health')
  const programme = '/ru/budgets/republican-2026?dimension=administrative&code=226+002'
  const newForm = '/ru/budgets/republican-2026/discussions/new?code=226+002'
  assert.ok((await staff.get(programme)).body.includes(`href="${newForm.replaceAll('&', '&amp;')}"`), 'the programme\'s page offers its administrator the form')

  // Ten days from the day after the first (Civil Code art. 170): nine is one day short.
  const short = await staff.post('/ru/budgets/republican-2026/discussions/new', fields({ closesOn: addDays(today(), 9) }), { from: newForm })
  assert.equal(short.statusCode, 400)
  assert.match(short.body, new RegExp(`Обсуждение длится не менее 10 дней: его последний день — ${addDays(today(), 10)} или позже`))
  assert.match(short.body, /Проект программы лекарственного обеспечения/, 'what was typed is kept')
  const noRussian = await staff.post('/ru/budgets/republican-2026/discussions/new', fields({ 'body.ru': ' ' }), { from: newForm })
  assert.equal(noRussian.statusCode, 400)
  assert.match(noRussian.body, /Введите текст на этом языке/)
  const past = await staff.post('/ru/budgets/republican-2026/discussions/new', fields({ opensOn: addDays(today(), -1) }), { from: newForm })
  assert.match(past.body, /Обсуждение не может начаться раньше сегодняшнего дня/)
  assert.equal((await staff.post('/ru/budgets/republican-2026/discussions/new', fields(), { from: newForm, csrf: false })).statusCode, 403, 'no CSRF token')
  // Another body's staff, and a citizen, may not put up the health ministry's programme.
  const other = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-enlightenment')
  assert.equal((await other.post('/ru/budgets/republican-2026/discussions/new', fields(), { from: '/ru/budgets/republican-2026/discussions/new?code=225+001' })).statusCode, 403)
  const citizen = await signedInBrowser(app, db, undefined, undefined, { confirmed: true })
  assert.equal((await citizen.get(newForm)).statusCode, 403)
  const byApi = (token: string) => app.inject({ method: 'POST', url: '/api/budgets/discussions', headers: headers(token), payload: { budget: 'republican-2026', ...Object.fromEntries(Object.entries(fields()).filter(([k]) => !k.includes('.'))), title: { kk: 'а', ru: 'б' }, body: { kk: 'в', ru: 'г' } } })
  assert.equal((await byApi(await tokenOf())).statusCode, 403, 'a citizen\'s token')
  assert.equal((await byApi(await tokenOf('agency-editor', 'ministry-of-enlightenment'))).statusCode, 403, 'another body\'s token')
  assert.equal(Number((await db.query<{ n: string }>('select count(*) as n from budget_discussions'))[0]!.n), 0, 'nothing refused was kept')

  const opened = await staff.post('/ru/budgets/republican-2026/discussions/new', fields(), { from: newForm })
  assert.equal(opened.statusCode, 303, opened.body)
  const page = String(opened.headers.location)
  const id = /discussions\/(\d+)$/.exec(page)![1]!
  assert.match((await app.inject({ url: '/ru/budgets/discussions' })).body, new RegExp(`Идёт обсуждение[\\s\\S]*href="${page}"`))
  assert.ok((await app.inject({ url: programme })).body.includes(`href="${page}"`), 'the programme\'s page links to its discussion')
  assert.ok((await app.inject({ url: '/ru/budgets/bodies/ministry-of-health' })).body.includes(`href="${page}"`), 'so does its body\'s budgets page')

  // A citizen comments; the page offers them no answer form.
  const commented = await citizen.post('/ru/comments', { subjectType: 'budget-discussion', subjectId: id, body: 'Добавьте показатель по сельским аптекам', returnTo: page }, { from: page })
  assert.equal(commented.statusCode, 303, commented.body)
  const [comment] = await db.query<{ id: string }>('select id::text from comments order by id desc limit 1')
  const answerPath = `/ru/budgets/discussions/${id}/answers/${comment!.id}`
  assert.ok(!(await citizen.get(page)).body.includes(`action="${answerPath}"`))
  assert.equal((await citizen.post(answerPath, { body: 'Я и есть орган' }, { from: page })).statusCode, 403)
  assert.equal((await other.post(answerPath, { body: 'Не наш вопрос' }, { from: page })).statusCode, 403, 'another body\'s staff')

  // The body answers: an empty answer is refused at its comment, a real one published to everyone.
  assert.ok((await staff.get(page)).body.includes(`action="${answerPath}"`))
  const empty = await staff.post(answerPath, { body: '  ' }, { from: page })
  assert.equal(empty.statusCode, 400)
  assert.match(empty.body, /Введите ответ/)
  const answered = await staff.post(answerPath, { body: 'Показатель добавлен: доля сельских аптек с запасом.' }, { from: page })
  assert.equal(answered.statusCode, 303)
  assert.equal(answered.headers.location, `${page}?done=answered&item=comment-${comment!.id}#done`)
  const seen = (await app.inject({ url: page })).body
  assert.match(seen, /Ответ: Министерство здравоохранения[\s\S]*Показатель добавлен: доля сельских аптек с запасом\./)
  assert.match(seen, /1 комментарий, ответов: 1/)
  const json = (await app.inject({ url: `/api/budgets/discussions/${id}` })).json()
  assert.equal(json.discussion.answered, 1)
  assert.equal(json.comments[0].answer.body, 'Показатель добавлен: доля сельских аптек с запасом.')
  assert.equal(json.comments[0].answer.lang, 'ru')
  assert.match((await app.inject({ url: `/kk/budgets/discussions/${id}` })).body, /Жауап: Денсаулық сақтау министрлігі/)

  // The openness index's fact: of the comments on its discussions closing in a period, the share answered.
  const [{ agency }] = await db.query<{ agency: string }>("select id::text as agency from agencies where slug = 'ministry-of-health'") as [{ agency: string }]
  assert.deepEqual(await discussionFacts(db, Number(agency), today(), addDays(today(), 30)), { discussions: 1, comments: 1, answered: 1 })
})

test('a discussion takes comments from its first day to its last, Kazakhstan\'s days; the body answers once it has opened', async (t) => {
  const { app, db, tokenOf, headers, close } = await setup()
  t.after(close)
  const token = await tokenOf('agency-editor', 'ministry-of-health')
  const open = async (opensOn: string, closesOn: string) => {
    const response = await app.inject({
      method: 'POST', url: '/api/budgets/discussions', headers: headers(token),
      payload: { budget: 'republican-2026', code: '226 002', kind: 'report', title: { kk: 'Есеп', ru: 'Отчёт' }, body: { kk: 'Мәтін', ru: 'Текст' }, opensOn, closesOn },
    })
    assert.equal(response.statusCode, 201, response.body)
    return response.json().id as number
  }
  const upcoming = await open(addDays(today(), 1), addDays(today(), 11))
  const current = await open(today(), addDays(today(), 10))
  const citizen = await tokenOf()
  const comment = (id: number) => app.inject({ method: 'POST', url: '/api/comments', headers: headers(citizen), payload: { subjectType: 'budget-discussion', subjectId: String(id), body: 'Почему так мало?' } })
  assert.equal((await comment(upcoming)).statusCode, 400, 'not open before its first day')
  const taken = await comment(current)
  assert.equal(taken.statusCode, 201, 'open on its first day')
  const answer = (id: number, commentId: number) => app.inject({ method: 'PUT', url: `/api/budgets/discussions/${id}/answers/${commentId}`, headers: headers(token), payload: { body: 'Потому что так.', lang: 'ru' } })
  // Moved to open tomorrow (as if put up again): nothing is answered before a discussion opens.
  await db.query('update budget_discussions set opens_on = $1, closes_on = $2 where id = $3', [addDays(today(), 1), addDays(today(), 11), current])
  assert.equal((await answer(current, taken.json().id)).statusCode, 400)
  // Its last day passed: closed to comments, still answered.
  await db.query('update budget_discussions set opens_on = $1, closes_on = $2 where id = $3', [addDays(today(), -11), addDays(today(), -1), current])
  assert.equal((await comment(current)).statusCode, 400, 'closed the day after its last')
  assert.equal((await answer(current, taken.json().id)).statusCode, 204)
  assert.equal((await answer(upcoming, taken.json().id)).statusCode, 404, 'a comment of another discussion')
  assert.equal((await app.inject({ url: `/api/budgets/discussions?budget=republican-2026&open=true` })).json().discussions.length, 0)
  const list = (await app.inject({ url: '/ru/budgets/discussions' })).body
  assert.match(list, /Скоро начнутся[\s\S]*Завершены/)
})
