import type { Queryable } from '../platform/db/index.ts'

/** Someone who takes part in the demo: the author of its comments and questions. */
export interface DemoPerson {
  email: string
  name: string
  lang: string
}

/**
 * The demo's participants, with one password hash nobody knows: their accounts cannot be signed in
 * to, and their addresses are taken as confirmed. Returns their ids, in order.
 */
export async function insertDemoPeople(tx: Queryable, people: readonly DemoPerson[], unusableHash: string): Promise<number[]> {
  const ids: number[] = []
  for (const person of people) {
    const [row] = await tx.query<{ id: number }>(
      `insert into users (email, password_hash, display_name, lang, email_confirmed_at) values ($1, $2, $3, $4, now())
       on conflict (email) do update set display_name = excluded.display_name returning id`,
      [person.email, unusableHash, person.name, person.lang],
    )
    ids.push(row!.id)
  }
  return ids
}
