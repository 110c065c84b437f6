import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RefreshingCache, KeyedSharedRead } from '../../../src/platform/cache/index.ts'

/** A computation that counts its runs and ends when told. */
function controlled<V>() {
  let runs = 0
  const waiting: ((value: V) => void)[] = []
  const failing: ((error: Error) => void)[] = []
  return {
    get runs() { return runs },
    compute: () => new Promise<V>((resolve, reject) => { runs++; waiting.push(resolve); failing.push(reject) }),
    finish(value: V) { waiting.shift()!(value); failing.shift() },
    fail(error: Error) { failing.shift()!(error); waiting.shift() },
  }
}

test('concurrent requests for a missing key compute it once and all get its value', async () => {
  const cache = new RefreshingCache<number>({ ttlMs: 1000, maxEntries: 10 })
  const work = controlled<number>()
  const asked = Array.from({ length: 10 }, () => cache.get('k', work.compute))
  work.finish(42)
  assert.deepEqual(await Promise.all(asked), Array(10).fill(42))
  assert.equal(work.runs, 1)
  assert.equal(await cache.get('k', work.compute), 42, 'then it is kept')
  assert.equal(work.runs, 1)
})

test('an expired value is served while one refresh runs, and replaced when it ends', async () => {
  let clock = 0
  const cache = new RefreshingCache<string>({ ttlMs: 100, maxEntries: 10, now: () => clock })
  const work = controlled<string>()
  const first = cache.get('k', work.compute)
  work.finish('old')
  assert.equal(await first, 'old')
  clock = 150
  assert.equal(await cache.get('k', work.compute), 'old', 'stale while refreshed')
  assert.equal(await cache.get('k', work.compute), 'old')
  assert.equal(work.runs, 2, 'one refresh for both')
  work.finish('new')
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(await cache.get('k', work.compute), 'new')
  assert.equal(work.runs, 2)
  clock = 300
  assert.equal(await cache.get('k', work.compute), 'new')
  assert.equal(work.runs, 3, 'expired again: refreshed again')
})

test('a failed computation is not kept; values not worth keeping are computed each time; the oldest entries go first', async () => {
  const cache = new RefreshingCache<number>({ ttlMs: 1000, maxEntries: 2, keep: (n) => n >= 10 })
  const work = controlled<number>()
  const failed = cache.get('k', work.compute)
  work.fail(new Error('database gone'))
  await assert.rejects(failed, /database gone/)
  const again = cache.get('k', work.compute)
  work.finish(5)
  assert.equal(await again, 5)
  const cheap = cache.get('k', work.compute)
  assert.equal(work.runs, 3, 'a value under the threshold is not kept')
  work.finish(5)
  await cheap
  for (const key of ['a', 'b', 'c']) await cache.get(key, async () => 10)
  let recomputed = 0
  await cache.get('a', async () => { recomputed++; return 10 })
  assert.equal(recomputed, 1, 'of three entries in a cache of two, the oldest went')
  await cache.get('c', async () => { recomputed++; return 10 })
  assert.equal(recomputed, 1)
})

test('shared reads by key: one read per key for readers who arrive together, each key forgotten once its reads end', async () => {
  const asked: string[] = []
  const reads = new KeyedSharedRead(async (key) => {
    asked.push(key)
    await new Promise((resolve) => setTimeout(resolve, 5))
    return key.toUpperCase()
  })
  const first = [reads.get('a'), reads.get('b')]
  // Arriving while the first reads run: one more read each, shared.
  const second = [reads.get('a'), reads.get('a'), reads.get('b')]
  assert.deepEqual(await Promise.all([...first, ...second]), ['A', 'B', 'A', 'A', 'B'])
  assert.deepEqual(asked.sort(), ['a', 'a', 'b', 'b'])
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(reads.size, 0, 'nothing is kept for a key no one reads')
})
