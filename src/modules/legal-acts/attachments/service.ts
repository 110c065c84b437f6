import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError } from '../../../platform/http/errors.ts'
import { recordChange } from '../../../platform/audit/index.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import type { UploadedFile } from '../../../platform/files/uploads.ts'
import { checkFileKind, DOCUMENT_KINDS, fileFormat, keptFileName } from '../../../platform/files/types.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { actorFor, loadDraft } from '../drafts/service.ts'
import { isFinal } from '../kinds.ts'

/** The documents that come with a draft. */
export const ATTACHMENT_KINDS = ['explanatory-note', 'comparative-table', 'impact-analysis', 'other'] as const
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number]

/** The largest document a draft takes: explanatory notes and tables are text, not video. */
export const ATTACHMENT_LIMIT_BYTES = 20 * 1024 * 1024

export interface Attachment {
  id: number
  draftId: number
  kind: AttachmentKind
  title: MultilingualText
  fileName: string
  mediaType: string
  format: string
  size: number
  sha256: string
  fileKey: string
  createdAt: Date
}

interface AttachmentRow {
  id: number
  draft_id: number
  kind: AttachmentKind
  title: MultilingualText
  file_name: string
  media_type: string
  size: string
  sha256: string
  file_key: string
  created_at: Date
}

function toAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id, draftId: row.draft_id, kind: row.kind, title: row.title, fileName: row.file_name, mediaType: row.media_type,
    format: fileFormat(row.file_name), size: Number(row.size), sha256: row.sha256,
    fileKey: row.file_key, createdAt: row.created_at,
  }
}

const SELECT = 'select id, draft_id, kind, title, file_name, media_type, size, sha256, file_key, created_at from legal_act_attachments'

/** A draft's documents, in the order they were attached. */
export async function listAttachments(db: Queryable, draftId: number): Promise<Attachment[]> {
  return (await db.query<AttachmentRow>(`${SELECT} where draft_id = $1 order by id`, [draftId])).map(toAttachment)
}

/** One document of a draft, or NotFound. */
export async function findAttachment(db: Queryable, draftId: number, id: number): Promise<Attachment> {
  const [row] = await db.query<AttachmentRow>(`${SELECT} where draft_id = $1 and id = $2`, [draftId, id])
  if (!row) throw new NotFound('legal-act-attachment', String(id))
  return toAttachment(row)
}

/**
 * Attaches an uploaded document to a draft, until the draft is adopted or withdrawn. Its type is
 * read from its bytes (PDF, Word, Excel, OpenDocument, RTF); the file saved takes the format's
 * own extension, whatever the uploaded name said.
 */
export async function addAttachment(
  db: Db, files: FileStore, user: User | null, draftId: number, fields: { kind: string; title: MultilingualText }, upload: UploadedFile | undefined,
): Promise<number> {
  const draft = await loadDraft(db, draftId, { counts: false })
  authorize(user, 'legal-act.manage', { agencyId: draft.agency.id })
  if (isFinal(draft.status)) throw new ValidationError([{ field: 'status', messageKey: 'legalActs.errors.final' }])
  const problems = []
  if (!ATTACHMENT_KINDS.includes(fields.kind as AttachmentKind)) problems.push({ field: 'kind', messageKey: 'legalActs.attachments.errors.kind' })
  const title = cleanMultilingual(fields.title)
  for (const [lang, text] of Object.entries(title)) if (text.length > 300) problems.push({ field: `title.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: 300 } })
  if (!upload) problems.push({ field: 'file', messageKey: 'legalActs.attachments.errors.file' })
  if (problems.length > 0) throw new ValidationError(problems)
  const kind = await checkFileKind(files, upload!, DOCUMENT_KINDS, 'file')
  const fileName = keptFileName(upload!.fileName, kind, fields.kind)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `insert into legal_act_attachments (draft_id, kind, title, file_key, file_name, media_type, size, sha256)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
      [draftId, fields.kind, title, upload!.key, fileName, kind.mime, upload!.size, upload!.checksum],
    )
    await tx.query('update legal_act_drafts set updated_at = now() where id = $1', [draftId])
    await recordChange(tx, actorFor(user!), {
      action: 'legal-act.attach', entity: 'legal-act', entityId: String(draftId), before: null,
      after: { attachment: row!.id, kind: fields.kind, fileName, size: upload!.size, sha256: upload!.checksum },
    })
    return row!.id
  })
}

/**
 * Removes a document from a draft still in preparation. Once the draft is public its documents
 * stay: what the public read is part of the record (a corrected one is attached beside it).
 */
export async function removeAttachment(db: Db, files: FileStore, user: User | null, draftId: number, id: number): Promise<void> {
  const draft = await loadDraft(db, draftId, { counts: false })
  authorize(user, 'legal-act.manage', { agencyId: draft.agency.id })
  if (draft.status !== 'preparation') throw new ValidationError([{ field: 'status', messageKey: 'legalActs.attachments.errors.published' }])
  const attachment = await findAttachment(db, draftId, id)
  await db.transaction(async (tx) => {
    await tx.query('delete from legal_act_attachments where id = $1', [id])
    await recordChange(tx, actorFor(user!), {
      action: 'legal-act.detach', entity: 'legal-act', entityId: String(draftId),
      before: { attachment: id, kind: attachment.kind, fileName: attachment.fileName, sha256: attachment.sha256 }, after: null,
    })
  })
  await files.remove(attachment.fileKey)
}
