import { stringify } from 'csv-stringify/sync'
import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { recordChange } from '../../../platform/audit/index.ts'
import { translate } from '../../../platform/notifications/messages.ts'
import { formatDate, type Lang } from '../../../platform/i18n/index.ts'
import { cleanMultilingual, localize, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { DECISIONS, type Decision } from '../kinds.ts'
import { actorFor, loadDraft, type DraftSummary } from '../drafts/service.ts'
import { tablePdf } from '../../../platform/files/pdf.ts'
import type { TextUnit } from '../versions/text.ts'

/** A proposal (a comment that answers no other) with the developer's answer, if there is one yet. */
export interface Proposal {
  id: number
  versionNumber: number
  anchor: string | null
  /** The paragraph's number as the version writes it, or null for the whole draft. */
  paragraph: string | null
  authorName: string
  body: string
  /** The language it is written in (null for one written before it was kept). */
  lang: Lang | null
  createdAt: Date
  votesFor: number
  votesAgainst: number
  answer: { decision: Decision; reason: MultilingualText; answeredAt: Date } | null
}

/** Every proposal on a draft, over all its versions, oldest first; hidden comments are not proposals. */
export async function listProposals(db: Queryable, draftId: number): Promise<Proposal[]> {
  const rows = await db.query<{
    id: number; number: number; anchor: string | null; body_units: TextUnit[]; display_name: string; body: string; lang: Lang | null; created_at: Date
    votes_for: number; votes_against: number; decision: Decision | null; reason: MultilingualText | null; answered_at: Date | null
  }>(
    `select c.id, v.number, c.anchor, v.body as body_units, u.display_name, c.body, c.lang, c.created_at,
       (select count(*)::int from votes where subject_type = 'comment' and subject_id = c.id::text and value = 1) as votes_for,
       (select count(*)::int from votes where subject_type = 'comment' and subject_id = c.id::text and value = -1) as votes_against,
       a.decision, a.reason, a.answered_at
     from comments c join legal_act_versions v on c.subject_type = 'legal-act-version' and c.subject_id = v.id::text
     join users u on u.id = c.author_id left join legal_act_answers a on a.comment_id = c.id
     where v.draft_id = $1 and c.parent_id is null and c.hidden_at is null order by c.id`,
    [draftId],
  )
  return rows.map((r) => ({
    id: r.id, versionNumber: r.number, anchor: r.anchor,
    paragraph: r.anchor ? (r.body_units.find((u) => u.eId === r.anchor)?.num || r.anchor) : null,
    authorName: r.display_name, body: r.body, lang: r.lang, createdAt: r.created_at, votesFor: r.votes_for, votesAgainst: r.votes_against,
    answer: r.decision ? { decision: r.decision, reason: r.reason ?? {}, answeredAt: r.answered_at! } : null,
  }))
}

/**
 * The developer's answer to one proposal, once the discussion is closed and until the answers are
 * published: accepted, partly or not, with the reason (required unless accepted). Answering again changes it.
 */
export async function answerProposal(db: Db, user: User | null, draftId: number, commentId: number, input: { decision: string; reason: MultilingualText }): Promise<void> {
  const draft = await loadDraft(db, draftId)
  authorize(user, 'legal-act.manage', { agencyId: draft.agency.id })
  const proposal = (await listProposals(db, draftId)).find((p) => p.id === commentId)
  if (!proposal) throw new NotFound('proposal', String(commentId))
  const problems: FieldError[] = []
  if (draft.status !== 'closed') problems.push({ field: 'status', messageKey: 'legalActs.errors.answerWhenClosed' })
  if (!DECISIONS.includes(input.decision as Decision)) problems.push({ field: `decision-${commentId}`, messageKey: 'legalActs.errors.decision' })
  const reason = cleanMultilingual(input.reason)
  if (input.decision !== 'accepted' && Object.keys(reason).length === 0) problems.push({ field: `reason-${commentId}`, messageKey: 'legalActs.errors.reasonForDecision' })
  for (const text of Object.values(reason)) if (text.length > 5000) problems.push({ field: `reason-${commentId}`, messageKey: 'platform.validation.maxLength', values: { limit: 5000 } })
  if (problems.length > 0) throw new ValidationError(problems)
  await db.transaction(async (tx) => {
    await tx.query(
      `insert into legal_act_answers (comment_id, draft_id, decision, reason, answered_by) values ($1, $2, $3, $4, $5)
       on conflict (comment_id) do update set decision = excluded.decision, reason = excluded.reason, answered_by = excluded.answered_by, answered_at = now()`,
      [commentId, draftId, input.decision, reason, user!.id],
    )
    await recordChange(tx, actorFor(user!), { action: 'legal-act.answer', entity: 'comment', entityId: String(commentId), before: proposal.answer, after: { decision: input.decision, reason } })
  })
}

/** The summary table of proposals and answers: its header and its rows, in the reader's language. */
export function proposalsTable(proposals: readonly Proposal[], lang: Lang): { header: string[]; rows: string[][] } {
  const t = (key: string) => translate(lang, key)
  const header = PROPOSAL_COLUMNS.map((k) => t(`legalActs.proposals.columns.${k}`))
  const rows = proposals.map((p) => [
    String(p.id), String(p.versionNumber), p.paragraph ?? t('legalActs.proposals.wholeDraft'), p.authorName || t('platform.comments.citizen'),
    p.createdAt.toISOString().slice(0, 10), p.body, String(p.votesFor), String(p.votesAgainst),
    p.answer ? t(`legalActs.decisions.${p.answer.decision}`) : t('legalActs.proposals.unanswered'), localize(p.answer?.reason, lang)?.text ?? '',
  ])
  return { header, rows }
}

/** The summary table for a spreadsheet: numbers as numbers, the day as a date. */
export function proposalsSheet(proposals: readonly Proposal[], lang: Lang): { header: string[]; rows: Array<Array<string | number | Date>> } {
  const { header, rows } = proposalsTable(proposals, lang)
  const numbers = new Set(['number', 'version', 'for', 'against'])
  return {
    header,
    rows: rows.map((row, i) => row.map((cell, c) => {
      const column = PROPOSAL_COLUMNS[c]!
      if (column === 'date') return new Date(Date.parse(`${proposals[i]!.createdAt.toISOString().slice(0, 10)}T00:00:00Z`))
      return numbers.has(column) ? Number(cell) : cell
    })),
  }
}

/** The columns of the summary table, in order. */
export const PROPOSAL_COLUMNS = ['number', 'version', 'paragraph', 'author', 'date', 'proposal', 'for', 'against', 'decision', 'reason'] as const

/** The summary table of proposals and answers as CSV (UTF-8 with a byte-order mark, for spreadsheet programs). */
export function proposalsCsv(proposals: readonly Proposal[], lang: Lang): string {
  const { header, rows } = proposalsTable(proposals, lang)
  return `\ufeff${stringify([header, ...rows])}`
}

// Widths in points on A4 landscape: the proposal and the reason take what the short columns leave.
const PDF_WIDTHS: Record<(typeof PROPOSAL_COLUMNS)[number], number | '*'> = {
  number: 28, version: 48, paragraph: 44, author: 70, date: 52, proposal: '*', for: 42, against: 36, decision: 78, reason: '*',
}

/** The summary table as a PDF, headed by the draft, its body, its discussion and the count of each decision. */
export async function proposalsPdf(draft: DraftSummary, proposals: readonly Proposal[], lang: Lang, answersPublished: boolean): Promise<Buffer> {
  const t = (key: string, values?: Record<string, unknown>) => translate(lang, key, values)
  const { header, rows } = proposalsTable(proposals, lang)
  const counts = DECISIONS.map((d) => `${t(`legalActs.decisions.${d}`)}: ${proposals.filter((p) => p.answer?.decision === d).length}`)
  // Dates as the pages write them; the CSV keeps ISO dates for spreadsheets.
  const dateColumn = PROPOSAL_COLUMNS.indexOf('date')
  const shown = rows.map((row, i) => row.map((cell, c) => (c === dateColumn ? formatDate(lang, proposals[i]!.createdAt) : cell)))
  return tablePdf({
    title: `${t('legalActs.proposals.title')}: ${localize(draft.title, lang)?.text ?? ''}`,
    lang,
    lines: [
      localize(draft.agency.name, lang)?.text ?? '',
      draft.discussionStart ? t('legalActs.proposals.pdfPeriod', { start: formatDate(lang, draft.discussionStart), end: formatDate(lang, draft.discussionEnd!) }) : '',
      `${t('legalActs.proposals.pdfTotal', { count: proposals.length })} ${counts.join(', ')}`,
      answersPublished ? '' : t('legalActs.proposals.pdfNotPublished'),
      t('legalActs.proposals.pdfMade', { date: formatDate(lang, new Date()) }),
    ].filter(Boolean),
    columns: PROPOSAL_COLUMNS.map((k, i) => ({ header: header[i]!, width: PDF_WIDTHS[k] })),
    rows: shown,
    pageLabel: (page, pages) => t('legalActs.proposals.pdfPage', { page, pages }),
    author: t('platform.portal.name'),
  })
}
