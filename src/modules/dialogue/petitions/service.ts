import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { spendLimits, type Limit } from '../../../platform/http/rate-limits.ts'
import { holdIdempotencyKey, idempotencyKey } from '../../../platform/http/idempotency.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { EMAIL_CONFIRMATION, type SignerVerification } from './verification.ts'
import { petitionActions, type PetitionAction, type PetitionFacts } from './actions.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { requireConfirmedEmail } from '../../../platform/auth/email-confirmation.ts'
import { setResidence } from '../../../platform/auth/accounts.ts'
import { NOW, StateConflict, transition, type Transition } from '../../../platform/states/index.ts'
import { addDays, kazakhstanDay, type Day } from '../../../platform/calendar/days.ts'
import { addWorkingDays } from '../../../platform/calendar/service.ts'
import { LANGS, type Lang } from '../../../platform/i18n/index.ts'
import { considerationWorkingDays, PETITION_LEVELS, signaturesNeeded, type PetitionLevel, type PetitionRules } from './rules.ts'
import { told } from '../../../platform/notifications/events.ts'
import { agencyWithRegion, regionExists } from '../../agencies/service.ts'
import { petitionAnswered, petitionNotSupported, petitionPublished, petitionRejected, petitionSupported } from './events.ts'
import { petitionState, WITHDRAWABLE, type PetitionEventKind, type PetitionState, type PetitionStatus } from './states.ts'

/**
 * The reasons a petition is rejected for, each explained to its author in their language: the
 * topics the law keeps out of petitions first, then what no petition may be.
 */
export const PETITION_REJECTION_REASONS = [
  'constitutional-order', 'territorial-integrity', 'state-language', 'elections', 'courts', 'prosecution', 'national-security',
  'not-competent', 'duplicate', 'abuse', 'personal-data', 'unclear',
] as const
export type PetitionRejectionReason = (typeof PETITION_REJECTION_REASONS)[number]

const TITLE_MAX = 300
const BODY_MAX = 10_000
const REQUEST_MAX = 3_000

/** Petitions a day per account and per address; signatures an hour per address. Shared by every process. */
export const PETITION_LIMITS: { account: Limit; address: Limit; signaturesPerAddress: Limit } = {
  account: { name: 'petition-account', max: 3, windowSeconds: 24 * 3600 },
  address: { name: 'petition-address', max: 10, windowSeconds: 24 * 3600 },
  signaturesPerAddress: { name: 'petition-signature-address', max: 60, windowSeconds: 3600 },
}

/** A petition as its pages show it. */
export interface Petition {
  id: number
  agency: { id: number; slug: string; name: Record<string, string>; kind: string }
  level: PetitionLevel
  authorId: number
  /** The author's name when they let it be shown, else null. */
  authorName: string | null
  /** Who joined its draft as co-authors, in the order they joined: each one's name when they let it be shown. */
  coAuthors: Array<{ id: number; name: string | null }>
  lang: Lang
  title: string
  body: string
  request: string
  status: PetitionStatus
  state: PetitionState
  signatures: number
  signaturesNeeded: number | null
  publicAt: number
  submittedOn: Day | null
  moderationDue: Day | null
  publishedOn: Day | null
  collectingUntil: Day | null
  listedOn: Day | null
  supportedOn: Day | null
  considerationDue: Day | null
  answeredOn: Day | null
  rejectionReason: PetitionRejectionReason | null
  rejectionNote: string | null
  decision: Record<string, string> | null
  createdAt: Date
  /** Not moderated by its deadline: public as overdue, its title, text and author withheld until it is. */
  textWithheld: boolean
}

export function today(now = new Date()): Day {
  return kazakhstanDay(now)
}

const SELECT = `
  select p.id, p.agency_id, a.slug as agency_slug, a.name as agency_name, a.kind as agency_kind, p.level, p.author_id,
    case when p.show_name then u.display_name end as author_name, p.lang, p.title, p.body, p.request, p.status, p.signatures,
    p.signatures_needed, p.public_at, p.submitted_on::text, p.moderation_due::text, p.published_on::text, p.collecting_until::text,
    p.listed_on::text, p.supported_on::text, p.consideration_due::text, p.answered_on::text, p.rejection_reason, p.rejection_note, p.decision, p.created_at,
    (select coalesce(jsonb_agg(jsonb_build_object('id', c.user_id, 'name', case when c.show_name then cu.display_name end) order by c.joined_at, c.user_id), '[]')
     from dialogue_petition_co_authors c join users cu on cu.id = c.user_id where c.petition_id = p.id) as co_authors
  from dialogue_petitions p join agencies a on a.id = p.agency_id join users u on u.id = p.author_id`

interface Row {
  id: string; agency_id: string; agency_slug: string; agency_name: Record<string, string>; agency_kind: string; level: PetitionLevel; author_id: string
  author_name: string | null; lang: Lang; title: string; body: string; request: string; status: PetitionStatus; signatures: number
  signatures_needed: number | null; public_at: number; submitted_on: Day | null; moderation_due: Day | null; published_on: Day | null; collecting_until: Day | null
  listed_on: Day | null; supported_on: Day | null; consideration_due: Day | null; answered_on: Day | null; rejection_reason: PetitionRejectionReason | null
  rejection_note: string | null; decision: Record<string, string> | null; created_at: Date
  co_authors: Array<{ id: number | string; name: string | null }>
}

function toPetition(r: Row, day: Day): Petition {
  const p: Petition = {
    id: Number(r.id), agency: { id: Number(r.agency_id), slug: r.agency_slug, name: r.agency_name, kind: r.agency_kind }, level: r.level,
    authorId: Number(r.author_id), authorName: r.author_name || null,
    coAuthors: r.co_authors.map((c) => ({ id: Number(c.id), name: c.name || null })), lang: r.lang, title: r.title, body: r.body, request: r.request,
    status: r.status, state: 'draft', signatures: r.signatures, signaturesNeeded: r.signatures_needed, publicAt: r.public_at,
    submittedOn: r.submitted_on, moderationDue: r.moderation_due, publishedOn: r.published_on, collectingUntil: r.collecting_until, listedOn: r.listed_on,
    supportedOn: r.supported_on, considerationDue: r.consideration_due, answeredOn: r.answered_on, rejectionReason: r.rejection_reason,
    rejectionNote: r.rejection_note, decision: r.decision, createdAt: r.created_at, textWithheld: false,
  }
  p.state = petitionState(p, day)
  return p
}

/** One petition as it is kept, whoever asks (for writes and jobs, which check who acts themselves), or NotFound. */
export async function loadPetition(db: Queryable, id: number, day = today()): Promise<Petition> {
  const [row] = await db.query<Row>(`${SELECT} where p.id = $1`, [id])
  if (!row) throw new NotFound('petition', String(id))
  return toPetition(row, day)
}

/** What the action table reads of a petition and of the person before it. */
export function petitionFacts(p: Petition, user: User | null | undefined, signed = false): PetitionFacts {
  const coAuthorIds = p.coAuthors.map((c) => c.id)
  return { agencyId: p.agency.id, authorId: p.authorId, status: p.status, signed, coAuthorIds, coAuthor: Boolean(user && coAuthorIds.includes(user.id)) }
}

/** The actions this person may take on a petition now: what its page offers them. */
export function availablePetitionActions(user: User | null | undefined, p: Petition, signed: boolean): Partial<Record<PetitionAction, true>> {
  return petitionActions.available(user, petitionFacts(p, user, signed))
}

/** A petition's change of state: its row, its event, its audit row when a person makes it (see transition). */
function petitionChange(actor: User | null, id: number, from: readonly PetitionStatus[], to: PetitionStatus, event: { kind: PetitionEventKind; detail?: Record<string, unknown> },
  set: Transition<PetitionStatus>['set'] = {}, after: Record<string, unknown> = {}): Transition<PetitionStatus> {
  return {
    table: 'dialogue_petitions', id, from, to, set: { ...set, updated_at: NOW },
    event: { table: 'dialogue_petition_events', itemColumn: 'petition_id', ...event, columns: { actor_id: actor?.id ?? null } },
    ...(actor ? { audit: { actor: { id: actor.id, email: actor.email }, action: `dialogue.petition.${event.kind}`, entity: 'petition', after } } : {}),
    labelKey: (state) => `dialogue.petitions.statuses.${state}`, href: `/dialogue/petitions/${id}`,
  }
}

async function recordPetitionEvent(tx: Queryable, id: number, kind: PetitionEventKind, actorId: number | null, detail: Record<string, unknown> = {}): Promise<void> {
  await tx.query('insert into dialogue_petition_events (petition_id, kind, actor_id, detail) values ($1, $2, $3, $4)', [id, kind, actorId, detail])
}

/** What a citizen writes. */
export interface NewPetition {
  agencySlug: string
  level: string
  title: string
  body: string
  request: string
  lang: Lang
  showName: boolean | null
  idempotencyKey?: string | null
}

/** A body as a petition to it is judged: its kind and region decide the levels it takes, its region's people the share needed. */
export interface Addressee {
  id: number
  slug: string
  name: Record<string, string>
  kind: string
  regionCode: string | null
  population: number | null
}

/** The body a petition would address, by its slug, or undefined. */
export async function findAddressee(db: Queryable, slug: string): Promise<Addressee | undefined> {
  return agencyWithRegion(db, slug)
}

/** The levels a body takes petitions at: the Government's for central bodies, a region's or district's for local ones (with their region). */
export function levelsOf(agency: Pick<Addressee, 'kind' | 'regionCode'>): PetitionLevel[] {
  if (agency.kind === 'central') return ['government']
  return agency.regionCode ? PETITION_LEVELS.filter((l) => l !== 'government') : []
}

/** The body a petition addresses, and how many signatures a petition to it at this level would need now. */
async function addressee(db: Queryable, slug: string, level: string, rules: PetitionRules): Promise<{ problems: FieldError[]; agencyId: number | null; needed: number | null }> {
  const agency = await findAddressee(db, slug)
  if (!agency) return { problems: [{ field: 'agency', messageKey: 'dialogue.petitions.errors.agency' }], agencyId: null, needed: null }
  if (!PETITION_LEVELS.includes(level as PetitionLevel)) return { problems: [{ field: 'level', messageKey: 'dialogue.petitions.errors.level' }], agencyId: agency.id, needed: null }
  if (!levelsOf(agency).includes(level as PetitionLevel)) {
    return { problems: [{ field: 'level', messageKey: 'dialogue.petitions.errors.levelOfAgency' }], agencyId: agency.id, needed: null }
  }
  const needed = signaturesNeeded(level as PetitionLevel, rules, agency.population)
  if (needed === null) return { problems: [{ field: 'level', messageKey: 'dialogue.petitions.errors.population' }], agencyId: agency.id, needed: null }
  return { problems: [], agencyId: agency.id, needed }
}

/** Writes a citizen's petition as a draft (a confirmed address; once, for one form sent twice), for them to read again and submit. */
export async function draftPetition(db: Db, who: { user: User | null; address: string }, input: NewPetition, rules: PetitionRules): Promise<{ id: number; created: boolean }> {
  const author = requireConfirmedEmail(authorize(who.user, 'dialogue.petition.create'))
  const key = idempotencyKey(input.idempotencyKey ?? null, 'idempotencyKey')
  const title = input.title.trim()
  const body = input.body.trim()
  const request = input.request.trim()
  const { problems } = await addressee(db, input.agencySlug, input.level, rules)
  if (!title) problems.push({ field: 'title', messageKey: 'dialogue.petitions.errors.title' })
  if (title.length > TITLE_MAX) problems.push({ field: 'title', messageKey: 'platform.validation.maxLength', values: { limit: TITLE_MAX } })
  if (!request) problems.push({ field: 'request', messageKey: 'dialogue.petitions.errors.request' })
  if (request.length > REQUEST_MAX) problems.push({ field: 'request', messageKey: 'platform.validation.maxLength', values: { limit: REQUEST_MAX } })
  if (body.length > BODY_MAX) problems.push({ field: 'body', messageKey: 'platform.validation.maxLength', values: { limit: BODY_MAX } })
  if (input.showName === null) problems.push({ field: 'showName', messageKey: 'dialogue.petitions.errors.showName' })
  if (!LANGS.includes(input.lang)) problems.push({ field: 'lang', messageKey: 'dialogue.petitions.errors.lang' })
  if (problems.length > 0) throw new ValidationError(problems)
  return db.transaction(async (tx) => {
    if (key) {
      await holdIdempotencyKey(tx, 'petition', author.id, key)
      const [existing] = await tx.query<{ id: string }>('select id from dialogue_petitions where author_id = $1 and idempotency_key = $2', [author.id, key])
      if (existing) return { id: Number(existing.id), created: false }
    }
    await spendLimits(tx, [{ limit: PETITION_LIMITS.account, key: String(author.id) }, { limit: PETITION_LIMITS.address, key: who.address }])
    const [row] = await tx.query<{ id: string }>(
      `insert into dialogue_petitions (agency_id, level, author_id, show_name, lang, title, body, request, public_at, idempotency_key)
       select id, $2, $3, $4, $5, $6, $7, $8, $9, $10 from agencies where slug = $1 returning id`,
      [input.agencySlug, input.level, author.id, input.showName, input.lang, title, body, request, rules.publicAt, key],
    )
    const id = Number(row!.id)
    await recordPetitionEvent(tx, id, 'created', author.id)
    return { id, created: true }
  })
}

/** The author submits their draft to moderation, which has the rules' working days to publish or reject it. */
export async function submitPetition(db: Db, user: User | null, id: number, rules: PetitionRules, day = today()): Promise<void> {
  const petition = await loadPetition(db, id, day)
  const author = petitionActions.require(user, 'submit', petitionFacts(petition, user))
  if (petition.coAuthors.length < rules.coAuthors) {
    throw new ValidationError([{ field: 'coAuthors', messageKey: 'dialogue.petitions.errors.coAuthors', values: { count: rules.coAuthors, joined: petition.coAuthors.length } }])
  }
  const moderationDue = await addWorkingDays(db, day, rules.moderationWorkingDays)
  await db.transaction(async (tx) => {
    await transition(tx, petitionChange(author, id, ['draft'], 'moderation', { kind: 'submitted', detail: { moderationDue } }, { submitted_on: day, moderation_due: moderationDue }))
  })
}

/**
 * Joins a draft as a co-author, by the invitation its author shared (a wrong or old token is a petition
 * not found: the link is the draft's only way in); with a confirmed address, the name shown or not as
 * the co-author says. Joining again changes nothing.
 */
export async function joinPetition(db: Db, user: User | null, id: number, input: { token: string; showName: boolean }): Promise<void> {
  const petition = await invitedTo(db, id, input.token)
  const coAuthor = requireConfirmedEmail(petitionActions.require(user, 'join', petitionFacts(petition, user)))
  await db.transaction(async (tx) => {
    await lockDraft(tx, id)
    const added = await tx.query('insert into dialogue_petition_co_authors (petition_id, user_id, show_name) values ($1, $2, $3) on conflict do nothing returning user_id', [id, coAuthor.id, input.showName])
    if (added.length > 0) await recordPetitionEvent(tx, id, 'co-author-joined', coAuthor.id)
  })
}

/** Holds a draft's row for its co-authors' change: an author submitting it meanwhile is seen, not joined or left past. */
async function lockDraft(tx: Queryable, id: number): Promise<void> {
  const [now] = await tx.query<{ status: PetitionStatus }>('select status from dialogue_petitions where id = $1 for update', [id])
  if (now!.status !== 'draft') throw new ValidationError([{ field: 'status', messageKey: 'dialogue.petitions.errors.notDraft' }])
}

/** A co-author takes their name off a draft. */
export async function leavePetition(db: Db, user: User | null, id: number): Promise<void> {
  const petition = await loadPetition(db, id)
  const coAuthor = petitionActions.require(user, 'leave', petitionFacts(petition, user))
  await db.transaction(async (tx) => {
    await lockDraft(tx, id)
    const gone = await tx.query('delete from dialogue_petition_co_authors where petition_id = $1 and user_id = $2 returning user_id', [id, coAuthor.id])
    if (gone.length > 0) await recordPetitionEvent(tx, id, 'co-author-left', coAuthor.id)
  })
}

/** The draft an invitation opens, whoever holds it, or NotFound: the token is compared in the database, the draft's alone. */
export async function invitedTo(db: Queryable, id: number, token: string): Promise<Petition> {
  const [found] = await db.query("select 1 from dialogue_petitions where id = $1 and status = 'draft' and co_author_token = $2", [id, token])
  if (!found) throw new NotFound('petition', String(id))
  return loadPetition(db, id)
}

/** The path of a draft's invitation to co-authors, for its author alone to share (else null). */
export async function coAuthorInvitation(db: Queryable, user: User | null | undefined, p: Petition): Promise<string | null> {
  if (!user || user.id !== p.authorId || p.status !== 'draft') return null
  const [row] = await db.query<{ token: string }>('select co_author_token as token from dialogue_petitions where id = $1', [p.id])
  return row ? `/dialogue/petitions/${p.id}/co-author?token=${row.token}` : null
}

/**
 * A moderator publishes a petition: it collects signatures for the rules' days, reached by its link
 * until it has enough to be listed; the number it needs is fixed now, by the rules in force.
 */
export async function publishPetition(db: Db, user: User | null, id: number, rules: PetitionRules, origin: string, day = today()): Promise<void> {
  const petition = await loadPetition(db, id, day)
  const moderator = petitionActions.require(user, 'publish', petitionFacts(petition, user))
  const { problems, needed } = await addressee(db, petition.agency.slug, petition.level, rules)
  if (problems.length > 0) throw new ValidationError(problems)
  const until = addDays(day, rules.collectingDays)
  await db.transaction(async (tx) => {
    await transition(tx, {
      ...petitionChange(moderator, id, ['moderation'], 'collecting', { kind: 'published', detail: { needed, until } },
        { published_on: day, collecting_until: until, signatures_needed: needed, public_at: rules.publicAt }, { needed, until }),
      tell: told(petitionPublished, { id, authorId: petition.authorId, title: petition.title, needed: needed!, until }, origin),
    })
  })
}

/** A moderator rejects a petition for one of the documented reasons (the law's excluded topics among them), with a note. */
export async function rejectPetition(db: Db, user: User | null, id: number, input: { reason: string; note?: string }, origin: string): Promise<void> {
  const petition = await loadPetition(db, id)
  const moderator = petitionActions.require(user, 'reject', petitionFacts(petition, user))
  const note = input.note?.trim() || null
  const problems: FieldError[] = []
  if (!PETITION_REJECTION_REASONS.includes(input.reason as PetitionRejectionReason)) problems.push({ field: 'reason', messageKey: 'dialogue.petitions.errors.reason' })
  if (note && note.length > 2000) problems.push({ field: 'note', messageKey: 'platform.validation.maxLength', values: { limit: 2000 } })
  if (problems.length > 0) throw new ValidationError(problems)
  await db.transaction(async (tx) => {
    await transition(tx, {
      ...petitionChange(moderator, id, ['moderation'], 'rejected', { kind: 'rejected', detail: { reason: input.reason } },
        { rejection_reason: input.reason, rejection_note: note }, { reason: input.reason, note }),
      tell: told(petitionRejected, { id, authorId: petition.authorId, title: petition.title, reason: input.reason, note }, origin),
    })
  })
}

/**
 * Signs a petition collecting signatures: one signature per account with a confirmed address (the
 * same again changes nothing), its name hidden unless the signer shows it, counted by the region the
 * signer says they live in. The signature that reaches the number to list it lists it; the one that
 * reaches the number it needs sends it to its body, whose days to consider it start the day after.
 * Returns the count, and whether this signature was new.
 */
export async function signPetition(db: Db, who: { user: User | null; address: string }, id: number, input: { showName: boolean; regionCode?: string | null }, rules: PetitionRules, origin: string, day = today(), verification: SignerVerification = EMAIL_CONFIRMATION): Promise<{ signatures: number; added: boolean }> {
  const signer = verification.verify(authorize(who.user, 'dialogue.petition.sign'))
  const regionCode = input.regionCode?.trim() || signer.regionCode || null
  if (regionCode && !(await regionExists(db, regionCode))) {
    throw new ValidationError([{ field: 'regionCode', messageKey: 'platform.auth.residence.unknown' }])
  }
  const [level] = await db.query<{ level: PetitionLevel; author_id: string; agency_id: string; title: string; signatures: number; signatures_needed: number | null }>(
    'select level, author_id, agency_id, title, signatures, signatures_needed from dialogue_petitions where id = $1', [id])
  if (!level) throw new NotFound('petition', String(id))
  // Its body's days to consider it, read from the calendar (outside the count's lock: the calendar may
  // write a year's weekends) only when this signature may be the one it needs; should others have
  // brought it there meanwhile, the count's transaction is run again with them.
  const dueOn = () => addWorkingDays(db, day, considerationWorkingDays(level.level, rules))
  let dueIfSupported = level.signatures_needed !== null && level.signatures + 1 >= level.signatures_needed ? await dueOn() : null
  const countSignature = (dueIfSupported: Day | null) => db.transaction(async (tx) => {
    // The petition's row is the count's lock: two last signatures at once send it on once.
    const [now] = await tx.query<{ status: PetitionStatus; signatures: number; signatures_needed: number; public_at: number; listed_on: Day | null; collecting_until: Day }>(
      'select status, signatures, signatures_needed, public_at, listed_on::text, collecting_until::text from dialogue_petitions where id = $1 for update', [id],
    )
    if (!now) throw new NotFound('petition', String(id))
    if (now.status !== 'collecting' || day > now.collecting_until) {
      throw new StateConflict('petition', String(id), now.status, ['collecting'], (state) => `dialogue.petitions.statuses.${state}`, `/dialogue/petitions/${id}`)
    }
    const added = await tx.query(
      `insert into dialogue_petition_signatures (petition_id, user_id, show_name, region_code, address_hash)
       select $1, $2, $3, $4, encode(sha256(convert_to(signature_salt || ' ' || $5, 'UTF8')), 'hex') from dialogue_petitions where id = $1
       on conflict do nothing returning user_id`,
      [id, signer.id, input.showName, regionCode, who.address])
    if (added.length === 0) return { signatures: now.signatures, added: false }
    await spendLimits(tx, [{ limit: PETITION_LIMITS.signaturesPerAddress, key: who.address }])
    if (regionCode && regionCode !== signer.regionCode) await setResidence(tx, signer.id, regionCode)
    const [row] = await tx.query<{ signatures: number }>('update dialogue_petitions set signatures = signatures + 1 where id = $1 returning signatures', [id])
    const signatures = row!.signatures
    if (signatures >= now.public_at && !now.listed_on) {
      await tx.query('update dialogue_petitions set listed_on = $2 where id = $1', [id, day])
      await recordPetitionEvent(tx, id, 'listed', null, { signatures })
    }
    if (signatures >= now.signatures_needed) {
      if (!dueIfSupported) throw DUE_NEEDED
      await transition(tx, {
        ...petitionChange(null, id, ['collecting'], 'consideration', { kind: 'supported', detail: { signatures, considerationDue: dueIfSupported } },
          { supported_on: day, consideration_due: dueIfSupported }),
        tell: told(petitionSupported, { id, authorId: Number(level.author_id), agencyId: Number(level.agency_id), title: level.title, signatures, due: dueIfSupported }, origin),
      })
    }
    return { signatures, added: true }
  })
  for (;;) {
    try {
      return await countSignature(dueIfSupported)
    } catch (error) {
      if (error !== DUE_NEEDED || dueIfSupported) throw error
      dueIfSupported = await dueOn()
    }
  }
}

/** Thrown inside a signature's transaction when it is the one its petition needs and the deadline was not read: it runs again with it. */
const DUE_NEEDED = new Error('the consideration deadline is to be read first')

/** Closes the collection of every petition whose period has ended short of its number: not supported. Run by a job. */
export async function closeEndedCollections(db: Db, origin: string, day = today()): Promise<number[]> {
  const due = await db.query<{ id: string; signatures: number; author_id: string; title: string }>(
    "select id, signatures, author_id, title from dialogue_petitions where status = 'collecting' and collecting_until < $1::date order by id", [day],
  )
  const closed: number[] = []
  for (const p of due) {
    await db.transaction(async (tx) => {
      try {
        await transition(tx, {
          ...petitionChange(null, Number(p.id), ['collecting'], 'not-supported', { kind: 'not-supported', detail: { signatures: p.signatures } }),
          tell: told(petitionNotSupported, { id: Number(p.id), authorId: Number(p.author_id), title: p.title, signatures: p.signatures }, origin),
        })
        closed.push(Number(p.id))
      } catch (error) {
        // Supported by a last signature, or withdrawn, meanwhile.
        if (!(error instanceof StateConflict)) throw error
      }
    })
  }
  return closed
}

/** The addressed body's staff open the public discussion of a supported petition with its authors. */
export async function openDiscussion(db: Db, user: User | null, id: number): Promise<void> {
  const petition = await loadPetition(db, id)
  const staff = petitionActions.require(user, 'discuss', petitionFacts(petition, user))
  await db.transaction(async (tx) => {
    await transition(tx, petitionChange(staff, id, ['consideration'], 'discussion', { kind: 'discussion' }))
  })
}

/** The addressed body's decision on a supported petition, and its day. */
export async function answerPetition(db: Db, user: User | null, id: number, decision: Readonly<Record<string, string | undefined>>, origin: string, day = today()): Promise<void> {
  const petition = await loadPetition(db, id, day)
  const staff = petitionActions.require(user, 'answer', petitionFacts(petition, user))
  const text = Object.fromEntries(Object.entries(decision).map(([lang, t]) => [lang, (t ?? '').trim()]).filter(([lang, t]) => LANGS.includes(lang as Lang) && t))
  if (!text.kk && !text.ru) throw new ValidationError([{ field: 'decision.ru', messageKey: 'dialogue.petitions.errors.decision' }])
  await db.transaction(async (tx) => {
    await transition(tx, {
      ...petitionChange(staff, id, ['consideration', 'discussion'], 'answered', { kind: 'answered', detail: { onTime: !petition.considerationDue || day <= petition.considerationDue } },
        { decision: text, answered_on: day }, { decision: text }),
      tell: told(petitionAnswered, { id, authorId: petition.authorId, title: petition.title, decision: text }, origin),
    })
  })
}

/** Its author withdraws it, at any point before it is supported. */
export async function withdrawPetition(db: Db, user: User | null, id: number): Promise<void> {
  const petition = await loadPetition(db, id)
  const author = petitionActions.require(user, 'withdraw', petitionFacts(petition, user))
  await db.transaction(async (tx) => {
    await transition(tx, petitionChange(author, id, WITHDRAWABLE, 'withdrawn', { kind: 'withdrawn' }))
  })
}

/** Which signatures a moderator strikes off: chosen accounts, or every one from an address or an email domain the watch shows. */
export type SignatureGroup = { userIds: readonly number[] } | { address: string } | { domain: string }

/**
 * A moderator invalidates signatures (a burst from one address, a farm of accounts on one domain)
 * with a reason; they are kept, no longer counted, and the count follows. Returns the count.
 */
export async function invalidateSignatures(db: Db, user: User | null, id: number, group: SignatureGroup, reason: string): Promise<number> {
  const moderator = petitionActions.require(user, 'invalidate', petitionFacts(await loadPetition(db, id), user))
  const why = reason.trim()
  const problems: FieldError[] = []
  if (!why || why.length > 500) problems.push({ field: 'reason', messageKey: 'dialogue.petitions.errors.invalidationReason' })
  if ('userIds' in group && group.userIds.length === 0) problems.push({ field: 'group', messageKey: 'dialogue.petitions.errors.invalidationGroup' })
  if ('address' in group && !/^[0-9a-f]{8,64}$/.test(group.address)) problems.push({ field: 'group', messageKey: 'dialogue.petitions.errors.invalidationGroup' })
  if ('domain' in group && !/^[a-z0-9.-]{1,253}$/i.test(group.domain)) problems.push({ field: 'group', messageKey: 'dialogue.petitions.errors.invalidationGroup' })
  if (problems.length > 0) throw new ValidationError(problems)
  const which = 'userIds' in group
    ? { sql: 'user_id = any($2::bigint[])', value: [...group.userIds], detail: { accounts: group.userIds.length } }
    : 'address' in group
      ? { sql: 'address_hash like $2 || \'%\'', value: group.address, detail: { address: group.address.slice(0, 12) } }
      : { sql: "user_id in (select id from users where lower(split_part(email, '@', 2)) = lower($2))", value: group.domain, detail: { domain: group.domain } }
  return db.transaction(async (tx) => {
    await tx.query('select 1 from dialogue_petitions where id = $1 for update', [id])
    const done = await tx.query(`update dialogue_petition_signatures set invalidated_at = now(), invalidation_reason = $3 where petition_id = $1 and ${which.sql} and invalidated_at is null returning user_id`,
      [id, which.value, why])
    const [row] = await tx.query<{ signatures: number }>(
      'update dialogue_petitions set signatures = (select count(*)::int from dialogue_petition_signatures where petition_id = $1 and invalidated_at is null) where id = $1 returning signatures', [id],
    )
    if (!row) throw new NotFound('petition', String(id))
    await recordPetitionEvent(tx, id, 'signatures-invalidated', moderator.id, { count: done.length, reason: why, ...which.detail })
    return row.signatures
  })
}

/** An address's or a domain's share of a petition's signatures past which moderators are shown it. */
export const SPIKE_WATCH = {
  /** Signatures from one address (a household, an office, a café's network share one): shown from this many. */
  perAddress: 20,
  /** Signatures from one email domain: shown from this many when they are at least this share of the count. */
  perDomain: 50,
  domainShare: 0.2,
  /** An hour with this many times the petition's median hourly signatures, and at least perHour, is a burst. */
  burstFactor: 10,
  perHour: 100,
} as const

/** What the watch shows moderators: the busiest addresses, domains and hours of a petition's counted signatures. */
export interface SignatureWatch {
  addresses: Array<{ address: string; signatures: number; first: Date; last: Date }>
  domains: Array<{ domain: string; signatures: number; share: number }>
  bursts: Array<{ hour: Date; signatures: number; median: number }>
}

/** The signatures of a petition that stand out, for its moderators: never a signer's address, a short hash of it. */
export async function signatureWatch(db: Queryable, user: User | null | undefined, id: number): Promise<SignatureWatch> {
  authorize(user, 'dialogue.petition.moderate')
  const addresses = await db.query<{ address: string; signatures: number; first: Date; last: Date }>(
    `select left(address_hash, 16) as address, count(*)::int as signatures, min(signed_at) as first, max(signed_at) as last
     from dialogue_petition_signatures where petition_id = $1 and invalidated_at is null and address_hash is not null
     group by left(address_hash, 16) having count(*) >= $2 order by 2 desc limit 20`, [id, SPIKE_WATCH.perAddress],
  )
  const domains = await db.query<{ domain: string; signatures: number; share: number }>(
    `with counted as (select lower(split_part(u.email, '@', 2)) as domain from dialogue_petition_signatures s join users u on u.id = s.user_id
       where s.petition_id = $1 and s.invalidated_at is null)
     select domain, count(*)::int as signatures, (count(*)::float8 / (select count(*) from counted)) as share from counted
     group by domain having count(*) >= $2 and count(*)::float8 / (select count(*) from counted) >= $3 order by 2 desc limit 20`,
    [id, SPIKE_WATCH.perDomain, SPIKE_WATCH.domainShare],
  )
  const bursts = await db.query<{ hour: Date; signatures: number; median: number }>(
    `with hours as (select date_trunc('hour', signed_at) as hour, count(*)::int as n from dialogue_petition_signatures
       where petition_id = $1 and invalidated_at is null group by 1),
     m as (select percentile_cont(0.5) within group (order by n) as median from hours)
     select hour, n as signatures, m.median::float8 as median from hours, m where n >= $2 and n >= m.median * $3 order by n desc limit 10`,
    [id, SPIKE_WATCH.perHour, SPIKE_WATCH.burstFactor],
  )
  return { addresses, domains, bursts }
}

/** The signatures counted by the region their signers say they live in (none: not said), most first. */
export async function signaturesByRegion(db: Queryable, id: number): Promise<Array<{ regionCode: string | null; signatures: number }>> {
  return db.query(
    `select region_code as "regionCode", count(*)::int as signatures from dialogue_petition_signatures
     where petition_id = $1 and invalidated_at is null group by region_code order by 2 desc, 1`, [id],
  )
}

/** Its author and the portal's moderators read a petition whole in every state. */
function mayReadAll(user: User | null | undefined, p: Pick<Petition, 'authorId' | 'coAuthors'>): boolean {
  return Boolean(user && (user.id === p.authorId || p.coAuthors.some((c) => c.id === user.id) || can(user, 'dialogue.petition.moderate')))
}

/**
 * Who reads a petition: everyone once it has been published (by its link before it is listed, in
 * lists after), and once its moderation is overdue (its text withheld); its author, its co-authors and the portal's
 * moderators before (a draft, in moderation, rejected, or withdrawn unpublished).
 */
export function mayReadPetition(user: User | null | undefined, p: Pick<Petition, 'publishedOn' | 'status' | 'state' | 'authorId' | 'coAuthors'>): boolean {
  if (p.publishedOn && p.status !== 'rejected') return true
  if (p.state === 'moderation-overdue') return true
  return mayReadAll(user, p)
}

/** A petition past its moderation's deadline as the public sees it: that it waits, to whom, since when; not what it says. */
function withheld(p: Petition): Petition {
  return { ...p, title: '', body: '', request: '', authorName: null, coAuthors: p.coAuthors.map((c) => ({ ...c, name: null })), textWithheld: true }
}

/** One petition as this person may read it, or NotFound. */
export async function findPetition(db: Queryable, id: number, user: User | null | undefined, day = today()): Promise<Petition> {
  const petition = await loadPetition(db, id, day)
  if (!mayReadPetition(user, petition)) throw new NotFound('petition', String(id))
  return petition.state === 'moderation-overdue' && !mayReadAll(user, petition) ? withheld(petition) : petition
}

/** The public lists' groups of petitions: each a set of stored statuses (in moderation: those past its deadline alone). */
export const PETITION_LISTS = {
  collecting: ['collecting'], consideration: ['consideration', 'discussion'], answered: ['answered'], 'not-supported': ['not-supported'], 'moderation-overdue': ['moderation'],
} as const satisfies Record<string, readonly PetitionStatus[]>

// The petitions every reader finds in lists, over dialogue_petitions as p and a day in $n.
const listedSql = (day: string) => `((p.status = 'collecting' and p.listed_on is not null) or p.status in ('consideration', 'discussion', 'answered', 'not-supported')
  or (p.status = 'withdrawn' and p.listed_on is not null) or (p.status = 'moderation' and p.moderation_due < ${day}::date))`
export type PetitionList = keyof typeof PETITION_LISTS

/**
 * The petitions in public lists: listed ones collecting signatures and every one past that (withdrawn
 * once listed too), newest first; of one body or all, of one list's statuses or all.
 */
export async function listPetitions(db: Queryable, filter: { agencyId?: number; list?: PetitionList; limit?: number; offset?: number } = {}, day = today()): Promise<Petition[]> {
  const rows = await db.query<Row>(
    `${SELECT} where ($1::bigint is null or p.agency_id = $1) and ($4::text[] is null or p.status = any($4::text[])) and ${listedSql('$5')}
     order by coalesce(p.answered_on, p.supported_on, p.published_on, p.moderation_due) desc nulls last, p.id desc limit $2 offset $3`,
    [filter.agencyId ?? null, filter.limit ?? 100, filter.offset ?? 0, filter.list ? [...PETITION_LISTS[filter.list]] : null, day],
  )
  return rows.map((r) => toPetition(r, day)).map((p) => (p.state === 'moderation-overdue' ? withheld(p) : p))
}

/** How many petitions each public list has. */
export async function countPetitionLists(db: Queryable, day = today()): Promise<Record<PetitionList, number>> {
  const rows = await db.query<{ status: PetitionStatus; n: number }>(
    `select status, count(*)::int as n from dialogue_petitions p where ${listedSql('$1')} and status <> 'withdrawn' group by status`, [day],
  )
  const of = (status: PetitionStatus) => rows.find((r) => r.status === status)?.n ?? 0
  return Object.fromEntries(Object.entries(PETITION_LISTS).map(([list, statuses]) => [list, (statuses as readonly PetitionStatus[]).reduce((n, s) => n + of(s), 0)])) as Record<PetitionList, number>
}

/** A person's own petitions, in every state, newest first. */
export async function petitionsOf(db: Queryable, authorId: number, day = today()): Promise<Petition[]> {
  const rows = await db.query<Row>(
    `${SELECT} where p.author_id = $1 or p.id in (select petition_id from dialogue_petition_co_authors where user_id = $1) order by p.created_at desc, p.id desc limit 200`, [authorId])
  return rows.map((r) => toPetition(r, day))
}

/** The moderators' queue: petitions in moderation, the oldest deadline first (past it they are overdue, as the page says). */
export async function moderationQueue(db: Queryable, user: User | null | undefined, day = today()): Promise<Petition[]> {
  authorize(user, 'dialogue.petition.moderate')
  const rows = await db.query<Row>(`${SELECT} where p.status = 'moderation' order by p.moderation_due, p.id`, [])
  return rows.map((r) => toPetition(r, day))
}

/** This person's signature on a petition, if they signed it and it counts. */
export async function signatureOf(db: Queryable, userId: number | undefined, id: number): Promise<{ signedAt: Date; showName: boolean; invalidated: boolean } | null> {
  if (!userId) return null
  const [row] = await db.query<{ signed_at: Date; show_name: boolean; invalidated: boolean }>(
    'select signed_at, show_name, invalidated_at is not null as invalidated from dialogue_petition_signatures where petition_id = $1 and user_id = $2', [id, userId],
  )
  return row ? { signedAt: row.signed_at, showName: row.show_name, invalidated: row.invalidated } : null
}

/** The signers who show their names, newest first: a petition's page lists them. */
export async function namedSigners(db: Queryable, id: number, limit = 50): Promise<{ names: Array<{ name: string; signedAt: Date }>; total: number }> {
  const names = await db.query<{ name: string; signedAt: Date }>(
    `select u.display_name as name, s.signed_at as "signedAt" from dialogue_petition_signatures s join users u on u.id = s.user_id
     where s.petition_id = $1 and s.show_name and s.invalidated_at is null and u.display_name <> '' order by s.signed_at desc limit $2`, [id, limit],
  )
  const [count] = await db.query<{ n: number }>('select count(*)::int as n from dialogue_petition_signatures where petition_id = $1 and show_name and invalidated_at is null', [id])
  return { names, total: count?.n ?? 0 }
}

/** A petition's history: each step, its day, and what it said. */
export async function petitionEvents(db: Queryable, id: number): Promise<Array<{ kind: PetitionEventKind; at: Date; detail: Record<string, unknown> }>> {
  return db.query('select kind, at, detail from dialogue_petition_events where petition_id = $1 order by at, id', [id])
}
