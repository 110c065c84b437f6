import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { Value } from 'typebox/value'
import { loadConfig, type Config } from '../platform/config.ts'
import { openDatabase, type Db } from '../platform/db/index.ts'
import { migrate } from '../platform/db/migrate.ts'
import { loadModules } from '../platform/modules.ts'
import { findUserByEmail } from '../platform/auth/accounts.ts'
import { AppError, ValidationError } from '../platform/http/errors.ts'
import { I18n } from '../platform/i18n/index.ts'
import { DraftImportBody } from '../modules/legal-acts/imports/routes.ts'
import { importDraft } from '../modules/legal-acts/imports/service.ts'

const USAGE = `Usage:
  npm run import:legal-acts -- --as EMAIL FILE...

Brings drafts from the legislation drafting system, as PUT /api/legal-acts/imports/{externalId} does
(its body is the format; see the API reference). Each FILE holds one draft, a JSON array of drafts,
or JSON lines, each draft with its "externalId". EMAIL is the account they are imported as: an
editor of the drafts' bodies, or an administrator. Importing the same file again changes nothing.`

class UsageError extends Error {}

/** The drafts in a file: one JSON object, an array of them, or one per line. */
export function parseDrafts(text: string): unknown[] {
  const trimmed = text.trim()
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as unknown[]
  try {
    return [JSON.parse(trimmed)]
  } catch {
    return trimmed.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as unknown)
  }
}

/** Imports every draft of the files; returns the report's lines and whether each draft was taken. */
export async function runImport(db: Db, config: Pick<Config, 'legalActs' | 'publicUrl'>, argv: string[]): Promise<{ lines: string[]; failed: number }> {
  const { positionals: files, values } = parseArgs({ args: argv, allowPositionals: true, options: { as: { type: 'string' } } })
  if (!values.as || files.length === 0) throw new UsageError(USAGE)
  const user = await findUserByEmail(db, values.as)
  if (!user) throw new UsageError(`No account with the email ${values.as}.`)
  const t = new I18n().for('en')
  const lines: string[] = []
  let failed = 0
  for (const file of files) {
    const drafts = parseDrafts(await readFile(file, 'utf8'))
    for (const [index, item] of drafts.entries()) {
      const { externalId, ...draft } = (item ?? {}) as { externalId?: unknown }
      const label = typeof externalId === 'string' ? externalId : `${file} #${index + 1}`
      try {
        if (typeof externalId !== 'string') throw new UsageError('"externalId" is missing')
        if (!Value.Check(DraftImportBody, draft)) {
          throw new UsageError([...Value.Errors(DraftImportBody, draft)].slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; '))
        }
        const result = await importDraft(db, user, externalId, draft, config.legalActs, config.publicUrl)
        lines.push(`${label}: ${result.created ? 'created' : result.changed.length ? 'changed' : 'unchanged'} #${result.id}${result.changed.length ? ` (${result.changed.join(', ')})` : ''}`)
      } catch (error) {
        failed += 1
        if (error instanceof ValidationError) lines.push(`${label}: refused: ${error.fields.map((f) => `${f.field}: ${t(f.messageKey, f.values)}`).join('; ')}`)
        else if (error instanceof UsageError || error instanceof AppError) lines.push(`${label}: refused: ${error.message}`)
        else throw error
      }
    }
  }
  return { lines, failed }
}

async function main(): Promise<void> {
  const config = loadConfig()
  const db = await openDatabase(config)
  try {
    await migrate(db)
    // The modules' rules of who may do what, which the import asks.
    await loadModules()
    const { lines, failed } = await runImport(db, config, process.argv.slice(2))
    console.log(lines.join('\n'))
    if (failed > 0) process.exitCode = 1
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof SyntaxError) && !(error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) throw error
    console.error(error.message)
    process.exitCode = 1
  } finally {
    await db.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
