import { Busy, TooManyRequests } from './errors.ts'

/** How much of one kind of work a process takes at once. */
export interface GateLimits {
  /** Run at once; more wait their turn. */
  running: number
  /** Wait at most, of every address together; more are refused with 503 (Busy). */
  waiting: number
  /** Run at once for one address at most (its share of the places). */
  perAddress: number
  /** Running and waiting for one address at most, beyond perAddress: more are refused with 429. As many as perAddress unless told. */
  perAddressWaiting?: number
  /** What Retry-After says to a refused asker. */
  retryAfterSeconds: number
}

interface AddressLine {
  running: number
  waiting: Array<() => void>
}

/**
 * Admission for work whose cost the asker decides (the public's queries): a few run, a bounded queue
 * waits, the rest are refused at once, so a flood neither piles up in memory nor holds connections
 * the site's own pages need. The queue is fair: each address waits in a line of its own and a
 * freed place goes to the lines in turn, so a client that opens sixteen connections waits for its
 * share instead of being refused, and does not hold back an address that asks once.
 */
export class Gate {
  private running = 0
  private waiting = 0
  private readonly lines = new Map<string, AddressLine>()
  /** Addresses with someone waiting, in the order their turn comes. */
  private readonly turns: string[] = []

  constructor(private readonly limits: GateLimits) {}

  private lineOf(address: string): AddressLine {
    let line = this.lines.get(address)
    if (!line) this.lines.set(address, line = { running: 0, waiting: [] })
    return line
  }

  /** Runs fn when its turn comes; throws TooManyRequests or Busy when it cannot be taken. */
  async run<T>(address: string, fn: () => Promise<T>): Promise<T> {
    const line = this.lineOf(address)
    if (line.running < this.limits.perAddress && this.running < this.limits.running && this.waiting === 0) {
      line.running += 1
      this.running += 1
    } else {
      if (line.running + line.waiting.length >= this.limits.perAddress + (this.limits.perAddressWaiting ?? this.limits.perAddress)) {
        this.forget(address)
        throw new TooManyRequests(this.limits.retryAfterSeconds)
      }
      if (this.waiting >= this.limits.waiting) {
        this.forget(address)
        throw new Busy(this.limits.retryAfterSeconds)
      }
      // Counted as running by whoever hands the place over.
      await new Promise<void>((resolve) => {
        line.waiting.push(resolve)
        this.waiting += 1
        if (line.waiting.length === 1) this.turns.push(address)
        this.handOver()
      })
    }
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
    const line = this.lineOf(address)
    if (line.running >= this.limits.perAddress) {
      this.forget(address)
      throw new TooManyRequests(this.limits.retryAfterSeconds)
    }
    if (this.running >= this.limits.running) {
      this.forget(address)
      throw new Busy(this.limits.retryAfterSeconds)
    }
    line.running += 1
    this.running += 1
    let held = true
    return () => {
      if (!held) return
      held = false
      this.leave(address)
    }
  }

  // Counts the address out, and hands the place to the next line whose turn it is.
  private leave(address: string): void {
    const line = this.lines.get(address)
    if (line) line.running -= 1
    this.running -= 1
    this.forget(address)
    this.handOver()
  }

  /** Places free go to the lines in turn, each line to the back once served, passing over lines that hold their share. */
  private handOver(): void {
    while (this.running < this.limits.running) {
      const index = this.turns.findIndex((address) => this.lines.get(address)!.running < this.limits.perAddress)
      if (index < 0) return
      const [address] = this.turns.splice(index, 1) as [string]
      const line = this.lines.get(address)!
      const next = line.waiting.shift()!
      this.waiting -= 1
      line.running += 1
      this.running += 1
      if (line.waiting.length > 0) this.turns.push(address)
      next()
    }
  }

  private forget(address: string): void {
    const line = this.lines.get(address)
    if (line && line.running === 0 && line.waiting.length === 0) this.lines.delete(address)
  }

  /** Running and waiting now (for tests and status). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting }
  }
}
