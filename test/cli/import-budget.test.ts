import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, writeFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createTestApp } from '../helpers/app.ts'
import { makeAgency } from '../helpers/factories.ts'
import { makeUser } from '../helpers/users.ts'
import { runBudgetImport } from '../../src/cli/import-budget.ts'
import { createBudgetAs } from '../../src/modules/budgets/service.ts'
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.ts'
import { FolderFileStore, type FileStore } from '../../src/platform/files/index.ts'

test('the finance ministry\'s JSON export imported from the command line as the budget\'s keeper: all lines or none, each wrong record named', async (t) => {
  const { db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-finance' })
    await makeAgency(db, { slug: 'ministry-of-health' })
  })
  const dir = await mkdtemp(path.join(tmpdir(), 'ashyq-cli-budget-'))
  t.after(async () => { await close(); await rm(dir, { recursive: true, force: true }) })
  await createBudgetAs(db, SYSTEM_ACTOR, { level: 'republican', year: 2026, agencySlug: 'ministry-of-finance' })
  const keeper = await makeUser(db, 'agency-editor', 'ministry-of-finance')
  const other = await makeUser(db, 'agency-editor', 'ministry-of-health')
  const file = path.join(dir, 'export.json')
  const catalog = new FolderFileStore(path.join(dir, 'files'))
  await writeFile(file, JSON.stringify({ records: [
    { direction: 'expense', code: '04 2 225 001 015', economic: '111', phase: 'approved', period: 'Y', amount: '12345678901234.56', name_ru: 'Оплата труда учителей' },
    { direction: 'revenue', code: '1 01 1 01', economic: null, phase: 'approved', period: 'Y', amount: 2500 },
  ] }))
  const refused = await runBudgetImport(db, ['--as', other.email, 'republican-2026', file], catalog)
  assert.equal(refused.failed, true, 'another body\'s staff')
  const done = await runBudgetImport(db, ['--as', keeper.email, 'republican-2026', file], catalog)
  assert.deepEqual(done, { lines: ['republican-2026: 2 rows imported; replaced approved Y', 'republican-2026: the catalog\'s dataset budget-republican-2026 refreshed'], failed: false })
  const [whole] = await db.query<{ amount: string }>("select amount::text from budget_totals where dimension = 'functional' and code = '' and phase = 'approved'")
  assert.equal(whole!.amount, '12345678901234.56', 'every digit, as a string keeps it')

  await writeFile(file, JSON.stringify([{ direction: 'expense', code: '04 2 225 001 015', economic: '111', phase: 'approved', period: 'Y', amount: '1' }, { direction: 'spending', code: '1', phase: 'approved', period: 'Y', amount: '1' }]))
  const wrong = await runBudgetImport(db, ['--as', keeper.email, 'republican-2026', file], catalog)
  assert.equal(wrong.failed, true)
  assert.match(wrong.lines.join('\n'), /direction: Row 2: the direction must be expense or revenue/)
  assert.equal((await db.query<{ amount: string }>("select amount::text from budget_totals where dimension = 'functional' and code = '' and phase = 'approved'"))[0]!.amount, '12345678901234.56', 'nothing changed')
  await assert.rejects(runBudgetImport(db, ['republican-2026', file], catalog), /Usage/)
})
