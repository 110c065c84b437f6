import type { Lang } from './index.ts'

const KAZAKH = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/u
const CYRILLIC = /[а-яёА-ЯЁ]/u
const LATIN = /[A-Za-z]/

/**
 * The language a short text a person wrote is in, read from its letters: Kazakh has letters
 * Russian has not (ә, ғ, қ, ң, ө, ұ, ү, һ, і); other Cyrillic is Russian; Latin letters alone are
 * English. A text of neither (numbers, a link) is in the language of the page it was written on.
 */
export function textLang(text: string, page: Lang): Lang {
  if (KAZAKH.test(text)) return 'kk'
  if (CYRILLIC.test(text)) return 'ru'
  if (LATIN.test(text)) return 'en'
  return page
}
