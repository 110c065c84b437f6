import { createReadStream } from 'node:fs'
import path from 'node:path'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { parseArgs } from 'node:util'
import { loadConfig } from '../platform/config.ts'
import { openDatabase, type Db } from '../platform/db/index.ts'
import { migrate } from '../platform/db/migrate.ts'
import { loadModules } from '../platform/modules.ts'
import { findUserByEmail } from '../platform/auth/accounts.ts'
import { AppError, ValidationError } from '../platform/http/errors.ts'
import { I18n } from '../platform/i18n/index.ts'
import { FolderFileStore, openFileStore, type FileStore } from '../platform/files/index.ts'
import { kazakhstanDay } from '../platform/calendar/days.ts'
import { LoadError } from '../modules/data/datastore/detect.ts'
import { findBudget } from '../modules/budgets/service.ts'
import { importLines, ImportRefused } from '../modules/budgets/import.ts'
import { withRowsOfUpload } from '../modules/budgets/routes.ts'

const USAGE = `Usage:
  npm run import:budget -- --as EMAIL KEY FILE

Imports a budget's lines, as PUT /api/budgets/{KEY}/lines does: FILE is CSV, TSV, XLSX or JSON in the
layout of src/modules/budgets/README.md ("Import"), the JSON being the finance ministry's export, or a
ZIP holding a Fiscal Data Package.
KEY names the budget (republican-2026, almaty-2026, 751210000-2026). EMAIL is the account it is
imported as: staff of the body keeping the budget, or an administrator. All rows or none are kept;
a file replaces the phases and periods it brings.`

class UsageError extends Error {}

/** Imports one file into one budget; returns the report's lines and whether it was refused. */
export async function runBudgetImport(db: Db, argv: string[], catalog: FileStore): Promise<{ lines: string[]; failed: boolean }> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { as: { type: 'string' } } })
  const [key, file] = positionals
  if (!values.as || !key || !file || positionals.length > 2) throw new UsageError(USAGE)
  const user = await findUserByEmail(db, values.as)
  if (!user) throw new UsageError(`No account with the email ${values.as}.`)
  const t = new I18n().for('en')
  // The file passes through a store of its own, as an upload does, and is read from there.
  const scratch = await mkdtemp(path.join(tmpdir(), 'ashyq-import-budget-'))
  try {
    const files = new FolderFileStore(scratch, Number.MAX_SAFE_INTEGER)
    const stored = await files.save(createReadStream(file))
    const budget = await findBudget(db, key)
    const report = await withRowsOfUpload(files, { key: stored.key, fileName: path.basename(file) }, (rows) => importLines(db, user, budget, rows, kazakhstanDay(new Date()), catalog))
    return {
      lines: [
        `${key}: ${report.rows} ${report.rows === 1 ? 'row' : 'rows'} imported; replaced ${report.replaced.map((r) => `${r.phase} ${r.period}`).join(', ')}`,
        `${key}: the catalog's dataset ${report.dataset} refreshed`,
      ],
      failed: false,
    }
  } catch (error) {
    if (error instanceof ImportRefused || error instanceof ValidationError) {
      const more = error instanceof ImportRefused && error.total > error.fields.length ? [`… and ${error.total - error.fields.length} more`] : []
      return { lines: [`${key}: refused, nothing changed:`, ...error.fields.map((f) => `  ${f.field}: ${t(f.messageKey, f.values)}`), ...more], failed: true }
    }
    if (error instanceof LoadError) return { lines: [`${key}: refused: ${t(error.key, error.values)}`], failed: true }
    if (error instanceof AppError) return { lines: [`${key}: refused: ${error.message}`], failed: true }
    throw error
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfig()
  const db = await openDatabase(config)
  try {
    await migrate(db)
    // The modules' rules of who may do what, which the import asks.
    await loadModules()
    const { lines, failed } = await runBudgetImport(db, process.argv.slice(2), await openFileStore(config))
    for (const line of lines) console.log(line)
    process.exitCode = failed ? 1 : 0
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : ''
    if (!(error instanceof UsageError) && !code.startsWith('ERR_PARSE_ARGS') && code !== 'ENOENT') throw error
    console.error((error as Error).message)
    process.exitCode = 2
  } finally {
    await db.close()
  }
}
