import type { FastifyInstance, FastifyRequest } from 'fastify'
import { attachmentDisposition } from '../files/download.ts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../db/index.ts'
import type { FileStore } from '../files/index.ts'
import { acceptUploads } from '../files/uploads.ts'
import { registerPages } from '../html/pages.ts'
import { ValidationError } from '../http/errors.ts'
import { fromFormFields } from '../i18n/multilingual.ts'
import { isLang } from '../i18n/index.ts'
import { actorOf } from '../auth/index.ts'
import { authorize, can } from '../auth/policies.ts'
import { handleForm } from '../auth/forms.ts'
import { DAY_KINDS, KURBAN_AIT_DAYS, type DayKind } from './days.ts'
import { importICalendar, keptDays, removeDay, setDay, toICalendar, workingCalendar } from './service.ts'

const Year = Type.Integer({ minimum: 2000, maximum: 2100 })
const YearQuery = Type.Object({ year: Type.Optional(Year) }, { additionalProperties: false })
const DayParams = Type.Object({ day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) })
const DayBody = Type.Object({
  day: Type.Optional(Type.String({ maxLength: 20 })),
  kind: Type.Optional(Type.String({ maxLength: 20 })),
  'name.kk': Type.Optional(Type.String({ maxLength: 300 })),
  'name.ru': Type.Optional(Type.String({ maxLength: 300 })),
  'name.en': Type.Optional(Type.String({ maxLength: 300 })),
  _csrf: Type.Optional(Type.String()),
})
const ImportBody = Type.Object({ kind: Type.Optional(Type.String({ maxLength: 20 })), file: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()) })

const CalendarDaySchema = Type.Object({
  day: Type.String({ format: 'date' }),
  kind: Type.Union([Type.Literal('holiday'), Type.Literal('day-off'), Type.Literal('working-day')]),
  name: Type.Object({ kk: Type.Optional(Type.String()), ru: Type.Optional(Type.String()), en: Type.Optional(Type.String()) }),
  source: Type.Union([Type.Literal('law'), Type.Literal('admin'), Type.Literal('import')]),
})

// An iCalendar of a year's days is a few kilobytes; a file far larger is not one.
const ICS_LIMIT_BYTES = 1024 * 1024

function thisYear(): number {
  return new Date().getUTCFullYear()
}

/** The working-day calendar: its public API (JSON and iCalendar) and the administrators' page that keeps it. */
export async function calendarPages(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  api.get('/api/calendar/:year', {
    schema: {
      tags: ['Platform'],
      summary: "A year's days that are not what their weekday makes them: holidays, days off, working weekend days",
      description: 'Saturdays and Sundays are days off and every other day a working day, except the days listed. ' +
        'The same days as iCalendar: /api/calendar/{year}.ics?lang=kk|ru|en.',
      params: Type.Object({ year: Year }),
      response: { 200: Type.Object({ year: Type.Integer(), workingDays: Type.Integer(), days: Type.Array(CalendarDaySchema) }) },
    },
  }, async (request) => {
    const { year } = request.params
    const from = `${year}-01-01`
    const to = `${year}-12-31`
    const calendar = await workingCalendar(db, from, to)
    return { year, workingDays: calendar.workingDaysBetween(`${year - 1}-12-31`, to), days: await keptDays(db, from, to) }
  })

  api.get('/api/calendar/:year.ics', {
    schema: {
      tags: ['Platform'],
      summary: "A year's kept days as iCalendar (RFC 5545), each an all-day event with its kind as category",
      params: Type.Object({ year: Year }),
      querystring: Type.Object({ lang: Type.Optional(Type.String({ enum: ['kk', 'ru', 'en'] })) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const { year } = request.params
    const lang = request.query.lang && isLang(request.query.lang) ? request.query.lang : request.lang
    const days = await keptDays(db, `${year}-01-01`, `${year}-12-31`)
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', attachmentDisposition(`ashyq-calendar-${year}.ics`))
      .send(toICalendar(days, lang, request.hostname))
  })

  await registerPages(app, async (pages) => {
    await acceptUploads(pages, files, { field: 'file', mayUpload: (request) => request.url.endsWith('/admin/calendar/import') && can(request.user, 'calendar.manage') })
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const view = 'calendar/views/calendar.njk'

    const context = async (request: FastifyRequest, year: number, values: Record<string, string | undefined> = {}) => {
      const { lang, t } = request
      const from = `${year}-01-01`
      const to = `${year}-12-31`
      const days = await keptDays(db, from, to)
      const calendar = await workingCalendar(db, from, to)
      return {
        title: t('platform.calendar.title', { year }),
        year,
        years: [year - 1, year + 1],
        workingDays: calendar.workingDaysBetween(`${year - 1}-12-31`, to),
        days,
        kurbanMissing: !KURBAN_AIT_DAYS[year],
        kinds: DAY_KINDS.map((kind) => ({ value: kind, text: t(`platform.calendar.kinds.${kind}`), selected: (values.kind ?? 'day-off') === kind })),
        importKinds: DAY_KINDS.map((kind) => ({ value: kind, text: t(`platform.calendar.kinds.${kind}`), checked: (values.importKind ?? 'holiday') === kind })),
        values,
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('platform.auth.account.title'), href: `/${lang}/account` }],
      }
    }

    typed.get('/admin/calendar', { schema: { hide: true, querystring: YearQuery } }, async (request, reply) => {
      authorize(request.user, 'calendar.manage')
      return reply.render(view, await context(request, request.query.year ?? thisYear()))
    })

    typed.post('/admin/calendar/days', { schema: { hide: true, body: DayBody } }, async (request, reply) => {
      authorize(request.user, 'calendar.manage')
      const body = request.body
      const year = Number(body.day?.slice(0, 4)) || thisYear()
      return handleForm(reply, view, await context(request, year >= 2000 && year <= 2100 ? year : thisYear(), body), async () => {
        await setDay(db, actorOf(request), { day: body.day?.trim() ?? '', kind: body.kind ?? '', name: fromFormFields(body, 'name') })
        return reply.redirect(`/${request.lang}/admin/calendar?year=${year}#day-${body.day?.trim()}`, 303)
      })
    })

    typed.post('/admin/calendar/days/:day/remove', { schema: { hide: true, params: DayParams } }, async (request, reply) => {
      authorize(request.user, 'calendar.manage')
      const { day } = request.params
      await removeDay(db, actorOf(request), day)
      return reply.redirect(`/${request.lang}/admin/calendar?year=${day.slice(0, 4)}`, 303)
    })

    typed.post('/admin/calendar/import', { schema: { hide: true, body: ImportBody } }, async (request, reply) => {
      authorize(request.user, 'calendar.manage')
      const kind = (DAY_KINDS.includes(request.body.kind as DayKind) ? request.body.kind : 'holiday') as DayKind
      return handleForm(reply, view, await context(request, thisYear(), { importKind: kind }), async () => {
        const upload = request.upload
        if (!upload) throw new ValidationError([{ field: 'file', messageKey: 'platform.calendar.icsMissing' }])
        if (upload.size > ICS_LIMIT_BYTES) throw new ValidationError([{ field: 'file', messageKey: 'platform.calendar.icsTooLarge', values: { limit: 1 } }])
        const text = (await files.read(upload.key)).toString('utf8')
        await files.remove(upload.key)
        const imported = await importICalendar(db, actorOf(request), text, kind)
        return reply.render(view, { ...await context(request, imported.firstYear, { importKind: kind }), imported: imported.count })
      })
    })
  })
}
