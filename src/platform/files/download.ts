import type { FastifyReply } from 'fastify'
import type { ByteRange, FileStore } from './index.ts'

/** A Content-Disposition that saves the file under its name, in any script (RFC 6266 with RFC 5987's filename*). */
export function attachmentDisposition(fileName: string): string {
  return `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

/**
 * The one range of bytes a Range header asks of a file of size bytes (RFC 9110, 14.1.2): a range, null
 * when it cannot be served (416), or undefined when the whole file is to be sent (no header, several
 * ranges, a unit other than bytes, or a header that does not parse, which the RFC says to ignore).
 */
export function askedRange(header: string | undefined, size: number): ByteRange | null | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return undefined
  if (match[1] === '') {
    // The last n bytes.
    const last = Number(match[2])
    return last === 0 || size === 0 ? null : { start: Math.max(0, size - last), end: size - 1 }
  }
  const start = Number(match[1])
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  if (match[2] !== '' && Number(match[2]) < start) return undefined
  return start >= size ? null : { start, end }
}

/**
 * Sends a stored file as a download. Whatever was uploaded, it is a download of this site's origin,
 * never a page or a script it runs: no inline display, no sniffing, and no power if a browser opens
 * it anyway. A range of it is sent when asked (a download resumed over a slow link), as the store
 * reads it: a bucket sends only those bytes.
 */
export async function sendStoredFile(reply: FastifyReply, files: FileStore, file: { key: string; fileName: string; mediaType: string }): Promise<FastifyReply> {
  const request = reply.request
  // A key's bytes never change, so any validator of If-Range would match; one is not given, so the whole file goes.
  const rangeHeader = request.headers['if-range'] === undefined ? request.headers.range : undefined
  reply
    .type(file.mediaType)
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', attachmentDisposition(file.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('accept-ranges', 'bytes')
  if (rangeHeader !== undefined) {
    const size = await files.sizeOf(file.key)
    const range = size === null ? undefined : askedRange(rangeHeader, size)
    if (range === null) return reply.code(416).header('content-range', `bytes */${size}`).send('')
    if (range) {
      const { stream } = await files.open(file.key, { range })
      return reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`).header('content-length', String(range.end - range.start + 1)).send(stream)
    }
  }
  const { stream, size } = await files.open(file.key)
  return reply.header('content-length', String(size)).send(stream)
}
