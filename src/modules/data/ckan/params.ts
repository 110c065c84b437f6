import { Type, type Static } from 'typebox'
import { FREQUENCIES } from '../catalog/vocabularies.ts'
import { MultilingualInput } from '../../../platform/http/validation.ts'

// The parameters of each action of the CKAN-compatible API, as CKAN 2.10 documents them. Fields a
// client may send back unchanged from package_show are accepted (and ignored where they are derived);
// any other field is refused, as CKAN refuses it.

const Id = Type.String({ minLength: 1, maxLength: 100, description: 'The id or the name' })
const Limit = (max: number) => Type.Integer({ minimum: 0, maximum: max })
const Flag = Type.Boolean()

export const PackageListParams = Type.Object({ limit: Type.Optional(Limit(10000)), offset: Type.Optional(Limit(1_000_000)) }, { additionalProperties: false })

export const ShowParams = Type.Object(
  { id: Id, use_default_schema: Type.Optional(Flag), include_tracking: Type.Optional(Flag) },
  { additionalProperties: false },
)

// package_search's parameters (ckan/logic/schema/__init__.py, default_package_search_schema, and the
// Solr parameters ckan/lib/search/query.py lets through); other keys are a Search Query Error.
const SolrText = Type.String({ maxLength: 2000 })
export const PackageSearchParams = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 2000, description: 'Words in any language, or Solr syntax: AND, OR, NOT, -term, "a phrase", field:value, field:[a TO b]; "*:*" for everything' })),
    fq: Type.Optional(Type.String({ maxLength: 4000, description: 'Filters in Solr syntax: organization:x OR organization:y -tags:z metadata_modified:[NOW-7DAYS TO *]' })),
    fq_list: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 20 })),
    fl: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })], { description: 'Only these fields of each dataset: "id name title" or a list' })),
    'facet.field': Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 10, description: 'JSON list of fields to count, e.g. ["organization","res_format"]' })),
    'facet.limit': Type.Optional(Type.Integer({ minimum: -1, maximum: 1000 })),
    'facet.mincount': Type.Optional(Type.Integer({ minimum: 0 })),
    facet: Type.Optional(Type.String({ enum: ['true', 'false'] })),
    rows: Type.Optional(Type.Integer({ minimum: 0, description: 'At most 1000 (more is lowered to 1000, as CKAN does)' })),
    start: Type.Optional(Limit(1_000_000)),
    sort: Type.Optional(Type.String({ maxLength: 300, description: 'Fields with asc or desc, comma-separated: score, metadata_modified, metadata_created, name, title_string, views_total, num_resources, num_tags, id, organization, license_id, groups, region, frequency' })),
    include_private: Type.Optional(Flag),
    include_drafts: Type.Optional(Flag),
    include_deleted: Type.Optional(Flag),
    use_default_schema: Type.Optional(Flag),
    extras: Type.Optional(Type.Unknown()),
    qf: Type.Optional(SolrText),
    wt: Type.Optional(SolrText),
    bf: Type.Optional(SolrText),
    boost: Type.Optional(SolrText),
    tie: Type.Optional(SolrText),
    defType: Type.Optional(SolrText),
    mm: Type.Optional(SolrText),
    df: Type.Optional(SolrText),
  },
  { additionalProperties: false },
)
export type PackageSearchParams = Static<typeof PackageSearchParams>

export const ListParams = Type.Object(
  {
    all_fields: Type.Optional(Flag),
    sort: Type.Optional(Type.String({ enum: ['name', 'name asc', 'name desc', 'title', 'title asc', 'package_count', 'package_count desc'] })),
    limit: Type.Optional(Limit(1000)),
    offset: Type.Optional(Limit(1_000_000)),
    include_dataset_count: Type.Optional(Flag),
    include_extras: Type.Optional(Flag),
    include_users: Type.Optional(Flag),
    include_groups: Type.Optional(Flag),
    include_tags: Type.Optional(Flag),
    organizations: Type.Optional(Type.Array(Type.String({ maxLength: 100 }))),
    groups: Type.Optional(Type.Array(Type.String({ maxLength: 100 }))),
  },
  { additionalProperties: false },
)

export const OrganizationShowParams = Type.Object(
  {
    id: Id,
    include_datasets: Type.Optional(Flag),
    include_dataset_count: Type.Optional(Flag),
    include_extras: Type.Optional(Flag),
    include_users: Type.Optional(Flag),
    include_groups: Type.Optional(Flag),
    include_tags: Type.Optional(Flag),
    include_followers: Type.Optional(Flag),
  },
  { additionalProperties: false },
)

export const TagListParams = Type.Object(
  { query: Type.Optional(Type.String({ maxLength: 100 })), vocabulary_id: Type.Optional(Type.String({ maxLength: 100 })), all_fields: Type.Optional(Flag) },
  { additionalProperties: false },
)

export const EmptyParams = Type.Object({}, { additionalProperties: false })

// Read-only fields of a resource as package_show gives it.
const ResourceEcho = {
  id: Type.Optional(Type.String({ maxLength: 100 })),
  package_id: Type.Optional(Type.String({ maxLength: 100 })),
  url_type: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
  mimetype: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  // Null first: coerced against an integer first, a null would become 0.
  size: Type.Optional(Type.Union([Type.Null(), Type.Integer()])),
  hash: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  created: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  metadata_modified: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  position: Type.Optional(Type.Integer()),
  state: Type.Optional(Type.String({ maxLength: 20 })),
  cache_url: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  datastore_active: Type.Optional(Flag),
  package_name: Type.Optional(Type.String({ maxLength: 100 })),
}

const ResourceFieldsProps = {
  url: Type.Optional(Type.String({ maxLength: 2000 })),
  name: Type.Optional(Type.String({ maxLength: 300 })),
  name_translated: Type.Optional(MultilingualInput(300)),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  description_translated: Type.Optional(MultilingualInput(5000)),
  format: Type.Optional(Type.String({ maxLength: 20 })),
  last_modified: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  datastore_sheet: Type.Optional(Type.Union([Type.String({ maxLength: 100, description: 'For an XLSX file: the sheet to load into the datastore (the first when not given)' }), Type.Null()])),
  mimetype_inner: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
}

// CKAN keeps a resource's keys it does not know as the resource's extras (ckan/logic/schema: '__extras');
// resource_type, a field of CKAN's it has no column for here, is kept so too.
export const PackageResource = Type.Object({ ...ResourceFieldsProps, ...ResourceEcho }, { additionalProperties: true })
/** The keys a resource dict has by name; any other key is one of its extras. */
export const RESOURCE_KEYS = new Set([...Object.keys(ResourceFieldsProps), ...Object.keys(ResourceEcho), 'upload', 'package_id'])
export type PackageResource = Static<typeof PackageResource>

const NamedRef = Type.Object({ name: Type.String({ maxLength: 100 }) }, { additionalProperties: true })
const Extra = Type.Object(
  { key: Type.String({ minLength: 1, maxLength: 100 }), value: Type.Union([Type.String({ maxLength: 10_000 }), Type.Number(), Type.Boolean(), Type.Null()]), deleted: Type.Optional(Type.Unknown()), state: Type.Optional(Type.Unknown()) },
  { additionalProperties: true },
)
const Words = Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 30 }))
const Keywords = Type.Object(
  { kk: Words, ru: Words, en: Words },
  { additionalProperties: false, description: 'Keywords by language, as ckanext-fluent\'s tags: {"kk": […], "ru": […], "en": […]}' },
)
const OptionalText = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]))

const PackageFieldsProps = {
  name: Type.String({ maxLength: 100, description: 'The address: 2-100 lower-case letters, digits, - and _' }),
  title: Type.Optional(Type.String({ maxLength: 300, description: 'Title in the language of the request (the name when not given); title_translated gives all three' })),
  title_translated: Type.Optional(MultilingualInput(300)),
  notes: Type.Optional(Type.String({ maxLength: 10000 })),
  notes_translated: Type.Optional(MultilingualInput(10000)),
  owner_org: Type.String({ maxLength: 100, description: 'The publishing state body (its name)' }),
  license_id: Type.Optional(Type.String({ maxLength: 50 })),
  tags: Type.Optional(Type.Array(NamedRef, { maxItems: 90, description: 'All the keywords: a tag new to the dataset is taken as in the language of the request; keywords gives them by language' })),
  keywords: Type.Optional(Keywords),
  tag_string: Type.Optional(Type.String({ maxLength: 3000, description: 'Tags separated by commas, when tags is not given' })),
  groups: Type.Optional(Type.Array(NamedRef, { maxItems: 20, description: 'The themes (EU data themes): the first is the main one' })),
  frequency: Type.Optional(Type.String({ enum: [...FREQUENCIES] })),
  region: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
  temporal_start: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])),
  temporal_end: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])),
  maintainer: OptionalText(200),
  maintainer_translated: Type.Optional(MultilingualInput(200)),
  maintainer_email: OptionalText(254),
  author: OptionalText(200),
  author_email: OptionalText(254),
  version: OptionalText(100),
  url: Type.Optional(Type.Union([Type.String({ maxLength: 2000, description: 'The page the data comes from, when it is published elsewhere first' }), Type.Null()])),
  extras: Type.Optional(Type.Array(Extra, { maxItems: 50, description: 'Free key-value pairs: [{"key": "…", "value": "…"}]' })),
  private: Type.Optional(Type.Boolean({ description: 'Seen only by the body\'s editors and heads until made public' })),
  resources: Type.Optional(Type.Array(PackageResource, { maxItems: 100 })),
}

// What package_show adds that a client may send back: accepted, not stored.
const PackageEcho = {
  return_id_only: Type.Optional(Type.Boolean({ description: 'Answer with the dataset\'s id only, not the whole dataset' })),
  id: Type.Optional(Type.String({ maxLength: 100 })),
  type: Type.Optional(Type.String({ enum: ['dataset'] })),
  state: Type.Optional(Type.String({ maxLength: 20 })),
  organization: Type.Optional(Type.Unknown()),
  license_title: Type.Optional(Type.Unknown()),
  license_url: Type.Optional(Type.Unknown()),
  isopen: Type.Optional(Type.Unknown()),
  creator_user_id: Type.Optional(Type.Unknown()),
  metadata_created: Type.Optional(Type.Unknown()),
  metadata_modified: Type.Optional(Type.Unknown()),
  num_resources: Type.Optional(Type.Unknown()),
  num_tags: Type.Optional(Type.Unknown()),
  relationships_as_object: Type.Optional(Type.Unknown()),
  relationships_as_subject: Type.Optional(Type.Unknown()),
  data_updated: Type.Optional(Type.Unknown()),
  freshness: Type.Optional(Type.Unknown()),
}

export const PackageCreateParams = Type.Object({ ...PackageFieldsProps, ...PackageEcho }, { additionalProperties: false })
export type PackageCreateParams = Static<typeof PackageCreateParams>

export const PackageUpdateParams = Type.Object(
  { ...PackageFieldsProps, ...PackageEcho, id: Type.Optional(Id), name: Type.Optional(PackageFieldsProps.name), owner_org: Type.Optional(PackageFieldsProps.owner_org) },
  { additionalProperties: false },
)
export type PackageUpdateParams = Static<typeof PackageUpdateParams>

export const DeleteParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ResourceCreateParams = Type.Object(
  { ...ResourceFieldsProps, ...ResourceEcho, package_id: Id, upload: Type.Optional(Type.Unknown({ description: 'The file (multipart/form-data)' })) },
  { additionalProperties: false },
)
export type ResourceCreateParams = Static<typeof ResourceCreateParams>

export const ResourceUpdateParams = Type.Object(
  { ...ResourceFieldsProps, ...ResourceEcho, id: Id, upload: Type.Optional(Type.Unknown({ description: 'A new file (multipart/form-data)' })) },
  { additionalProperties: false },
)
export type ResourceUpdateParams = Static<typeof ResourceUpdateParams>
