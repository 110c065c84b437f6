import { createHash, randomBytes } from 'node:crypto'

/** A random secret for a cookie or a token: 32 bytes, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** What the database keeps of a secret: its SHA-256, so a leaked table opens nothing. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
