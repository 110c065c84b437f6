import type { Queryable } from '../../../platform/db/index.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import { ValidationError } from '../../../platform/http/index.ts'
import type { Lang } from '../../../platform/i18n/index.ts'
import { localize, type MultilingualList, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { LANGS } from '../../../platform/i18n/index.ts'
import { changeDataset, findDataset, insertDataset, deleteDataset, loadDatasetFields, type DatasetFields, type StoredDatasetFields } from '../publishing/dataset.ts'
import { changeResource, findResource, insertResource, orderResources, removeResource, type ResourceFields } from '../publishing/resource.ts'
import { showDataset, showResource, type Resource } from '../catalog/service.ts'
import { agencyIdBySlug } from '../../agencies/service.ts'
import type { Frequency } from '../catalog/vocabularies.ts'
import { ckanPackage, ckanResource } from './format.ts'
import { defineAction, type ActionContext, type CkanAction } from './read-actions.ts'
import {
  DeleteParams, PackageCreateParams, PackageUpdateParams, RESOURCE_KEYS, ResourceCreateParams, ResourceUpdateParams, type PackageResource, type PackageUpdateParams as PackageUpdate,
} from './params.ts'

/**
 * A multilingual text from CKAN's two ways of sending it: `x_translated` (all languages) and plain
 * `x` (the request's language). A client that knows nothing of translations edits one language and
 * leaves the others as they were; a plain text that is already one of the languages' (sent back as
 * package_show gave it, perhaps read in another language) changes nothing.
 */
export function mergeText(base: MultilingualText, translated: MultilingualText | undefined, plain: string | undefined, lang: Lang): MultilingualText {
  const result = { ...(translated ?? base) }
  if (plain !== undefined && localize(result, lang)?.text !== plain && !Object.values(result).includes(plain)) result[lang] = plain
  return result
}

async function agencyIdOf(tx: Queryable, slug: string | undefined): Promise<number> {
  const id = slug ? await agencyIdBySlug(tx, slug) : undefined
  if (id === undefined) throw new ValidationError([{ field: 'owner_org', messageKey: 'data.ckan.ownerOrg' }])
  return id
}

// Defaults for what a full update (package_update) does not send, as CKAN clears what is left out.
const CLEARED: Omit<StoredDatasetFields, 'name' | 'agencySlug' | 'title'> = {
  description: {}, themeCode: null, keywords: {}, licenceId: 'notspecified', frequency: 'irregular',
  temporalStart: null, temporalEnd: null, regionCode: null, contactName: null, contactEmail: null,
  author: null, authorEmail: null, version: null, sourceUrl: null, extraThemeCodes: [], extras: {}, private: false,
}

/** Tags from tags, or else from tag_string ("a, b, c"), as CKAN's package schema takes them. */
function tagsOf(p: PackageUpdate): string[] | undefined {
  if (p.tags) return p.tags.map((t) => t.name)
  return p.tag_string === undefined ? undefined : p.tag_string.split(',').map((t) => t.trim()).filter(Boolean)
}

/**
 * Keywords by language: from keywords (ckanext-fluent's tags by language), or else from CKAN's tags,
 * each of which stays in the languages it is in now, a new one going to the request's language.
 */
function keywordsOf(p: PackageUpdate, current: MultilingualList, lang: Lang): MultilingualList | undefined {
  if (p.keywords) return p.keywords
  const tags = tagsOf(p)
  if (tags === undefined) return undefined
  const wanted = new Set(tags.map((t) => t.trim().toLocaleLowerCase()))
  const result: MultilingualList = {}
  const placed = new Set<string>()
  for (const language of LANGS) {
    const kept = (current[language] ?? []).filter((k) => wanted.has(k))
    if (kept.length > 0) result[language] = kept
    for (const k of kept) placed.add(k)
  }
  const added = [...wanted].filter((k) => !placed.has(k))
  if (added.length > 0) result[lang] = [...(result[lang] ?? []), ...added]
  return result
}

/** CKAN's extras list as key-value pairs; values that are not text are kept as their JSON. */
function extrasOf(p: PackageUpdate): Record<string, string> | undefined {
  if (!p.extras) return undefined
  const live = p.extras.filter((e) => !e.deleted && e.state !== 'deleted')
  return Object.fromEntries(live.map((e) => [e.key, typeof e.value === 'string' ? e.value : e.value === null ? '' : JSON.stringify(e.value)]))
}

/** The dataset's fields from a package dict, over a base (the current fields, or what is cleared). */
function datasetFields(p: PackageUpdate, base: StoredDatasetFields, lang: Lang, partial: boolean): DatasetFields {
  const keep = <T>(given: T | undefined, current: T, cleared: T): T => given !== undefined ? given : partial ? current : cleared
  return {
    name: p.name ?? base.name,
    agencySlug: p.owner_org ?? base.agencySlug,
    // A dataset given no title is called by its name, as CKAN shows it.
    title: mergeText(base.title, p.title_translated, p.title ?? (!partial && !p.title_translated && Object.keys(base.title).length === 0 ? p.name : undefined), lang),
    description: mergeText(partial ? base.description : {}, p.notes_translated, p.notes ?? (partial || p.notes_translated ? undefined : ''), lang),
    themeCode: keep(p.groups ? (p.groups[0]?.name ?? null) : undefined, base.themeCode, CLEARED.themeCode),
    extraThemeCodes: keep(p.groups?.slice(1).map((g) => g.name), base.extraThemeCodes, CLEARED.extraThemeCodes),
    keywords: keep(keywordsOf(p, base.keywords, lang), base.keywords, CLEARED.keywords),
    licenceId: keep(p.license_id, base.licenceId, CLEARED.licenceId),
    frequency: keep(p.frequency as Frequency | undefined, base.frequency, CLEARED.frequency),
    regionCode: keep(p.region, base.regionCode, CLEARED.regionCode),
    temporalStart: keep(p.temporal_start, base.temporalStart, CLEARED.temporalStart),
    temporalEnd: keep(p.temporal_end, base.temporalEnd, CLEARED.temporalEnd),
    // maintainer null or empty clears the name in every language, as a client that knows one language means.
    contactName: p.maintainer_translated || p.maintainer ? mergeText(base.contactName ?? {}, p.maintainer_translated, p.maintainer ?? undefined, lang)
      : p.maintainer === undefined && partial ? base.contactName : CLEARED.contactName,
    contactEmail: keep(p.maintainer_email, base.contactEmail, CLEARED.contactEmail),
    author: keep(p.author, base.author, CLEARED.author),
    authorEmail: keep(p.author_email, base.authorEmail, CLEARED.authorEmail),
    version: keep(p.version, base.version, CLEARED.version),
    sourceUrl: keep(p.url, base.sourceUrl, CLEARED.sourceUrl),
    extras: keep(extrasOf(p), base.extras, CLEARED.extras),
    private: keep(p.private, base.private, CLEARED.private),
  }
}

/** A resource's fields from a resource dict; an uploaded file's own download address means "unchanged". */
export function resourceFields(r: PackageResource, lang: Lang, current?: Resource): ResourceFields {
  const ownDownload = current && r.url !== undefined && current.kind === 'upload' && r.url.endsWith(current.downloadPath)
  return {
    name: mergeText(current?.name ?? {}, r.name_translated, r.name, lang),
    description: mergeText(current?.description ?? {}, r.description_translated, r.description, lang),
    url: ownDownload ? undefined : r.url,
    format: r.format,
    lastModified: r.last_modified ?? undefined,
    sheet: r.datastore_sheet,
    mediaTypeInner: r.mimetype_inner,
    size: r.size,
    checksum: r.hash,
    // package_show gives resource_type null when there is none: sent back so, it is not an extra.
    extras: Object.fromEntries(Object.entries(r).filter(([key, value]) => !RESOURCE_KEYS.has(key) && !(key === 'resource_type' && (value === null || value === '')))),
  }
}

/** Brings a dataset's resources in line with a package dict's list: changed, added, and taken off. */
async function syncResources(tx: Queryable, ctx: ActionContext, datasetId: string, given: PackageResource[]): Promise<void> {
  const dataset = await showDataset(tx, datasetId, new Date(), { includePrivate: true })
  const current = new Map(dataset.resources.map((r) => [r.id, r]))
  const kept = new Set<string>()
  const order: string[] = []
  for (const resource of given) {
    const existing = resource.id ? current.get(resource.id) : undefined
    if (existing) {
      kept.add(existing.id)
      order.push(existing.id)
      await changeResource(tx, ctx.actor, existing.id, resourceFields(resource, ctx.lang, existing))
    } else {
      order.push(await insertResource(tx, ctx.actor, datasetId, resourceFields(resource, ctx.lang)))
    }
  }
  for (const id of current.keys()) if (!kept.has(id)) await removeResource(tx, ctx.actor, id)
  // In the list's order, from 0, as CKAN's package_update leaves them.
  await orderResources(tx, datasetId, order)
}

async function packageResult(ctx: ActionContext, id: string) {
  return ckanPackage(await showDataset(ctx.db, id, new Date(), { includePrivate: true }), ctx)
}

/** package_update and package_patch: the same, but a patch keeps what it does not mention. */
async function updatePackage(ctx: ActionContext, params: PackageUpdate, partial: boolean) {
  const key = params.id ?? params.name
  if (!key) throw new ValidationError([{ field: 'id', messageKey: 'platform.validation.required' }])
  const { id, agencyId } = await findDataset(ctx.db, key)
  authorize(ctx.user, 'dataset.update', { agencyId })
  await ctx.db.transaction(async (tx) => {
    const current = await loadDatasetFields(tx, id)
    const fields = datasetFields(params, current, ctx.lang, partial)
    if (fields.agencySlug !== current.agencySlug) authorize(ctx.user, 'dataset.create', { agencyId: await agencyIdOf(tx, fields.agencySlug) })
    await changeDataset(tx, ctx.actor, id, fields)
    if (params.resources) await syncResources(tx, ctx, id, params.resources)
  })
  return params.return_id_only ? id : packageResult(ctx, id)
}

export const writeActions: CkanAction[] = [
  defineAction({
    name: 'package_create',
    summary: 'Publish a dataset (editors of the owner_org body)',
    params: PackageCreateParams,
    write: true,
    async run(ctx, params) {
      const agencyId = await agencyIdOf(ctx.db, params.owner_org)
      authorize(ctx.user, 'dataset.create', { agencyId })
      const empty: StoredDatasetFields = { ...CLEARED, name: params.name, agencySlug: params.owner_org, title: {} }
      const id = await ctx.db.transaction(async (tx) => {
        const created = await insertDataset(tx, ctx.actor, datasetFields(params, empty, ctx.lang, false))
        for (const resource of params.resources ?? []) await insertResource(tx, ctx.actor, created, resourceFields(resource, ctx.lang))
        return created
      })
      return params.return_id_only ? id : packageResult(ctx, id)
    },
  }),
  defineAction({
    name: 'package_update',
    summary: 'Replace a dataset\'s fields (what is left out is cleared; resources are kept unless listed)',
    params: PackageUpdateParams,
    write: true,
    run: (ctx, params) => updatePackage(ctx, params, false),
  }),
  defineAction({
    name: 'package_patch',
    summary: 'Change only the given fields of a dataset',
    params: PackageUpdateParams,
    write: true,
    run: (ctx, params) => updatePackage(ctx, params, true),
  }),
  defineAction({
    name: 'package_delete',
    summary: 'Withdraw a dataset from the catalog (its record and history are kept)',
    params: DeleteParams,
    write: true,
    async run(ctx, params) {
      const { id, agencyId } = await findDataset(ctx.db, params.id)
      authorize(ctx.user, 'dataset.delete', { agencyId })
      await deleteDataset(ctx.db, ctx.actor, id)
      return null
    },
  }),
  defineAction({
    name: 'resource_create',
    summary: 'Add a file (multipart "upload"), a link (url), or neither: a table that datastore_create fills',
    params: ResourceCreateParams,
    write: true,
    // Keys a resource dict does not name are kept as its extras, as CKAN keeps them.
    unknownKeys: 'pass',
    async run(ctx, params) {
      const { id: datasetId, agencyId } = await findDataset(ctx.db, params.package_id)
      authorize(ctx.user, 'dataset.update', { agencyId })
      // Neither a file nor a link: a resource whose data datastore_create will give (CKAN's url "" then url_type "datastore").
      const fields = { ...resourceFields(params, ctx.lang), datastoreOnly: !ctx.upload && !params.url }
      const id = await ctx.db.transaction((tx) => insertResource(tx, ctx.actor, datasetId, fields, ctx.upload))
      const resource = await showResource(ctx.db, id, { includePrivate: true })
      return ckanResource(resource, resource.datasetName, ctx)
    },
  }),
  ...(['resource_update', 'resource_patch'] as const).map((name) => defineAction({
    name,
    summary: name === 'resource_update' ? 'Change a resource: its description, its link or (multipart "upload") its file' : 'Change only the given fields of a resource',
    params: ResourceUpdateParams,
    write: true,
    unknownKeys: 'pass',
    async run(ctx, params) {
      const { datasetId } = await findResource(ctx.db, params.id)
      const { agencyId } = await findDataset(ctx.db, datasetId)
      authorize(ctx.user, 'dataset.update', { agencyId })
      const current = await showResource(ctx.db, params.id, { includePrivate: true })
      await ctx.db.transaction((tx) => changeResource(tx, ctx.actor, params.id, resourceFields(params, ctx.lang, current), ctx.upload))
      const resource = await showResource(ctx.db, params.id, { includePrivate: true })
      return ckanResource(resource, resource.datasetName, ctx)
    },
  })),
  defineAction({
    name: 'resource_delete',
    summary: 'Take a resource off its dataset (its record and history are kept)',
    params: DeleteParams,
    write: true,
    async run(ctx, params) {
      const { datasetId } = await findResource(ctx.db, params.id)
      const { agencyId } = await findDataset(ctx.db, datasetId)
      authorize(ctx.user, 'dataset.update', { agencyId })
      await ctx.db.transaction((tx) => removeResource(tx, ctx.actor, params.id))
      return null
    },
  }),
]
