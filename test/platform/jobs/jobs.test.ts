import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { startJobs } from '../../../src/platform/jobs/index.ts'
import type { JobDeps } from '../../../src/platform/jobs/index.ts'

test('a job runs on its rhythm, never twice at once, and a failure is logged without stopping it', async () => {
  let runs = 0
  let running = 0
  let overlapped = false
  const failures: string[] = []
  const jobs = startJobs({} as JobDeps, [
    {
      name: 'slow', everyMs: 20,
      async run() {
        runs += 1
        running += 1
        if (running > 1) overlapped = true
        await sleep(50)
        running -= 1
        if (runs === 1) throw new Error('first run fails')
      },
    },
  ], (message) => failures.push(message))
  await sleep(300)
  jobs.stop()
  const stoppedAt = runs
  await sleep(100)
  assert.ok(runs >= 3, `ran ${runs} times`)
  assert.equal(overlapped, false)
  assert.deepEqual(failures, ['job slow failed'])
  assert.ok(runs <= stoppedAt + 1, 'stop() stops it')
})
