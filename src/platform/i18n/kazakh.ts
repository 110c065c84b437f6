/**
 * Kazakh case endings for the last word of a phrase: a date ("2026 жылғы 4 желтоқсан" → "…желтоқсанға
 * дейін") or a body's name ("Денсаулық сақтау министрлігі" → "…министрлігіне"). The ending follows the
 * word's last vowel (vowel harmony: back а, о, ұ, ы; front ә, е, ө, ү, і) and its last sound (a vowel,
 * a voiced consonant, a nasal м, н, ң, or a voiceless consonant); a name's last word in the third
 * person's possessive form (министрлігі, әкімдігі) takes the endings with н.
 */
export type KazakhCase = 'dative' | 'ablative' | 'locative' | 'genitive' | 'accusative' | 'attributive'

export const KAZAKH_CASES: readonly KazakhCase[] = ['dative', 'ablative', 'locative', 'genitive', 'accusative', 'attributive']

const BACK = new Set('аоұыяё')
const FRONT = new Set('әеөүіэиюө')
const VOWELS = new Set([...BACK, ...FRONT, 'у'])
const VOICELESS = new Set('кқпстфхцчшщ')
const NASALS = new Set('мнң')

type Sound = 'vowel' | 'nasal' | 'voiced' | 'voiceless'

function isFront(word: string): boolean {
  for (let i = word.length - 1; i >= 0; i -= 1) {
    const c = word[i]!
    if (BACK.has(c)) return false
    if (FRONT.has(c)) return true
  }
  return false
}

function lastSound(word: string): Sound {
  const c = word[word.length - 1]!
  // й and у close a syllable as a glide: they take the endings of a voiced consonant.
  if (c === 'й' || c === 'у') return 'voiced'
  if (VOWELS.has(c)) return 'vowel'
  if (NASALS.has(c)) return 'nasal'
  if (VOICELESS.has(c)) return 'voiceless'
  return 'voiced'
}

// Each case's ending, back and front, by the last sound.
const ENDINGS: Record<KazakhCase, Record<Sound, [string, string]>> = {
  dative: { vowel: ['ға', 'ге'], nasal: ['ға', 'ге'], voiced: ['ға', 'ге'], voiceless: ['қа', 'ке'] },
  ablative: { vowel: ['дан', 'ден'], nasal: ['нан', 'нен'], voiced: ['дан', 'ден'], voiceless: ['тан', 'тен'] },
  locative: { vowel: ['да', 'де'], nasal: ['да', 'де'], voiced: ['да', 'де'], voiceless: ['та', 'те'] },
  genitive: { vowel: ['ның', 'нің'], nasal: ['ның', 'нің'], voiced: ['дың', 'дің'], voiceless: ['тың', 'тің'] },
  accusative: { vowel: ['ны', 'ні'], nasal: ['ды', 'ді'], voiced: ['ды', 'ді'], voiceless: ['ты', 'ті'] },
  attributive: { vowel: ['дағы', 'дегі'], nasal: ['дағы', 'дегі'], voiced: ['дағы', 'дегі'], voiceless: ['тағы', 'тегі'] },
}

// After the possessive ending of the third person: министрлігі+не, +нен, +нде, +нің, +н, +ндегі.
const POSSESSIVE: Record<KazakhCase, [string, string]> = {
  dative: ['на', 'не'], ablative: ['нан', 'нен'], locative: ['нда', 'нде'], genitive: ['ның', 'нің'], accusative: ['н', 'н'], attributive: ['ндағы', 'ндегі'],
}

/** The phrase with its last word in the case: its other words stay as they are. */
export function kazakhCase(phrase: string, grammaticalCase: KazakhCase): string {
  const match = /([\p{L}-]*\p{L})([^\p{L}]*)$/u.exec(phrase)
  if (!match) return phrase
  const [, word, tail] = match as unknown as [string, string, string]
  const lower = word.toLowerCase()
  const front = isFront(lower)
  // A name of two words or more ending in ы/і (сы/сі after a vowel) is in the possessive form: "… министрлігі".
  const possessive = phrase.slice(0, match.index).trim() !== '' && /[ыі]$/.test(lower)
  const ending = possessive ? POSSESSIVE[grammaticalCase][front ? 1 : 0] : ENDINGS[grammaticalCase][lastSound(lower)][front ? 1 : 0]
  return `${phrase.slice(0, match.index)}${word}${ending}${tail}`
}

/** The names a message may give a value in a case: "{due_dative} дейін", "{agency_dative}". */
const CASE_REFERENCE = /\{(\w+?)_(dative|ablative|locative|genitive|accusative|attributive)\}/g

/** The case forms a Kazakh message refers to, made from its values: { due_dative: "…желтоқсанға" }. */
export function caseValues(message: string, values: Record<string, unknown> | undefined): Record<string, string> {
  const found: Record<string, string> = {}
  for (const [reference, name, grammaticalCase] of message.matchAll(CASE_REFERENCE)) {
    const value = values?.[name!]
    if (value !== undefined && value !== null) found[reference.slice(1, -1)] = kazakhCase(String(value), grammaticalCase as KazakhCase)
  }
  return found
}
