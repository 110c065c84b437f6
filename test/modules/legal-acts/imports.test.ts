import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { editorToken, makeUser } from '../../helpers/users.ts'
import { addDays } from '../../../src/platform/calendar/days.ts'
import { today } from '../../../src/modules/legal-acts/drafts/service.ts'
import { runImport } from '../../../src/cli/import-legal-acts.ts'
import { DEFAULT_LEGAL_ACT_RULES } from '../../../src/platform/config.ts'

const DRAFT = {
  agency: 'ministry-of-health', kind: 'order', topic: 'health',
  title: { kk: 'Парақ беру қағидаларының жобасы', ru: 'Проект правил выдачи листа' },
  summary: { ru: 'Электронные листы вместо бумажных' },
  text: {
    kk: '1-тарау. Жалпы ережелер\n1. Парақ электрондық түрде беріледі.\n2. Парақ 3 жұмыс күні ішінде жабылады.',
    ru: 'Глава 1. Общие положения\n1. Лист выдаётся в электронном виде.\n2. Лист закрывается в течение 3 рабочих дней.',
  },
}

async function setup() {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health' })
    await makeAgency(db, { slug: 'ministry-of-finance' })
  })
  const token = await editorToken(testApp.db, 'ministry-of-health')
  const put = (externalId: string, body: unknown, bearer: string | null = token) => testApp.app.inject({
    method: 'PUT', url: `/api/legal-acts/imports/${encodeURIComponent(externalId)}`, payload: body as object,
    headers: { 'accept-language': 'ru', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
  })
  return { ...testApp, put }
}

test('the drafting system puts a draft by its id there: created once, changed only by what differs, the same PUT again changes nothing', async (t) => {
  const { app, db, put, close } = await setup()
  t.after(close)
  assert.equal((await put('EZ-2026-0042', DRAFT, null)).statusCode, 401)
  assert.equal((await put('EZ-2026-0042', DRAFT, await editorToken(db, 'ministry-of-finance'))).statusCode, 403, 'another body\'s editor')

  const mismatched = await put('EZ-2026-0042', { ...DRAFT, text: { ...DRAFT.text, ru: '1. Только один пункт.' } })
  assert.equal(mismatched.statusCode, 400)
  assert.equal(mismatched.json().errors[0].field, 'text.ru')
  assert.equal((await put('EZ-2026-0042', { ...DRAFT, kind: 'decree-of-nobody' })).statusCode, 400)
  assert.equal((await put('bad id!', DRAFT)).statusCode, 400)
  assert.equal((await db.query('select * from legal_act_drafts')).length, 0, 'a refused import stores nothing')

  const created = await put('EZ-2026-0042', DRAFT)
  assert.equal(created.statusCode, 201, created.body)
  const { id } = created.json() as { id: number }
  assert.deepEqual(created.json(), { id, externalId: 'EZ-2026-0042', created: true, changed: [], url: `/api/legal-acts/drafts/${id}` })
  const again = await put('EZ-2026-0042', DRAFT)
  assert.equal(again.statusCode, 200)
  assert.deepEqual(again.json().changed, [])
  assert.equal((await db.query('select * from legal_act_versions where draft_id = $1', [id])).length, 1)

  // A changed text is a new version; the discussion opens on the days sent.
  const start = today()
  const changed = await put('EZ-2026-0042', {
    ...DRAFT, title: { ...DRAFT.title, en: 'Draft rules on the certificate' },
    text: { ...DRAFT.text, ru: DRAFT.text.ru.replace('3 рабочих', '5 рабочих') }, note: { ru: 'Срок увеличен' },
    discussion: { start, end: addDays(start, 14) },
  })
  assert.equal(changed.statusCode, 200, changed.body)
  assert.deepEqual(changed.json().changed, ['details', 'version', 'discussion'])
  const api = (await app.inject({ url: `/api/legal-acts/drafts/${id}` })).json() as { externalId: string; status: string; belowMinimum: boolean; discussionEnd: string; versions: unknown[] }
  assert.equal(api.externalId, 'EZ-2026-0042')
  assert.equal(api.status, 'discussion')
  assert.equal(api.belowMinimum, false)
  assert.equal(api.versions.length, 2)

  // Once open, its days stay; the same import again changes nothing.
  const moved = await put('EZ-2026-0042', { ...DRAFT, discussion: { start, end: addDays(start, 30) } })
  assert.equal(moved.statusCode, 400)
  assert.match(moved.body, /после публикации его сроки не меняются/)
  const same = await put('EZ-2026-0042', {
    ...DRAFT, title: { ...DRAFT.title, en: 'Draft rules on the certificate' }, text: { ...DRAFT.text, ru: DRAFT.text.ru.replace('3 рабочих', '5 рабочих') },
    discussion: { start, end: addDays(start, 14) },
  })
  assert.deepEqual(same.json().changed, [])
})

test('a discussion shorter than the minimum is imported and marked, not refused', async (t) => {
  const { app, put, close } = await setup()
  t.after(close)
  const start = today()
  const response = await put('EZ-SHORT', { ...DRAFT, discussion: { start, end: addDays(start, 4) } })
  assert.equal(response.statusCode, 201, response.body)
  const api = (await app.inject({ url: `/api/legal-acts/drafts/${response.json().id}` })).json() as { belowMinimum: boolean; open: boolean }
  assert.equal(api.belowMinimum, true)
  assert.equal(api.open, true)
})

test('the import command takes JSON lines as the endpoint does, and running it again changes nothing', async (t) => {
  const { db, close } = await setup()
  t.after(close)
  const editor = await makeUser(db, 'agency-editor', 'ministry-of-health')
  const dir = await mkdtemp(path.join(tmpdir(), 'ashyq-import-'))
  const file = path.join(dir, 'drafts.jsonl')
  await writeFile(file, [
    JSON.stringify({ externalId: 'EZ-1', ...DRAFT }),
    JSON.stringify({ externalId: 'EZ-2', ...DRAFT, kind: 'rules', agency: 'ministry-of-finance' }),
    JSON.stringify({ externalId: 'EZ-3', ...DRAFT, title: { ru: 'Без казахского названия' } }),
    JSON.stringify({ externalId: 'EZ-4', ...DRAFT, text: 'not an object' }),
  ].join('\n'))
  const config = { legalActs: DEFAULT_LEGAL_ACT_RULES, publicUrl: 'http://site' }
  const first = await runImport(db, config, ['--as', editor.email, file])
  assert.equal(first.failed, 3)
  assert.match(first.lines[0]!, /^EZ-1: created #\d+$/)
  assert.match(first.lines[1]!, /^EZ-2: refused: .*not allowed/i)
  assert.match(first.lines[2]!, /^EZ-3: refused: title.kk: /)
  assert.match(first.lines[3]!, /^EZ-4: refused: \/text /)
  const second = await runImport(db, config, ['--as', editor.email, file])
  assert.match(second.lines[0]!, /^EZ-1: unchanged #\d+$/)
  assert.equal((await db.query('select * from legal_act_drafts')).length, 1)
})
