import type { Queryable } from '../db/index.ts'
import type { Role } from '../auth/roles.ts'

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

/**
 * Who made a change, as the public sees it: the person's name and their role (email addresses are
 * never shown); null for the system itself.
 */
export interface AuditActor {
  /** The name the person gave (empty when they gave none). */
  name: string
  /** Their highest role now (the head of a body before an editor), or null for a citizen. */
  role: Role | null
}

export interface AuditRecord extends AuditEntry {
  id: number
  at: string
  actor: AuditActor | null
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

// The role a person is shown with when they hold several.
const ROLE_ORDER = ['agency-head', 'agency-editor', 'admin', 'commission']

/** The history of one record, newest first. */
export async function historyOf(db: Queryable, entity: string, entityId: string): Promise<AuditRecord[]> {
  const rows = await db.query<{
    id: number; at: Date | string; actor_id: number | null; actor_name: string | null; actor_role: Role | null
    action: string; entity: string; entity_id: string; before: unknown; after: unknown
  }>(
    `select a.id, a.at, a.actor_id, u.display_name as actor_name,
       (select g.role from role_grants g where g.user_id = a.actor_id order by array_position($3::text[], g.role) limit 1) as actor_role,
       a.action, a.entity, a.entity_id, a.before, a.after
     from audit_log a left join users u on u.id = a.actor_id
     where a.entity = $1 and a.entity_id = $2 order by a.at desc, a.id desc`,
    [entity, entityId, ROLE_ORDER],
  )
  return rows.map((r) => ({
    id: r.id,
    at: new Date(r.at).toISOString(),
    actor: r.actor_id === null ? null : { name: r.actor_name ?? '', role: r.actor_role },
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: r.before,
    after: r.after,
  }))
}
