/**
 * After an action a person returns to the page they acted on, at the item they acted on: the
 * address names what was done and the item (`?done=voted&item=comment-42&at=para_2#done`), and the
 * page writes the message, in its language, inside that item, as the target of the address's
 * fragment: the browser scrolls to it and focuses it, with JavaScript off too. `at` names the part
 * of the page to open for it (a paragraph's folded comments).
 */
export const DONE_KEYS = ['voted', 'commented', 'hidden', 'restored', 'answered', 'roleGranted', 'roleRevoked', 'published', 'rejected', 'extended', 'withdrawn', 'rated',
  'drafted', 'signed', 'submitted', 'petitionWithdrawn', 'petitionPublished', 'petitionRejected', 'discussionOpened', 'invalidated', 'pollWithdrawn', 'coAuthorJoined', 'coAuthorLeft', 'citizensSaved'] as const
export type Done = (typeof DONE_KEYS)[number]

const ITEM = /^[a-z][a-z0-9_-]{0,60}$/

/** The page to return to after an action: path (its own query kept, its fragment replaced), back at the item, with the message. */
export function doneHref(path: string, done: Done, item: string, at?: string | null): string {
  const url = new URL(path.replace(/#.*$/, ''), 'http://site.invalid')
  url.searchParams.set('done', done)
  url.searchParams.set('item', item)
  if (at) url.searchParams.set('at', at)
  else url.searchParams.delete('at')
  return `${url.pathname}${url.search}#done`
}

/** What an address says was done, if it says so in a form this site writes. */
export function doneOf(url: string): { key: Done; item: string; at: string | null } | null {
  const query = new URLSearchParams(url.split('?')[1]?.split('#')[0] ?? '')
  const key = query.get('done') as Done | null
  const item = query.get('item') ?? ''
  const at = query.get('at')
  if (!key || !DONE_KEYS.includes(key) || !ITEM.test(item)) return null
  return { key, item, at: at && ITEM.test(at) ? at : null }
}
