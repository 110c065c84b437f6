import type { Lang } from '../../../platform/i18n/index.ts'
import { allItems, localize, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { resourceUrl, type Dataset, type Resource } from '../catalog/service.ts'
import type { AgencyKind } from '../../agencies/schemas.ts'
import { mediaTypeOfResource, type Theme } from '../catalog/vocabularies.ts'

/** CKAN writes times as naive UTC with microseconds: "2024-05-01T10:00:00.123000". */
export function ckanTime(iso: string | null): string | null {
  return iso ? iso.replace(/\.(\d{3})Z$/, '.$1000').replace(/Z$/, '') : null
}

const text = (value: MultilingualText | null | undefined, lang: Lang) => localize(value, lang)?.text ?? ''

export interface CkanContext {
  lang: Lang
  /** The site's address as the client reached it ("https://data.example.kz"), for absolute links. */
  baseUrl: string
}

export function ckanResource(resource: Resource, datasetName: string, ctx: CkanContext) {
  return {
    // A resource's extras sit beside its fields, as CKAN gives them; the fields win a clash.
    ...resource.extras,
    id: resource.id,
    package_id: resource.datasetId,
    name: text(resource.name, ctx.lang),
    name_translated: resource.name,
    description: text(resource.description, ctx.lang),
    description_translated: resource.description,
    format: resource.format,
    url: resourceUrl(resource, ctx.baseUrl),
    url_type: resource.kind === 'link' ? null : resource.kind,
    mimetype: mediaTypeOfResource(resource),
    mimetype_inner: resource.mediaTypeInner,
    size: resource.size,
    hash: resource.checksum ?? '',
    last_modified: ckanTime(resource.lastModified),
    created: ckanTime(resource.createdAt),
    metadata_modified: ckanTime(resource.updatedAt),
    position: resource.position,
    state: 'active',
    resource_type: typeof resource.extras.resource_type === 'string' ? resource.extras.resource_type : null,
    cache_url: null,
    datastore_active: resource.datastore?.active ?? false,
    package_name: datasetName,
  }
}

export function ckanOrganization(agency: { slug: string; name: MultilingualText; kind: AgencyKind; createdAt: string }, ctx: CkanContext, extra: Record<string, unknown> = {}) {
  const title = text(agency.name, ctx.lang)
  return {
    id: agency.slug,
    name: agency.slug,
    title,
    title_translated: agency.name,
    display_name: title,
    description: '',
    image_url: '',
    image_display_url: '',
    created: ckanTime(agency.createdAt),
    is_organization: true,
    // Ashyq's: central, local or quasi-public (organization_create takes it back).
    kind: agency.kind,
    approval_status: 'approved',
    state: 'active',
    type: 'organization',
    ...extra,
  }
}

export function ckanGroup(theme: Theme, ctx: CkanContext, extra: Record<string, unknown> = {}) {
  const title = text(theme.name, ctx.lang)
  return {
    id: theme.code,
    name: theme.code,
    title,
    title_translated: theme.name,
    display_name: title,
    description: '',
    image_display_url: '',
    is_organization: false,
    state: 'active',
    type: 'group',
    ...extra,
  }
}

export function ckanTag(keyword: string) {
  return { id: keyword, name: keyword, display_name: keyword, state: 'active', vocabulary_id: null }
}

/** A dataset as CKAN 2.10's package_show gives it, with the texts in all languages beside. */
export function ckanPackage(dataset: Dataset, ctx: CkanContext) {
  const tags = allItems(dataset.keywords)
  return {
    id: dataset.id,
    name: dataset.name,
    title: text(dataset.title, ctx.lang),
    title_translated: dataset.title,
    notes: text(dataset.description, ctx.lang),
    notes_translated: dataset.description,
    type: 'dataset',
    state: dataset.state,
    private: dataset.private,
    owner_org: dataset.agency.slug,
    organization: ckanOrganization(dataset.agency, ctx),
    license_id: dataset.licence.id,
    license_title: text(dataset.licence.title, ctx.lang),
    license_url: dataset.licence.url ?? '',
    isopen: dataset.licence.isOpen,
    author: dataset.author,
    author_email: dataset.authorEmail,
    maintainer: dataset.contactName ? text(dataset.contactName, ctx.lang) : null,
    maintainer_translated: dataset.contactName ?? {},
    maintainer_email: dataset.contactEmail,
    creator_user_id: dataset.createdBy,
    metadata_created: ckanTime(dataset.createdAt),
    metadata_modified: ckanTime(dataset.updatedAt),
    url: dataset.sourceUrl ?? '',
    version: dataset.version,
    frequency: dataset.frequency,
    region: dataset.region?.code ?? null,
    temporal_start: dataset.temporalStart,
    temporal_end: dataset.temporalEnd,
    data_updated: ckanTime(dataset.dataUpdatedAt),
    freshness: dataset.freshness.status,
    num_resources: dataset.resources.length,
    num_tags: tags.length,
    tags: tags.map(ckanTag),
    // The tags by language, as ckanext-fluent's multilingual tags field gives them.
    keywords: dataset.keywords,
    groups: dataset.themes.map((theme) => ckanGroup(theme, ctx)),
    resources: dataset.resources.map((r) => ckanResource(r, dataset.name, ctx)),
    extras: Object.entries(dataset.extras).map(([key, value]) => ({ key, value })),
    relationships_as_object: [],
    relationships_as_subject: [],
  }
}
