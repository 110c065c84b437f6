import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { compress, encodingFor, type Encoding } from './encoding.ts'
import { serializeSettings, settingsOf } from './accessibility.ts'

/**
 * How a route's page is kept for anonymous readers: what it shows, as of now, is named by
 * `current` (a cheap read: the catalog's generation, a table's version); a kept page is sent while
 * the version is the same and the page is younger than `maxAgeMs` (what depends on the clock or on
 * counts that move with every visit, like views, is at most that old).
 */
export interface PageCacheRule {
  /** The version of what the page shows now; null: this request's page is made afresh and not kept. */
  current(request: FastifyRequest): Promise<PageVersion | null>
  maxAgeMs?: number
}

export interface PageVersion {
  version: string
  /** What every visit still does when a kept page is sent (counting a view). */
  onHit?: () => Promise<void>
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Keep this route's pages for anonymous readers (see page-cache.ts). */
    pageCache?: PageCacheRule
  }
  interface FastifyRequest {
    /** Where this request's page is to be kept, when its route keeps pages and it may be. */
    pageSlot: PageSlot | null
  }
}

interface PageSlot {
  key: string
  version: string
  /** Tells readers waiting for this page that it is kept, or will not be (called once the response ends). */
  release?: () => void
}

/** How long a reader waits for the same page being made for another before making it too. */
const WAIT_FOR_MAKER_MS = 10_000

interface KeptPage {
  version: string
  at: number
  html: string
  etag: string
  /** The route's own Vary (Accept, where the same address also answers in RDF). */
  vary: string | null
  /** The page compressed, once per encoding, when a reader first accepts it. */
  encoded: Partial<Record<Encoding, Promise<Buffer>>>
  bytes: number
}


const DEFAULT_MAX_AGE_MS = 60_000


/** Waits for promise, or for ms at most. */
async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([promise, new Promise<void>((resolve) => { timer = setTimeout(resolve, ms) })])
  clearTimeout(timer)
}

/** Whether the reader's copy (If-None-Match) is the kept page. */
function readerHas(request: FastifyRequest, etag: string): boolean {
  const asked = request.headers['if-none-match']
  return asked !== undefined && asked.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')
}

/**
 * Pages of anonymous readers kept whole, in this process, up to a number of bytes (the least
 * recently sent go first): a kept page costs its route's version read and a send. A page is
 * the same for every anonymous reader with the same address, host and version for the visually
 * impaired; it is kept only when it was made with status 200 and without a form's token.
 */
export class PageCache {
  private readonly pages = new Map<string, KeptPage>()
  /** Pages being made now, by key: what readers of the same page wait for. */
  private readonly making = new Map<string, Promise<void>>()
  private bytes = 0

  constructor(private readonly options: { maxBytes: number; now?: () => number }) {}

  private now(): number {
    return this.options.now?.() ?? Date.now()
  }

  /** Whether request may get a kept page: an anonymous GET of a route that keeps its pages. */
  static ruleFor(request: FastifyRequest): PageCacheRule | null {
    if (request.method !== 'GET' || request.user) return null
    return request.routeOptions.config.pageCache ?? null
  }

  private static keyOf(request: FastifyRequest): string {
    const look = serializeSettings(settingsOf(request))
    return `${request.protocol}://${request.host}${request.url} ${look}`
  }

  /** Sends the kept page when there is a fresh one (true); else marks where the page made now is to be kept. */
  async sendKept(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const rule = PageCache.ruleFor(request)
    if (!rule || this.options.maxBytes === 0) return false
    const current = await rule.current(request)
    if (current === null) return false
    const { version } = current
    const key = PageCache.keyOf(request)
    const maxAgeMs = rule.maxAgeMs ?? DEFAULT_MAX_AGE_MS
    let kept = this.fresh(key, version, maxAgeMs)
    const making = this.making.get(key)
    if (!kept && making) {
      // Sixteen readers of a page that has gone out of date make it once: the rest wait for it.
      await waitAtMost(making, WAIT_FOR_MAKER_MS)
      kept = this.fresh(key, version, maxAgeMs)
    }
    if (!kept) {
      request.pageSlot = { key, version, ...(this.making.has(key) ? {} : { release: this.startMaking(key) }) }
      return false
    }
    // Most recently sent last: the first key is the one to go when room is needed.
    this.pages.delete(key)
    this.pages.set(key, kept)
    await current.onHit?.()
    reply.header('etag', kept.etag).header('cache-control', 'private, no-cache').header('vary', kept.vary ? `${kept.vary}, Accept-Encoding` : 'Accept-Encoding')
    if (readerHas(request, kept.etag)) {
      await reply.code(304).send()
      return true
    }
    reply.type('text/html; charset=utf-8')
    const encoding = encodingFor(request)
    if (!encoding) {
      await reply.send(kept.html)
      return true
    }
    const encoded = await (kept.encoded[encoding] ??= this.encode(key, kept, encoding))
    await reply.header('content-encoding', encoding).send(encoded)
    return true
  }

  private fresh(key: string, version: string, maxAgeMs: number): KeptPage | null {
    const kept = this.pages.get(key)
    return kept && kept.version === version && this.now() - kept.at < maxAgeMs ? kept : null
  }

  /** Marks key as being made; returns what ends the wait of those who wait for it. */
  private startMaking(key: string): () => void {
    let release!: () => void
    const made = new Promise<void>((resolve) => { release = resolve })
    this.making.set(key, made)
    return () => {
      if (this.making.get(key) === made) this.making.delete(key)
      release()
    }
  }

  /** Ends the wait for request's page, whether it was kept or not (its response has ended). */
  static release(request: FastifyRequest): void {
    const slot = request.pageSlot
    slot?.release?.()
    if (slot) delete slot.release
  }

  private async encode(key: string, kept: KeptPage, encoding: Encoding): Promise<Buffer> {
    const body = await compress(encoding, kept.html, 'page')
    kept.bytes += body.length
    // Counted only while the page is still kept (it may have gone while it was compressed).
    if (this.pages.get(key) === kept) {
      this.bytes += body.length
      this.makeRoom()
    }
    return body
  }

  /** Keeps the page just made for request, when its route keeps pages; returns its ETag to send. */
  keep(request: FastifyRequest, reply: FastifyReply, html: string): string | null {
    const slot = request.pageSlot
    if (!slot || reply.statusCode !== 200) return null
    const etag = `W/"${createHash('sha1').update(html).digest('base64url')}"`
    const old = this.pages.get(slot.key)
    if (old) this.bytes -= old.bytes
    this.pages.delete(slot.key)
    // A JavaScript string holds up to two bytes a character.
    const bytes = html.length * 2
    const vary = reply.getHeader('vary')
    this.pages.set(slot.key, { version: slot.version, at: this.now(), html, etag, vary: vary === undefined ? null : String(vary), encoded: {}, bytes })
    this.bytes += bytes
    this.makeRoom()
    PageCache.release(request)
    return etag
  }

  private makeRoom(): void {
    for (const [key, page] of this.pages) {
      if (this.bytes <= this.options.maxBytes) return
      this.pages.delete(key)
      this.bytes -= page.bytes
    }
  }

  /** Pages kept now, and their bytes (for tests and the benchmark). */
  get size(): { pages: number; bytes: number } {
    return { pages: this.pages.size, bytes: this.bytes }
  }
}
