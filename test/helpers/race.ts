import type { Db } from '../../src/platform/db/index.ts'

/**
 * Holds the next `count` transactions asked of db until all of them have been asked for, then lets
 * them run: requests sent at once each read the item before any of them writes, as they would on
 * several servers. Returns the function that gives db its own transactions back.
 */
export function holdTransactions(db: Db, count = 2): () => void {
  const original = db.transaction.bind(db)
  const held: Array<() => void> = []
  db.transaction = (fn) => {
    if (held.length >= count) return original(fn)
    return new Promise<void>((resolve) => {
      held.push(resolve)
      if (held.length === count) for (const go of held) go()
    }).then(() => original(fn))
  }
  return () => { db.transaction = original }
}
