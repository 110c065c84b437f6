import { createHash, randomUUID } from 'node:crypto'
import { InsufficientStorage } from '../http/errors.ts'
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs'
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/** A file as kept in the store: its key, its size in bytes and its SHA-256 in hex. */
export interface StoredFile {
  key: string
  size: number
  checksum: string
}

/** Thrown when an upload is larger than the store accepts; nothing is kept of it. */
export class FileTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`File larger than ${limitBytes} bytes`)
  }
}

const KEY = /^[0-9a-f]{2}\/[0-9a-f-]{36}$/

/**
 * Uploaded files on the local disk (a folder of their own, beside the database). A file is streamed
 * to a temporary name while it is hashed, flushed to disk, then renamed: a crash never leaves half a
 * file under a key the database knows.
 */
export class FileStore {
  constructor(
    readonly dir: string,
    readonly limitBytes: number = 1024 * 1024 * 1024,
  ) {}

  /** Streams source into the store; throws FileTooLarge (keeping nothing) past the limit. */
  async save(source: Readable): Promise<StoredFile> {
    const id = randomUUID()
    const key = `${id.slice(0, 2)}/${id}`
    const target = this.pathOf(key)
    await mkdir(path.dirname(target), { recursive: true })
    const temporary = `${target}.part`
    const hash = createHash('sha256')
    let size = 0
    const limit = this.limitBytes
    const count = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length
        if (size > limit) return callback(new FileTooLarge(limit))
        hash.update(chunk)
        callback(null, chunk)
      },
    })
    try {
      await pipeline(source, count, createWriteStream(temporary))
      // Multipart parsers mark a file cut at their own limit instead of failing.
      if ((source as Readable & { truncated?: boolean }).truncated) throw new FileTooLarge(limit)
      const handle = await open(temporary, 'r')
      await handle.sync()
      await handle.close()
      await rename(temporary, target)
    } catch (error) {
      await rm(temporary, { force: true })
      // A full disk (or quota) is no fault of the sender's: 507, with nothing of the file kept.
      const code = (error as { code?: unknown }).code
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new InsufficientStorage([{ field: 'file', messageKey: 'platform.files.diskFull', values: { name: 'file' } }])
      throw error
    }
    return { key, size, checksum: hash.digest('hex') }
  }

  /** The stored file's bytes; throws when the key is unknown. */
  async open(key: string, options: { readBytes?: number } = {}): Promise<{ stream: ReadStream; size: number }> {
    const file = this.pathOf(key)
    const { size } = await stat(file)
    return { stream: createReadStream(file, { highWaterMark: options.readBytes }), size }
  }

  /** The whole stored file, for small files only (a list to import, not a dataset). */
  async read(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key))
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true })
  }

  /** Where a file is on disk, for readers that need a path (a ZIP is read from its end). */
  pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`Not a file key: ${key}`)
    return path.join(this.dir, key)
  }
}
