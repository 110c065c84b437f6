import { textLang } from '../platform/i18n/detect.ts'
import { randomBytes } from 'node:crypto'
import type { Queryable } from '../platform/db/index.ts'
import { hashPassword } from '../platform/auth/passwords.ts'
import { addDays, kazakhstanDay, lawDays, WorkingCalendar, type Day } from '../platform/calendar/days.ts'
import type { MultilingualText } from '../platform/i18n/multilingual.ts'
import { structureText, type TextUnit } from '../modules/legal-acts/versions/text.ts'
import type { ActKind, Decision, DraftStatus, Topic } from '../modules/legal-acts/kinds.ts'
import { DEMO_DOMAIN } from './users.ts'
import { insertDemoPeople } from './people.ts'
import { Readable } from 'node:stream'
import type { FileStore } from '../platform/files/index.ts'
import { textPdf } from '../platform/files/pdf.ts'

// People who took part in the demo's discussions. Their accounts cannot be signed in to (their
// passwords are random and never shown); they are there to be the authors of comments.
const PEOPLE = [
  { email: `aigerim.sapar@${DEMO_DOMAIN}`, name: 'Айгерім Сапарова', lang: 'kk' },
  { email: `olga.ivanova@${DEMO_DOMAIN}`, name: 'Ольга Иванова', lang: 'ru' },
  { email: `daniyar.k@${DEMO_DOMAIN}`, name: 'Данияр К.', lang: 'ru' },
  { email: `npo.transparency@${DEMO_DOMAIN}`, name: 'ОФ «Ашық қоғам»', lang: 'kk' },
] as const

interface DemoComment {
  by: number
  anchor?: string
  text: string
  /** Days after the discussion started. */
  day: number
  answer?: { decision: Decision; reason: MultilingualText }
  reply?: { by: number; text: string }
  votes?: [number, number]
}

interface DemoDraft {
  agency: string
  kind: ActKind
  topic: Topic
  status: DraftStatus
  publicService?: boolean
  title: MultilingualText
  summary: MultilingualText
  /** The discussion's first day, in days from today, and its length in days. */
  start?: number
  length?: number
  texts: Array<{ kk: string; ru: string; note?: MultilingualText }>
  comments?: DemoComment[]
  /** For and against the draft. */
  votes?: [number, number]
  adopted?: { url: string; title: MultilingualText }
  withdrawn?: MultilingualText
  /** The draft's id in the drafting system, for a draft that came by import. */
  externalId?: string
  /** The explanatory note that comes with it, in Russian: paragraphs, made into a PDF. */
  explanatoryNote?: string[]
}

const SICK_LEAVE_V1 = {
  kk: `Еңбекке уақытша жарамсыздық парағын электрондық түрде беру қағидалары

1-тарау. Жалпы ережелер
1. Осы Қағидалар еңбекке уақытша жарамсыздық парағын электрондық түрде беру тәртібін айқындайды.
2. Еңбекке уақытша жарамсыздық парағы медициналық ұйымның ақпараттық жүйесінде қалыптастырылады.

2-тарау. Беру тәртібі
3. Парақ пациент жүгінген күні беріледі.
4. Жұмыс беруші параққа «электрондық үкімет» порталы арқылы қол жеткізеді.
5. Парақ 3 жұмыс күні ішінде жабылады.`,
  ru: `Правила выдачи листа временной нетрудоспособности в электронном виде

Глава 1. Общие положения
1. Настоящие Правила определяют порядок выдачи листа временной нетрудоспособности в электронном виде.
2. Лист временной нетрудоспособности формируется в информационной системе медицинской организации.

Глава 2. Порядок выдачи
3. Лист выдаётся в день обращения пациента.
4. Работодатель получает доступ к листу через портал «электронного правительства».
5. Лист закрывается в течение 3 рабочих дней.`,
}

const SICK_LEAVE_V2 = {
  kk: SICK_LEAVE_V1.kk
    .replace('4. Жұмыс беруші параққа «электрондық үкімет» порталы арқылы қол жеткізеді.', '4. Жұмыс беруші параққа пациенттің келісімімен «электрондық үкімет» порталы арқылы қол жеткізеді.')
    .replace('5. Парақ 3 жұмыс күні ішінде жабылады.', '5. Парақ 3 жұмыс күні ішінде жабылады.\n6. Пациент парақтың көшірмесін жеке кабинетінде алады.'),
  ru: SICK_LEAVE_V1.ru
    .replace('4. Работодатель получает доступ к листу через портал «электронного правительства».', '4. Работодатель получает доступ к листу через портал «электронного правительства» с согласия пациента.')
    .replace('5. Лист закрывается в течение 3 рабочих дней.', '5. Лист закрывается в течение 3 рабочих дней.\n6. Пациент получает копию листа в личном кабинете.'),
}

const DRAFTS: DemoDraft[] = [
  {
    agency: 'ministry-of-health', kind: 'order', topic: 'health', status: 'discussion', start: -9, length: 21, externalId: 'EZ-2026-0117',
    explanatoryNote: [
      'Проект приказа разработан в целях перехода на выдачу листов временной нетрудоспособности только в электронном виде.',
      'Сейчас лист выдаётся на бумаге и дублируется в информационной системе медицинской организации; работник сам относит его работодателю.',
      'Проект исключает бумажный лист: работодатель получает его через портал «электронного правительства» в день закрытия.',
      'Принятие проекта не потребует дополнительных расходов из бюджета: информационные системы медицинских организаций уже формируют лист.',
    ],
    title: { kk: 'Еңбекке уақытша жарамсыздық парағын электрондық түрде беру қағидаларын бекіту туралы бұйрық жобасы', ru: 'Проект приказа об утверждении Правил выдачи листа временной нетрудоспособности в электронном виде', en: 'Draft order approving the Rules for issuing sick-leave certificates electronically' },
    summary: { kk: 'Қағаз парақтардан бас тартып, парақты медициналық ұйымның жүйесінде қалыптастыру ұсынылады.', ru: 'Предлагается отказаться от бумажных листов и формировать лист в системе медицинской организации.', en: 'Paper certificates are to be replaced by ones issued in the medical organisation’s system.' },
    texts: [SICK_LEAVE_V1, { ...SICK_LEAVE_V2, note: { kk: '4-тармаққа пациенттің келісімі қосылды, 6-тармақ қосылды.', ru: 'В пункт 4 добавлено согласие пациента, добавлен пункт 6.', en: 'The patient’s consent added to paragraph 4; paragraph 6 added.' } }],
    votes: [14, 3],
    comments: [
      { by: 2, anchor: 'para_5', day: 2, text: 'Срок закрытия в 3 дня слишком короткий для сельских больниц.', votes: [3, 0] },
      { by: 1, anchor: 'para_4', day: 5, text: 'Работодатель не должен видеть диагноз. Предлагаю прямо указать, что доступ даётся только к датам нетрудоспособности.', votes: [9, 0], reply: { by: 2, text: 'Поддерживаю, и нужно согласие пациента.' } },
      { by: 0, anchor: 'para_5', day: 6, text: '3 жұмыс күні ауылдық емханалар үшін аз. 5 жұмыс күнін ұсынамын.', votes: [4, 2] },
      { by: 3, day: 7, text: 'Жоба жақсы, бірақ пациенттің өз парағын көру мүмкіндігі жоқ.', votes: [6, 0] },
    ],
  },
  {
    agency: 'ministry-of-digital-development', kind: 'rules', topic: 'digital', status: 'discussion', start: -8, length: 10,
    title: { kk: 'Ашық деректерді интернет-порталда орналастыру қағидаларына өзгерістер енгізу туралы бұйрық жобасы', ru: 'Проект приказа о внесении изменений в Правила размещения открытых данных на интернет-портале', en: 'Draft order amending the Rules for publishing open data on the internet portal' },
    summary: { kk: 'Деректер жиынтықтарын машинамен оқылатын пішімдерде ғана орналастыру талабы.', ru: 'Требование размещать наборы данных только в машиночитаемых форматах.', en: 'Datasets to be published in machine-readable formats only.' },
    texts: [{
      kk: `1. Деректер жиынтықтары CSV, JSON немесе XML пішімдерінде орналастырылады.\n2. PDF пішіміндегі файлдар деректер жиынтығы ретінде қабылданбайды.\n3. Әр жиынтықтың деректер сөздігі болады.`,
      ru: `1. Наборы данных размещаются в форматах CSV, JSON или XML.\n2. Файлы в формате PDF не принимаются в качестве наборов данных.\n3. Каждый набор сопровождается словарём данных.`,
    }],
    votes: [22, 1],
    comments: [{ by: 2, anchor: 'para_1', day: 1, text: 'Добавьте GeoJSON для пространственных данных.', votes: [7, 0] }],
  },
  {
    agency: 'ministry-of-finance', kind: 'law', topic: 'finance', status: 'closed', start: -40, length: 15,
    title: { kk: '«Азаматтық бюджет туралы» Қазақстан Республикасы Заңының жобасы', ru: 'Проект Закона Республики Казахстан «О гражданском бюджете»', en: 'Draft Law of the Republic of Kazakhstan “On the citizens’ budget”' },
    summary: { kk: 'Бюджеттерді азаматтарға түсінікті түрде жариялау міндеті.', ru: 'Обязанность публиковать бюджеты в понятном гражданам виде.', en: 'Budgets to be published in a form citizens understand.' },
    texts: [{
      kk: `1-бап. Азаматтық бюджет\nАзаматтық бюджет — бюджеттің азаматтарға түсінікті түрде баяндалуы.\n2-бап. Жариялау\nАзаматтық бюджет бюджет бекітілгеннен кейін 10 жұмыс күні ішінде жарияланады.`,
      ru: `Статья 1. Гражданский бюджет\nГражданский бюджет — изложение бюджета в понятном гражданам виде.\nСтатья 2. Опубликование\nГражданский бюджет публикуется в течение 10 рабочих дней после утверждения бюджета.`,
    }],
    votes: [31, 4],
    comments: [
      { by: 3, anchor: 'art_2', day: 2, text: 'Жариялауды машинамен оқылатын пішімде де қарастыру керек.', votes: [12, 0] },
      { by: 1, day: 5, text: 'Нужна ответственность за неопубликование.', votes: [8, 1] },
    ],
  },
  {
    agency: 'ministry-of-enlightenment', kind: 'public-service-standard', topic: 'education', status: 'answered', publicService: true, start: -60, length: 21,
    explanatoryNote: [
      'Проект стандарта государственной услуги «Приём в первый класс» определяет сроки, перечень документов и основания для отказа.',
      'Заявление подаётся через портал «электронного правительства» или в школе; срок оказания услуги — 5 рабочих дней.',
    ],
    title: { kk: '«Бірінші сыныпқа қабылдау» мемлекеттік көрсетілетін қызмет стандартының жобасы', ru: 'Проект стандарта государственной услуги «Приём в первый класс»', en: 'Draft standard of the public service “Enrolment in the first grade”' },
    summary: { kk: 'Өтінішті тек онлайн қабылдау және шешім мерзімін қысқарту.', ru: 'Приём заявлений только онлайн и сокращение срока решения.', en: 'Applications online only, and a shorter time to decide.' },
    texts: [{
      kk: `1. Өтініш «электрондық үкімет» порталы арқылы беріледі.\n2. Шешім 5 жұмыс күні ішінде қабылданады.\n3. Бас тарту себебі өтініш берушіге хабарланады.`,
      ru: `1. Заявление подаётся через портал «электронного правительства».\n2. Решение принимается в течение 5 рабочих дней.\n3. Причина отказа сообщается заявителю.`,
    }],
    votes: [18, 6],
    comments: [
      { by: 1, anchor: 'para_1', day: 2, text: 'Оставьте возможность подать заявление в школе: не у всех есть ЭЦП.', votes: [15, 1], answer: { decision: 'partly', reason: { kk: 'Мектепте өтінішті портал арқылы толтыруға көмек көрсетіледі.', ru: 'В школе будет оказываться помощь в заполнении заявления через портал.' } } },
      { by: 0, anchor: 'para_2', day: 4, text: 'Шешімді 3 жұмыс күнінде қабылдау керек.', votes: [5, 3], answer: { decision: 'rejected', reason: { kk: 'Құжаттарды тексеруге 5 жұмыс күні қажет.', ru: 'Для проверки документов необходимо 5 рабочих дней.' } } },
      { by: 2, anchor: 'para_3', day: 6, text: 'Причина отказа должна ссылаться на норму.', votes: [9, 0], answer: { decision: 'accepted', reason: {} } },
    ],
  },
  {
    agency: 'akimat-almaty', kind: 'akimat-resolution', topic: 'public-administration', status: 'adopted', start: -120, length: 15,
    title: { kk: 'Алматы қаласында үй жануарларын ұстау қағидалары туралы шешім жобасы', ru: 'Проект решения о Правилах содержания домашних животных в городе Алматы', en: 'Draft decision on the Rules for keeping pets in Almaty' },
    summary: { kk: 'Иттерді серуендету алаңдары және тіркеу.', ru: 'Площадки для выгула собак и регистрация животных.', en: 'Dog-walking areas and registration of pets.' },
    texts: [{
      kk: `1. Иттер арнайы алаңдарда серуендетіледі.\n2. Үй жануарлары ветеринариялық ұйымда тіркеледі.`,
      ru: `1. Выгул собак осуществляется на специальных площадках.\n2. Домашние животные регистрируются в ветеринарной организации.`,
    }],
    votes: [40, 12],
    comments: [{ by: 2, anchor: 'para_1', day: 3, text: 'Площадок мало: добавьте обязанность акимата их строить.', votes: [20, 2], answer: { decision: 'accepted', reason: { ru: 'Добавлен пункт о строительстве площадок в каждом районе.', kk: 'Әр ауданда алаңдар салу туралы тармақ қосылды.' } } }],
    adopted: { url: 'https://adilet.zan.kz/rus/docs/V0000000000', title: { ru: 'Решение маслихата города Алматы о Правилах содержания домашних животных', kk: 'Алматы қаласы мәслихатының үй жануарларын ұстау қағидалары туралы шешімі' } },
  },
  {
    agency: 'ministry-of-ecology', kind: 'order', topic: 'environment', status: 'withdrawn', start: -30, length: 10,
    title: { kk: 'Экологиялық рұқсаттар беру тәртібіне өзгерістер туралы бұйрық жобасы', ru: 'Проект приказа об изменениях в порядок выдачи экологических разрешений', en: 'Draft order amending the procedure for environmental permits' },
    summary: { kk: 'Рұқсаттарды беру мерзімін өзгерту.', ru: 'Изменение сроков выдачи разрешений.', en: 'Changes to the time limits for permits.' },
    texts: [{ kk: `1. Рұқсат 15 жұмыс күні ішінде беріледі.`, ru: `1. Разрешение выдаётся в течение 15 рабочих дней.` }],
    withdrawn: { kk: 'Экология кодексіне өзгерістер енгізілгеннен кейін жоба қайта әзірленеді.', ru: 'Проект будет переработан после внесения изменений в Экологический кодекс.' },
  },
  {
    agency: 'ministry-of-finance', kind: 'rules', topic: 'finance', status: 'preparation',
    title: { kk: 'Бюджеттің атқарылуы туралы есептерді жариялау қағидаларының жобасы', ru: 'Проект Правил опубликования отчётов об исполнении бюджета', en: 'Draft Rules for publishing budget execution reports' },
    summary: { kk: 'Есептер ай сайын ашық деректер ретінде жарияланады.', ru: 'Отчёты публикуются ежемесячно как открытые данные.', en: 'Reports published monthly as open data.' },
    texts: [{ kk: `1. Есептер ай сайын жарияланады.\n2. Есептер ашық деректер порталында орналастырылады.`, ru: `1. Отчёты публикуются ежемесячно.\n2. Отчёты размещаются на портале открытых данных.` }],
  },
]

function at(day: Day, hour = 10): string {
  return `${day}T${String(hour).padStart(2, '0')}:00:00+05:00`
}

/** The demo's drafts of regulations: several bodies, every stage, comments on paragraphs, answers, two versions. */
export async function seedDemoLegalActs(tx: Queryable, files: FileStore, now = new Date()): Promise<number> {
  const today = kazakhstanDay(now)
  const year = Number(today.slice(0, 4))
  const calendar = new WorkingCalendar([...lawDays(year - 1), ...lawDays(year), ...lawDays(year + 1)], `${year - 1}-01-01`, `${year + 1}-12-31`)
  // One hash of a password nobody knows serves every demo participant: none can be signed in to.
  const unusable = await hashPassword(randomBytes(24).toString('base64url'))
  const people = await insertDemoPeople(tx, PEOPLE, unusable)
  // Votes come from the people above first, then from as many more demo voters as a draft needs.
  const voters: number[] = [...people]
  const voter = async (i: number) => {
    while (voters.length <= i) {
      const [row] = await tx.query<{ id: number }>(
        `insert into users (email, password_hash, display_name, email_confirmed_at) values ($1, $2, '', now()) on conflict (email) do update set email = excluded.email returning id`,
        [`voter${voters.length}@${DEMO_DOMAIN}`, unusable],
      )
      voters.push(row!.id)
    }
    return voters[i]!
  }
  const vote = async (type: string, id: number, [pro, contra]: [number, number]) => {
    for (let i = 0; i < pro + contra; i += 1) {
      await tx.query('insert into votes (subject_type, subject_id, user_id, value) values ($1, $2, $3, $4)', [type, String(id), await voter(i), i < pro ? 1 : -1])
    }
  }

  for (const demo of DRAFTS) {
    const [agency] = await tx.query<{ id: number }>('select id from agencies where slug = $1', [demo.agency])
    if (!agency) throw new Error(`The demo's draft names a body the demo has not: ${demo.agency}`)
    const start = demo.start === undefined ? null : addDays(today, demo.start)
    const end = start ? addDays(start, demo.length! - 1) : null
    const answersDue = end && demo.status !== 'discussion' ? calendar.addWorkingDays(end, 10) : null
    const created = start ? addDays(start, -3) : addDays(today, -2)
    const [draft] = await tx.query<{ id: number }>(
      `insert into legal_act_drafts (agency_id, kind, topic, title, summary, public_service, status, discussion_start, discussion_end, answers_due,
         adopted_on, adopted_url, adopted_title, withdrawn_reason, created_at, updated_at, external_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now(), $16) returning id`,
      [agency.id, demo.kind, demo.topic, demo.title, demo.summary, demo.publicService ?? false, demo.status, start, end, answersDue,
        demo.adopted && end ? addDays(end, 30) : null, demo.adopted?.url ?? null, demo.adopted?.title ?? null, demo.withdrawn ?? null, at(created),
        demo.externalId ?? null],
    )
    const id = draft!.id
    if (demo.explanatoryNote) {
      const pdf = await textPdf({ title: `Пояснительная записка. ${demo.title.ru}`, paragraphs: demo.explanatoryNote, author: 'Ашық', lang: 'ru' })
      const stored = await files.save(Readable.from([pdf]))
      await tx.query(
        `insert into legal_act_attachments (draft_id, kind, title, file_key, file_name, media_type, size, sha256, created_at)
         values ($1, 'explanatory-note', '{}', $2, 'poyasnitelnaya-zapiska.pdf', 'application/pdf', $3, $4, $5)`,
        [id, stored.key, stored.size, stored.checksum, at(created)],
      )
    }
    const event = (kind: string, day: Day, detail: Record<string, unknown> = {}) =>
      tx.query('insert into legal_act_events (draft_id, kind, at, detail) values ($1, $2, $3, $4)', [id, kind, at(day, 9), detail])
    await event('created', created)
    if (start && end) await event('discussion', start, { start, end })

    const versions: Array<{ id: number; body: TextUnit[] }> = []
    for (const [i, text] of demo.texts.entries()) {
      const body = structureText({ kk: text.kk, ru: text.ru })
      const day = i === 0 ? created : addDays(start!, 4)
      const [version] = await tx.query<{ id: number }>(
        'insert into legal_act_versions (draft_id, number, body, note, created_at) values ($1, $2, $3, $4, $5) returning id',
        [id, i + 1, JSON.stringify(body), text.note ?? {}, at(day, 11)],
      )
      versions.push({ id: version!.id, body })
      if (i > 0) await event('version', day, { number: i + 1 })
    }
    if (demo.votes) await vote('legal-act', id, demo.votes)

    for (const c of demo.comments ?? []) {
      // Comments of the first days are on the first version; those after the second came, on it.
      const version = c.day < 4 || versions.length === 1 ? versions[0]! : versions.at(-1)!
      const [comment] = await tx.query<{ id: number }>(
        `insert into comments (subject_type, subject_id, anchor, author_id, body, created_at, lang)
         values ('legal-act-version', $1, $2, $3, $4, $5, $6) returning id`,
        [String(version.id), c.anchor ?? null, people[c.by]!, c.text, at(addDays(start!, c.day), 12), textLang(c.text, 'ru')],
      )
      if (c.votes) await vote('comment', comment!.id, c.votes)
      if (c.reply) {
        await tx.query(
          `insert into comments (subject_type, subject_id, anchor, parent_id, author_id, body, created_at, lang)
           values ('legal-act-version', $1, $2, $3, $4, $5, $6, $7)`,
          [String(version.id), c.anchor ?? null, comment!.id, people[c.reply.by]!, c.reply.text, at(addDays(start!, c.day), 15), textLang(c.reply.text, 'ru')],
        )
      }
      if (c.answer && end) {
        await tx.query('insert into legal_act_answers (comment_id, draft_id, decision, reason, answered_at) values ($1, $2, $3, $4, $5)', [comment!.id, id, c.answer.decision, c.answer.reason, at(addDays(end, 3))])
      }
    }
    if (end && demo.status !== 'discussion') await event('closed', addDays(end, 1), { answersDue })
    if (end && (demo.status === 'answered' || demo.status === 'adopted')) await event('answered', addDays(end, 5), { proposals: demo.comments?.length ?? 0 })
    if (demo.adopted && end) await event('adopted', addDays(end, 30), { adoptedOn: addDays(end, 30), url: demo.adopted.url })
    if (demo.withdrawn && end) await event('withdrawn', addDays(end, 2))
  }
  return DRAFTS.length
}
