import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { moveFiles } from '../../src/cli/move-files.ts'
import { S3FileStore } from '../../src/platform/files/s3.ts'
import { testFileStore } from '../helpers/files.ts'
import { startS3 } from '../helpers/s3.ts'

test('files move from a folder to a bucket and back under their keys; a run cut off goes on where it stopped', async (t) => {
  const s3 = await startS3()
  t.after(() => s3.close())
  const folder = testFileStore()
  const bucket = new S3FileStore(s3.location)
  const kept = await Promise.all(['один', 'екі', 'three'].map((text) => folder.save(Readable.from([Buffer.from(text)]))))
  // A run that stopped after the first file.
  await bucket.copyFrom(folder, kept[0]!.key, kept[0]!.size)
  const silent = () => {}
  assert.deepEqual(await moveFiles(folder, bucket, silent), { copied: 2, present: 1, bytes: kept[1]!.size + kept[2]!.size })
  for (const file of kept) assert.equal((await bucket.read(file.key)).toString(), (await folder.read(file.key)).toString())
  assert.deepEqual(await moveFiles(folder, bucket, silent), { copied: 0, present: 3, bytes: 0 }, 'run again: nothing to copy')

  const back = testFileStore()
  assert.equal((await moveFiles(bucket, back, silent)).copied, 3)
  assert.deepEqual((await back.read(kept[1]!.key)).toString(), 'екі')
})

test('the command says how it is used when --to is missing or the bucket is not configured', async () => {
  const run = (args: string[], env: Record<string, string> = {}) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/move-files.ts', ...args], { env: { PATH: process.env.PATH, ...env } }).then(() => 0, (error: { code: number; stderr: string }) => error)
  const noTarget = await run([]) as { code: number; stderr: string }
  assert.equal(noTarget.code, 2)
  assert.match(noTarget.stderr, /--to s3/)
  const noBucket = await run(['--to', 's3']) as { code: number; stderr: string }
  assert.match(noBucket.stderr, /ASHYQ_FILES_URL must name the bucket/)
  const badBucket = await run(['--to', 's3'], { ASHYQ_FILES_URL: 's3://A_B' }) as { code: number; stderr: string }
  assert.match(badBucket.stderr, /ASHYQ_FILES_URL.*s3:\/\/bucket\/prefix/)
})
