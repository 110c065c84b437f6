import type { MultilingualText } from '../../i18n/multilingual.ts'

/**
 * Kazakhstan's cities of republican significance and regional centres, for a map's context: a
 * map zoomed to a city's stations names the city, and the whole country shows its largest cities.
 * Coordinates are the cities' centres, to two decimals (about a kilometre).
 */
export interface City {
  name: MultilingualText
  lon: number
  lat: number
  /** Shown on a map of the whole country too. */
  major: boolean
}

export const CITIES: City[] = [
  { name: { kk: 'Астана', ru: 'Астана', en: 'Astana' }, lon: 71.45, lat: 51.17, major: true },
  { name: { kk: 'Алматы', ru: 'Алматы', en: 'Almaty' }, lon: 76.95, lat: 43.24, major: true },
  { name: { kk: 'Шымкент', ru: 'Шымкент', en: 'Shymkent' }, lon: 69.6, lat: 42.32, major: true },
  { name: { kk: 'Қарағанды', ru: 'Караганда', en: 'Karaganda' }, lon: 73.09, lat: 49.81, major: false },
  { name: { kk: 'Ақтөбе', ru: 'Актобе', en: 'Aktobe' }, lon: 57.17, lat: 50.28, major: true },
  { name: { kk: 'Тараз', ru: 'Тараз', en: 'Taraz' }, lon: 71.37, lat: 42.9, major: false },
  { name: { kk: 'Павлодар', ru: 'Павлодар', en: 'Pavlodar' }, lon: 76.97, lat: 52.29, major: false },
  { name: { kk: 'Өскемен', ru: 'Усть-Каменогорск', en: 'Oskemen' }, lon: 82.63, lat: 49.95, major: true },
  { name: { kk: 'Семей', ru: 'Семей', en: 'Semey' }, lon: 80.23, lat: 50.41, major: false },
  { name: { kk: 'Атырау', ru: 'Атырау', en: 'Atyrau' }, lon: 51.88, lat: 47.12, major: true },
  { name: { kk: 'Қостанай', ru: 'Костанай', en: 'Kostanay' }, lon: 63.62, lat: 53.21, major: true },
  { name: { kk: 'Қызылорда', ru: 'Кызылорда', en: 'Kyzylorda' }, lon: 65.51, lat: 44.85, major: false },
  { name: { kk: 'Орал', ru: 'Уральск', en: 'Oral' }, lon: 51.37, lat: 51.23, major: false },
  { name: { kk: 'Петропавл', ru: 'Петропавловск', en: 'Petropavl' }, lon: 69.15, lat: 54.87, major: false },
  { name: { kk: 'Ақтау', ru: 'Актау', en: 'Aktau' }, lon: 51.15, lat: 43.65, major: false },
  { name: { kk: 'Түркістан', ru: 'Туркестан', en: 'Turkistan' }, lon: 68.25, lat: 43.3, major: false },
  { name: { kk: 'Көкшетау', ru: 'Кокшетау', en: 'Kokshetau' }, lon: 69.38, lat: 53.28, major: false },
  { name: { kk: 'Талдықорған', ru: 'Талдыкорган', en: 'Taldykorgan' }, lon: 78.38, lat: 45.02, major: false },
  { name: { kk: 'Жезқазған', ru: 'Жезказган', en: 'Zhezkazgan' }, lon: 67.77, lat: 47.78, major: false },
  { name: { kk: 'Қонаев', ru: 'Конаев', en: 'Konaev' }, lon: 77.07, lat: 43.87, major: false },
]
