import { test } from 'node:test'
import assert from 'node:assert/strict'
import v8 from 'node:v8'
import { collectGarbage, QuietCollector } from '../../src/platform/memory.ts'

test('a full collection gives back what nothing holds, and leaves no gc() behind for other code', () => {
  let garbage: number[][] | null = Array.from({ length: 200 }, () => Array.from({ length: 10_000 }, (_, i) => i))
  const before = v8.getHeapStatistics().used_heap_size
  garbage = null
  collectGarbage()
  const after = v8.getHeapStatistics().used_heap_size
  assert.equal(garbage, null)
  assert.ok(before - after > 10 * 1024 * 1024, `${((before - after) / 1048576).toFixed(1)} MB given back`)
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined')
})

test('the heap is collected once a burst has been quiet for a while and grew enough, not during it', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  let now = 0
  let used = 100
  const quiet = new QuietCollector({ quietMs: 5_000, grownBytes: 10, now: () => now, heapUsed: () => used })
  t.after(() => quiet.stop())
  const advance = (ms: number) => {
    now += ms
    t.mock.timers.tick(ms)
  }
  // A burst: a request every second for ten seconds, the heap growing.
  for (let second = 0; second < 10; second += 1) {
    quiet.touch()
    used += 5
    advance(1_000)
  }
  assert.equal(quiet.collections, 0, 'not while requests come')
  advance(3_999)
  assert.equal(quiet.collections, 0, 'not a moment before the quiet is long enough')
  advance(1)
  assert.equal(quiet.collections, 1)
  // Collected: what is left is the new mark. A quiet spell after a little work collects nothing.
  used = 120
  quiet.collect()
  quiet.touch()
  used += 9
  advance(10_000)
  assert.equal(quiet.collections, 2)
  quiet.touch()
  used += 1
  advance(10_000)
  assert.equal(quiet.collections, 3)
})
