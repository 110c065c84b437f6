import type { Queryable } from '../../../platform/db/index.ts'
import { NotFound, ValidationError } from '../../../platform/http/index.ts'
import { isUuid } from '../../../platform/http/validation.ts'

// CKAN's datastore aliases (migration 0060): other names of a resource's table. An alias is a
// name CKAN could give a view: letters, digits, _ and -, and never a resource id.
const ALIAS = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/

/** Gives a resource's table these aliases (besides those it has); one that names another resource's table is refused. */
export async function addAliases(tx: Queryable, resourceId: string, aliases: readonly string[]): Promise<void> {
  for (const alias of aliases) {
    if (!ALIAS.test(alias) || isUuid(alias)) throw new ValidationError([{ field: 'aliases', messageKey: 'data.datastore.write.alias', values: { value: alias } }])
    const [taken] = await tx.query<{ resource_id: string }>(
      `insert into data_datastore_aliases (alias, resource_id) values ($1, $2)
       on conflict (alias) do update set alias = excluded.alias returning resource_id::text`,
      [alias, resourceId],
    )
    if (taken && taken.resource_id !== resourceId) throw new ValidationError([{ field: 'aliases', messageKey: 'data.datastore.write.aliasTaken', values: { value: alias } }])
  }
}

/** A resource's aliases, in the order given. */
export async function aliasesOf(db: Queryable, resourceId: string): Promise<string[]> {
  return (await db.query<{ alias: string }>('select alias from data_datastore_aliases where resource_id = $1 order by created_at, alias', [resourceId])).map((r) => r.alias)
}

/** The resource id a datastore action names: an id, or an alias of one. */
export async function resolveDatastoreId(db: Queryable, idOrAlias: string): Promise<string> {
  if (isUuid(idOrAlias)) return idOrAlias
  const [row] = await db.query<{ resource_id: string }>('select resource_id::text from data_datastore_aliases where alias = $1', [idOrAlias])
  if (!row) throw new NotFound('datastore', idOrAlias)
  return row.resource_id
}

/** The aliases a statement's text may name (those that occur in it), each with its resource id. */
export async function aliasesIn(db: Queryable, text: string): Promise<Map<string, string>> {
  const rows = await db.query<{ alias: string; resource_id: string }>(
    'select alias, resource_id::text from data_datastore_aliases where strpos($1, alias) > 0', [text])
  return new Map(rows.map((r) => [r.alias, r.resource_id]))
}
