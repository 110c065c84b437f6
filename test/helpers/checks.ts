import type { Queryable } from '../../src/platform/db/index.ts'

/** The values a named CHECK of the form `column in ('a', 'b')` allows, sorted: to hold a table to the list its code names. */
export async function checkedValues(db: Queryable, constraint: string): Promise<string[]> {
  const [check] = await db.query<{ definition: string }>('select pg_get_constraintdef(oid) as definition from pg_constraint where conname = $1', [constraint])
  if (!check) throw new Error(`no constraint ${constraint}`)
  return [...check.definition.matchAll(/'([a-z-]+)'::text/g)].map((m) => m[1]!).sort()
}
