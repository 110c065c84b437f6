import { textLang } from '../platform/i18n/detect.ts'
import { randomBytes } from 'node:crypto'
import type { Queryable } from '../platform/db/index.ts'
import { hashPassword } from '../platform/auth/passwords.ts'
import { addDays, kazakhstanDay, lawDays, WorkingCalendar, type Day } from '../platform/calendar/days.ts'
import { DEFAULT_DIALOGUE_RULES } from '../platform/config.ts'
import type { MultilingualText } from '../platform/i18n/multilingual.ts'
import { questionDeadlines } from '../modules/dialogue/questions/deadlines.ts'
import type { Topic } from '../modules/dialogue/kinds.ts'
import type { QuestionEventKind } from '../modules/dialogue/questions/states.ts'
import { DEMO_DOMAIN } from './users.ts'
import { insertDemoPeople } from './people.ts'
import { seedDemoPolls } from './polls.ts'
import { seedDemoPetitions } from './petitions.ts'

const ml = (kk: string, ru: string, en: string): MultilingualText => ({ kk, ru, en })

// The heads whose pages the demo fills in; the people are invented.
export const BLOGS = [
  {
    agency: 'ministry-of-health', name: ml('Айгүл Серікқызы Нұрланова', 'Айгуль Сериковна Нурланова', 'Aigul Nurlanova'),
    position: ml('Денсаулық сақтау министрі', 'Министр здравоохранения', 'Minister of Health'),
    biography: ml('Дәрігер, денсаулық сақтауды басқаруда 20 жылдық тәжірибесі бар.', 'Врач, 20 лет в управлении здравоохранением.', 'A physician with 20 years in health administration.'),
    areas: ml('Медициналық көмек, дәрі-дәрмекпен қамтамасыз ету, еңбекке уақытша жарамсыздық парақтары. Жергілікті емханалар — әкімдіктер.', 'Медицинская помощь, лекарственное обеспечение, листы нетрудоспособности. Местные поликлиники — акиматы.', 'Medical care, medicines, sick-leave certificates. Local clinics are the akimats\'.'),
  },
  {
    agency: 'ministry-of-finance', name: ml('Ерлан Бақытұлы Жақсылықов', 'Ерлан Бакытович Жаксылыков', 'Yerlan Zhaksylykov'),
    position: ml('Қаржы министрі', 'Министр финансов', 'Minister of Finance'),
    biography: ml('Экономист, бұрын бюджетті жоспарлау департаментін басқарған.', 'Экономист, прежде руководил департаментом бюджетного планирования.', 'An economist, formerly head of budget planning.'),
    areas: ml('Республикалық бюджет, салықтар, мемлекеттік сатып алу.', 'Республиканский бюджет, налоги, государственные закупки.', 'The republican budget, taxes, public procurement.'),
  },
  {
    agency: 'akimat-almaty', name: ml('Дәурен Асқарұлы Төлеубаев', 'Даурен Аскарович Тулеубаев', 'Dauren Tuleubayev'),
    position: ml('Алматы қаласының әкімі', 'Аким города Алматы', 'Akim of Almaty'),
    biography: ml('Қала шаруашылығы және көлік саласында жұмыс істеген.', 'Работал в городском хозяйстве и транспорте.', 'Worked in city services and transport.'),
    areas: ml('Қала жолдары, қоғамдық көлік, абаттандыру, тұрғын үй-коммуналдық шаруашылық.', 'Городские дороги, общественный транспорт, благоустройство, ЖКХ.', 'City roads, public transport, public spaces, housing and utilities.'),
  },
] as const

const ASKERS = [
  { email: `marat.b@${DEMO_DOMAIN}`, name: 'Марат Б.', lang: 'ru' },
  { email: `zhanar.t@${DEMO_DOMAIN}`, name: 'Жанар Тілеуова', lang: 'kk' },
  { email: `sergey.p@${DEMO_DOMAIN}`, name: 'Сергей Петров', lang: 'ru' },
] as const

interface DemoQuestion {
  agency: string
  /** Where it was asked first, for one forwarded on. */
  askedOf?: string
  by: number
  showName: boolean
  topic: Topic
  lang: 'kk' | 'ru'
  body: string
  /** Days ago it was received. */
  ago: number
  status: 'moderation' | 'published' | 'answered' | 'rejected'
  extended?: { days: number; reason: MultilingualText }
  answer?: { text: MultilingualText; after: number; rating?: 1 | -1; comment?: string }
}

const QUESTIONS: DemoQuestion[] = [
  { agency: 'ministry-of-health', by: 0, showName: true, topic: 'health', lang: 'ru', ago: 30, status: 'answered', body: 'Почему электронный больничный лист закрывают только через три дня после выписки? Работодатель не может начислить пособие.',
    answer: { text: ml('Парақ шығарылған күні жабылады; жүйе жаңартылды.', 'Лист закрывается в день выписки: информационная система обновлена 1 числа месяца.', 'The certificate is closed on the day of discharge.'), after: 9, rating: 1, comment: 'Спасибо, теперь работает.' } },
  { agency: 'ministry-of-health', by: 1, showName: true, topic: 'health', lang: 'kk', ago: 25, status: 'answered', body: 'Ауылдық емханада педиатр жоқ. Балаларды қалаға апаруға мәжбүрміз. Мәселе қашан шешіледі?',
    answer: { text: ml('Аудандық ауруханаға екі педиатр қабылданды, ауылда аптасына екі күн қабылдау өткізеді.', 'В районную больницу приняты два педиатра, в селе приём два дня в неделю.', 'Two paediatricians were hired; they see patients in the village twice a week.'), after: 18, rating: -1, comment: 'Екі күн аз.' } },
  { agency: 'ministry-of-health', by: 2, showName: false, topic: 'public-services', lang: 'ru', ago: 6, status: 'published', body: 'Можно ли записаться к узкому специалисту без направления терапевта через портал?' },
  { agency: 'ministry-of-health', by: 0, showName: true, topic: 'health', lang: 'ru', ago: 40, status: 'published', body: 'Когда в аптеках появится бесплатный инсулин по программе ГОБМП? Третий месяц нет в наличии.' },
  { agency: 'ministry-of-health', by: 2, showName: true, topic: 'health', lang: 'ru', ago: 12, status: 'published', body: 'Сколько ждать квоту на операцию на сердце? Очередь не движется с весны.',
    extended: { days: 30, reason: ml('Квоталар бойынша облыстардан деректер сұратылды.', 'Запрошены данные по квотам из областей.', 'Quota data was requested from the regions.') } },
  { agency: 'ministry-of-health', by: 1, showName: true, topic: 'health', lang: 'kk', ago: 1, status: 'moderation', body: 'Дәріханада рецептсіз антибиотик сатылады. Бұл заңды ма?' },
  { agency: 'akimat-almaty', askedOf: 'ministry-of-health', by: 2, showName: true, topic: 'transport', lang: 'ru', ago: 1, status: 'moderation', body: 'На улице Абая у поликлиники нет пешеходного перехода, пациенты перебегают дорогу.' },
  { agency: 'akimat-almaty', by: 0, showName: true, topic: 'housing', lang: 'ru', ago: 20, status: 'answered', body: 'Когда заменят трубы отопления в доме на Сатпаева, 30? Каждую зиму аварии.',
    answer: { text: ml('Ауыстыру 2027 жылдың жазына жоспарланған.', 'Замена включена в план на лето 2027 года.', 'The replacement is planned for summer 2027.'), after: 24 } },
  { agency: 'ministry-of-finance', by: 1, showName: true, topic: 'finance', lang: 'kk', ago: 8, status: 'published', body: 'Жеке кәсіпкерге салық декларациясын қағаз түрінде тапсыруға бола ма?' },
]

function at(day: Day, hour = 10): string {
  return `${day}T${String(hour).padStart(2, '0')}:00:00+05:00`
}

/** The demo's Open Dialogue: three heads' pages, and questions in every state (answered, awaiting, forwarded, extended, overdue, in moderation). */
export async function seedDemoDialogue(tx: Queryable, now = new Date()): Promise<number> {
  const today = kazakhstanDay(now)
  const year = Number(today.slice(0, 4))
  const calendar = new WorkingCalendar([...lawDays(year - 1), ...lawDays(year), ...lawDays(year + 1)], `${year - 1}-01-01`, `${year + 1}-12-31`)
  const agencyId = async (slug: string) => {
    const [row] = await tx.query<{ id: number }>('select id from agencies where slug = $1', [slug])
    if (!row) throw new Error(`The demo's dialogue names a body the demo has not: ${slug}`)
    return row.id
  }
  // The heads are the registry's (the demo's bodies are seeded with these heads): the blog describes them.
  for (const blog of BLOGS) {
    await tx.query(
      `insert into dialogue_blogs (agency_id, person_id, biography, areas)
       select $1, person_id, $2, $3 from positions where agency_id = $1 and role = 'head' and ended_on is null`,
      [await agencyId(blog.agency), blog.biography, blog.areas],
    )
  }
  const unusable = await hashPassword(randomBytes(24).toString('base64url'))
  const askers = await insertDemoPeople(tx, ASKERS, unusable)
  for (const q of QUESTIONS) {
    const received = addDays(today, -q.ago)
    const d = questionDeadlines(calendar, received, DEFAULT_DIALOGUE_RULES)
    const owner = await agencyId(q.agency)
    const asked = q.askedOf ? await agencyId(q.askedOf) : owner
    const answeredOn = q.answer ? addDays(received, q.answer.after) : null
    const [row] = await tx.query<{ id: number }>(
      `insert into dialogue_questions (agency_id, asked_agency_id, asker_id, show_name, topic, lang, body, status, received_on, moderation_due, forward_due, due_on,
         extended_to, extension_reason, forwarded_from, published_at, answer, answered_at, answered_on, rating, rating_comment, rated_at, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) returning id`,
      [owner, asked, askers[q.by]!, q.showName, q.topic, q.lang, q.body, q.status, received, d.moderationDue, d.forwardDue, d.dueOn,
        q.extended ? addDays(d.dueOn, q.extended.days) : null, q.extended?.reason ?? null, q.askedOf ? asked : null,
        q.status === 'published' || q.status === 'answered' ? at(addDays(received, 1)) : null,
        q.answer?.text ?? null, answeredOn ? at(answeredOn, 16) : null, answeredOn, q.answer?.rating ?? null, q.answer?.comment ?? null,
        q.answer?.rating ? at(answeredOn!, 20) : null, at(received, 9)],
    )
    const id = row!.id
    const event = (kind: QuestionEventKind, day: Day, detail: Record<string, unknown> = {}) =>
      tx.query('insert into dialogue_question_events (question_id, kind, at, detail) values ($1, $2, $3, $4)', [id, kind, at(day, 11), detail])
    await event('received', received, { dueOn: d.dueOn })
    if (q.askedOf) await event('forwarded', received, { from: q.askedOf, to: q.agency })
    if (q.status === 'published' || q.status === 'answered') await event('published', addDays(received, 1))
    if (q.extended) await event('extended', addDays(received, 5), { to: addDays(d.dueOn, q.extended.days) })
    if (answeredOn) await event('answered', answeredOn, { onTime: answeredOn <= d.dueOn })
    if (q.answer?.rating) await event('rated', answeredOn!, { rating: q.answer.rating })
  }
  // A post of the Minister of Health, and a citizen's comment on it.
  const health = await agencyId('ministry-of-health')
  const [post] = await tx.query<{ id: number }>(
    'insert into dialogue_posts (agency_id, title, body, published_at) values ($1, $2, $3, $4) returning id',
    [health, ml('Электрондық еңбекке жарамсыздық парағы: не өзгереді', 'Электронный больничный лист: что меняется', 'Electronic sick-leave certificates: what changes'),
      ml('1 қаңтардан бастап парақ тек электрондық түрде беріледі. Жұмыс берушілер оны «электрондық үкімет» порталынан алады.',
        'С 1 января лист выдаётся только в электронном виде. Работодатели получают его через портал «электронного правительства».',
        'From 1 January the certificate is issued only electronically; employers receive it through the e-government portal.'),
      at(addDays(today, -3))],
  )
  await tx.query(
    "insert into comments (subject_type, subject_id, author_id, body, created_at, lang) values ('dialogue-post', $1, $2, $3, $4, 'ru')",
    [String(post!.id), askers[2]!, 'А если у работника нет доступа к порталу?', at(addDays(today, -2), 12)],
  )
  // A web conference held a week ago, with its questions voted up, its answers and its recording; and one to come.
  const [held] = await tx.query<{ id: number }>(
    `insert into dialogue_conferences (agency_id, title, description, starts_at, recording_url) values ($1, $2, $3, $4, 'https://www.youtube.com/watch?v=demo-ashyq') returning id`,
    [health, ml('Министрмен онлайн-конференция: бастапқы медициналық көмек', 'Онлайн-конференция с министром: первичная медицинская помощь', 'Web conference with the Minister: primary care'),
      ml('Емханаларға жазылу, үйге дәрігер шақыру, кезектер.', 'Запись в поликлиники, вызов врача на дом, очереди.', 'Booking clinics, home visits, queues.'), at(addDays(today, -7), 15)],
  )
  const sent = [
    { by: 0, text: 'Почему к терапевту запись только на через две недели?', votes: 14, answer: ml('Жазылу терезесі 3 күнге дейін қысқартылады.', 'Окно записи сократят до 3 дней: в поликлиники принимают 400 терапевтов.', 'The wait will be cut to 3 days.') },
    { by: 1, text: 'Үйге дәрігер шақыру қызметі ауылда неге жұмыс істемейді?', votes: 9, answer: ml('Ауылдарға жылжымалы бригадалар жіберіледі.', 'В сёла направят выездные бригады.', 'Mobile teams will be sent to villages.') },
  ]
  for (const q of sent) {
    const [comment] = await tx.query<{ id: number }>(
      "insert into comments (subject_type, subject_id, author_id, body, created_at, lang) values ('dialogue-conference', $1, $2, $3, $4, $5) returning id",
      [String(held!.id), askers[q.by]!, q.text, at(addDays(today, -9), 12), textLang(q.text, 'ru')],
    )
    for (let i = 0; i < q.votes; i += 1) {
      const [voter] = await tx.query<{ id: number }>(
        `insert into users (email, password_hash, display_name, email_confirmed_at) values ($1, $2, '', now()) on conflict (email) do update set email = excluded.email returning id`,
        [`voter${i}@${DEMO_DOMAIN}`, unusable],
      )
      await tx.query("insert into votes (subject_type, subject_id, user_id, value) values ('comment', $1, $2, 1)", [String(comment!.id), voter!.id])
    }
    await tx.query('insert into dialogue_conference_answers (comment_id, conference_id, answer, answered_at) values ($1, $2, $3, $4)', [comment!.id, held!.id, q.answer, at(addDays(today, -6), 10)])
  }
  await tx.query(
    'insert into dialogue_conferences (agency_id, title, description, starts_at) values ($1, $2, $3, $4)',
    [await agencyId('akimat-almaty'), ml('Әкіммен онлайн-конференция: қала көлігі', 'Онлайн-конференция с акимом: городской транспорт', 'Web conference with the Akim: city transport'),
      ml('Автобус бағыттары, жаңа жолдар, тұрақтар.', 'Маршруты автобусов, новые дороги, парковки.', 'Bus routes, new roads, parking.'), at(addDays(today, 10), 16)],
  )
  await seedDemoPolls(tx, today, unusable)
  await seedDemoPetitions(tx, today, calendar, askers, unusable)
  return QUESTIONS.length
}
