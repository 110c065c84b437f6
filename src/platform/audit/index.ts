import type { Queryable } from '../db/index.ts'

/** Who made a change: a signed-in user, or the system itself (demo data, harvesters). */
export interface Actor {
  id: number | null
  email: string | null
}

export const SYSTEM_ACTOR: Actor = { id: null, email: null }

export interface AuditEntry {
  action: string
  entity: string
  entityId: string
  before: unknown
  after: unknown
}

export interface AuditRecord extends AuditEntry {
  id: number
  at: string
  actorEmail: string | null
}

/** Appends a change to the audit log; call it in the same transaction as the change itself. */
export async function recordChange(tx: Queryable, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.query(
    `insert into audit_log (actor_id, actor_email, action, entity, entity_id, before, after)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [actor.id, actor.email, entry.action, entry.entity, entry.entityId, toJson(entry.before), toJson(entry.after)],
  )
}

// jsonb parameters: null stays SQL null, anything else goes as a JSON document.
function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value)
}

/** The history of one record, newest first. */
export async function historyOf(db: Queryable, entity: string, entityId: string): Promise<AuditRecord[]> {
  const rows = await db.query<{
    id: number; at: Date | string; actor_email: string | null; action: string; entity: string; entity_id: string; before: unknown; after: unknown
  }>(
    `select id, at, actor_email, action, entity, entity_id, before, after from audit_log
     where entity = $1 and entity_id = $2 order by at desc, id desc`,
    [entity, entityId],
  )
  return rows.map((r) => ({
    id: r.id,
    at: new Date(r.at).toISOString(),
    actorEmail: r.actor_email,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: r.before,
    after: r.after,
  }))
}
