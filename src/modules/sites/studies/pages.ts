import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { stringify } from 'csv-stringify/sync'
import type { Db } from '../../../platform/db/index.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import { acceptUploads } from '../../../platform/files/uploads.ts'
import { attachmentDisposition, sendStoredFile } from '../../../platform/files/download.ts'
import { csvCells } from '../../../platform/files/csv-cells.ts'
import { fileFormat } from '../../../platform/files/types.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { keptUnder } from '../../../platform/html/page-versions.ts'
import { paginationFor } from '../../../platform/html/pagination.ts'
import { Nullable, RecordId, MultilingualSchema as Text, MultilingualInput as TextInput } from '../../../platform/http/validation.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { ValidationError } from '../../../platform/http/errors.ts'
import { LANGS, numberFormat, type Lang } from '../../../platform/i18n/index.ts'
import { localize, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { agencyIdBySlug, agencyNames } from '../../agencies/service.ts'
import { listLicences, listThemes } from '../../data/catalog/vocabularies.ts'
import { addStudyFile, findStudy, keepStudy, listStudies, studyFile, type Study } from './service.ts'

const PER_PAGE = 20
const Slug = Type.String({ maxLength: 100, pattern: '^[a-z0-9-]+$' })
const TAGS = ['Knowledge base']
const TOKEN = [{ bearerAuth: [] }]
const StudyQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'words of a title, abstract or organisation in any language' })),
  theme: Type.Optional(Type.String({ pattern: '^([a-z]+)?$', description: 'a theme of the open data catalog (agri, econ, heal …)' })),
  agency: Type.Optional(Type.String({ maxLength: 100, pattern: '^([a-z0-9-]+)?$', description: 'a body the study concerns' })),
  year: Type.Optional(Type.Union([Type.Integer({ minimum: 2000, maximum: 2100 }), Type.Literal('')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
}, { additionalProperties: false })
const StudySchema = Type.Object({
  slug: Type.String(), title: Text, abstract: Text, organisation: Text, authors: Type.Array(Text),
  grant: Type.Object({ operator: Text, year: Type.Integer(), amountKzt: Nullable(Type.String()) }),
  licence: Type.Object({ id: Type.String(), url: Nullable(Type.String()) }), themes: Type.Array(Type.String()), publishedOn: Type.String({ format: 'date' }),
  agencies: Type.Array(Type.String()), files: Type.Array(Type.Object({ lang: Type.String(), name: Type.String(), mediaType: Type.String(), size: Type.Integer(), sha256: Type.String(), url: Type.String() })),
  updatedAt: Type.String({ format: 'date-time' }),
})
const CSV_COLUMNS = ['slug', 'title_kk', 'title_ru', 'title_en', 'organisation_ru', 'grant_operator_ru', 'grant_year', 'grant_amount_kzt', 'licence', 'themes', 'agencies', 'published_on', 'url']

export const studyFileHref = (slug: string, id: number) => `/studies/${slug}/files/${id}`

/** The knowledge base of studies: its pages, CSV and JSON for anyone; studies kept by administrators with a token. */
export async function studyPages(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  const filterOf = async (query: Static<typeof StudyQuery>) => ({
    q: query.q || undefined, theme: query.theme || undefined, year: typeof query.year === 'number' ? query.year : undefined,
    agencyId: query.agency ? (await agencyIdBySlug(db, query.agency)) ?? -1 : undefined,
  })
  const slugs = async () => new Map((await agencyNames(db, 'ru')).map((a) => [a.id, a.slug]))
  const licences = async () => new Map((await listLicences(db)).map((l) => [l.id, l]))
  const json = (s: Study, slugOf: Map<number, string>, licenceUrl: string | null) => ({
    slug: s.slug, title: s.title as Record<string, string>, abstract: s.abstract as Record<string, string>, organisation: s.organisation as Record<string, string>,
    authors: s.authors as Record<string, string>[], grant: { operator: s.grant.operator as Record<string, string>, year: s.grant.year, amountKzt: s.grant.amountKzt },
    licence: { id: s.licenceId, url: licenceUrl }, themes: s.themes, publishedOn: s.publishedOn, agencies: s.agencyIds.map((id) => slugOf.get(id) ?? ''),
    files: s.files.map((f) => ({ lang: f.lang, name: f.name, mediaType: f.mediaType, size: f.size, sha256: f.sha256, url: studyFileHref(s.slug, f.id) })), updatedAt: s.updatedAt,
  })

  app.withTypeProvider<TypeBoxTypeProvider>().get('/studies/:slug/files/:id', { schema: { hide: true, params: Type.Object({ slug: Slug, id: RecordId }) } }, async (request, reply) => {
    const file = await studyFile(db, request.params.slug, request.params.id)
    return sendStoredFile(reply, files, { key: file.key, fileName: file.name, mediaType: file.mediaType })
  })

  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>()
    await acceptUploads(scope, files, { field: 'file', mayUpload: (request) => can(request.user, 'studies.manage') })
    api.get('/api/studies', {
      schema: { tags: TAGS, summary: 'Studies made by NGOs under state grants, newest first (best match first when searched), 100 a page', querystring: StudyQuery, response: { 200: Type.Object({ total: Type.Integer(), studies: Type.Array(StudySchema) }) } },
    }, async (request) => {
      const page = request.query.page ?? 1
      const found = await listStudies(db, { ...(await filterOf(request.query)), offset: (page - 1) * 100, limit: 100 })
      const [slugOf, licence] = await Promise.all([slugs(), licences()])
      return { total: found.total, studies: found.items.map((s) => json(s, slugOf, licence.get(s.licenceId)?.url ?? null)) }
    })
    api.get('/api/studies/:slug', {
      schema: { tags: TAGS, summary: 'A study with its grant, authors, abstract, licence, themes, bodies and files', params: Type.Object({ slug: Slug }), response: { 200: StudySchema } },
    }, async (request) => {
      const study = await findStudy(db, request.params.slug)
      return json(study, await slugs(), (await licences()).get(study.licenceId)?.url ?? null)
    })
    api.put('/api/studies/:slug', {
      schema: {
        tags: TAGS, security: TOKEN, summary: 'Keep a study at its address (administrators): added, or replaced with what is sent',
        description: 'licenceId: an open licence of the open data catalog (cc-by, cc-by-sa, cc-zero …); themes: the catalog\'s themes; agencies: the slugs of the bodies it concerns.',
        params: Type.Object({ slug: Slug }),
        body: Type.Object({
          title: TextInput(500), abstract: Type.Optional(TextInput(10_000)), organisation: TextInput(300), authors: Type.Optional(Type.Array(TextInput(200), { maxItems: 50 })),
          grant: Type.Object({ operator: TextInput(300), year: Type.Integer(), amountKzt: Type.Optional(Nullable(Type.String({ maxLength: 30 }))) }, { additionalProperties: false }),
          licenceId: Type.String({ maxLength: 40 }), themes: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 13 })), publishedOn: Type.String({ format: 'date' }),
          agencies: Type.Optional(Type.Array(Slug, { maxItems: 50 })),
        }, { additionalProperties: false }),
        response: { 200: StudySchema },
      },
    }, async (request) => {
      const study = await keepStudy(db, request.user, request.params.slug, request.body)
      return json(study, await slugs(), (await licences()).get(study.licenceId)?.url ?? null)
    })
    api.post('/api/studies/:slug/files', {
      schema: {
        tags: TAGS, security: TOKEN, consumes: ['multipart/form-data'], summary: 'Add a file of a study in a language (administrators): PDF, Word, Excel, OpenDocument or RTF, told by its bytes',
        params: Type.Object({ slug: Slug }), response: { 201: StudySchema },
      },
    }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string>
      try {
        const study = await addStudyFile(db, files, request.user, request.params.slug, body.lang ?? '', request.upload)
        return reply.code(201).send(json(study, await slugs(), (await licences()).get(study.licenceId)?.url ?? null))
      } catch (error) {
        if (request.upload) await files.remove(request.upload.key)
        throw error
      }
    })
  })

  await registerPages(app, async (pages) => {
    const kept = keptUnder(db, ['studies', 'agencies'])
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    await acceptUploads(pages, files, { field: 'file', mayUpload: (request) => can(request.user, 'studies.manage'), tooLargeIsFieldError: true })

    // The knowledge base's keepers add and correct studies by a form as well as by the API.
    const formView = 'sites/studies/views/form.njk'
    const formContext = async (request: FastifyRequest, slug: string | null, values: Record<string, string | string[]>) => {
      const { lang, t } = request
      const [themes, licenceList, agencies] = await Promise.all([themeNames(lang), listLicences(db), agencyNames(db, lang)])
      const chosen = new Set(Array.isArray(values.themes) ? values.themes : values.themes ? [values.themes] : [])
      const bodyOptions = (n: number) => [{ value: '', text: '' }, ...agencies.map((a) => ({ value: a.slug, text: localize(a.name, lang)?.text ?? a.slug, selected: values[`agency${n}`] === a.slug }))]
      return {
        title: slug ? t('sites.studies.edit') : t('sites.studies.add'), slug, values,
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('sites.studies.title'), href: `/${lang}/studies` }],
        licences: licenceList.filter((l) => l.isOpen).map((l) => ({ value: l.id, text: localize(l.title, lang)?.text ?? l.id, selected: (values.licenceId ?? 'cc-by') === l.id })),
        themes: [...themes].map(([code, name]) => ({ value: code, text: name, checked: chosen.has(code) })),
        bodies: [1, 2, 3].map((n) => ({ name: `agency${n}`, items: bodyOptions(n) })),
        fileLanguages: LANGS.map((l) => ({ value: l, text: t(`sites.languages.${l}`), selected: (values.fileLang ?? 'ru') === l })),
        limitMegabytes: Math.floor(files.limitBytes / 1048576),
      }
    }
    const valuesOf = (study: Study, slugOf: Map<number, string>): Record<string, string | string[]> => ({
      slug: study.slug, ...Object.fromEntries(LANGS.flatMap((l) => [[`title.${l}`, study.title[l] ?? ''], [`abstract.${l}`, study.abstract[l] ?? ''], [`organisation.${l}`, study.organisation[l] ?? ''], [`operator.${l}`, study.grant.operator[l] ?? '']])),
      authors: study.authors.map((a) => a.ru ?? a.kk ?? a.en ?? '').join('\n'), year: String(study.grant.year), amount: study.grant.amountKzt ?? '', licenceId: study.licenceId,
      themes: study.themes, publishedOn: study.publishedOn, ...Object.fromEntries(study.agencyIds.slice(0, 3).map((id, i) => [`agency${i + 1}`, slugOf.get(id) ?? ''])),
    })
    const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 20_000 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 20 })]), { maxProperties: 40 })
    const save = async (request: FastifyRequest, slug: string, body: Record<string, string | string[]>) => {
      const text = (field: string): MultilingualText => Object.fromEntries(LANGS.map((l) => [l, String(body[`${field}.${l}`] ?? '')]))
      const themes = Array.isArray(body.themes) ? body.themes : body.themes ? [body.themes] : []
      await keepStudy(db, request.user, slug, {
        title: text('title'), abstract: text('abstract'), organisation: text('organisation'),
        authors: String(body.authors ?? '').split(/\r?\n/).map((a) => a.trim()).filter(Boolean).map((a) => ({ [request.lang]: a })),
        grant: { operator: text('operator'), year: Number(body.year), amountKzt: String(body.amount ?? '') || null }, licenceId: String(body.licenceId ?? ''), themes,
        publishedOn: String(body.publishedOn ?? ''), agencies: [1, 2, 3].map((n) => String(body[`agency${n}`] ?? '')).filter(Boolean),
      })
      if (request.upload) await addStudyFile(db, files, request.user, slug, String(body.fileLang ?? ''), request.upload)
    }
    typed.get('/studies/new', { schema: { hide: true } }, async (request, reply) => {
      authorize(request.user, 'studies.manage')
      return reply.render(formView, await formContext(request, null, { publishedOn: new Date().toISOString().slice(0, 10) }))
    })
    typed.post('/studies/new', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
      authorize(request.user, 'studies.manage')
      const slug = String(request.body.slug ?? '').trim()
      return handleForm(reply, formView, await formContext(request, null, request.body), async () => {
        if ((await listStudies(db, {})).items.some((s) => s.slug === slug)) throw new ValidationError([{ field: 'slug', messageKey: 'sites.studies.errors.taken' }])
        await save(request, slug, request.body)
        return reply.redirect(`/${request.lang}/studies/${slug}`, 303)
      })
    })
    typed.get('/studies/:slug/edit', { schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => {
      authorize(request.user, 'studies.manage')
      const study = await findStudy(db, request.params.slug)
      return reply.render(formView, await formContext(request, study.slug, valuesOf(study, await slugs())))
    })
    typed.post('/studies/:slug/edit', { schema: { hide: true, params: Type.Object({ slug: Slug }), body: FormBody } }, async (request, reply) => {
      authorize(request.user, 'studies.manage')
      const study = await findStudy(db, request.params.slug)
      return handleForm(reply, formView, await formContext(request, study.slug, request.body), async () => {
        await save(request, study.slug, request.body)
        return reply.redirect(`/${request.lang}/studies/${study.slug}`, 303)
      })
    })
    const shown = (lang: Lang, value: MultilingualText | null | undefined) => {
      const found = localize(value, lang)
      return found ? { text: found.text, lang: found.fallback ? found.lang : null } : null
    }
    const themeNames = async (lang: Lang) => new Map((await listThemes(db)).map((t) => [t.code, localize(t.name, lang)?.text ?? t.code]))
    const card = (request: FastifyRequest, s: Study, themes: Map<string, string>) => ({
      href: `/${request.lang}/studies/${s.slug}`, title: shown(request.lang, s.title), organisation: shown(request.lang, s.organisation), year: s.grant.year,
      themes: s.themes.map((t) => themes.get(t) ?? t),
    })

    typed.get('/studies', { config: { pageCache: kept }, schema: { hide: true, querystring: StudyQuery } }, async (request, reply) => {
      const { lang, t } = request
      const query = request.query
      const page = query.page ?? 1
      const [found, themes, agencies, all] = await Promise.all([
        listStudies(db, { ...(await filterOf(query)), offset: (page - 1) * PER_PAGE, limit: PER_PAGE }), themeNames(lang), agencyNames(db, lang), listStudies(db, {}),
      ])
      const concerned = new Set(all.items.flatMap((s) => s.agencyIds))
      const years = [...new Set(all.items.map((s) => s.grant.year))].sort((a, b) => b - a)
      const filters = new URLSearchParams(Object.entries({ ...query, page: undefined }).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString()
      return reply.render('sites/studies/views/list.njk', {
        title: t('sites.studies.title'), metaDescription: t('sites.studies.lead'),
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }],
        query, total: found.total, studies: found.items.map((s) => card(request, s, themes)),
        themes: [{ value: '', text: t('sites.studies.anyTheme') }, ...[...themes].map(([code, name]) => ({ value: code, text: name, selected: code === query.theme }))],
        agencies: [{ value: '', text: t('sites.studies.anyAgency') }, ...agencies.filter((a) => concerned.has(a.id)).map((a) => ({ value: a.slug, text: localize(a.name, lang)?.text ?? a.slug, selected: a.slug === query.agency }))],
        years: [{ value: '', text: t('sites.studies.anyYear') }, ...years.map((y) => ({ value: String(y), text: String(y), selected: y === query.year }))],
        exports: { csv: `/${lang}/studies.csv${filters ? `?${filters}` : ''}`, json: `/api/studies${filters ? `?${filters}` : ''}` },
        pagination: paginationFor(request, `/${lang}/studies`, query, page, Math.max(1, Math.ceil(found.total / PER_PAGE))),
        mayEdit: can(request.user, 'studies.manage'),
      })
    })

    typed.get('/studies.csv', { config: { pageCache: kept }, schema: { hide: true, querystring: StudyQuery } }, async (request, reply) => {
      const [found, slugOf] = await Promise.all([listStudies(db, await filterOf(request.query)), slugs()])
      const rows = found.items.map((s) => {
        const cells = [s.slug, s.title.kk ?? '', s.title.ru ?? '', s.title.en ?? '', s.organisation.ru ?? s.organisation.kk ?? '', s.grant.operator.ru ?? s.grant.operator.kk ?? '',
          String(s.grant.year), s.grant.amountKzt ?? '', s.licenceId, s.themes.join(' '), s.agencyIds.map((id) => slugOf.get(id) ?? '').join(' '), s.publishedOn,
          `${app.publicUrl}/${request.lang}/studies/${s.slug}`]
        return csvCells(cells, cells.map(() => true))
      })
      return reply.type('text/csv; charset=utf-8').header('content-disposition', attachmentDisposition('studies.csv')).send(`\ufeff${stringify([CSV_COLUMNS, ...rows])}`)
    })

    typed.get('/studies/:slug', { config: { pageCache: kept }, schema: { hide: true, params: Type.Object({ slug: Slug }) } }, async (request, reply) => {
      const { lang, t } = request
      const study = await findStudy(db, request.params.slug)
      const [themes, agencies, licence] = await Promise.all([themeNames(lang), agencyNames(db, lang), licences()])
      const byId = new Map(agencies.map((a) => [a.id, a]))
      const own = study.files.filter((f) => f.lang === lang)
      return reply.render('sites/studies/views/study.njk', {
        title: localize(study.title, lang)?.text ?? study.slug, metaDescription: localize(study.abstract, lang)?.text, ogType: 'article',
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('sites.studies.title'), href: `/${lang}/studies` }],
        titleShown: shown(lang, study.title), abstract: shown(lang, study.abstract), organisation: shown(lang, study.organisation),
        authors: study.authors.map((a) => shown(lang, a)).filter(Boolean),
        grant: { operator: shown(lang, study.grant.operator), year: study.grant.year, amount: study.grant.amountKzt === null ? null : t('sites.services.feeAmount', { amount: numberFormat(lang, { maximumFractionDigits: 0 }).format(Number(study.grant.amountKzt)) }) },
        licence: { title: localize(licence.get(study.licenceId)?.title, lang)?.text ?? study.licenceId, url: licence.get(study.licenceId)?.url ?? null },
        themes: study.themes.map((code) => ({ text: themes.get(code) ?? code, href: `/${lang}/studies?theme=${code}` })),
        agencies: study.agencyIds.map((id) => byId.get(id)).filter((a) => !!a).map((a) => ({ href: `/${lang}/agencies/${a!.slug}`, name: localize(a!.name, lang)?.text ?? a!.slug, studies: `/${lang}/studies?agency=${a!.slug}` })),
        // Files in the reader's language first, then the others, each marked with its language.
        files: [...own, ...study.files.filter((f) => f.lang !== lang)].map((f) => ({ href: studyFileHref(study.slug, f.id), lang: f.lang, format: fileFormat(f.name), size: f.size, other: f.lang !== lang })),
        slug: study.slug, publishedOn: study.publishedOn, json: `/api/studies/${study.slug}`, mayEdit: can(request.user, 'studies.manage'),
        languages: LANGS,
      })
    })
  })
}
