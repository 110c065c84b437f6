import type { FastifyInstance } from 'fastify'
import type { Db } from '../../src/platform/db/index.ts'
import { Browser } from './forms.ts'
import { registerUser, grantRole } from '../../src/platform/auth/accounts.ts'
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.ts'
import { createApiToken } from '../../src/platform/auth/tokens.ts'
import type { Role } from '../../src/platform/auth/roles.ts'
import type { Lang } from '../../src/platform/i18n/index.ts'

let sequence = 0
export const TEST_PASSWORD = 'steppe-eagle-over-altai'

/** What else a test user has: a confirmed address (commenting needs one), a language for their mail, a name. */
export interface UserOptions {
  confirmed?: boolean
  lang?: Lang
  displayName?: string
}

/** A user with the given role (scoped to agencySlug for agency roles); the password is TEST_PASSWORD. */
export async function makeUser(db: Db, role?: Role, agencySlug?: string, options: UserOptions = {}) {
  sequence += 1
  const user = await registerUser(db, { email: `user${sequence}-${Date.now()}@example.kz`, password: TEST_PASSWORD, lang: options.lang, displayName: options.displayName })
  if (role) await grantRole(db, SYSTEM_ACTOR, user.id, role, agencySlug)
  if (options.confirmed) {
    await db.query('update users set email_confirmed_at = now() where id = $1', [user.id])
    user.emailConfirmed = true
  }
  return user
}

/** An API token of a new editor of the body agencySlug. */
export async function editorToken(db: Db, agencySlug: string): Promise<string> {
  const user = await makeUser(db, 'agency-editor', agencySlug)
  return (await createApiToken(db, SYSTEM_ACTOR, user.id, 'test')).token
}

/** A browser signed in as a new user with the given role (scoped to agencySlug for agency roles). */
export async function signedInBrowser(app: FastifyInstance, db: Db, role?: Role, agencySlug?: string, options: UserOptions = {}): Promise<Browser> {
  const user = await makeUser(db, role, agencySlug, options)
  const browser = new Browser(app)
  const response = await browser.post('/en/sign-in', { email: user.email, password: TEST_PASSWORD })
  if (response.statusCode !== 303) throw new Error(`sign-in failed with ${response.statusCode}`)
  return browser
}
