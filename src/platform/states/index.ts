import type { Queryable, SqlValue } from '../db/types.ts'
import { quoteIdentifier, quoteTableName } from '../db/types.ts'
import { recordChange, type Actor } from '../audit/index.ts'
import { AppError, type FieldError } from '../http/errors.ts'
import type { Announcement } from '../notifications/events.ts'

/**
 * The item was changed meanwhile, and what was asked of it no longer applies to the state it is in
 * now (409): a concurrent adopt and withdraw of one draft, a question answered twice at once. The
 * state it is in is said, as a field message the error page and problem+json show.
 */
export class StateConflict extends AppError {
  readonly status = 409
  readonly code = 'state-conflict'
  readonly fields: FieldError[]
  constructor(
    readonly entity: string,
    readonly id: string,
    /** The state it is in (null: it is gone). */
    readonly current: string | null,
    readonly expected: readonly string[],
    labelKey?: (state: string) => string,
    /** The item's page, without the language (`/dialogue/questions/5`): where the error page sends the reader back to. */
    readonly href?: string,
  ) {
    super(`${entity} ${id} is ${current ?? 'gone'}, not ${expected.join(' or ')}`)
    this.fields = current && labelKey ? [{ field: 'status', messageKey: labelKey(current) }] : []
  }
}

/** A value of `set` that the database fills in: the moment of the transaction. */
export const NOW = Symbol('now()')

/** One change of an item's state, and what is written with it. */
export interface Transition<S extends string> {
  /** The item's table (its key `id`, its state the column `status`), and which item. */
  table: string
  id: number | string
  /** The states it may be changed from, and the one it goes to (none: an action that keeps the state, as a rating). */
  from: readonly S[]
  to?: S
  /** Other columns as they must still be, read under the same lock (null: empty): a question not yet rated, not forwarded meanwhile. */
  expect?: Readonly<Record<string, SqlValue>>
  /** Other columns set with the state (name → value; NOW for the transaction's moment). */
  set?: Readonly<Record<string, SqlValue | typeof NOW>>
  /**
   * The item's own history: its event table, the column naming the item, the event's kind and
   * detail, and other columns of the row (who acted, when the table keeps it apart).
   */
  event?: { table: string; itemColumn: string; kind: string; detail?: Readonly<Record<string, unknown>>; columns?: Readonly<Record<string, SqlValue>> }
  /**
   * The audit row: who, as which action of which entity, and what else the change replaces and
   * leaves (beside the state, which is always written before and after). None for what the site does by itself on its
   * day (a discussion closing), which the event records.
   */
  audit?: { actor: Actor; action: string; entity: string; before?: Readonly<Record<string, unknown>>; after?: Readonly<Record<string, unknown>> }
  /** The locale key of a state's name, for the message a conflict shows. */
  labelKey?: (state: string) => string
  /** The item's page without the language, which a conflict's page links back to. */
  href?: string
  /** The event that tells of the change (`told(kind, payload, origin)` of notifications/events.ts): its mail is queued in the same transaction. */
  tell?: Announcement
}

/**
 * Changes an item's state inside the caller's transaction, guarded: the row is locked and its state
 * read (a concurrent change commits first, and is then what is read), and unless it is one of
 * `from`, nothing is written and StateConflict is thrown. Otherwise the state and `set` are written,
 * then the event, the audit row and the event's mail (`tell`), all in the one transaction. Returns the state it was in.
 */
export async function transition<S extends string>(tx: Queryable, change: Transition<S>): Promise<{ from: S }> {
  const table = quoteTableName(change.table)
  const expected = Object.entries(change.expect ?? {})
  const [row] = await tx.query<{ status: string } & Record<string, unknown>>(
    `select ${['status', ...expected.map(([column]) => column)].map(quoteIdentifier).join(', ')} from ${table} where id = $1 for update`, [change.id],
  )
  const entity = change.audit?.entity ?? change.table
  const unchanged = row !== undefined && expected.every(([column, value]) => (value === null ? row[column] === null : String(row[column]) === String(value)))
  if (!row || !(change.from as readonly string[]).includes(row.status) || !unchanged) {
    throw new StateConflict(entity, String(change.id), row?.status ?? null, change.from, change.labelKey, change.href)
  }
  const to = change.to ?? row.status
  // An action that keeps the state writes only its other columns.
  const columns: string[] = change.to ? ['status = $2'] : []
  const params: SqlValue[] = change.to ? [change.id, to] : [change.id]
  for (const [column, value] of Object.entries(change.set ?? {})) {
    if (value === NOW) columns.push(`${quoteIdentifier(column)} = now()`)
    else {
      params.push(value)
      columns.push(`${quoteIdentifier(column)} = $${params.length}`)
    }
  }
  if (columns.length > 0) await tx.query(`update ${table} set ${columns.join(', ')} where id = $1`, params)
  if (change.event) {
    const extra = Object.entries(change.event.columns ?? {})
    await tx.query(
      `insert into ${quoteTableName(change.event.table)} (${[change.event.itemColumn, 'kind', 'detail', ...extra.map(([column]) => column)].map(quoteIdentifier).join(', ')})
       values (${[1, 2, 3, ...extra.map((_, i) => i + 4)].map((n) => `$${n}`).join(', ')})`,
      [change.id, change.event.kind, { ...change.event.detail }, ...extra.map(([, value]) => value)],
    )
  }
  if (change.audit) {
    await recordChange(tx, change.audit.actor, {
      action: change.audit.action, entity: change.audit.entity, entityId: String(change.id),
      before: { status: row.status, ...change.audit.before }, after: { status: to, ...change.audit.after },
    })
  }
  await change.tell?.announce(tx)
  return { from: row.status as S }
}
