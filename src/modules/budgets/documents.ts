import type { Db, Queryable } from '../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { recordChange, type Actor } from '../../platform/audit/index.ts'
import { NOW, transition } from '../../platform/states/index.ts'
import { authorize } from '../../platform/auth/policies.ts'
import type { User } from '../../platform/auth/roles.ts'
import type { FileStore } from '../../platform/files/index.ts'
import type { UploadedFile } from '../../platform/files/uploads.ts'
import { checkFileKind, DOCUMENT_KINDS, fileFormat, keptFileName } from '../../platform/files/types.ts'
import { cleanMultilingual, type MultilingualText } from '../../platform/i18n/multilingual.ts'
import { kazakhstanDay, type Day } from '../../platform/calendar/days.ts'
import { discussionFacts } from './discussions.ts'
import { listBudgets } from './service.ts'

/**
 * A body's budget documents as files, each for a year: its budget programmes, the reports on their
 * execution (for the year, a quarter or a month), its consolidated financial statements and the
 * results of audits, which the Law "On access to information" (art. 17) puts on the open budgets
 * portal beside the figures. Its staff publish them; anyone reads and downloads them. A document is
 * dated the day it was published here, the fact the openness index reads.
 */

export const BUDGET_DOCUMENT_KINDS = ['programme', 'execution-report', 'financial-statements', 'audit', 'other'] as const
export type BudgetDocumentKind = (typeof BUDGET_DOCUMENT_KINDS)[number]

/** Published, or withdrawn with a public reason (never deleted). */
export const BUDGET_DOCUMENT_STATES = ['published', 'withdrawn'] as const
export type BudgetDocumentStatus = (typeof BUDGET_DOCUMENT_STATES)[number]

/** The largest document taken: reports and statements are text and tables, not scans of a year's paper. */
export const BUDGET_DOCUMENT_LIMIT_BYTES = 20 * 1024 * 1024

export interface BudgetDocument {
  id: number
  agencyId: number
  year: number
  kind: BudgetDocumentKind
  period: string | null
  title: MultilingualText
  fileName: string
  mediaType: string
  format: string
  size: number
  sha256: string
  fileKey: string
  publishedOn: Day
  status: BudgetDocumentStatus
  withdrawn: { on: Day; reason: string } | null
}

interface Row {
  id: string; agency_id: string; year: number; kind: BudgetDocumentKind; period: string | null; title: MultilingualText
  file_name: string; media_type: string; size: string; sha256: string; file_key: string; published_on: string
  status: BudgetDocumentStatus; withdrawn_at: Date | null; withdrawn_reason: string | null
}

const SELECT = `select id, agency_id, year, kind, period, title, file_name, media_type, size, sha256, file_key, to_char(published_on, 'YYYY-MM-DD') as published_on,
  status, withdrawn_at, withdrawn_reason from budget_documents`

function toDocument(row: Row): BudgetDocument {
  return {
    id: Number(row.id), agencyId: Number(row.agency_id), year: row.year, kind: row.kind, period: row.period, title: row.title,
    fileName: row.file_name, mediaType: row.media_type, format: fileFormat(row.file_name),
    size: Number(row.size), sha256: row.sha256, fileKey: row.file_key, publishedOn: row.published_on as Day,
    status: row.status, withdrawn: row.withdrawn_at ? { on: kazakhstanDay(new Date(row.withdrawn_at)), reason: row.withdrawn_reason ?? '' } : null,
  }
}

/** A body's documents, the newest year first, then by kind's order and period. */
export async function listBudgetDocuments(db: Queryable, agencyId: number): Promise<BudgetDocument[]> {
  const rows = await db.query<Row>(`${SELECT} where agency_id = $1 order by year desc, array_position($2::text[], kind), period nulls first, id`, [agencyId, [...BUDGET_DOCUMENT_KINDS]])
  return rows.map(toDocument)
}

export async function findBudgetDocument(db: Queryable, id: number): Promise<BudgetDocument> {
  const [row] = await db.query<Row>(`${SELECT} where id = $1`, [id])
  if (!row) throw new NotFound('budget-document', String(id))
  return toDocument(row)
}

export interface BudgetDocumentInput { year: string; kind: string; period?: string; title: MultilingualText }

/**
 * Publishes an uploaded document for a body (its staff): a title in Kazakh and Russian (English
 * optional), the year it concerns and, for an execution report, the period it covers. Its type is read
 * from its bytes (PDF, Word, Excel, OpenDocument, RTF), and the file takes that format's extension.
 */
export async function publishBudgetDocument(
  db: Db, files: FileStore, user: User | null, agencyId: number, input: BudgetDocumentInput, upload: UploadedFile | undefined, today = kazakhstanDay(new Date()),
): Promise<number> {
  const actor = authorize(user, 'budget.documents', { agencyId })
  return publishBudgetDocumentAs(db, files, { id: actor.id, email: actor.email }, agencyId, input, upload, today)
}

/** The publishing itself, by whoever was let do it (the system for the demo's documents). */
export async function publishBudgetDocumentAs(
  db: Db, files: FileStore, actor: Actor, agencyId: number, input: BudgetDocumentInput, upload: UploadedFile | undefined, today: Day,
): Promise<number> {
  const problems: FieldError[] = []
  const kind = input.kind as BudgetDocumentKind
  if (!BUDGET_DOCUMENT_KINDS.includes(kind)) problems.push({ field: 'kind', messageKey: 'budgets.documents.errors.kind' })
  const year = Number(input.year)
  const thisYear = Number(today.slice(0, 4))
  // A document concerns a year that has begun, or the next one (a draft programme is published before its year).
  if (!/^[0-9]{4}$/.test(input.year ?? '') || year < 1991 || year > thisYear + 1) problems.push({ field: 'year', messageKey: 'budgets.documents.errors.year', values: { latest: String(thisYear + 1) } })
  const period = kind === 'execution-report' ? (input.period ?? '').toUpperCase() : null
  if (period !== null && !/^(Y|Q[1-4]|M(0[1-9]|1[0-2]))$/.test(period)) problems.push({ field: 'period', messageKey: 'budgets.documents.errors.period' })
  const title = cleanMultilingual(input.title)
  for (const lang of ['kk', 'ru'] as const) if (!title[lang]) problems.push({ field: `title.${lang}`, messageKey: 'budgets.documents.errors.title' })
  for (const [lang, text] of Object.entries(title)) if (text.length > 300) problems.push({ field: `title.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: 300 } })
  if (!upload) problems.push({ field: 'file', messageKey: 'budgets.documents.errors.file' })
  if (problems.length > 0) throw new ValidationError(problems)
  const type = await checkFileKind(files, upload!, DOCUMENT_KINDS, 'file')
  const fileName = keptFileName(upload!.fileName, type, kind)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `insert into budget_documents (agency_id, year, kind, period, title, file_key, file_name, media_type, size, sha256, published_on, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id`,
      [agencyId, year, kind, period, title, upload!.key, fileName, type.mime, upload!.size, upload!.checksum, today, actor.id],
    )
    const id = Number(row!.id)
    await recordChange(tx, actor, {
      action: 'budget.document.publish', entity: 'budget-document', entityId: String(id), before: null,
      after: { agency: agencyId, year, kind, period, title, fileName, size: upload!.size, sha256: upload!.checksum },
    })
    return id
  })
}

/**
 * Withdraws a document published by mistake (its body's staff), with a reason the public reads:
 * the record stays listed (published records are never deleted) and the audit log keeps what it was
 * (its name and checksum); its file is no longer served, and its bytes are removed from the store,
 * since a wrong file is often one that was never meant to be public.
 */
export async function withdrawBudgetDocument(db: Db, files: FileStore, user: User | null, id: number, reason: string): Promise<void> {
  const document = await findBudgetDocument(db, id)
  const actor = authorize(user, 'budget.documents', { agencyId: document.agencyId })
  const text = reason.trim()
  if (text.length === 0 || text.length > 1000) throw new ValidationError([{ field: 'reason', messageKey: 'budgets.documents.errors.reason', values: { limit: 1000 } }])
  await db.transaction(async (tx) => {
    await transition<BudgetDocumentStatus>(tx, {
      table: 'budget_documents', id, from: ['published'], to: 'withdrawn', set: { withdrawn_at: NOW, withdrawn_reason: text },
      audit: { actor: { id: actor.id, email: actor.email }, action: 'budget.document.withdraw', entity: 'budget-document', before: { fileName: document.fileName, sha256: document.sha256 }, after: { reason: text } },
      labelKey: (state) => `budgets.documents.states.${state}`,
    })
  })
  await files.remove(document.fileKey)
}

export interface BudgetOpennessFacts {
  /** The budgets the body keeps: when each phase and period of their figures was first and last published here. */
  budgets: Array<{ key: string; year: number; publications: Array<{ phase: string; period: string; firstOn: Day; lastOn: Day }> }>
  /** Its documents, each with the day it was published. */
  documents: Array<{ id: number; year: number; kind: BudgetDocumentKind; period: string | null; publishedOn: Day; withdrawnOn: Day | null; hasEnglish: boolean }>
  /** The comments on its discussions closing in the period, and how many it answered. */
  discussions: Awaited<ReturnType<typeof discussionFacts>>
}

/**
 * What Open Budgets knows of how openly a body keeps its budgets, for the openness index: dated
 * facts, not judgements. Whether a day was on time is the index's methodology to say (versioned,
 * with the legal deadlines it applies), not this module's.
 */
export async function budgetOpennessFacts(db: Queryable, agencyId: number, from: Day, to: Day): Promise<BudgetOpennessFacts> {
  const publications = await db.query<{ key: string; year: number; phase: string; period: string; first_on: string; last_on: string; budget_id: string }>(
    `select b.id as budget_id, b.year, p.phase, p.period, to_char(p.first_on, 'YYYY-MM-DD') as first_on, to_char(p.last_on, 'YYYY-MM-DD') as last_on
     from budgets b join budget_publications p on p.budget_id = b.id
     where b.agency_id = $1 and p.last_on between $2 and $3 order by b.year, b.id, p.phase, p.period`, [agencyId, from, to])
  const keys = new Map((await listBudgets(db, { agencyId })).map((b) => [String(b.id), b.key]))
  const budgets = new Map<string, BudgetOpennessFacts['budgets'][number]>()
  for (const p of publications) {
    const id = String(p.budget_id)
    const entry = budgets.get(id) ?? { key: keys.get(id) ?? id, year: p.year, publications: [] }
    entry.publications.push({ phase: p.phase, period: p.period, firstOn: p.first_on as Day, lastOn: p.last_on as Day })
    budgets.set(id, entry)
  }
  const documents = (await db.query<Row>(`${SELECT} where agency_id = $1 and published_on between $2 and $3 order by published_on, id`, [agencyId, from, to])).map(toDocument)
  return {
    budgets: [...budgets.values()],
    documents: documents.map((d) => ({ id: d.id, year: d.year, kind: d.kind, period: d.period, publishedOn: d.publishedOn, withdrawnOn: d.withdrawn?.on ?? null, hasEnglish: !!d.title.en })),
    discussions: await discussionFacts(db, agencyId, from, to),
  }
}
