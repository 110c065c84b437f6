import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { startJobs } from '../../../src/platform/jobs/index.ts'
import type { JobDeps } from '../../../src/platform/jobs/index.ts'
import { createTestDb } from '../../helpers/db.ts'

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
  // Three runs at least, however busy the machine: waiting a fixed time failed under load.
  const deadline = Date.now() + 10_000
  while (runs < 3 && Date.now() < deadline) await sleep(10)
  jobs.stop()
  const stoppedAt = runs
  await sleep(100)
  assert.ok(runs >= 3, `ran ${runs} times`)
  assert.equal(overlapped, false)
  assert.deepEqual(failures, ['job slow failed'])
  assert.ok(runs <= stoppedAt + 1, 'stop() stops it')
})

test('a job woken by a notification runs as soon as the transaction that sends it commits, not at its next round; one sent during a run brings one more', async (t) => {
  const db = await createTestDb()
  let runs = 0
  let release: (() => void) | undefined
  const jobs = startJobs({ db } as JobDeps, [{
    name: 'woken', everyMs: 60_000, wakeOn: 'ashyq_test_wake',
    async run() {
      runs += 1
      if (runs === 1) await new Promise<void>((resolve) => { release = resolve })
    },
  }], () => undefined)
  t.after(async () => {
    await jobs.stop()
    await db.close()
  })
  await sleep(300) // listening
  await assert.rejects(db.transaction(async (tx) => {
    await tx.query(`select pg_notify('ashyq_test_wake', '')`)
    throw new Error('rolled back')
  }))
  await sleep(300)
  assert.equal(runs, 0, 'a notification rolled back is never delivered')
  await db.transaction(async (tx) => { await tx.query(`select pg_notify('ashyq_test_wake', '')`) })
  for (let i = 0; i < 50 && runs === 0; i++) await sleep(20)
  assert.equal(runs, 1, 'woken at once')
  await db.query(`select pg_notify('ashyq_test_wake', '')`)
  await db.query(`select pg_notify('ashyq_test_wake', '')`)
  await sleep(200)
  assert.equal(runs, 1, 'never two runs at once')
  release!()
  for (let i = 0; i < 50 && runs === 1; i++) await sleep(20)
  await sleep(100)
  assert.equal(runs, 2, 'what was announced during the run: one more run')
})
