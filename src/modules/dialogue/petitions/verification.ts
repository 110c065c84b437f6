import type { User } from '../../../platform/auth/roles.ts'
import { requireConfirmedEmail } from '../../../platform/auth/email-confirmation.ts'

/**
 * Who may sign: the check a signature passes before it is counted. A provider returns the signer it
 * verified, or throws the refusal the page shows (an HTTP error with its message key).
 *
 * The portal ships one provider, a confirmed email address on the account. A digital-signature
 * provider (NCALayer signing a challenge with the signer's EDS key, or eGov's identity service)
 * plugs in here: it reads what the signing request carries, checks the signature against the
 * national certificate authority's chain, and returns the account it belongs to; `signPetition`
 * asks whichever provider the server was started with, and nothing else changes.
 */
export interface SignerVerification {
  /** Its name, kept with nothing: for the README and the logs. */
  readonly name: string
  verify(user: User): User
}

/** The demo's and the default provider: an account whose email address is confirmed. */
export const EMAIL_CONFIRMATION: SignerVerification = {
  name: 'email-confirmation',
  verify: requireConfirmedEmail,
}
