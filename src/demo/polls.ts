import type { Queryable } from '../platform/db/index.ts'
import { addDays, type Day } from '../platform/calendar/days.ts'
import type { MultilingualText } from '../platform/i18n/multilingual.ts'
import { DEMO_DOMAIN } from './users.ts'

const ml = (kk: string, ru: string, en: string): MultilingualText => ({ kk, ru, en })

interface DemoPoll {
  agency: string
  title: MultilingualText
  description: MultilingualText
  choice: 'single' | 'multiple'
  options: MultilingualText[]
  /** Days from today. */
  opens: number
  closes: number
  region?: string
  changeable?: boolean
  freeText?: boolean
  results: 'live' | 'after-close'
  /** How many answered, and how their answers spread: each ballot chooses option i when its number modulo the weights' sum falls in i's share. */
  ballots: number
  weights: number[]
}

const POLLS: DemoPoll[] = [
  {
    agency: 'ministry-of-health', choice: 'single', opens: -30, closes: -5, results: 'after-close', ballots: 1240, weights: [6, 3, 2],
    title: ml('Емханалар сенбі күні жұмыс істеуі керек пе?', 'Должны ли поликлиники работать по субботам?', 'Should clinics open on Saturdays?'),
    description: ml('Министрлік емханалардың жұмыс кестесін қайта қарап жатыр.', 'Министерство пересматривает график работы поликлиник.', 'The ministry is reviewing clinics\' hours.'),
    options: [ml('Иә, толық күн', 'Да, полный день', 'Yes, all day'), ml('Тек таңертең', 'Только утром', 'Mornings only'), ml('Жоқ', 'Нет', 'No')],
  },
  {
    agency: 'akimat-almaty', choice: 'multiple', opens: -3, closes: 20, region: 'almaty', changeable: true, freeText: true, results: 'live', ballots: 380, weights: [5, 4, 2, 1],
    title: ml('Қала көлігінде алдымен нені жақсарту керек?', 'Что в первую очередь улучшить в городском транспорте?', 'What should city transport improve first?'),
    description: ml('Бірнеше нұсқаны таңдауға болады.', 'Можно выбрать несколько вариантов.', 'You may choose several.'),
    options: [
      ml('Автобустардың жиілігі', 'Частота автобусов', 'Bus frequency'), ml('Бөлінген жолақтар', 'Выделенные полосы', 'Bus lanes'),
      ml('Аялдамалар', 'Остановки', 'Stops'), ml('Түнгі бағыттар', 'Ночные маршруты', 'Night routes'),
    ],
  },
  {
    agency: 'ministry-of-finance', choice: 'single', opens: 5, closes: 35, results: 'after-close', ballots: 0, weights: [1],
    title: ml('Азаматтық бюджет қай түрде ыңғайлы?', 'В каком виде удобнее читать гражданский бюджет?', 'How would you rather read the citizens\' budget?'),
    description: ml('', '', ''),
    options: [ml('Инфографика', 'Инфографика', 'Infographics'), ml('Қысқа мәтін', 'Короткий текст', 'A short text'), ml('Кесте', 'Таблица', 'A table')],
  },
]

/** The demo's polls: one closed with its results, one open to Almaty's residents with live counts, one to come. */
export async function seedDemoPolls(tx: Queryable, today: Day, unusableHash: string): Promise<number> {
  // The voters: accounts of their own, made in one statement each (a poll has a ballot per account).
  const most = Math.max(...POLLS.map((p) => p.ballots))
  const voters = (await tx.query<{ id: string }>(
    `insert into users (email, password_hash, display_name, lang, email_confirmed_at)
     select 'poll-voter' || g || '@' || $2, $1, '', case when g % 3 = 0 then 'ru' else 'kk' end, now() from generate_series(1, $3::int) g
     on conflict (email) do update set email = excluded.email returning id`,
    [unusableHash, DEMO_DOMAIN, most],
  )).map((r) => r.id)
  for (const p of POLLS) {
    const [agency] = await tx.query<{ id: string }>('select id from agencies where slug = $1', [p.agency])
    const [creator] = await tx.query<{ id: string }>('select id from users order by id limit 1')
    const closed = p.closes < 0
    const [poll] = await tx.query<{ id: string }>(
      `insert into dialogue_polls (agency_id, title, description, choice, free_text, opens_on, closes_on, region_code, changeable, results, status, created_by, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning id`,
      [agency!.id, p.title, p.description, p.choice, p.freeText ?? false, addDays(today, p.opens), addDays(today, p.closes), p.region ?? null,
        p.changeable ?? false, p.results, closed ? 'closed' : 'published', creator!.id, `${addDays(today, Math.min(p.opens, 0) - 1)}T05:00:00Z`],
    )
    const options: string[] = []
    for (const [i, label] of p.options.entries()) {
      const [option] = await tx.query<{ id: string }>('insert into dialogue_poll_options (poll_id, position, label) values ($1, $2, $3) returning id', [poll!.id, i + 1, label])
      options.push(option!.id)
    }
    await tx.query("insert into dialogue_poll_events (poll_id, kind, at, detail) values ($1, 'published', $2, $3)",
      [poll!.id, `${addDays(today, Math.min(p.opens, 0) - 1)}T05:00:00Z`, { opensOn: addDays(today, p.opens), closesOn: addDays(today, p.closes) }])
    if (p.ballots === 0) continue
    const ids = voters.slice(0, p.ballots)
    if (p.region) await tx.query('update users set region_code = $2 where id = any($1::bigint[])', [ids, p.region])
    await tx.query('insert into dialogue_poll_ballots (poll_id, user_id, cast_at) select $1, unnest($2::bigint[]), now()', [poll!.id, ids])
    // Each ballot's first choice by the weights; in a multiple-choice poll every third also takes the next option.
    const total = p.weights.reduce((a, b) => a + b, 0)
    const pick = (n: number) => {
      let left = n % total
      for (const [i, w] of p.weights.entries()) { if (left < w) return i; left -= w }
      return 0
    }
    const choices = ids.flatMap((id, n) => {
      const first = pick(n * 7 + 3)
      const chosen = [first, ...(p.choice === 'multiple' && n % 3 === 0 ? [(first + 1) % options.length] : [])]
      return chosen.map((i) => [id, options[i]!] as const)
    })
    await tx.query('insert into dialogue_poll_choices (poll_id, user_id, option_id) select $1, u, o from unnest($2::bigint[], $3::bigint[]) as c(u, o)',
      [poll!.id, choices.map((c) => c[0]), choices.map((c) => c[1])])
    if (closed) {
      await tx.query("insert into dialogue_poll_events (poll_id, kind, at, detail) values ($1, 'closed', $2, $3)", [poll!.id, `${addDays(today, p.closes + 1)}T00:10:00Z`, { ballots: p.ballots }])
    }
  }
  return POLLS.length
}
