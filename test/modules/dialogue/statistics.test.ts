import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { makeUser } from '../../helpers/users.ts'
import { dialogueStatistics } from '../../../src/modules/dialogue/statistics/service.ts'
import { formatMonth } from '../../../src/platform/i18n/index.ts'

test('the statistics count each body\'s questions of the period: answered, on time, overdue, extended, forwarded, the median working days and satisfaction', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
    await makeAgency(db, { slug: 'akimat-almaty' })
  })
  t.after(close)
  const asker = await makeUser(db)
  const [health, akimat] = (await db.query<{ id: number }>("select id from agencies where slug in ('ministry-of-health', 'akimat-almaty') order by slug desc")).map((a) => a.id)
  const question = async (agency: number, fields: { received: string; due: string; status: string; answered?: string; extended?: string; rating?: number; forwardedFrom?: number; rejected?: boolean }) => {
    const [row] = await db.query<{ id: number }>(
      `insert into dialogue_questions (agency_id, asked_agency_id, asker_id, show_name, topic, lang, body, status, received_on, moderation_due, forward_due, due_on,
         answered_on, extended_to, extension_reason, rating, forwarded_from, rejection_reason)
       values ($1, $1, $2, true, 'health', 'ru', 'Вопрос', $3, $4, $4, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
      [agency, asker.id, fields.status, fields.received, fields.due, fields.answered ?? null, fields.extended ?? null, fields.extended ? { ru: 'Запрос' } : null,
        fields.rating ?? null, fields.forwardedFrom ?? null, fields.rejected ? 'abuse' : null],
    )
    return row!.id
  }
  // Working days from 1 December 2026: 2, 3, 4, 7 and 8 December are five; to 28 December, eighteen (16 December is a holiday).
  await question(health!, { received: '2026-12-01', due: '2026-12-23', status: 'answered', answered: '2026-12-08', rating: 1 })
  await question(health!, { received: '2026-12-01', due: '2026-12-23', status: 'answered', answered: '2026-12-28', rating: -1 })
  await question(health!, { received: '2026-12-02', due: '2026-12-24', status: 'published', extended: '2027-01-20' })
  await question(health!, { received: '2026-12-03', due: '2026-12-25', status: 'published' })
  await question(health!, { received: '2026-12-04', due: '2026-12-28', status: 'rejected', rejected: true })
  const forwarded = await question(akimat!, { received: '2026-12-05', due: '2026-12-28', status: 'moderation', forwardedFrom: health })
  await db.query("insert into dialogue_question_events (question_id, kind, at, detail) values ($1, 'forwarded', '2026-12-05T10:00:00+05:00', $2)", [forwarded, { from: 'ministry-of-health', to: 'akimat-almaty' }])
  await question(health!, { received: '2026-11-02', due: '2026-11-23', status: 'answered', answered: '2026-11-10' })

  const { bodies, all } = await dialogueStatistics(db, { from: '2026-12-01', to: '2026-12-31' }, '2027-01-10')
  const byBody = Object.fromEntries(bodies.map(({ agency, ...f }) => [agency!.slug, f]))
  assert.deepEqual(byBody['ministry-of-health'], {
    received: 5, published: 4, rejected: 1, forwarded: 1, answered: 2, answeredOnTime: 1, overdue: 1, extended: 1, medianWorkingDays: 11.5, rated: 2, satisfied: 1,
  })
  assert.deepEqual(byBody['akimat-almaty'], {
    received: 1, published: 0, rejected: 0, forwarded: 0, answered: 0, answeredOnTime: 0, overdue: 1, extended: 0, medianWorkingDays: null, rated: 0, satisfied: 0,
  })
  assert.equal(all.received, 6)
  assert.equal(all.overdue, 2)
  assert.equal(all.forwarded, 1)

  const api = await app.inject({ url: '/api/dialogue/statistics?from=2026-12-01&to=2026-12-31' })
  assert.equal(api.statusCode, 200)
  assert.equal(api.json().all.received, 6)
  assert.equal((await app.inject({ url: '/api/dialogue/statistics?from=2026-12-31&to=2026-12-01', headers: { 'accept-language': 'ru' } })).statusCode, 400)
  const csv = await app.inject({ url: '/ru/dialogue/statistics.csv?from=2026-12-01&to=2026-12-31' })
  assert.match(csv.body, /^\ufeffКод,Госорган,Поступило,Опубликовано,Отвечено,Вовремя,Просрочено,Продлено,Перенаправлено,Отклонено,Рабочих дней до ответа \(медиана\),Оценили ответ,Авторы довольны\n/, 'the columns named in the reader\'s language')
  assert.match(csv.body, /\nministry-of-health,Министерство здравоохранения,5,4,2,1,\d+,1,1,1,11\.5,2,1\n/)
  // The same as an Excel workbook, which opens in columns whatever the spreadsheet's language: numbers as numbers.
  const xlsx = await app.inject({ url: '/ru/dialogue/statistics.xlsx?from=2026-12-01&to=2026-12-31' })
  assert.equal(xlsx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  const { default: Excel } = await import('exceljs')
  const book = new Excel.Workbook()
  await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
  const sheet = book.worksheets[0]!
  assert.deepEqual((sheet.getRow(1).values as unknown[]).slice(1, 4), ['Код', 'Госорган', 'Поступило'])
  const healthRow = sheet.getRows(2, sheet.rowCount - 1)!.find((row) => row.getCell(1).value === 'ministry-of-health')!
  assert.equal(healthRow.getCell(3).value, 5)
  assert.equal(healthRow.getCell(11).value, 11.5)
  assert.match((await app.inject({ url: '/ru/dialogue/statistics?from=2026-12-01&to=2026-12-31' })).body, /href="\/ru\/dialogue\/statistics\.xlsx\?from=2026-12-01&amp;to=2026-12-31" download>Скачать \(Excel, XLSX\)/)
  const page = await app.inject({ url: '/ru/dialogue/statistics?from=2026-12-01&to=2026-12-31' })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Министерство здравоохранения[\s\S]*?data-label="Вовремя"[^>]*>\s*1 \(50%\)/)
})

test('the statistics are drawn as charts with their numbers: by body, and by the month questions were received in', async (t) => {
  const { app, db, close } = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
  })
  t.after(close)
  const asker = await makeUser(db)
  const [health] = await db.query<{ id: number }>("select id from agencies where slug = 'ministry-of-health'")
  for (const [received, due, answered] of [['2026-11-02', '2026-11-23', '2026-11-10'], ['2026-12-01', '2026-12-23', '2026-12-28'], ['2026-12-02', '2026-12-24', null]] as const) {
    await db.query(
      `insert into dialogue_questions (agency_id, asked_agency_id, asker_id, show_name, topic, lang, body, status, received_on, moderation_due, forward_due, due_on, answered_on)
       values ($1, $1, $2, true, 'health', 'ru', 'Вопрос', $3, $4, $4, $4, $5, $6)`,
      [health!.id, asker.id, answered ? 'answered' : 'published', received, due, answered],
    )
  }
  const { months } = await dialogueStatistics(db, { from: '2026-10-15', to: '2027-01-05' }, '2027-01-10')
  assert.deepEqual(months, [
    { month: '2026-10', received: 0, answered: 0, answeredOnTime: 0 },
    { month: '2026-11', received: 1, answered: 1, answeredOnTime: 1 },
    { month: '2026-12', received: 2, answered: 1, answeredOnTime: 0 },
    { month: '2027-01', received: 0, answered: 0, answeredOnTime: 0 },
  ])
  assert.deepEqual((await app.inject({ url: '/api/dialogue/statistics?from=2026-12-01&to=2026-12-31' })).json().months, [{ month: '2026-12', received: 2, answered: 1, answeredOnTime: 0 }])

  const page = await app.inject({ url: '/ru/dialogue/statistics?from=2026-11-01&to=2026-12-31' })
  const figures = [...page.body.matchAll(/<figure class="ashyq-chart">([\s\S]*?)<\/figure>/g)].map((m) => m[1]!)
  assert.equal(figures.length, 2, 'two charts')
  assert.match(figures[0]!, /<svg[\s\S]*Министерство/, 'the body\'s name on its bar')
  assert.match(figures[1]!, new RegExp(formatMonth('ru', '2026-12').split(' ')[0]!), 'the months along the axis')
  // Each chart's numbers as a table: the month of December, two received, one answered, none on time.
  assert.match(page.body, new RegExp(`${formatMonth('ru', '2026-12').replaceAll('.', '\\.')}</td>\\s*<td[^>]*>2</td>\\s*<td[^>]*>1</td>\\s*<td[^>]*>0</td>`))
  // In the version for the visually impaired, white on black: the drawing's colours follow, each series in its own hue as in the usual version.
  const dark = await app.inject({ url: '/ru/dialogue/statistics?from=2026-11-01&to=2026-12-31', cookies: { ashyq_a11y: 'on.larger.dark.show.normal' } })
  assert.match(dark.body, /<svg[^>]*>[\s\S]*#85c1ff/i)
  assert.doesNotMatch(page.body, /<svg[^>]*>[\s\S]*#85c1ff/i)
  // Series told apart by more than colour: the bars of the second and third by a pattern.
  assert.match(figures[0]!, /<pattern\b/, 'patterned bars')
})
