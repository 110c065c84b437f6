import type { FastifyInstance } from 'fastify'
import type { Db } from '../../src/platform/db/index.ts'
import { Browser } from './forms.ts'
import { registerUser, grantRole } from '../../src/platform/auth/accounts.ts'
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.ts'
import { createApiToken } from '../../src/platform/auth/tokens.ts'
import type { Role } from '../../src/platform/auth/roles.ts'

let sequence = 0
export const TEST_PASSWORD = 'steppe-eagle-over-altai'

/** A user with the given role (scoped to agencySlug for agency roles); the password is TEST_PASSWORD. */
export async function makeUser(db: Db, role?: Role, agencySlug?: string) {
  sequence += 1
  const user = await registerUser(db, { email: `user${sequence}-${Date.now()}@example.kz`, password: TEST_PASSWORD })
  if (role) await grantRole(db, SYSTEM_ACTOR, user.id, role, agencySlug)
  return user
}

/** An API token of a new editor of the body agencySlug. */
export async function editorToken(db: Db, agencySlug: string): Promise<string> {
  const user = await makeUser(db, 'agency-editor', agencySlug)
  return (await createApiToken(db, SYSTEM_ACTOR, user.id, 'test')).token
}

/** A browser signed in as a new user with the given role (scoped to agencySlug for agency roles). */
export async function signedInBrowser(app: FastifyInstance, db: Db, role?: Role, agencySlug?: string): Promise<Browser> {
  const user = await makeUser(db, role, agencySlug)
  const browser = new Browser(app)
  const response = await browser.post('/en/sign-in', { email: user.email, password: TEST_PASSWORD })
  if (response.statusCode !== 303) throw new Error(`sign-in failed with ${response.statusCode}`)
  return browser
}
