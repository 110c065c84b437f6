import type { Queryable } from '../platform/db/index.ts'
import { addDays, type Day, type WorkingCalendar } from '../platform/calendar/days.ts'
import { DEFAULT_PETITION_RULES } from '../platform/config.ts'
import type { PetitionEventKind, PetitionStatus } from '../modules/dialogue/petitions/states.ts'
import type { PetitionLevel } from '../modules/dialogue/petitions/rules.ts'
import { signaturesNeeded } from '../modules/dialogue/petitions/rules.ts'
import { DEMO_DOMAIN } from './users.ts'
import { DEMO_POPULATION } from './regions.ts'

const RULES = DEFAULT_PETITION_RULES

interface DemoPetition {
  agency: string
  level: PetitionLevel
  status: PetitionStatus
  lang: 'kk' | 'ru'
  title: string
  request: string
  body: string
  showName: boolean
  /** Days ago it was submitted to moderation (none: a draft). */
  submitted?: number
  /** Days after submission it was published or rejected. */
  moderatedAfter?: number
  /** Signatures: how many, and the region most of them come from (none: spread as the country lives). */
  signatures?: number
  from?: string
  /** Days after publication it reached its number, and after that its discussion opened and its decision came. */
  supportedAfter?: number
  discussionAfter?: number
  answeredAfter?: number
  decision?: { kk: string; ru: string }
  rejection?: { reason: string; note: string }
}

const PETITIONS: DemoPetition[] = [
  {
    agency: 'ministry-of-health', level: 'government', status: 'collecting', lang: 'ru', showName: true, submitted: 40, moderatedAfter: 6, signatures: 6_800,
    title: 'Бесплатная стоматологическая помощь детям до 18 лет во всех регионах',
    request: 'Включить лечение зубов детей до 18 лет в гарантированный объём бесплатной медицинской помощи во всех регионах.',
    body: 'Сейчас бесплатное лечение доступно детям не во всех поликлиниках, а в сёлах очередь к стоматологу растягивается на месяцы.',
  },
  {
    agency: 'ministry-of-transport', level: 'government', status: 'collecting', lang: 'kk', showName: false, submitted: 12, moderatedAfter: 5, signatures: 12,
    title: 'Облыс орталықтары арасында түнгі пойыздар қосылсын',
    request: 'Облыс орталықтарын Астанамен байланыстыратын түнгі жолаушылар пойыздарын қосу.',
    body: 'Көп бағытта пойыз тек күндіз жүреді, ал жолаушылар түнде жүруді қалайды.',
  },
  {
    agency: 'akimat-abai', level: 'regional-akimat', status: 'consideration', lang: 'kk', showName: true, submitted: 70, moderatedAfter: 8, signatures: 6_050, from: 'abai', supportedAfter: 50,
    title: 'Семейдегі Ертіс жағалауын абаттандыру',
    request: 'Ертіс өзенінің Семей қаласы ішіндегі жағалауын абаттандырып, жаяу жүргіншілер аймағын салу.',
    body: 'Жағалау қаланың орталығында, бірақ қазір онда жарық та, жаяу жол да жоқ.',
  },
  {
    agency: 'akimat-ulytau', level: 'regional-akimat', status: 'consideration', lang: 'ru', showName: false, submitted: 150, moderatedAfter: 10, signatures: 2_300, from: 'ulytau', supportedAfter: 30,
    title: 'Восстановить автобусный маршрут Жезказган — Улытау',
    request: 'Восстановить ежедневный автобусный маршрут между Жезказганом и селом Улытау.',
    body: 'После отмены маршрута жителям приходится добираться на частных машинах.',
  },
  {
    agency: 'akimat-ulytau', level: 'regional-maslikhat', status: 'discussion', lang: 'kk', showName: true, submitted: 120, moderatedAfter: 7, signatures: 4_500, from: 'ulytau', supportedAfter: 60, discussionAfter: 10,
    title: 'Жезқазғанда жасөспірімдерге арналған спорт кешені салынсын',
    request: 'Облыстық бюджетте Жезқазған қаласында жасөспірімдерге арналған жабық спорт кешенін салуды қарастыру.',
    body: 'Қаладағы жалғыз спорт залы балалардың бәрін сыйғыза алмайды.',
  },
  {
    agency: 'akimat-ulytau', level: 'regional-akimat', status: 'answered', lang: 'ru', showName: true, submitted: 200, moderatedAfter: 9, signatures: 2_400, from: 'ulytau', supportedAfter: 45, discussionAfter: 10, answeredAfter: 25,
    title: 'Открыть детскую библиотеку в Сатпаеве',
    request: 'Открыть в Сатпаеве детскую библиотеку с читальным залом.',
    body: 'В городе нет ни одной детской библиотеки.',
    decision: {
      kk: 'Әкімдік петицияны қолдады: балалар кітапханасы келесі жылы Сәтбаев қаласындағы мәдениет үйінің ғимаратында ашылады.',
      ru: 'Акимат поддержал петицию: детская библиотека откроется в следующем году в здании городского дома культуры Сатпаева.',
    },
  },
  {
    agency: 'ministry-of-culture-and-information', level: 'government', status: 'not-supported', lang: 'ru', showName: false, submitted: 130, moderatedAfter: 5, signatures: 1_150,
    title: 'Бесплатный вход в государственные музеи по воскресеньям',
    request: 'Сделать вход во все государственные музеи бесплатным по воскресеньям.',
    body: 'Так делают во многих странах: музеи становятся доступнее для семей.',
  },
  {
    agency: 'ministry-of-enlightenment', level: 'government', status: 'rejected', lang: 'ru', showName: true, submitted: 30, moderatedAfter: 12,
    title: 'Отменить требование о знании государственного языка',
    request: 'Отменить требование о знании государственного языка для работников школ.',
    body: '',
    rejection: { reason: 'state-language', note: 'Вопросы государственного языка по закону не могут быть предметом петиции.' },
  },
  {
    agency: 'ministry-of-ecology', level: 'government', status: 'withdrawn', lang: 'kk', showName: true, submitted: 60, moderatedAfter: 4, signatures: 80,
    title: 'Пластик пакеттерге тыйым салынсын',
    request: 'Дүкендерде бір рет қолданылатын пластик пакеттерге тыйым салу.',
    body: 'Авторлар дәл осындай петицияға қосылу үшін өз петициясын кері қайтарды.',
  },
  {
    agency: 'ministry-of-digital-development', level: 'government', status: 'moderation', lang: 'ru', showName: true, submitted: 3,
    title: 'Электронные очереди в ЦОНах через eGov Mobile',
    request: 'Дать возможность занимать электронную очередь в ЦОН через eGov Mobile.',
    body: '',
  },
  {
    agency: 'ministry-of-agriculture', level: 'government', status: 'moderation', lang: 'kk', showName: false, submitted: 45,
    title: 'Ауыл шаруашылығы техникасына жеңілдікті лизинг',
    request: 'Шағын шаруа қожалықтарына техника лизингінің мөлшерлемесін төмендету.',
    body: '',
  },
  {
    agency: 'akimat-almaty', level: 'regional-akimat', status: 'draft', lang: 'ru', showName: true,
    title: 'Велодорожки на проспекте Абая',
    request: 'Построить выделенные велодорожки вдоль проспекта Абая.',
    body: '',
  },
]

const NAMES = ['Айгерім С.', 'Ерлан Қ.', 'Наталья В.', 'Дәурен А.', 'Мадина Ж.', 'Игорь Л.', 'Гүлнар Т.', 'Асхат Б.', 'Ольга К.', 'Нұрлан М.']

function at(day: Day, hour = 11): string {
  return `${day}T${String(hour).padStart(2, '0')}:00:00+05:00`
}

/**
 * The demo's petitions, one in every state (a draft, in moderation and past its deadline, rejected,
 * by its link alone, collecting thousands of signatures over every region, supported and considered,
 * overdue, discussed, answered, not supported, withdrawn), signed by accounts of their own.
 */
export async function seedDemoPetitions(tx: Queryable, today: Day, calendar: WorkingCalendar, authors: readonly number[], unusableHash: string): Promise<number> {
  const most = Math.max(...PETITIONS.map((p) => p.signatures ?? 0))
  const signers = (await tx.query<{ id: string }>(
    `insert into users (email, password_hash, display_name, lang, email_confirmed_at)
     select 'petition-signer' || g || '@' || $2, $1, case when g % 9 = 0 then ($4::text[])[1 + (g / 9) % $5] else '' end, case when g % 3 = 0 then 'ru' else 'kk' end, now()
     from generate_series(1, $3::int) g
     on conflict (email) do update set email = excluded.email returning id`,
    [unusableHash, DEMO_DOMAIN, most, NAMES, NAMES.length],
  )).map((r) => r.id)
  // The country's regions by how many live there: a signature's region, when a petition is not a region's own.
  const regions = Object.entries(DEMO_POPULATION)
  const people = regions.reduce((n, [, p]) => n + p, 0)
  const regionOf = (n: number, own: string | undefined): string | null => {
    if (n % 20 === 19) return null
    if (own && n % 10 < 8) return own
    let left = ((n * 7919) % people)
    for (const [code, population] of regions) { if (left < population) return code; left -= population }
    return regions[0]![0]
  }
  for (const [i, p] of PETITIONS.entries()) {
    const [agency] = await tx.query<{ id: string; population: number | null }>(
      'select a.id, r.population from agencies a left join regions r on r.code = a.region_code where a.slug = $1', [p.agency])
    if (!agency) throw new Error(`The demo's petitions name a body the demo has not: ${p.agency}`)
    const author = authors[i % authors.length]!
    const submitted = p.submitted === undefined ? null : addDays(today, -p.submitted)
    const moderationDue = submitted && calendar.addWorkingDays(submitted, RULES.moderationWorkingDays)
    const moderated = submitted && p.moderatedAfter !== undefined ? addDays(submitted, p.moderatedAfter) : null
    const published = p.status !== 'rejected' ? moderated : null
    const needed = published ? signaturesNeeded(p.level, RULES, agency.population) : null
    const until = published && addDays(published, RULES.collectingDays)
    const supported = published && p.supportedAfter !== undefined ? addDays(published, p.supportedAfter) : null
    const considerationDue = supported && calendar.addWorkingDays(supported, p.level === 'government' ? RULES.centralWorkingDays : RULES.localWorkingDays)
    const discussed = supported && p.discussionAfter !== undefined ? addDays(supported, p.discussionAfter) : null
    const answered = supported && p.answeredAfter !== undefined ? addDays(supported, p.answeredAfter) : null
    const count = p.signatures ?? 0
    const listed = published && count >= RULES.publicAt ? addDays(published, 1) : null
    const [row] = await tx.query<{ id: string }>(
      `insert into dialogue_petitions (agency_id, level, author_id, show_name, lang, title, body, request, status, signatures, signatures_needed, public_at,
         submitted_on, moderation_due, published_on, collecting_until, listed_on, supported_on, consideration_due, answered_on, rejection_reason, rejection_note, decision, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $24) returning id`,
      [agency.id, p.level, author, p.showName, p.lang, p.title, p.body, p.request, p.status, count, needed, RULES.publicAt,
        submitted, moderationDue, published, until, listed, supported, considerationDue, answered, p.rejection?.reason ?? null, p.rejection?.note ?? null,
        p.decision ?? null, at(submitted ?? addDays(today, -1), 9)],
    )
    const id = row!.id
    const event = (kind: PetitionEventKind, day: Day, detail: Record<string, unknown> = {}, actor: number | null = null) =>
      tx.query('insert into dialogue_petition_events (petition_id, kind, actor_id, at, detail) values ($1, $2, $3, $4, $5)', [id, kind, actor, at(day), detail])
    await event('created', submitted ?? today, {}, author)
    if (submitted) await event('submitted', submitted, { moderationDue }, author)
    if (p.status === 'rejected') await event('rejected', moderated!, { reason: p.rejection!.reason })
    if (published) await event('published', published, { needed, until })
    if (listed) await event('listed', listed, { signatures: RULES.publicAt })
    if (supported) await event('supported', supported, { signatures: needed, considerationDue })
    if (discussed) await event('discussion', discussed)
    if (answered) await event('answered', answered, { onTime: answered <= considerationDue! })
    if (p.status === 'not-supported') await event('not-supported', addDays(until!, 1), { signatures: count })
    if (p.status === 'withdrawn') await event('withdrawn', addDays(published!, 20), {}, author)
    if (count === 0) continue
    // Signed over the days it collected, evenly: the last signature on the day it was supported, or today.
    const lastDay = supported ?? (p.status === 'not-supported' || p.status === 'withdrawn' ? addDays(published!, 19) : today)
    const span = Math.max(1, (Date.parse(lastDay) - Date.parse(published!)) / 86_400_000)
    const ids = signers.slice(0, count)
    await tx.query(
      `insert into dialogue_petition_signatures (petition_id, user_id, show_name, region_code, signed_at, address_hash)
       select $1, u, (select display_name <> '' from users where id = u), r, ($4::date + make_interval(secs => (n::float8 / $5) * $6 * 86400))::timestamptz,
         encode(sha256(convert_to('demo ' || u, 'UTF8')), 'hex')
       from unnest($2::bigint[], $3::text[]) with ordinality as s(u, r, n)`,
      [id, ids, ids.map((_, n) => regionOf(n, p.from)), published, count, span],
    )
  }
  return PETITIONS.length
}
