import type { Db, Queryable } from '../db/index.ts'
import { AppError, TooManyRequests, ValidationError } from '../http/errors.ts'
import { enqueueMail } from '../notifications/outbox.ts'
import { mailText } from '../notifications/messages.ts'
import type { Lang } from '../i18n/index.ts'
import type { User } from './roles.ts'
import { secretHash, storeMailedToken } from './secrets.ts'

/** How long a confirmation link works. */
export const CONFIRMATION_HOURS = 48
// Links one account may ask for in an hour: enough for a lost mail, not for mail-bombing an address.
const LINKS_PER_HOUR = 5

/** The person has not proved their address yet, and the action needs it (commenting, asking, signing). */
export class EmailNotConfirmed extends AppError {
  readonly status = 403
  readonly code = 'email-not-confirmed'
  constructor() {
    super('The account has not confirmed its email address')
  }
}

/** Throws EmailNotConfirmed unless the user has confirmed their address. */
export function requireConfirmedEmail(user: User): User {
  if (!user.emailConfirmed) throw new EmailNotConfirmed()
  return user
}

/**
 * Writes a confirmation link for the account's address and puts the mail with it in the outbox, in
 * the caller's transaction (registration: the account and its mail are written together, or neither).
 * origin: the site's address as the person reached it, for the link.
 */
export async function sendConfirmationLink(tx: Queryable, user: { id: number; email: string; lang: Lang }, origin: string): Promise<void> {
  const [recent] = await tx.query<{ count: number }>(
    "select count(*)::int as count from email_confirmations where user_id = $1 and created_at > now() - interval '1 hour'",
    [user.id],
  )
  if ((recent?.count ?? 0) >= LINKS_PER_HOUR) throw new TooManyRequests(3600)
  const secret = await storeMailedToken(tx, 'email_confirmations', user, CONFIRMATION_HOURS * 60)
  const link = `${origin}/${user.lang}/account/confirm?token=${encodeURIComponent(secret)}`
  await enqueueMail(tx, { to: user.email, lang: user.lang, kind: 'email-confirmation', ...mailText(user.lang, 'platform.mail.confirm', { link, hours: CONFIRMATION_HOURS }) })
}

/** Confirms the address a link was sent to; returns the account's id. A used, expired or unknown link is a field error. */
export async function confirmEmail(db: Db, secret: string): Promise<number> {
  return db.transaction(async (tx) => {
    const [link] = await tx.query<{ user_id: number; email: string; expired: boolean; used: boolean }>(
      'select user_id, email, expires_at <= now() as expired, used_at is not null as used from email_confirmations where token_hash = $1 for update',
      [secretHash(secret)],
    )
    if (!link || link.used) throw new ValidationError([{ field: 'token', messageKey: 'platform.auth.confirm.invalid' }])
    if (link.expired) throw new ValidationError([{ field: 'token', messageKey: 'platform.auth.confirm.expired', values: { hours: CONFIRMATION_HOURS } }])
    await tx.query('update email_confirmations set used_at = now() where token_hash = $1', [secretHash(secret)])
    const confirmed = await tx.query(
      'update users set email_confirmed_at = coalesce(email_confirmed_at, now()) where id = $1 and email = $2 returning id',
      [link.user_id, link.email],
    )
    if (confirmed.length === 0) throw new ValidationError([{ field: 'token', messageKey: 'platform.auth.confirm.invalid' }])
    return link.user_id
  })
}
