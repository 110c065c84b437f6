import { parseArgs } from 'node:util'
import { randomBytes } from 'node:crypto'
import { loadConfig } from '../platform/config.ts'
import { openDatabase, type Db } from '../platform/db/index.ts'
import { migrate } from '../platform/db/migrate.ts'
import { findUserByEmail, grantRole, insertRoleGrant, registerUser } from '../platform/auth/accounts.ts'
import { SYSTEM_ACTOR } from '../platform/audit/index.ts'
import { ROLES, type Role } from '../platform/auth/roles.ts'
import { ValidationError } from '../platform/http/errors.ts'
import { I18n } from '../platform/i18n/index.ts'

const USAGE = `Usage:
  npm run admin -- create-user --email EMAIL [--role ROLE] [--agency SLUG] [--password PASSWORD]
  npm run admin -- grant-role --email EMAIL --role ROLE [--agency SLUG]

Roles: ${ROLES.join(', ')} (agency-editor and agency-head need --agency).
Without --password a strong one is generated and printed once.`

/** Runs one admin command against the configured database; returns what to print. */
export async function runAdminCommand(db: Db, argv: string[]): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { email: { type: 'string' }, role: { type: 'string' }, agency: { type: 'string' }, password: { type: 'string' } },
  })
  const [command] = positionals
  if (!values.email || (command !== 'create-user' && command !== 'grant-role')) throw new UsageError(USAGE)
  if (values.role && !ROLES.includes(values.role as Role)) throw new UsageError(`Unknown role "${values.role}".\n\n${USAGE}`)
  const role = values.role as Role | undefined

  if (command === 'create-user') {
    const password = values.password ?? randomBytes(15).toString('base64url')
    // One transaction: an account whose role cannot be granted is not left behind.
    const user = await db.transaction(async (tx) => {
      const created = await registerUser(tx, { email: values.email!, password })
      if (role) await insertRoleGrant(tx, SYSTEM_ACTOR, created.id, role, values.agency)
      return created
    })
    const lines = [`Created ${user.email}${role ? ` with role ${role}${values.agency ? ` for ${values.agency}` : ''}` : ''}.`]
    if (!values.password) lines.push(`Password (shown once): ${password}`)
    return lines.join('\n')
  }
  if (!role) throw new UsageError(USAGE)
  const user = await findUserByEmail(db, values.email)
  if (!user) throw new UsageError(`No account with the email ${values.email}.`)
  await grantRole(db, SYSTEM_ACTOR, user.id, role, values.agency)
  return `Granted ${role}${values.agency ? ` for ${values.agency}` : ''} to ${user.email}.`
}

export class UsageError extends Error {}

async function main(): Promise<void> {
  const config = loadConfig()
  const db = await openDatabase(config)
  try {
    await migrate(db)
    console.log(await runAdminCommand(db, process.argv.slice(2)))
  } catch (error) {
    if (error instanceof ValidationError) {
      const t = new I18n().for('en')
      console.error(error.fields.map((f) => `${f.field}: ${t(f.messageKey, f.values)}`).join('\n'))
    } else if (error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(error.message)
    } else {
      throw error
    }
    process.exitCode = 1
  } finally {
    await db.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
