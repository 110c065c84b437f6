import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../helpers/ports.ts'
import { createHash, randomBytes, randomInt } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type Db } from '../../src/platform/db/index.ts'
import { migrate } from '../../src/platform/db/migrate.ts'
import { registerUser, insertRoleGrant } from '../../src/platform/auth/accounts.ts'
import { createApiToken } from '../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.ts'
import { SERVER_URL } from '../helpers/db.ts'
import { startS3 } from '../helpers/s3.ts'
import { findUser } from '../../src/platform/auth/accounts.ts'
import { startSession } from '../../src/platform/auth/sessions.ts'
import { insertAgency } from '../../src/modules/agencies/edit-agency.ts'
import { createDraft, today } from '../../src/modules/legal-acts/drafts/service.ts'
import { publishDraft } from '../../src/modules/legal-acts/drafts/lifecycle.ts'
import { createPoll } from '../../src/modules/dialogue/polls/service.ts'
import { addDays } from '../../src/platform/calendar/days.ts'
import { DEFAULT_LEGAL_ACT_RULES, DEFAULT_PETITION_RULES } from '../../src/platform/config.ts'
import { draftPetition, publishPetition, submitPetition } from '../../src/modules/dialogue/petitions/service.ts'
import { SERVER_NODE_FLAGS } from '../../src/platform/memory.ts'
import { loadModules } from '../../src/platform/modules.ts'

const ROUNDS = 10
// Citizens who comment, vote and ask, a new one for each write: each acknowledged vote can be found after,
// and no account reaches its limit of comments.
const CITIZENS = 3000

/** What the writers need, made directly in the database the server will use. */
interface Setup {
  /** An administrator's API token. */
  token: string
  /** A draft in discussion: its page, and the version comments are written on. */
  draftPath: string
  draftId: number
  versionId: number
  /** Session secrets of citizens with confirmed addresses, with their ids. */
  citizens: Array<{ id: number; session: string }>
  /** An open poll of the body, and the option each ballot chooses. */
  pollId: number
  optionId: number
  /** A petition collecting signatures. */
  petitionId: number
}

async function setUp(db: Db): Promise<Setup> {
  // The modules' policies, registered as the server registers them when it loads its modules.
  await loadModules()
  await migrate(db)
  const user = await db.transaction(async (tx) => {
    const created = await registerUser(tx, { email: 'crash-admin@example.kz', password: 'crash-test-password' })
    await insertRoleGrant(tx, SYSTEM_ACTOR, created.id, 'admin')
    await insertAgency(tx, SYSTEM_ACTOR, { slug: 'crash-ministry', kind: 'central', name: { kk: 'Министрлік', ru: 'Министерство' } })
    await insertRoleGrant(tx, SYSTEM_ACTOR, created.id, 'agency-editor', 'crash-ministry')
    return created
  })
  const editor = (await findUser(db, user.id))!
  const draftId = await createDraft(db, editor, { agencySlug: 'crash-ministry', kind: 'order', topic: 'health', title: { kk: 'Жоба', ru: 'Проект' }, summary: {}, publicService: false }, { kk: '1. Бір.\n2. Екі.', ru: '1. Один.\n2. Два.' })
  await publishDraft(db, editor, draftId, addDays(today(), 20), DEFAULT_LEGAL_ACT_RULES, 'http://127.0.0.1')
  const [version] = await db.query<{ id: number }>('select id from legal_act_versions where draft_id = $1', [draftId])
  const pollId = await createPoll(db, editor, 'crash-ministry', {
    title: { kk: 'Сауалнама', ru: 'Опрос' }, description: {}, options: { kk: 'Иә\nЖоқ', ru: 'Да\nНет' }, choice: 'single', freeText: false,
    opensOn: today(), closesOn: addDays(today(), 20), regionCode: '', changeable: false, results: 'after-close',
  }, 'http://127.0.0.1')
  const [option] = await db.query<{ id: number }>('select id from dialogue_poll_options where poll_id = $1 order by position limit 1', [pollId])
  // A petition to the Government collecting signatures: listed at 50 during the rounds, never near the 50,000 it needs.
  await db.query('update users set email_confirmed_at = now() where id = $1', [user.id])
  const author = (await findUser(db, user.id))!
  const { id: petitionId } = await draftPetition(db, { user: author, address: '127.0.0.1' }, {
    agencySlug: 'crash-ministry', level: 'government', title: 'Петиция', body: '', request: 'Сделать', lang: 'ru', showName: false,
  }, DEFAULT_PETITION_RULES)
  await submitPetition(db, author, petitionId, DEFAULT_PETITION_RULES)
  await publishPetition(db, author, petitionId, DEFAULT_PETITION_RULES, 'http://127.0.0.1')
  // One password hash for every citizen: hashing hundreds would take the test's time, not the server's.
  const citizens = await db.transaction(async (tx) => {
    const list: Array<{ id: number; session: string }> = []
    for (let i = 0; i < CITIZENS; i += 1) {
      const [row] = await tx.query<{ id: number }>("insert into users (email, password_hash, email_confirmed_at) values ($1, 'x', now()) returning id", [`citizen${i}@example.kz`])
      list.push({ id: row!.id, session: await startSession(tx, row!.id) })
    }
    return list
  })
  return {
    token: (await createApiToken(db, SYSTEM_ACTOR, user.id, 'crash test')).token,
    draftPath: `/en/legal-acts/drafts/${draftId}`, draftId, versionId: version!.id, citizens, pollId, optionId: Number(option!.id), petitionId,
  }
}

/** A signed-in citizen's cookies and the CSRF token of the draft's page, as a browser holds them. */
async function formSession(base: string, setup: Setup, session: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${base}${setup.draftPath}`, { headers: { cookie: `ashyq_session=${session}` } })
  const html = await response.text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!csrf) throw new Error(`no form on the draft's page (${response.status})`)
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]!)
  return { cookie: [`ashyq_session=${session}`, ...cookies].join('; '), csrf }
}

let sender = 0

// Each write from an address of its own (the server trusts X-Forwarded-For here): the limits per
// address are not what this test is about.
async function postForm(base: string, path: string, form: { cookie: string; csrf: string }, fields: Record<string, string>): Promise<Response> {
  sender += 1
  return fetch(`${base}${path}`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.${(sender >> 16) & 255}.${(sender >> 8) & 255}.${sender & 255}` },
    body: new URLSearchParams({ ...fields, _csrf: form.csrf }).toString(),
  })
}

function startServer(env: NodeJS.ProcessEnv): { child: ChildProcess; ready: Promise<void>; exited: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'error', ASHYQ_DEMO: 'false', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk
      if (/is running on/.test(output)) resolve()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before it was ready:\n${output}`)))
  })
  return { child, ready, exited, output: () => output }
}

/** What the server acknowledged: votes by their citizens; questions, answers and ratings by their questions' numbers. */
interface Acknowledged { votes: number[]; questions: number[]; answers: number[]; ratings: number[]; ballots: number[]; signatures: number[] }

interface CrashOptions {
  /** Servers running at once on the database, the writes sent through each in turn; one is killed each round (1 unless told). */
  servers?: number
  /** Upload files (CKAN resource_create) among the writes, and download every one from every server at the end. */
  uploads?: boolean
}

type Server = ReturnType<typeof startServer> & { base: string }

async function startServers(env: NodeJS.ProcessEnv, count: number): Promise<Server[]> {
  return Promise.all(Array.from({ length: count }, async () => {
    const port = await freePort()
    // A folder of files of its own, as on a machine of its own: files the others serve must come from the bucket.
    const files = mkdtempSync(path.join(os.tmpdir(), 'ashyq-crash-files-'))
    after(() => rmSync(files, { recursive: true, force: true }))
    const server = startServer({ ASHYQ_FILES_DIR: files, ...env, PORT: String(port), ASHYQ_TRUST_PROXY: 'true' })
    await server.ready
    return { ...server, base: `http://127.0.0.1:${port}` }
  }))
}

async function crashRounds(env: NodeJS.ProcessEnv, setup: Setup, options: CrashOptions = {}): Promise<Acknowledged> {
  const { token } = setup
  const serverCount = options.servers ?? 1
  const live: Server[] = []
  // Each write (and each page a form is read from) goes to the next server in turn.
  let turn = 0
  const pick = () => live[turn++ % live.length]!.base
  // Files uploaded, by their resources, with their bytes' SHA-256.
  const uploads: Array<{ resource: string; sha256: string }> = []
  let datasetId: string | undefined
  const acknowledged: string[] = []
  // Comments and votes of the Open Legal Acts portal, acknowledged by a redirect to the draft.
  const comments: string[] = []
  const votes: number[] = []
  // Questions to a head of a body (Open Dialogue), acknowledged by a redirect to their receipt.
  const questions: number[] = []
  // Answers (the body's, with its token) and the askers' ratings of them, through the API and the form.
  const askers = new Map<number, string>()
  const answers: number[] = []
  const ratings: number[] = []
  // Ballots in a poll of the body (Open Dialogue), by their citizens, acknowledged by a redirect to the poll.
  const ballots: number[] = []
  // Signatures on a petition (Open Dialogue), by their citizens, two at a time: a burst on one petition's count.
  const signatures: number[] = []
  let nextCitizen = 0
  const citizen = () => {
    const next = setup.citizens[nextCitizen]
    if (!next) throw new Error('more citizens needed')
    nextCitizen += 1
    return next
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    live.push(...await startServers(env, serverCount - live.length))

    // Everything acknowledged before, in earlier rounds, is there after each restart.
    for (const slug of acknowledged) {
      const response = await fetch(`${pick()}/api/agencies/${slug}`)
      assert.equal(response.status, 200, `round ${round}: ${slug} was acknowledged and is lost`)
    }
    if (options.uploads && !datasetId) {
      const created = await fetch(`${pick()}/api/3/action/package_create`, {
        method: 'POST', headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'crash-uploads', title: 'Crash uploads', owner_org: 'crash-ministry' }),
      })
      assert.equal(created.status, 200, await created.clone().text())
      datasetId = ((await created.json()) as { result: { id: string } }).result.id
    }
    const thread = (await (await fetch(`${pick()}/api/comments?subjectType=legal-act-version&subjectId=${setup.versionId}`)).json()) as { comments: Array<{ body: string }> }
    const bodies = new Set(thread.comments.map((c) => c.body))
    for (const body of comments) assert.ok(bodies.has(body), `round ${round}: the comment "${body}" was acknowledged and is lost`)

    // Four writers at once until the kill, at a random moment.
    let killed = false
    const writer = async (w: number) => {
      for (let i = 0; !killed; i += 1) {
        const slug = `crash-${round}-${w}-${i}`
        try {
          const response = await fetch(`${pick()}/api/agencies`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ slug, kind: 'quasi', name: { ru: `Организация ${slug}`, en: `Organisation ${slug}` } }),
          })
          if (response.status === 201) acknowledged.push(slug)
          else assert.fail(`round ${round}: ${slug} answered ${response.status}: ${await response.text()}`)
        } catch (error) {
          if (!killed) throw error
        }
      }
    }
    const commenter = async () => {
      for (let i = 0; !killed; i += 1) {
        const body = `Comment ${round}-${i}`
        try {
          const form = await formSession(pick(), setup, citizen().session)
          const response = await postForm(pick(), '/en/comments', form, {
            subjectType: 'legal-act-version', subjectId: String(setup.versionId), anchor: 'para_2', body, key: `${round}-${i}`, returnTo: setup.draftPath,
          })
          if (response.status === 303) comments.push(body)
          else assert.fail(`round ${round}: a comment answered ${response.status}: ${await response.text()}`)
        } catch (error) {
          if (!killed) throw error
        }
      }
    }
    const voter = async () => {
      while (!killed) {
        const who = citizen()
        try {
          const form = await formSession(pick(), setup, who.session)
          const response = await postForm(pick(), '/en/votes', form, { subjectType: 'legal-act', subjectId: String(setup.draftId), value: '1', returnTo: setup.draftPath })
          if (response.status === 303) votes.push(who.id)
          else assert.fail(`round ${round}: a vote answered ${response.status}: ${await response.text()}`)
        } catch (error) {
          if (!killed) throw error
        }
      }
    }
    const asker = async () => {
      for (let i = 0; !killed; i += 1) {
        try {
          const who = citizen()
          const form = await formSession(pick(), setup, who.session)
          const response = await postForm(pick(), '/en/dialogue/crash-ministry/ask', form, { topic: 'health', body: `Question ${round}-${i}`, showName: 'yes', idempotencyKey: `q-${round}-${i}` })
          const id = /questions\/(\d+)/.exec(response.headers.get('location') ?? '')?.[1]
          if (response.status === 303 && id) {
            askers.set(Number(id), who.session)
            questions.push(Number(id))
          }
          else assert.fail(`round ${round}: a question answered ${response.status}: ${await response.text()}`)
        } catch (error) {
          if (!killed) throw error
        }
      }
    }
    // A writer that acts once on each acknowledged item of one kind (a question, an answer) as it comes.
    const onEach = (items: number[], act: (id: number) => Promise<void>) => async () => {
      const taken = new Set<number>()
      while (!killed) {
        const id = items.find((item) => !taken.has(item))
        if (id === undefined) {
          await new Promise((r) => setTimeout(r, 20))
          continue
        }
        taken.add(id)
        try {
          await act(id)
        } catch (error) {
          if (!killed) throw error
        }
      }
    }
    // The body publishes and answers each acknowledged question, in turn; a question published or
    // answered before a kill, unacknowledged, is published or answered already: 400, and on.
    const answerer = onEach(questions, async (id) => {
      if (answers.includes(id)) return
      const call = (action: string, body: object) => fetch(`${pick()}/api/dialogue/questions/${id}/${action}`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
      })
      const published = await call('publish', {})
      if (published.status !== 200 && published.status !== 400) assert.fail(`round ${round}: publishing ${id} answered ${published.status}`)
      const response = await call('answer', { answer: { en: `Answer to ${id}` } })
      if (response.status === 200) answers.push(id)
      else if (response.status !== 400) assert.fail(`round ${round}: answering ${id} answered ${response.status}: ${await response.text()}`)
    })
    // Each asker rates the acknowledged answer to their question (the same rating again is no error).
    const rater = onEach(answers, async (id) => {
      if (ratings.includes(id)) return
      const form = await formSession(pick(), setup, askers.get(id)!)
      const response = await postForm(pick(), `/en/dialogue/questions/${id}/rate`, form, { rating: 'satisfied', comment: `Rated ${id}` })
      if (response.status === 303) ratings.push(id)
      else assert.fail(`round ${round}: rating ${id} answered ${response.status}: ${await response.text()}`)
    })
    const balloter = async () => {
      while (!killed) {
        const who = citizen()
        try {
          const form = await formSession(pick(), setup, who.session)
          const response = await postForm(pick(), `/en/dialogue/polls/${setup.pollId}/ballot`, form, { option: String(setup.optionId) })
          if (response.status === 303) ballots.push(who.id)
          else assert.fail(`round ${round}: a ballot answered ${response.status}: ${await response.text()}`)
        } catch (error) {
          if (!killed) throw error
        }
      }
    }
    const signer = async () => {
      while (!killed) {
        const who = citizen()
        try {
          const form = await formSession(pick(), setup, who.session)
          const response = await postForm(pick(), `/en/dialogue/petitions/${setup.petitionId}/sign`, form, { regionCode: '' })
          if (response.status === 303) signatures.push(who.id)
          else assert.fail(`round ${round}: a signature answered ${response.status}: ${await response.text()}`)
        } catch (error) {
          if (!killed) throw error
        }
      }
    }
    // Files through CKAN's resource_create, each acknowledged with its resource.
    const uploader = async () => {
      for (let i = 0; options.uploads && !killed; i += 1) {
        const bytes = randomBytes(randomInt(1, 64 * 1024))
        const form = new FormData()
        form.append('package_id', datasetId!)
        form.append('upload', new Blob([new Uint8Array(bytes)]), `file-${round}-${i}.bin`)
        try {
          const response = await fetch(`${pick()}/api/3/action/resource_create`, { method: 'POST', headers: { authorization: token }, body: form })
          if (response.status === 200) uploads.push({ resource: ((await response.json()) as { result: { id: string } }).result.id, sha256: createHash('sha256').update(bytes).digest('hex') })
          else assert.fail(`round ${round}: an upload answered ${response.status}: ${await response.text()}`)
        } catch (error) {
          if (!killed) throw error
        }
      }
    }
    const writers = [...[0, 1, 2, 3].map(writer), commenter(), voter(), asker(), answerer(), rater(), balloter(), signer(), signer(), uploader()]
    // The kill comes at a random moment once every kind of write has been acknowledged in this
    // round: on a loaded machine the server is slower, and the kill still finds writes in flight.
    const counts = () => [acknowledged.length, comments.length, votes.length, questions.length, answers.length, ratings.length, ballots.length, signatures.length, ...options.uploads ? [uploads.length] : []]
    const started = counts()
    const waitingSince = Date.now()
    while (counts().some((count, kind) => count === started[kind])) {
      if (Date.now() - waitingSince > 60_000) assert.fail(`round ${round}: not every kind of write was acknowledged within a minute`)
      await new Promise((r) => setTimeout(r, 20))
    }
    await new Promise((r) => setTimeout(r, randomInt(150, 1200)))
    killed = true
    const [victim] = live.splice(randomInt(live.length), 1)
    victim!.child.kill('SIGKILL')
    await Promise.allSettled(writers)
    await victim!.exited
  }
  assert.ok(acknowledged.length > ROUNDS, `writes were acknowledged (${acknowledged.length})`)
  assert.ok(comments.length > ROUNDS, `comments were acknowledged (${comments.length})`)
  assert.ok(votes.length > ROUNDS, `votes were acknowledged (${votes.length})`)
  assert.ok(ballots.length > ROUNDS, `ballots were acknowledged (${ballots.length})`)
  assert.ok(signatures.length > ROUNDS, `signatures were acknowledged (${signatures.length})`)
  assert.ok(questions.length > ROUNDS, `questions were acknowledged (${questions.length})`)
  assert.ok(answers.length >= ROUNDS && ratings.length >= ROUNDS, `answers (${answers.length}) and ratings (${ratings.length}) were acknowledged`)

  // A last clean start: every acknowledged write is there, and every file downloads whole from every server.
  live.push(...await startServers(env, serverCount - live.length))
  const port = Number(new URL(live.at(-1)!.base).port)
  try {
    if (options.uploads) assert.ok(uploads.length > ROUNDS, `uploads were acknowledged (${uploads.length})`)
    for (const { base } of live) {
      for (const upload of uploads) {
        const response = await fetch(`${base}/data/resources/${upload.resource}/download`)
        assert.equal(response.status, 200, `${base}: the file of ${upload.resource} was acknowledged and is not served`)
        assert.equal(createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex'), upload.sha256, `${base}: the file of ${upload.resource} is not whole`)
      }
    }
    const all = (await (await fetch(`http://127.0.0.1:${port}/api/agencies?perPage=100&kind=quasi`)).json()) as { total: number }
    assert.ok(all.total >= acknowledged.length)
    for (const slug of acknowledged) {
      assert.equal((await fetch(`http://127.0.0.1:${port}/api/agencies/${slug}`)).status, 200, `${slug} is lost`)
    }
    const draft = (await (await fetch(`http://127.0.0.1:${port}/api/legal-acts/drafts/${setup.draftId}`)).json()) as { votesFor: number }
    assert.ok(draft.votesFor >= votes.length, `${votes.length} votes acknowledged, ${draft.votesFor} kept`)
  } finally {
    for (const server of live) server.child.kill('SIGTERM')
    await Promise.all(live.map((server) => server.exited))
  }
  return { votes, questions, answers, ratings, ballots, signatures }
}

/**
 * Every acknowledged vote is there, each from its own citizen; every acknowledged question with its
 * receipt; every acknowledged answer, with its mail to the asker; every acknowledged rating.
 */
async function checkVotes(db: Db, setup: Setup, acknowledged: Acknowledged): Promise<void> {
  const rows = await db.query<{ user_id: number }>("select user_id from votes where subject_type = 'legal-act' and subject_id = $1", [String(setup.draftId)])
  const kept = new Set(rows.map((r) => Number(r.user_id)))
  for (const id of acknowledged.votes) assert.ok(kept.has(id), `the vote of citizen ${id} was acknowledged and is lost`)
  const asked = await db.query<{ id: number; receipts: number }>(
    "select q.id, (select count(*)::int from outbox o where o.dedupe_key = 'question-received:' || q.id || ':' || q.asker_id) as receipts from dialogue_questions q",
  )
  const receipts = new Map(asked.map((q) => [Number(q.id), q.receipts]))
  for (const id of acknowledged.questions) {
    assert.ok(receipts.has(id), `question ${id} was acknowledged and is lost`)
    assert.equal(receipts.get(id), 1, `question ${id} has its receipt in the outbox, once`)
  }
  const answered = new Map((await db.query<{ id: number; answer: { en?: string } | null; rating: number | null; mails: number }>(
    "select q.id, q.answer, q.rating, (select count(*)::int from outbox o where o.dedupe_key = 'question-answered:' || q.id || ':' || q.asker_id) as mails from dialogue_questions q",
  )).map((q) => [Number(q.id), q]))
  for (const id of acknowledged.answers) {
    assert.equal(answered.get(id)?.answer?.en, `Answer to ${id}`, `the answer to question ${id} was acknowledged and is lost`)
    assert.equal(answered.get(id)?.mails, 1, `the answer to question ${id} is mailed to its asker, once`)
  }
  for (const id of acknowledged.ratings) assert.equal(answered.get(id)?.rating, 1, `the rating of the answer to question ${id} was acknowledged and is lost`)
  // Every acknowledged ballot is there with its choice, and the counts are the ballots stored: no choice without its ballot, none twice.
  const cast = await db.query<{ user_id: string; choices: number }>(
    'select b.user_id::text, (select count(*)::int from dialogue_poll_choices c where c.poll_id = b.poll_id and c.user_id = b.user_id) as choices from dialogue_poll_ballots b where b.poll_id = $1', [setup.pollId],
  )
  const ballotOf = new Map(cast.map((b) => [Number(b.user_id), b.choices]))
  for (const id of acknowledged.ballots) assert.equal(ballotOf.get(id), 1, `the ballot of citizen ${id} was acknowledged and is lost`)
  const [counted] = await db.query<{ votes: number }>('select count(*)::int as votes from dialogue_poll_choices where poll_id = $1', [setup.pollId])
  assert.equal(counted!.votes, cast.length, 'the count is the ballots kept')
  // Every acknowledged signature is there, and the petition's count is the signatures stored, after a kill during a burst.
  const signed = new Set((await db.query<{ user_id: string }>('select user_id::text from dialogue_petition_signatures where petition_id = $1', [setup.petitionId])).map((r) => Number(r.user_id)))
  for (const id of acknowledged.signatures) assert.ok(signed.has(id), `the signature of citizen ${id} was acknowledged and is lost`)
  const [petition] = await db.query<{ signatures: number; listed: boolean }>('select signatures, listed_on is not null as listed from dialogue_petitions where id = $1', [setup.petitionId])
  assert.equal(petition!.signatures, signed.size, 'the petition\'s count is the signatures kept')
  assert.equal(petition!.listed, signed.size >= DEFAULT_PETITION_RULES.publicAt, 'listed at its number')
}

test(`every acknowledged write (bodies, comments, votes, questions, answers, ratings, ballots, signatures) survives SIGKILL, ${ROUNDS} times in a row, on PGlite`, { skip: Boolean(SERVER_URL) && 'runs in the PGlite pass' }, async (t) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashyq-crash-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  const db = await openDatabase({ dataDir, databaseUrl: undefined })
  const setup = await setUp(db)
  await db.close()
  const acknowledged = await crashRounds({ ASHYQ_DATA_DIR: dataDir, DATABASE_URL: '' }, setup)
  const after = await openDatabase({ dataDir, databaseUrl: undefined })
  try {
    await checkVotes(after, setup, acknowledged)
  } finally {
    await after.close()
  }
})

test(`three servers on one PostgreSQL database and one S3 bucket, writes sent through each in turn: every acknowledged write (as above, and uploaded files) survives SIGKILL of one, ${ROUNDS} times in a row; every file downloads from every server`, { skip: !SERVER_URL && 'needs DATABASE_URL' }, async (t) => {
  const s3 = await startS3()
  t.after(() => s3.close())
  const name = `ashyq_crash_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: SERVER_URL })
  await admin.connect()
  await admin.query(`create database ${name}`)
  t.after(async () => {
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  })
  const url = new URL(SERVER_URL!)
  url.pathname = `/${name}`
  const db = await openDatabase({ dataDir: '', databaseUrl: url.toString() })
  const setup = await setUp(db)
  try {
    const acknowledged = await crashRounds({ DATABASE_URL: url.toString(), ...s3.env }, setup, { servers: 3, uploads: true })
    await checkVotes(db, setup, acknowledged)
  } finally {
    await db.close()
  }
})
