// npm test: every test file under test/ (not the benchmarks) with node's test runner. Each file has
// a database of its own, and most run on one core (PGlite on the file's own thread), so they run
// ASHYQ_TEST_CONCURRENCY at a time (2 unless told). The files that keep both cores busy by
// themselves run after them, one at a time: the browser's crawl, and the servers the crash test and
// the start-up test spawn (a first start seeds the demo within the test's minute, which a file
// running beside it on two cores can push past).
// Given arguments (files, --test-name-pattern=…), it passes them to the runner as they are.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'

const ALONE = ['test/main.test.ts', 'test/e2e/crawl.test.ts', 'test/e2e/crash.test.ts']

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name)
    if (entry.isDirectory()) return file === 'test/bench' ? [] : testFiles(file)
    return entry.name.endsWith('.test.ts') ? [file] : []
  }).sort()
}

function run(args) {
  const { status, signal } = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...args], { stdio: 'inherit' })
  return status === 0 && !signal
}

const given = process.argv.slice(2)
const concurrency = process.env.ASHYQ_TEST_CONCURRENCY || '2'
let passed
if (given.length > 0) {
  passed = run([`--test-concurrency=${concurrency}`, ...given])
} else {
  const files = testFiles('test')
  const side = files.filter((file) => !ALONE.includes(file))
  const alone = files.filter((file) => ALONE.includes(file))
  const sidePassed = run([`--test-concurrency=${concurrency}`, ...side])
  passed = run(['--test-concurrency=1', ...alone]) && sidePassed
}
process.exit(passed ? 0 : 1)
