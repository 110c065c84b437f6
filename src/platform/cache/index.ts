/**
 * A cache of computed values that computes each key once at a time. While a key is being computed,
 * other requests for it wait for that computation instead of starting their own (ten identical
 * catalog counts at once cost one); once a value is older than its time to live, it is still served
 * while a single refresh runs, and replaced when that refresh ends. A computation that fails is not
 * kept: the next request tries again.
 */
export class RefreshingCache<V> {
  private readonly entries = new Map<string, { at: number; value: V }>()
  private readonly running = new Map<string, Promise<V>>()

  constructor(private readonly options: {
    ttlMs: number
    /** Entries kept at most; the oldest go first. */
    maxEntries: number
    /** Whether a value is worth keeping (cheap ones are computed again each time); all are by default. */
    keep?: (value: V) => boolean
    now?: () => number
  }) {}

  private now(): number {
    return this.options.now?.() ?? Date.now()
  }

  /** The value for key: kept and fresh, kept and being refreshed, or computed now (once for all who ask). */
  async get(key: string, compute: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key)
    if (entry && this.now() - entry.at < this.options.ttlMs) return entry.value
    const run = this.running.get(key) ?? this.start(key, compute)
    if (entry) {
      // Stale while refreshed: the refresh's failure is for the next request to meet.
      run.catch(() => undefined)
      return entry.value
    }
    return run
  }

  private start(key: string, compute: () => Promise<V>): Promise<V> {
    const run = (async () => {
      try {
        const value = await compute()
        if (this.options.keep?.(value) ?? true) this.store(key, value)
        else this.entries.delete(key)
        return value
      } finally {
        this.running.delete(key)
      }
    })()
    this.running.set(key, run)
    return run
  }

  private store(key: string, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, { at: this.now(), value })
    // A Map iterates in insertion order: the first key is the oldest.
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!)
  }
}

/**
 * A read that requests arriving together share, without any of them missing a change committed
 * before it arrived: a request shares a read that has not started yet, never one already running
 * (which may have started before the change). While one runs, those who come wait for the next,
 * which starts when it ends and answers them all: at most one read at a time, however many readers.
 */
export class SharedRead<T> {
  private running: Promise<T> | null = null
  private waiting: Promise<T> | null = null

  constructor(private readonly read: () => Promise<T>) {}

  /** Whether no read runs or waits to start. */
  get idle(): boolean {
    return this.running === null && this.waiting === null
  }

  get(): Promise<T> {
    if (this.waiting) return this.waiting
    if (!this.running) return this.start()
    const next = this.running.then(() => undefined, () => undefined).then(() => {
      this.waiting = null
      return this.start()
    })
    this.waiting = next
    return next
  }

  private start(): Promise<T> {
    const run = this.read()
    this.running = run
    const done = () => {
      if (this.running === run) this.running = null
    }
    run.then(done, done)
    return run
  }
}

/** Shared reads (SharedRead) one per key, each forgotten once no read of it runs or waits. */
export class KeyedSharedRead<T> {
  private readonly reads = new Map<string, SharedRead<T>>()

  constructor(private readonly read: (key: string) => Promise<T>) {}

  get(key: string): Promise<T> {
    let shared = this.reads.get(key)
    if (!shared) {
      shared = new SharedRead(() => this.read(key))
      this.reads.set(key, shared)
    }
    const result = shared.get()
    const forget = () => {
      if (this.reads.get(key)?.idle) this.reads.delete(key)
    }
    result.then(forget, forget)
    return result
  }

  /** Keys with a read running or waiting (for tests). */
  get size(): number {
    return this.reads.size
  }
}
