import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency, makeRegion } from '../../helpers/factories.ts'
import { editorToken, makeUser, signedInBrowser } from '../../helpers/users.ts'
import { createTestDb } from '../../helpers/db.ts'
import { checkedValues } from '../../helpers/checks.ts'
import type { Browser } from '../../helpers/forms.ts'
import { addDays, type Day } from '../../../src/platform/calendar/days.ts'
import { castBallot, closeEndedPolls, today } from '../../../src/modules/dialogue/polls/service.ts'
import { POLL_EVENT_KINDS, POLL_STATUSES, pollSql, pollState } from '../../../src/modules/dialogue/polls/states.ts'
import { findUser } from '../../../src/platform/auth/accounts.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'
import { I18n, LANGS } from '../../../src/platform/i18n/index.ts'

const SLUG = 'ministry-of-health'

async function setup() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: SLUG, name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    await makeAgency(db, { slug: 'ministry-of-finance' })
  })
  const { app, db } = testApp
  const editor = await signedInBrowser(app, db, 'agency-editor', SLUG, { confirmed: true })
  const citizen = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, lang: 'ru' })
  return { ...testApp, editor, citizen }
}

const FORM = `/ru/dialogue/${SLUG}/polls/new`
const POLL = {
  'title.kk': 'Емханалар сенбі күні жұмыс істеуі керек пе?', 'title.ru': 'Должны ли поликлиники работать по субботам?',
  'options.kk': 'Иә\nЖоқ\nТек таңертең', 'options.ru': 'Да\nНет\nТолько утром',
  choice: 'single', results: 'after-close', opensOn: today(), closesOn: addDays(today(), 10), regionCode: '',
}

async function publish(editor: Browser, fields: Record<string, string> = {}) {
  return editor.post(FORM, { ...POLL, ...fields }, { from: FORM })
}

const idOf = (location: unknown) => Number(/polls\/(\d+)/.exec(String(location))![1])

test('a body publishes a poll through its form; bad input is refused naming the field and stores nothing; no one else may publish', async (t) => {
  const { app, db, editor, citizen, close } = await setup()
  t.after(close)
  const follower = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, lang: 'kk' })
  await follower.post('/kk/subscriptions', { topic: `dialogue-blog:${SLUG}` }, { from: '/kk/account' })

  const bad = await publish(editor, { 'title.kk': '', 'options.ru': 'Да\nНет', opensOn: addDays(today(), -1), choice: 'any' })
  assert.equal(bad.statusCode, 400)
  assert.match(bad.body, /href="#title.kk">Напишите вопрос на казахском и русском/)
  assert.match(bad.body, /href="#options.ru">Укажите те же 3 варианта/)
  assert.match(bad.body, /href="#opensOn">Укажите первый день не раньше сегодняшнего/)
  assert.match(bad.body, /href="#choice">/)
  const short = await publish(editor, { 'options.kk': 'Иә', 'options.ru': 'Да' })
  assert.match(short.body, /href="#options.kk">Укажите не меньше двух/)
  // One step past each bound: the last day before the first, a run of 367 days.
  assert.match((await publish(editor, { opensOn: addDays(today(), 2), closesOn: addDays(today(), 1) })).body, /href="#closesOn">/)
  assert.match((await publish(editor, { closesOn: addDays(today(), 367) })).body, /href="#closesOn">/)
  assert.equal((await db.query('select 1 from dialogue_polls')).length, 0, 'a refused poll stores nothing')

  const other = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-finance', { confirmed: true })
  assert.equal((await other.get(FORM)).statusCode, 403, "another body's editor")
  assert.equal((await citizen.get(FORM)).statusCode, 403, 'a citizen')
  assert.equal((await other.post(FORM, POLL, { from: `/ru/dialogue/ministry-of-finance/polls/new` })).statusCode, 403)

  const published = await publish(editor, { closesOn: addDays(today(), 366), 'options.en': 'Yes\nNo\nMornings only' })
  assert.equal(published.statusCode, 303, published.body.slice(0, 1500))
  const id = idOf(published.headers.location)
  const page = (await app.inject({ url: `/ru/dialogue/polls/${id}` })).body
  assert.match(page, /Должны ли поликлиники работать по субботам\?/)
  assert.match(page, /govuk-tag--green[^>]*>Идёт/)
  assert.match(page, /Войдите, чтобы ответить/)
  assert.match((await app.inject({ url: `/kk/dialogue/${SLUG}` })).body, new RegExp(`href="/kk/dialogue/polls/${id}"`), 'the blog lists it')
  const [mail] = await db.query<{ subject: string; body: string }>("select subject, body from outbox where kind = 'subscription'")
  assert.match(mail!.subject, /Денсаулық сақтау министрлігі: сауалнама/)
  assert.match(mail!.body, /жылғы \d+ [а-яәғқңөұүһі]+(дан|ден|тан|тен|нан|нен) бастап .* дейін ашық/u, 'its days in the cases Kazakh puts them in')
  const [event] = await db.query<{ kind: string }>('select kind from dialogue_poll_events where poll_id = $1', [id])
  assert.equal(event!.kind, 'published')
})

test('a citizen with a confirmed address answers once; the counts stay the body\'s until the poll closes, then everyone reads them as a chart, a table, CSV and JSON', async (t) => {
  const { app, db, editor, citizen, close } = await setup()
  t.after(close)
  const id = idOf((await publish(editor)).headers.location)
  const page = `/ru/dialogue/polls/${id}`
  const options = (await db.query<{ id: string }>('select id::text from dialogue_poll_options where poll_id = $1 order by position', [id])).map((o) => o.id)

  const unconfirmed = await signedInBrowser(app, db)
  assert.equal((await unconfirmed.post(`${page}/ballot`, { option: options[0]! }, { from: page })).statusCode, 403)
  const none = await citizen.post(`${page}/ballot`, {}, { from: page })
  assert.equal(none.statusCode, 400)
  assert.match(none.body, /href="#choice">Выберите один вариант/)
  const two = await citizen.post(`${page}/ballot`, { option: [options[0]!, options[1]!] }, { from: page })
  assert.match(two.body, /href="#choice">Выберите один вариант/, 'one option in a single-choice poll')
  const foreign = await citizen.post(`${page}/ballot`, { option: '999999' }, { from: page })
  assert.equal(foreign.statusCode, 400, 'an option of no poll')
  assert.equal((await db.query('select 1 from dialogue_poll_ballots')).length, 0)
  assert.equal((await citizen.post(`${page}/ballot`, { option: options[1]! }, { csrf: false })).statusCode, 403, 'no CSRF token')

  const voted = await citizen.post(`${page}/ballot`, { option: options[1]! }, { from: page })
  assert.equal(voted.statusCode, 303)
  assert.equal(voted.headers.location, `${page}?done=voted&item=ballot#done`)
  const mine = (await citizen.get(String(voted.headers.location))).body
  assert.match(mine, /Ваш ответ: Нет\./)
  assert.doesNotMatch(mine, /name="option"/, 'no form to answer again in a poll that keeps its answers')
  const again = await citizen.post(`${page}/ballot`, { option: options[0]! }, { from: page })
  assert.equal(again.statusCode, 400)
  assert.match(again.body, /в этом опросе ответ изменить нельзя/)

  for (const lang of ['ru', 'kk'] as const) {
    const body = (await app.inject({ url: `/${lang}/dialogue/polls/${id}` })).body
    assert.doesNotMatch(body, /<figure class="ashyq-chart/, `no counts for the public while it runs (${lang})`)
  }
  assert.match((await app.inject({ url: page })).body, /Итоги опубликуют после окончания опроса/)
  assert.equal((await app.inject({ url: `${page}/results.csv` })).statusCode, 404)
  assert.deepEqual((await app.inject({ url: `/api/dialogue/polls/${id}` })).json().results, null)
  const staffView = (await editor.get(page)).body
  assert.match(staffView, /До окончания опроса эти итоги видит только ваш госорган/)
  assert.match(staffView, /1 ответ</)

  // After its last day it is closed, whether or not the job has run; the job records it and tells the blog's followers.
  const after = addDays(today(), 11) as Day
  assert.deepEqual(await closeEndedPolls(db, 'http://site', addDays(today(), 10) as Day), [], 'open through its last day')
  assert.deepEqual(await closeEndedPolls(db, 'http://site', after), [id])
  assert.deepEqual(await closeEndedPolls(db, 'http://site', after), [], 'closed once')
  const closed = (await app.inject({ url: page })).body
  assert.match(closed, /govuk-tag--grey[^>]*>Завершён/)
  assert.match(closed, /<figure class="ashyq-chart/)
  assert.match(closed, /<td[^>]*>Нет<\/td>\s*<td[^>]*>1<\/td>\s*<td[^>]*>100(,0)?\s?%<\/td>/)
  const csv = (await app.inject({ url: `${page}/results.csv` })).body
  assert.match(csv, /Да,0\r?\nНет,1\r?\nТолько утром,0/)
  const json = (await app.inject({ url: `/api/dialogue/polls/${id}` })).json()
  assert.equal(json.state, 'closed')
  assert.deepEqual(json.results.options.map((o: { votes: number }) => o.votes), [0, 1, 0])
  assert.equal(JSON.stringify(json).includes('@'), false, 'never who voted')
  assert.equal((await citizen.post(`${page}/ballot`, { option: options[0]! }, { from: page })).statusCode, 400, 'a closed poll takes no answer')
})

test('a poll may let answers change and show counts as they come; several options, own words the body reads, and one ballot per person whatever arrives at once', async (t) => {
  const { app, db, editor, citizen, close } = await setup()
  t.after(close)
  const id = idOf((await publish(editor, { choice: 'multiple', results: 'live', changeable: 'yes', freeText: 'yes' })).headers.location)
  const page = `/ru/dialogue/polls/${id}`
  const options = (await db.query<{ id: string }>('select id::text from dialogue_poll_options where poll_id = $1 order by position', [id])).map((o) => o.id)
  assert.equal((await citizen.post(`${page}/ballot`, { option: [options[0]!, options[2]!], text: '=HYPERLINK("http://evil")' }, { from: page })).statusCode, 303)
  assert.match((await app.inject({ url: page })).body, /<td[^>]*>Да<\/td>\s*<td[^>]*>1<\/td>/, 'live counts for everyone')
  const changed = await citizen.post(`${page}/ballot`, { option: options[1]!, text: '=HYPERLINK("http://evil") и ещё' }, { from: page })
  assert.equal(changed.statusCode, 303)
  assert.deepEqual((await db.query<{ option_id: string }>('select option_id::text from dialogue_poll_choices where poll_id = $1', [id])).map((r) => r.option_id), [options[1]])
  assert.equal((await db.query('select 1 from dialogue_poll_ballots where changed_at is not null')).length, 1)

  // Two first ballots of one person at once (two tabs): one ballot.
  const voter = await makeUser(db, undefined, undefined, { confirmed: true })
  const user = (await findUser(db, voter.id))!
  await Promise.allSettled([
    castBallot(db, { user, address: '10.0.0.1' }, id, { options: [Number(options[0])] }),
    castBallot(db, { user, address: '10.0.0.1' }, id, { options: [Number(options[2])] }),
  ])
  assert.equal((await db.query('select 1 from dialogue_poll_ballots where user_id = $1', [voter.id])).length, 1)
  assert.equal((await db.query('select 1 from dialogue_poll_choices where user_id = $1', [voter.id])).length, 1)

  // The voters' own words are the body's to read, as text a spreadsheet does not run.
  assert.equal((await citizen.get(`${page}/own-words.csv`)).statusCode, 403)
  const words = (await editor.get(`${page}/own-words.csv`)).body
  assert.match(words, /'=HYPERLINK/)
  assert.doesNotMatch((await app.inject({ url: page })).body, /HYPERLINK/, 'the public sees how many, not what')

  // The body withdraws it with a reason: no more answers, and its counts are the body's again.
  assert.equal((await citizen.post(`${page}/withdraw`, { 'reason.ru': 'Ошибка' }, { from: page })).statusCode, 403)
  const empty = await editor.post(`${page}/withdraw`, { 'reason.ru': ' ' }, { from: page })
  assert.equal(empty.statusCode, 400)
  assert.equal((await editor.post(`${page}/withdraw`, { 'reason.ru': 'В вариантах ошибка', 'reason.kk': 'Нұсқаларда қате бар' }, { from: page })).statusCode, 303)
  const withdrawn = (await app.inject({ url: page })).body
  assert.match(withdrawn, /Отозван госорганом: В вариантах ошибка/)
  assert.doesNotMatch(withdrawn, /<figure class="ashyq-chart/)
  assert.equal((await citizen.post(`${page}/ballot`, { option: options[0]! }, { from: page })).statusCode, 400)
  const [audit] = await db.query<{ before: { status: string }; after: { status: string } }>("select before, after from audit_log where action = 'dialogue.poll.withdraw'")
  assert.deepEqual([audit!.before.status, audit!.after.status], ['published', 'withdrawn'])
})

test('a poll for one region\'s residents asks where the voter lives, keeps it on their account, and refuses another region', async (t) => {
  const { app, db, editor, citizen, close } = await setup()
  t.after(close)
  const almaty = await makeRegion(db, { code: 'almaty-city', kind: 'city', name: { kk: 'Алматы қаласы', ru: 'город Алматы', en: 'Almaty' } })
  const other = await makeRegion(db)
  const id = idOf((await publish(editor, { regionCode: almaty.code })).headers.location)
  const page = `/ru/dialogue/polls/${id}`
  const kkPage = (await app.inject({ url: `/kk/dialogue/polls/${id}` })).body
  assert.match(kkPage, /Алматы қаласының тұрғындары үшін/)
  assert.match(kkPage, /Мерзімі: \d{4} жылғы \d+ [а-яәғқңөұүһі]+(дан|ден|тан|тен|нан|нен) бастап \d{4} жылғы \d+ [а-яәғқңөұүһі]+(ға|ге|қа|ке) дейін/u, 'its days in the cases Kazakh puts them in')
  const [option] = (await db.query<{ id: string }>('select id::text from dialogue_poll_options where poll_id = $1 order by position', [id])).map((o) => o.id)
  const unstated = await citizen.post(`${page}/ballot`, { option: option! }, { from: page })
  assert.match(unstated.body, /href="#regionCode">Укажите, где вы живёте/)
  const elsewhere = await citizen.post(`${page}/ballot`, { option: option!, regionCode: other.code }, { from: page })
  assert.match(elsewhere.body, /href="#regionCode">Этот опрос — для жителей другого региона/)
  assert.equal((await db.query('select 1 from users where region_code is not null')).length, 0, 'a refused ballot stores nothing')
  assert.equal((await citizen.post(`${page}/ballot`, { option: option!, regionCode: almaty.code }, { from: page })).statusCode, 303)
  assert.deepEqual((await db.query('select region_code from users where region_code is not null')), [{ region_code: almaty.code }])
  // The account page shows what is kept, and changes or clears it.
  assert.match((await citizen.get('/ru/account')).body, /id="residence"[\s\S]*<option value="almaty-city" selected>город Алматы/)
  const unknown = await citizen.post('/ru/account/residence', { regionCode: 'atlantis' }, { from: '/ru/account' })
  assert.equal(unknown.statusCode, 400)
  assert.match(unknown.body, /href="#regionCode">Выберите область или город из списка/)
  assert.equal((await citizen.post('/ru/account/residence', { regionCode: '' }, { from: '/ru/account' })).statusCode, 303)
  assert.equal((await db.query('select 1 from users where region_code is not null')).length, 0)
})

test('a poll\'s state is the same rule in TypeScript and SQL on the days around its first and last, and its tables take only the listed states and events, each told in kk, ru and en', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  const opensOn = '2027-03-10' as Day
  const closesOn = '2027-03-20' as Day
  for (const status of POLL_STATUSES) {
    for (const day of [addDays(opensOn, -1), opensOn, addDays(opensOn, 1), closesOn, addDays(closesOn, 1)] as Day[]) {
      const [row] = await db.query<{ state: string }>(`select ${pollSql.state('$1')} as state from (select $2::text as status, $3::date as opens_on, $4::date as closes_on) p`, [day, status, opensOn, closesOn])
      assert.equal(row!.state, pollState({ status, opensOn, closesOn }, day), `${status} on ${day}`)
    }
  }
  assert.equal(pollState({ status: 'published', opensOn, closesOn }, closesOn), 'open', 'open through its last day')
  assert.equal(pollState({ status: 'published', opensOn, closesOn }, addDays(closesOn, 1) as Day), 'closed')
  assert.deepEqual(await checkedValues(db, 'dialogue_polls_status'), [...POLL_STATUSES].sort())
  assert.deepEqual(await checkedValues(db, 'dialogue_poll_events_kind'), [...POLL_EVENT_KINDS].sort())
  const { catalogs } = new I18n()
  for (const lang of LANGS) {
    for (const kind of POLL_EVENT_KINDS) assert.ok(catalogs[lang][`dialogue.polls.events.${kind}`], `${kind} in ${lang}`)
    for (const status of POLL_STATUSES) assert.ok(catalogs[lang][`dialogue.polls.statuses.${status}`], `${status} in ${lang}`)
  }
})

test('through the API a body publishes a poll with its token and a citizen answers with theirs; the same rules answer 4xx naming the field', async (t) => {
  const { app, db, close } = await setup()
  t.after(close)
  const token = await editorToken(db, SLUG)
  const post = (url: string, payload: object, bearer: string) => app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${bearer}` } })
  const poll = {
    title: { kk: 'Сұрақ', ru: 'Вопрос' }, options: [{ kk: 'Иә', ru: 'Да', en: 'Yes' }, { kk: 'Жоқ', ru: 'Нет', en: 'No' }],
    choice: 'single', opensOn: today(), closesOn: addDays(today(), 5), resultsShown: 'live',
  }
  const partial = await post(`/api/dialogue/blogs/${SLUG}/polls`, { ...poll, options: [{ kk: 'Иә', ru: 'Да', en: 'Yes' }, { kk: 'Жоқ', ru: 'Нет' }] }, token)
  assert.equal(partial.statusCode, 400)
  assert.match(partial.body, /options\.en/, 'English for all options or none')
  const created = await post(`/api/dialogue/blogs/${SLUG}/polls`, poll, token)
  assert.equal(created.statusCode, 201, created.body)
  const { id, options } = created.json() as { id: number; options: Array<{ id: number; label: { en: string } }> }
  assert.deepEqual(options.map((o) => o.label.en), ['Yes', 'No'])

  const voter = await makeUser(db, undefined, undefined, { confirmed: true })
  const voterToken = (await createApiToken(db, SYSTEM_ACTOR, voter.id, 'poll')).token
  assert.equal((await app.inject({ method: 'POST', url: `/api/dialogue/polls/${id}/ballot`, payload: { options: [options[0]!.id] } })).statusCode, 401)
  const both = await post(`/api/dialogue/polls/${id}/ballot`, { options: [options[0]!.id, options[1]!.id] }, voterToken)
  assert.equal(both.statusCode, 400)
  assert.match(both.body, /choice/)
  assert.equal((await post(`/api/dialogue/polls/${id}/ballot`, { options: [options[1]!.id] }, voterToken)).statusCode, 200)
  const read = (await app.inject({ url: `/api/dialogue/polls/${id}` })).json() as { results: { ballots: number; options: Array<{ votes: number }> } }
  assert.deepEqual([read.results.ballots, ...read.results.options.map((o) => o.votes)], [1, 0, 1])
  assert.equal((await app.inject({ url: `/api/dialogue/polls?agency=${SLUG}` })).json().items.length, 1)
})
