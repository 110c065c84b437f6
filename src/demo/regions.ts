import type { MultilingualText } from '../platform/i18n/multilingual.ts'

/** A region (oblys) or a city of republican significance, with the words its akimat's name needs. */
export interface DemoRegion {
  code: string
  kind: 'region' | 'city'
  name: MultilingualText
  centre: MultilingualText
  /** The Russian name in the genitive, as in "Акимат Акмолинской области". */
  ruGenitive: string
}

function region(code: string, kk: string, ru: string, en: string, ruGenitive: string, centre: [string, string, string]): DemoRegion {
  return { code, kind: 'region', name: { kk, ru, en }, centre: { kk: centre[0], ru: centre[1], en: centre[2] }, ruGenitive }
}

function city(code: string, kk: string, ru: string, en: string, ruGenitive: string): DemoRegion {
  return { code, kind: 'city', name: { kk, ru, en }, centre: { kk, ru, en }, ruGenitive }
}

/** Kazakhstan's 17 regions (since 2022) and 3 cities of republican significance. */
export const DEMO_REGIONS: DemoRegion[] = [
  region('abai', 'Абай облысы', 'область Абай', 'Abai Region', 'области Абай', ['Семей', 'Семей', 'Semey']),
  region('akmola', 'Ақмола облысы', 'Акмолинская область', 'Akmola Region', 'Акмолинской области', ['Көкшетау', 'Кокшетау', 'Kokshetau']),
  region('aktobe', 'Ақтөбе облысы', 'Актюбинская область', 'Aktobe Region', 'Актюбинской области', ['Ақтөбе', 'Актобе', 'Aktobe']),
  region('almaty-region', 'Алматы облысы', 'Алматинская область', 'Almaty Region', 'Алматинской области', ['Қонаев', 'Конаев', 'Konaev']),
  region('atyrau', 'Атырау облысы', 'Атырауская область', 'Atyrau Region', 'Атырауской области', ['Атырау', 'Атырау', 'Atyrau']),
  region('east-kazakhstan', 'Шығыс Қазақстан облысы', 'Восточно-Казахстанская область', 'East Kazakhstan Region', 'Восточно-Казахстанской области', ['Өскемен', 'Усть-Каменогорск', 'Oskemen']),
  region('zhambyl', 'Жамбыл облысы', 'Жамбылская область', 'Zhambyl Region', 'Жамбылской области', ['Тараз', 'Тараз', 'Taraz']),
  region('zhetisu', 'Жетісу облысы', 'область Жетісу', 'Zhetisu Region', 'области Жетісу', ['Талдықорған', 'Талдыкорган', 'Taldykorgan']),
  region('west-kazakhstan', 'Батыс Қазақстан облысы', 'Западно-Казахстанская область', 'West Kazakhstan Region', 'Западно-Казахстанской области', ['Орал', 'Уральск', 'Oral']),
  region('karaganda', 'Қарағанды облысы', 'Карагандинская область', 'Karaganda Region', 'Карагандинской области', ['Қарағанды', 'Караганда', 'Karaganda']),
  region('kostanay', 'Қостанай облысы', 'Костанайская область', 'Kostanay Region', 'Костанайской области', ['Қостанай', 'Костанай', 'Kostanay']),
  region('kyzylorda', 'Қызылорда облысы', 'Кызылординская область', 'Kyzylorda Region', 'Кызылординской области', ['Қызылорда', 'Кызылорда', 'Kyzylorda']),
  region('mangystau', 'Маңғыстау облысы', 'Мангистауская область', 'Mangystau Region', 'Мангистауской области', ['Ақтау', 'Актау', 'Aktau']),
  region('pavlodar', 'Павлодар облысы', 'Павлодарская область', 'Pavlodar Region', 'Павлодарской области', ['Павлодар', 'Павлодар', 'Pavlodar']),
  region('north-kazakhstan', 'Солтүстік Қазақстан облысы', 'Северо-Казахстанская область', 'North Kazakhstan Region', 'Северо-Казахстанской области', ['Петропавл', 'Петропавловск', 'Petropavl']),
  region('turkistan', 'Түркістан облысы', 'Туркестанская область', 'Turkistan Region', 'Туркестанской области', ['Түркістан', 'Туркестан', 'Turkistan']),
  region('ulytau', 'Ұлытау облысы', 'область Ұлытау', 'Ulytau Region', 'области Ұлытау', ['Жезқазған', 'Жезказган', 'Zhezkazgan']),
  city('astana', 'Астана қаласы', 'город Астана', 'Astana', 'города Астаны'),
  city('almaty', 'Алматы қаласы', 'город Алматы', 'Almaty', 'города Алматы'),
  city('shymkent', 'Шымкент қаласы', 'город Шымкент', 'Shymkent', 'города Шымкента'),
]

/**
 * How many people live in each, rounded to thousands (approximate figures of the start of 2025, for the
 * demo): a petition to a regional akimat or maslikhat needs a share of them.
 */
export const DEMO_POPULATION: Record<string, number> = {
  'abai': 605_000, 'akmola': 785_000, 'aktobe': 930_000, 'almaty-region': 1_540_000, 'atyrau': 700_000,
  'east-kazakhstan': 717_000, 'zhambyl': 1_220_000, 'zhetisu': 700_000, 'west-kazakhstan': 693_000,
  'karaganda': 1_130_000, 'kostanay': 830_000, 'kyzylorda': 845_000, 'mangystau': 775_000,
  'pavlodar': 751_000, 'north-kazakhstan': 530_000, 'turkistan': 2_140_000, 'ulytau': 221_000,
  'astana': 1_423_000, 'almaty': 2_291_000, 'shymkent': 1_222_000,
}
