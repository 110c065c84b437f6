import { randomBytes } from 'node:crypto'
import type { Db } from '../platform/db/index.ts'
import { insertRoleGrant, normalizeEmail } from '../platform/auth/accounts.ts'
import { hashPassword } from '../platform/auth/passwords.ts'
import { SYSTEM_ACTOR } from '../platform/audit/index.ts'
import type { Role } from '../platform/auth/roles.ts'

export const DEMO_DOMAIN = 'demo.ashyq.kz'

/** One demo account for every role; the editor and the head act for the Ministry of Finance. */
const DEMO_USERS: { email: string; role?: Role; agency?: string }[] = [
  { email: `admin@${DEMO_DOMAIN}`, role: 'admin' },
  { email: `commission@${DEMO_DOMAIN}`, role: 'commission' },
  { email: `editor@${DEMO_DOMAIN}`, role: 'agency-editor', agency: 'ministry-of-finance' },
  { email: `head@${DEMO_DOMAIN}`, role: 'agency-head', agency: 'ministry-of-finance' },
  { email: `citizen@${DEMO_DOMAIN}` },
]

export interface DemoCredentials {
  email: string
  role: string
  password: string
}

/**
 * Gives every demo account a fresh random password, printed at start so that whoever runs the demo
 * can sign in. Creates the accounts when `create` is set (right after the demo data is loaded);
 * otherwise only accounts of the demo domain that already exist are touched, so a real database
 * that never held the demo is left alone.
 */
export async function resetDemoUsers(db: Db, { create }: { create: boolean }): Promise<DemoCredentials[]> {
  const credentials: DemoCredentials[] = []
  // Hashed side by side, on the thread pool: one after another they took most of a restart's second.
  const passwords = DEMO_USERS.map(() => randomBytes(12).toString('base64url'))
  const hashes = await Promise.all(passwords.map((password) => hashPassword(password)))
  await db.transaction(async (tx) => {
    for (const [i, demo] of DEMO_USERS.entries()) {
      const password = passwords[i]!
      const passwordHash = hashes[i]!
      const email = normalizeEmail(demo.email)
      const [row] = create
        ? await tx.query<{ id: number }>(
          // The demo's addresses receive no mail: they are taken as confirmed.
          `insert into users (email, password_hash, display_name, email_confirmed_at) values ($1, $2, $3, now())
           on conflict (email) do update set password_hash = excluded.password_hash returning id`,
          [email, passwordHash, 'Demo'],
        )
        : await tx.query<{ id: number }>('update users set password_hash = $2 where email = $1 returning id', [email, passwordHash])
      if (!row) continue
      if (demo.role) await insertRoleGrant(tx, SYSTEM_ACTOR, row.id, demo.role, demo.agency)
      // A new password ends the sessions opened with the old one.
      await tx.query('delete from sessions where user_id = $1', [row.id])
      credentials.push({ email, role: demo.role ?? 'citizen', password })
    }
  })
  return credentials
}
