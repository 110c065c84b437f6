import { Type } from 'typebox'

/**
 * Where a form or link may send the visitor back to (`next=`, `return=`): printable ASCII only, as a
 * browser sends a path (anything else is percent-encoded), so a tab, CR/LF or raw non-ASCII value is
 * a 400 naming the field, never a broken Location header.
 */
export const LocalPath = Type.String({ maxLength: 1000, pattern: '^[\\x21-\\x7e]*$' })

// A base no visitor's target can share: what resolves against it to another origin leaves the site.
const BASE = 'http://ashyq.invalid'

/**
 * The target as a path of this site, or the fallback when it would leave it. Parsed as a browser
 * parses it (WHATWG URL): "/\t/evil.example" and "/\\evil.example" are other hosts to a browser,
 * and are to this too. Dot segments ("/.//evil.example", "/a/..//evil.example", "/%2e//evil.example")
 * resolve to a path that starts with two slashes, which a browser reads as another host when it is
 * sent back in Location: such a path is refused too.
 */
export function localPath(target: string | undefined, fallback: string): string {
  if (!target || !target.startsWith('/')) return fallback
  let url: URL
  try {
    url = new URL(target, BASE)
  } catch {
    return fallback
  }
  if (url.origin !== BASE || url.pathname.startsWith('//')) return fallback
  return `${url.pathname}${url.search}${url.hash}`
}
