import { Readable } from 'node:stream'
import type { Db } from '../platform/db/index.ts'
import type { FileStore } from '../platform/files/index.ts'
import { SYSTEM_ACTOR } from '../platform/audit/index.ts'
import { textPdf } from '../platform/files/pdf.ts'
import { keepStudyAs } from '../modules/sites/studies/service.ts'

type Names = [kk: string, ru: string, en: string]
const OPERATOR = { kk: 'Азаматтық бастамаларды қолдау орталығы', ru: 'Центр поддержки гражданских инициатив', en: 'Civil Initiatives Support Centre' }

// Fifteen studies of the demo's bodies; some have no Kazakh abstract on purpose (completeness has gaps to show).
const STUDIES: Array<{ slug: string; title: Names; abstract: Partial<Record<'kk' | 'ru' | 'en', string>>; org: [string, string]; year: number; amount: string; themes: string[]; agencies: string[] }> = [
  { slug: 'medicines-in-villages', title: ['Ауылдағы дәрілердің қолжетімділігі', 'Доступность лекарств в сёлах', 'Access to medicines in villages'], abstract: { kk: '40 ауылдың 1 200 тұрғынынан дәріні қайдан сатып алатыны туралы сауалнама.', ru: 'Опрос 1 200 жителей 40 сёл о том, где они покупают лекарства.', en: 'A survey of 1,200 residents of 40 villages on where they buy medicines.' }, org: ['«Денсаулық» ҚҚ', 'ОФ «Денсаулык»'], year: 2025, amount: '12500000', themes: ['heal'], agencies: ['ministry-of-health'] },
  { slug: 'rural-doctors-retention', title: ['Ауылдағы дәрігерлерді ұстап қалу', 'Закрепление врачей на селе', 'Keeping doctors in rural areas'], abstract: { ru: 'Почему молодые врачи уезжают из сёл в первые три года и что помогает им остаться.' }, org: ['«Медицина үшін» ҚБ', 'ОО «За медицину»'], year: 2024, amount: '9800000', themes: ['heal', 'soci'], agencies: ['ministry-of-health'] },
  { slug: 'budget-hearings', title: ['Жергілікті бюджеттік тыңдаулар', 'Местные бюджетные слушания', 'Local budget hearings'], abstract: { kk: '12 ауданда бюджеттік тыңдауларға тұрғындардың қатысуы.', ru: 'Участие жителей в бюджетных слушаниях в 12 районах.', en: 'Residents taking part in budget hearings in 12 districts.' }, org: ['«Ашық бюджет» ҚҚ', 'ОФ «Открытый бюджет»'], year: 2024, amount: '7400000', themes: ['econ', 'gove'], agencies: ['ministry-of-finance'] },
  { slug: 'citizens-budget-readability', title: ['Азаматтық бюджеттің түсініктілігі', 'Понятность гражданского бюджета', 'How readable the citizens\' budget is'], abstract: { ru: 'Тест понятности гражданских бюджетов 17 регионов на 300 читателях.' }, org: ['«Ашық бюджет» ҚҚ', 'ОФ «Открытый бюджет»'], year: 2025, amount: '5200000', themes: ['econ'], agencies: ['ministry-of-finance'] },
  { slug: 'inclusive-schools', title: ['Инклюзивті мектептер', 'Инклюзивные школы', 'Inclusive schools'], abstract: { kk: 'Ерекше білім беру қажеттіліктері бар балаларды оқыту тәжірибесі.', ru: 'Опыт обучения детей с особыми образовательными потребностями.' }, org: ['«Бірге» ҚҚ', 'ОФ «Бирге»'], year: 2023, amount: '8900000', themes: ['educ', 'soci'], agencies: ['ministry-of-enlightenment'] },
  { slug: 'school-meals', title: ['Мектептегі тамақтану сапасы', 'Качество школьного питания', 'The quality of school meals'], abstract: { ru: 'Мониторинг питания в 60 школах трёх областей.' }, org: ['«Ата-аналар одағы» ҚБ', 'ОО «Союз родителей»'], year: 2025, amount: '6100000', themes: ['educ', 'heal'], agencies: ['ministry-of-enlightenment'] },
  { slug: 'youth-employment', title: ['Жастардың жұмыспен қамтылуы', 'Занятость молодёжи', 'Youth employment'], abstract: { kk: 'Колледж түлектерінің алғашқы жұмыс орны.', ru: 'Первое место работы выпускников колледжей.', en: 'College graduates\' first jobs.' }, org: ['«Жас маман» ҚҚ', 'ОФ «Жас маман»'], year: 2024, amount: '10200000', themes: ['soci', 'econ'], agencies: ['ministry-of-labour'] },
  { slug: 'pension-awareness', title: ['Зейнетақы туралы хабардарлық', 'Осведомлённость о пенсиях', 'What people know about pensions'], abstract: { ru: 'Что работающие граждане знают о своих пенсионных накоплениях.' }, org: ['«Қаржылық сауаттылық» ҚБ', 'ОО «Финансовая грамотность»'], year: 2023, amount: '4800000', themes: ['soci', 'econ'], agencies: ['ministry-of-labour'] },
  { slug: 'public-services-online', title: ['Мемлекеттік қызметтерді онлайн алу', 'Получение госуслуг онлайн', 'Getting public services online'], abstract: { kk: 'egov.kz порталының пайдаланушыларына сауалнама.', ru: 'Опрос пользователей портала egov.kz.', en: 'A survey of egov.kz users.' }, org: ['«Цифрлық азамат» ҚҚ', 'ОФ «Цифровой гражданин»'], year: 2025, amount: '11300000', themes: ['tech', 'gove'], agencies: ['ministry-of-digital-development'] },
  { slug: 'rural-internet', title: ['Ауылдағы интернет', 'Интернет на селе', 'Internet in villages'], abstract: { ru: 'Скорость и доступность мобильного интернета в 200 сёлах.' }, org: ['«Цифрлық азамат» ҚҚ', 'ОФ «Цифровой гражданин»'], year: 2024, amount: '9100000', themes: ['tech', 'regi'], agencies: ['ministry-of-digital-development'] },
  { slug: 'water-for-farms', title: ['Шаруа қожалықтарына су', 'Вода для фермерских хозяйств', 'Water for farms'], abstract: { kk: 'Суармалы жерлерді пайдалану және су үнемдеу.', ru: 'Использование орошаемых земель и экономия воды.' }, org: ['«Жер» ҚБ', 'ОО «Жер»'], year: 2023, amount: '13700000', themes: ['agri', 'envi'], agencies: ['ministry-of-agriculture'] },
  { slug: 'air-quality-cities', title: ['Қалалардағы ауа сапасы', 'Качество воздуха в городах', 'Air quality in cities'], abstract: { ru: 'Независимые замеры PM2.5 в пяти крупных городах зимой.' }, org: ['«Таза ауа» ҚҚ', 'ОФ «Чистый воздух»'], year: 2025, amount: '8200000', themes: ['envi', 'heal'], agencies: ['ministry-of-ecology'] },
  { slug: 'road-safety-schools', title: ['Мектеп маңындағы жол қауіпсіздігі', 'Безопасность дорог у школ', 'Road safety near schools'], abstract: { kk: '150 мектептің маңындағы жаяу жүргіншілер өткелдері.', ru: 'Пешеходные переходы у 150 школ.' }, org: ['«Қауіпсіз жол» ҚБ', 'ОО «Безопасная дорога»'], year: 2024, amount: '5600000', themes: ['tran', 'educ'], agencies: ['ministry-of-transport', 'ministry-of-internal-affairs'] },
  { slug: 'legal-aid-access', title: ['Тегін заң көмегінің қолжетімділігі', 'Доступность бесплатной юридической помощи', 'Access to free legal aid'], abstract: { ru: 'Кто и как получает гарантированную государством юридическую помощь.' }, org: ['«Құқық» ҚҚ', 'ОФ «Право»'], year: 2023, amount: '6900000', themes: ['just'], agencies: ['ministry-of-justice'] },
  { slug: 'open-data-use', title: ['Ашық деректерді пайдалану', 'Использование открытых данных', 'How open data is used'], abstract: { kk: 'Журналистер мен ҮЕҰ ашық деректерді қалай пайдаланады.', ru: 'Как журналисты и НПО используют открытые данные.', en: 'How journalists and NGOs use open data.' }, org: ['«Ашық деректер» ҚҚ', 'ОФ «Открытые данные»'], year: 2025, amount: '7700000', themes: ['gove', 'tech'], agencies: ['ministry-of-digital-development', 'ministry-of-finance'] },
]

/** The knowledge base: fifteen studies of the demo's bodies, kept through its own service; four with a report in Russian. */
export async function seedDemoStudies(db: Db, files: FileStore): Promise<void> {
  const known = new Set((await db.query<{ slug: string }>('select slug from agencies')).map((a) => a.slug))
  for (const [i, s] of STUDIES.entries()) {
    const study = await keepStudyAs(db, SYSTEM_ACTOR, s.slug, {
      title: { kk: s.title[0], ru: s.title[1], en: s.title[2] }, abstract: s.abstract, organisation: { kk: s.org[0], ru: s.org[1] },
      grant: { operator: OPERATOR, year: s.year, amountKzt: s.amount }, licenceId: 'cc-by', themes: s.themes, publishedOn: `${s.year + 1}-0${(i % 9) + 1}-15`,
      agencies: s.agencies.filter((a) => known.has(a)),
    })
    if (i < 4) {
      const pdf = await textPdf({ title: s.title[1], lang: 'ru', author: s.org[1], paragraphs: [s.abstract.ru ?? '', `Исследование выполнено в ${s.year} году на средства государственного гранта.`] })
      const saved = await files.save(Readable.from([pdf]))
      await db.query("insert into study_files (study_id, lang, file_key, file_name, media_type, size, sha256) values ($1, 'ru', $2, $3, 'application/pdf', $4, $5)",
        [study.id, saved.key, `${s.slug}.pdf`, saved.size, saved.checksum])
    }
  }
}
