import type { NewAgency } from '../modules/agencies/edit-agency.ts'
import type { MultilingualText } from '../platform/i18n/multilingual.ts'
import { DEMO_REGIONS } from './regions.ts'
import { BLOGS } from './dialogue.ts'

// Heads are illustrative names, not the real office holders: demo data must not go stale or
// misattribute. The structure of bodies, their names and seats are real.
const HEADS: [string, string, string][] = [
  ['Асқар Нұрланұлы Жақсылықов', 'Аскар Нурланович Жаксылыков', 'Askar Zhaksylykov'],
  ['Айгүл Серікқызы Омарова', 'Айгуль Сериковна Омарова', 'Aigul Omarova'],
  ['Ерлан Бақытжанұлы Сәрсенов', 'Ерлан Бахытжанович Сарсенов', 'Yerlan Sarsenov'],
  ['Динара Маратқызы Әбдірахманова', 'Динара Маратовна Абдрахманова', 'Dinara Abdrakhmanova'],
  ['Нұржан Қайратұлы Есенов', 'Нуржан Кайратович Есенов', 'Nurzhan Yessenov'],
  ['Гүлнар Ержанқызы Темірбекова', 'Гульнар Ержановна Темирбекова', 'Gulnar Temirbekova'],
  ['Бауыржан Серікұлы Ахметов', 'Бауыржан Серикович Ахметов', 'Baurzhan Akhmetov'],
  ['Сәуле Төлегенқызы Мұқанова', 'Сауле Тулегеновна Муканова', 'Saule Mukanova'],
  ['Дәурен Асқарұлы Қасымов', 'Даурен Аскарович Касымов', 'Dauren Kassymov'],
  ['Жанар Болатқызы Исаева', 'Жанар Болатовна Исаева', 'Zhanar Issayeva'],
  ['Талғат Мұратұлы Байжанов', 'Талгат Муратович Байжанов', 'Talgat Baizhanov'],
  ['Ләззат Нұрланқызы Жұмабаева', 'Ляззат Нурлановна Жумабаева', 'Lyazzat Zhumabayeva'],
  ['Қанат Ерболұлы Оспанов', 'Канат Ерболович Оспанов', 'Kanat Ospanov'],
]

function head(index: number): MultilingualText {
  const [kk, ru, en] = HEADS[index % HEADS.length]!
  return { kk, ru, en }
}

const HOUSE_OF_MINISTRIES: MultilingualText = {
  kk: 'Астана қ., Мәңгілік Ел даңғылы, 8, Министрліктер үйі',
  ru: 'г. Астана, проспект Мәңгілік Ел, 8, Дом министерств',
  en: 'House of Ministries, 8 Mangilik Yel Avenue, Astana',
}

const MINISTER: MultilingualText = { kk: 'Министр', ru: 'Министр', en: 'Minister' }
const CHAIR: MultilingualText = { kk: 'Төраға', ru: 'Председатель', en: 'Chairperson' }
const BOARD_CHAIR: MultilingualText = { kk: 'Басқарма төрағасы', ru: 'Председатель правления', en: 'Chairperson of the Management Board' }

type Names = [kk: string, ru: string, en: string]

function central(slug: string, [kk, ru, en]: Names, site: string, extra: Partial<NewAgency> = {}): NewAgency {
  return {
    slug,
    kind: 'central',
    name: { kk, ru, en },
    headTitle: MINISTER,
    address: HOUSE_OF_MINISTRIES,
    website: `https://www.gov.kz/memleket/entities/${site}`,
    email: `kense@${site}.gov.kz`,
    phone: '+7 7172 74 00 00',
    regionCode: 'astana',
    ...extra,
  }
}

const MINISTRIES: NewAgency[] = [
  central('ministry-of-finance', ['Қазақстан Республикасының Қаржы министрлігі', 'Министерство финансов Республики Казахстан', 'Ministry of Finance of the Republic of Kazakhstan'], 'minfin'),
  central('ministry-of-national-economy', ['Қазақстан Республикасының Ұлттық экономика министрлігі', 'Министерство национальной экономики Республики Казахстан', 'Ministry of National Economy of the Republic of Kazakhstan'], 'economy'),
  central('ministry-of-health', ['Қазақстан Республикасының Денсаулық сақтау министрлігі', 'Министерство здравоохранения Республики Казахстан', 'Ministry of Health of the Republic of Kazakhstan'], 'dsm'),
  central('ministry-of-enlightenment', ['Қазақстан Республикасының Оқу-ағарту министрлігі', 'Министерство просвещения Республики Казахстан', 'Ministry of Enlightenment of the Republic of Kazakhstan'], 'edu'),
  central('ministry-of-science-and-higher-education', ['Қазақстан Республикасының Ғылым және жоғары білім министрлігі', 'Министерство науки и высшего образования Республики Казахстан', 'Ministry of Science and Higher Education of the Republic of Kazakhstan'], 'sci'),
  central('ministry-of-justice', ['Қазақстан Республикасының Әділет министрлігі', 'Министерство юстиции Республики Казахстан', 'Ministry of Justice of the Republic of Kazakhstan'], 'adilet'),
  central('ministry-of-digital-development', ['Қазақстан Республикасының Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі', 'Министерство цифрового развития, инноваций и аэрокосмической промышленности Республики Казахстан', 'Ministry of Digital Development, Innovations and Aerospace Industry of the Republic of Kazakhstan'], 'mdai'),
  central('ministry-of-labour', ['Қазақстан Республикасының Еңбек және халықты әлеуметтік қорғау министрлігі', 'Министерство труда и социальной защиты населения Республики Казахстан', 'Ministry of Labour and Social Protection of the Population of the Republic of Kazakhstan'], 'enbek'),
  central('ministry-of-agriculture', ['Қазақстан Республикасының Ауыл шаруашылығы министрлігі', 'Министерство сельского хозяйства Республики Казахстан', 'Ministry of Agriculture of the Republic of Kazakhstan'], 'moa'),
  central('ministry-of-energy', ['Қазақстан Республикасының Энергетика министрлігі', 'Министерство энергетики Республики Казахстан', 'Ministry of Energy of the Republic of Kazakhstan'], 'energo'),
  central('ministry-of-transport', ['Қазақстан Республикасының Көлік министрлігі', 'Министерство транспорта Республики Казахстан', 'Ministry of Transport of the Republic of Kazakhstan'], 'transport'),
  central('ministry-of-ecology', ['Қазақстан Республикасының Экология және табиғи ресурстар министрлігі', 'Министерство экологии и природных ресурсов Республики Казахстан', 'Ministry of Ecology and Natural Resources of the Republic of Kazakhstan'], 'ecogeo'),
  central('ministry-of-culture-and-information', ['Қазақстан Республикасының Мәдениет және ақпарат министрлігі', 'Министерство культуры и информации Республики Казахстан', 'Ministry of Culture and Information of the Republic of Kazakhstan'], 'mam'),
  central('ministry-of-internal-affairs', ['Қазақстан Республикасының Ішкі істер министрлігі', 'Министерство внутренних дел Республики Казахстан', 'Ministry of Internal Affairs of the Republic of Kazakhstan'], 'qriim', {
    address: { kk: 'Астана қ., Тәуелсіздік даңғылы, 1', ru: 'г. Астана, проспект Тәуелсіздік, 1', en: '1 Tauelsizdik Avenue, Astana' },
  }),
  central('ministry-of-foreign-affairs', ['Қазақстан Республикасының Сыртқы істер министрлігі', 'Министерство иностранных дел Республики Казахстан', 'Ministry of Foreign Affairs of the Republic of Kazakhstan'], 'mfa', {
    address: { kk: 'Астана қ., Қонаев көшесі, 31', ru: 'г. Астана, улица Қонаева, 31', en: '31 Kunayev Street, Astana' },
  }),
  central('ministry-of-emergency-situations', ['Қазақстан Республикасының Төтенше жағдайлар министрлігі', 'Министерство по чрезвычайным ситуациям Республики Казахстан', 'Ministry of Emergency Situations of the Republic of Kazakhstan'], 'emer'),
  central('ministry-of-industry-and-construction', ['Қазақстан Республикасының Өнеркәсіп және құрылыс министрлігі', 'Министерство промышленности и строительства Республики Казахстан', 'Ministry of Industry and Construction of the Republic of Kazakhstan'], 'mps'),
  central('ministry-of-trade-and-integration', ['Қазақстан Республикасының Сауда және интеграция министрлігі', 'Министерство торговли и интеграции Республики Казахстан', 'Ministry of Trade and Integration of the Republic of Kazakhstan'], 'mti'),
  central('agency-for-strategic-planning-and-reforms', ['Қазақстан Республикасының Стратегиялық жоспарлау және реформалар агенттігі', 'Агентство по стратегическому планированию и реформам Республики Казахстан', 'Agency for Strategic Planning and Reforms of the Republic of Kazakhstan'], 'aspr', { headTitle: CHAIR }),
  central('anti-corruption-agency', ['Қазақстан Республикасының Сыбайлас жемқорлыққа қарсы іс-қимыл агенттігі', 'Агентство Республики Казахстан по противодействию коррупции', 'Anti-Corruption Agency of the Republic of Kazakhstan'], 'anticorruption', { headTitle: CHAIR }),
  central('agency-for-civil-service-affairs', ['Қазақстан Республикасының Мемлекеттік қызмет істері агенттігі', 'Агентство Республики Казахстан по делам государственной службы', 'Agency for Civil Service Affairs of the Republic of Kazakhstan'], 'qyzmet', { headTitle: CHAIR }),
  central('bureau-of-national-statistics', ['Стратегиялық жоспарлау және реформалар агенттігінің Ұлттық статистика бюросы', 'Бюро национальной статистики Агентства по стратегическому планированию и реформам', 'Bureau of National Statistics of the Agency for Strategic Planning and Reforms'], 'stat', {
    headTitle: { kk: 'Басшы', ru: 'Руководитель', en: 'Head' },
    parentSlug: 'agency-for-strategic-planning-and-reforms',
    shortName: { kk: 'ҰСБ', ru: 'БНС', en: 'BNS' },
  }),
  central('state-revenue-committee', ['Қазақстан Республикасы Қаржы министрлігінің Мемлекеттік кірістер комитеті', 'Комитет государственных доходов Министерства финансов Республики Казахстан', 'State Revenue Committee of the Ministry of Finance of the Republic of Kazakhstan'], 'kgd', {
    headTitle: CHAIR,
    parentSlug: 'ministry-of-finance',
  }),
  central('treasury-committee', ['Қазақстан Республикасы Қаржы министрлігінің Қазынашылық комитеті', 'Комитет казначейства Министерства финансов Республики Казахстан', 'Treasury Committee of the Ministry of Finance of the Republic of Kazakhstan'], 'kazna', {
    headTitle: CHAIR,
    parentSlug: 'ministry-of-finance',
  }),
]

const AKIMATS: NewAgency[] = DEMO_REGIONS.map((region) => {
  const isCity = region.kind === 'city'
  return {
    slug: `akimat-${region.code}`,
    kind: 'local',
    name: {
      kk: `${region.name.kk}ның әкімдігі`,
      ru: `Акимат ${region.ruGenitive}`,
      en: isCity ? `Akimat of ${region.name.en}` : `Akimat of ${region.name.en}`,
    },
    headTitle: isCity
      ? { kk: 'Қала әкімі', ru: 'Аким города', en: 'Akim of the city' }
      : { kk: 'Облыс әкімі', ru: 'Аким области', en: 'Akim of the region' },
    address: isCity
      ? { kk: region.name.kk, ru: `г. ${region.name.ru?.replace('город ', '')}`, en: region.name.en }
      : { kk: `${region.centre.kk} қаласы`, ru: `г. ${region.centre.ru}`, en: region.centre.en },
    website: `https://www.gov.kz/memleket/entities/${region.code}`,
    email: `akimat@${region.code}.gov.kz`,
    regionCode: region.code,
  }
})

function quasi(slug: string, [kk, ru, en]: Names, website: string, extra: Partial<NewAgency> = {}): NewAgency {
  return { slug, kind: 'quasi', name: { kk, ru, en }, headTitle: BOARD_CHAIR, website, regionCode: 'astana', ...extra }
}

const QUASI: NewAgency[] = [
  quasi('samruk-kazyna', ['«Самұрық-Қазына» ұлттық әл-ауқат қоры» АҚ', 'АО «Фонд национального благосостояния «Самрук-Қазына»', 'Samruk-Kazyna Sovereign Wealth Fund JSC'], 'https://www.sk.kz', {
    shortName: { kk: 'Самұрық-Қазына', ru: 'Самрук-Казына', en: 'Samruk-Kazyna' },
    address: { kk: 'Астана қ., Е10 көшесі, 17/10', ru: 'г. Астана, улица Е10, 17/10', en: '17/10 E10 Street, Astana' },
  }),
  quasi('baiterek', ['«Бәйтерек» ұлттық басқарушы холдингі» АҚ', 'АО «Национальный управляющий холдинг «Байтерек»', 'Baiterek National Managing Holding JSC'], 'https://www.baiterek.gov.kz', {
    shortName: { kk: 'Бәйтерек', ru: 'Байтерек', en: 'Baiterek' },
  }),
  quasi('kazakhstan-temir-zholy', ['«Қазақстан темір жолы» ұлттық компаниясы» АҚ', 'АО «Национальная компания «Қазақстан темір жолы»', 'Kazakhstan Temir Zholy National Company JSC'], 'https://www.railways.kz', {
    shortName: { kk: 'ҚТЖ', ru: 'КТЖ', en: 'KTZ' },
    parentSlug: 'samruk-kazyna',
  }),
  quasi('kazmunaygas', ['«ҚазМұнайГаз» ұлттық компаниясы» АҚ', 'АО «Национальная компания «КазМунайГаз»', 'KazMunayGas National Company JSC'], 'https://www.kmg.kz', {
    shortName: { kk: 'ҚМГ', ru: 'КМГ', en: 'KMG' },
    parentSlug: 'samruk-kazyna',
  }),
  quasi('government-for-citizens', ['«Азаматтарға арналған үкімет» мемлекеттік корпорациясы» КеАҚ', 'НАО «Государственная корпорация «Правительство для граждан»', 'Government for Citizens State Corporation'], 'https://www.gov4c.kz', {
    parentSlug: 'ministry-of-digital-development',
  }),
]

/** The demo registry: ministries and agencies, their committees, every akimat, some quasi-state organisations. */
export const DEMO_AGENCIES: NewAgency[] = [...MINISTRIES, ...AKIMATS, ...QUASI].map((agency, index) => {
  // A body with a head's blog in Open Dialogue is headed by the person the blog describes.
  const blog = BLOGS.find((b) => b.agency === agency.slug)
  return { ...agency, headName: blog?.name ?? head(index), headTitle: blog?.position ?? agency.headTitle }
})
