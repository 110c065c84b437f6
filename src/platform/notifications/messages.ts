import { I18n, type Lang } from '../i18n/index.ts'

let shared: I18n | undefined

/** A message in a language other than the request's: a mail's reader's. */
export function translate(lang: Lang, key: string, values: Record<string, unknown> = {}): string {
  shared ??= new I18n()
  return shared.t(lang, key, values)
}

/**
 * A mail's subject and text in the recipient's language, from the messages "<key>.subject" and
 * "<key>.body": mail is written in the language its reader chose, whoever's request wrote it.
 */
export function mailText(lang: Lang, key: string, values: Record<string, unknown> = {}): { subject: string; text: string } {
  return { subject: translate(lang, `${key}.subject`, values), text: translate(lang, `${key}.body`, values) }
}
