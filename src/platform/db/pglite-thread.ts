import { Worker } from 'node:worker_threads'
import { scriptBeside, workerStart } from '../jobs/threads.ts'
import type { CopyOptions, CopySource, Db, Queryable, ReaderLogin, SqlValue } from './types.ts'

/** How the worker opens the embedded database (see openPglite). */
export interface OpenOptions {
  dataDir: string | undefined
  buffersMb: number | undefined
  /** A data folder's dump (dumpDataDir) to start from, as bytes. */
  loadDataDir: Uint8Array<ArrayBuffer> | undefined
}

/** What is asked of the worker: a method of Db, with the transaction it runs in when it does. */
export type Request =
  | { op: 'query' | 'queryText' | 'describe'; text: string; params: readonly SqlValue[]; tx?: number }
  | { op: 'exec'; text: string; tx?: number }
  | { op: 'begin'; tx: number; mode: 'write' }
  | { op: 'begin'; tx: number; mode: 'read'; settings: Readonly<Record<string, string>> }
  | { op: 'begin'; tx: number; mode: 'readAs'; login: ReaderLogin }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'copyFrom'; table: string; columns: readonly string[]; csv: CopySource; options?: CopyOptions }
  | { op: 'listen'; channel: string }
  | { op: 'unlisten'; listener: number }
  | { op: 'close' }

/** A transaction's BEGIN as its caller asks for it; the number it is known by is added when sent. */
type BeginRequest = DistributiveOmit<Extract<Request, { op: 'begin' }>, 'tx'>
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** A request with the number its answer comes back under, and whether it is a job's (Db.background). */
export type Call = Request & { id: number; background: boolean }

/** An error as plain data: structured cloning would keep its message but drop a database error's code, detail, … */
export interface PlainError {
  name: string
  message: string
  stack: string | undefined
  fields: Record<string, SqlValue>
}

/** What the worker sends back: a call's answer, a notification, or that it is open. */
export type Answer =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: PlainError }
  | { notice: number }
  | { ready: true }

const WORKER_START = workerStart(scriptBeside(import.meta.url, 'pglite-worker'))

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void }

function toError(plain: PlainError): Error {
  const error = Object.assign(new Error(plain.message), plain.fields)
  error.name = plain.name
  if (plain.stack) error.stack = plain.stack
  return error
}

/**
 * Opens the embedded database on a worker thread and returns it as a Db. Every statement is sent
 * to the worker and its rows come back by message (~0.15 ms there and back here), so what PGlite
 * runs for seconds — a load's index builds and vacuum, a heavy query — no longer stops the server
 * answering what needs no database (kept pages, files, health) or rendering what it has read, and
 * on a machine of two cores pages render while the engine reads.
 */
export async function openPgliteThread(dataDir: string | undefined, options: { loadDataDir?: Blob; buffersMb?: number } = {}): Promise<Db> {
  const loadDataDir = options.loadDataDir ? new Uint8Array(await options.loadDataDir.arrayBuffer()) : undefined
  const worker = new Worker(WORKER_START.code, {
    eval: WORKER_START.eval,
    workerData: { dataDir, buffersMb: options.buffersMb, loadDataDir } satisfies OpenOptions,
    transferList: loadDataDir ? [loadDataDir.buffer] : [],
  })
  const pending = new Map<number, Pending>()
  const listeners = new Map<number, () => void>()
  let lastId = 0
  let lastTx = 0
  let gone: Error | undefined

  // The worker keeps the process alive only while a call waits for it, as PGlite on the main thread
  // never did: a program that forgets to close its database still ends.
  worker.unref()
  const settle = (id: number) => {
    const call = pending.get(id)
    pending.delete(id)
    if (pending.size === 0) worker.unref()
    return call
  }
  const fail = (error: Error) => {
    gone ??= error
    for (const id of [...pending.keys()]) settle(id)?.reject(error)
  }

  let open = false
  let closing = false
  // The engine's thread failing or ending on its own, once open, ends the server as the engine
  // failing on the server's own thread would: what was acknowledged is committed, and whatever
  // restarts the server finds it; a server left answering without its database would not be.
  const fatal = (error: Error) => {
    if (open && !closing) process.nextTick(() => { throw error })
  }

  const opened = new Promise<void>((resolve, reject) => {
    worker.on('message', (answer: Answer) => {
      if ('ready' in answer) {
        open = true
        return resolve()
      }
      if ('notice' in answer) return listeners.get(answer.notice)?.()
      const call = settle(answer.id)
      if (answer.ok) call?.resolve(answer.value)
      else call?.reject(toError(answer.error))
    })
    worker.on('error', (error) => {
      fail(error)
      reject(error)
      fatal(error)
    })
    worker.on('exit', (code) => {
      const error = new Error(`The embedded database's thread ended (exit code ${code})`)
      fail(error)
      reject(error)
      fatal(error)
    })
  })

  const send = <T>(request: Request, background = false): Promise<T> => {
    if (gone) return Promise.reject(gone)
    const id = ++lastId
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      worker.ref()
      worker.postMessage({ ...request, id, background } satisfies Call)
    })
  }

  const shared: Pick<Db, 'kind' | 'listen' | 'close'> = {
    kind: 'pglite',
    async listen(channel, onNotice) {
      const listener = await send<number>({ op: 'listen', channel })
      listeners.set(listener, onNotice)
      return async () => {
        listeners.delete(listener)
        await send({ op: 'unlisten', listener })
      }
    },
    async close() {
      if (gone) return
      closing = true
      await send({ op: 'close' })
      gone = new Error('The embedded database is closed')
      await worker.terminate()
    },
  }

  // The site's statements, and the jobs' that give way to them (see Db.background).
  const facade = (background: boolean): Db => {
    const queryable = (tx?: number, ended?: () => boolean): Queryable => {
      const sent = <T>(request: Request): Promise<T> => ended?.()
        ? Promise.reject(new Error('A statement was sent after its read-only transaction was ended (readOnly with atOnce sends every statement before it first waits)'))
        : send<T>(request, background)
      return {
        query: <T>(text: string, params: readonly SqlValue[] = []) => sent<T[]>({ op: 'query', text, params, tx }),
        queryText: (text, params = []) => sent({ op: 'queryText', text, params, tx }),
        describe: (text, params = []) => sent({ op: 'describe', text, params, tx }),
        exec: (text) => sent({ op: 'exec', text, tx }),
      }
    }
    // BEGIN, the statements and COMMIT go one after another without waiting for BEGIN's answer; a
    // read-only transaction's COMMIT is not waited for either (it has nothing to lose), and when fn
    // sends its statements at once (atOnce) it goes on their heels. Meanwhile the engine holds the
    // transaction, so every exchange spared is the engine's time too.
    const within = async <T>(begin: BeginRequest, fn: (q: Queryable) => Promise<T>, atOnce = false): Promise<T> => {
      const tx = ++lastTx
      const begun = send<null>({ ...begin, tx }, background)
      begun.catch(() => undefined)
      let ended: Promise<unknown> | null = null
      let result: T
      try {
        const running = fn(queryable(tx, () => ended !== null))
        if (atOnce) {
          ended = send({ op: 'end', tx, commit: true })
          ended.catch(() => undefined)
        }
        result = await running
        await begun
      } catch (error) {
        // A transaction that never began fails its statements with BEGIN's error: that one is said.
        const beginError = await begun.then(() => undefined, (cause: unknown) => cause)
        if (beginError) throw beginError
        if (!ended) await send({ op: 'end', tx, commit: false }).catch(() => undefined)
        throw error
      }
      if (ended) return result
      const committed = send({ op: 'end', tx, commit: true })
      if (begin.mode === 'write') await committed
      else committed.catch(() => undefined)
      return result
    }
    return {
      ...shared,
      ...queryable(),
      transaction: (fn) => within({ op: 'begin', mode: 'write' }, fn),
      readOnly: (settings, fn, options) => within({ op: 'begin', mode: 'read', settings }, fn, options?.atOnce),
      readAs: (login, fn) => within({ op: 'begin', mode: 'readAs', login }, fn),
      copyFrom: (table, columns, csv, options) => send({ op: 'copyFrom', table, columns, csv, options }, background),
      background: () => jobs,
    }
  }
  const jobs = facade(true)

  await opened
  return facade(false)
}
