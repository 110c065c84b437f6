import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import { acceptUploads } from '../../../platform/files/uploads.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { NotFound, ValidationError } from '../../../platform/http/errors.ts'
import { RecordId } from '../../../platform/http/validation.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import { hasRole, isAnyBodyStaff } from '../../../platform/auth/roles.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { LANGS, formatDateTime, type Lang } from '../../../platform/i18n/index.ts'
import { fromFormFields, localize } from '../../../platform/i18n/multilingual.ts'
import { kazakhstanDay } from '../../../platform/calendar/days.ts'
import { agencyWithRegion } from '../../agencies/service.ts'
import { editionActions } from './actions.ts'
import {
  SITE_FILE_LIMIT_BYTES, aboutItemId, createItem, findItem, itemEditions, latestOf, publishEdition, returnEdition, saveEdition, submitEdition, withdrawItem,
} from './service.ts'
import { editorsItems } from './editorial.ts'
import { ITEM_KINDS, SITE_DOCUMENT_KINDS } from './states.ts'
import { itemPath } from './pages.ts'

const Slug = Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' })
const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 110_000 }), { maxProperties: 20 })
const ItemParams = Type.Object({ slug: Slug, id: RecordId, edLang: Type.Enum([...LANGS]) })

/** The moment a form's day and time (Kazakhstan's, UTC+5 since 1 March 2024) name, or null when neither is given. */
function momentOf(day: string | undefined, time: string | undefined): Date | null | 'invalid' {
  if (!day && !time) return null
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day ?? '') || !/^\d{2}:\d{2}$/.test(time || '00:00')) return 'invalid'
  const moment = new Date(`${day}T${time || '00:00'}:00+05:00`)
  return Number.isNaN(moment.getTime()) ? 'invalid' : moment
}

/** A body's site for its staff: what it has and in which state in each language, a new item, an edition's form and its actions. */
export async function siteEditPages(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  const documents = files.withLimit(SITE_FILE_LIMIT_BYTES)
  await registerPages(app, async (pages) => {
    await acceptUploads(pages, documents, { field: 'file', mayUpload: (request) => isAnyBodyStaff(request.user) || hasRole(request.user, 'admin'), tooLargeIsFieldError: true })
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const staffOf = async (request: FastifyRequest, slug: string) => {
      const agency = await agencyWithRegion(db, slug)
      if (!agency) throw new NotFound('agency', slug)
      authorize(request.user, 'site.edition.edit', { agencyId: agency.id })
      return { ...agency, title: localize(agency.name, request.lang)?.text ?? agency.slug }
    }
    const crumbs = (request: FastifyRequest, agency: { slug: string; title: string }, more: Array<{ text: string; href: string }> = []) => [
      { text: request.t('platform.home'), href: `/${request.lang}/` }, { text: agency.title, href: `/${request.lang}/agencies/${agency.slug}` }, ...more,
    ]
    const siteHref = (request: FastifyRequest, slug: string) => `/${request.lang}/agencies/${slug}/site`

    typed.get('/agencies/:slug/site', { schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug)
      return reply.render('sites/editions/views/site.njk', {
        title: request.t('sites.edit.title'), agency: { slug: agency.slug, name: agency.title }, breadcrumbs: crumbs(request, agency),
        items: await editorsItems(db, agency.id, kazakhstanDay(new Date())),
        hasAbout: (await aboutItemId(db, agency.id)) !== null,
      })
    })

    const newView = 'sites/editions/views/new.njk'
    const newContext = (request: FastifyRequest, agency: { slug: string; title: string }, values: Record<string, string>) => ({
      title: request.t('sites.edit.new'), agency: { slug: agency.slug, name: agency.title }, values,
      breadcrumbs: crumbs(request, agency, [{ text: request.t('sites.edit.title'), href: siteHref(request, agency.slug) }]),
      kinds: ITEM_KINDS.map((k) => ({ value: k, text: request.t(`sites.kinds.${k}`), checked: (values.kind ?? 'news') === k })),
      documentKinds: SITE_DOCUMENT_KINDS.map((k) => ({ value: k, text: request.t(`sites.documentKinds.${k}`), selected: values.documentKind === k })),
      languages: LANGS.map((l) => ({ value: l, text: request.t(`sites.languages.${l}`), checked: (values.lang ?? request.lang) === l })),
      limitMegabytes: Math.floor(documents.limitBytes / 1048576),
    })
    typed.get('/agencies/:slug/site/new', { schema: { hide: true, params: Type.Object({ slug: Slug }), querystring: Type.Object({ kind: Type.Optional(Type.Enum([...ITEM_KINDS])) }) } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug)
      return reply.render(newView, newContext(request, agency, { kind: request.query.kind ?? 'news' }))
    })
    typed.post('/agencies/:slug/site/new', { schema: { hide: true, params: Type.Object({ slug: Slug }), body: FormBody } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug)
      const body = request.body
      return handleForm(reply, newView, newContext(request, agency, body), async () => {
        const lang = (LANGS.includes(body.lang as Lang) ? body.lang : 'xx') as Lang
        const id = await createItem(db, documents, request.user, agency.id, {
          kind: body.kind ?? '', documentKind: body.documentKind, number: body.number, signedOn: body.signedOn, signatory: fromFormFields(body, 'signatory'), reviewOn: body.reviewOn,
        }, lang, { title: body.title, summary: body.summary, body: body.body }, request.upload)
        return reply.redirect(`/${request.lang}/agencies/${agency.slug}/site/items/${id}/${lang}`, 303)
      })
    })

    const editionView = 'sites/editions/views/edition.njk'
    const editionContext = async (request: FastifyRequest, agency: { id: number; slug: string; title: string }, id: number, lang: Lang, values?: Record<string, string>) => {
      const item = await findItem(db, id)
      if (item.agencyId !== agency.id) throw new NotFound('site-item', String(id))
      const editions = await itemEditions(db, id)
      const latest = latestOf(editions, lang)
      const facts = { agencyId: agency.id, status: latest?.status ?? 'draft' as const }
      return {
        title: request.t('sites.edit.editionTitle', { language: request.t(`sites.languages.${lang}`) }), agency: { slug: agency.slug, name: agency.title },
        breadcrumbs: crumbs(request, agency, [{ text: request.t('sites.edit.title'), href: siteHref(request, agency.slug) }]),
        item, edLang: lang, latest, scheduledFor: latest?.publishAt ? formatDateTime(request.lang, latest.publishAt) : null, languages: LANGS.map((l) => ({ lang: l, text: request.t(`sites.languages.${l}`), edition: latestOf(editions, l), href: `/${request.lang}/agencies/${agency.slug}/site/items/${id}/${l}` })),
        actions: latest ? editionActions.available(request.user, facts) : { edit: true },
        withdrawn: editions.some((e) => e.status === 'withdrawn'),
        nextNumber: latest && latest.status !== 'draft' ? Math.max(...editions.filter((e) => e.lang === lang).map((e) => e.number)) + 1 : latest?.number ?? 1,
        publicHref: editions.some((e) => e.status === 'published') ? `/${request.lang}${itemPath(agency.slug, item.kind, id)}` : null,
        // A new edition starts from the latest in this language; in a language the item lacks, from nothing.
        values: { title: latest?.title ?? '', summary: latest?.summary ?? '', body: latest?.body ?? '', changeNote: latest?.status === 'draft' ? latest.changeNote ?? '' : '', ...values },
        limitMegabytes: Math.floor(documents.limitBytes / 1048576),
      }
    }
    const editionHref = (request: FastifyRequest, slug: string, id: number, lang: Lang) => `/${request.lang}/agencies/${slug}/site/items/${id}/${lang}`

    typed.get('/agencies/:slug/site/items/:id/:edLang', { schema: { hide: true, params: ItemParams } }, async (request, reply) => {
      const agency = await staffOf(request, request.params.slug)
      return reply.render(editionView, await editionContext(request, agency, request.params.id, request.params.edLang))
    })
    typed.post('/agencies/:slug/site/items/:id/:edLang', { schema: { hide: true, params: ItemParams, body: FormBody } }, async (request, reply) => {
      const { slug, id, edLang } = request.params
      const agency = await staffOf(request, slug)
      const body = request.body
      return handleForm(reply, editionView, await editionContext(request, agency, id, edLang, body), async () => {
        await saveEdition(db, documents, request.user, id, edLang, { title: body.title, summary: body.summary, body: body.body, changeNote: body.changeNote }, request.upload)
        return reply.redirect(editionHref(request, slug, id, edLang), 303)
      })
    })
    for (const action of ['submit', 'publish', 'return'] as const) {
      typed.post(`/agencies/:slug/site/items/:id/:edLang/${action}`, { schema: { hide: true, params: ItemParams, body: FormBody } }, async (request, reply) => {
        const { slug, id, edLang } = request.params
        const agency = await staffOf(request, slug)
        const body = request.body
        return handleForm(reply, editionView, await editionContext(request, agency, id, edLang, body), async () => {
          if (action === 'submit') await submitEdition(db, request.user, id, edLang)
          if (action === 'return') await returnEdition(db, request.user, id, edLang)
          if (action === 'publish') {
            const at = momentOf(body.publishOn, body.publishTime)
            if (at === 'invalid') throw new ValidationError([{ field: 'publishOn', messageKey: 'sites.errors.publishAt' }])
            await publishEdition(db, request.user, id, edLang, at)
          }
          return reply.redirect(editionHref(request, slug, id, edLang), 303)
        })
      })
    }
    typed.post('/agencies/:slug/site/items/:id/:edLang/withdraw', { schema: { hide: true, params: ItemParams, body: FormBody } }, async (request, reply) => {
      const { slug, id, edLang } = request.params
      const agency = await staffOf(request, slug)
      const body = request.body
      return handleForm(reply, editionView, await editionContext(request, agency, id, edLang, body), async () => {
        await withdrawItem(db, request.user, id, body.reason ?? '')
        return reply.redirect(editionHref(request, slug, id, edLang), 303)
      })
    })
  })
}
