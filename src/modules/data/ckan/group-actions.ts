import { Type, type Static } from 'typebox'
import { authorize } from '../../../platform/auth/policies.ts'
import { NotFound, ValidationError, type FieldError } from '../../../platform/http/index.ts'
import { MultilingualInput } from '../../../platform/http/validation.ts'
import { createAgency, deleteAgency, loadAgencyFields, updateAgency } from '../../agencies/edit-agency.ts'
import { AGENCY_KINDS } from '../../agencies/schemas.ts'
import { listThemes, renameTheme } from '../catalog/vocabularies.ts'
import { ckanGroup } from './format.ts'
import { defineAction, organization, type ActionContext, type CkanAction } from './read-actions.ts'
import { mergeText } from './write-actions.ts'

// CKAN's organizations are the state bodies (the agencies module keeps them) and its groups the EU's
// data themes. ckanapi's "load organizations" and "load groups" ask organization_show (group_show),
// then organization_create or organization_update: both are answered here. A body's other fields
// (its head, address, region…) are the agencies module's, edited on its pages.

const GroupFields = {
  title: Type.Optional(Type.String({ maxLength: 500, description: 'The name in the language of the request; title_translated gives all three' })),
  title_translated: Type.Optional(MultilingualInput(500)),
}
const OrganizationCreateParams = Type.Object({
  name: Type.String({ maxLength: 100, description: 'The address: lower-case letters and digits, words joined by -' }),
  ...GroupFields,
  kind: Type.Optional(Type.String({ enum: [...AGENCY_KINDS], description: 'central, local or quasi-public (central when not given)' })),
})
const OrganizationUpdateParams = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 100 })),
  name: Type.Optional(Type.String({ maxLength: 100 })),
  ...GroupFields,
  kind: Type.Optional(Type.String({ enum: [...AGENCY_KINDS] })),
})
const GroupDeleteParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) })

// The agencies module's names of fields, as CKAN names them.
const CKAN_NAMES: Record<string, string> = { slug: 'name', name: 'title_translated' }
function asCkanFields(error: unknown): never {
  if (!(error instanceof ValidationError)) throw error
  throw new ValidationError(error.fields.map((f: FieldError) => {
    const [head = f.field, ...rest] = f.field.split('.')
    return { ...f, field: [CKAN_NAMES[head] ?? head, ...rest].join('.') }
  }))
}

async function organizationResult(ctx: ActionContext, slug: string) {
  return (await organization(ctx, slug)).dict
}

/** organization_update and organization_patch: the name and kind change; what a CKAN dict has beyond them is not a body's. */
async function updateOrganization(ctx: ActionContext, params: Static<typeof OrganizationUpdateParams>) {
  const slug = params.id ?? params.name
  if (!slug) throw new ValidationError([{ field: 'id', messageKey: 'platform.validation.required' }])
  const { id, fields } = await loadAgencyFields(ctx.db, slug)
  authorize(ctx.user, 'agency.update', { id })
  // A body's address (its slug) is not changed through the API: pages and links name it.
  if (params.id && params.name && params.name !== slug) throw new ValidationError([{ field: 'name', messageKey: 'data.ckan.organizationRename' }])
  await updateAgency(ctx.db, ctx.actor, slug, {
    name: mergeText(fields.name, params.title_translated, params.title, ctx.lang),
    ...(params.kind ? { kind: params.kind as (typeof AGENCY_KINDS)[number] } : {}),
  }).catch(asCkanFields)
  return organizationResult(ctx, slug)
}

/** group_update and group_patch: a theme's names. */
async function updateGroup(ctx: ActionContext, params: Static<typeof OrganizationUpdateParams>) {
  const code = params.id ?? params.name
  const theme = (await listThemes(ctx.db)).find((t) => t.code === code)
  if (!theme) throw new NotFound('group', code ?? '')
  authorize(ctx.user, 'theme.update')
  await renameTheme(ctx.db, ctx.actor, theme.code, mergeText(theme.name, params.title_translated, params.title, ctx.lang))
  const renamed = (await listThemes(ctx.db)).find((t) => t.code === theme.code)!
  return ckanGroup(renamed, ctx)
}

export const groupActions: CkanAction[] = [
  defineAction({
    name: 'organization_create',
    summary: 'Add a state body (administrators)',
    params: OrganizationCreateParams,
    write: true,
    async run(ctx, params) {
      authorize(ctx.user, 'agency.create')
      const name = mergeText({}, params.title_translated, params.title ?? params.name, ctx.lang)
      await createAgency(ctx.db, ctx.actor, { slug: params.name, kind: (params.kind ?? 'central') as (typeof AGENCY_KINDS)[number], name }).catch(asCkanFields)
      return organizationResult(ctx, params.name)
    },
  }),
  ...(['organization_update', 'organization_patch'] as const).map((name) => defineAction({
    name,
    summary: 'Change a state body\'s name or kind (its staff, administrators)',
    params: OrganizationUpdateParams,
    write: true,
    run: (ctx, params) => updateOrganization(ctx, params),
  })),
  defineAction({
    name: 'organization_delete',
    summary: 'Delete a state body that nothing names yet (administrators); a body with datasets or other records is kept',
    params: GroupDeleteParams,
    write: true,
    async run(ctx, params) {
      await loadAgencyFields(ctx.db, params.id)
      authorize(ctx.user, 'agency.delete')
      await deleteAgency(ctx.db, ctx.actor, params.id).catch(asCkanFields)
      return null
    },
  }),
  defineAction({
    name: 'group_create',
    summary: 'Groups are the EU\'s data themes: none is added',
    params: Type.Object({ name: Type.String({ maxLength: 100 }) }),
    write: true,
    async run(ctx, params) {
      authorize(ctx.user, 'theme.update')
      const themes = await listThemes(ctx.db)
      const messageKey = themes.some((t) => t.code === params.name) ? 'data.ckan.groupExists' : 'data.ckan.groupsFixed'
      throw new ValidationError([{ field: 'name', messageKey, values: { allowed: themes.map((t) => t.code).join(', ') } }])
    },
  }),
  ...(['group_update', 'group_patch'] as const).map((name) => defineAction({
    name,
    summary: 'Correct a theme\'s names (administrators)',
    params: OrganizationUpdateParams,
    write: true,
    run: (ctx, params) => updateGroup(ctx, params),
  })),
  defineAction({
    name: 'group_delete',
    summary: 'Groups are the EU\'s data themes: none is deleted',
    params: GroupDeleteParams,
    write: true,
    async run(ctx, params) {
      if (!(await listThemes(ctx.db)).some((t) => t.code === params.id)) throw new NotFound('group', params.id)
      authorize(ctx.user, 'theme.update')
      throw new ValidationError([{ field: 'id', messageKey: 'data.ckan.groupsKept' }])
    },
  }),
]
