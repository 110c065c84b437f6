import { createRequire } from 'node:module'
import { hash, verify } from '@node-rs/argon2'
import type { FieldError } from '../http/errors.ts'

export const MIN_PASSWORD_LENGTH = 10
export const MAX_PASSWORD_LENGTH = 256

// Passwords people pick most often (about 50,000 from zxcvbn's list): refused whatever their length.
// Read when a password is first chosen, not at start: zxcvbn's lists are megabytes a server that
// only serves readers never needs.
let commonPasswords: Set<string> | undefined
function isCommonPassword(lower: string): boolean {
  if (!commonPasswords) {
    const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common')
    commonPasswords = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()))
  }
  return commonPasswords.has(lower)
}

/** Why a new password is refused, as a field error, or undefined when it is acceptable. */
export function passwordProblem(password: string, email: string, field = 'password'): FieldError | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return { field, messageKey: 'platform.auth.passwordTooShort', values: { limit: MIN_PASSWORD_LENGTH } }
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return { field, messageKey: 'platform.validation.maxLength', values: { limit: MAX_PASSWORD_LENGTH } }
  }
  const lower = password.toLowerCase()
  if (isCommonPassword(lower) || lower === email.toLowerCase() || lower === email.split('@')[0]?.toLowerCase()) {
    return { field, messageKey: 'platform.auth.passwordCommon' }
  }
  return undefined
}

/** argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false)
}

// Verified against when no account matches, so that "no such user" takes as long as "wrong password".
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash('no account has this password')
  return dummyHash
}
