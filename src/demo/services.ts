import type { Db } from '../platform/db/index.ts'
import { SYSTEM_ACTOR } from '../platform/audit/index.ts'
import type { MultilingualList, MultilingualText } from '../platform/i18n/multilingual.ts'
import { keepServicesAs, type ServiceInput } from '../modules/sites/services/register.ts'
import { keepSituationAs, keepSphereAs, type SituationInput } from '../modules/sites/services/situations.ts'

type Names = [kk: string, ru: string, en: string]
const ml = ([kk, ru, en]: Names): MultilingualText => ({ kk, ru, en })

const SPHERES: Array<[string, Names]> = [
  ['001', ['Отбасы және балалар', 'Семья и дети', 'Family and children']],
  ['002', ['Тұрғын үй және құрылыс', 'Жилище и строительство', 'Housing and construction']],
  ['003', ['Кәсіпкерлік', 'Предпринимательство', 'Business']],
  ['005', ['Жұмыспен қамту және әлеуметтік қамсыздандыру', 'Занятость и социальное обеспечение', 'Employment and social security']],
  ['007', ['Көлік', 'Транспорт', 'Transport']],
]

// Russian nouns after a number: 1 день, 3 дня, 5 дней (and 11–14 дней).
function ruPlural(n: number, [one, few, many]: [string, string, string]): string {
  const tens = n % 100
  if (tens >= 11 && tens <= 14) return many
  return n % 10 === 1 ? one : n % 10 >= 2 && n % 10 <= 4 ? few : many
}

/** A term as the register writes it: working or calendar days, or at once. Kazakh nouns stay singular after a number. */
function term(days: number, kind: 'working' | 'calendar' = 'working'): MultilingualText {
  if (days === 0) return { kk: 'Бірден', ru: 'Сразу', en: 'Immediately' }
  return kind === 'working'
    ? { kk: `${days} жұмыс күні`, ru: `${days} ${ruPlural(days, ['рабочий день', 'рабочих дня', 'рабочих дней'])}`, en: `${days} working day${days === 1 ? '' : 's'}` }
    : { kk: `${days} күнтізбелік күн`, ru: `${days} ${ruPlural(days, ['календарный день', 'календарных дня', 'календарных дней'])}`, en: `${days} calendar day${days === 1 ? '' : 's'}` }
}

// Kazakh and Russian names of the laws services rest on; English where the register has it.
const LAW: Record<string, MultilingualText> = {
  family: { kk: '«Неке (ерлі-зайыптылық) және отбасы туралы» Қазақстан Республикасының Кодексі', ru: 'Кодекс Республики Казахстан «О браке (супружестве) и семье»', en: 'Code of the Republic of Kazakhstan on Marriage (Matrimony) and Family' },
  social: { kk: 'Қазақстан Республикасының Әлеуметтік кодексі', ru: 'Социальный кодекс Республики Казахстан', en: 'Social Code of the Republic of Kazakhstan' },
  education: { kk: '«Білім туралы» Қазақстан Республикасының Заңы', ru: 'Закон Республики Казахстан «Об образовании»' },
  health: { kk: '«Халық денсаулығы және денсаулық сақтау жүйесі туралы» Қазақстан Республикасының Кодексі', ru: 'Кодекс Республики Казахстан «О здоровье народа и системе здравоохранения»' },
  migration: { kk: '«Халықтың көші-қоны туралы» Қазақстан Республикасының Заңы', ru: 'Закон Республики Казахстан «О миграции населения»' },
  business: { kk: 'Қазақстан Республикасының Кәсіпкерлік кодексі', ru: 'Предпринимательский кодекс Республики Казахстан', en: 'Entrepreneurial Code of the Republic of Kazakhstan' },
  tax: { kk: 'Қазақстан Республикасының Салық кодексі', ru: 'Налоговый кодекс Республики Казахстан', en: 'Tax Code of the Republic of Kazakhstan' },
  construction: { kk: '«Қазақстан Республикасындағы сәулет, қала құрылысы және құрылыс қызметі туралы» Заң', ru: 'Закон «Об архитектурной, градостроительной и строительной деятельности в Республике Казахстан»' },
  road: { kk: '«Жол жүрісі туралы» Қазақстан Республикасының Заңы', ru: 'Закон Республики Казахстан «О дорожном движении»', en: 'Law of the Republic of Kazakhstan on Road Traffic' },
  services: { kk: '«Мемлекеттік көрсетілетін қызметтер туралы» Қазақстан Республикасының Заңы', ru: 'Закон Республики Казахстан «О государственных услугах»', en: 'Law of the Republic of Kazakhstan on Public Services' },
}

const ID: MultilingualList = { kk: ['Жеке басын куәландыратын құжат'], ru: ['Документ, удостоверяющий личность'], en: ['Identity document'] }
const ALL: ServiceInput['channels'] = ['egov', 'service_centre']
const EGOV = 'https://egov.kz'

interface DemoService {
  code: string; agency: string; name: Names; recipients?: string[]; channels?: string[]; fee?: string; days?: number; dayKind?: 'working' | 'calendar'
  documents?: MultilingualList; result?: Names; law?: string; description?: MultilingualText
}

// Forty services of eight life situations. Some lack Kazakh descriptions or results on purpose:
// the register's completeness in Kazakh has gaps to show.
const SERVICES: DemoService[] = [
  // 001 01: a child is born
  { code: '00101001', agency: 'ministry-of-justice', name: ['Баланың тууын мемлекеттік тіркеу', 'Государственная регистрация рождения ребёнка', 'Registration of a child\'s birth'], channels: ['egov', 'service_centre', 'body'], days: 1,
    documents: { kk: ['Ата-ананың жеке басын куәландыратын құжаттары', 'Перзентханадан берілген туу туралы медициналық куәлік'], ru: ['Документы, удостоверяющие личность родителей', 'Медицинское свидетельство о рождении из роддома'] },
    result: ['Туу туралы куәлік', 'Свидетельство о рождении', 'Birth certificate'], law: 'family',
    description: { kk: 'Бала туылған күннен бастап үш ай ішінде тіркеледі.', ru: 'Рождение регистрируется в течение трёх месяцев со дня рождения ребёнка.', en: 'A birth is registered within three months of the day the child is born.' } },
  { code: '00101002', agency: 'ministry-of-labour', name: ['Бала тууына байланысты біржолғы жәрдемақы тағайындау', 'Назначение единовременного пособия на рождение ребёнка', 'One-off benefit for a child\'s birth'], days: 8, documents: ID, result: ['Жәрдемақы тағайындау туралы хабарлама', 'Уведомление о назначении пособия', 'Notice of the benefit awarded'], law: 'social' },
  { code: '00101003', agency: 'ministry-of-labour', name: ['Бір жасқа толғанға дейін бала күтіміне жәрдемақы тағайындау', 'Назначение пособия по уходу за ребёнком до одного года', 'Childcare benefit until the child is one'], days: 8, documents: ID, result: ['Жәрдемақы тағайындау туралы хабарлама', 'Уведомление о назначении пособия', 'Notice of the benefit awarded'], law: 'social' },
  { code: '00101004', agency: 'ministry-of-health', name: ['Баланы емханаға тіркеу', 'Прикрепление ребёнка к поликлинике', 'Registering a child with a clinic'], channels: ['egov', 'body'], days: 1, result: ['Тіркеу туралы хабарлама', 'Уведомление о прикреплении', 'Notice of registration'], law: 'health' },
  { code: '00101005', agency: 'ministry-of-internal-affairs', name: ['Баланы тұрғылықты жері бойынша тіркеу', 'Регистрация ребёнка по месту жительства', 'Registering a child\'s address'], days: 1, law: 'migration' },
  { code: '00101006', agency: 'ministry-of-justice', name: ['Әкелікті анықтауды тіркеу', 'Регистрация установления отцовства', 'Registration of paternity'], channels: ['service_centre', 'body'], days: 1, documents: ID, law: 'family' },
  // 001 02: kindergarten and school
  { code: '00102001', agency: 'ministry-of-enlightenment', name: ['Балабақшаға кезекке қою', 'Постановка на очередь в детский сад', 'Joining the waiting list for a kindergarten'], channels: ['egov'], days: 0, result: ['Кезектегі нөмір', 'Номер в очереди', 'Place on the waiting list'], law: 'education' },
  { code: '00102002', agency: 'ministry-of-enlightenment', name: ['Балабақшаға жолдама беру', 'Выдача направления в детский сад', 'Referral to a kindergarten'], channels: ['egov'], days: 1, law: 'education' },
  { code: '00102003', agency: 'ministry-of-enlightenment', name: ['Бірінші сыныпқа құжат қабылдау', 'Приём документов в первый класс', 'Enrolment in the first grade'], channels: ['egov', 'body'], days: 1, documents: { ru: ['Свидетельство о рождении ребёнка', 'Медицинская справка формы 065/у'] }, law: 'education' },
  { code: '00102004', agency: 'ministry-of-enlightenment', name: ['Мектепке тегін тасымалдау', 'Бесплатный подвоз к школе', 'Free school transport'], channels: ['body'], days: 5, law: 'education' },
  { code: '00102005', agency: 'ministry-of-enlightenment', name: ['Мектепте тегін тамақтандыру', 'Бесплатное питание в школе', 'Free school meals'], channels: ['egov', 'body'], days: 5, law: 'education' },
  // 002 01: moving home
  { code: '00201001', agency: 'ministry-of-internal-affairs', name: ['Тұрғылықты жері бойынша тіркеу', 'Регистрация по месту жительства', 'Registering an address'], days: 1, documents: ID, result: ['Тіркеу туралы мәлімет', 'Сведения о регистрации', 'Record of registration'], law: 'migration' },
  { code: '00201002', agency: 'ministry-of-internal-affairs', name: ['Уақытша тұратын жері бойынша тіркеу', 'Регистрация по месту временного пребывания', 'Registering a temporary address'], channels: ['egov'], days: 1, law: 'migration' },
  { code: '00201003', agency: 'ministry-of-health', name: ['Тұрғылықты жердегі емханаға тіркелу', 'Прикрепление к поликлинике по месту жительства', 'Registering with a clinic where you live'], channels: ['egov', 'body'], days: 1, law: 'health' },
  { code: '00201004', agency: 'ministry-of-justice', name: ['Жылжымайтын мүлікке құқықты тіркеу', 'Регистрация прав на недвижимое имущество', 'Registering rights to real estate'], fee: '1150', days: 3, documents: ID, law: 'services' },
  { code: '00201005', agency: 'ministry-of-justice', name: ['Тіркелген құқықтар туралы анықтама', 'Справка о зарегистрированных правах', 'Certificate of registered rights'], channels: ['egov'], days: 0, law: 'services' },
  { code: '00201006', agency: 'ministry-of-enlightenment', name: ['Баланы басқа мектепке ауыстыру', 'Перевод ребёнка в другую школу', 'Moving a child to another school'], channels: ['body'], days: 3, law: 'education' },
  // 002 02: building a house
  { code: '00202001', agency: 'ministry-of-industry-and-construction', name: ['Сәулет-жоспарлау тапсырмасын беру', 'Выдача архитектурно-планировочного задания', 'Architectural planning brief'], channels: ['egov'], days: 8, law: 'construction' },
  { code: '00202002', agency: 'ministry-of-industry-and-construction', name: ['Құрылыс-монтаж жұмыстарының басталғаны туралы хабарлама қабылдау', 'Приём уведомления о начале строительно-монтажных работ', 'Notice of the start of building works'], channels: ['egov'], days: 0, law: 'construction' },
  { code: '00202003', agency: 'ministry-of-industry-and-construction', name: ['Салынған нысанды пайдалануға қабылдау', 'Приёмка построенного объекта в эксплуатацию', 'Acceptance of a finished building'], channels: ['egov', 'body'], days: 5, law: 'construction' },
  { code: '00202004', agency: 'ministry-of-energy', name: ['Электр желілеріне қосылуға техникалық шарттар беру', 'Выдача технических условий на подключение к электросетям', 'Technical conditions for a grid connection'], channels: ['egov'], days: 5, law: 'construction' },
  { code: '00202005', agency: 'ministry-of-agriculture', name: ['Жеке тұрғын үй құрылысына жер учаскесін беру', 'Предоставление земельного участка под индивидуальное жилищное строительство', 'Land plot for building a private house'], channels: ['egov'], days: 20, law: 'services' },
  // 003 01: starting a business
  { code: '00301001', agency: 'state-revenue-committee', name: ['Жеке кәсіпкерді тіркеу', 'Регистрация индивидуального предпринимателя', 'Registering as a sole trader'], recipients: ['business'], channels: ['egov', 'service_centre'], days: 0, documents: ID, result: ['Тіркеу туралы хабарлама', 'Уведомление о регистрации', 'Notice of registration'], law: 'business' },
  { code: '00301002', agency: 'ministry-of-justice', name: ['Заңды тұлғаны мемлекеттік тіркеу', 'Государственная регистрация юридического лица', 'Registering a company'], recipients: ['business'], channels: ['egov', 'service_centre'], fee: '6920', days: 1, result: ['Тіркеу туралы анықтама', 'Справка о государственной регистрации', 'Certificate of registration'], law: 'business' },
  { code: '00301003', agency: 'state-revenue-committee', name: ['Қосылған құн салығы бойынша тіркеу', 'Постановка на регистрационный учёт по НДС', 'VAT registration'], recipients: ['business'], channels: ['egov'], days: 3, law: 'tax' },
  { code: '00301004', agency: 'state-revenue-committee', name: ['Салық берешегінің жоқтығы туралы анықтама', 'Справка об отсутствии налоговой задолженности', 'Certificate of no tax debt'], recipients: ['individual', 'business'], channels: ['egov'], days: 0, law: 'tax' },
  { code: '00301005', agency: 'ministry-of-trade-and-integration', name: ['Сауда қызметі туралы хабарлама қабылдау', 'Приём уведомления о начале торговой деятельности', 'Notice of starting trade'], recipients: ['business'], channels: ['egov'], days: 0, law: 'business' },
  { code: '00301006', agency: 'ministry-of-health', name: ['Тағам өнімдерін өндіру нысанына санитариялық-эпидемиологиялық қорытынды', 'Санитарно-эпидемиологическое заключение на объект производства пищевой продукции', 'Sanitary certificate for a food business'], recipients: ['business'], channels: ['egov'], days: 15, law: 'health' },
  { code: '00301007', agency: 'ministry-of-labour', name: ['Шетелдік жұмыс күшін тартуға рұқсат беру', 'Выдача разрешения на привлечение иностранной рабочей силы', 'Permit to hire foreign workers'], recipients: ['business'], channels: ['egov'], days: 10, law: 'social' },
  // 005 01: retirement
  { code: '00501001', agency: 'ministry-of-labour', name: ['Жасына байланысты зейнетақы төлемдерін тағайындау', 'Назначение пенсионных выплат по возрасту', 'State pension by age'], days: 10, documents: ID, result: ['Зейнетақы тағайындау туралы хабарлама', 'Уведомление о назначении пенсии', 'Notice of the pension awarded'], law: 'social' },
  { code: '00501002', agency: 'ministry-of-labour', name: ['Базалық зейнетақы төлемін тағайындау', 'Назначение базовой пенсионной выплаты', 'Basic state pension'], days: 10, documents: ID, law: 'social' },
  { code: '00501003', agency: 'ministry-of-labour', name: ['Бірыңғай жинақтаушы зейнетақы қорынан төлем', 'Выплата из Единого накопительного пенсионного фонда', 'Payment from the unified pension savings fund'], channels: ['egov'], days: 10, law: 'social' },
  { code: '00501004', agency: 'ministry-of-labour', name: ['Еңбек өтілі туралы анықтама', 'Справка о трудовом стаже', 'Statement of work history'], channels: ['egov'], days: 0, law: 'social' },
  // 005 02: losing a job
  { code: '00502001', agency: 'ministry-of-labour', name: ['Жұмыссыз ретінде тіркеу', 'Регистрация в качестве безработного', 'Registering as unemployed'], days: 1, documents: ID, law: 'social' },
  { code: '00502002', agency: 'ministry-of-labour', name: ['Жұмысынан айырылған жағдайда әлеуметтік төлем тағайындау', 'Назначение социальной выплаты на случай потери работы', 'Benefit on losing a job'], days: 8, documents: ID, law: 'social' },
  { code: '00502003', agency: 'ministry-of-labour', name: ['Кәсіптік оқытуға жолдама', 'Направление на профессиональное обучение', 'Referral to vocational training'], channels: ['egov', 'body'], days: 5, law: 'social' },
  { code: '00502004', agency: 'ministry-of-labour', name: ['Жастар практикасына жолдама', 'Направление на молодёжную практику', 'Referral to a youth work placement'], channels: ['egov', 'body'], days: 5, law: 'social' },
  // 007 01: buying a car
  { code: '00701001', agency: 'ministry-of-internal-affairs', name: ['Көлік құралын тіркеу', 'Регистрация транспортного средства', 'Registering a vehicle'], fee: '2950', days: 1, documents: { kk: ['Жеке басын куәландыратын құжат', 'Сатып алу-сату шарты'], ru: ['Документ, удостоверяющий личность', 'Договор купли-продажи'], en: ['Identity document', 'Contract of sale'] }, result: ['Көлік құралын тіркеу куәлігі', 'Свидетельство о регистрации транспортного средства', 'Vehicle registration certificate'], law: 'road' },
  { code: '00701002', agency: 'ministry-of-internal-affairs', name: ['Жүргізуші куәлігін беру', 'Выдача водительского удостоверения', 'Issuing a driving licence'], fee: '1475', days: 1, law: 'road' },
  { code: '00701003', agency: 'state-revenue-committee', name: ['Көлік құралына салықты төлеу', 'Уплата налога на транспортное средство', 'Paying vehicle tax'], channels: ['egov'], days: 0, law: 'tax' },
]

const SITUATIONS: Array<[string, SituationInput]> = [
  ['birth-of-a-child', {
    sphere: '001', code: '01', audience: 'individual', title: ml(['Баланың тууы', 'Рождение ребёнка', 'A child is born']),
    summary: ml(['Баланы тіркеу, жәрдемақы ресімдеу және емханаға бекіту.', 'Регистрация ребёнка, оформление пособий и прикрепление к поликлинике.', 'Registering the child, claiming benefits and registering with a clinic.']),
    steps: [
      { title: ml(['Баланың тууын тіркеңіз', 'Зарегистрируйте рождение', 'Register the birth']), body: { kk: 'Үш ай ішінде тіркеу керек. Көп жағдайда перзентхананың өзі тіркейді.', ru: 'Регистрация — в течение трёх месяцев. Чаще всего её оформляет сам роддом.', en: 'Within three months. Most often the maternity hospital does it for you.' }, services: ['00101001'] },
      { title: ml(['Баланы мекенжайға тіркеңіз', 'Зарегистрируйте ребёнка по адресу', 'Register the child\'s address']), services: ['00101005'] },
      { title: ml(['Жәрдемақыларды ресімдеңіз', 'Оформите пособия', 'Claim the benefits']), body: { ru: 'Единовременное пособие и пособие по уходу назначаются по одному заявлению.', en: 'The one-off and childcare benefits are awarded on one application.' }, services: ['00101002', '00101003'], documents: ID },
      { title: ml(['Баланы емханаға бекітіңіз', 'Прикрепите ребёнка к поликлинике', 'Register the child with a clinic']), services: ['00101004'] },
    ],
  }],
  ['kindergarten-and-school', {
    sphere: '001', code: '02', audience: 'individual', title: ml(['Балабақша және мектеп', 'Детский сад и школа', 'Kindergarten and school']),
    summary: { kk: 'Балабақшаға кезек, жолдама және бірінші сыныпқа қабылдау.', ru: 'Очередь и направление в детский сад, приём в первый класс.' },
    steps: [
      { title: ml(['Балабақшаға кезекке тұрыңыз', 'Встаньте в очередь в детский сад', 'Join the kindergarten waiting list']), services: ['00102001'] },
      { title: ml(['Жолдама алыңыз', 'Получите направление', 'Get the referral']), services: ['00102002'] },
      { title: ml(['Баланы мектепке жазыңыз', 'Запишите ребёнка в школу', 'Enrol your child at school']), services: ['00102003', '00102005'] },
    ],
  }],
  ['moving-home', {
    sphere: '002', code: '01', audience: 'individual', title: ml(['Жаңа мекенжайға көшу', 'Переезд на новое место жительства', 'Moving home']),
    summary: ml(['Тіркеу, тұрғын үйге құқық, емхана және мектеп.', 'Регистрация, права на жильё, поликлиника и школа.', 'Registration, rights to your home, a clinic and a school.']),
    steps: [
      { title: ml(['Тұрғын үйге құқықты тіркеңіз', 'Зарегистрируйте права на жильё', 'Register your rights to the home']), services: ['00201004'], documents: ID },
      { title: ml(['Жаңа мекенжайға тіркеліңіз', 'Зарегистрируйтесь по новому адресу', 'Register at your new address']), services: ['00201001'], agencies: ['ministry-of-internal-affairs'] },
      { title: ml(['Емханаға бекітіліңіз', 'Прикрепитесь к поликлинике', 'Register with a clinic']), services: ['00201003'] },
      { title: ml(['Баланы жаңа мектепке ауыстырыңыз', 'Переведите ребёнка в новую школу', 'Move your child to a new school']), services: ['00201006'] },
    ],
  }],
  ['building-a-house', {
    sphere: '002', code: '02', audience: 'individual', title: ml(['Жеке үй салу', 'Строительство частного дома', 'Building a house']),
    summary: { ru: 'Земельный участок, разрешительные документы, подключение к сетям и приёмка дома.', en: 'A land plot, permits, utility connections and acceptance of the house.' },
    steps: [
      { title: ml(['Жер учаскесін алыңыз', 'Получите земельный участок', 'Get a land plot']), services: ['00202005'] },
      { title: ml(['Сәулет-жоспарлау тапсырмасын алыңыз', 'Получите архитектурно-планировочное задание', 'Get the planning brief']), services: ['00202001', '00202004'] },
      { title: ml(['Құрылыстың басталғаны туралы хабарлаңыз', 'Уведомите о начале строительства', 'Give notice of starting to build']), services: ['00202002'] },
      { title: ml(['Үйді пайдалануға қабылдаңыз', 'Примите дом в эксплуатацию', 'Have the house accepted']), services: ['00202003'] },
    ],
  }],
  ['starting-a-business', {
    sphere: '003', code: '01', audience: 'business', title: ml(['Бизнесті бастау', 'Открытие бизнеса', 'Starting a business']),
    summary: ml(['Тіркеу, салық есебі және қызметтің басталғаны туралы хабарлама.', 'Регистрация, налоговый учёт и уведомление о начале деятельности.', 'Registration, taxes and notice of starting work.']),
    steps: [
      { title: ml(['Тіркеу нысанын таңдаңыз', 'Выберите форму регистрации', 'Choose how to register']), body: ml(['Жеке кәсіпкер ретінде немесе заңды тұлға ретінде.', 'Индивидуальный предприниматель или юридическое лицо.', 'A sole trader or a company.']), services: ['00301001', '00301002'] },
      { title: ml(['Салық есебіне тұрыңыз', 'Встаньте на налоговый учёт', 'Register for taxes']), services: ['00301003'], agencies: ['state-revenue-committee'] },
      { title: ml(['Қызметтің басталғаны туралы хабарлаңыз', 'Уведомите о начале деятельности', 'Give notice of starting work']), services: ['00301005', '00301006'] },
    ],
  }],
  ['retirement', {
    sphere: '005', code: '01', audience: 'individual', title: ml(['Зейнеткерлікке шығу', 'Выход на пенсию', 'Retirement']),
    summary: ml(['Зейнетақы мен базалық төлемді тағайындау, жинақтарды алу.', 'Назначение пенсии и базовой выплаты, получение накоплений.', 'Your pension, the basic state pension and your savings.']),
    steps: [
      { title: ml(['Еңбек өтілін тексеріңіз', 'Проверьте трудовой стаж', 'Check your work history']), services: ['00501004'] },
      { title: ml(['Зейнетақыға өтініш беріңіз', 'Подайте заявление на пенсию', 'Apply for your pension']), services: ['00501001', '00501002'], documents: ID },
      { title: ml(['Жинақтарыңызды алыңыз', 'Получите накопления', 'Draw your savings']), services: ['00501003'] },
    ],
  }],
  ['losing-a-job', {
    sphere: '005', code: '02', audience: 'individual', title: ml(['Жұмыстан айырылу', 'Потеря работы', 'Losing a job']),
    summary: { kk: 'Тіркелу, әлеуметтік төлем және жаңа жұмысқа дайындық.', ru: 'Регистрация, социальная выплата и подготовка к новой работе.' },
    steps: [
      { title: ml(['Жұмыссыз ретінде тіркеліңіз', 'Зарегистрируйтесь как безработный', 'Register as unemployed']), services: ['00502001'] },
      { title: ml(['Әлеуметтік төлемді ресімдеңіз', 'Оформите социальную выплату', 'Claim the benefit']), services: ['00502002'] },
      { title: ml(['Оқу немесе тәжірибе таңдаңыз', 'Выберите обучение или практику', 'Choose training or a placement']), services: ['00502003', '00502004'] },
    ],
  }],
  ['buying-a-car', {
    sphere: '007', code: '01', audience: 'individual', title: ml(['Көлік сатып алу', 'Покупка автомобиля', 'Buying a car']),
    summary: ml(['Көлікті тіркеу, жүргізуші куәлігі және салық.', 'Регистрация автомобиля, водительское удостоверение и налог.', 'Registering the car, a driving licence and the tax.']),
    steps: [
      { title: ml(['Көлікті тіркеңіз', 'Зарегистрируйте автомобиль', 'Register the car']), services: ['00701001'] },
      { title: ml(['Жүргізуші куәлігін алыңыз', 'Получите водительское удостоверение', 'Get a driving licence']), services: ['00701002'] },
      { title: ml(['Көлік салығын төлеңіз', 'Оплатите налог на транспорт', 'Pay the vehicle tax']), services: ['00701003'] },
    ],
  }],
]

/**
 * The register of public services: five spheres, eight life situations with their guides, forty
 * services of the demo's bodies. Kept through the register's own service, as an import would be.
 */
export async function seedDemoServices(db: Db): Promise<void> {
  for (const [code, names] of SPHERES) await keepSphereAs(db, SYSTEM_ACTOR, code, ml(names))
  // A situation is kept before its services (their codes name it), and again with its steps after them.
  for (const [slug, situation] of SITUATIONS) await keepSituationAs(db, SYSTEM_ACTOR, slug, { ...situation, steps: [] })
  const known = new Set((await db.query<{ slug: string }>('select slug from agencies')).map((a) => a.slug))
  await keepServicesAs(db, SYSTEM_ACTOR, SERVICES.filter((s) => known.has(s.agency)).map((s) => ({
    code: s.code, agency: s.agency, name: ml(s.name), description: s.description, recipients: s.recipients ?? ['individual'], channels: s.channels ?? ALL,
    feeKzt: s.fee ?? null, term: term(s.days ?? 1, s.dayKind), documents: s.documents, result: s.result && ml(s.result), legalBasis: s.law ? LAW[s.law] : undefined,
    egovUrl: (s.channels ?? ALL).includes('egov') ? EGOV : null,
  })))
  const kept = new Set((await db.query<{ code: string }>('select code from public_services')).map((s) => s.code))
  for (const [slug, situation] of SITUATIONS) {
    await keepSituationAs(db, SYSTEM_ACTOR, slug, { ...situation, steps: situation.steps?.map((step) => ({ ...step, services: step.services?.filter((c) => kept.has(c)), agencies: step.agencies?.filter((a) => known.has(a)) })) })
  }
}
