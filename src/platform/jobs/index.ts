import type { Db } from '../db/index.ts'
import type { FileStore } from '../files/index.ts'
import type { ModuleConfig } from '../modules.ts'

/** What a job works with. */
export interface JobDeps {
  db: Db
  files: FileStore
  config: ModuleConfig
}

/** Work a module wants done on a schedule (harvests, deadlines, recomputations). */
export interface Job {
  name: string
  /** How often to look for due work; the job itself decides what is due. */
  everyMs: number
  run(deps: JobDeps): Promise<unknown>
}

/**
 * Runs each job every everyMs, never two runs of one job at once in this process. Jobs claim their
 * work in the database, so several processes may run them side by side.
 */
export function startJobs(deps: JobDeps, jobs: readonly Job[], log: (message: string, error?: unknown) => void): { stop(): void } {
  const timers = jobs.map((job) => {
    let running = false
    const tick = async () => {
      if (running) return
      running = true
      try {
        await job.run(deps)
      } catch (error) {
        log(`job ${job.name} failed`, error)
      } finally {
        running = false
      }
    }
    // The first look a few seconds after start, then on the job's own rhythm.
    const first = setTimeout(tick, Math.min(5_000, job.everyMs))
    const every = setInterval(tick, job.everyMs)
    first.unref()
    every.unref()
    return [first, every] as const
  })
  return {
    stop() {
      for (const [first, every] of timers) {
        clearTimeout(first)
        clearInterval(every)
      }
    },
  }
}
