import { I18n, type Lang } from '../i18n/index.ts'

let shared: I18n | undefined

/**
 * A mail's subject and text in the recipient's language, from the messages "<key>.subject" and
 * "<key>.body": mail is written in the language its reader chose, whoever's request wrote it.
 */
export function mailText(lang: Lang, key: string, values: Record<string, unknown> = {}): { subject: string; text: string } {
  shared ??= new I18n()
  return { subject: shared.t(lang, `${key}.subject`, values), text: shared.t(lang, `${key}.body`, values) }
}
