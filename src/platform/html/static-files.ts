import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { compress, encodingFor, type Encoding } from './encoding.ts'

/**
 * The site's own files (stylesheet, scripts, GOV.UK Frontend's fonts and images), held in memory and
 * compressed once, when a reader first takes an encoding. Pages name them by fingerprinted addresses
 * (`/static/ashyq.3f9c1e2a7b.css`): what such an address names never changes, so browsers keep it a
 * year without asking (`immutable`), and a new release is fetched at once because its address is
 * new. The plain addresses still answer, with an ETag to ask again by.
 */
export interface StaticFile {
  type: string
  /** The body, or what makes it once (the stylesheet, compiled on first use). */
  body: () => Promise<Buffer>
}

/** One file's content, shared by its plain and fingerprinted addresses: read, hashed and compressed once. */
class Content {
  private tag: string | null = null
  /** The body and its encodings, each made once; one that failed is made again for the next reader. */
  private readonly made = new Map<'body' | Encoding, Promise<Buffer>>()

  constructor(readonly type: string, private readonly make: () => Promise<Buffer>) {}

  private once(key: 'body' | Encoding, make: () => Promise<Buffer>): Promise<Buffer> {
    let made = this.made.get(key)
    if (!made) {
      const making = make()
      this.made.set(key, (made = making))
      making.catch(() => {
        if (this.made.get(key) === making) this.made.delete(key)
      })
    }
    return made
  }

  /** The body (the stylesheet's is compiled on first use, and may fail). */
  body(): Promise<Buffer> {
    return this.once('body', this.make)
  }

  etag(body: Buffer): string {
    return (this.tag ??= `"${fingerprint(body)}"`)
  }

  encode(body: Buffer, encoding: Encoding): Promise<Buffer> {
    return this.once(encoding, () => compress(encoding, body, 'file'))
  }
}

interface Held {
  content: Content
  /** Whether this address names one content for ever. */
  immutable: boolean
}


const YEAR = 'public, max-age=31536000, immutable'
const ASK_AGAIN = 'public, max-age=300, must-revalidate'
// Types worth compressing: fonts and pictures are compressed by their formats already.
const COMPRESSIBLE = /^(text\/|application\/(javascript|json|manifest\+json)|image\/svg\+xml)/

export const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
}

/** A short fingerprint of some content. */
export function fingerprint(...parts: Array<string | Buffer>): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return hash.digest('hex').slice(0, 10)
}

/** Every file under dir, by its path relative to dir (with forward slashes). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort()
}

/** A file read now, typed by its name's extension. */
export function fileOnDisk(file: string): StaticFile {
  const body = readFileSync(file)
  return { type: TYPES[path.extname(file)] ?? 'application/octet-stream', body: async () => body }
}


export class StaticFiles {
  private readonly held = new Map<string, Held>()

  /**
   * Holds file at address; with a fingerprint, also at the fingerprinted address (`name.<fp>.ext`, or
   * under a folder `/assets/<fp>/…`), which is kept a year. Returns the address pages are to use.
   */
  add(address: string, file: StaticFile, options: { fingerprint?: string; immutable?: boolean; folderFingerprint?: { prefix: string; value: string } } = {}): string {
    const content = new Content(file.type, file.body)
    const entry = (immutable: boolean): Held => ({ content, immutable })
    this.held.set(address, entry(options.immutable ?? false))
    if (options.folderFingerprint) {
      const { prefix, value } = options.folderFingerprint
      const printed = `${prefix}${value}/${address.slice(prefix.length)}`
      this.held.set(printed, entry(true))
      return printed
    }
    if (!options.fingerprint) return address
    const extension = path.posix.extname(address)
    const printed = `${address.slice(0, -extension.length)}.${options.fingerprint}${extension}`
    this.held.set(printed, entry(true))
    return printed
  }

  has(address: string): boolean {
    return this.held.has(address)
  }

  /** Sends the file held at address (true), or nothing (false: not one of ours). */
  async send(request: FastifyRequest, reply: FastifyReply, address: string): Promise<boolean> {
    const held = this.held.get(address)
    if (!held) return false
    const { content } = held
    const body = await content.body()
    const etag = content.etag(body)
    reply.header('etag', etag).header('cache-control', held.immutable ? YEAR : ASK_AGAIN)
    const compressible = COMPRESSIBLE.test(content.type)
    if (compressible) reply.header('vary', 'Accept-Encoding')
    const asked = request.headers['if-none-match']
    if (asked !== undefined && asked.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')) {
      reply.code(304).send()
      return true
    }
    reply.type(content.type)
    const encoding = compressible && body.length > 256 ? encodingFor(request) : null
    if (!encoding) {
      reply.send(body)
      return true
    }
    const encoded = await content.encode(body, encoding)
    reply.header('content-encoding', encoding).send(encoded)
    return true
  }
}
