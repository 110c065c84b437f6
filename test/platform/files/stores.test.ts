import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { FileTooLarge, type FileStore } from '../../../src/platform/files/index.ts'
import { S3FileStore } from '../../../src/platform/files/s3.ts'
import { askedRange } from '../../../src/platform/files/download.ts'
import { testFileStore } from '../../helpers/files.ts'
import { startS3 } from '../../helpers/s3.ts'

let s3: Awaited<ReturnType<typeof startS3>>
before(async () => {
  s3 = await startS3()
})
after(() => s3.close())

const MB = 1024 * 1024
const stores: Array<[string, (limit?: number) => FileStore]> = [
  ['a folder', (limit) => testFileStore(limit)],
  // Each test its own prefix of the one bucket, so that listings see only its files.
  ['an S3 bucket', (limit) => new S3FileStore({ ...s3.location, prefix: `t${Math.random().toString(36).slice(2)}/` }, limit)],
]

async function all(files: FileStore): Promise<string[]> {
  const keys: string[] = []
  for await (const { key } of files.keys()) keys.push(key)
  return keys
}

function pieces(total: number, piece = 256 * 1024): Readable {
  return Readable.from((function* () {
    for (let sent = 0; sent < total; sent += piece) yield Buffer.alloc(Math.min(piece, total - sent), sent / piece % 251)
  })())
}

for (const [where, make] of stores) {
  test(`${where}: a file is kept with its size and SHA-256, read whole or by range, listed, copied to a local path, and removed`, async () => {
    const files = make()
    const bytes = Buffer.from('region,year\nАстана,2023\n')
    const stored = await files.save(Readable.from([bytes]))
    assert.equal(stored.size, bytes.length)
    assert.equal(stored.checksum, createHash('sha256').update(bytes).digest('hex'))
    assert.deepEqual(await files.read(stored.key), bytes)
    assert.equal(await files.sizeOf(stored.key), bytes.length)
    const { stream, size } = await files.open(stored.key, { range: { start: 7, end: 10 } })
    assert.equal(size, bytes.length, 'the whole size, with a range')
    assert.equal(Buffer.concat(await stream.toArray()).toString(), 'year')
    assert.deepEqual(await all(files), [stored.key])
    let copy = ''
    assert.equal(await files.withLocalFile(stored.key, async (file) => {
      copy = file
      return (await readFile(file)).toString()
    }), bytes.toString())
    if (files instanceof S3FileStore) await assert.rejects(stat(copy), { code: 'ENOENT' }, 'the copy is removed after')
    await files.remove(stored.key)
    assert.equal(await files.sizeOf(stored.key), null)
    assert.deepEqual(await all(files), [])
    await files.check()
  })

  test(`${where}: a file past the limit, in one part or several, is refused and nothing of it is kept`, async () => {
    const small = make(1000)
    await assert.rejects(small.save(pieces(1001, 100)), FileTooLarge)
    assert.deepEqual(await all(small), [])
    // Past the first 8 MB part, which is already in the bucket when the limit is reached.
    const large = make(10 * MB)
    await assert.rejects(large.save(pieces(10 * MB + 1)), FileTooLarge)
    assert.deepEqual(await all(large), [])
    const exact = await large.save(pieces(10 * MB))
    assert.equal(exact.size, 10 * MB)
    assert.equal(await large.sizeOf(exact.key), 10 * MB)
    const { stream } = await large.open(exact.key, { range: { start: 9 * MB, end: 9 * MB + 9 } })
    assert.deepEqual(Buffer.concat(await stream.toArray()), Buffer.alloc(10, 36 % 251))
    assert.equal(large.withLimit(20 * MB).limitBytes, 10 * MB, 'a smaller limit only')
  })

  test(`${where}: a file the multipart parser cut at its own limit, or a sender gone midway, leaves nothing`, async () => {
    const files = make()
    const cut = Readable.from([Buffer.from('abc')]) as Readable & { truncated?: boolean }
    cut.truncated = true
    await assert.rejects(files.save(cut), FileTooLarge)
    const gone = new Readable({ read() {} })
    gone.push(Buffer.alloc(1024))
    setTimeout(() => gone.destroy(new Error('connection reset')), 20)
    await assert.rejects(files.save(gone), /connection reset/)
    assert.deepEqual(await all(files), [])
  })

  test(`${where}: only keys the store made are read`, async () => {
    const files = make()
    await assert.rejects(files.open('../../etc/passwd'), /Not a file key/)
    await assert.rejects(files.sizeOf('ab/../../x'), /Not a file key/)
  })
}

test('a Range header asks for one range of bytes; several, or one past the end, are told apart', () => {
  assert.deepEqual(askedRange('bytes=0-9', 100), { start: 0, end: 9 })
  assert.deepEqual(askedRange('bytes=90-', 100), { start: 90, end: 99 })
  assert.deepEqual(askedRange('bytes=90-200', 100), { start: 90, end: 99 })
  assert.deepEqual(askedRange('bytes=-10', 100), { start: 90, end: 99 })
  assert.deepEqual(askedRange('bytes=-200', 100), { start: 0, end: 99 })
  assert.deepEqual(askedRange('bytes=99-99', 100), { start: 99, end: 99 })
  assert.equal(askedRange('bytes=100-', 100), null, 'one past the end: 416')
  assert.equal(askedRange('bytes=-0', 100), null)
  assert.equal(askedRange('bytes=0-1,5-6', 100), undefined, 'several ranges: the whole file')
  assert.equal(askedRange('items=0-1', 100), undefined)
  assert.equal(askedRange('bytes=5-1', 100), undefined)
  assert.equal(askedRange(undefined, 100), undefined)
})
