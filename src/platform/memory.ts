import v8 from 'node:v8'
import vm from 'node:vm'

let collector: (() => void) | undefined

/**
 * V8's full collection, as `node --expose-gc` would give it as `gc()`: taken from a context made
 * while the flag is set, which is then set back, so that no other code finds a `gc` of its own.
 */
export function collectGarbage(): void {
  if (!collector) {
    v8.setFlagsFromString('--expose-gc')
    try {
      collector = vm.runInNewContext('gc') as () => void
    } finally {
      v8.setFlagsFromString('--no-expose-gc')
    }
  }
  collector()
}

/** Bytes of V8's heap in use. */
function heapUsed(): number {
  return v8.getHeapStatistics().used_heap_size
}

/**
 * Gives back the memory a burst of work grew, once the work has stopped. V8 grows its heap while
 * requests come fast and keeps it: nothing tells it that a server has fallen idle, so its own
 * shrinking after a while of calm never starts (measured: 208 MB resident a minute after a load,
 * 175 MB after one full collection). A collection is made once no activity has been seen for
 * `quietMs` and the heap in use has grown by `grownBytes` since the last: a site that is never quiet
 * is never paused for it, and one that is quiet is paused (some tens of milliseconds) only once per
 * burst.
 */
export class QuietCollector {
  private last = 0
  private timer: NodeJS.Timeout | undefined
  private afterLast: number
  /** How many collections were made. */
  collections = 0

  constructor(private readonly options: { quietMs: number; grownBytes: number; now?: () => number; heapUsed?: () => number }) {
    this.afterLast = this.used()
  }

  private used(): number {
    return this.options.heapUsed?.() ?? heapUsed()
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
    if (this.used() - this.afterLast < this.options.grownBytes) return
    this.collect()
  }

  /** Collects now, and counts from what is left. */
  collect(): void {
    collectGarbage()
    this.collections += 1
    this.afterLast = this.used()
  }

  stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}
