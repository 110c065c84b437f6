import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** The site's source folder. */
export const SRC = path.resolve(import.meta.dirname, '../../src')

/**
 * Every match of a pattern (with the g flag) in the TypeScript files under a folder of the source,
 * as "file: match" with the file relative to src/ and the match's white space made single: for the
 * tests that hold a rule of the code's shape (no status changed but through the state step, no mail
 * queued but through events). `skip` leaves out folders relative to src/ (where the rule's own code is).
 */
export function sourceMatches(dir: string, pattern: RegExp, skip: readonly string[] = []): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return skip.includes(path.relative(SRC, file)) ? [] : sourceMatches(file, pattern, skip)
    if (!entry.name.endsWith('.ts')) return []
    return [...readFileSync(file, 'utf8').matchAll(pattern)].map((m) => `${path.relative(SRC, file)}: ${m[0].replaceAll(/\s+/g, ' ')}`)
  })
}
