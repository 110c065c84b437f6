import type { Db } from '../platform/db/index.ts'
import type { FileStore } from '../platform/files/index.ts'
import { addDays, type Day } from '../platform/calendar/days.ts'
import { SYSTEM_ACTOR } from '../platform/audit/index.ts'
import { findUser, insertRoleGrant } from '../platform/auth/accounts.ts'
import type { Role } from '../platform/auth/roles.ts'
import type { MultilingualText } from '../platform/i18n/multilingual.ts'
import { agencySlugById } from '../modules/agencies/service.ts'
import { methodologies, publishMethodology, snapshotScores, takeSnapshot, type Snapshot } from '../modules/openness/service.ts'
import { decideDispute, submitDispute } from '../modules/openness/disputes/service.ts'
import { addMember, endMembership, holdMeeting, planMeeting, proposedHearings, recommend, reportOnRecommendation } from '../modules/openness/commission/service.ts'
import { keepResultsDataset } from '../modules/openness/results.ts'
import { publishReport, writeReportText } from '../modules/openness/report.ts'
import { DEMO_DOMAIN } from './users.ts'

const ORIGIN = 'http://localhost:3000'
const ml = (kk: string, ru: string, en: string): MultilingualText => ({ kk, ru, en })

/** An account of the demo's openness work (a body's official, a commission member), which no one signs in with. */
async function demoOfficial(db: Db, email: string, role: Role, agency?: string) {
  const [row] = await db.query<{ id: number }>(
    "insert into users (email, password_hash, display_name, email_confirmed_at) values ($1, '!', 'Demo', now()) on conflict (email) do update set email = excluded.email returning id", [`${email}@${DEMO_DOMAIN}`])
  await insertRoleGrant(db, SYSTEM_ACTOR, row!.id, role, agency)
  return (await findUser(db, row!.id))!
}

/**
 * A year of monthly snapshots of the openness index, the last one today: the bodies' scores move as
 * their facts came in. Last month's snapshot was disputed twice (one dispute accepted, one rejected);
 * the Commission has its members, a meeting held last month that heard the lowest scorers and made
 * recommendations (one reported on, one overdue) and one planned; each year's results are in the catalog,
 * and this year's report is published with the Commission's text.
 */
export async function seedDemoOpenness(db: Db, files: FileStore, today: Day, publisher: string): Promise<void> {
  const snapshots: Snapshot[] = []
  const commission = await demoOfficial(db, 'openness-commission', 'commission')
  for (let month = 11; month >= 0; month--) {
    // Half a year ago the commission weighed petitions and budget discussions in: the later snapshots say version 2.
    if (month === 5) {
      await publishMethodology(db, commission, {
        weights: { ...(await methodologies(db))[0]!.weights, 'petitions.answered-on-time': 10, 'budgets.comments-answered': 5, 'data.complete-kk': 10 },
        note: { kk: 'Петициялар бойынша шешімдердің уақтылығы, бюджетті талқылауға жауаптар және деректердің қазақша сипаттамасы қосылды', ru: 'Добавлены своевременность решений по петициям, ответы в обсуждениях бюджетов и описания данных на казахском языке', en: 'Petitions decided on time, answers in budget discussions and datasets described in Kazakh added' },
      })
    }
    snapshots.push(await takeSnapshot(db, addDays(today, -30 * month)))
  }
  const lastMonth = snapshots.at(-2)!

  // Two bodies with an indicator short of full dispute it; the commission accepts one and rejects the other.
  const disputable = (await snapshotScores(db, lastMonth.id)).flatMap((s) => s.indicators.filter((i) => i.value !== null && i.value < 1).slice(0, 1).map((i) => ({ agencyId: s.agencyId, indicator: i })))
  for (const [n, { agencyId, indicator }] of disputable.slice(0, 2).entries()) {
    const slug = (await agencySlugById(db, agencyId))!
    const editor = await demoOfficial(db, `openness-editor-${n + 1}`, 'agency-editor', slug)
    const dispute = await submitDispute(db, editor, slug, {
      indicator: indicator.code,
      reason: n === 0
        ? 'Одна из записей учтена как просроченная, хотя опубликована в срок: дата публикации на сайте перенесена при переезде на платформу.'
        : 'Считаем, что срок для этой записи должен отсчитываться со дня её регистрации, а не со дня подготовки.',
      evidence: n === 0 ? 'Приказ о переносе материалов № 12 от 3 марта; архивная копия страницы.' : 'Служебная записка о порядке регистрации.',
      claimedNumerator: Math.min(indicator.denominator, indicator.numerator + 1), claimedDenominator: indicator.denominator,
    }, ORIGIN, lastMonth.day)
    if (n === 0) {
      await decideDispute(db, commission, dispute.id, 'accept', { decision: 'Дата публикации подтверждена архивной копией; запись учтена как опубликованная в срок.', numerator: Math.min(indicator.denominator, indicator.numerator + 1), denominator: indicator.denominator }, ORIGIN)
    } else {
      await decideDispute(db, commission, dispute.id, 'reject', { decision: 'Методика отсчитывает срок со дня подготовки материала; порядок регистрации органа его не меняет.' }, ORIGIN)
    }
  }

  const members: Array<[MultilingualText, MultilingualText, 'chair' | 'deputy-chair' | 'secretary' | 'member']> = [
    [ml('Мұрат Сейітқалиұлы Әлиев', 'Мурат Сейткалиевич Алиев', 'Murat Aliyev'), ml('Мәдениет және ақпарат вице-министрі', 'Вице-министр культуры и информации', 'Vice Minister of Culture and Information'), 'chair'],
    [ml('Жанна Қайратқызы Оразова', 'Жанна Кайратовна Оразова', 'Zhanna Orazova'), ml('Мәжіліс депутаты', 'Депутат Мажилиса', 'Member of the Mazhilis'), 'deputy-chair'],
    [ml('Ерболат Маратұлы Сейітов', 'Ерболат Маратович Сеитов', 'Yerbolat Seitov'), ml('Мәдениет және ақпарат министрлігі', 'Министерство культуры и информации', 'Ministry of Culture and Information'), 'secretary'],
    [ml('Әлия Нұрланқызы Беккожина', 'Алия Нурлановна Беккожина', 'Aliya Bekkozhina'), ml('«Ашық қоғам» қоғамдық қоры', 'Общественный фонд «Открытое общество»', 'Open Society public foundation'), 'member'],
    [ml('Дархан Ерланұлы Тоқтаров', 'Дархан Ерланович Токтаров', 'Darkhan Toktarov'), ml('Журналистер одағы', 'Союз журналистов', 'Union of Journalists'), 'member'],
  ]
  for (const [name, affiliation, position] of members) await addMember(db, commission, { name, affiliation, position, startedOn: addDays(today, -400) })
  const former = await addMember(db, commission, { name: ml('Бақыт Серікұлы Омаров', 'Бахыт Серикович Омаров', 'Bakhyt Omarov'), affiliation: ml('Ұлттық экономика министрлігі', 'Министерство национальной экономики', 'Ministry of National Economy'), position: 'member', startedOn: addDays(today, -400) })
  await endMembership(db, commission, former, addDays(today, -60))

  // Last month's meeting heard the three lowest scorers of its snapshot and made two recommendations.
  const heard = (await snapshotScores(db, lastMonth.id)).filter((s) => s.score !== null).reverse().slice(0, 3)
  const slugs = await Promise.all(heard.map(async (s) => (await agencySlugById(db, s.agencyId))!))
  const held = await planMeeting(db, commission, { heldOn: addDays(lastMonth.day, 5), place: 'Астана, Дом министерств, зал 3', hearings: slugs, questions: [ml('Жылдық баяндаманың жоспары', 'План ежегодного доклада', 'The plan of the annual report')] })
  await holdMeeting(db, commission, held, {
    minutes: ml(
      'Ашықтық бағасы ең төмен үш органның басшыларының орынбасарлары тыңдалды. Комиссия сайттағы материалдарды қазақ тілінде уақтылы жариялауды және азаматтардың сұрақтарына мерзімінде жауап беруді ұсынды.',
      'Заслушаны заместители руководителей трёх органов с самыми низкими оценками открытости. Комиссия рекомендовала своевременно публиковать материалы сайта на казахском языке и отвечать на вопросы граждан в срок.',
      'The deputy heads of the three bodies with the lowest openness scores were heard. The Commission recommended publishing the sites\' items in Kazakh on time and answering citizens\' questions by their deadlines.'),
  }, today)
  const texts = [
    ml('Сайттағы барлық материалдарды қазақ тілінде жариялауды қамтамасыз етіңіз.', 'Обеспечьте публикацию всех материалов сайта на казахском языке.', 'Publish every item of the site in Kazakh.'),
    ml('Азаматтардың сұрақтарына жауап беру мерзімдерін сақтаңыз және мерзімі өткендерін талдаңыз.', 'Соблюдайте сроки ответов на вопросы граждан и проанализируйте просроченные.', 'Keep the deadlines of answers to citizens\' questions and review the overdue ones.'),
  ]
  for (const [i, slug] of slugs.slice(0, 2).entries()) {
    const id = await recommend(db, commission, held, { agency: slug, text: texts[i]!, dueOn: i === 0 ? addDays(today, 20) : addDays(today, -5) }, ORIGIN)
    if (i === 0) {
      const official = await demoOfficial(db, `openness-reporter-${i + 1}`, 'agency-editor', slug)
      await reportOnRecommendation(db, official, id, { report: ml('Материалдардың қазақша нұсқалары жарияланды; аудармашы тағайындалды.', 'Казахские версии материалов опубликованы; назначен переводчик.', 'The Kazakh versions were published; a translator was appointed.') }, ORIGIN)
    }
  }
  // Next week's meeting hears the lowest scorers of this month's snapshot, as its agenda proposes them.
  const proposed = await proposedHearings(db, 5)
  await planMeeting(db, commission, { heldOn: addDays(today, 7), place: 'Астана, Дом министерств, зал 3', hearings: await Promise.all(proposed.map(async (p) => (await agencySlugById(db, p.agencyId))!)) })

  for (const year of new Set(snapshots.map((s) => Number(s.day.slice(0, 4))))) await keepResultsDataset(db, files, SYSTEM_ACTOR, publisher, year)

  // This year's report, generated from the figures above, with the Commission's text, published.
  const year = Number(today.slice(0, 4))
  await writeReportText(db, commission, year, {
    text: ml(
      'Комиссия жыл бойы мемлекеттік органдардың ашықтығын ай сайын бағалады. Органдардың көпшілігі ашық деректерді уақтылы жариялайды, бірақ сайттардағы материалдардың қазақ тіліндегі нұсқалары әлі де толық емес.\n\nКомиссия бағасы ең төмен органдарды тыңдап, ұсынымдар берді; олардың орындалуын келесі жылы да қадағалайды.',
      'В течение года Комиссия ежемесячно оценивала открытость государственных органов. Большинство органов публикует открытые данные своевременно, но казахские версии материалов сайтов всё ещё неполны.\n\nКомиссия заслушала органы с самыми низкими оценками и дала рекомендации; их исполнение она продолжит отслеживать в следующем году.',
      'Throughout the year the Commission scored the openness of state bodies every month. Most bodies publish their open data on time, but the Kazakh versions of their sites\' items are still incomplete.\n\nThe Commission heard the lowest scorers and made recommendations, whose implementation it will follow next year.'),
  })
  await publishReport(db, commission, year)
}
