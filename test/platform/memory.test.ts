import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { readFileSync } from 'node:fs'
import { QuietCollector, SERVER_NODE_FLAGS } from '../../src/platform/memory.ts'
import { startupWarnings } from '../../src/platform/db/index.ts'
import type { Db } from '../../src/platform/db/index.ts'

const execFileAsync = promisify(execFile)

test('a full collection gives back what nothing holds when the process has gc(), and is passed over when it has not', async () => {
  const script = `
    import v8 from 'node:v8'
    import { collectGarbage } from './src/platform/memory.ts'
    let garbage = Array.from({ length: 200 }, () => Array.from({ length: 10_000 }, (_, i) => i))
    const before = v8.getHeapStatistics().used_heap_size
    garbage = null
    const ran = collectGarbage()
    console.log(JSON.stringify({ ran, freed: before - v8.getHeapStatistics().used_heap_size }))`
  const run = async (flags: string[]) => {
    const { stdout } = await execFileAsync(process.execPath, [...flags, '--import', 'tsx', '--input-type=module', '-e', script])
    return JSON.parse(stdout) as { ran: boolean; freed: number }
  }
  const [exposed, plain] = await Promise.all([run(['--expose-gc']), run([])])
  assert.equal(exposed.ran, true)
  assert.ok(exposed.freed > 10 * 1024 * 1024, `${(exposed.freed / 1048576).toFixed(1)} MB given back`)
  assert.equal(plain.ran, false, 'no flag is set while the process runs')
})

test('the collection gives back the heap a burst grew, not only the objects in it', async () => {
  // A burst as a server has one: objects made fast and dropped (the young generation grows), and a
  // large structure kept a while. After it, what V8 holds is back near where it began.
  const script = `
    import v8 from 'node:v8'
    import { collectGarbage } from './src/platform/memory.ts'
    const committed = () => v8.getHeapStatistics().total_heap_size
    const before = committed()
    let kept = []
    for (let round = 0; round < 200; round += 1) {
      const burst = Array.from({ length: 20_000 }, (_, i) => ({ i, s: 'row ' + i + ' of ' + round }))
      if (round % 4 === 0) kept.push(burst)
    }
    const grown = committed()
    kept = null
    collectGarbage()
    console.log(JSON.stringify({ before, grown, after: committed() }))`
  const { stdout } = await execFileAsync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script])
  const { before, grown, after } = JSON.parse(stdout) as { before: number; grown: number; after: number }
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`
  assert.ok(grown > before + 100 * 1048576, `the burst grew the heap (${mb(before)} → ${mb(grown)})`)
  // An ordinary full collection kept 140 MB of the 344 here (Node 24); this one keeps about 10.
  assert.ok(after < before + 30 * 1048576, `${mb(after)} held after the collection (${mb(before)} before the burst, ${mb(grown)} at its end)`)
})

test('the heap is collected once a burst has been quiet for a while and grew enough, not during it', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  let now = 0
  let size = 100
  const quiet = new QuietCollector({ quietMs: 5_000, grownBytes: 10, now: () => now, heapSize: () => size, collect: () => true })
  t.after(() => quiet.stop())
  const advance = (ms: number) => {
    now += ms
    t.mock.timers.tick(ms)
  }
  // A burst: a request every second for ten seconds, the heap growing.
  for (let second = 0; second < 10; second += 1) {
    quiet.touch()
    size += 5
    advance(1_000)
  }
  assert.equal(quiet.collections, 0, 'not while requests come')
  advance(3_999)
  assert.equal(quiet.collections, 0, 'not a moment before the quiet is long enough')
  advance(1)
  assert.equal(quiet.collections, 1)
  // Collected: what is left is the new mark. A quiet spell after a little work collects nothing.
  size = 120
  quiet.collect()
  quiet.touch()
  size += 9
  advance(10_000)
  assert.equal(quiet.collections, 2)
  quiet.touch()
  size += 1
  advance(10_000)
  assert.equal(quiet.collections, 3)
})

test('a process without gc() counts no collection and keeps its mark', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  let size = 100
  const quiet = new QuietCollector({ quietMs: 1_000, grownBytes: 10, now: () => 0, heapSize: () => size, collect: () => false })
  size += 50
  quiet.collect()
  assert.equal(quiet.collections, 0)
})

test('npm start and npm run serve start Node.js with the flags the memory of the site needs, and a start without one is warned of', async () => {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts
  for (const name of ['start', 'serve']) {
    const words = scripts[name]!.split(/\s+/)
    for (const flag of SERVER_NODE_FLAGS) assert.ok(words.includes(flag), `npm run ${name} passes ${flag}`)
  }
  // The embedded database asks nothing of the server: the warnings read the flags alone.
  const db = { kind: 'pglite' } as Db
  const flagWarnings = async (execArgv: string[]) => (await startupWarnings(db, { datastoreSql: false }, execArgv)).filter((w) => /was started without/.test(w))
  assert.deepEqual(await flagWarnings([...SERVER_NODE_FLAGS, '--import', 'tsx']), [])
  const [bare] = await flagWarnings([])
  assert.match(bare ?? '', /started without --expose-gc and --liftoff-only/)
  assert.match(bare ?? '', /node --expose-gc --liftoff-only build\/main\.js/)
  assert.match((await flagWarnings(['--expose-gc']))[0] ?? '', /started without --liftoff-only:/)
})
