import { AsyncLocalStorage } from 'node:async_hooks'

const routing = new AsyncLocalStorage<boolean>()

/**
 * Runs fn with its reads allowed to go to the replica (ASHYQ_DATABASE_READ_URL) or not. The site
 * allows it for an anonymous reader's GET who wrote nothing a moment ago; everything else (writes,
 * transactions, jobs, signed-in readers, API clients) reads the primary.
 */
export function withReplicaReads<T>(allowed: boolean, fn: () => T): T {
  return routing.run(allowed, fn)
}

/** Whether the work running now may read from the replica. */
export function replicaReadsAllowed(): boolean {
  return routing.getStore() ?? false
}

// A statement the replica can answer: a plain SELECT that neither locks nor writes nor notifies
// (a replica is read-only, and a SELECT may still call a function that writes).
const READ = /^\s*(?:\(\s*)?select\b/i
const NOT_ON_A_REPLICA = /\b(?:nextval|setval|pg_notify|pg_advisory\w*|set_config|txid_current|pg_current_xact_id)\s*\(|\bfor\s+(?:update|no\s+key\s+update|share|key\s+share)\b/i

/** Whether a statement is one the replica may answer. */
export function isReplicaRead(text: string): boolean {
  return READ.test(text) && !NOT_ON_A_REPLICA.test(text)
}
