import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../platform/db/index.ts'
import { registerPages } from '../../platform/html/pages.ts'
import { actorOf } from '../../platform/auth/index.ts'
import { authorize } from '../../platform/auth/policies.ts'
import { handleForm } from '../../platform/auth/forms.ts'
import { historyOf } from '../../platform/audit/index.ts'
import { fromFormFields, localize, toFormFields } from '../../platform/i18n/multilingual.ts'
import { AGENCY_KINDS, SlugParams, type AgencyKind } from './schemas.ts'
import { createAgency, loadAgencyFields, updateAgency, type AgencyFields } from './edit-agency.ts'
import { agencyNames, listRegions } from './service.ts'

// The form posts flat fields ("name.kk", "phone"), each a short string.
const FormBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 1000 }), { maxProperties: 40 })
type FormBody = Record<string, string>

const TEXT_GROUPS = ['name', 'shortName', 'headName', 'headTitle', 'address'] as const

/** The form's flat fields as a body's fields. */
function fromForm(body: FormBody): AgencyFields {
  const text = (group: string) => fromFormFields(body, group)
  return {
    kind: body.kind as AgencyKind,
    name: text('name'),
    shortName: text('shortName'),
    headName: text('headName'),
    headTitle: text('headTitle'),
    address: text('address'),
    phone: body.phone,
    email: body.email,
    website: body.website,
    regionCode: body.regionCode,
    parentSlug: body.parentSlug,
  }
}

/** A body's fields as the form's flat values. */
function toForm(fields: AgencyFields, slug = ''): FormBody {
  const values: FormBody = { slug, kind: fields.kind, phone: fields.phone ?? '', email: fields.email ?? '', website: fields.website ?? '', regionCode: fields.regionCode ?? '', parentSlug: fields.parentSlug ?? '' }
  for (const group of TEXT_GROUPS) Object.assign(values, toFormFields(group, fields[group]))
  return values
}

async function formContext(db: Db, request: FastifyRequest, values: FormBody, extra: Record<string, unknown>) {
  const { lang, t } = request
  const regions = await listRegions(db, lang)
  const parents = await agencyNames(db, lang)
  return {
    values,
    textGroups: TEXT_GROUPS,
    kinds: AGENCY_KINDS.map((kind) => ({ value: kind, text: t(`agencies.kind.${kind}`), checked: values.kind === kind })),
    regions: [{ value: '', text: t('agencies.edit.noRegion') }, ...regions.map((r) => ({ value: r.code, text: localize(r.name, lang)?.text ?? r.code, selected: values.regionCode === r.code }))],
    parents: [{ value: '', text: t('agencies.edit.noParent') }, ...parents.filter((p) => p.slug !== values.slug).map((p) => ({ value: p.slug, text: localize(p.name, lang)?.text ?? p.slug, selected: values.parentSlug === p.slug }))],
    ...extra,
  }
}

/** Adding and editing state bodies, and each body's history of changes. */
export async function agencyEditPages(app: FastifyInstance, db: Db): Promise<void> {
  await registerPages(app, async (pages) => {
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const view = 'agencies/views/edit.njk'

    const newForm = async (request: FastifyRequest, reply: FastifyReply, values: FormBody) => {
      const { lang, t } = request
      return formContext(db, request, values, {
        title: t('agencies.edit.newTitle'), isNew: true, action: `/${lang}/agencies/new`,
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('agencies.list.title'), href: `/${lang}/agencies` }],
      })
    }

    typed.get('/agencies/new', { schema: { hide: true } }, async (request, reply) => {
      authorize(request.user, 'agency.create')
      return reply.render(view, await newForm(request, reply, { kind: 'central' }))
    })

    typed.post('/agencies/new', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
      authorize(request.user, 'agency.create')
      const body = request.body
      return handleForm(reply, view, await newForm(request, reply, body), async () => {
        await createAgency(db, actorOf(request), { slug: body.slug ?? '', ...fromForm(body) })
        return reply.redirect(`/${request.lang}/agencies/${body.slug}`, 303)
      })
    })

    const editForm = async (request: FastifyRequest, slug: string, values: FormBody) => {
      const { lang, t } = request
      const name = localize((await loadAgencyFields(db, slug)).fields.name, lang)?.text ?? slug
      return formContext(db, request, values, {
        title: t('agencies.edit.editTitle', { name }), isNew: false, action: `/${lang}/agencies/${slug}/edit`, slug,
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('agencies.list.title'), href: `/${lang}/agencies` }, { text: name, href: `/${lang}/agencies/${slug}` }],
      })
    }

    typed.get('/agencies/:slug/edit', { schema: { hide: true, params: SlugParams } }, async (request, reply) => {
      const { slug } = request.params
      const current = await loadAgencyFields(db, slug)
      authorize(request.user, 'agency.update', { id: current.id })
      return reply.render(view, await editForm(request, slug, toForm(current.fields, slug)))
    })

    typed.post('/agencies/:slug/edit', { schema: { hide: true, params: SlugParams, body: FormBody } }, async (request, reply) => {
      const { slug } = request.params
      const current = await loadAgencyFields(db, slug)
      authorize(request.user, 'agency.update', { id: current.id })
      const values = { ...request.body, slug }
      return handleForm(reply, view, await editForm(request, slug, values), async () => {
        await updateAgency(db, actorOf(request), slug, fromForm(request.body))
        return reply.redirect(`/${request.lang}/agencies/${slug}`, 303)
      })
    })

    typed.get('/agencies/:slug/history', { schema: { hide: true, params: SlugParams } }, async (request, reply) => {
      const { lang, t } = request
      const { slug } = request.params
      const { fields } = await loadAgencyFields(db, slug)
      const name = localize(fields.name, lang)?.text ?? slug
      const entries = (await historyOf(db, 'agency', slug)).map((entry) => ({
        ...entry,
        changed: changedFields(entry.before, entry.after).map((field) => t(`agencies.fieldLabels.${field}`)),
      }))
      return reply.render('agencies/views/history.njk', {
        title: t('agencies.history.title'),
        name,
        entries,
        breadcrumbs: [{ text: t('platform.home'), href: `/${lang}/` }, { text: t('agencies.list.title'), href: `/${lang}/agencies` }, { text: name, href: `/${lang}/agencies/${slug}` }],
      })
    })
  })
}

// The order the form shows fields in, which the history follows.
const FIELD_ORDER = ['kind', 'name', 'shortName', 'headName', 'headTitle', 'address', 'regionCode', 'parentSlug', 'phone', 'email', 'website']

/** The fields whose values differ between two versions of a record, in the form's order. */
export function changedFields(before: unknown, after: unknown): string[] {
  const a = (before ?? {}) as Record<string, unknown>
  const b = (after ?? {}) as Record<string, unknown>
  return FIELD_ORDER
    .filter((key) => JSON.stringify(a[key] ?? null) !== JSON.stringify(b[key] ?? null))
    .filter((key) => before !== null || (b[key] !== null && JSON.stringify(b[key]) !== '{}'))
}
