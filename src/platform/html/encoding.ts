import type { FastifyRequest } from 'fastify'

/** The encodings a page or file kept in memory is compressed in, once each, when a reader first takes it. */
export type Encoding = 'br' | 'gzip'

/** The encoding the reader takes that a kept page or file can be sent in: Brotli first, then gzip. */
export function encodingFor(request: FastifyRequest): Encoding | null {
  const accepted = String(request.headers['accept-encoding'] ?? '').toLowerCase()
  const takes = (name: string) => accepted.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';')
    return coding === name && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))
  })
  return takes('br') ? 'br' : takes('gzip') ? 'gzip' : null
}
