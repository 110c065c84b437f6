import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../../helpers/app.ts'
import { makeAgency, makeDataset } from '../../../helpers/factories.ts'
import { signedInBrowser } from '../../../helpers/users.ts'
import type { Role } from '../../../../src/platform/auth/roles.ts'
import { countDemand } from '../../../../src/modules/data/demand/service.ts'

async function site() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'akimat-shymkent', name: { kk: 'Шымкент қаласының әкімдігі', ru: 'Акимат города Шымкента', en: 'Akimat of Shymkent' } })
    await makeAgency(db, { slug: 'health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    await makeDataset(db, 'akimat-shymkent', { name: 'bus-timetables', title: { en: 'Bus timetables of Shymkent' } })
    await makeDataset(db, 'health', { name: 'hospitals', title: { en: 'Hospitals' } })
  })
  const signIn = (role?: Role, agency?: string) => signedInBrowser(testApp.app, testApp.db, role, agency)
  return { ...testApp, signIn }
}

test('a citizen requests a dataset, others support it once each, and the body answers in public', async (t) => {
  const { app, db, signIn, close } = await site()
  t.after(close)
  const citizen = await signIn()
  const asked = await citizen.post('/ru/data/requests/new', { agencySlug: 'akimat-shymkent', title: 'Расписание автобусов', description: 'Для приложения с маршрутами' }, { from: '/ru/data/requests/new' })
  assert.equal(asked.statusCode, 303, asked.body.slice(0, 300))
  const path = asked.headers.location as string
  const id = Number(path.split('/').pop())
  const page = await citizen.get(path)
  assert.match(page.body, /Расписание автобусов/)
  assert.match(page.body, /Ожидает ответа/)
  assert.match(page.body, /1 человек поддержал/)
  assert.match(page.body, /Вы поддерживаете этот запрос/)

  const other = await signIn()
  assert.equal((await other.post(`/en/data/requests/${id}/support`, {}, { from: `/en/data/requests/${id}` })).statusCode, 303)
  assert.equal((await other.post(`/en/data/requests/${id}/support`, {}, { from: `/en/data/requests/${id}` })).statusCode, 303)
  const list = (await app.inject({ url: '/api/data/requests?publisher=akimat-shymkent' })).json()
  assert.equal(list.items[0].supporters, 2, 'one support per account')
  assert.equal(list.items[0].lang, 'ru')

  const stranger = await signIn('agency-editor', 'health')
  const refusedAnswer = await stranger.post(`/en/data/requests/${id}/answer`, { status: 'refused', answer: 'No' }, { from: `/en/data/requests/${id}` })
  assert.equal(refusedAnswer.statusCode, 403, 'only the addressed body answers')

  const editor = await signIn('agency-editor', 'akimat-shymkent')
  const noReason = await editor.post(`/en/data/requests/${id}/answer`, { status: 'refused', answer: '' }, { from: `/en/data/requests/${id}` })
  assert.equal(noReason.statusCode, 400)
  assert.match(noReason.body, /Say why the data cannot be published/)
  const pastDate = await editor.post(`/en/data/requests/${id}/answer`, { status: 'planned', plannedFor: '2001-01-01' }, { from: `/en/data/requests/${id}` })
  assert.match(pastDate.body, /The date must not be in the past/)
  const foreign = await editor.post(`/en/data/requests/${id}/answer`, { status: 'published', datasetName: 'hospitals' }, { from: `/en/data/requests/${id}` })
  assert.match(foreign.body, /This dataset belongs to another body/)
  const answered = await editor.post(`/en/data/requests/${id}/answer`, { status: 'published', datasetName: 'bus-timetables', answer: 'Here it is' }, { from: `/en/data/requests/${id}` })
  assert.equal(answered.statusCode, 303)
  const after = await app.inject({ url: `/en/data/requests/${id}` })
  assert.match(after.body, /Published as/)
  assert.match(after.body, /href="\/en\/data\/datasets\/bus-timetables"/)
  assert.match(after.body, /Here it is/)
  const [row] = await db.query<{ n: number }>(`select count(*)::int as n from audit_log where entity = 'data-request'`)
  assert.equal(row?.n, 2)
})

test('a visitor must sign in to request or support; an empty request is refused in the page language', async (t) => {
  const { app, signIn, close } = await site()
  t.after(close)
  assert.equal((await app.inject({ url: '/kk/data/requests/new' })).statusCode, 303)
  const citizen = await signIn()
  const empty = await citizen.post('/kk/data/requests/new', { agencySlug: '', title: '  ', description: '' }, { from: '/kk/data/requests/new' })
  assert.equal(empty.statusCode, 400)
  assert.match(empty.body, /Қандай деректер керек екенін жазыңыз/)
  assert.match(empty.body, /Жариялаушы органды таңдаңыз/)
})

test('the most wanted datasets count views, downloads and API calls of the last 30 days, overall and per body', async (t) => {
  const { app, db, close } = await site()
  t.after(close)
  const ids = Object.fromEntries((await db.query<{ id: string; name: string }>('select id, name from datasets')).map((r) => [r.name, r.id]))
  for (let i = 0; i < 3; i += 1) await countDemand(db, ids.hospitals!, 'downloads')
  await countDemand(db, ids['bus-timetables']!, 'views')
  await countDemand(db, ids['bus-timetables']!, 'views', { now: new Date(Date.now() - 60 * 24 * 60 * 60 * 1000) })
  const overall = (await app.inject({ url: '/api/data/popular' })).json()
  assert.deepEqual(overall.map((r: { name: string; views: number; downloads: number }) => [r.name, r.views, r.downloads]), [['hospitals', 0, 3], ['bus-timetables', 1, 0]])
  const perBody = (await app.inject({ url: '/api/data/popular?publisher=akimat-shymkent' })).json()
  assert.deepEqual(perBody.map((r: { name: string }) => r.name), ['bus-timetables'])
  const page = await app.inject({ url: '/en/data/popular' })
  assert.match(page.body, /Most wanted datasets/)
  assert.match(page.body, /Hospitals/)
})
