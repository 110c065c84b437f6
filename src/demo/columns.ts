import type { Db } from '../platform/db/index.ts'
import type { MultilingualText } from '../platform/i18n/multilingual.ts'
import { SYSTEM_ACTOR } from '../platform/audit/index.ts'
import { findDatastoreTable } from '../modules/data/datastore/query.ts'
import { updateDictionary } from '../modules/data/datastore/dictionary.ts'

/** The demo tables' columns as their publishers would title them in their data dictionaries. */
const TITLES: Record<string, [kk: string, ru: string, en: string]> = {
  region_code: ['Өңір коды', 'Код региона', 'Region code'],
  region_kk: ['Өңір (қазақша)', 'Регион (на казахском)', 'Region (Kazakh)'],
  region_ru: ['Өңір (орысша)', 'Регион (на русском)', 'Region (Russian)'],
  region_en: ['Өңір (ағылшынша)', 'Регион (на английском)', 'Region (English)'],
  population_total: ['Халық саны', 'Численность населения', 'Population'],
  population_urban: ['Қала халқы', 'Городское население', 'Urban population'],
  population_rural: ['Ауыл халқы', 'Сельское население', 'Rural population'],
  births: ['Туғандар', 'Родившиеся', 'Births'],
  deaths: ['Қайтыс болғандар', 'Умершие', 'Deaths'],
  tax_revenue_million_kzt: ['Салықтық түсімдер, млн теңге', 'Налоговые поступления, млн тенге', 'Tax revenue, KZT million'],
  non_tax_revenue_million_kzt: ['Салықтық емес түсімдер, млн теңге', 'Неналоговые поступления, млн тенге', 'Non-tax revenue, KZT million'],
  hospitals: ['Ауруханалар', 'Больницы', 'Hospitals'],
  beds: ['Төсек-орындар', 'Койки', 'Beds'],
  coverage_percent: ['Қамту, %', 'Охват, %', 'Coverage, %'],
  schools: ['Мектептер', 'Школы', 'Schools'],
  pupils: ['Оқушылар', 'Учащиеся', 'Pupils'],
  teachers: ['Мұғалімдер', 'Учителя', 'Teachers'],
  children_waiting: ['Кезектегі балалар', 'Дети в очереди', 'Children waiting'],
  universities: ['Жоғары оқу орындары', 'Вузы', 'Universities'],
  students: ['Студенттер', 'Студенты', 'Students'],
  unemployment_percent: ['Жұмыссыздық деңгейі, %', 'Уровень безработицы, %', 'Unemployment, %'],
  recipients: ['Алушылар', 'Получатели', 'Recipients'],
  area_thousand_ha: ['Алаңы, мың га', 'Площадь, тыс. га', 'Area, thousand ha'],
  harvest_thousand_t: ['Өнім, мың т', 'Урожай, тыс. т', 'Harvest, thousand t'],
  accidents: ['Жол-көлік оқиғалары', 'ДТП', 'Road accidents'],
  injured: ['Жараланғандар', 'Раненые', 'Injured'],
  registered: ['Тіркелген', 'Зарегистрировано', 'Registered'],
  active: ['Жұмыс істейтін', 'Действующие', 'Active'],
  areas: ['Аумақтар', 'Территории', 'Areas'],
  total: ['Барлығы', 'Всего', 'Total'],
  women: ['Әйелдер', 'Женщины', 'Women'],
  month: ['Ай', 'Месяц', 'Month'],
  quarter: ['Тоқсан', 'Квартал', 'Quarter'],
  cpi_total: ['Тұтыну бағаларының индексі', 'Индекс потребительских цен', 'Consumer price index'],
  cpi_food: ['Азық-түлік тауарлары', 'Продовольственные товары', 'Food'],
  cpi_nonfood: ['Азық-түлік емес тауарлар', 'Непродовольственные товары', 'Non-food goods'],
  cpi_services: ['Ақылы қызметтер', 'Платные услуги', 'Services'],
  planned_thousand_kzt: ['Жоспар, мың теңге', 'План, тыс. тенге', 'Planned, KZT thousand'],
  executed_thousand_kzt: ['Атқарылды, мың теңге', 'Исполнено, тыс. тенге', 'Executed, KZT thousand'],
  domestic_billion_kzt: ['Ішкі қарыз, млрд теңге', 'Внутренний долг, млрд тенге', 'Domestic debt, KZT billion'],
  external_billion_kzt: ['Сыртқы қарыз, млрд теңге', 'Внешний долг, млрд тенге', 'External debt, KZT billion'],
  coal: ['Көмір', 'Уголь', 'Coal'],
  gas: ['Газ', 'Газ', 'Gas'],
  hydro: ['Су энергиясы', 'Гидроэнергия', 'Hydro'],
  wind_solar: ['Жел және күн', 'Ветер и солнце', 'Wind and solar'],
  route: ['Бағыт', 'Маршрут', 'Route'],
  stops: ['Аялдамалар', 'Остановки', 'Stops'],
  interval_minutes: ['Жүру аралығы, мин', 'Интервал, мин', 'Interval, minutes'],
  station: ['Бекет', 'Пост наблюдения', 'Station'],
  lat: ['Ендік', 'Широта', 'Latitude'],
  lon: ['Бойлық', 'Долгота', 'Longitude'],
  pm25: ['PM2.5, мкг/м³', 'PM2.5, мкг/м³', 'PM2.5, µg/m³'],
  pm10: ['PM10, мкг/м³', 'PM10, мкг/м³', 'PM10, µg/m³'],
  code: ['Коды', 'Код', 'Code'],
  channel: ['Көрсету арнасы', 'Канал оказания', 'Channel'],
  term_days: ['Мерзімі, күн', 'Срок, дней', 'Term, days'],
  name_kk: ['Атауы (қазақша)', 'Название (на казахском)', 'Name (Kazakh)'],
  name_en: ['Атауы (ағылшынша)', 'Название (на английском)', 'Name (English)'],
  founded: ['Құрылған жылы', 'Год основания', 'Founded'],
  geometry: ['Орналасқан жері', 'Местоположение', 'Location'],
}

/** Gives every loaded demo table's columns their titles in the three languages, keeping their types. */
export async function titleDemoColumns(db: Db): Promise<void> {
  const tables = await db.query<{ resource_id: string }>('select resource_id from data_datastore where active')
  for (const { resource_id: resourceId } of tables) {
    const table = await findDatastoreTable(db, resourceId)
    if (!table.fields.some((f) => TITLES[f.id])) continue
    await updateDictionary(db, SYSTEM_ACTOR, resourceId, table.fields.map((f) => {
      const titles = TITLES[f.id]
      const title: MultilingualText = titles ? { kk: titles[0], ru: titles[1], en: titles[2] } : f.title
      return { type: f.type, title, description: f.description }
    }))
  }
}
