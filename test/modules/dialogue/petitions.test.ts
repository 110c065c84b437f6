import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb } from '../../helpers/db.ts'
import { createTestApp } from '../../helpers/app.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'
import { checkedValues } from '../../helpers/checks.ts'
import { makeAgency, makeRegion } from '../../helpers/factories.ts'
import { makeUser } from '../../helpers/users.ts'
import { holdTransactions } from '../../helpers/race.ts'
import { loadModules } from '../../../src/platform/modules.ts'
import { findUser } from '../../../src/platform/auth/accounts.ts'
import { StateConflict } from '../../../src/platform/states/index.ts'
import { Forbidden, ValidationError } from '../../../src/platform/http/errors.ts'
import { addDays, type Day } from '../../../src/platform/calendar/days.ts'
import type { User } from '../../../src/platform/auth/roles.ts'
import { DEFAULT_PETITION_RULES, type PetitionRules } from '../../../src/modules/dialogue/petitions/rules.ts'
import { PETITION_EVENT_KINDS, PETITION_STATUSES } from '../../../src/modules/dialogue/petitions/states.ts'
import {
  answerPetition, closeEndedCollections, draftPetition, invalidateSignatures, listPetitions, loadPetition, SPIKE_WATCH, signatureWatch, openDiscussion, publishPetition, rejectPetition,
  signaturesByRegion, signPetition, submitPetition, today, withdrawPetition,
} from '../../../src/modules/dialogue/petitions/service.ts'
import { I18n, LANGS } from '../../../src/platform/i18n/index.ts'
import type { SignerVerification } from '../../../src/modules/dialogue/petitions/verification.ts'

// Small numbers, as configuration gives them: listed at 2 signatures, supported at 4.
const RULES: PetitionRules = { ...DEFAULT_PETITION_RULES, publicAt: 2, governmentSignatures: 4, collectingDays: 30 }

async function setup() {
  await loadModules()
  const db = await createTestDb()
  await makeAgency(db, { slug: 'ministry-of-health' })
  const region = await makeRegion(db, { code: 'almaty-city', kind: 'city' })
  await db.query("update regions set population = 2250001 where code = 'almaty-city'")
  await makeAgency(db, { slug: 'akimat-almaty', kind: 'local', regionCode: region.code })
  const user = async (role?: 'admin' | 'agency-editor', agency?: string): Promise<User> => (await findUser(db, (await makeUser(db, role, agency, { confirmed: true })).id))!
  return { db, author: await user(), moderator: await user('admin'), staff: await user('agency-editor', 'ministry-of-health'), user }
}

const O = 'http://site'
const PETITION = { agencySlug: 'ministry-of-health', level: 'government', title: 'Бесплатные анализы для детей', body: 'Сейчас платно.', request: 'Сделать анализы бесплатными', lang: 'ru' as const, showName: true }

test('a petition goes from its author\'s draft through moderation to collecting, is listed at its number, supported at the one its level needs, considered and answered; each step once, by whom it is', async (t) => {
  const { db, author, moderator, staff, user } = await setup()
  t.after(() => db.close())
  const day = today()
  const bad = draftPetition(db, { user: author, address: '10.0.0.1' }, { ...PETITION, agencySlug: 'akimat-almaty', title: ' ', request: '' }, RULES)
  await assert.rejects(bad, (e: { fields?: Array<{ field: string }> }) => ['level', 'title', 'request'].every((f) => e.fields?.some((x) => x.field === f)))
  const { id } = await draftPetition(db, { user: author, address: '10.0.0.1' }, { ...PETITION, idempotencyKey: 'p-1' }, RULES)
  assert.equal((await draftPetition(db, { user: author, address: '10.0.0.1' }, { ...PETITION, idempotencyKey: 'p-1' }, RULES)).id, id, 'the same form twice is one petition')
  await assert.rejects(submitPetition(db, staff, id, RULES), Forbidden, 'only its author submits it')
  await submitPetition(db, author, id, RULES, day)
  await assert.rejects(submitPetition(db, author, id, RULES, day), (e: unknown) => e instanceof ValidationError && e.fields[0]?.messageKey === 'dialogue.petitions.errors.notDraft', 'submitted once')
  await assert.rejects(publishPetition(db, staff, id, RULES, O, day), Forbidden, 'a body does not moderate petitions')
  await publishPetition(db, moderator, id, RULES, O, day)
  let p = await loadPetition(db, id, day)
  assert.deepEqual([p.state, p.signaturesNeeded, p.collectingUntil], ['by-link', 4, addDays(day, 30)])

  const signers = await Promise.all([1, 2, 3, 4].map(() => user()))
  // The signer passes the server's verification provider first: one that refuses stores nothing.
  const refusing: SignerVerification = { name: 'digital-signature', verify: () => { throw new Forbidden('dialogue.petition.sign') } }
  await assert.rejects(signPetition(db, { user: signers[0]!, address: '10.0.0.2' }, id, { showName: false }, RULES, O, day, refusing), Forbidden)
  assert.equal((await db.query('select 1 from dialogue_petition_signatures')).length, 0)
  assert.deepEqual(await signPetition(db, { user: signers[0]!, address: '10.0.0.2' }, id, { showName: false, regionCode: 'almaty-city' }, RULES, O, day), { signatures: 1, added: true })
  assert.deepEqual(await signPetition(db, { user: signers[0]!, address: '10.0.0.2' }, id, { showName: false }, RULES, O, day), { signatures: 1, added: false }, 'one signature per account')
  await signPetition(db, { user: signers[1]!, address: '10.0.0.3' }, id, { showName: true }, RULES, O, day)
  p = await loadPetition(db, id, day)
  assert.deepEqual([p.state, p.listedOn], ['collecting', day], 'listed at its number')
  // The last two signatures at once: the count's lock sends it on once.
  const release = holdTransactions(db, 2)
  await Promise.all(signers.slice(2).map((s, i) => signPetition(db, { user: s, address: `10.0.1.${i}` }, id, { showName: false }, RULES, O, day)))
  release()
  p = await loadPetition(db, id, day)
  assert.deepEqual([p.status, p.signatures, p.supportedOn], ['consideration', 4, day])
  assert.ok(p.considerationDue! > addDays(day, 40), '40 working days are more than 40 days')
  const events = await db.query<{ kind: string }>('select kind from dialogue_petition_events where petition_id = $1 order by id', [id])
  assert.deepEqual(events.map((e) => e.kind), ['created', 'submitted', 'published', 'listed', 'supported'])
  const mail = async () => db.query<{ recipient: string; kind: string; body: string }>('select recipient, kind, body from outbox order by id')
  assert.deepEqual((await mail()).map((m) => [m.recipient, m.kind]), [
    [author.email, 'petition-published'], [author.email, 'petition-supported'], [staff.email, 'petition-supported'],
  ], 'its author is told it is published and supported; its body that it has one to consider')
  assert.match((await mail())[0]!.body, /Оған \d{4} жылғы \d+ [а-яәғқңөұүһі]+(ға|ге|қа|ке) дейін 4 қол керек/u, 'in its author\'s language, the date in the case Kazakh puts it')
  await assert.rejects(signPetition(db, { user: await user(), address: '10.0.0.9' }, id, { showName: false }, RULES, O, day), StateConflict, 'a supported petition collects no more')
  assert.deepEqual(await signaturesByRegion(db, id), [{ regionCode: null, signatures: 3 }, { regionCode: 'almaty-city', signatures: 1 }])
  await assert.rejects(withdrawPetition(db, author, id), (e: unknown) => e instanceof ValidationError && e.fields[0]?.messageKey === 'dialogue.petitions.errors.notWithdrawable', 'not withdrawn once supported')

  const otherStaff = await user('agency-editor', 'akimat-almaty')
  await assert.rejects(answerPetition(db, otherStaff, id, { ru: 'Нет' }, O), Forbidden, "another body's staff")
  await openDiscussion(db, staff, id)
  await assert.rejects(answerPetition(db, staff, id, { ru: ' ' }, O), (e: { fields?: Array<{ field: string }> }) => e.fields?.[0]?.field === 'decision.ru')
  await answerPetition(db, staff, id, { ru: 'Анализы станут бесплатными с 1 июля', kk: 'Талдаулар 1 шілдеден бастап тегін болады' }, O, day)
  p = await loadPetition(db, id, day)
  assert.deepEqual([p.state, p.answeredOn, p.decision?.ru], ['answered', day, 'Анализы станут бесплатными с 1 июля'])
  assert.match((await mail()).at(-1)!.body, /петицияңыз бойынша шешім қабылдады:\n\nТалдаулар 1 шілдеден бастап тегін болады/)
})

test('a regional petition needs its share of the region\'s people; a period ended short is not supported; moderators reject with a reason and invalidate signatures, the count following; authors withdraw before support', async (t) => {
  const { db, author, moderator, user } = await setup()
  t.after(() => db.close())
  const day = today()
  const regional = await draftPetition(db, { user: author, address: '10.0.0.1' }, { ...PETITION, agencySlug: 'akimat-almaty', level: 'regional-akimat' }, RULES)
  await submitPetition(db, author, regional.id, RULES, day)
  await publishPetition(db, moderator, regional.id, RULES, O, day)
  assert.equal((await loadPetition(db, regional.id)).signaturesNeeded, 22_501, '1% of 2,250,001 people, rounded up')
  const signer = await user()
  await signPetition(db, { user: signer, address: '10.0.0.2' }, regional.id, { showName: false }, RULES, O, day)
  assert.equal(await invalidateSignatures(db, moderator, regional.id, { userIds: [signer.id] }, 'Сто подписей с одного адреса за минуту'), 0)
  await assert.rejects(invalidateSignatures(db, author, regional.id, { userIds: [signer.id] }, 'x'), Forbidden)
  // The last day still collects; the day after, the job closes it as not supported, once.
  const last = addDays(day, 30) as Day
  const lastSigner = await user()
  assert.equal((await signPetition(db, { user: lastSigner, address: '10.0.0.3' }, regional.id, { showName: false }, RULES, O, last)).added, true, 'its last day still takes signatures')
  await assert.rejects(signPetition(db, { user: await user(), address: '10.0.0.4' }, regional.id, { showName: false }, RULES, O, addDays(last, 1) as Day), StateConflict, 'the day after does not')
  assert.deepEqual(await closeEndedCollections(db, O, last), [])
  assert.deepEqual(await closeEndedCollections(db, O, addDays(last, 1) as Day), [regional.id])
  assert.deepEqual(await closeEndedCollections(db, O, addDays(last, 1) as Day), [])
  assert.equal((await loadPetition(db, regional.id)).state, 'not-supported')

  const rejected = await draftPetition(db, { user: author, address: '10.0.0.1' }, PETITION, RULES)
  await submitPetition(db, author, rejected.id, RULES, day)
  // Not moderated by its deadline, it is public in the list of overdue ones from the day after, not on the day itself.
  const due = (await loadPetition(db, rejected.id)).moderationDue!
  const overdueOn = async (d: Day) => (await listPetitions(db, { list: 'moderation-overdue' }, d)).map((p) => p.id)
  assert.deepEqual(await overdueOn(due), [])
  assert.deepEqual(await overdueOn(addDays(due, 1) as Day), [rejected.id])
  await assert.rejects(rejectPetition(db, moderator, rejected.id, { reason: 'boring' }, O), (e: { fields?: Array<{ field: string }> }) => e.fields?.[0]?.field === 'reason')
  await rejectPetition(db, moderator, rejected.id, { reason: 'state-language', note: 'Вопросы государственного языка не выносятся на петиции' }, O)
  assert.deepEqual([(await loadPetition(db, rejected.id)).state, (await loadPetition(db, rejected.id)).rejectionReason], ['rejected', 'state-language'])
  const [told] = await db.query<{ body: string }>("select body from outbox where kind = 'petition-rejected'")
  assert.match(told!.body, /Себебі: ол мемлекеттік тілге қатысты\.\nВопросы государственного языка не выносятся/)
  assert.equal((await db.query("select 1 from outbox where kind = 'petition-not-supported'")).length, 1)

  const withdrawn = await draftPetition(db, { user: author, address: '10.0.0.1' }, PETITION, RULES)
  await assert.rejects(withdrawPetition(db, moderator, withdrawn.id), Forbidden, 'its author alone, administrators neither')
  await withdrawPetition(db, author, withdrawn.id)
  assert.equal((await loadPetition(db, withdrawn.id)).state, 'withdrawn')
})

test('a petition\'s tables take only the states and events its model lists, each told in kk, ru and en', async (t) => {
  const db = await createTestDb()
  t.after(() => db.close())
  assert.deepEqual(await checkedValues(db, 'dialogue_petitions_status'), [...PETITION_STATUSES].sort())
  assert.deepEqual(await checkedValues(db, 'dialogue_petition_events_kind'), [...PETITION_EVENT_KINDS].sort())
  const { catalogs } = new I18n()
  for (const lang of LANGS) for (const status of PETITION_STATUSES) assert.ok(catalogs[lang][`dialogue.petitions.statuses.${status}`], `${status} in ${lang}`)
})

test('through the API a citizen drafts and submits, an administrator publishes, citizens sign with their tokens; a draft is its author\'s alone and signers are never named', async (t) => {
  const { app, db, close } = await createTestApp((db) => makeAgency(db, { slug: 'ministry-of-health' }).then(() => undefined))
  t.after(close)
  const tokenOf = async (role?: 'admin' | 'agency-editor', agency?: string) => (await createApiToken(db, SYSTEM_ACTOR, (await makeUser(db, role, agency, { confirmed: true })).id, 'api')).token
  const [author, admin, editor, stranger] = [await tokenOf(), await tokenOf('admin'), await tokenOf('agency-editor', 'ministry-of-health'), await tokenOf()]
  const call = (method: 'GET' | 'POST', url: string, token?: string, payload?: object, headers: Record<string, string> = {}) =>
    app.inject({ method, url, ...(payload ? { payload } : {}), headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } })
  const body = { agency: 'ministry-of-health', level: 'government', title: 'Бесплатные анализы', body: 'Сейчас платно.', request: 'Сделать бесплатными', lang: 'ru', showName: false }
  const drafted = await call('POST', '/api/dialogue/petitions', author, body, { 'idempotency-key': 'p-1' })
  assert.equal(drafted.statusCode, 201, drafted.body)
  const { id } = drafted.json() as { id: number }
  assert.equal((await call('POST', '/api/dialogue/petitions', author, body, { 'idempotency-key': 'p-1' })).statusCode, 200, 'the same key again: the same petition')
  assert.equal((await call('GET', `/api/dialogue/petitions/${id}`)).statusCode, 404, 'a draft is not public')
  assert.equal((await call('GET', `/api/dialogue/petitions/${id}`, stranger)).statusCode, 404)
  assert.equal((await call('POST', `/api/dialogue/petitions/${id}/submit`, stranger)).statusCode, 403, 'only its author submits it')
  assert.equal((await call('POST', `/api/dialogue/petitions/${id}/submit`, author)).json().state, 'moderation')
  assert.equal((await call('POST', `/api/dialogue/petitions/${id}/publish`, editor)).statusCode, 403, 'no body moderates')
  const badReason = await call('POST', `/api/dialogue/petitions/${id}/reject`, admin, { reason: 'dull' })
  assert.equal(badReason.statusCode, 400)
  assert.match(badReason.body, /reason/)
  const published = (await call('POST', `/api/dialogue/petitions/${id}/publish`, admin)).json() as { state: string; signaturesNeeded: number }
  assert.deepEqual([published.state, published.signaturesNeeded], ['by-link', 50_000])
  for (const signer of [await tokenOf(), await tokenOf()]) {
    assert.equal((await call('POST', `/api/dialogue/petitions/${id}/signatures`, signer, { showName: true })).statusCode, 200)
  }
  const read = (await call('GET', `/api/dialogue/petitions/${id}`)).json() as { signatures: number; authorName: string | null }
  assert.deepEqual([read.signatures, read.authorName], [2, null])
  assert.deepEqual((await call('GET', '/api/dialogue/petitions')).json().items, [], 'by its link alone until listed')
  assert.deepEqual((await call('GET', `/api/dialogue/petitions/${id}/regions`)).json().items, [{ regionCode: null, signatures: 2 }])
  assert.equal((await call('GET', `/api/dialogue/petitions/${id}`)).body.includes('@'), false, 'no one is named by address')
})

test('the watch lists an address from its twentieth signature on a petition, not its nineteenth', async (t) => {
  const { db, author, moderator, user } = await setup()
  t.after(() => db.close())
  const day = today()
  const { id } = await draftPetition(db, { user: author, address: '10.0.0.1' }, PETITION, { ...RULES, governmentSignatures: 1000 })
  await submitPetition(db, author, id, RULES, day)
  await publishPetition(db, moderator, id, { ...RULES, governmentSignatures: 1000 }, O, day)
  const sign = async (address: string) => signPetition(db, { user: await user(), address }, id, { showName: false }, RULES, O, day)
  for (let i = 1; i < SPIKE_WATCH.perAddress; i += 1) await sign('203.0.113.9')
  assert.deepEqual((await signatureWatch(db, moderator, id)).addresses, [], `${SPIKE_WATCH.perAddress - 1} from one address`)
  await sign('203.0.113.9')
  assert.deepEqual((await signatureWatch(db, moderator, id)).addresses.map((a) => a.signatures), [SPIKE_WATCH.perAddress])
})
