import zlib from 'node:zlib'
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


/**
 * Compresses what is kept and sent many times, once, at a higher quality than a response made afresh
 * gets: a page (Brotli 9: it is made again when what it shows changes) or a file (Brotli 11: it is
 * compressed once a release). Told the body's size, the encoder takes buffers to fit it: without, each
 * of the threads that compress takes some 15 MB more, and the process keeps it.
 */
export function compress(encoding: Encoding, body: string | Buffer, kind: 'page' | 'file'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, result: Buffer) => (error ? reject(error) : resolve(result))
    if (encoding === 'gzip') return zlib.gzip(body, { level: 9 }, done)
    zlib.brotliCompress(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: kind === 'file' ? 11 : 9,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(body),
      },
    }, done)
  })
}
