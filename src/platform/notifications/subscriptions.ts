import type { Db, Queryable } from '../db/index.ts'
import { NotFound, ValidationError } from '../http/errors.ts'
import { requireConfirmedEmail } from '../auth/email-confirmation.ts'
import { newSecret } from '../auth/secrets.ts'
import type { User } from '../auth/roles.ts'
import type { Lang } from '../i18n/index.ts'
import type { MultilingualText } from '../i18n/multilingual.ts'
import { enqueueMail } from './outbox.ts'
import { translate } from './messages.ts'

/** What can be followed under one prefix of topics ("agency", "topic", "legal-act"), said by the module that owns it. */
export interface Followable {
  prefix: string
  /** The title and page of one topic ("agency:ministry-of-finance" → its key "ministry-of-finance"). */
  find(db: Queryable, key: string): Promise<{ title: MultilingualText; path: string } | undefined>
}

const followables = new Map<string, Followable>()

/** Registers a kind of followable topic (by the module's definition); a prefix may be registered once, the same kind again changes nothing. */
export function defineFollowable(followable: Followable): void {
  const known = followables.get(followable.prefix)
  if (known === followable) return
  if (known) throw new Error(`Followable "${followable.prefix}" is defined twice`)
  followables.set(followable.prefix, followable)
}

async function describe(db: Queryable, topic: string) {
  const colon = topic.indexOf(':')
  const followable = colon > 0 ? followables.get(topic.slice(0, colon)) : undefined
  return followable ? followable.find(db, topic.slice(colon + 1)) : undefined
}

/** Follows a topic (a person with a confirmed address); following it again changes nothing. */
export async function subscribe(db: Db, user: User, topic: string): Promise<void> {
  requireConfirmedEmail(user)
  if (!(await describe(db, topic))) throw new ValidationError([{ field: 'topic', messageKey: 'platform.subscriptions.unknown' }])
  await db.query(
    'insert into subscriptions (user_id, topic, unsubscribe_token) values ($1, $2, $3) on conflict (user_id, topic) do nothing',
    [user.id, topic, newSecret()],
  )
}

/** Stops following, by the person's own subscription's id. */
export async function unsubscribe(db: Db, user: User, id: number): Promise<void> {
  const removed = await db.query('delete from subscriptions where id = $1 and user_id = $2 returning id', [id, user.id])
  if (removed.length === 0) throw new NotFound('subscription', String(id))
}

/** Stops following by the link in a mail; returns the topic's title, or undefined for a link that no longer works. */
export async function unsubscribeByToken(db: Db, token: string): Promise<MultilingualText | undefined> {
  const [row] = await db.query<{ topic: string }>('delete from subscriptions where unsubscribe_token = $1 returning topic', [token])
  return row ? (await describe(db, row.topic))?.title ?? {} : undefined
}

/** The id of the user's subscription to the topic, or null (for a follow button). */
export async function subscriptionId(db: Queryable, userId: number | undefined, topic: string): Promise<number | null> {
  if (!userId) return null
  const [row] = await db.query<{ id: number }>('select id from subscriptions where user_id = $1 and topic = $2', [userId, topic])
  return row?.id ?? null
}

/** What a person follows, with each topic's title and page. */
export async function listSubscriptions(db: Db, userId: number): Promise<Array<{ id: number; topic: string; title: MultilingualText; path: string | null }>> {
  const rows = await db.query<{ id: number; topic: string }>('select id, topic from subscriptions where user_id = $1 order by created_at', [userId])
  return Promise.all(rows.map(async (r) => {
    const found = await describe(db, r.topic)
    return { id: r.id, topic: r.topic, title: found?.title ?? { en: r.topic }, path: found?.path ?? null }
  }))
}

/**
 * Puts a mail in the outbox for every follower of any of the topics (once per person, whatever they
 * follow of it), in the caller's transaction, in each follower's language, with a link that ends the
 * subscription. `occurrence` names the event, so that it never mails a person twice. Called by the
 * events' announcer (events.ts), which is how modules tell followers.
 */
export async function mailFollowers(
  tx: Queryable,
  topics: readonly string[],
  occurrence: string | null,
  message: (lang: Lang) => { subject: string; text: string },
  options: { origin: string; kind: string; except: readonly number[] },
): Promise<number> {
  const followers = await tx.query<{ user_id: number; email: string; lang: Lang; unsubscribe_token: string }>(
    `select distinct on (u.id) u.id as user_id, u.email, u.lang, s.unsubscribe_token
     from subscriptions s join users u on u.id = s.user_id
     where s.topic = any($1) and u.email_confirmed_at is not null and u.id <> all($2::int[])
     order by u.id, s.created_at`,
    [[...topics], [...options.except]],
  )
  let queued = 0
  for (const f of followers) {
    const { subject, text } = message(f.lang)
    const stop = `${options.origin}/${f.lang}/subscriptions/unsubscribe?token=${encodeURIComponent(f.unsubscribe_token)}`
    const sent = await enqueueMail(tx, {
      to: f.email, lang: f.lang, kind: options.kind, ...(occurrence ? { dedupeKey: `${occurrence}:${f.user_id}` } : {}),
      subject, text: `${text}\n\n--\n${translate(f.lang, 'platform.subscriptions.mailFooter', { link: stop })}`,
    })
    if (sent) queued += 1
  }
  return queued
}
