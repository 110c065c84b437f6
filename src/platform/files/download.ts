import type { FastifyReply } from 'fastify'
import type { FileStore } from './index.ts'

/** A Content-Disposition that saves the file under its name, in any script (RFC 6266 with RFC 5987's filename*). */
export function attachmentDisposition(fileName: string): string {
  return `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

/**
 * Sends a stored file as a download. Whatever was uploaded, it is a download of this site's origin,
 * never a page or a script it runs: no inline display, no sniffing, and no power if a browser opens
 * it anyway.
 */
export async function sendStoredFile(reply: FastifyReply, files: FileStore, file: { key: string; fileName: string; mediaType: string }): Promise<FastifyReply> {
  const { stream, size } = await files.open(file.key)
  return reply
    .type(file.mediaType)
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-length', String(size))
    .header('content-disposition', attachmentDisposition(file.fileName))
    .header('x-content-type-options', 'nosniff')
    .send(stream)
}
