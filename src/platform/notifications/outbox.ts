import type { Db, Queryable } from '../db/index.ts'
import type { Lang } from '../i18n/index.ts'
import { currentRequestId } from '../http/request-context.ts'

/** One mail to send, in its recipient's language. */
export interface Mail {
  to: string
  lang: Lang
  /** What it tells of (email-confirmation, comment-reply…). */
  kind: string
  subject: string
  text: string
  /** The event's own key: the same key enqueued twice (a retried request) is one mail. */
  dedupeKey?: string
}

/** What sends mail: nodemailer's transport, or anything that answers as it does. */
export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string; messageId: string; headers: Record<string, string> }): Promise<unknown>
}

/** The transport and the sender's address, when the site sends mail at all. */
export interface MailSender {
  transport: MailTransport
  from: string
}

/** The channel the sender job listens on: a committed mail starts a round at once. */
export const OUTBOX_CHANNEL = 'outbox'

/**
 * Puts a mail in the outbox, in the caller's transaction: it is sent if, and only if, the event that
 * wrote it commits. Returns false when a mail with the same dedupe key is already there.
 */
export async function enqueueMail(tx: Queryable, mail: Mail): Promise<boolean> {
  const rows = await tx.query(
    `insert into outbox (recipient, lang, kind, subject, body, dedupe_key, request_id) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (dedupe_key) do nothing returning id`,
    [mail.to, mail.lang, mail.kind, mail.subject, mail.text, mail.dedupeKey ?? null, currentRequestId()],
  )
  if (rows.length > 0) await tx.query(`select pg_notify('${OUTBOX_CHANNEL}', '')`)
  return rows.length > 0
}

// A mail the SMTP server keeps refusing for a while (it is down, the mailbox is full) is tried again
// after 1, 2, 4… minutes, at most 6 hours apart, and given up after this many attempts (about two days).
export const MOST_ATTEMPTS = 14
const LONGEST_WAIT_MINUTES = 360

/** Minutes to wait before the next attempt, after so many have failed. */
export function retryWaitMinutes(attempts: number): number {
  return Math.min(LONGEST_WAIT_MINUTES, 2 ** Math.max(0, attempts - 1))
}

// How long a sender's claim on a mail holds: past it, a sender that stopped mid-way (a killed
// process) is taken to have failed, and the mail is tried again.
const CLAIM_MINUTES = 10
const BATCH = 20

interface OutboxRow {
  id: number
  recipient: string
  subject: string
  body: string
  attempts: number
  requestId: string | null
}

// 5xx from an SMTP server is its final word on this mail (no such mailbox, refused): no retry helps.
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode
  return typeof code === 'number' && code >= 500 && code < 600
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1000)
}

function domainOf(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost'
}

/**
 * Sends the mail that is due, a batch at a time, until none is; returns how many were sent. A mail
 * is claimed before it is sent (two senders never take the same one), marked sent once the SMTP
 * server accepted it (never sent again after), and on failure waits for its next attempt. Its
 * Message-ID is fixed by its row, so a mail sent again after a sender died between the server's
 * acceptance and the mark is the same message to the receiving side.
 */
export async function sendDueMail(db: Db, sender: MailSender): Promise<{ sent: number; failed: number }> {
  const domain = domainOf(sender.from)
  let sent = 0
  let failed = 0
  for (;;) {
    const claimed = await db.query<OutboxRow>(
      `update outbox set state = 'sending', attempts = attempts + 1, claimed_until = now() + make_interval(mins => $2)
       where id in (
         select id from outbox
         where (state = 'pending' and next_attempt_at <= now()) or (state = 'sending' and claimed_until < now())
         order by id limit $1 for update skip locked)
       returning id, recipient, subject, body, attempts, request_id as "requestId"`,
      [BATCH, CLAIM_MINUTES],
    )
    if (claimed.length === 0) return { sent, failed }
    for (const mail of claimed.sort((a, b) => a.id - b.id)) {
      try {
        await sender.transport.sendMail({
          from: sender.from,
          to: mail.recipient,
          subject: mail.subject,
          text: mail.body,
          messageId: `<outbox-${mail.id}@${domain}>`,
          // Out-of-office replies are not sent back to a site's automatic mail (RFC 3834). The
          // request that wrote the mail is named, to find its log lines from a mail someone shows.
          headers: { 'Auto-Submitted': 'auto-generated', ...(mail.requestId ? { 'X-Request-Id': mail.requestId } : {}) },
        })
        await db.query("update outbox set state = 'sent', sent_at = now(), claimed_until = null, last_error = null where id = $1", [mail.id])
        sent += 1
      } catch (error) {
        const final = isPermanent(error) || mail.attempts >= MOST_ATTEMPTS
        await db.query(
          `update outbox set state = $2, claimed_until = null, last_error = $3,
             next_attempt_at = now() + make_interval(mins => $4) where id = $1`,
          [mail.id, final ? 'failed' : 'pending', errorText(error), retryWaitMinutes(mail.attempts)],
        )
        if (final) failed += 1
      }
    }
  }
}

/** One mail of the outbox, as administrators see it. */
export interface OutboxEntry {
  id: number
  createdAt: string
  recipient: string
  lang: Lang
  kind: string
  subject: string
  body: string
  state: 'pending' | 'sending' | 'sent' | 'failed'
  attempts: number
  nextAttemptAt: string
  sentAt: string | null
  lastError: string | null
}

/** The latest mail, newest first, and how many are in each state. */
export async function listOutbox(db: Db, limit = 100): Promise<{ entries: OutboxEntry[]; counts: Record<OutboxEntry['state'], number> }> {
  const entries = await db.query<OutboxEntry>(
    `select id, created_at as "createdAt", recipient, lang, kind, subject, body, state, attempts,
       next_attempt_at as "nextAttemptAt", sent_at as "sentAt", last_error as "lastError"
     from outbox order by created_at desc, id desc limit $1`,
    [limit],
  )
  const rows = await db.query<{ state: OutboxEntry['state']; count: number }>('select state, count(*)::int as count from outbox group by state')
  const counts = { pending: 0, sending: 0, sent: 0, failed: 0 }
  for (const r of rows) counts[r.state] = r.count
  return { entries, counts }
}

/** Puts failed mail back in line (after the SMTP settings were mended, say); returns how many. */
export async function retryFailedMail(db: Db): Promise<number> {
  const rows = await db.query("update outbox set state = 'pending', attempts = 0, next_attempt_at = now(), last_error = null where state = 'failed' returning id")
  if (rows.length > 0) await db.query(`select pg_notify('${OUTBOX_CHANNEL}', '')`)
  return rows.length
}
