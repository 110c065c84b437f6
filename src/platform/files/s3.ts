import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { checkKey, FileStore, isFileKey, type OpenOptions } from './index.ts'
import type { S3Location } from './s3-location.ts'

/**
 * Files in an S3-compatible bucket, which every server of the site reads and writes alike. A file is
 * streamed up in parts of 8 MB (lib-storage's Upload), never whole in memory; the object appears
 * only when the last part is in, and an upload that fails or runs past the limit is aborted, its
 * parts deleted. Downloads are streamed, a range of bytes asked of the bucket as such.
 */
export class S3FileStore extends FileStore {
  readonly client: S3Client

  constructor(readonly location: S3Location, limitBytes: number = 1024 * 1024 * 1024, client?: S3Client) {
    super(limitBytes)
    this.client = client ?? new S3Client({
      region: location.region,
      endpoint: location.endpoint,
      credentials: location.credentials,
      // Services other than AWS's answer at their address with the bucket in the path, and not all
      // of them take the checksums the SDK now adds by default: those only when an action needs one.
      ...(location.endpoint ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const : {}),
    })
  }

  get description(): string {
    return `s3://${this.location.bucket}/${this.location.prefix}`
  }

  withLimit(limitBytes: number): S3FileStore {
    return new S3FileStore(this.location, Math.min(this.limitBytes, limitBytes), this.client)
  }

  private objectKey(key: string): string {
    return `${this.location.prefix}${checkKey(key)}`
  }

  protected async write(key: string, body: Readable): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.location.bucket, Key: this.objectKey(key), Body: body },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    })
    // The body's failure (past the limit, a sender gone) must end the upload, not leave it waiting.
    const failed = new Promise<never>((_resolve, reject) => body.once('error', reject))
    try {
      await Promise.race([upload.done(), failed])
    } catch (error) {
      await upload.abort().catch(() => undefined)
      // A single-part file is put whole once read: the abort may come after it is in.
      await this.remove(key).catch(() => undefined)
      throw error
    }
  }

  async open(key: string, options: OpenOptions = {}): Promise<{ stream: Readable; size: number }> {
    const range = options.range ? `bytes=${options.range.start}-${options.range.end}` : undefined
    const answer = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key), Range: range }))
    const total = answer.ContentRange ? Number(/\/(\d+)$/.exec(answer.ContentRange)?.[1]) : answer.ContentLength
    return { stream: answer.Body as Readable, size: total ?? 0 }
  }

  async sizeOf(key: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }))
      return head.ContentLength ?? 0
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null
      throw error
    }
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }))
  }

  /** Copies the file to this machine's temporary folder for fn, and removes the copy after. */
  async withLocalFile<T>(key: string, fn: (path: string) => Promise<T>): Promise<T> {
    const dir = path.join(tmpdir(), `ashyq-s3-${process.pid}`)
    await mkdir(dir, { recursive: true })
    const copy = path.join(dir, randomUUID())
    try {
      const { stream } = await this.open(key)
      await pipeline(stream, createWriteStream(copy))
      return await fn(copy)
    } finally {
      await rm(copy, { force: true })
    }
  }

  async *keys(): AsyncIterable<{ key: string; size: number }> {
    let token: string | undefined
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: this.location.prefix, ContinuationToken: token }))
      for (const object of page.Contents ?? []) {
        const key = object.Key!.slice(this.location.prefix.length)
        if (isFileKey(key)) yield { key, size: object.Size ?? 0 }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
  }

  async check(): Promise<void> {
    await this.client.send(new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: this.location.prefix, MaxKeys: 1 }))
  }
}
