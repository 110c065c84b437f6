import type { FastifyInstance, FastifyRequest } from 'fastify'
import multipart from '@fastify/multipart'
import { Forbidden, InsufficientStorage, ValidationError } from '../http/errors.ts'
import { Gate } from '../http/gate.ts'
import { FileTooLarge, type FileStore, type StoredFile } from './index.ts'

/** A file that came with a request, already in the store. */
export interface UploadedFile extends StoredFile {
  fileName: string
  mediaType: string | null
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The file sent in the request's upload field, already stored (the first, where a form has several). */
    upload?: UploadedFile
    /** Every file sent, by its field, already stored. */
    uploads?: Record<string, UploadedFile>
  }
}

/** Who may send files to a scope, decided from the request's head before its body is read. */
export interface UploadRules {
  /** The field the file comes in, or the fields, one file in each. */
  field: string | readonly string[]
  /** The longest text field the form may send, in bytes (100 KB unless told). */
  fieldBytes?: number
  /** Whether this request may bring a file at all (who signed it, which route): false is a 403. */
  mayUpload(request: FastifyRequest): boolean
  /** Report a file past the store's limit as a 400 on the field (a form's error), not as FileTooLarge. */
  tooLargeIsFieldError?: boolean
}

// Uploads in flight at once, per account (or address) and in all: each holds a connection and
// writes to disk for as long as the sender takes.
const UPLOADS = new Gate({ running: 16, waiting: 0, perAddress: 2, retryAfterSeconds: 30 })

function isMultipart(request: FastifyRequest): boolean {
  return /^multipart\//i.test(request.headers['content-type'] ?? '')
}

/**
 * Lets the routes of this scope take multipart/form-data: the other fields become the body (as
 * strings), each file in its field streams into the store as it arrives (never whole in memory)
 * and waits on request.upload. Who may send one is decided before the body is read (a refused
 * sender's bytes are never written), and so many uploads run at once per account and in all. A
 * request answered with an error keeps no file it brought.
 */
export async function acceptUploads(scope: FastifyInstance, files: FileStore, rules: UploadRules): Promise<void> {
  const fields: readonly string[] = typeof rules.field === 'string' ? [rules.field] : rules.field
  scope.addHook('onRequest', async (request, reply) => {
    if (!isMultipart(request)) return
    if (!rules.mayUpload(request)) throw new Forbidden('upload')
    const release = UPLOADS.admit(request.user ? `user:${request.user.id}` : request.ip)
    reply.raw.once('close', release)
  })
  await scope.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { files: fields.length, fields: 100, fieldSize: rules.fieldBytes ?? 100_000, fileSize: files.limitBytes },
    async onFile(this: FastifyRequest, part) {
      const field = part.fieldname
      if (!fields.includes(field) || this.uploads?.[field]) {
        part.file.resume()
        throw new ValidationError([{ field, messageKey: 'platform.files.unexpectedFile', values: { field: fields.join(', ') } }])
      }
      // A file input left empty still sends a part, with no name and no bytes.
      if (!part.filename) {
        part.file.resume()
        return
      }
      const stored = await files.save(part.file).catch((error: unknown) => {
        if (error instanceof InsufficientStorage) throw new InsufficientStorage([{ field, messageKey: 'platform.files.diskFull', values: { name: part.filename } }])
        if (!(error instanceof FileTooLarge) || !rules.tooLargeIsFieldError) throw error
        throw new ValidationError([{ field, messageKey: 'platform.files.tooLarge', values: { megabytes: Math.floor(error.limitBytes / 1024 / 1024) } }])
      })
      const upload = { ...stored, fileName: part.filename, mediaType: part.mimetype || null }
      this.uploads = { ...this.uploads, [field]: upload }
      this.upload ??= upload
      ;(part as unknown as { value: string }).value = part.filename
    },
  })
  // Before the answer leaves, so that a client told "refused" finds nothing of its file left.
  scope.addHook('onSend', async (request, reply, payload) => {
    if (request.uploads && reply.statusCode >= 400) for (const upload of Object.values(request.uploads)) await files.remove(upload.key)
    return payload
  })
}
