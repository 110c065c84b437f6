import type { FastifyInstance, FastifyRequest } from 'fastify'
import multipart from '@fastify/multipart'
import { ValidationError } from '../http/errors.ts'
import type { FileStore, StoredFile } from './index.ts'

/** A file that came with a request, already in the store. */
export interface UploadedFile extends StoredFile {
  fileName: string
  mediaType: string | null
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The file sent in the request's upload field, already stored. */
    upload?: UploadedFile
  }
}

/**
 * Lets the routes of this scope take multipart/form-data: the other fields become the body (as
 * strings), the one file in `field` streams into the store as it arrives (never whole in memory)
 * and waits on request.upload. A request answered with an error keeps no file it brought.
 */
export async function acceptUploads(scope: FastifyInstance, files: FileStore, field = 'upload'): Promise<void> {
  await scope.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { files: 1, fields: 100, fieldSize: 100_000, fileSize: files.limitBytes },
    async onFile(this: FastifyRequest, part) {
      if (part.fieldname !== field || this.upload) {
        part.file.resume()
        throw new ValidationError([{ field: part.fieldname, messageKey: 'platform.files.unexpectedFile', values: { field } }])
      }
      // A file input left empty still sends a part, with no name and no bytes.
      if (!part.filename) {
        part.file.resume()
        return
      }
      const stored = await files.save(part.file)
      this.upload = { ...stored, fileName: part.filename, mediaType: part.mimetype || null }
      ;(part as unknown as { value: string }).value = part.filename
    },
  })
  // Before the answer leaves, so that a client told "refused" finds nothing of its file left.
  scope.addHook('onSend', async (request, reply, payload) => {
    if (request.upload && reply.statusCode >= 400) await files.remove(request.upload.key)
    return payload
  })
}
