import type { Db } from '../db/index.ts'
import type { FileStore } from '../files/index.ts'
import type { ModuleConfig } from '../modules.ts'

/** What a job works with. */
export interface JobDeps {
  db: Db
  files: FileStore
  config: ModuleConfig
  /** The status a page of this site answers an anonymous reader with (a path: "/ru/agencies"), for jobs that check the site's own links. */
  statusOf?: (path: string) => Promise<number>
  /**
   * Aborted when the server shuts down: a job that holds a claim for long (a table's load) gives
   * its work back for another server to take at once, instead of when the claim goes stale.
   */
  signal?: AbortSignal
}

/** Work a module wants done on a schedule (harvests, deadlines, recomputations). */
export interface Job {
  name: string
  /** How often to look for due work; the job itself decides what is due. */
  everyMs: number
  /**
   * A channel whose notifications (`pg_notify` in the transaction that makes work due, from this
   * process or another) start a run at once instead of at the next round.
   */
  wakeOn?: string
  run(deps: JobDeps): Promise<unknown>
  /** How much work waits for the job now (for the site's metrics), when that can be counted. */
  backlog?(db: Db): Promise<number>
}

/**
 * Runs each job every everyMs, never two runs of one job at once in this process. Jobs claim their
 * work in the database, so several processes may run them side by side.
 */
export function startJobs(given: JobDeps, jobs: readonly Job[], log: (message: string, error?: unknown) => void): { stop(graceMs?: number): Promise<void> } {
  const listening: Promise<(() => Promise<void>) | undefined>[] = []
  const stopping = new AbortController()
  const deps = { ...given, signal: stopping.signal }
  const inFlight = new Set<Promise<void>>()
  const timers = jobs.map((job) => {
    let running = false
    // Work announced while a run is under way may have come after that run looked: one more run.
    let again = false
    const tick = async (announced = false) => {
      if (running) {
        again ||= announced
        return
      }
      if (stopping.signal.aborted) return
      running = true
      const run = (async () => {
        try {
          do {
            again = false
            await job.run(deps)
          } while (again && !stopping.signal.aborted)
        } catch (error) {
          if (!stopping.signal.aborted) log(`job ${job.name} failed`, error)
        } finally {
          running = false
        }
      })()
      inFlight.add(run)
      await run
      inFlight.delete(run)
    }
    if (job.wakeOn) {
      listening.push(deps.db.listen(job.wakeOn, () => void tick(true)).catch((error: unknown) => {
        log(`job ${job.name} cannot listen on ${job.wakeOn}; it runs on its rounds only`, error)
        return undefined
      }))
    }
    // The first look a few seconds after start, then on the job's own rhythm.
    const first = setTimeout(() => void tick(), Math.min(5_000, job.everyMs))
    const every = setInterval(() => void tick(), job.everyMs)
    first.unref()
    every.unref()
    return [first, every] as const
  })
  return {
    /**
     * Stops the rounds and the listening, tells the runs under way to give their claims back
     * (JobDeps.signal), and waits for them to end, graceMs at most (resolved once no notification
     * can start a run).
     */
    async stop(graceMs = 10_000) {
      for (const [first, every] of timers) {
        clearTimeout(first)
        clearInterval(every)
      }
      stopping.abort()
      await Promise.all(listening.map(async (listener) => (await listener)?.().catch(() => undefined)))
      let timer: NodeJS.Timeout | undefined
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => { timer = setTimeout(resolve, graceMs) })])
      clearTimeout(timer)
    },
  }
}
