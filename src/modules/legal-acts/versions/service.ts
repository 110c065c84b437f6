import type { Db, Queryable } from '../../../platform/db/index.ts'
import { NotFound } from '../../../platform/http/errors.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { recordChange } from '../../../platform/audit/index.ts'
import { announce } from '../../../platform/notifications/events.ts'
import { draftVersioned } from '../drafts/events.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { actorFor, checkTexts, loadDraft, recordEvent, type VersionTexts } from '../drafts/service.ts'
import type { TextUnit } from './text.ts'
import { draftActions, draftFacts } from '../drafts/actions.ts'

/** One version of a draft's text. */
export interface Version {
  id: number
  draftId: number
  number: number
  body: TextUnit[]
  note: MultilingualText
  createdAt: Date
}

interface VersionRow {
  id: number
  draft_id: number
  number: number
  body: TextUnit[]
  note: MultilingualText
  created_at: Date
}

function toVersion(row: VersionRow): Version {
  return { id: row.id, draftId: row.draft_id, number: row.number, body: row.body, note: row.note, createdAt: row.created_at }
}

/** A draft's versions, oldest first, without their texts. */
export async function listVersions(db: Queryable, draftId: number): Promise<Array<Omit<Version, 'body'> & { comments: number }>> {
  const rows = await db.query<VersionRow & { comments: number }>(
    `select v.id, v.draft_id, v.number, v.note, v.created_at,
       (select count(*)::int from comments c where c.subject_type = 'legal-act-version' and c.subject_id = v.id::text and c.hidden_at is null) as comments
     from legal_act_versions v where v.draft_id = $1 order by v.number`,
    [draftId],
  )
  return rows.map((r) => ({ id: r.id, draftId: r.draft_id, number: r.number, note: r.note, createdAt: r.created_at, comments: r.comments }))
}

/** One version by its number (the latest without one), or NotFound. */
export async function findVersion(db: Queryable, draftId: number, number?: number): Promise<Version> {
  const [row] = await db.query<VersionRow>(
    `select id, draft_id, number, body, note, created_at from legal_act_versions
     where draft_id = $1 and ($2::int is null or number = $2) order by number desc limit 1`,
    [draftId, number ?? null],
  )
  if (!row) throw new NotFound('legal-act-version', `${draftId}/${number ?? 'latest'}`)
  return toVersion(row)
}

/** One version by its own id (comments name versions so), or undefined. */
export async function versionById(db: Queryable, id: number): Promise<(Version & { latest: boolean }) | undefined> {
  const [row] = await db.query<VersionRow & { latest: boolean }>(
    `select v.id, v.draft_id, v.number, v.body, v.note, v.created_at,
       v.number = (select max(number) from legal_act_versions where draft_id = v.draft_id) as latest
     from legal_act_versions v where v.id = $1`,
    [id],
  )
  return row && { ...toVersion(row), latest: row.latest }
}

/**
 * Publishes a new version of a draft's text (before it is adopted or withdrawn): comments stay with
 * the version and paragraph they were written on; those taken from now on are on this one. Its
 * followers are told.
 */
export async function addVersion(db: Db, user: User | null, draftId: number, texts: VersionTexts, note: MultilingualText, origin: string): Promise<number> {
  const draft = await loadDraft(db, draftId)
  draftActions.require(user, 'version', draftFacts(draft))
  const body = checkTexts(texts)
  const cleanNote = cleanMultilingual(note)
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ number: number }>(
      `insert into legal_act_versions (draft_id, number, body, note, created_by)
       select $1, coalesce(max(number), 0) + 1, $2, $3, $4 from legal_act_versions where draft_id = $1 returning number`,
      [draftId, JSON.stringify(body), cleanNote, user!.id],
    )
    const number = row!.number
    await tx.query('update legal_act_drafts set updated_at = now() where id = $1', [draftId])
    await recordEvent(tx, draftId, 'version', { number })
    await recordChange(tx, actorFor(user!), { action: 'legal-act.version', entity: 'legal-act', entityId: String(draftId), before: null, after: { number } })
    if (draft.status !== 'preparation') {
      await announce(tx, draftVersioned, { id: draftId, number, title: draft.title, actorId: user!.id }, origin)
    }
    return number
  })
}
