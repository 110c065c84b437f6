import v8 from 'node:v8'

/**
 * The flags the site's Node.js starts with (`npm start`, `npm run serve`; a test holds package.json's
 * scripts to them, and the site warns at start when one is missing). They belong to the whole
 * process and are read as it starts: none is set while it runs (see collectGarbage).
 * - `--expose-gc`: what a burst of requests grew is given back once the site is quiet (QuietCollector).
 * - `--liftoff-only`: the embedded database (PostgreSQL compiled to WebAssembly) runs on V8's
 *   baseline compiler alone. V8's optimising compiler, given the engine's largest hot function
 *   (function 2272 of PGlite 0.5.16, 105 KB), spent 1.9 s and 600 MB on it seconds after every
 *   start (peak 816 MB, then 313 MB idle; without it 303 MB and 236, and 272 thirty seconds after
 *   a load; `node --trace-wasm-compilation-times`, `--turbo-stats-wasm`: the memory is its
 *   lowering and loop unrolling of one graph, which no other flag avoided; 2026-12-03). Baseline
 *   code runs the engine's statements somewhat slower (test/bench: datastore's figures).
 */
export const SERVER_NODE_FLAGS = ['--expose-gc', '--liftoff-only'] as const

/** The SERVER_NODE_FLAGS a process was started without. */
export function missingNodeFlags(execArgv: readonly string[] = process.execArgv): string[] {
  return SERVER_NODE_FLAGS.filter((flag) => !execArgv.includes(flag))
}

/**
 * V8's full collection, when the process was started with `node --expose-gc` (as `npm start` and
 * `npm run serve` start it; its threads then have it too); says whether it ran. The flag is never set
 * while the process runs: V8's flags belong to the whole process, and setting them on one thread
 * while another compiled or freed WebAssembly code (the embedded database's) stopped the process
 * (`Check failed: jit_page_->allocations_.erase(addr) == 1`, Node 24.21, test/demo under load).
 */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: unknown }).gc
  if (typeof gc !== 'function') return false
  // As V8 collects when memory runs short: it also gives back the pages the collection emptied and
  // shrinks the young generation a burst grew. An ordinary full collection keeps both: the compiled
  // server on PostgreSQL, 30 s after a load, held 375 MB with 65 MB of its heap in use (new space
  // 128 MB, old space 118 MB for 50 in use); collected so, 183 MB (147 idle; scratch run, 2026-12-03).
  ;(gc as (options: object) => void)({ type: 'major', execution: 'sync', flavor: 'last-resort' })
  return true
}

/**
 * Bytes V8's heap holds, in use or not. What a burst grows is this: V8 collects during the burst by
 * itself, so the heap in use at its end can be near what it was (the compiled server on PostgreSQL
 * held 359 MB a minute after a load, as at its end, while the heap in use had not grown by 8 MB:
 * no collection was made; 2026-12-04, `BENCH_ONLY=postgres npm run bench:memory`).
 */
function heapSize(): number {
  return v8.getHeapStatistics().total_heap_size
}

/**
 * Gives back the memory a burst of work grew, once the work has stopped. V8 grows its heap while
 * requests come fast and keeps it: nothing tells it that a server has fallen idle, so its own
 * shrinking after a while of calm never starts (measured: 208 MB resident a minute after a load,
 * 175 MB after one full collection). A collection is made once no activity has been seen for
 * `quietMs` and the heap has grown by `grownBytes` since the last: a site that is never quiet
 * is never paused for it, and one that is quiet is paused (some tens of milliseconds) only once per
 * burst.
 */
export class QuietCollector {
  private last = 0
  private timer: NodeJS.Timeout | undefined
  private afterLast: number
  /** How many collections were made. */
  collections = 0

  constructor(private readonly options: { quietMs: number; grownBytes: number; now?: () => number; heapSize?: () => number; collect?: () => boolean }) {
    this.afterLast = this.size()
  }

  private size(): number {
    return this.options.heapSize?.() ?? heapSize()
  }

  private now(): number {
    return this.options.now?.() ?? performance.now()
  }

  /** Some activity (a request, a statement): the next collection waits for quietMs after it. */
  touch(): void {
    this.last = this.now()
    if (this.timer) return
    this.timer = setTimeout(() => this.check(), this.options.quietMs)
    this.timer.unref()
  }

  private check(): void {
    this.timer = undefined
    const quietFor = this.now() - this.last
    if (quietFor < this.options.quietMs) {
      this.timer = setTimeout(() => this.check(), this.options.quietMs - quietFor)
      this.timer.unref()
      return
    }
    if (this.size() - this.afterLast < this.options.grownBytes) return
    this.collect()
  }

  /** Collects now (when the process can: collectGarbage), and counts from what is left. */
  collect(): void {
    if (this.options.collect ? !this.options.collect() : !collectGarbage()) return
    this.collections += 1
    this.afterLast = this.size()
  }

  stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}
