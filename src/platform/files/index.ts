import { createHash, randomUUID } from 'node:crypto'
import { InsufficientStorage } from '../http/errors.ts'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { S3Location } from './s3-location.ts'

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

/** Bytes of a stored file to read: from start to end, both counted (HTTP's Range). */
export interface ByteRange {
  start: number
  end: number
}

export interface OpenOptions {
  /** Bytes read at a time (a folder's stream reads 64 KB unless told). */
  readBytes?: number
  range?: ByteRange
}

const KEY = /^[0-9a-f]{2}\/[0-9a-f-]{36}$/

/** Whether a name is a key this store makes ("3f/<uuid>"). */
export function isFileKey(key: string): boolean {
  return KEY.test(key)
}

/** Refuses anything that is not a key this store made (no path of the caller's choosing reaches the disk or the bucket). */
export function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`Not a file key: ${key}`)
  return key
}

/**
 * Where uploaded files are kept: a folder on this machine (FolderFileStore, the default) or an
 * S3-compatible bucket that every server of the site reads (S3FileStore). Keys are made here and
 * never reused, so a key's bytes never change. The size limit is enforced as the bytes arrive, and a
 * file whose write fails or runs past the limit leaves nothing under its key.
 */
export abstract class FileStore {
  constructor(readonly limitBytes: number) {}

  /** What the store is, for the server's log and readiness ("folder /srv/files", "s3://bucket/prefix"). */
  abstract readonly description: string

  /** The same store with a smaller limit (a form's own: a photo, a Word file). */
  abstract withLimit(limitBytes: number): FileStore

  /** Writes body under key, all of it or nothing; body fails (and the write with it) past the limit. */
  protected abstract write(key: string, body: Readable): Promise<void>

  /** The stored file's bytes (or a range of them) and its whole size; throws when the key is unknown. */
  abstract open(key: string, options?: OpenOptions): Promise<{ stream: Readable; size: number }>

  /** The file's size, or null when nothing is kept under the key. */
  abstract sizeOf(key: string): Promise<number | null>

  abstract remove(key: string): Promise<void>

  /** Runs fn with the file at a path on this machine, for readers that need one (a ZIP is read from its end). */
  abstract withLocalFile<T>(key: string, fn: (path: string) => Promise<T>): Promise<T>

  /** Every kept file's key and size (for moving files between stores). */
  abstract keys(): AsyncIterable<{ key: string; size: number }>

  /** Throws when the store cannot be written and read (for readiness). */
  abstract check(): Promise<void>

  /** Streams source into the store; throws FileTooLarge (keeping nothing) past the limit. */
  async save(source: Readable): Promise<StoredFile> {
    const id = randomUUID()
    const key = `${id.slice(0, 2)}/${id}`
    const hash = createHash('sha256')
    let size = 0
    const limit = this.limitBytes
    // Pulled by the write, so nothing flows (or fails) before the store reads it.
    const counted = Readable.from((async function* () {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        size += chunk.length
        if (size > limit) throw new FileTooLarge(limit)
        hash.update(chunk)
        yield chunk
      }
      // Multipart parsers mark a file cut at their own limit instead of failing: fail before the write ends.
      if ((source as Readable & { truncated?: boolean }).truncated) throw new FileTooLarge(limit)
    })(), { objectMode: false })
    await this.write(key, counted)
    return { key, size, checksum: hash.digest('hex') }
  }

  /**
   * Copies the file kept under key in another store to this one, under the same key, unless this one
   * already holds it whole (a copy cut off is made again); whether it copied.
   */
  async copyFrom(other: FileStore, key: string, size: number): Promise<boolean> {
    if (await this.sizeOf(key) === size) return false
    const { stream } = await other.open(key)
    await this.write(key, stream)
    const copied = await this.sizeOf(key)
    if (copied !== size) throw new Error(`${key}: ${copied ?? 'nothing'} bytes copied of ${size}`)
    return true
  }

  /** The whole stored file, for small files only (a list to import, not a dataset). */
  async read(key: string): Promise<Buffer> {
    const { stream } = await this.open(key)
    const chunks: Buffer[] = []
    for await (const chunk of stream) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }
}

/**
 * Files in a folder on the local disk, beside the database. A file is streamed to a temporary name,
 * flushed to disk, then renamed: a crash never leaves half a file under a key the database knows.
 */
export class FolderFileStore extends FileStore {
  constructor(readonly dir: string, limitBytes: number = 1024 * 1024 * 1024) {
    super(limitBytes)
  }

  get description(): string {
    return `folder ${this.dir}`
  }

  withLimit(limitBytes: number): FolderFileStore {
    return new FolderFileStore(this.dir, Math.min(this.limitBytes, limitBytes))
  }

  protected async write(key: string, body: Readable): Promise<void> {
    const target = this.pathOf(key)
    await mkdir(path.dirname(target), { recursive: true })
    const temporary = `${target}.part`
    try {
      await pipeline(body, createWriteStream(temporary))
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
  }

  async open(key: string, options: OpenOptions = {}): Promise<{ stream: Readable; size: number }> {
    const file = this.pathOf(key)
    const { size } = await stat(file)
    return { stream: createReadStream(file, { highWaterMark: options.readBytes, start: options.range?.start, end: options.range?.end }), size }
  }

  async sizeOf(key: string): Promise<number | null> {
    return stat(this.pathOf(key)).then((s) => s.size, () => null)
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true })
  }

  withLocalFile<T>(key: string, fn: (path: string) => Promise<T>): Promise<T> {
    return fn(this.pathOf(key))
  }

  async *keys(): AsyncIterable<{ key: string; size: number }> {
    const folders = await readdir(this.dir, { withFileTypes: true }).catch(() => [])
    for (const folder of folders.filter((f) => f.isDirectory()).map((f) => f.name).sort()) {
      for (const name of (await readdir(path.join(this.dir, folder))).sort()) {
        const key = `${folder}/${name}`
        // Temporary names of writes under way (".part") are not files yet.
        if (!isFileKey(key)) continue
        const size = await this.sizeOf(key)
        if (size !== null) yield { key, size }
      }
    }
  }

  async check(): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    const probe = path.join(this.dir, `.ready-${process.pid}`)
    const handle = await open(probe, 'w')
    await handle.close()
    await rm(probe, { force: true })
  }

  /** Where a file is on disk. */
  pathOf(key: string): string {
    return path.join(this.dir, checkKey(key))
  }
}

/** The site's file store as configured: the S3 bucket when ASHYQ_FILES_URL names one, else the folder. */
export async function openFileStore(config: { filesDir: string; filesS3: S3Location | undefined; uploadLimitBytes: number }): Promise<FileStore> {
  if (!config.filesS3) return new FolderFileStore(config.filesDir, config.uploadLimitBytes)
  // The S3 client (some 10 MB of code) is loaded only by sites that keep their files in a bucket.
  const { S3FileStore } = await import('./s3.ts')
  return new S3FileStore(config.filesS3, config.uploadLimitBytes)
}
