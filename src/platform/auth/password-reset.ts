import type { Db } from '../db/index.ts'
import { TooManyRequests, ValidationError } from '../http/errors.ts'
import { spendLimits, type Limit } from '../http/rate-limits.ts'
import { enqueueMail } from '../notifications/outbox.ts'
import { mailText } from '../notifications/messages.ts'
import { recordChange } from '../audit/index.ts'
import { findUserByEmail, normalizeEmail } from './accounts.ts'
import { hashPassword, passwordProblem } from './passwords.ts'
import { secretHash, storeMailedToken } from './secrets.ts'

/** How long a reset link works: long enough to open the mail, short enough that an old mailbox opens nothing. */
export const RESET_MINUTES = 60

/**
 * How many links may be asked for: from one network address (a script trying addresses is slowed,
 * with 429), and for one account (an address is not flooded with mail: past the limit, no more mail
 * is sent, and the answer stays the same).
 */
export const RESET_LIMITS: { address: Limit; account: Limit } = {
  address: { name: 'password-reset-address', max: 10, windowSeconds: 3600 },
  account: { name: 'password-reset-account', max: 3, windowSeconds: 3600 },
}

/**
 * Asks for a reset link for an address. The answer is the same whether an account uses it or not:
 * the caller shows one page either way. A link is mailed only to an existing account, within its limit.
 */
export async function requestPasswordReset(db: Db, input: { email: string; address: string }, origin: string): Promise<void> {
  const email = normalizeEmail(input.email)
  if (!email) throw new ValidationError([{ field: 'email', messageKey: 'platform.auth.reset.emailRequired' }])
  await db.transaction(async (tx) => {
    await spendLimits(tx, [{ limit: RESET_LIMITS.address, key: input.address }])
  })
  const user = await findUserByEmail(db, email)
  if (!user) return
  try {
    await db.transaction(async (tx) => {
      await spendLimits(tx, [{ limit: RESET_LIMITS.account, key: String(user.id) }])
      const secret = await storeMailedToken(tx, 'password_resets', user, RESET_MINUTES)
      const link = `${origin}/${user.lang}/account/reset?token=${encodeURIComponent(secret)}`
      await enqueueMail(tx, { to: user.email, lang: user.lang, kind: 'password-reset', ...mailText(user.lang, 'platform.mail.reset', { link, minutes: RESET_MINUTES }) })
    })
  } catch (error) {
    // Past the account's limit the answer is the same as for any other address: nothing says it exists.
    if (!(error instanceof TooManyRequests)) throw error
  }
}

/** Whether a reset link still works (for the page it opens: a used or expired link says so at once). */
export async function checkResetLink(db: Db, secret: string): Promise<void> {
  const [link] = await db.query<{ expired: boolean; used: boolean }>('select expires_at <= now() as expired, used_at is not null as used from password_resets where token_hash = $1', [secretHash(secret)])
  refuseLink(link)
}

function refuseLink(link: { expired: boolean; used: boolean } | undefined): void {
  if (!link || link.used) throw new ValidationError([{ field: 'token', messageKey: 'platform.auth.reset.invalid' }])
  if (link.expired) throw new ValidationError([{ field: 'token', messageKey: 'platform.auth.reset.expired', values: { minutes: RESET_MINUTES } }])
}

/**
 * Sets a new password with a reset link: the link and every other one the account was sent stop
 * working, every session of the account ends (a thief signed in with the old password is signed out),
 * the address counts as confirmed (the link reached it), and the owner is told by mail.
 */
export async function resetPassword(db: Db, secret: string, password: string): Promise<void> {
  const [found] = await db.query<{ email: string }>('select email from password_resets where token_hash = $1', [secretHash(secret)])
  const weak = passwordProblem(password, found?.email ?? '')
  if (weak) throw new ValidationError([weak])
  const passwordHash = await hashPassword(password)
  await db.transaction(async (tx) => {
    const [link] = await tx.query<{ user_id: number; email: string; expired: boolean; used: boolean }>(
      'select user_id, email, expires_at <= now() as expired, used_at is not null as used from password_resets where token_hash = $1 for update',
      [secretHash(secret)],
    )
    refuseLink(link)
    const [user] = await tx.query<{ id: number; email: string; lang: 'kk' | 'ru' | 'en' }>(
      'update users set password_hash = $3, email_confirmed_at = coalesce(email_confirmed_at, now()) where id = $1 and email = $2 returning id, email, lang',
      [link!.user_id, link!.email, passwordHash],
    )
    if (!user) throw new ValidationError([{ field: 'token', messageKey: 'platform.auth.reset.invalid' }])
    await tx.query('update password_resets set used_at = now() where user_id = $1 and used_at is null', [user.id])
    await tx.query('delete from sessions where user_id = $1', [user.id])
    await recordChange(tx, { id: user.id, email: user.email }, { action: 'user.password-reset', entity: 'user', entityId: String(user.id), before: {}, after: {} })
    await enqueueMail(tx, { to: user.email, lang: user.lang, kind: 'password-changed', ...mailText(user.lang, 'platform.mail.passwordChanged', {}) })
  })
}
