import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { spendLimits, type Limit } from '../../../platform/http/rate-limits.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { requireConfirmedEmail } from '../../../platform/auth/email-confirmation.ts'
import { setResidence } from '../../../platform/auth/accounts.ts'
import { recordChange } from '../../../platform/audit/index.ts'
import { StateConflict, transition, type Transition } from '../../../platform/states/index.ts'
import { addDays, daysBetween, isDay, kazakhstanDay, type Day } from '../../../platform/calendar/days.ts'
import { announce, told } from '../../../platform/notifications/events.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { LANGS } from '../../../platform/i18n/index.ts'
import { pollActions, type PollAction, type PollFacts } from './actions.ts'
import { pollClosed, pollPublished } from './events.ts'
import { pollState, pollSql, type PollEventKind, type PollState, type PollStatus } from './states.ts'
import { regionExists } from '../../agencies/service.ts'

/** A poll's options: at least two, at most this many. */
export const POLL_OPTIONS_MAX = 20
const LABEL_MAX = 300
const OTHER_TEXT_MAX = 2000
/** The longest a poll may run, and the furthest ahead it may open. */
const LONGEST_DAYS = 366

/** Ballots per address in an hour, shared by every process: enough for an office's people, not for a script with many accounts. */
export const BALLOT_LIMITS: { address: Limit } = {
  address: { name: 'poll-ballot-address', max: 60, windowSeconds: 3600 },
}

/** A poll as its pages show it. */
export interface Poll {
  id: number
  agency: { id: number; slug: string; name: MultilingualText }
  title: MultilingualText
  description: MultilingualText
  choice: 'single' | 'multiple'
  freeText: boolean
  opensOn: Day
  closesOn: Day
  region: { code: string; name: MultilingualText } | null
  changeable: boolean
  results: 'live' | 'after-close'
  status: PollStatus
  state: PollState
  withdrawnReason: MultilingualText | null
  options: Array<{ id: number; label: MultilingualText }>
  createdAt: Date
}

/** What a poll's counts are, when the reader may see them. */
export interface PollResults {
  ballots: number
  /** Per option, in the poll's order. */
  options: Array<{ id: number; label: MultilingualText; votes: number }>
  /** Ballots with an answer in the voter's own words (their texts are the body's to read). */
  ownWords: number
}

/** Today in Kazakhstan, the day a poll opens and closes by. */
export function today(now = new Date()): Day {
  return kazakhstanDay(now)
}

const SELECT = `
  select p.id, p.agency_id, a.slug as agency_slug, a.name as agency_name, p.title, p.description, p.choice, p.free_text,
    p.opens_on::text as opens_on, p.closes_on::text as closes_on, p.region_code, r.name as region_name, p.changeable, p.results,
    p.status, p.withdrawn_reason, p.created_at,
    coalesce((select json_agg(json_build_object('id', o.id, 'label', o.label) order by o.position) from dialogue_poll_options o where o.poll_id = p.id), '[]') as options
  from dialogue_polls p join agencies a on a.id = p.agency_id left join regions r on r.code = p.region_code`

interface Row {
  id: number; agency_id: number; agency_slug: string; agency_name: MultilingualText; title: MultilingualText; description: MultilingualText
  choice: Poll['choice']; free_text: boolean; opens_on: Day; closes_on: Day; region_code: string | null; region_name: MultilingualText | null
  changeable: boolean; results: Poll['results']; status: PollStatus; withdrawn_reason: MultilingualText | null; created_at: Date
  options: Array<{ id: number | string; label: MultilingualText }>
}

function toPoll(r: Row, day: Day): Poll {
  const poll: Poll = {
    id: r.id, agency: { id: r.agency_id, slug: r.agency_slug, name: r.agency_name }, title: r.title, description: r.description,
    choice: r.choice, freeText: r.free_text, opensOn: r.opens_on, closesOn: r.closes_on,
    region: r.region_code ? { code: r.region_code, name: r.region_name ?? {} } : null, changeable: r.changeable, results: r.results,
    status: r.status, state: 'open', withdrawnReason: r.withdrawn_reason, options: r.options.map((o) => ({ id: Number(o.id), label: o.label })), createdAt: r.created_at,
  }
  poll.state = pollState(poll, day)
  return poll
}

/** One poll (every poll is public from its publication), or NotFound. */
export async function findPoll(db: Queryable, id: number, day = today()): Promise<Poll> {
  const [row] = await db.query<Row>(`${SELECT} where p.id = $1`, [id])
  if (!row) throw new NotFound('poll', String(id))
  return toPoll(row, day)
}

/** A body's polls, or every body's: the open ones first, then the coming, then the closed and withdrawn, latest first. */
export async function listPolls(db: Queryable, filter: { agencyId?: number; limit?: number } = {}, day = today()): Promise<Poll[]> {
  const rows = await db.query<Row>(
    `${SELECT} where ($1::bigint is null or p.agency_id = $1)
     order by case ${pollSql.state('$2')} when 'open' then 0 when 'upcoming' then 1 else 2 end, p.closes_on desc, p.id desc limit $3`,
    [filter.agencyId ?? null, day, filter.limit ?? 50],
  )
  return rows.map((r) => toPoll(r, day))
}

/**
 * Whether this reader sees the counts: always once the poll has closed, while it runs when its body
 * chose so; its body's staff always. A withdrawn poll's counts are its body's alone.
 */
export function mayReadResults(user: User | null | undefined, poll: Pick<Poll, 'agency' | 'results' | 'state'>): boolean {
  if (can(user, 'dialogue.manage', { agencyId: poll.agency.id })) return true
  if (poll.state === 'withdrawn') return false
  return poll.state === 'closed' || (poll.results === 'live' && poll.state === 'open')
}

/** The counts of a poll's ballots, per option; never who voted. */
export async function pollResults(db: Queryable, poll: Pick<Poll, 'id' | 'options'>): Promise<PollResults> {
  const counts = await db.query<{ option_id: string; votes: number }>('select option_id::text, count(*)::int as votes from dialogue_poll_choices where poll_id = $1 group by option_id', [poll.id])
  const byOption = new Map(counts.map((c) => [Number(c.option_id), c.votes]))
  const [totals] = await db.query<{ ballots: number; own_words: number }>(
    'select count(*)::int as ballots, count(other_text)::int as own_words from dialogue_poll_ballots where poll_id = $1', [poll.id],
  )
  return { ballots: totals?.ballots ?? 0, ownWords: totals?.own_words ?? 0, options: poll.options.map((o) => ({ ...o, votes: byOption.get(o.id) ?? 0 })) }
}

/** The answers in voters' own words, for the body's staff (no names: a poll counts, it does not list who). */
export async function ownWordsAnswers(db: Queryable, user: User | null, poll: Pick<Poll, 'id' | 'agency'>): Promise<Array<{ text: string; castAt: Date }>> {
  authorize(user, 'dialogue.manage', { agencyId: poll.agency.id })
  return db.query('select other_text as text, coalesce(changed_at, cast_at) as "castAt" from dialogue_poll_ballots where poll_id = $1 and other_text is not null order by 2', [poll.id])
}

/** This person's ballot in the poll, or null. */
export async function ballotOf(db: Queryable, userId: number | undefined, pollId: number): Promise<{ options: number[]; text: string | null } | null> {
  if (!userId) return null
  const [ballot] = await db.query<{ other_text: string | null; options: Array<number | string> | null }>(
    `select b.other_text, (select array_agg(c.option_id order by c.option_id) from dialogue_poll_choices c where c.poll_id = b.poll_id and c.user_id = b.user_id) as options
     from dialogue_poll_ballots b where b.poll_id = $1 and b.user_id = $2`, [pollId, userId],
  )
  return ballot ? { options: (ballot.options ?? []).map(Number), text: ballot.other_text } : null
}

/** What the rules of its actions read of a poll, given whether this person has a ballot in it. */
function factsOf(poll: Poll, voted: boolean): PollFacts {
  return { agencyId: poll.agency.id, status: poll.state, voted, changeable: poll.changeable }
}

/** What the rules of its actions read of a poll, for this person. */
export async function pollFacts(db: Queryable, user: User | null | undefined, poll: Poll): Promise<PollFacts> {
  return factsOf(poll, Boolean(await ballotOf(db, user?.id, poll.id)))
}

/** The actions this person, whose ballot in it was read already (or is none), may take on the poll now: what its page offers. */
export function availablePollActions(user: User | null | undefined, poll: Poll, ballot: { options: number[] } | null): Partial<Record<PollAction, true>> {
  return pollActions.available(user, factsOf(poll, Boolean(ballot)))
}

/** What a body asks. Options are given as lines, one option a line, in each language. */
export interface NewPoll {
  title: MultilingualText
  description: MultilingualText
  options: Partial<Record<'kk' | 'ru' | 'en', string>>
  choice: string
  freeText: boolean
  opensOn: string
  closesOn: string
  regionCode: string
  changeable: boolean
  results: string
}

const lines = (text: string | undefined) => (text ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean)

/**
 * Publishes a body's poll (its editors and head): from its first day (today or later) to its last,
 * options in Kazakh and Russian (and English, if given) in the same order. The blog's followers are told.
 */
export async function createPoll(db: Db, user: User | null, agencySlug: string, input: NewPoll, origin: string, day = today()): Promise<number> {
  const [agency] = await db.query<{ id: number; name: MultilingualText }>('select id, name from agencies where slug = $1', [agencySlug])
  if (!agency) throw new NotFound('agency', agencySlug)
  const actor = authorize(user, 'dialogue.poll.create', { agencyId: agency.id })
  const title = cleanMultilingual(input.title)
  const description = cleanMultilingual(input.description)
  const problems: FieldError[] = []
  for (const lang of ['kk', 'ru'] as const) if (!title[lang]) problems.push({ field: `title.${lang}`, messageKey: 'dialogue.polls.errors.title' })
  for (const [lang, text] of Object.entries(title)) if (text.length > 500) problems.push({ field: `title.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: 500 } })
  for (const [lang, text] of Object.entries(description)) if (text.length > 5000) problems.push({ field: `description.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: 5000 } })
  const optionLines = Object.fromEntries(LANGS.map((lang) => [lang, lines(input.options[lang])])) as Record<'kk' | 'ru' | 'en', string[]>
  const count = optionLines.kk.length
  if (count < 2 || count > POLL_OPTIONS_MAX) problems.push({ field: 'options.kk', messageKey: 'dialogue.polls.errors.optionCount', values: { max: POLL_OPTIONS_MAX } })
  for (const lang of ['ru', 'en'] as const) {
    // English is optional; Russian, and English when given, has the Kazakh list's options in its order.
    if ((lang === 'ru' || optionLines.en.length > 0) && optionLines[lang].length !== count) problems.push({ field: `options.${lang}`, messageKey: 'dialogue.polls.errors.optionsMatch', values: { count } })
  }
  for (const lang of LANGS) if (optionLines[lang].some((l) => l.length > LABEL_MAX)) problems.push({ field: `options.${lang}`, messageKey: 'dialogue.polls.errors.optionLength', values: { limit: LABEL_MAX } })
  if (input.choice !== 'single' && input.choice !== 'multiple') problems.push({ field: 'choice', messageKey: 'dialogue.polls.errors.choice' })
  if (input.results !== 'live' && input.results !== 'after-close') problems.push({ field: 'results', messageKey: 'dialogue.polls.errors.results' })
  const opensOn = input.opensOn.trim()
  const closesOn = input.closesOn.trim()
  if (!isDay(opensOn) || opensOn < day || opensOn > addDays(day, LONGEST_DAYS)) problems.push({ field: 'opensOn', messageKey: 'dialogue.polls.errors.opensOn', values: { today: day } })
  else if (!isDay(closesOn) || closesOn < opensOn || daysBetween(opensOn, closesOn) > LONGEST_DAYS) problems.push({ field: 'closesOn', messageKey: 'dialogue.polls.errors.closesOn', values: { days: LONGEST_DAYS } })
  const regionCode = input.regionCode.trim() || null
  if (regionCode && !(await regionExists(db, regionCode))) problems.push({ field: 'regionCode', messageKey: 'agencies.errors.regionUnknown' })
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `insert into dialogue_polls (agency_id, title, description, choice, free_text, opens_on, closes_on, region_code, changeable, results, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
      [agency.id, title, description, input.choice, input.freeText, opensOn, closesOn, regionCode, input.changeable, input.results, actor.id],
    )
    const id = Number(row!.id)
    for (let i = 0; i < count; i += 1) {
      const label = cleanMultilingual({ kk: optionLines.kk[i], ru: optionLines.ru[i], ...(optionLines.en[i] ? { en: optionLines.en[i] } : {}) })
      await tx.query('insert into dialogue_poll_options (poll_id, position, label) values ($1, $2, $3)', [id, i + 1, label])
    }
    await recordPollEvent(tx, id, 'published', actor.id, { opensOn, closesOn })
    await recordChange(tx, { id: actor.id, email: actor.email }, { action: 'dialogue.poll.create', entity: 'poll', entityId: String(id), before: null, after: { title, opensOn, closesOn, options: count } })
    await announce(tx, pollPublished, { id, agencySlug, agencyName: agency.name, title, opensOn, closesOn: closesOn as Day, actorId: actor.id }, origin)
    return id
  })
}

async function recordPollEvent(tx: Queryable, id: number, kind: PollEventKind, actorId: number | null, detail: Record<string, unknown> = {}): Promise<void> {
  await tx.query('insert into dialogue_poll_events (poll_id, kind, actor_id, detail) values ($1, $2, $3, $4)', [id, kind, actorId, detail])
}

/** A poll's life, dated, oldest first. */
export async function pollEvents(db: Queryable, id: number): Promise<Array<{ kind: PollEventKind; at: Date; detail: Record<string, unknown> }>> {
  return db.query('select kind, at, detail from dialogue_poll_events where poll_id = $1 order by at, id', [id])
}

/** A ballot as a form or the API sends it: the options chosen, the voter's own words, and where they live when the poll asks. */
export interface BallotInput {
  options: number[]
  text?: string
  regionCode?: string
}

/**
 * Casts (or, where the poll allows, changes) a person's ballot: signed in with a confirmed address,
 * while the poll is open, a resident of its region when it has one (as they state it, kept on their
 * account). One ballot per person and poll, whatever arrives at once. Returns whether it was a change.
 */
export async function castBallot(db: Db, who: { user: User | null; address: string }, id: number, input: BallotInput, day = today()): Promise<{ changed: boolean }> {
  const poll = await findPoll(db, id, day)
  const voter = pollActions.require(who.user, 'vote', await pollFacts(db, who.user, poll))
  requireConfirmedEmail(voter)
  const problems: FieldError[] = []
  const chosen = [...new Set(input.options)]
  const known = new Set(poll.options.map((o) => o.id))
  if (chosen.length === 0 || (poll.choice === 'single' && chosen.length > 1) || chosen.some((o) => !known.has(o))) {
    problems.push({ field: 'choice', messageKey: poll.choice === 'single' ? 'dialogue.polls.errors.chooseOne' : 'dialogue.polls.errors.chooseSome' })
  }
  const text = poll.freeText ? input.text?.trim() || null : null
  if (text && text.length > OTHER_TEXT_MAX) problems.push({ field: 'text', messageKey: 'platform.validation.maxLength', values: { limit: OTHER_TEXT_MAX } })
  let residence = voter.regionCode ?? null
  if (poll.region) {
    const stated = input.regionCode?.trim() || residence
    if (!stated) problems.push({ field: 'regionCode', messageKey: 'dialogue.polls.errors.residenceRequired' })
    else if (stated !== poll.region.code) problems.push({ field: 'regionCode', messageKey: 'dialogue.polls.errors.residence' })
    residence = stated
  }
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    // A withdrawal or the closing committed meanwhile is what is read here.
    const [now] = await tx.query<{ status: PollStatus }>('select status from dialogue_polls where id = $1 for share', [id])
    if (!now || pollState({ ...poll, status: now.status }, day) !== 'open') {
      throw new StateConflict('poll', String(id), now?.status ?? null, ['published'], (state) => `dialogue.polls.statuses.${state}`, `/dialogue/polls/${id}`)
    }
    await spendLimits(tx, [{ limit: BALLOT_LIMITS.address, key: who.address }])
    if (poll.region && residence && residence !== voter.regionCode) await setResidence(tx, voter.id, residence)
    const inserted = await tx.query('insert into dialogue_poll_ballots (poll_id, user_id, other_text) values ($1, $2, $3) on conflict do nothing returning user_id', [id, voter.id, text])
    let changed = false
    if (inserted.length === 0) {
      // Two ballots of one person at once: the second finds the first, and changes it only where the poll allows.
      if (!poll.changeable) throw new ValidationError([{ field: 'choice', messageKey: 'dialogue.polls.errors.votedOnce' }])
      await tx.query('update dialogue_poll_ballots set other_text = $3, changed_at = now() where poll_id = $1 and user_id = $2', [id, voter.id, text])
      await tx.query('delete from dialogue_poll_choices where poll_id = $1 and user_id = $2', [id, voter.id])
      changed = true
    }
    await tx.query(
      'insert into dialogue_poll_choices (poll_id, user_id, option_id) select $1, $2, unnest($3::bigint[])', [id, voter.id, chosen],
    )
    return { changed }
  })
}

/** A poll's change of state by a person: its row, its event, its audit row (see transition). */
function pollChange(user: User, id: number, from: readonly PollStatus[], to: PollStatus, action: string, event: { kind: PollEventKind; detail?: Record<string, unknown> },
  set: Transition<PollStatus>['set'] = {}, after: Record<string, unknown> = {}): Transition<PollStatus> {
  return {
    table: 'dialogue_polls', id, from, to, set,
    event: { table: 'dialogue_poll_events', itemColumn: 'poll_id', ...event, columns: { actor_id: user.id } },
    audit: { actor: { id: user.id, email: user.email }, action, entity: 'poll', after },
    labelKey: (state) => `dialogue.polls.statuses.${state}`, href: `/dialogue/polls/${id}`,
  }
}

/** Withdraws a poll before it closes (a mistake in it), with the reason the public reads; its ballots stay, its counts become its body's alone. */
export async function withdrawPoll(db: Db, user: User | null, id: number, reason: MultilingualText, day = today()): Promise<void> {
  const poll = await findPoll(db, id, day)
  const actor = pollActions.require(user, 'withdraw', await pollFacts(db, user, poll))
  const cleaned = cleanMultilingual(reason)
  if (!cleaned.kk && !cleaned.ru) throw new ValidationError([{ field: 'reason.ru', messageKey: 'dialogue.polls.errors.reasonRequired' }])
  await db.transaction(async (tx) => {
    await transition(tx, pollChange(actor, id, ['published'], 'withdrawn', 'dialogue.poll.withdraw', { kind: 'withdrawn', detail: { reason: cleaned } }, { withdrawn_reason: cleaned }, { reason: cleaned }))
  })
}

/**
 * Closes every poll whose last day has ended, and tells the blog's followers its results are there.
 * Run by a job; returns the polls closed. Its readers see it closed from the day after its last
 * whether or not this has run (states.ts): this records the closing and tells of it.
 */
export async function closeEndedPolls(db: Db, origin: string, day = today()): Promise<number[]> {
  const due = await db.query<{ id: number }>("select id from dialogue_polls where status = 'published' and closes_on < $1::date order by id", [day])
  const closed: number[] = []
  for (const { id } of due) {
    const poll = await findPoll(db, Number(id), day)
    const { ballots } = await pollResults(db, poll)
    await db.transaction(async (tx) => {
      try {
        await transition(tx, {
          table: 'dialogue_polls', id: poll.id, from: ['published'], to: 'closed',
          event: { table: 'dialogue_poll_events', itemColumn: 'poll_id', kind: 'closed', detail: { ballots } },
          labelKey: (state) => `dialogue.polls.statuses.${state}`, href: `/dialogue/polls/${poll.id}`,
          tell: told(pollClosed, { id: poll.id, agencySlug: poll.agency.slug, agencyName: poll.agency.name, title: poll.title, ballots }, origin),
        })
      } catch (error) {
        // Withdrawn meanwhile, or closed by another process first.
        if (error instanceof StateConflict) return
        throw error
      }
      closed.push(poll.id)
    })
  }
  return closed
}
