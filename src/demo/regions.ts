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
