import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'
import { makeAgency, makeRegion } from '../../helpers/factories.ts'
import { makeUser, signedInBrowser, TEST_PASSWORD } from '../../helpers/users.ts'
import { Browser } from '../../helpers/forms.ts'
import { addDays, type Day } from '../../../src/platform/calendar/days.ts'
import { DEFAULT_PETITION_RULES, type PetitionRules } from '../../../src/modules/dialogue/petitions/rules.ts'
import { today } from '../../../src/modules/dialogue/petitions/service.ts'

// Small numbers, as configuration gives them: listed at 2 signatures, supported at 3.
const RULES: PetitionRules = { ...DEFAULT_PETITION_RULES, publicAt: 2, governmentSignatures: 3 }
const SLUG = 'ministry-of-health'

async function setup() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: SLUG, name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    const region = await makeRegion(db, { code: 'abai', name: { kk: 'Абай облысы', ru: 'область Абай', en: 'Abai Region' } })
    await db.query("update regions set population = 605000, centre_lon = 80.23, centre_lat = 50.41 where code = 'abai'")
    await makeAgency(db, { slug: 'akimat-abai', kind: 'local', regionCode: region.code })
  }, { petitions: RULES })
  const { app, db } = testApp
  const citizen = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, lang: 'ru' })
  const moderator = await signedInBrowser(app, db, 'admin', undefined, { confirmed: true })
  const staff = await signedInBrowser(app, db, 'agency-editor', SLUG, { confirmed: true })
  return { ...testApp, citizen, moderator, staff }
}

const NEW = '/ru/dialogue/petitions/new'
const FIELDS = { agency: SLUG, level: 'government', title: 'Бесплатные анализы для детей', request: 'Сделать анализы для детей бесплатными', body: 'Сейчас они платные.', lang: 'ru', showName: 'yes' }
const idOf = (location: unknown) => Number(/petitions\/(\d+)/.exec(String(location))![1])

async function draft(citizen: Browser, fields: Record<string, string> = {}) {
  return citizen.post(NEW, { ...FIELDS, ...fields }, { from: `${NEW}?agency=${SLUG}` })
}

test('a citizen drafts a petition through its two-step form, reads it alone, submits it; bad input is refused naming the field and stores nothing', async (t) => {
  const { app, db, citizen, moderator, close } = await setup()
  t.after(close)
  // The first step lists the bodies; the second offers the levels the body takes, each with the signatures it needs.
  const first = await citizen.get(NEW)
  assert.match(first.body, /<select[^>]*name="agency"/)
  const regional = (await citizen.get('/ru/dialogue/petitions/new?agency=akimat-abai')).body
  assert.match(regional, /value="regional-akimat"/)
  assert.doesNotMatch(regional, /value="government"/, 'an akimat takes no petition to the Government')
  assert.match(regional, /Нужно 6\s050 подписей/, '1% of 605,000')
  assert.match(regional, /Нужно 12\s100 подписей/, '2% for its maslikhat')
  assert.equal((await citizen.get('/ru/dialogue/petitions/new?agency=no-such-body')).statusCode, 400)
  const anonymous = await app.inject({ url: NEW })
  assert.equal(anonymous.statusCode, 303, 'signed in to start one')
  assert.match(String(anonymous.headers.location), /sign-in/)

  const bad = await draft(citizen, { title: '', request: '', showName: '', level: 'regional-akimat' })
  assert.equal(bad.statusCode, 400)
  assert.match(bad.body, /href="#title">Напишите название петиции/)
  assert.match(bad.body, /href="#request">Напишите, что петиция просит сделать/)
  assert.match(bad.body, /href="#level">Этот госорган не принимает петиции этого уровня/)
  assert.match(bad.body, /href="#showName">Выберите, показывать ли ваше имя как автора петиции/)
  assert.equal((await db.query('select 1 from dialogue_petitions')).length, 0, 'a refused petition stores nothing')
  assert.equal((await citizen.post(NEW, FIELDS, { csrf: false })).statusCode, 403, 'no CSRF token')

  const drafted = await draft(citizen)
  assert.equal(drafted.statusCode, 303)
  const id = idOf(drafted.headers.location)
  const page = `/ru/dialogue/petitions/${id}`
  assert.equal(drafted.headers.location, `${page}?done=drafted&item=petition#done`)
  const own = (await citizen.get(String(drafted.headers.location))).body
  assert.match(own, /Черновик сохранён/)
  assert.match(own, /Отправить на модерацию/)
  for (const reader of [undefined, moderator]) {
    const response = reader ? await reader.get(page) : await app.inject({ url: page })
    assert.equal(response.statusCode, reader ? 200 : 404, 'a draft is its author\'s, and moderators\'')
  }
  assert.doesNotMatch((await moderator.get(page)).body, /action="\/ru\/dialogue\/petitions\/\d+\/publish"/, 'a draft is not moderated')
  const other = await signedInBrowser(app, db, undefined, undefined, { confirmed: true })
  assert.equal((await other.post(`${page}/submit`, {}, { from: '/ru/dialogue/petitions' })).statusCode, 404, 'another\'s draft is not found')

  const submitted = await citizen.post(`${page}/submit`, {}, { from: page })
  assert.equal(submitted.headers.location, `${page}?done=submitted&item=petition#done`)
  const waiting = (await citizen.get(page)).body
  assert.match(waiting, /govuk-tag--yellow[^>]*>На модерации/)
  assert.doesNotMatch(waiting, /Отправить на модерацию/)
  assert.equal((await citizen.post(`${page}/submit`, {}, { from: page })).statusCode, 400, 'submitted once')
  assert.match((await citizen.get('/ru/dialogue/petitions/mine')).body, new RegExp(`href="/ru/dialogue/petitions/${id}"`))
})

test('a moderator publishes or rejects from the queue; citizens sign once with their region, the count lists it and supports it, the map and table follow; the body discusses and answers', async (t) => {
  const { app, db, citizen, moderator, staff, close } = await setup()
  t.after(close)
  const id = idOf((await draft(citizen)).headers.location)
  const page = `/ru/dialogue/petitions/${id}`
  await citizen.post(`${page}/submit`, {}, { from: page })

  assert.equal((await citizen.get('/ru/dialogue/petitions/moderation')).statusCode, 403, 'the queue is the moderators\'')
  assert.equal((await staff.get('/ru/dialogue/petitions/moderation')).statusCode, 403, 'the addressed body does not moderate')
  assert.match((await moderator.get('/ru/dialogue/petitions/moderation')).body, new RegExp(`href="/ru/dialogue/petitions/${id}"`))
  assert.equal((await staff.post(`${page}/publish`, {}, { from: page })).statusCode, 404, 'nor publish: the petition is not its to read yet')
  const noReason = await moderator.post(`${page}/reject`, { reason: '' }, { from: page })
  assert.equal(noReason.statusCode, 400)
  assert.match(noReason.body, /href="#reason">Выберите причину из списка/)
  const published = await moderator.post(`${page}/publish`, {}, { from: page })
  assert.equal(published.headers.location, `${page}?done=petitionPublished&item=petition#done`)

  // By its link alone until it has 2 signatures: not in the list yet.
  assert.match((await app.inject({ url: page })).body, /Опубликована: по ссылке/)
  assert.doesNotMatch((await app.inject({ url: '/ru/dialogue/petitions' })).body, new RegExp(`petitions/${id}"`))
  assert.match((await app.inject({ url: page })).body, /Войдите, чтобы подписать петицию/)

  const unconfirmed = await signedInBrowser(app, db)
  assert.equal((await unconfirmed.post(`${page}/sign`, {}, { from: page })).statusCode, 403, 'a confirmed address signs')
  const badRegion = await citizen.post(`${page}/sign`, { regionCode: 'atlantis' }, { from: page })
  assert.equal(badRegion.statusCode, 400)
  assert.equal((await citizen.post(`${page}/sign`, { regionCode: 'abai' }, { csrf: false })).statusCode, 403, 'no CSRF token')
  assert.equal((await db.query('select 1 from dialogue_petition_signatures')).length, 0)

  const signed = await citizen.post(`${page}/sign`, { regionCode: 'abai', showName: 'yes' }, { from: page })
  assert.equal(signed.headers.location, `${page}?done=signed&item=signature#done`)
  const mine = (await citizen.get(page)).body
  assert.match(mine, /Вы подписали эту петицию/)
  assert.doesNotMatch(mine, /action="\/ru\/dialogue\/petitions\/\d+\/sign"/, 'signed once: no form again')
  await citizen.post(`${page}/sign`, { regionCode: 'abai' }, { from: page })
  assert.equal((await db.query('select signatures from dialogue_petitions where id = $1', [id]))[0]?.signatures, 1, 'once per account: the same again changes nothing')

  const second = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, lang: 'ru' })
  await second.post(`${page}/sign`, { follow: 'yes' }, { from: page })
  assert.equal((await db.query('select 1 from subscriptions where topic = $1', [`dialogue-petition:${id}`])).length, 1, 'the signer asked to be told')
  const listed = (await app.inject({ url: '/ru/dialogue/petitions' })).body
  assert.match(listed, new RegExp(`petitions/${id}"`), 'listed at its number')
  const readers = (await app.inject({ url: page })).body
  assert.match(readers, /2 подписи из 3 нужных/)
  assert.match(readers, /<figure class="ashyq-chart ashyq-chart--map"/)
  assert.match(readers, /1\. область Абай<\/td>\s*<td[^>]*>1<\/td>\s*<td[^>]*>50\s?%<\/td>/)
  assert.match(readers, /Не указан<\/td>\s*<td[^>]*>1<\/td>/)
  assert.match((await app.inject({ url: `${page}/regions.csv` })).body, /abai,область Абай,1/)
  const fresh = await app.inject({ url: '/ru/dialogue/petitions/new.atom' })
  assert.match(String(fresh.headers['content-type']), /application\/atom\+xml/)
  assert.match(fresh.body, new RegExp(`<link href="http[^"]*/ru/dialogue/petitions/${id}"`))
  assert.match(fresh.body, /Бесплатные анализы для детей/)

  const third = await signedInBrowser(app, db, undefined, undefined, { confirmed: true })
  await third.post(`${page}/sign`, { regionCode: 'abai' }, { from: page })
  const supported = (await app.inject({ url: page })).body
  assert.match(supported, /govuk-tag--purple[^>]*>На рассмотрении/)
  const told = (await db.query<{ subject: string }>("select subject from outbox where kind in ('petition-supported', 'subscription') order by id")).map((m) => m.subject)
  assert.equal(told.length, 3, 'its author, its body\'s staff and its follower are told, once each')
  assert.ok(told.includes('Петиция, за которой вы следите, набрала нужные подписи'))

  // Its body's staff discuss and answer; another body's, a citizen, neither.
  const others = await signedInBrowser(app, db, 'agency-editor', 'akimat-abai', { confirmed: true })
  assert.equal((await others.post(`${page}/discuss`, {}, { from: page })).statusCode, 403)
  assert.equal((await citizen.post(`${page}/answer`, { 'decision.ru': 'Нет' }, { from: page })).statusCode, 403)
  assert.match((await staff.get(page)).body, /Открыть публичное обсуждение/)
  assert.equal((await staff.post(`${page}/discuss`, {}, { from: page })).headers.location, `${page}?done=discussionOpened&item=petition#done`)
  const empty = await staff.post(`${page}/answer`, { 'decision.ru': ' ' }, { from: page })
  assert.equal(empty.statusCode, 400)
  assert.match(empty.body, /href="#decision.ru">Напишите решение на казахском или русском/)
  await staff.post(`${page}/answer`, { 'decision.ru': 'Анализы станут бесплатными с 1 июля.' }, { from: page })
  const answered = (await app.inject({ url: page })).body
  assert.match(answered, /govuk-tag--green[^>]*>Рассмотрена/)
  assert.match(answered, /Анализы станут бесплатными с 1 июля\./)
  assert.match((await app.inject({ url: '/ru/dialogue/petitions?list=answered' })).body, new RegExp(`petitions/${id}"`))
  assert.match((await app.inject({ url: '/ru/dialogue/petitions/answered.atom' })).body, /Решение: Анализы станут бесплатными с 1 июля\./)
  assert.doesNotMatch((await app.inject({ url: '/ru/dialogue/petitions/new.atom' })).body, /Бесплатные анализы/, 'no longer collecting')
  const figures = (await app.inject({ url: `/api/dialogue/petitions/statistics?from=${today().slice(0, 4)}-01-01&to=${today()}` })).json()
  const health = figures.bodies.find((b: { agency: { slug: string } }) => b.agency.slug === SLUG)
  assert.deepEqual({ received: health.received, published: health.published, supported: health.supported, answered: health.answered, answeredOnTime: health.answeredOnTime, overdue: health.overdue, signatures: health.signatures },
    { received: 1, published: 1, supported: 1, answered: 1, answeredOnTime: 1, overdue: 0, signatures: 3 })
  assert.match((await app.inject({ url: '/ru/dialogue/petitions/statistics' })).body, /Министерство здравоохранения<\/td>/)
  const history = (await app.inject({ url: '/kk/dialogue/petitions/' + id })).body
  assert.match(history, /Шешім жарияланды/)
})

test('a moderator rejects with a reason its author reads in their language; a petition not moderated in time is public as overdue with its text withheld', async (t) => {
  const { app, db, citizen, moderator, close } = await setup()
  t.after(close)
  const id = idOf((await draft(citizen)).headers.location)
  const page = `/ru/dialogue/petitions/${id}`
  await citizen.post(`${page}/submit`, {}, { from: page })
  // Its deadline passed yesterday: everyone sees that it waits, no one but its author and moderators what it says.
  await db.query('update dialogue_petitions set moderation_due = $2 where id = $1', [id, addDays(today(), -1) as Day])
  const overdue = (await app.inject({ url: page })).body
  assert.match(overdue, /Петиция № \d+: модерация просрочена/)
  assert.doesNotMatch(overdue, /Бесплатные анализы/)
  assert.match((await app.inject({ url: '/ru/dialogue/petitions?list=moderation-overdue' })).body, new RegExp(`petitions/${id}"`))
  assert.match((await citizen.get(page)).body, /Бесплатные анализы/, 'its author reads it whole')
  // The day of its deadline it is not overdue.
  await db.query('update dialogue_petitions set moderation_due = $2 where id = $1', [id, today()])
  assert.equal((await app.inject({ url: page })).statusCode, 404)

  const rejected = await moderator.post(`${page}/reject`, { reason: 'state-language', note: 'По закону.' }, { from: page })
  assert.equal(rejected.headers.location, `${page}?done=petitionRejected&item=petition#done`)
  assert.match((await citizen.get(page)).body, /Не опубликована: она касается государственного языка\. По закону\./)
  assert.equal((await app.inject({ url: page })).statusCode, 404, 'a rejected petition is its author\'s alone')
  const [mail] = await db.query<{ subject: string }>("select subject from outbox where kind = 'petition-rejected'")
  assert.equal(mail?.subject, 'Ваша петиция не опубликована')
})

test('moderators see the signatures that crowd into one address or domain and strike them off with a reason; the count follows', async (t) => {
  const { app, db, citizen, moderator, close } = await setup()
  t.after(close)
  const id = idOf((await draft(citizen)).headers.location)
  const page = `/ru/dialogue/petitions/${id}`
  await citizen.post(`${page}/submit`, {}, { from: page })
  await moderator.post(`${page}/publish`, {}, { from: page })
  await db.query("update dialogue_petitions set signatures_needed = 100000 where id = $1", [id])
  // Twenty-five signatures from one address on one domain, in an hour.
  for (let i = 0; i < 25; i += 1) {
    // Each signs in from an address of its own (sign-ins are limited per address), then signs from the one.
    const user = await makeUser(db, undefined, undefined, { confirmed: true })
    const signer = new Browser(app, '203.0.113.7')
    const signIn = new Browser(app, `198.51.100.${i + 1}`)
    await signIn.post('/en/sign-in', { email: user.email, password: TEST_PASSWORD })
    for (const [name, value] of signIn.cookies) signer.cookies.set(name, value)
    assert.equal((await signer.post(`${page}/sign`, {}, { from: page })).statusCode, 303)
  }
  await db.query("update users set email = 'farm' || id || '@burst.example' where id in (select user_id from dialogue_petition_signatures)")
  // Thirty more accounts on the same domain, from addresses of their own (written as signing writes them).
  await db.query(`with farm as (insert into users (email, password_hash, email_confirmed_at) select 'farm-extra' || g || '@burst.example', 'x', now() from generate_series(1, 30) g returning id)
    insert into dialogue_petition_signatures (petition_id, user_id, address_hash) select $1, id, md5(id::text) from farm`, [id])
  await db.query('update dialogue_petitions set signatures = signatures + 30 where id = $1', [id])
  assert.doesNotMatch((await citizen.get(page)).body, /Подписи под наблюдением/, 'the watch is the moderators\'')
  const watched = (await moderator.get(page)).body
  assert.match(watched, /Подписи под наблюдением/)
  const address = /value="address:([0-9a-f]+)"/.exec(watched)?.[1]
  assert.ok(address, 'the address, hashed')
  assert.doesNotMatch(watched, /203\.0\.113\.7/, 'never the address itself')
  assert.match(watched, /burst\.example: 55 подписей \(100\s?%\)/)
  // The same watch through the API, for a moderator's token alone.
  const tokenOf = async (role?: 'admin') => (await createApiToken(db, SYSTEM_ACTOR, (await makeUser(db, role, undefined, { confirmed: true })).id, 'api')).token
  const watchApi = (token?: string) => app.inject({ url: `/api/dialogue/petitions/${id}/watch`, headers: token ? { authorization: `Bearer ${token}` } : {} })
  assert.equal((await watchApi()).statusCode, 401)
  assert.equal((await watchApi(await tokenOf())).statusCode, 403, 'a citizen does not see the watch')
  const api = (await watchApi(await tokenOf('admin'))).json() as { addresses: { address: string; signatures: number }[]; domains: { domain: string; signatures: number }[] }
  assert.deepEqual(api.addresses.map((a) => [a.address, a.signatures]), [[address, 25]])
  assert.deepEqual(api.domains.map((d) => [d.domain, d.signatures]), [['burst.example', 55]])
  const noReason = await moderator.post(`${page}/invalidate`, { group: `address:${address}`, reason: '' }, { from: page })
  assert.equal(noReason.statusCode, 400)
  assert.equal((await citizen.post(`${page}/invalidate`, { group: `address:${address}`, reason: 'ферма' }, { from: page })).statusCode, 403)
  const struck = await moderator.post(`${page}/invalidate`, { group: `address:${address}`, reason: 'Двадцать пять подписей с одного адреса за минуту' }, { from: page })
  assert.equal(struck.headers.location, `${page}?done=invalidated&item=watch#done`)
  const [row] = await db.query<{ signatures: number; counted: number }>(
    'select signatures, (select count(*)::int from dialogue_petition_signatures where petition_id = $1 and invalidated_at is null) as counted from dialogue_petitions where id = $1', [id])
  assert.deepEqual(row, { signatures: 30, counted: 30 })
  assert.match((await app.inject({ url: page })).body, /Признано недействительными: 25 подписей\. Причина: Двадцать пять подписей/)
  await moderator.post(`${page}/invalidate`, { group: 'domain:burst.example', reason: 'Учётные записи одного домена за час' }, { from: page })
  assert.equal((await db.query<{ signatures: number }>('select signatures from dialogue_petitions where id = $1', [id]))[0]?.signatures, 0, 'the count follows')
})

test('when the rules ask for co-authors, a draft is submitted only once so many have joined by its link; they read it, show their names or not, and may leave before it is submitted', async (t) => {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: SLUG, name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
  }, { petitions: { ...RULES, coAuthors: 2 } })
  const { app, db, close } = testApp
  t.after(close)
  const author = await signedInBrowser(app, db, undefined, undefined, { confirmed: true, lang: 'ru' })
  const moderator = await signedInBrowser(app, db, 'admin', undefined, { confirmed: true })
  const [named, unnamed, late] = await Promise.all([
    signedInBrowser(app, db, undefined, undefined, { confirmed: true, displayName: 'Айгерим Сапарова' }),
    signedInBrowser(app, db, undefined, undefined, { confirmed: true, displayName: 'Скрытый Соавтор' }),
    signedInBrowser(app, db, undefined, undefined, { confirmed: true }),
  ])
  const unconfirmed = await signedInBrowser(app, db)
  const id = idOf((await draft(author)).headers.location)
  const page = `/ru/dialogue/petitions/${id}`

  // Its author alone is given the link; submitting before anyone joined is refused, naming the rule.
  const own = (await author.get(page)).body
  const invitation = /http:\/\/[^<\s]+\/ru(\/dialogue\/petitions\/\d+\/co-author\?token=[0-9a-f]+)/.exec(own)?.[1]
  assert.ok(invitation, 'the draft shows its author the invitation link')
  assert.match(own, /нужно 2 соавтора; пока не присоединился никто/)
  const early = await author.post(`${page}/submit`, {}, { from: page })
  assert.equal(early.statusCode, 400)
  assert.match(early.body, /href="#coAuthors">По правилам до подачи петиции нужно 2 соавтора/)
  const link = `/ru${invitation}`
  assert.doesNotMatch((await named.get(link.replace(/token=\w+/, 'token=0'))).body, /Стать соавтором/)
  assert.equal((await named.get(link.replace(/token=\w+/, 'token=0'))).statusCode, 404, 'a wrong token opens nothing')
  assert.equal((await named.get(page)).statusCode, 404, 'without the link the draft is not found')
  const anonymous = await app.inject({ url: link })
  assert.equal(anonymous.statusCode, 200)
  assert.match(anonymous.body, /Войдите, чтобы стать соавтором/)
  assert.equal(anonymous.headers['x-robots-tag'], 'noindex')
  assert.doesNotMatch((await author.get(link)).body, /name="token"/, 'its author is not their own co-author')

  // Joining: by the link alone, with a CSRF token, a confirmed address, once.
  const join = (browser: Browser, fields: Record<string, string>, csrf = true) =>
    browser.post(`${page}/co-author`, { token: /token=(\w+)/.exec(link)![1]!, ...fields }, { from: link, csrf })
  assert.equal((await join(named, { showName: 'yes' }, false)).statusCode, 403, 'no CSRF token')
  assert.equal((await join(named, { token: 'ffff' })).statusCode, 404, 'a wrong token joins nothing')
  assert.equal((await join(author, {})).statusCode, 403, 'its author cannot join as a co-author')
  assert.equal((await unconfirmed.post(`${page}/co-author`, { token: /token=(\w+)/.exec(link)![1]! }, { from: '/ru/account' })).statusCode, 403, 'an unconfirmed address')
  const joined = await join(named, { showName: 'yes' })
  assert.equal(joined.statusCode, 303)
  assert.equal(joined.headers.location, `${page}?done=coAuthorJoined&item=petition#done`)
  const asCoAuthor = (await named.get(page)).body
  assert.match(asCoAuthor, /Вы соавтор этого черновика/)
  assert.doesNotMatch(asCoAuthor, /Отправить на модерацию|co-author\?token=/, 'a co-author neither submits nor shares the link')
  const again = await join(named, { showName: 'yes' })
  assert.equal(again.statusCode, 400)
  assert.match(again.body, /Вы уже соавтор этой петиции/)
  assert.match((await author.post(`${page}/submit`, {}, { from: page })).body, /присоединился 1/)

  // A co-author leaves and lands on their own petitions, the draft no longer theirs to read; another joins.
  assert.equal((await join(unnamed, {})).statusCode, 303)
  const left = await named.post(`${page}/leave`, {}, { from: page })
  assert.equal(left.headers.location, '/ru/dialogue/petitions/mine?done=coAuthorLeft&item=petitions#done')
  assert.match((await named.get(String(left.headers.location))).body, /Вы больше не соавтор петиции/)
  assert.equal((await named.get(page)).statusCode, 404)
  assert.equal((await late.post(`${page}/leave`, {}, { from: '/ru/dialogue/petitions' })).statusCode, 404, 'who never joined cannot read it to leave it')
  assert.equal((await join(named, { showName: 'yes' })).statusCode, 303)
  assert.match((await named.get('/ru/dialogue/petitions/mine')).body, new RegExp(`href="/ru/dialogue/petitions/${id}"`), 'a co-author finds it among their petitions')

  // Two joined: it is submitted; its link opens nothing now, and no one leaves it.
  assert.equal((await author.post(`${page}/submit`, {}, { from: page })).statusCode, 303)
  assert.equal((await late.get(link)).statusCode, 404, 'the link is a draft\'s')
  const leaveLate = await named.post(`${page}/leave`, {}, { from: page })
  assert.equal(leaveLate.statusCode, 400)
  assert.equal((await db.query('select 1 from dialogue_petition_co_authors where petition_id = $1', [id])).length, 2)

  // Published, it names the co-author who shows their name and counts the one who does not.
  assert.equal((await moderator.post(`${page}/publish`, {}, { from: page })).statusCode, 303)
  const published = (await app.inject({ url: page })).body
  assert.match(published, /Соавторы[\s\S]*Айгерим Сапарова, 1 соавтор без имени/)
  assert.doesNotMatch(published, /Скрытый Соавтор/)
  const api = (await app.inject({ url: `/api/dialogue/petitions/${id}` })).json() as { coAuthors: unknown }
  assert.deepEqual(api.coAuthors, [{ name: null }, { name: 'Айгерим Сапарова' }], 'in the order they joined, no account named')
  const kinds = (await db.query<{ kind: string }>('select kind from dialogue_petition_events where petition_id = $1 order by id', [id])).map((e) => e.kind)
  assert.deepEqual(kinds, ['created', 'co-author-joined', 'co-author-joined', 'co-author-left', 'co-author-joined', 'submitted', 'published'])
})
