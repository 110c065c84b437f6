import { Busy, TooManyRequests } from './errors.ts'

/** How much of one kind of work a process takes at once. */
export interface GateLimits {
  /** Run at once; more wait their turn. */
  running: number
  /** Wait at most; more are refused with 503 (Busy). */
  waiting: number
  /** Running and waiting for one address at most; more are refused with 429. */
  perAddress: number
  /** What Retry-After says to a refused asker. */
  retryAfterSeconds: number
}

/**
 * Admission for work whose cost the asker decides (the public's queries): a few run, a bounded queue
 * waits, the rest are refused at once, so a flood neither piles up in memory nor holds connections
 * the site's own pages need, and one address cannot take every place.
 */
export class Gate {
  private running = 0
  private readonly queue: Array<() => void> = []
  private readonly byAddress = new Map<string, number>()

  constructor(private readonly limits: GateLimits) {}

  /** Runs fn when its turn comes; throws TooManyRequests or Busy when it cannot be taken. */
  async run<T>(address: string, fn: () => Promise<T>): Promise<T> {
    this.enter(address, true)
    if (this.running >= this.limits.running) await new Promise<void>((resolve) => this.queue.push(resolve))
    else this.running += 1
    try {
      return await fn()
    } finally {
      this.leave(address)
    }
  }

  /**
   * Takes a place now, with no waiting (work that holds a connection open, as an upload does), and
   * gives the function that hands it back (once, however often called). Throws as run does.
   */
  admit(address: string): () => void {
    this.enter(address, false)
    this.running += 1
    let held = true
    return () => {
      if (!held) return
      held = false
      this.leave(address)
    }
  }

  // Counts the address in, or refuses: its share taken (429), or no place and no room to wait (503).
  private enter(address: string, mayWait: boolean): void {
    const own = this.byAddress.get(address) ?? 0
    if (own >= this.limits.perAddress) throw new TooManyRequests(this.limits.retryAfterSeconds)
    if (this.running >= this.limits.running && (!mayWait || this.queue.length >= this.limits.waiting)) throw new Busy(this.limits.retryAfterSeconds)
    this.byAddress.set(address, own + 1)
  }

  // Counts the address out; its place passes to the next in line as it is, or is given back.
  private leave(address: string): void {
    const left = (this.byAddress.get(address) ?? 1) - 1
    if (left > 0) this.byAddress.set(address, left)
    else this.byAddress.delete(address)
    const next = this.queue.shift()
    if (next) next()
    else this.running -= 1
  }

  /** Running and waiting now (for tests and status). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.queue.length }
  }
}
