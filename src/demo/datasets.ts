import { Readable } from 'node:stream'
import type { Queryable } from '../platform/db/index.ts'
import type { FileStore } from '../platform/files/index.ts'
import { SYSTEM_ACTOR } from '../platform/audit/index.ts'
import { insertDataset } from '../modules/data/publishing/dataset.ts'
import { insertResource } from '../modules/data/publishing/resource.ts'
import { putEntry } from '../modules/data/unified-list/service.ts'
import type { Frequency } from '../modules/data/catalog/vocabularies.ts'
import { DEMO_REGIONS } from './regions.ts'

type Three = [kk: string, ru: string, en: string]

interface DemoFile {
  name: Three
  fileName: string
  /** The file's text (CSV or JSON), made from the demo regions. */
  content: () => string
}

interface DemoDataset {
  name: string
  agency: string
  theme: string
  frequency: Frequency
  licence?: string
  title: Three
  description: Three
  keywords: { kk: string[]; ru: string[]; en: string[] }
  region?: string
  temporal?: [string, string]
  /** Days since the data last changed: past its frequency, the dataset shows as overdue. */
  ageDays: number
  files: DemoFile[]
  links?: { name: Three; url: string }[]
}

const three = ([kk, ru, en]: Three) => ({ kk, ru, en })

// A deterministic "random" number per key, so the demo is the same at every start.
function figure(key: string, min: number, max: number): number {
  let hash = 2166136261
  for (const char of key) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619)
  return min + (Math.abs(hash) % (max - min + 1))
}

/** A region's population: urban and rural add up to the total, as in the statistics they stand for. */
function population(region: string): Record<string, number> {
  const total = figure(region, 180_000, 2_300_000)
  const urban = Math.round((total * figure(`${region}-urban-share`, 35, 100)) / 100)
  return { population_total: total, population_urban: urban, population_rural: total - urban }
}

/** A part of a whole, between the given percentages of it (women of all staff, deaths of accidents…). */
function part(region: string, column: string, whole: number, minPercent: number, maxPercent: number): number {
  return Math.round((whole * figure(`${region}-${column}`, minPercent, maxPercent)) / 100)
}

function csv(rows: (string | number)[][]): string {
  return rows.map((row) => row.map((cell) => (typeof cell === 'string' && /[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : String(cell))).join(',')).join('\n') + '\n'
}

/** A table with one row per region: the code, names in three languages, then the given columns. */
function byRegion(columns: string[], value: (region: string, column: string) => number): () => string {
  return () => csv([
    ['region_code', 'region_kk', 'region_ru', 'region_en', ...columns],
    ...DEMO_REGIONS.map((r) => [r.code, r.name.kk!, r.name.ru!, r.name.en!, ...columns.map((c) => value(r.code, c))]),
  ])
}

// Monitoring stations of Almaty (approximate places, for the demo's map).
const AIR_STATIONS: Array<[string, number, number]> = [
  ['Medeu', 43.2, 76.95], ['Almaly', 43.25, 76.93], ['Bostandyk', 43.22, 76.9], ['Auezov', 43.23, 76.85], ['Turksib', 43.33, 76.97], ['Zhetysu', 43.29, 76.93],
]

// National parks and reserves (approximate centres, for the demo's map), as GeoJSON points.
function nationalParks(): string {
  const parks: Array<[string, string, number, number, number]> = [
    ['Бурабай', 'Burabay', 70.3, 53.08, 1988], ['Алтын-Эмель', 'Altyn-Emel', 78.6, 44.0, 1996], ['Шарын', 'Charyn', 79.1, 43.35, 2004],
    ['Көлсай көлдері', 'Kolsai Lakes', 78.3, 42.95, 2007], ['Іле Алатауы', 'Ile-Alatau', 77.0, 43.05, 1996], ['Баянауыл', 'Bayanaul', 75.7, 50.8, 1985],
    ['Катон-Қарағай', 'Katon-Karagay', 85.6, 49.2, 2001], ['Ақсу-Жабағылы', 'Aksu-Zhabagly', 70.6, 42.4, 1926], ['Наурзым', 'Naurzum', 64.4, 51.5, 1931],
    ['Қорғалжын', 'Korgalzhyn', 69.6, 50.5, 1968],
  ]
  return JSON.stringify({
    type: 'FeatureCollection',
    features: parks.map(([kk, en, lon, lat, founded]) => ({ type: 'Feature', properties: { name_kk: kk, name_en: en, founded }, geometry: { type: 'Point', coordinates: [lon, lat] } })),
  }, null, 1)
}

const MONTHS = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12']

export const DEMO_DATASETS: DemoDataset[] = [
  {
    name: 'population-by-region', agency: 'bureau-of-national-statistics', theme: 'soci', frequency: 'annual', ageDays: 120,
    title: ['Өңірлер бойынша халық саны', 'Численность населения по регионам', 'Population by region'],
    description: [
      'Жыл басындағы тұрақты халық саны, қала және ауыл тұрғындары бойынша.',
      'Численность постоянного населения на начало года, в том числе городского и сельского.',
      'Resident population at the start of the year, urban and rural.'],
    keywords: { kk: ['халық', 'демография'], ru: ['население', 'демография'], en: ['population', 'demography'] }, temporal: ['2024-01-01', '2024-12-31'],
    files: [{ name: ['Халық саны, 2024', 'Численность населения, 2024', 'Population, 2024'], fileName: 'population-2024.csv',
      content: byRegion(['population_total', 'population_urban', 'population_rural'], (r, c) => population(r)[c]!) }],
  },
  {
    name: 'births-and-deaths', agency: 'bureau-of-national-statistics', theme: 'soci', frequency: 'monthly', ageDays: 95,
    title: ['Туу және өлім көрсеткіштері', 'Рождаемость и смертность', 'Births and deaths'],
    description: ['Өңірлер бойынша тіркелген туу және өлім саны, ай сайын.', 'Число зарегистрированных рождений и смертей по регионам, ежемесячно.', 'Registered births and deaths by region, monthly.'],
    keywords: { kk: ['туу', 'демография'], ru: ['рождаемость', 'демография'], en: ['births', 'demography'] },
    files: [{ name: ['Туу және өлім, 2024', 'Рождения и смерти, 2024', 'Births and deaths, 2024'], fileName: 'births-deaths-2024.csv',
      content: byRegion(['births', 'deaths'], (r, c) => figure(r + c, 800, 9000)) }],
  },
  {
    name: 'consumer-price-index', agency: 'bureau-of-national-statistics', theme: 'econ', frequency: 'monthly', ageDays: 12,
    title: ['Тұтыну бағаларының индексі', 'Индекс потребительских цен', 'Consumer price index'],
    description: ['Тауарлар мен қызметтердің бағасының өзгеруі, алдыңғы айға пайызбен.', 'Изменение цен на товары и услуги, в процентах к предыдущему месяцу.', 'Change in prices of goods and services, per cent of the previous month.'],
    keywords: { kk: ['инфляция', 'баға'], ru: ['инфляция', 'цены'], en: ['inflation', 'prices'] },
    files: [{ name: ['ТБИ, 2024', 'ИПЦ, 2024', 'CPI, 2024'], fileName: 'cpi-2024.csv',
      content: () => csv([['month', 'cpi_total', 'cpi_food', 'cpi_nonfood', 'cpi_services'], ...MONTHS.map((m) => [m, ...['t', 'f', 'n', 's'].map((k) => (100 + figure(m + k, 1, 19) / 10).toFixed(1))])]) }],
  },
  {
    name: 'republican-budget-execution', agency: 'ministry-of-finance', theme: 'econ', frequency: 'monthly', ageDays: 20,
    title: ['Республикалық бюджеттің атқарылуы', 'Исполнение республиканского бюджета', 'Execution of the republican budget'],
    description: [
      'Бюджеттік бағдарламалар бойынша жоспар мен нақты шығыстар, мың теңге.',
      'План и фактические расходы по бюджетным программам, тыс. тенге.',
      'Planned and actual spending by budget programme, thousand tenge.'],
    keywords: { kk: ['бюджет', 'шығыстар'], ru: ['бюджет', 'расходы'], en: ['budget', 'spending'] },
    files: [{ name: ['Бюджеттің атқарылуы, 2024', 'Исполнение бюджета, 2024', 'Budget execution, 2024'], fileName: 'budget-execution-2024.csv',
      content: () => csv([['month', 'planned_thousand_kzt', 'executed_thousand_kzt'], ...MONTHS.map((m) => [m, figure(m, 1_500_000_000, 2_100_000_000), figure(m + 'x', 1_400_000_000, 2_000_000_000)])]) }],
  },
  {
    name: 'local-budgets-revenue', agency: 'ministry-of-finance', theme: 'econ', frequency: 'quarterly', ageDays: 160,
    title: ['Жергілікті бюджеттердің кірістері', 'Доходы местных бюджетов', 'Revenue of local budgets'],
    description: ['Өңірлер бойынша салықтық және салықтық емес түсімдер.', 'Налоговые и неналоговые поступления по регионам.', 'Tax and non-tax revenue by region.'],
    keywords: { kk: ['бюджет', 'салықтар'], ru: ['бюджет', 'налоги'], en: ['budget', 'taxes', 'revenue'] },
    files: [{ name: ['Кірістер, 2024 ж. 3-тоқсан', 'Доходы, 3 квартал 2024', 'Revenue, Q3 2024'], fileName: 'local-revenue-2024q3.csv',
      content: byRegion(['tax_revenue_million_kzt', 'non_tax_revenue_million_kzt'], (r, c) => figure(r + c, 5_000, 900_000)) }],
  },
  {
    name: 'state-debt', agency: 'ministry-of-finance', theme: 'econ', frequency: 'quarterly', ageDays: 40, licence: 'cc-zero',
    title: ['Мемлекеттік борыш', 'Государственный долг', 'Government debt'],
    description: ['Үкіметтің ішкі және сыртқы борышы, тоқсан соңындағы жағдай.', 'Внутренний и внешний долг Правительства на конец квартала.', 'Domestic and external government debt at the end of each quarter.'],
    keywords: { kk: ['борыш'], ru: ['долг'], en: ['debt'] },
    files: [{ name: ['Борыш, 2024', 'Долг, 2024', 'Debt, 2024'], fileName: 'state-debt-2024.csv',
      content: () => csv([['quarter', 'domestic_billion_kzt', 'external_billion_kzt'], ...['2024-Q1', '2024-Q2', '2024-Q3'].map((q) => [q, figure(q, 18_000, 21_000), figure(q + 'e', 9_000, 11_000)])]) }],
  },
  {
    name: 'hospitals', agency: 'ministry-of-health', theme: 'heal', frequency: 'annual', ageDays: 200,
    title: ['Ауруханалар мен төсек қоры', 'Больницы и коечный фонд', 'Hospitals and beds'],
    description: ['Өңірлер бойынша стационарлар мен төсек саны.', 'Число стационаров и коек по регионам.', 'Number of hospitals and beds by region.'],
    keywords: { kk: ['ауруханалар', 'денсаулық сақтау'], ru: ['больницы', 'здравоохранение'], en: ['hospitals', 'healthcare'] },
    files: [{ name: ['Ауруханалар, 2024', 'Больницы, 2024', 'Hospitals, 2024'], fileName: 'hospitals-2024.csv',
      content: byRegion(['hospitals', 'beds'], (r, c) => c === 'beds' ? figure(r + c, 900, 14_000) : figure(r + c, 12, 160)) }],
  },
  {
    name: 'vaccination-coverage', agency: 'ministry-of-health', theme: 'heal', frequency: 'quarterly', ageDays: 150,
    title: ['Вакцинациямен қамту', 'Охват вакцинацией', 'Vaccination coverage'],
    description: ['Балаларды жоспарлы егумен қамту, пайызбен.', 'Охват детей плановой вакцинацией, в процентах.', 'Coverage of children by scheduled vaccination, per cent.'],
    keywords: { kk: ['егу'], ru: ['вакцинация'], en: ['vaccination'] },
    files: [{ name: ['Қамту, 2024', 'Охват, 2024', 'Coverage, 2024'], fileName: 'vaccination-2024.csv',
      content: byRegion(['coverage_percent'], (r) => figure(r, 880, 995) / 10) }],
  },
  {
    name: 'schools', agency: 'ministry-of-enlightenment', theme: 'educ', frequency: 'annual', ageDays: 80,
    title: ['Жалпы білім беретін мектептер', 'Общеобразовательные школы', 'General education schools'],
    description: [
      'Өңірлер бойынша мектептер, оқушылар мен мұғалімдер саны, оқу жылының басында.',
      'Число школ, учащихся и учителей по регионам на начало учебного года.',
      'Schools, pupils and teachers by region at the start of the school year.'],
    keywords: { kk: ['мектептер', 'білім беру'], ru: ['школы', 'образование'], en: ['schools', 'education'] },
    files: [{ name: ['Мектептер, 2024-2025', 'Школы, 2024-2025', 'Schools, 2024-2025'], fileName: 'schools-2024.csv',
      content: byRegion(['schools', 'pupils', 'teachers'], (r, c) => {
        const pupils = figure(`${r}pupils`, 9_000, 420_000)
        return c === 'schools' ? figure(r + c, 150, 900) : c === 'pupils' ? pupils : part(r, c, pupils, 6, 9)
      }) }],
  },
  {
    name: 'kindergarten-queue', agency: 'ministry-of-enlightenment', theme: 'educ', frequency: 'monthly', ageDays: 70,
    title: ['Балабақшаға кезек', 'Очередь в детские сады', 'Kindergarten waiting list'],
    description: ['Мектепке дейінгі ұйымдарға кезекте тұрған балалар саны.', 'Число детей в очереди в дошкольные организации.', 'Children waiting for a place in pre-school organisations.'],
    keywords: { kk: ['балабақша'], ru: ['детские сады'], en: ['kindergartens'] },
    files: [{ name: ['Кезек', 'Очередь', 'Waiting list'], fileName: 'kindergarten-queue.csv',
      content: byRegion(['children_waiting'], (r) => figure(r, 300, 25_000)) }],
  },
  {
    name: 'universities', agency: 'ministry-of-science-and-higher-education', theme: 'educ', frequency: 'annual', ageDays: 300,
    title: ['Жоғары оқу орындары', 'Высшие учебные заведения', 'Higher education institutions'],
    description: ['Жоғары оқу орындарының тізімі, студенттер саны.', 'Перечень вузов и число студентов.', 'List of universities and their students.'],
    keywords: { kk: ['жоғары оқу орындары', 'студенттер'], ru: ['вузы', 'студенты'], en: ['universities', 'students'] },
    files: [{ name: ['ЖОО, 2024', 'Вузы, 2024', 'Universities, 2024'], fileName: 'universities-2024.csv',
      content: byRegion(['universities', 'students'], (r, c) => c === 'students' ? figure(r + c, 1_000, 160_000) : figure(r + c, 1, 40)) }],
  },
  {
    name: 'unemployment', agency: 'ministry-of-labour', theme: 'soci', frequency: 'quarterly', ageDays: 30,
    title: ['Жұмыссыздық деңгейі', 'Уровень безработицы', 'Unemployment rate'],
    description: ['Өңірлер бойынша жұмыссыздық деңгейі, пайызбен.', 'Уровень безработицы по регионам, в процентах.', 'Unemployment rate by region, per cent.'],
    keywords: { kk: ['жұмыссыздық', 'еңбек'], ru: ['безработица', 'труд'], en: ['unemployment', 'labour'] },
    files: [{ name: ['Жұмыссыздық, 2024 ж. 3-тоқсан', 'Безработица, 3 квартал 2024', 'Unemployment, Q3 2024'], fileName: 'unemployment-2024q3.csv',
      content: byRegion(['unemployment_percent'], (r) => figure(r, 42, 52) / 10) }],
  },
  {
    name: 'social-payments', agency: 'ministry-of-labour', theme: 'soci', frequency: 'monthly', ageDays: 110,
    title: ['Әлеуметтік төлемдер алушылар', 'Получатели социальных выплат', 'Recipients of social payments'],
    description: ['Мемлекеттік әлеуметтік жәрдемақы алушылар саны.', 'Число получателей государственных социальных пособий.', 'Recipients of state social benefits.'],
    keywords: { kk: ['жәрдемақы'], ru: ['пособия'], en: ['benefits'] },
    files: [{ name: ['Алушылар', 'Получатели', 'Recipients'], fileName: 'social-payments.csv',
      content: byRegion(['recipients'], (r) => figure(r, 20_000, 300_000)) }],
  },
  {
    name: 'grain-harvest', agency: 'ministry-of-agriculture', theme: 'agri', frequency: 'annual', ageDays: 60,
    title: ['Астық түсімі', 'Урожай зерновых', 'Grain harvest'],
    description: ['Өңірлер бойынша астық түсімі мен егіс алқабы.', 'Валовой сбор зерновых и посевная площадь по регионам.', 'Grain harvest and sown area by region.'],
    keywords: { kk: ['астық', 'егін'], ru: ['зерно', 'урожай'], en: ['grain', 'harvest'] },
    files: [{ name: ['Түсім, 2024', 'Урожай, 2024', 'Harvest, 2024'], fileName: 'grain-2024.csv',
      // Harvest is the area times a yield of 0.8–3 t/ha.
      content: byRegion(['area_thousand_ha', 'harvest_thousand_t'], (r, c) => {
        const area = figure(`${r}area`, 5, 5_000)
        return c === 'area_thousand_ha' ? area : part(r, c, area, 80, 300)
      }) }],
  },
  {
    name: 'electricity-generation', agency: 'ministry-of-energy', theme: 'ener', frequency: 'monthly', ageDays: 15,
    title: ['Электр энергиясын өндіру', 'Производство электроэнергии', 'Electricity generation'],
    description: ['Электр станцияларының түрлері бойынша өндіру, млн кВт·сағ.', 'Выработка по типам электростанций, млн кВт·ч.', 'Generation by type of power plant, million kWh.'],
    keywords: { kk: ['электр энергиясы', 'энергетика'], ru: ['электроэнергия', 'энергетика'], en: ['electricity', 'energy'] },
    files: [{ name: ['Өндіру, 2024', 'Выработка, 2024', 'Generation, 2024'], fileName: 'electricity-2024.csv',
      content: () => csv([['month', 'coal', 'gas', 'hydro', 'wind_solar'], ...MONTHS.map((m) => [m, figure(m + 'c', 5000, 7000), figure(m + 'g', 1500, 2500), figure(m + 'h', 500, 1200), figure(m + 'w', 200, 700)])]) }],
  },
  {
    name: 'road-accidents', agency: 'ministry-of-internal-affairs', theme: 'just', frequency: 'monthly', ageDays: 45,
    title: ['Жол-көлік оқиғалары', 'Дорожно-транспортные происшествия', 'Road traffic accidents'],
    description: ['Өңірлер бойынша тіркелген ЖКО, қаза тапқандар мен жараланғандар.', 'Зарегистрированные ДТП, погибшие и раненые по регионам.', 'Registered road accidents, deaths and injuries by region.'],
    keywords: { kk: ['жко', 'қауіпсіздік'], ru: ['дтп', 'безопасность'], en: ['road accidents', 'safety'] },
    files: [{ name: ['ЖКО, 2024', 'ДТП, 2024', 'Accidents, 2024'], fileName: 'road-accidents-2024.csv',
      content: byRegion(['accidents', 'deaths', 'injured'], (r, c) => {
        const accidents = figure(`${r}accidents`, 20, 3000)
        return c === 'accidents' ? accidents : c === 'deaths' ? part(r, c, accidents, 5, 20) : part(r, c, accidents, 110, 140)
      }) }],
  },
  {
    name: 'bus-routes-astana', agency: 'akimat-astana', theme: 'tran', frequency: 'irregular', ageDays: 400, region: 'astana',
    title: ['Астана қаласының автобус бағыттары', 'Автобусные маршруты города Астаны', 'Bus routes of Astana'],
    description: ['Қалалық автобус бағыттары, аялдамалар саны және жүру аралығы.', 'Городские автобусные маршруты, число остановок и интервал движения.', 'City bus routes, number of stops and service interval.'],
    keywords: { kk: ['көлік', 'автобустар'], ru: ['транспорт', 'автобусы'], en: ['transport', 'buses'] },
    files: [{ name: ['Бағыттар', 'Маршруты', 'Routes'], fileName: 'bus-routes-astana.csv',
      content: () => csv([['route', 'stops', 'interval_minutes'], ...Array.from({ length: 30 }, (_, i) => [String(i + 1), figure(`s${i}`, 15, 60), figure(`i${i}`, 5, 25)])]) }],
  },
  {
    name: 'air-quality-almaty', agency: 'akimat-almaty', theme: 'envi', frequency: 'daily', ageDays: 9, region: 'almaty',
    title: ['Алматы қаласының ауа сапасы', 'Качество воздуха в Алматы', 'Air quality in Almaty'],
    description: ['Бақылау бекеттеріндегі PM2.5 және PM10 орташа тәуліктік шоғырлануы.', 'Среднесуточные концентрации PM2.5 и PM10 на постах наблюдения.', 'Daily average PM2.5 and PM10 at monitoring stations.'],
    keywords: { kk: ['ауа', 'экология'], ru: ['воздух', 'экология'], en: ['air quality', 'ecology'] },
    files: [{ name: ['Ауа сапасы', 'Качество воздуха', 'Air quality'], fileName: 'air-quality-almaty.csv',
      content: () => csv([['station', 'lat', 'lon', 'pm25', 'pm10'], ...AIR_STATIONS.map(([s, lat, lon]) => [s, lat, lon, figure(s, 10, 120), figure(s + '10', 20, 200)])]) }],
  },
  {
    name: 'public-services-registry', agency: 'ministry-of-digital-development', theme: 'gove', frequency: 'irregular', ageDays: 30,
    title: ['Мемлекеттік көрсетілетін қызметтер тізілімі', 'Реестр государственных услуг', 'Register of public services'],
    description: ['Мемлекеттік қызметтердің тізбесі, көрсету мерзімі мен арналары.', 'Перечень государственных услуг, сроки и каналы оказания.', 'List of public services with their terms and channels.'],
    keywords: { kk: ['мемлекеттік қызметтер', 'egov'], ru: ['госуслуги', 'egov'], en: ['public services', 'egov'] },
    files: [{ name: ['Тізілім', 'Реестр', 'Register'], fileName: 'public-services.csv',
      content: () => csv([['code', 'channel', 'term_days'], ...Array.from({ length: 40 }, (_, i) => [`00${100 + i}`, ['egov', 'ЦОН', 'bank'][i % 3]!, figure(`t${i}`, 1, 30)])]) }],
    links: [{ name: ['egov.kz порталы', 'Портал egov.kz', 'The egov.kz portal'], url: 'https://egov.kz/cms/ru/services' }],
  },
  {
    name: 'registered-legal-entities', agency: 'ministry-of-justice', theme: 'econ', frequency: 'monthly', ageDays: 75,
    title: ['Тіркелген заңды тұлғалар', 'Зарегистрированные юридические лица', 'Registered legal entities'],
    description: ['Өңірлер бойынша тіркелген және жұмыс істеп тұрған заңды тұлғалар саны.', 'Число зарегистрированных и действующих юридических лиц по регионам.', 'Registered and active legal entities by region.'],
    keywords: { kk: ['бизнес', 'заңды тұлғалар'], ru: ['бизнес', 'юрлица'], en: ['business', 'legal entities'] },
    files: [{ name: ['Заңды тұлғалар', 'Юридические лица', 'Legal entities'], fileName: 'legal-entities.csv',
      content: byRegion(['registered', 'active'], (r, c) => {
        const registered = figure(`${r}registered`, 3_000, 120_000)
        return c === 'registered' ? registered : part(r, c, registered, 40, 90)
      }) }],
  },
  {
    name: 'protected-areas', agency: 'ministry-of-ecology', theme: 'envi', frequency: 'annual', ageDays: 500,
    title: ['Ерекше қорғалатын табиғи аумақтар', 'Особо охраняемые природные территории', 'Protected natural areas'],
    description: ['Қорықтар мен ұлттық парктер, аудандары.', 'Заповедники и национальные парки, их площадь.', 'Nature reserves and national parks with their area.'],
    keywords: { kk: ['табиғат', 'экология'], ru: ['заповедники', 'экология'], en: ['nature reserves', 'ecology'] },
    files: [
      { name: ['Аумақтар', 'Территории', 'Areas'], fileName: 'protected-areas.csv', content: byRegion(['areas', 'area_thousand_ha'], (r, c) => {
        const areas = figure(`${r}areas`, 0, 12)
        return c === 'areas' ? areas : areas === 0 ? 0 : figure(r + c, 10 * areas, 150 * areas)
      }) },
      { name: ['Ұлттық парктер картада', 'Национальные парки на карте', 'National parks on a map'], fileName: 'national-parks.geojson', content: nationalParks },
    ],
  },
  {
    name: 'civil-servants', agency: 'agency-for-civil-service-affairs', theme: 'gove', frequency: 'annual', ageDays: 100,
    title: ['Мемлекеттік қызметшілер саны', 'Численность государственных служащих', 'Number of civil servants'],
    description: ['Өңірлер бойынша мемлекеттік қызметшілер, оның ішінде әйелдер.', 'Государственные служащие по регионам, в том числе женщины.', 'Civil servants by region, women among them.'],
    keywords: { kk: ['мемлекеттік қызмет', 'кадрлар'], ru: ['госслужба', 'кадры'], en: ['civil service', 'staff'] },
    files: [{ name: ['Қызметшілер, 2024', 'Служащие, 2024', 'Civil servants, 2024'], fileName: 'civil-servants-2024.csv',
      content: byRegion(['total', 'women'], (r, c) => {
        const total = figure(`${r}total`, 2_000, 14_000)
        return c === 'total' ? total : part(r, c, total, 45, 75)
      }) }],
  },
]

const DAY_MS = 24 * 60 * 60 * 1000

/** Publishes the demo datasets (files into the store), their data as old as each one's ageDays. */
export async function seedDemoDatasets(tx: Queryable, files: FileStore, now: Date = new Date()): Promise<number> {
  for (const demo of DEMO_DATASETS) {
    const changedAt = new Date(now.getTime() - demo.ageDays * DAY_MS)
    const created = new Date(changedAt.getTime() - 400 * DAY_MS)
    const id = await insertDataset(tx, SYSTEM_ACTOR, {
      name: demo.name, agencySlug: demo.agency, title: three(demo.title), description: three(demo.description), themeCode: demo.theme,
      keywords: demo.keywords, licenceId: demo.licence ?? 'cc-by', frequency: demo.frequency, regionCode: demo.region ?? null,
      temporalStart: demo.temporal?.[0] ?? null, temporalEnd: demo.temporal?.[1] ?? null,
      contactName: { kk: 'Ашық деректер бөлімі', ru: 'Отдел открытых данных', en: 'Open data office' }, contactEmail: 'opendata@gov.kz',
    }, created)
    for (const file of demo.files) {
      const content = file.content()
      const stored = await files.save(Readable.from([Buffer.from(content)]))
      await insertResource(tx, SYSTEM_ACTOR, id, { name: three(file.name) }, { ...stored, fileName: file.fileName, mediaType: file.fileName.endsWith('.csv') ? 'text/csv' : file.fileName.endsWith('.geojson') ? 'application/geo+json' : 'application/json' })
    }
    for (const link of demo.links ?? []) await insertResource(tx, SYSTEM_ACTOR, id, { name: three(link.name), url: link.url, format: 'HTML' })
    // The demo's history: the data last changed ageDays ago.
    await tx.query('update datasets set data_updated_at = $2, updated_at = $2 where id = $1', [id, changedAt])
    await tx.query('update data_resources set last_modified = $2, created_at = $2, updated_at = $2 where dataset_id = $1', [id, changedAt])
  }
  return DEMO_DATASETS.length
}

// The Unified List of the demo: most entries fulfilled by a demo dataset (some of them overdue),
// a few not published at all.
const DEMO_LIST: { code: string; agency: string; dataset?: string; frequency?: Frequency; title?: Three; firstDeadline: string }[] = [
  { code: 'BNS-001', agency: 'bureau-of-national-statistics', dataset: 'population-by-region', firstDeadline: '2024-04-01' },
  { code: 'BNS-002', agency: 'bureau-of-national-statistics', dataset: 'births-and-deaths', firstDeadline: '2024-02-15' },
  { code: 'BNS-003', agency: 'bureau-of-national-statistics', dataset: 'consumer-price-index', firstDeadline: '2024-02-10' },
  { code: 'BNS-004', agency: 'bureau-of-national-statistics', frequency: 'quarterly', firstDeadline: '2025-05-15',
    title: ['Өңірлер бойынша жалпы өңірлік өнім', 'Валовой региональный продукт по регионам', 'Gross regional product by region'] },
  { code: 'MF-001', agency: 'ministry-of-finance', dataset: 'republican-budget-execution', firstDeadline: '2024-02-20' },
  { code: 'MF-002', agency: 'ministry-of-finance', dataset: 'local-budgets-revenue', firstDeadline: '2024-05-01' },
  { code: 'MF-003', agency: 'ministry-of-finance', dataset: 'state-debt', firstDeadline: '2024-04-30' },
  { code: 'MF-004', agency: 'ministry-of-finance', frequency: 'annual', firstDeadline: '2025-06-01',
    title: ['Мемлекеттік сатып алу жоспарлары', 'Планы государственных закупок', 'Public procurement plans'] },
  { code: 'MH-001', agency: 'ministry-of-health', dataset: 'hospitals', firstDeadline: '2024-03-01' },
  { code: 'MH-002', agency: 'ministry-of-health', dataset: 'vaccination-coverage', firstDeadline: '2024-04-15' },
  { code: 'ME-001', agency: 'ministry-of-enlightenment', dataset: 'schools', firstDeadline: '2024-10-01' },
  { code: 'ME-002', agency: 'ministry-of-enlightenment', dataset: 'kindergarten-queue', firstDeadline: '2024-02-05' },
  { code: 'MEd-001', agency: 'ministry-of-science-and-higher-education', dataset: 'universities', firstDeadline: '2024-11-01' },
  { code: 'ML-001', agency: 'ministry-of-labour', dataset: 'unemployment', firstDeadline: '2024-05-20' },
  { code: 'ML-002', agency: 'ministry-of-labour', dataset: 'social-payments', firstDeadline: '2024-02-10' },
  { code: 'MA-001', agency: 'ministry-of-agriculture', dataset: 'grain-harvest', firstDeadline: '2024-12-01' },
  { code: 'MEn-001', agency: 'ministry-of-energy', dataset: 'electricity-generation', firstDeadline: '2024-02-15' },
  { code: 'MIA-001', agency: 'ministry-of-internal-affairs', dataset: 'road-accidents', firstDeadline: '2024-02-15' },
  { code: 'MIA-002', agency: 'ministry-of-internal-affairs', frequency: 'monthly', firstDeadline: '2025-01-15',
    title: ['Тіркелген қылмыстар', 'Зарегистрированные преступления', 'Registered crimes'] },
  { code: 'MJ-001', agency: 'ministry-of-justice', dataset: 'registered-legal-entities', firstDeadline: '2024-02-10' },
  { code: 'MEc-001', agency: 'ministry-of-ecology', dataset: 'protected-areas', firstDeadline: '2024-06-01' },
  { code: 'MDD-001', agency: 'ministry-of-digital-development', dataset: 'public-services-registry', firstDeadline: '2024-03-01' },
  { code: 'ACS-001', agency: 'agency-for-civil-service-affairs', dataset: 'civil-servants', firstDeadline: '2024-03-01' },
  { code: 'AST-001', agency: 'akimat-astana', dataset: 'bus-routes-astana', firstDeadline: '2024-06-01' },
  { code: 'ALA-001', agency: 'akimat-almaty', dataset: 'air-quality-almaty', firstDeadline: '2024-01-10' },
  { code: 'ALA-002', agency: 'akimat-almaty', frequency: 'annual', firstDeadline: '2026-12-31',
    title: ['Алматы қаласының жасыл желектері', 'Зелёные насаждения Алматы', 'Green spaces of Almaty'] },
]

/** Loads the demo's Unified List (after its datasets). */
export async function seedDemoList(tx: Queryable): Promise<number> {
  for (const entry of DEMO_LIST) {
    const dataset = entry.dataset ? DEMO_DATASETS.find((d) => d.name === entry.dataset)! : undefined
    await putEntry(tx, SYSTEM_ACTOR, {
      code: entry.code, agencySlug: entry.agency, title: three(entry.title ?? dataset!.title), frequency: entry.frequency ?? dataset!.frequency,
      firstDeadline: entry.firstDeadline, datasetName: entry.dataset ?? null,
    })
  }
  return DEMO_LIST.length
}
