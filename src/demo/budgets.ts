import type { Db } from '../platform/db/index.ts'
import type { FileStore } from '../platform/files/index.ts'
import { SYSTEM_ACTOR } from '../platform/audit/index.ts'
import type { MultilingualText } from '../platform/i18n/multilingual.ts'
import { addDays, type Day } from '../platform/calendar/days.ts'
import { randomBytes } from 'node:crypto'
import { hashPassword } from '../platform/auth/passwords.ts'
import { insertDemoPeople } from './people.ts'
import { DEMO_DOMAIN } from './users.ts'
import type { RowPass } from '../modules/data/datastore/sources.ts'
import { budgetChildren, createBudgetAs, findBudget, keepCodeNames, storePriceIndex, type Budget } from '../modules/budgets/service.ts'
import { publishBudgetDocumentAs } from '../modules/budgets/documents.ts'
import { agencyIdBySlug } from '../modules/agencies/service.ts'
import { tablePdf } from '../platform/files/pdf.ts'
import { Readable } from 'node:stream'
import { importLinesAs, LINE_COLUMNS } from '../modules/budgets/import.ts'
import { storePassports, type PassportInput } from '../modules/budgets/passports.ts'
import { storeCitizensBudget } from '../modules/budgets/citizens.ts'

/**
 * The demo's budgets: the republican budget and Almaty's for 2024, 2025 and 2026, by the single
 * budget classification's functional groups and economic specifics. Their sizes follow the real
 * budgets' (some 25 trillion tenge of republican expenses in 2026, Almaty's some 1.3 trillion);
 * administrators' codes, programmes and amounts are illustrative. Each year's plan is approved,
 * adjusted during the year, and executed by quarter (2024, 2025) or by month through October (2026):
 * most programmes spend at an even pace, a few fall behind, as execution reports show.
 */

type Names = [kk: string, ru: string, en: string]
const text = ([kk, ru, en]: Names): MultilingualText => ({ kk, ru, en })

/** The functional groups and the subgroups the demo uses, named nationally. */
const FUNCTIONAL: Array<[string, Names]> = [
  ['01', ['Жалпы сипаттағы мемлекеттік қызметтер', 'Государственные услуги общего характера', 'General public services']],
  ['01 1', ['Мемлекеттік басқарудың жалпы функцияларын орындайтын өкілді, атқарушы және басқа органдар', 'Представительные, исполнительные и другие органы, выполняющие общие функции государственного управления', 'Representative, executive and other bodies of general government']],
  ['01 2', ['Қаржылық қызмет', 'Финансовая деятельность', 'Financial affairs']],
  ['02', ['Қорғаныс', 'Оборона', 'Defence']],
  ['02 1', ['Әскери мұқтаждар', 'Военные нужды', 'Military needs']],
  ['03', ['Қоғамдық тәртіп, қауіпсіздік, құқықтық, сот, қылмыстық-атқару қызметі', 'Общественный порядок, безопасность, правовая, судебная, уголовно-исполнительная деятельность', 'Public order, safety, legal, judicial and penal affairs']],
  ['03 1', ['Құқық қорғау қызметі', 'Правоохранительная деятельность', 'Law enforcement']],
  ['04', ['Білім беру', 'Образование', 'Education']],
  ['04 2', ['Бастауыш, негізгі орта және жалпы орта білім беру', 'Начальное, основное среднее и общее среднее образование', 'Primary and secondary education']],
  ['04 4', ['Жоғары және жоғары оқу орнынан кейінгі білім беру', 'Высшее и послевузовское образование', 'Higher and postgraduate education']],
  ['05', ['Денсаулық сақтау', 'Здравоохранение', 'Health']],
  ['05 2', ['Халықтың денсаулығын қорғау', 'Охрана здоровья населения', 'Public health']],
  ['05 9', ['Денсаулық сақтау саласындағы өзге де қызметтер', 'Прочие услуги в области здравоохранения', 'Other health services']],
  ['06', ['Әлеуметтік көмек және әлеуметтік қамсыздандыру', 'Социальная помощь и социальное обеспечение', 'Social assistance and social security']],
  ['06 1', ['Әлеуметтік қамсыздандыру', 'Социальное обеспечение', 'Social security']],
  ['06 2', ['Әлеуметтік көмек', 'Социальная помощь', 'Social assistance']],
  ['07', ['Тұрғын үй-коммуналдық шаруашылық', 'Жилищно-коммунальное хозяйство', 'Housing and utilities']],
  ['07 1', ['Тұрғын үй шаруашылығы', 'Жилищное хозяйство', 'Housing']],
  ['08', ['Мәдениет, спорт, туризм және ақпараттық кеңістік', 'Культура, спорт, туризм и информационное пространство', 'Culture, sport, tourism and information']],
  ['08 2', ['Мәдениет саласындағы қызмет', 'Деятельность в области культуры', 'Culture']],
  ['09', ['Отын-энергетика кешені және жер қойнауын пайдалану', 'Топливно-энергетический комплекс и недропользование', 'Fuel, energy and subsoil use']],
  ['09 1', ['Отын және энергетика', 'Топливо и энергетика', 'Fuel and energy']],
  ['10', ['Ауыл, су, орман, балық шаруашылығы, ерекше қорғалатын табиғи аумақтар, қоршаған ортаны және жануарлар дүниесін қорғау, жер қатынастары', 'Сельское, водное, лесное, рыбное хозяйство, особо охраняемые природные территории, охрана окружающей среды и животного мира, земельные отношения', 'Agriculture, water, forestry, fishing, protected areas, environment and land']],
  ['10 1', ['Ауыл шаруашылығы', 'Сельское хозяйство', 'Agriculture']],
  ['12', ['Көлік және коммуникация', 'Транспорт и коммуникации', 'Transport and communications']],
  ['12 1', ['Автомобиль көлігі', 'Автомобильный транспорт', 'Road transport']],
  ['12 9', ['Көлік және коммуникациялар саласындағы өзге де қызметтер', 'Прочие услуги в сфере транспорта и коммуникаций', 'Other transport and communications services']],
  ['13', ['Басқалар', 'Прочие', 'Other']],
  ['13 9', ['Басқалар', 'Прочие', 'Other']],
  ['14', ['Борышқа қызмет көрсету', 'Обслуживание долга', 'Debt service']],
  ['14 1', ['Борышқа қызмет көрсету', 'Обслуживание долга', 'Debt service']],
  ['15', ['Трансферттер', 'Трансферты', 'Transfers']],
  ['15 1', ['Трансферттер', 'Трансферты', 'Transfers']],
]

const ECONOMIC: Array<[string, Names]> = [
  ['1', ['Ағымдағы шығындар', 'Текущие затраты', 'Current expenses']],
  ['111', ['Еңбекақы төлеу', 'Оплата труда', 'Wages']],
  ['121', ['Әлеуметтік салық', 'Социальный налог', 'Social tax']],
  ['159', ['Басқа да көрсетілетін қызметтер мен жұмыстарға ақы төлеу', 'Оплата прочих услуг и работ', 'Other services and works']],
  ['3', ['Трансферттер', 'Трансферты', 'Transfers']],
  ['311', ['Жеке тұлғаларға трансферттер', 'Трансферты физическим лицам', 'Transfers to individuals']],
  ['324', ['Төменгі бюджеттерге трансферттер', 'Трансферты нижестоящим бюджетам', 'Transfers to lower budgets']],
  ['4', ['Күрделі шығындар', 'Капитальные расходы', 'Capital expenses']],
  ['431', ['Үйлер мен ғимараттар салу', 'Строительство зданий и сооружений', 'Construction of buildings and structures']],
  ['5', ['Борышқа қызмет көрсету', 'Обслуживание долга', 'Debt service']],
  ['511', ['Сыйақы төлеу', 'Выплата вознаграждений', 'Interest payments']],
]

const REVENUE: Array<[string, Names]> = [
  ['1', ['Салықтық түсімдер', 'Налоговые поступления', 'Tax revenues']],
  ['1 01', ['Табыс салығы', 'Подоходный налог', 'Income tax']],
  ['1 01 1', ['Корпоративтік табыс салығы', 'Корпоративный подоходный налог', 'Corporate income tax']],
  ['1 01 1 01', ['Заңды тұлғалардан корпоративтік табыс салығы', 'Корпоративный подоходный налог с юридических лиц', 'Corporate income tax of legal entities']],
  ['1 05', ['Тауарларға, жұмыстарға және қызметтерге салынатын ішкі салықтар', 'Внутренние налоги на товары, работы и услуги', 'Domestic taxes on goods, works and services']],
  ['1 05 1', ['Қосылған құн салығы', 'Налог на добавленную стоимость', 'Value added tax']],
  ['1 05 1 01', ['Өндірілген тауарларға ҚҚС', 'НДС на произведённые товары', 'VAT on goods produced']],
  ['1 06', ['Халықаралық сауда мен сыртқы операцияларға салынатын салықтар', 'Налоги на международную торговлю и внешние операции', 'Taxes on international trade']],
  ['1 06 1', ['Кедендік төлемдер', 'Таможенные платежи', 'Customs payments']],
  ['1 06 1 01', ['Кедендік баждар', 'Таможенные пошлины', 'Customs duties']],
  ['2', ['Салықтық емес түсімдер', 'Неналоговые поступления', 'Non-tax revenues']],
  ['2 01', ['Мемлекеттік меншіктен түсетін кірістер', 'Доходы от государственной собственности', 'Income from state property']],
  ['2 01 1', ['Мемлекеттік кәсіпорындардың таза кірісі бөлігінің түсімдері', 'Поступления части чистого дохода государственных предприятий', 'Part of state enterprises\' net income']],
  ['2 01 1 01', ['Мемлекеттік кәсіпорындардың таза кірісі бөлігі', 'Часть чистого дохода государственных предприятий', 'Part of state enterprises\' net income']],
  ['4', ['Трансферттердің түсімдері', 'Поступления трансфертов', 'Transfers received']],
  ['4 02', ['Мемлекеттік басқарудың жоғары тұрған органдарынан түсетін трансферттер', 'Трансферты из вышестоящих органов государственного управления', 'Transfers from higher levels of government']],
  ['4 02 1', ['Ұлттық қордан түсетін трансферттер', 'Трансферты из Национального фонда', 'Transfers from the National Fund']],
  ['4 02 1 01', ['Ұлттық қордан кепілдендірілген трансферт', 'Гарантированный трансферт из Национального фонда', 'Guaranteed transfer from the National Fund']],
  ['4 02 2', ['Республикалық бюджеттен түсетін трансферттер', 'Трансферты из республиканского бюджета', 'Transfers from the republican budget']],
  ['4 02 2 01', ['Ағымдағы нысаналы трансферттер', 'Целевые текущие трансферты', 'Targeted current transfers']],
]

/** An administrator of budget programmes: its code on the budget, its name, and the demo body it is, if any. */
interface Administrator {
  code: string
  name: Names
  agency?: string
  programmes: Array<{
    /** Functional group and subgroup, the programme's code, its name; billions of tenge planned for 2026; the economic specifics it is spent on. */
    fn: string
    code: string
    name: Names
    billions: number
    economic: string[]
    subprogrammes?: Array<[code: string, name: Names, share: number]>
  }>
}

const REPUBLICAN: Administrator[] = [
  {
    code: '217', agency: 'ministry-of-finance', name: ['Қазақстан Республикасының Қаржы министрлігі', 'Министерство финансов Республики Казахстан', 'Ministry of Finance'],
    programmes: [
      { fn: '01 2', code: '001', name: ['Бюджетті жоспарлау, атқару және мемлекеттік қаржыны басқару', 'Обеспечение бюджетного планирования, исполнения и управления государственными финансами', 'Budget planning, execution and public financial management'], billions: 118, economic: ['111', '121', '159'] },
      { fn: '14 1', code: '013', name: ['Үкіметтік борышқа қызмет көрсету', 'Обслуживание правительственного долга', 'Servicing government debt'], billions: 2150, economic: ['511'] },
      { fn: '15 1', code: '011', name: ['Облыстық бюджеттерге субвенциялар', 'Субвенции областным бюджетам', 'Subventions to regional budgets'], billions: 2730, economic: ['324'] },
    ],
  },
  {
    code: '208', name: ['Қазақстан Республикасының Қорғаныс министрлігі', 'Министерство обороны Республики Казахстан', 'Ministry of Defence'],
    programmes: [
      { fn: '02 1', code: '002', name: ['Қарулы Күштердің жауынгерлік әзірлігін қамтамасыз ету', 'Обеспечение боевой готовности Вооружённых Сил', 'Combat readiness of the Armed Forces'], billions: 1480, economic: ['111', '121', '159', '431'] },
    ],
  },
  {
    code: '201', agency: 'ministry-of-internal-affairs', name: ['Қазақстан Республикасының Ішкі істер министрлігі', 'Министерство внутренних дел Республики Казахстан', 'Ministry of Internal Affairs'],
    programmes: [
      { fn: '03 1', code: '076', name: ['Қоғамдық тәртіпті қорғау және қоғамдық қауіпсіздікті қамтамасыз ету', 'Охрана общественного порядка и обеспечение общественной безопасности', 'Public order and public safety'], billions: 1210, economic: ['111', '121', '159'] },
    ],
  },
  {
    code: '225', agency: 'ministry-of-enlightenment', name: ['Қазақстан Республикасының Оқу-ағарту министрлігі', 'Министерство просвещения Республики Казахстан', 'Ministry of Enlightenment'],
    programmes: [
      {
        fn: '04 2', code: '099', name: ['Мектепке дейінгі, орта білім беру сапасы мен қолжетімділігін қамтамасыз ету', 'Обеспечение доступности и качества дошкольного и среднего образования', 'Access to and quality of preschool and secondary education'], billions: 1640, economic: ['324', '159'],
        subprogrammes: [['100', ['Педагогтердің еңбекақысын арттыруға нысаналы трансферттер', 'Целевые трансферты на повышение заработной платы педагогов', 'Targeted transfers to raise teachers\' pay'], 0.62], ['104', ['«Жайлы мектеп» бағдарламасы бойынша мектептер салу', 'Строительство школ по программе «Комфортная школа»', 'Building schools under the "Comfortable School" programme'], 0.38]],
      },
    ],
  },
  {
    code: '240', agency: 'ministry-of-science-and-higher-education', name: ['Қазақстан Республикасының Ғылым және жоғары білім министрлігі', 'Министерство науки и высшего образования Республики Казахстан', 'Ministry of Science and Higher Education'],
    programmes: [
      { fn: '04 4', code: '008', name: ['Жоғары және жоғары оқу орнынан кейінгі білімі бар мамандарды даярлау', 'Подготовка кадров с высшим и послевузовским образованием', 'Training specialists with higher and postgraduate education'], billions: 720, economic: ['311', '159'] },
    ],
  },
  {
    code: '226', agency: 'ministry-of-health', name: ['Қазақстан Республикасының Денсаулық сақтау министрлігі', 'Министерство здравоохранения Республики Казахстан', 'Ministry of Health'],
    programmes: [
      {
        fn: '05 2', code: '067', name: ['Тегін медициналық көмектің кепілдік берілген көлемін қамтамасыз ету', 'Обеспечение гарантированного объёма бесплатной медицинской помощи', 'Guaranteed free medical care'], billions: 1930, economic: ['159'],
        subprogrammes: [['100', ['Медициналық көмек көрсету', 'Оказание медицинской помощи', 'Medical care'], 0.8], ['101', ['Дәрілік заттармен қамтамасыз ету', 'Обеспечение лекарственными средствами', 'Medicines'], 0.2]],
      },
      { fn: '05 9', code: '006', name: ['Денсаулық сақтау объектілерін салу', 'Строительство объектов здравоохранения', 'Building health facilities'], billions: 310, economic: ['431'] },
    ],
  },
  {
    code: '213', agency: 'ministry-of-labour', name: ['Қазақстан Республикасының Еңбек және халықты әлеуметтік қорғау министрлігі', 'Министерство труда и социальной защиты населения Республики Казахстан', 'Ministry of Labour and Social Protection'],
    programmes: [
      { fn: '06 1', code: '050', name: ['Зейнетақымен қамсыздандыру', 'Пенсионное обеспечение', 'Pensions'], billions: 4120, economic: ['311'] },
      { fn: '06 2', code: '051', name: ['Мемлекеттік әлеуметтік жәрдемақылар', 'Государственные социальные пособия', 'State social benefits'], billions: 1730, economic: ['311'] },
    ],
  },
  {
    code: '243', agency: 'ministry-of-industry-and-construction', name: ['Қазақстан Республикасының Өнеркәсіп және құрылыс министрлігі', 'Министерство промышленности и строительства Республики Казахстан', 'Ministry of Industry and Construction'],
    programmes: [
      { fn: '07 1', code: '055', name: ['Тұрғын үй құрылысы', 'Жилищное строительство', 'Housing construction'], billions: 690, economic: ['324', '431'] },
    ],
  },
  {
    code: '239', agency: 'ministry-of-culture-and-information', name: ['Қазақстан Республикасының Мәдениет және ақпарат министрлігі', 'Министерство культуры и информации Республики Казахстан', 'Ministry of Culture and Information'],
    programmes: [
      { fn: '08 2', code: '033', name: ['Мәдениет саласын дамыту', 'Развитие сферы культуры', 'Developing culture'], billions: 340, economic: ['111', '159'] },
    ],
  },
  {
    code: '241', agency: 'ministry-of-energy', name: ['Қазақстан Республикасының Энергетика министрлігі', 'Министерство энергетики Республики Казахстан', 'Ministry of Energy'],
    programmes: [
      { fn: '09 1', code: '030', name: ['Жылу-энергетика жүйесін дамыту', 'Развитие теплоэнергетической системы', 'Developing heat and power'], billions: 290, economic: ['324', '431'] },
    ],
  },
  {
    code: '212', agency: 'ministry-of-agriculture', name: ['Қазақстан Республикасының Ауыл шаруашылығы министрлігі', 'Министерство сельского хозяйства Республики Казахстан', 'Ministry of Agriculture'],
    programmes: [
      { fn: '10 1', code: '255', name: ['Агроөнеркәсіптік кешенді субсидиялау', 'Субсидирование агропромышленного комплекса', 'Subsidies to agriculture'], billions: 740, economic: ['324'] },
    ],
  },
  {
    code: '215', agency: 'ministry-of-transport', name: ['Қазақстан Республикасының Көлік министрлігі', 'Министерство транспорта Республики Казахстан', 'Ministry of Transport'],
    programmes: [
      { fn: '12 1', code: '092', name: ['Автомобиль жолдарын дамыту', 'Развитие автомобильных дорог', 'Developing roads'], billions: 720, economic: ['431'] },
    ],
  },
  {
    code: '245', agency: 'ministry-of-digital-development', name: ['Қазақстан Республикасының Цифрлық даму министрлігі', 'Министерство цифрового развития Республики Казахстан', 'Ministry of Digital Development'],
    programmes: [
      { fn: '12 9', code: '010', name: ['Ақпараттандыру және цифрлық үкімет', 'Информатизация и цифровое правительство', 'Informatisation and digital government'], billions: 190, economic: ['159'] },
    ],
  },
  {
    code: '220', agency: 'ministry-of-national-economy', name: ['Қазақстан Республикасының Ұлттық экономика министрлігі', 'Министерство национальной экономики Республики Казахстан', 'Ministry of National Economy'],
    programmes: [
      { fn: '13 9', code: '010', name: ['Үкіметтің резерві', 'Резерв Правительства', 'The Government\'s reserve'], billions: 860, economic: ['159'] },
    ],
  },
]

const ALMATY: Administrator[] = [
  {
    code: '355', name: ['Алматы қаласының Білім басқармасы', 'Управление образования города Алматы', 'Almaty City Department of Education'],
    programmes: [
      { fn: '04 2', code: '003', name: ['Жалпы білім беру', 'Общеобразовательное обучение', 'General education'], billions: 410, economic: ['111', '121', '159'] },
      { fn: '04 2', code: '031', name: ['Мектептер салу', 'Строительство школ', 'Building schools'], billions: 120, economic: ['431'] },
    ],
  },
  {
    code: '253', name: ['Алматы қаласының Қоғамдық денсаулық сақтау басқармасы', 'Управление общественного здравоохранения города Алматы', 'Almaty City Department of Public Health'],
    programmes: [{ fn: '05 9', code: '033', name: ['Денсаулық сақтау объектілерін күрделі жөндеу', 'Капитальный ремонт объектов здравоохранения', 'Repairing health facilities'], billions: 48, economic: ['431'] }],
  },
  {
    code: '256', name: ['Алматы қаласының Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы', 'Управление занятости и социальных программ города Алматы', 'Almaty City Department of Employment and Social Programmes'],
    programmes: [{ fn: '06 2', code: '007', name: ['Тұрғын үй көмегі', 'Жилищная помощь', 'Housing assistance'], billions: 64, economic: ['311'] }],
  },
  {
    code: '279', name: ['Алматы қаласының Энергетика және сумен жабдықтау басқармасы', 'Управление энергетики и водоснабжения города Алматы', 'Almaty City Department of Energy and Water Supply'],
    programmes: [{ fn: '07 1', code: '025', name: ['Жылу желілерін жаңғырту', 'Модернизация тепловых сетей', 'Modernising heating networks'], billions: 170, economic: ['431'] }],
  },
  {
    code: '285', name: ['Алматы қаласының Мәдениет басқармасы', 'Управление культуры города Алматы', 'Almaty City Department of Culture'],
    programmes: [{ fn: '08 2', code: '011', name: ['Театрлар мен концерт ұйымдарын қолдау', 'Поддержка театров и концертных организаций', 'Supporting theatres and concert organisations'], billions: 36, economic: ['159'] }],
  },
  {
    code: '288', name: ['Алматы қаласының Жолаушылар көлігі және автомобиль жолдары басқармасы', 'Управление пассажирского транспорта и автомобильных дорог города Алматы', 'Almaty City Department of Passenger Transport and Roads'],
    programmes: [
      { fn: '12 1', code: '025', name: ['Көше-жол желісін салу және реконструкциялау', 'Строительство и реконструкция улично-дорожной сети', 'Building and rebuilding streets'], billions: 260, economic: ['431'] },
      { fn: '12 1', code: '030', name: ['Қоғамдық көлікті субсидиялау', 'Субсидирование общественного транспорта', 'Subsidising public transport'], billions: 95, economic: ['159'] },
    ],
  },
  {
    code: '257', name: ['Алматы қаласының Қаржы басқармасы', 'Управление финансов города Алматы', 'Almaty City Department of Finance'],
    programmes: [{ fn: '15 1', code: '024', name: ['Республикалық бюджетке бюджеттік алулар', 'Бюджетные изъятия в республиканский бюджет', 'Withdrawals to the republican budget'], billions: 120, economic: ['324'] }],
  },
]

/** Revenues: the specific, billions of tenge for 2026, in the republican budget and Almaty's. */
const REVENUES: { republican: Array<[string, number]>; almaty: Array<[string, number]> } = {
  republican: [['1 01 1 01', 4900], ['1 05 1 01', 6200], ['1 06 1 01', 1500], ['2 01 1 01', 420], ['4 02 1 01', 5250]],
  almaty: [['1 01 1 01', 520], ['2 01 1 01', 40], ['4 02 2 01', 690]],
}

/** Passports of some republican programmes: goal and indicators, planned and achieved by year (2026's not yet reported). */
function passports(year: number): PassportInput[] {
  const by = <T>(values: [T, T, T]): T => values[year - 2024]!
  const reported = year < 2026
  return [
    {
      programme: '225 099',
      goal: { kk: 'Әр баланың үйіне жақын жайлы мектепте бір ауысымда оқуы', ru: 'Каждый ребёнок учится в одну смену в комфортной школе рядом с домом', en: 'Every child learns in one shift in a comfortable school near home' },
      indicators: [
        { name: { kk: 'Үш ауысымда оқытатын мектептердің үлесі', ru: 'Доля школ с обучением в три смены', en: 'Share of schools teaching in three shifts' }, unit: { kk: '%', ru: '%', en: '%' }, better: 'lower', planned: by([0.5, 0.3, 0.1]), achieved: reported ? by([0.6, 0.2, 0]) : null },
        { name: { kk: 'Жаңа мектептердегі оқушы орындары', ru: 'Ученических мест в новых школах', en: 'Pupil places in new schools' }, unit: { kk: 'мың орын', ru: 'тыс. мест', en: 'thousand places' }, better: 'higher', planned: by([120, 150, 180]), achieved: reported ? by([126, 141, 0]) : null },
      ],
    },
    {
      programme: '226 067',
      goal: { kk: 'Халықтың тегін медициналық көмекті уақтылы алуы', ru: 'Население своевременно получает бесплатную медицинскую помощь', en: 'People receive free medical care in time' },
      indicators: [
        { name: { kk: 'Күтілетін өмір сүру ұзақтығы', ru: 'Ожидаемая продолжительность жизни', en: 'Life expectancy' }, unit: { kk: 'жыл', ru: 'лет', en: 'years' }, better: 'higher', planned: by([75.1, 75.5, 75.8]), achieved: reported ? by([75.4, 75.3, 0]) : null },
      ],
    },
    {
      programme: '213 050',
      goal: { kk: 'Зейнетақының уақтылы және толық төленуі', ru: 'Пенсии выплачиваются своевременно и в полном объёме', en: 'Pensions are paid in time and in full' },
      indicators: [
        { name: { kk: 'Мерзімінде төленген зейнетақылардың үлесі', ru: 'Доля пенсий, выплаченных в срок', en: 'Share of pensions paid in time' }, unit: { kk: '%', ru: '%', en: '%' }, better: 'higher', planned: 100, achieved: reported ? 100 : null },
      ],
    },
  ]
}

/** The republican budget for 2026 told in plain words, as the finance ministry would. */
const CITIZENS_2026 = {
  lead: {
    kk: 'Республикалық бюджет — ел қаражатының басты жоспары. 2026 жылы оның шығыстары шамамен 22 трлн теңгені құрайды: әр тұрғынға шаққанда бір миллион теңгеден астам.\n\nТөменде қаражат қайдан келетіні, қайда жұмсалатыны және жыл басынан бері қаншасы атқарылғаны көрсетілген.',
    ru: 'Республиканский бюджет — главный финансовый план страны. В 2026 году его расходы — около 22 трлн тенге: больше миллиона тенге на каждого жителя.\n\nНиже — откуда берутся деньги, куда они идут и сколько исполнено с начала года.',
    en: 'The republican budget is the country\'s main financial plan. In 2026 it spends some 22 trillion tenge: more than a million tenge for every resident.\n\nBelow: where the money comes from, where it goes, and how much has been spent since January.',
  },
  sections: [
    {
      heading: { kk: 'Ақша қайдан келеді', ru: 'Откуда берутся деньги', en: 'Where the money comes from' },
      body: { kk: 'Негізгі бөлігі — салықтар: қосылған құн салығы мен корпоративтік табыс салығы. Қалғанын Ұлттық қордан берілетін трансферт жабады.', ru: 'Основная часть — налоги: налог на добавленную стоимость и корпоративный подоходный налог. Остальное покрывает трансферт из Национального фонда.', en: 'Most of it is taxes: value added tax and corporate income tax. A transfer from the National Fund covers the rest.' },
      chart: 'revenue',
    },
    {
      heading: { kk: 'Ақша қайда жұмсалады', ru: 'Куда идут деньги', en: 'Where the money goes' },
      body: { kk: 'Ең көп қаражат әлеуметтік көмекке — зейнетақылар мен жәрдемақыларға, содан кейін білім беру мен денсаулық сақтауға жұмсалады.', ru: 'Больше всего денег идёт на социальную помощь — пенсии и пособия, затем на образование и здравоохранение.', en: 'Most of the money goes on social assistance, pensions and benefits, then on education and health.' },
      chart: 'functional',
    },
    {
      heading: { kk: 'Қаншасы атқарылды', ru: 'Сколько исполнено', en: 'How much is spent' },
      body: { kk: 'Қазан айының соңына дейін жылдық жоспардың шамамен төрттен үші атқарылды. Біркелкі қарқыннан артта қалған бағыттар белгіленген.', ru: 'К концу октября исполнено около трёх четвертей годового плана. Направления, отстающие от равномерного темпа, отмечены.', en: 'By the end of October about three quarters of the year\'s plan was spent. Areas behind an even pace are marked.' },
      chart: 'execution',
    },
  ],
}

/** A reproducible pseudo-random number in [0, 1) from a string: the demo is the same at every start. */
function noise(seed: string): number {
  let h = 2166136261
  for (const char of seed) h = Math.imul(h ^ char.charCodeAt(0), 16777619)
  return ((h >>> 0) % 100_000) / 100_000
}

const YEARS = [{ year: 2024, scale: 0.84 }, { year: 2025, scale: 0.92 }, { year: 2026, scale: 1 }]

/** Tenge as a decimal string with kopecks: exact, as an import's file writes it. */
const tenge = (amount: number) => (Math.round(amount * 100) / 100).toFixed(2)

/** The rows of one year's budget as the import reads them. */
function linesOf(administrators: Administrator[], revenues: Array<[string, number]>, year: number, scale: number): Array<Record<string, string>> {
  const rows: Array<Record<string, string>> = []
  // 2024 and 2025 are executed by quarter, through the year; 2026 by month, through October.
  const periods = year < 2026 ? ['Q1', 'Q2', 'Q3', 'Q4'] : ['M01', 'M02', 'M03', 'M04', 'M05', 'M06', 'M07', 'M08', 'M09', 'M10']
  const slices = periods.length === 4 ? 4 : 12
  const line = (direction: string, code: string, economic: string, billions: number, name: Names | null, seed: string) => {
    const approved = billions * 1e9 * scale * (0.97 + 0.06 * noise(`${seed}:a`))
    const adjusted = approved * (0.96 + 0.08 * noise(`${seed}:b`))
    // Most spend at an even pace (97–102 % of their share); one in six falls behind.
    const behind = noise(`${seed}:late`) < 1 / 6
    // A year that is over ends nearer its plan (84–94 %) than one under way shows (55–80 %): the last quarter catches up.
    const pace = behind ? (year < 2026 ? 0.84 + 0.1 * noise(`${seed}:p`) : 0.55 + 0.25 * noise(`${seed}:p`)) : 0.97 + 0.05 * noise(`${seed}:p`)
    const names: Record<string, string> = name ? { name_kk: name[0], name_ru: name[1], name_en: name[2] } : {}
    rows.push({ direction, code, economic, phase: 'approved', period: 'Y', amount: tenge(approved), ...names })
    rows.push({ direction, code, economic, phase: 'adjusted', period: 'Y', amount: tenge(adjusted) })
    periods.forEach((period, i) => {
      // The fourth quarter spends more, as budgets do; months through October, an even twelfth.
      const weight = slices === 4 ? (i === 3 ? 1.3 : 1) / 4.3 : 1 / 12
      rows.push({ direction, code, economic, phase: 'executed', period, amount: tenge(adjusted * pace * weight * (0.9 + 0.2 * noise(`${seed}:${period}`))) })
    })
  }
  for (const a of administrators) {
    for (const p of a.programmes) {
      const leaves: Array<{ code: string; share: number; name: Names }> = p.subprogrammes
        ? p.subprogrammes.map(([sub, name, share]) => ({ code: `${p.fn} ${a.code} ${p.code} ${sub}`, share, name }))
        : [{ code: `${p.fn} ${a.code} ${p.code}`, share: 1, name: p.name }]
      for (const leaf of leaves) {
        p.economic.forEach((economic, i) => {
          // The first specific takes the largest part (wages, or the programme's one kind of spending).
          const share = p.economic.length === 1 ? 1 : i === 0 ? 0.6 : 0.4 / (p.economic.length - 1)
          line('expense', leaf.code, economic, p.billions * leaf.share * share, i === 0 ? leaf.name : null, `${year}:${leaf.code}:${economic}`)
        })
      }
    }
  }
  for (const [code, billions] of revenues) line('revenue', code, '', billions, null, `${year}:${code}`)
  return rows
}

/** Rows as the import reads a file's. */
function pass(rows: Array<Record<string, string>>): RowPass {
  return {
    names: new Map(LINE_COLUMNS.map((c) => [c, c])),
    rows: (async function* () {
      let row = 1
      for (const r of rows) {
        row += 1
        yield { row, values: new Map(LINE_COLUMNS.map((c) => [c, r[c] ?? ''])) }
      }
    })(),
  }
}

/** Opens the demo's budgets, names their codes and imports their lines (each also a dataset of the catalog). */
export async function seedDemoBudgets(db: Db, today: Day, files: FileStore): Promise<number> {
  await keepCodeNames(db, null, [
    ...FUNCTIONAL.map(([code, name]) => ({ dimension: 'functional', code, name: text(name) })),
    ...ECONOMIC.map(([code, name]) => ({ dimension: 'economic', code, name: text(name) })),
    ...REVENUE.map(([code, name]) => ({ dimension: 'revenue', code, name: text(name) })),
  ])
  // Illustrative figures near the Bureau of National Statistics' published annual inflation; a real
  // installation keeps the Bureau's series (PUT /api/budgets/price-index).
  await storePriceIndex(db, {
    source: { name: { kk: 'Ұлттық статистика бюросы (демонстрациялық қатар)', ru: 'Бюро национальной статистики (демонстрационный ряд)', en: 'Bureau of National Statistics (a demonstration series)' }, url: 'https://stat.gov.kz' },
    years: [{ year: 2024, index: 108.7 }, { year: 2025, index: 111.2 }, { year: 2026, index: 110.6 }],
  })
  let budgets = 0
  for (const { year, scale } of YEARS) {
    for (const [input, administrators, revenues] of [
      [{ level: 'republican', year, agencySlug: 'ministry-of-finance' }, REPUBLICAN, REVENUES.republican],
      [{ level: 'regional', regionCode: 'almaty', year, agencySlug: 'akimat-almaty' }, ALMATY, REVENUES.almaty],
    ] as const) {
      const budget: Budget = await createBudgetAs(db, SYSTEM_ACTOR, input)
      await keepCodeNames(db, budget, [
        ...administrators.map((a) => ({ dimension: 'administrative', code: a.code, name: text(a.name), agencySlug: a.agency ?? null })),
        // A programme read through its subprogrammes is named here; the others by their lines.
        ...administrators.flatMap((a) => a.programmes.filter((p) => p.subprogrammes).map((p) => ({ dimension: 'administrative', code: `${a.code} ${p.code}`, name: text(p.name) }))),
      ])
      await importLinesAs(db, SYSTEM_ACTOR, budget, pass(linesOf(administrators, revenues, year, scale)), today, files)
      if (budget.level === 'republican') await storePassports(db, SYSTEM_ACTOR, budget, passports(year))
      if (budget.level === 'republican' && year === 2026) await storeCitizensBudget(db, SYSTEM_ACTOR, budget, CITIZENS_2026)
      budgets += 1
    }
  }
  await seedDemoDiscussions(db, today)
  await seedDemoDocuments(db, today, files)
  return budgets
}

/**
 * The health and enlightenment ministries' reports on executing their 2025 programmes, published in
 * February 2026 as PDF tables made from the budget's own figures (so the report and the pages agree).
 */
async function seedDemoDocuments(db: Db, today: Day, files: FileStore): Promise<void> {
  const budget = await findBudget(db, 'republican-2025')
  const million = (amount: string | null) => (amount === null ? '—' : (Number(amount) / 1e6).toLocaleString('ru-RU', { maximumFractionDigits: 1, minimumFractionDigits: 1 }))
  for (const [slug, code, ru, kk, en] of [
    ['ministry-of-health', '226', 'Министерство здравоохранения', 'Денсаулық сақтау министрлігі', 'Ministry of Health'],
    ['ministry-of-enlightenment', '225', 'Министерство просвещения', 'Оқу-ағарту министрлігі', 'Ministry of Enlightenment'],
  ] as const) {
    const agencyId = await agencyIdBySlug(db, slug)
    if (agencyId === undefined) continue
    const programmes = await budgetChildren(db, budget, 'administrative', code)
    const pdf = await tablePdf({
      title: `Отчёт о реализации бюджетных программ за 2025 год — ${ru}`, lang: 'ru',
      lines: [`Администратор бюджетных программ ${code}. Суммы в миллионах тенге.`],
      columns: [{ header: 'Код', width: 50 }, { header: 'Программа', width: '*' }, { header: 'Уточнённый план', width: 110 }, { header: 'Исполнено', width: 110 }, { header: 'Доля', width: 60 }],
      rows: programmes.map((p) => [p.code, p.name?.ru ?? '', million(p.adjusted ?? p.approved), million(p.executed),
        p.executed && (p.adjusted ?? p.approved) ? `${(Number(p.executed) / Number(p.adjusted ?? p.approved) * 100).toLocaleString('ru-RU', { maximumFractionDigits: 1 })} %` : '—']),
      pageLabel: (page, pages) => `Страница ${page} из ${pages}`, author: ru,
    })
    const saved = await files.save(Readable.from([pdf]))
    const publishedOn = '2026-02-14' <= today ? '2026-02-14' as Day : today
    await publishBudgetDocumentAs(db, files, SYSTEM_ACTOR, agencyId, {
      kind: 'execution-report', year: '2025', period: 'Y',
      title: { kk: `${kk}: бюджеттік бағдарламалардың 2025 жылғы іске асырылуы туралы есеп`, ru: `${ru}: отчёт о реализации бюджетных программ за 2025 год`, en: `${en}: report on the execution of budget programmes in 2025` },
    }, { ...saved, fileName: `report-2025-${code}.pdf`, mediaType: 'application/pdf' }, publishedOn)
  }
}

const ml = (kk: string, ru: string, en: string): MultilingualText => ({ kk, ru, en })

/**
 * Two public discussions: the health ministry's draft of its free-care programme for 2026, open now,
 * with a comment answered and one waiting; the enlightenment ministry's report on its 2025 school
 * programme, closed, every comment answered.
 */
async function seedDemoDiscussions(db: Db, today: Day): Promise<void> {
  const readers = await insertDemoPeople(db, [
    { email: `aigerim.budget@${DEMO_DOMAIN}`, name: 'Айгерим С.', lang: 'kk' },
    { email: `oleg.budget@${DEMO_DOMAIN}`, name: 'Олег П.', lang: 'ru' },
  ], await hashPassword(randomBytes(24).toString('base64url')))
  const discussions = [
    {
      budget: 'republican-2026', code: '226 067', kind: 'draft', agency: 'ministry-of-health', opensOn: addDays(today, -3), closesOn: addDays(today, 8),
      title: ml('«Тегін медициналық көмектің кепілдік берілген көлемін қамтамасыз ету» бағдарламасының жобасы', 'Проект программы «Обеспечение гарантированного объёма бесплатной медицинской помощи»', 'Draft programme "Guaranteed free medical care"'),
      body: ml(
        'Мақсаты: халықтың тегін медициналық көмекке қолжетімділігі.\nКөрсеткіштер: емханаға жазылу күтуі — 3 күннен аспайды; дәрілермен қамтамасыз етілген науқастар үлесі — 95%.\nКөлемі: 1 930 млрд теңге.',
        'Цель: доступность бесплатной медицинской помощи.\nПоказатели: ожидание записи в поликлинику — не более 3 дней; доля пациентов, обеспеченных лекарствами, — 95 %.\nОбъём: 1 930 млрд тенге.',
        'Goal: access to free medical care.\nIndicators: a wait for a clinic of at most 3 days; 95% of patients provided with medicines.\nAmount: KZT 1,930 billion.'),
      comments: [
        { by: 1, lang: 'ru', text: 'Предлагаю добавить показатель по сельским поликлиникам: там ждут дольше всего.', ago: 2,
          answer: { lang: 'ru', text: 'Показатель добавлен: ожидание записи в сельских поликлиниках — не более 5 дней.' } },
        { by: 0, lang: 'kk', text: 'Дәрілердің тізімі қайда жарияланады?', ago: 1, answer: null },
      ],
    },
    {
      budget: 'republican-2025', code: '225 099', kind: 'report', agency: 'ministry-of-enlightenment', opensOn: addDays(today, -40), closesOn: addDays(today, -30),
      title: ml('«Мектепке дейінгі, орта білім беру сапасы мен қолжетімділігін қамтамасыз ету» бағдарламасының 2025 жылғы іске асырылуы туралы есеп', 'Отчёт о реализации программы «Обеспечение доступности и качества дошкольного и среднего образования» за 2025 год', 'Report on the 2025 execution of "Access to and quality of preschool and secondary education"'),
      body: ml(
        'Жоспар 97,8% орындалды. «Жайлы мектеп» бағдарламасы бойынша 120 мектептің 104-і пайдалануға берілді.',
        'План исполнен на 97,8 %. По программе «Комфортная школа» введены 104 школы из 120.',
        'The plan was 97.8% executed; 104 of 120 schools of the "Comfortable School" programme were opened.'),
      comments: [
        { by: 0, lang: 'kk', text: 'Қалған 16 мектеп қашан салынады?', ago: 35,
          answer: { lang: 'kk', text: 'Қалған мектептер 2026 жылдың үшінші тоқсанында пайдалануға беріледі.' } },
      ],
    },
  ]
  for (const d of discussions) {
    const [row] = await db.query<{ id: string }>(
      `insert into budget_discussions (budget_id, code, kind, agency_id, title, body, opens_on, closes_on, created_at)
       select b.id, $2, $3, a.id, $4, $5, $6, $7, $6::date + time '10:00' from budgets b, agencies a
       where b.level || '-' || b.year = $1 and b.region_code is null and a.slug = $8 returning id`,
      [d.budget, d.code, d.kind, d.title, d.body, d.opensOn, d.closesOn, d.agency],
    )
    for (const c of d.comments) {
      const [comment] = await db.query<{ id: string }>(
        "insert into comments (subject_type, subject_id, author_id, body, created_at, lang) values ('budget-discussion', $1, $2, $3, $4, $5) returning id",
        [row!.id, readers[c.by]!, c.text, `${addDays(today, -c.ago)}T12:00:00+05:00`, c.lang],
      )
      if (c.answer) {
        await db.query('insert into budget_discussion_answers (comment_id, discussion_id, body, lang, answered_at) values ($1, $2, $3, $4, $5)',
          [comment!.id, row!.id, c.answer.text, c.answer.lang, `${addDays(today, -c.ago + 1)}T16:00:00+05:00`])
      }
    }
  }
}
