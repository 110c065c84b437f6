import { Readable } from 'node:stream'
import type { Db } from '../platform/db/index.ts'
import type { FileStore } from '../platform/files/index.ts'
import { addDays, type Day } from '../platform/calendar/days.ts'
import { addWorkingDays } from '../platform/calendar/service.ts'
import { textPdf } from '../platform/files/pdf.ts'

interface DemoEdition { lang: 'kk' | 'ru' | 'en'; title: string; summary: string; body: string }

/**
 * The health ministry's site: three news items and an order, published in Kazakh and Russian, with
 * gaps left on purpose (one news item only in Russian, the order without its Kazakh file) so that
 * completeness has something to show; one news item has a second Russian edition with its change note.
 */
export async function seedDemoSites(db: Db, today: Day, files: FileStore): Promise<void> {
  const [agency] = await db.query<{ id: string }>("select id from agencies where slug = 'ministry-of-health'")
  if (!agency) return
  const news: Array<{ ago: number; editions: DemoEdition[]; update?: { ago: number; title: string; body: string; note: string } }> = [
    {
      ago: 12,
      editions: [
        { lang: 'kk', title: 'Ауылдық емханаларға 120 жаңа дәрігер келді', summary: '«Дипломмен ауылға» бағдарламасы бойынша жас дәрігерлер 14 облысқа жіберілді.', body: 'Жас мамандар 14 облыстағы ауылдық емханаларда жұмысқа кірісті.\n\n## Қолдау шаралары\n\n- көтерме жәрдемақы;\n- тұрғын үй алуға бюджеттік несие.' },
        { lang: 'ru', title: 'В сельские поликлиники пришли 120 новых врачей', summary: 'Молодые врачи направлены в 14 областей по программе «С дипломом — в село».', body: 'Молодые специалисты приступили к работе в сельских поликлиниках 14 областей.\n\n## Меры поддержки\n\n- подъёмное пособие;\n- бюджетный кредит на жильё.' },
      ],
    },
    {
      ago: 6,
      editions: [
        { lang: 'kk', title: 'Тегін дәрілер тізіміне 15 препарат қосылды', summary: 'Амбулаториялық дәрілік қамтамасыз ету тізімі кеңейтілді.', body: 'Тізім 2027 жылғы 1 қаңтардан бастап қолданылады.' },
        { lang: 'ru', title: 'В список бесплатных лекарств добавлены 15 препаратов', summary: 'Расширен перечень амбулаторного лекарственного обеспечения.', body: 'Перечень действует с 1 января 2027 года.' },
      ],
      update: { ago: 2, title: 'В список бесплатных лекарств добавлены 15 препаратов', body: 'Перечень действует с 1 января 2027 года. Полный список опубликован в разделе «Документы».', note: 'Добавлена ссылка на полный перечень' },
    },
    {
      ago: 1,
      editions: [
        { lang: 'ru', title: 'Приём заявок на гранты для сельских больниц продлён', summary: 'Заявки принимаются до 20 декабря.', body: 'Заявки на гранты по оснащению сельских больниц принимаются до 20 декабря включительно.' },
      ],
    },
  ]
  for (const n of news) {
    const [item] = await db.query<{ id: string }>(`insert into site_items (agency_id, kind, review_on) values ($1, 'news', $2) returning id`, [agency.id, addDays(today, 180)])
    for (const e of n.editions) {
      const superseded = n.update && e.lang === 'ru'
      await db.query(
        `insert into site_editions (item_id, lang, number, status, title, summary, body, published_at)
         values ($1, $2, 1, $3, $4, $5, $6, $7::date + time '10:00' - interval '5 hours')`,
        [item!.id, e.lang, superseded ? 'superseded' : 'published', e.title, e.summary, e.body, addDays(today, -n.ago)])
    }
    if (n.update) {
      const first = n.editions.find((e) => e.lang === 'ru')!
      await db.query(
        `insert into site_editions (item_id, lang, number, status, title, summary, body, change_note, published_at)
         values ($1, 'ru', 2, 'published', $2, $3, $4, $5, $6::date + time '15:00' - interval '5 hours')`,
        [item!.id, n.update.title, first.summary, n.update.body, n.update.note, addDays(today, -n.update.ago)])
    }
  }
  // An order, signed three weeks ago, published in both languages; its file only in Russian.
  const pdf = await textPdf({
    title: 'Приказ № 245 «Об утверждении перечня лекарственных средств»', lang: 'ru', author: 'Министерство здравоохранения Республики Казахстан',
    paragraphs: ['В соответствии с Кодексом «О здоровье народа и системе здравоохранения» ПРИКАЗЫВАЮ:', '1. Утвердить перечень лекарственных средств для бесплатного амбулаторного обеспечения.', '2. Настоящий приказ вводится в действие с 1 января 2027 года.'],
  })
  const saved = await files.save(Readable.from([pdf]))
  const [order] = await db.query<{ id: string }>(
    `insert into site_items (agency_id, kind, document_kind, number, signed_on, signatory, review_on) values ($1, 'document', 'order', '245', $2, $3, $4) returning id`,
    [agency.id, addDays(today, -21), { kk: 'Денсаулық сақтау министрі', ru: 'Министр здравоохранения' }, addDays(today, 365)])
  for (const [lang, title, body, file] of [
    ['kk', 'Дәрілік заттардың тізбесін бекіту туралы', 'Тегін амбулаториялық қамтамасыз етуге арналған дәрілік заттардың тізбесі бекітілді.', false],
    ['ru', 'Об утверждении перечня лекарственных средств', 'Утверждён перечень лекарственных средств для бесплатного амбулаторного обеспечения.', true],
  ] as const) {
    await db.query(
      `insert into site_editions (item_id, lang, number, status, title, body, file_key, file_name, media_type, size, sha256, published_at)
       values ($1, $2, 1, 'published', $3, $4, $5, $6, $7, $8, $9, $10::date + time '11:00' - interval '5 hours')`,
      [order!.id, lang, title, body, file ? saved.key : null, file ? 'prikaz-245.pdf' : null, file ? 'application/pdf' : null, file ? saved.size : null, file ? saved.checksum : null, addDays(today, -20)])
  }
}

/**
 * The health ministry's leadership beyond its head (two vice ministers and the executive
 * secretary, one vice minister's name without its English form) and its two offices on the map;
 * the finance ministry's one office, without a place.
 */
export async function seedDemoSections(db: Db, today: Day): Promise<void> {
  const ids = new Map((await db.query<{ id: string; slug: string }>("select id, slug from agencies where slug in ('ministry-of-health', 'ministry-of-finance')")).map((a) => [a.slug, a.id]))
  const health = ids.get('ministry-of-health')
  if (health) {
    const leaders: Array<[role: string, rank: number, name: Record<string, string>, title: Record<string, string>, ago: number]> = [
      ['deputy', 0, { kk: 'Асқар Бекұлы Жұмабаев', ru: 'Аскар Бекович Жумабаев', en: 'Askar Zhumabayev' }, { kk: 'Бірінші вице-министр', ru: 'Первый вице-министр', en: 'First Vice Minister' }, 400],
      ['deputy', 1, { kk: 'Гүлнар Серікқызы Оспанова', ru: 'Гульнар Сериковна Оспанова' }, { kk: 'Вице-министр', ru: 'Вице-министр', en: 'Vice Minister' }, 210],
      ['secretary', 0, { kk: 'Ерлан Маратұлы Сәрсенов', ru: 'Ерлан Маратович Сарсенов', en: 'Yerlan Sarsenov' }, { kk: 'Жауапты хатшы', ru: 'Ответственный секретарь', en: 'Executive Secretary' }, 90],
    ]
    for (const [role, rank, name, title, ago] of leaders) {
      const [person] = await db.query<{ id: string }>('insert into people (name) values ($1) returning id', [name])
      await db.query('insert into positions (person_id, agency_id, role, title, rank, started_on) values ($1, $2, $3, $4, $5, $6)', [person!.id, health, role, title, rank, addDays(today, -ago)])
    }
    // Its page about itself, in Kazakh and Russian: its mandate and departments.
    const [about] = await db.query<{ id: string }>("insert into site_items (agency_id, kind, review_on) values ($1, 'about', $2) returning id", [health, addDays(today, 300)])
    for (const [lang, title, body] of [
      ['kk', 'Министрлік туралы', 'Қазақстан Республикасының Денсаулық сақтау министрлігі — халық денсаулығын сақтау, медициналық және фармацевтикалық ғылым, білім беру, дәрілік заттардың айналымы салаларында басшылықты жүзеге асыратын орталық атқарушы орган.\n\n## Құрылымы\n\n- Медициналық көмекті ұйымдастыру департаменті\n- Дәрілік саясат департаменті\n- Ғылым және адами ресурстар департаменті\n- Цифрландыру департаменті'],
      ['ru', 'О министерстве', 'Министерство здравоохранения Республики Казахстан — центральный исполнительный орган, осуществляющий руководство в области охраны здоровья граждан, медицинской и фармацевтической науки и образования, обращения лекарственных средств.\n\n## Структура\n\n- Департамент организации медицинской помощи\n- Департамент лекарственной политики\n- Департамент науки и человеческих ресурсов\n- Департамент цифровизации'],
    ] as const) {
      await db.query(`insert into site_editions (item_id, lang, number, status, title, body, published_at) values ($1, $2, 1, 'published', $3, $4, $5::date + time '09:00' - interval '5 hours')`, [about!.id, lang, title, body, addDays(today, -60)])
    }
    // A vice minister who left: the page lists her among the earlier ones.
    const [former] = await db.query<{ id: string }>('insert into people (name) values ($1) returning id', [{ kk: 'Айгүл Нұрланқызы Қасымова', ru: 'Айгуль Нурлановна Касымова' }])
    await db.query('insert into positions (person_id, agency_id, role, title, rank, started_on, ended_on) values ($1, $2, $3, $4, $5, $6, $7)',
      [former!.id, health, 'deputy', { kk: 'Вице-министр', ru: 'Вице-министр' }, 1, addDays(today, -900), addDays(today, -211)])
    await db.query(
      `insert into site_offices (agency_id, name, address, lon, lat, phone, email, hours, position) values
       ($1, $2, $3, 71.4304, 51.1282, '+7 7172 74 37 43', null, $4, 1),
       ($1, $5, $6, 71.4460, 51.1694, '+7 7172 74 32 00', null, $7, 2)`,
      [health,
        { kk: 'Орталық аппарат', ru: 'Центральный аппарат', en: 'Head office' },
        { kk: 'Астана қ., Мәңгілік Ел даңғылы, 8, «Министрліктер үйі», 5-кіреберіс', ru: 'г. Астана, пр. Мангилик Ел, 8, «Дом министерств», подъезд 5' },
        { kk: 'Дүйсенбі–жұма, 9:00–18:30, түскі үзіліс 13:00–14:30', ru: 'Понедельник–пятница, 9:00–18:30, обед 13:00–14:30' },
        { kk: 'Азаматтарды қабылдау бөлмесі', ru: 'Приёмная для граждан', en: 'Reception for citizens' },
        { kk: 'Астана қ., Бейбітшілік к-сі, 10', ru: 'г. Астана, ул. Бейбитшилик, 10' },
        { ru: 'Вторник и четверг, 15:00–18:00, по предварительной записи' }])
  }
  if (health) await seedDemoCouncil(db, health, today)
  const finance = ids.get('ministry-of-finance')
  if (finance) {
    // Its page about itself only in Russian (the site shows the Kazakh one missing), and a news item in both languages.
    const [about] = await db.query<{ id: string }>("insert into site_items (agency_id, kind, review_on) values ($1, 'about', $2) returning id", [finance, addDays(today, 200)])
    await db.query(`insert into site_editions (item_id, lang, number, status, title, body, published_at) values ($1, 'ru', 1, 'published', $2, $3, $4::date + time '09:00' - interval '5 hours')`,
      [about!.id, 'О министерстве', 'Министерство финансов Республики Казахстан — центральный исполнительный орган, осуществляющий руководство в сфере бюджетного планирования и исполнения бюджета, государственного аудита и бухгалтерского учёта.\n\n## Структура\n\n- Департамент бюджетного планирования\n- Департамент исполнения бюджета\n- Департамент методологии бухгалтерского учёта и аудита', addDays(today, -90)])
    const [news] = await db.query<{ id: string }>("insert into site_items (agency_id, kind, review_on) values ($1, 'news', $2) returning id", [finance, addDays(today, 180)])
    for (const [lang, title, body] of [
      ['kk', '2025 жылғы республикалық бюджеттің атқарылуы туралы есеп жарияланды', 'Есеп «Ашық бюджеттер» порталында кестелер мен деректер ретінде қолжетімді.'],
      ['ru', 'Опубликован отчёт об исполнении республиканского бюджета за 2025 год', 'Отчёт доступен на портале «Открытые бюджеты» в виде таблиц и данных.'],
    ] as const) {
      await db.query(`insert into site_editions (item_id, lang, number, status, title, body, published_at) values ($1, $2, 1, 'published', $3, $4, $5::date + time '12:00' - interval '5 hours')`, [news!.id, lang, title, body, addDays(today, -4)])
    }
    await db.query('insert into site_offices (agency_id, name, address, phone, position) values ($1, $2, $3, $4, 1)',
      [finance, { kk: 'Орталық аппарат', ru: 'Центральный аппарат', en: 'Head office' }, { kk: 'Астана қ., Мәңгілік Ел даңғылы, 11', ru: 'г. Астана, пр. Мангилик Ел, 11' }, '+7 7172 71 77 63'])
  }
}

/**
 * The health ministry's public council: its chair, secretary and a member, this year's plan, two
 * meetings (the last without minutes yet) and three recommendations: one answered in time, one
 * overdue, one not yet due.
 */
async function seedDemoCouncil(db: Db, agencyId: string, today: Day): Promise<void> {
  const [council] = await db.query<{ id: string }>('insert into public_councils (agency_id, name, about) values ($1, $2, $3) returning id', [agencyId,
    { kk: 'Денсаулық сақтау министрлігінің қоғамдық кеңесі', ru: 'Общественный совет при Министерстве здравоохранения', en: 'Public Council of the Ministry of Health' },
    { kk: 'Кеңес министрліктің жобаларын талқылайды және оған ұсынымдар береді.', ru: 'Совет обсуждает проекты министерства и даёт ему рекомендации.' }])
  for (const [name, role, position, since] of [
    [{ kk: 'Алия Сейітова', ru: 'Алия Сеитова' }, 'chair', { kk: '«Денсаулық» ҚҚ төрағасы', ru: 'Председатель ОФ «Денсаулык»' }, addDays(today, -500)],
    [{ kk: 'Дина Омарова', ru: 'Дина Омарова' }, 'secretary', { ru: 'Юрист ОО «Право пациента»' }, addDays(today, -500)],
    [{ kk: 'Нұрлан Әбенов', ru: 'Нурлан Абенов' }, 'member', { kk: 'Ауыл дәрігері, Ақмола облысы', ru: 'Сельский врач, Акмолинская область' }, addDays(today, -300)],
  ] as const) {
    const [person] = await db.query<{ id: string }>('insert into people (name) values ($1) returning id', [name])
    await db.query('insert into council_members (council_id, person_id, role, position, since) values ($1, $2, $3, $4, $5)', [council!.id, person!.id, role, position, since])
  }
  await db.query('insert into council_plans (council_id, year, body) values ($1, $2, $3)', [council!.id, Number(today.slice(0, 4)), {
    kk: '1. Ауылдағы дәрілердің қолжетімділігі (I тоқсан).\n2. Медициналық сақтандыру (III тоқсан).', ru: '1. Доступность лекарств в сёлах (I квартал).\n2. Медицинское страхование (III квартал).' }])
  const [held] = await db.query<{ id: string }>('insert into council_meetings (council_id, held_on, place, agenda, minutes) values ($1, $2, $3, $4, $5) returning id', [council!.id, addDays(today, -45),
    { kk: 'Астана, Министрліктер үйі', ru: 'Астана, Дом министерств' },
    { kk: '1. Ауылдағы дәріханалар туралы.\n2. Дәрілердің қалдықтарын жариялау туралы.', ru: '1. Об аптеках в сёлах.\n2. О публикации остатков лекарств.' },
    { ru: 'Присутствовали 9 из 11 членов совета. Решили: дать министерству две рекомендации (№ 1 и № 2).' }])
  await db.query('insert into council_meetings (council_id, held_on, agenda) values ($1, $2, $3)', [council!.id, addDays(today, -3),
    { kk: '1. Ауыл дәрігерлерін ұстап қалу туралы.', ru: '1. О закреплении врачей на селе.' }])
  const recommend = async (sentDaysAgo: number, text: Record<string, string>, answer?: { daysAfter: number; text: Record<string, string> }) => {
    const sentOn = addDays(today, -sentDaysAgo)
    const due = await addWorkingDays(db, sentOn, 10)
    await db.query('insert into council_recommendations (council_id, meeting_id, text, sent_on, answer_due, answer, answered_on) values ($1, $2, $3, $4, $5, $6, $7)',
      [council!.id, held!.id, text, sentOn, due, answer ? answer.text : null, answer ? addDays(sentOn, answer.daysAfter) : null])
  }
  await recommend(40, { kk: 'Аптекасы жоқ ауылдарда дәріхана пункттерін ашу.', ru: 'Открыть аптечные пункты в сёлах без аптек.' }, { daysAfter: 8, text: { ru: 'Министерство согласно: в 2027 году пункты откроются в 120 сёлах при фельдшерских пунктах.' } })
  await recommend(40, { kk: 'Дәріханалардағы дәрі қалдықтарын ашық деректер ретінде жариялау.', ru: 'Публиковать остатки лекарств в аптеках как открытые данные.' })
  await recommend(2, { ru: 'Включить представителя совета в рабочую группу по медицинскому страхованию.' })
}
