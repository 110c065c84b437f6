// npm test: every test file under test/ (not the benchmarks) with node's test runner.
//
// Each test has a database of its own; the files share a process. A process of its own for each
// file paid, for each of some eighty files, loading the code (1.4 s), compiling the embedded
// database's WebAssembly (1.3 s) and the app's first build (0.9 s): half the suite's processor time
// (test/modules/dialogue: 64 s of processor time in a process per file, 32 s in one process;
// 2026-12-03). So the files are dealt into ASHYQ_TEST_SHARDS processes (2 unless told: most tests
// keep one core busy, PGlite running on the test's own thread), each running its files one after
// another (--test-isolation=none), and each process's report is printed whole when it ends.
// The files that keep both cores busy by themselves run after them, in one process, one at a time:
// the browser's crawl, and the servers the crash test and the start-up test spawn (a first start
// seeds the demo within the test's minute, which a file running beside it can push past).
// Given arguments (files, --test-name-pattern=…), it passes them to the runner as they are.
// The tests run PGlite as the site does, on V8's baseline compiler alone (--liftoff-only, see
// src/platform/memory.ts): the optimising compiler's 1.9 s on the engine's largest function, in each
// process, cost more than the slower code (test/modules/data/{datastore,catalog}: 85 s and 112 s of
// processor time with it, 74 s and 95 s without; 2026-12-04).
import { spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const ALONE = ['test/main.test.ts', 'test/e2e/crawl.test.ts', 'test/e2e/crash.test.ts']

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name)
    if (entry.isDirectory()) return file === 'test/bench' ? [] : testFiles(file)
    return entry.name.endsWith('.test.ts') ? [file] : []
  }).sort()
}

/** Runs the test runner on args; its output is printed as it comes, or whole at the end when buffered. */
function run(args, { buffered = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--liftoff-only', '--import', 'tsx', '--test', ...args], { stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit' })
    const output = []
    child.stdout?.on('data', (chunk) => output.push(chunk))
    child.stderr?.on('data', (chunk) => output.push(chunk))
    child.on('close', (status, signal) => {
      if (buffered) process.stdout.write(Buffer.concat(output))
      resolve(status === 0 && !signal)
    })
  })
}

/**
 * The files dealt into n groups of about the same size, the largest first into the lightest group
 * (a file's bytes stand for its running time well enough to keep the groups within a minute).
 */
function shards(files, n) {
  const groups = Array.from({ length: n }, () => ({ bytes: 0, files: [] }))
  const sized = files.map((file) => ({ file, bytes: statSync(file).size })).sort((a, b) => b.bytes - a.bytes)
  for (const { file, bytes } of sized) {
    const lightest = groups.reduce((a, b) => (b.bytes < a.bytes ? b : a))
    lightest.files.push(file)
    lightest.bytes += bytes
  }
  return groups.map((group) => group.files.sort()).filter((group) => group.length > 0)
}

const given = process.argv.slice(2)
let passed
if (given.length > 0) {
  passed = await run([`--test-concurrency=${process.env.ASHYQ_TEST_CONCURRENCY || '2'}`, ...given])
} else {
  const files = testFiles('test')
  const side = files.filter((file) => !ALONE.includes(file))
  const alone = files.filter((file) => ALONE.includes(file))
  const results = await Promise.all(shards(side, Number(process.env.ASHYQ_TEST_SHARDS || '2'))
    .map((group) => run(['--test-isolation=none', ...group], { buffered: true })))
  const alonePassed = await run(['--test-isolation=none', ...alone])
  passed = alonePassed && results.every(Boolean)
}
process.exit(passed ? 0 : 1)
