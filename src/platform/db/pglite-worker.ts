// The embedded database on a thread of its own: opens PGlite here and answers the Db calls that
// pglite-thread.ts sends. PGlite runs its engine on the thread that opened it; here, a statement of
// seconds (an index build, a vacuum, a heavy query) holds this thread, not the server's.
import { parentPort, workerData } from 'node:worker_threads'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Db, Queryable, SqlValue } from './types.ts'
import { openPglite } from './pglite.ts'
import { QuietCollector } from '../memory.ts'
import type { Call, Answer, OpenOptions, PlainError } from './pglite-thread.ts'

const port = parentPort!
// What opening the database (counted from before it) and each burst of statements left on this
// thread's heap is given back once the engine is quiet (see QuietCollector; the engine's own memory
// is WebAssembly's, which is never given back).
const quiet = new QuietCollector({ quietMs: 5_000, grownBytes: 8 * 1024 * 1024 })

const { dataDir, buffersMb, loadDataDir } = workerData as OpenOptions
const db: Db = await openPglite(dataDir, { buffersMb, loadDataDir: loadDataDir ? new Blob([loadDataDir]) : undefined })

/**
 * A transaction the caller has begun: its statements' target once the engine has begun it, and how
 * the caller ends it. The caller names it and sends its statements without waiting for BEGIN's
 * answer (they come in order, and wait here for ready), so a transaction costs no exchange more
 * than its statements.
 */
interface OpenTransaction {
  ready: Promise<Queryable>
  /** Its statements not yet answered: an end sent on their heels (readOnly's atOnce) waits for them. */
  running: Set<Promise<unknown>>
  end: (commit: boolean) => void
  ended: Promise<unknown>
}
const transactions = new Map<number, OpenTransaction>()
const listeners = new Map<number, () => Promise<void>>()
let lastId = 0

// Thrown inside a transaction to roll it back when the caller asks to.
const ROLLBACK = Symbol('rollback')

/** Begins the transaction call.tx once allowed (a job's waits for the site: siteIdle). */
function begin(call: Extract<Call, { op: 'begin' }>, allowed: Promise<void>): OpenTransaction {
  let started!: (q: Queryable) => void
  let failed!: (error: unknown) => void
  const ready = new Promise<Queryable>((resolve, reject) => { started = resolve; failed = reject })
  ready.catch(() => undefined)
  let end!: (commit: boolean) => void
  const decided = new Promise<boolean>((resolve) => { end = resolve })
  const run = (fn: (q: Queryable) => Promise<void>) =>
    call.mode === 'write' ? db.transaction(fn) : call.mode === 'read' ? db.readOnly(call.settings, fn) : db.readAs(call.login, fn)
  let began = false
  const ended = allowed.then(() => run(async (q) => {
    began = true
    started(q)
    if (!(await decided)) throw ROLLBACK
  })).catch((error: unknown) => {
    if (error === ROLLBACK) return
    // A failure before the transaction began (BEGIN, its settings) is its statements' answer too.
    if (!began) failed(error)
    throw error
  }).finally(() => transactions.delete(call.tx))
  // Answered to the end call; kept from being reported as unhandled meanwhile.
  ended.catch(() => undefined)
  const open: OpenTransaction = { ready, running: new Set(), end, ended }
  transactions.set(call.tx, open)
  return open
}

async function target(tx: number | undefined): Promise<Queryable> {
  if (tx === undefined) return db
  const open = transactions.get(tx)
  if (!open) throw new Error(`No open transaction ${tx} on the embedded database`)
  return open.ready
}

async function answer(call: Call): Promise<unknown> {
  switch (call.op) {
    case 'query': return (await target(call.tx)).query(call.text, call.params)
    case 'queryText': return (await target(call.tx)).queryText(call.text, call.params)
    case 'describe': return (await target(call.tx)).describe(call.text, call.params)
    case 'exec': return (await target(call.tx)).exec(call.text)
    case 'begin': {
      await transactions.get(call.tx)?.ready
      return null
    }
    case 'end': {
      const open = transactions.get(call.tx)
      if (!open) throw new Error(`No open transaction ${call.tx} on the embedded database`)
      await Promise.allSettled(open.running)
      open.end(call.commit)
      await open.ended
      return null
    }
    case 'copyFrom': return db.copyFrom(call.table, call.columns, call.csv, call.options)
    case 'listen': {
      const id = ++lastId
      listeners.set(id, await db.listen(call.channel, () => port.postMessage({ notice: id } satisfies Answer)))
      return id
    }
    case 'unlisten': {
      const stop = listeners.get(call.listener)
      listeners.delete(call.listener)
      await stop?.()
      return null
    }
    case 'close':
      quiet.stop()
      await db.close()
      return null
  }
}

/** An error as plain data: what structured cloning would drop (a database error's code, detail, …) kept. */
function plainError(error: unknown): PlainError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), stack: undefined, fields: {} }
  const fields: Record<string, SqlValue> = {}
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function' || (typeof value === 'object' && value !== null)) continue
    fields[key] = value as SqlValue
  }
  return { name: error.name, message: error.message, stack: error.stack, fields }
}

// A job's statement (Db.background) starts once the site's requests have run none for GRACE_MS
// (a request's next statement follows its last within that, unless the server is rendering) or
// after LONGEST_WAIT_MS, so that jobs still move on a site that is never idle.
const GRACE_MS = 20
const LONGEST_WAIT_MS = 1000
let siteCalls = 0
let siteIdleSince = 0

function startsStatement(call: Call): boolean {
  return call.op === 'copyFrom' || ((call.op === 'query' || call.op === 'queryText' || call.op === 'describe' || call.op === 'exec') && call.tx === undefined)
}

async function siteIdle(): Promise<void> {
  const since = performance.now()
  while (siteCalls > 0 || performance.now() - siteIdleSince < GRACE_MS) {
    if (performance.now() - since >= LONGEST_WAIT_MS) return
    await sleep(5)
  }
}

port.on('message', (call: Call) => {
  quiet.touch()
  const forSite = !call.background
  if (forSite) siteCalls += 1
  // A transaction is named at once, so that its statements, sent on its heels, find it.
  if (call.op === 'begin') begin(call, call.background ? siteIdle() : Promise.resolve())
  const answered = call.background && startsStatement(call) ? siteIdle().then(() => answer(call)) : answer(call)
  const within = call.op !== 'begin' && call.op !== 'end' && 'tx' in call && call.tx !== undefined ? transactions.get(call.tx) : undefined
  if (within) {
    within.running.add(answered)
    void answered.finally(() => within.running.delete(answered)).catch(() => undefined)
  }
  answered.then(
    (value) => port.postMessage({ id: call.id, ok: true, value } satisfies Answer),
    (error: unknown) => port.postMessage({ id: call.id, ok: false, error: plainError(error) } satisfies Answer),
  ).finally(() => {
    if (!forSite) return
    siteCalls -= 1
    siteIdleSince = performance.now()
  })
})
port.postMessage({ ready: true } satisfies Answer)
