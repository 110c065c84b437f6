import { fileTypeFromStream } from 'file-type'
import { ValidationError } from '../http/errors.ts'
import type { FileStore } from './index.ts'
import type { UploadedFile } from './uploads.ts'

/** What a file is, read from its bytes: the short name people know it by and its media type. */
export interface FileKind {
  ext: string
  mime: string
}

// Word and Excel before 2007 are both Compound File Binary: the bytes say "CFB", the name which.
const CFB_BY_NAME: Record<string, FileKind> = {
  doc: { ext: 'doc', mime: 'application/msword' },
  xls: { ext: 'xls', mime: 'application/vnd.ms-excel' },
}

/** Documents an official attaches: PDF, Word, Excel, OpenDocument text and sheets, RTF. */
export const DOCUMENT_KINDS = ['pdf', 'docx', 'doc', 'xlsx', 'xls', 'odt', 'ods', 'rtf'] as const

/**
 * What an uploaded file is, by its contents (a renamed program is not a PDF because its name ends
 * in .pdf), or a 400 on the field naming what it is and what is taken. The name only tells apart
 * the kinds whose bytes look alike (an old .doc from an old .xls).
 */
export async function checkFileKind(files: FileStore, upload: UploadedFile, allowed: readonly string[], field: string): Promise<FileKind> {
  const { stream } = await files.open(upload.key)
  // Read as far as the kind shows (the first bytes; a ZIP's first entries), then let go.
  const found = await fileTypeFromStream(stream).finally(() => stream.destroy())
  const allowedText = allowed.map((k) => k.toUpperCase()).join(', ')
  if (!found) throw new ValidationError([{ field, messageKey: 'platform.files.unknownType', values: { allowed: allowedText } }])
  const nameExt = /\.([a-z0-9]{1,8})$/i.exec(upload.fileName)?.[1]?.toLowerCase() ?? ''
  const kind: FileKind = found.ext === 'cfb' ? (CFB_BY_NAME[nameExt] ?? { ext: 'cfb', mime: found.mime }) : { ext: found.ext, mime: found.mime }
  if (!allowed.includes(kind.ext)) throw new ValidationError([{ field, messageKey: 'platform.files.wrongType', values: { found: kind.ext.toUpperCase(), allowed: allowedText } }])
  return kind
}

/** The name an upload is kept under: the name it came with, its extension replaced by the one its bytes say (`fallback` when nothing is left of it). */
export function keptFileName(fileName: string, kind: FileKind, fallback: string): string {
  return `${fileName.replace(/\.[a-z0-9]{1,8}$/i, '').slice(0, 200) || fallback}.${kind.ext}`
}

/** A kept file's format as readers are told it: its extension in capitals ("PDF"), or nothing. */
export function fileFormat(fileName: string): string {
  return /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toUpperCase() ?? ''
}
