import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

/** A script beside the calling module, by name: TypeScript as the source runs, JavaScript once built. */
export function scriptBeside(moduleUrl: string, name: string): URL {
  return new URL(`./${name}${path.extname(fileURLToPath(moduleUrl))}`, moduleUrl)
}

/**
 * How a worker starts a script. A worker does not inherit the TypeScript loader the server started
 * with (node --import tsx), so from source it starts from a line of JavaScript that registers tsx's
 * loader on its own thread and then imports the script.
 */
export function workerStart(script: URL): { code: string | URL; eval: boolean } {
  if (!script.pathname.endsWith('.ts')) return { code: script, eval: false }
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'))
  return { code: `import(${api}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}) })`, eval: true }
}

/** What bounds work on a hostile input: how long it may run and how much memory it may take. */
export interface IsolationLimits {
  timeoutMs: number
  heapMb: number
}

/** Work stopped at its bound: its thread was ended, and nothing it held stays in the server. */
export class IsolationExceeded extends Error {
  constructor(readonly bound: 'time' | 'memory') {
    super(`The work went past its ${bound} bound`)
  }
}

const ISOLATED_ENTRY = scriptBeside(import.meta.url, 'isolated-entry')

/**
 * Runs an exported function of a module on a thread of its own, with a heap of its own and a time
 * bound: a file that takes seconds or gigabytes to read (a ZIP bomb, ten thousand nested tables)
 * holds up neither the requests nor the memory of the server. The input and the answer cross as
 * structured clones; an error thrown there comes back as an Error with its message.
 */
export function runIsolated<Input, Output>(module: URL, exported: string, input: Input, limits: IsolationLimits): Promise<Output> {
  const start = workerStart(ISOLATED_ENTRY)
  const worker = new Worker(start.code, {
    eval: start.eval,
    workerData: { module: module.href, exported, input },
    resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: Math.max(4, Math.floor(limits.heapMb / 8)) },
    stdout: false,
    stderr: false,
  })
  return new Promise<Output>((resolve, reject) => {
    let settled = false
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      fn()
      void worker.terminate()
    }
    const timer = setTimeout(() => settle(() => reject(new IsolationExceeded('time'))), limits.timeoutMs)
    worker.on('message', (answer: { ok: true; value: Output } | { ok: false; message: string }) => {
      settle(() => (answer.ok ? resolve(answer.value) : reject(new Error(answer.message))))
    })
    worker.on('error', (error: Error & { code?: string }) => {
      settle(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new IsolationExceeded('memory') : error))
    })
    worker.on('exit', (code) => settle(() => reject(new Error(`The isolated work ended without an answer (exit code ${code})`))))
  })
}
