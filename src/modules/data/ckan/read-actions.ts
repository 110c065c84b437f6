import type { Static, TSchema } from 'typebox'
import type { Db } from '../../../platform/db/index.ts'
import type { FileStore } from '../../../platform/files/index.ts'
import type { Actor } from '../../../platform/audit/index.ts'
import { hasRole, type User } from '../../../platform/auth/roles.ts'
import { NotFound, ValidationError } from '../../../platform/http/index.ts'
import { localize, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { searchCatalog, type Facet, type SortColumn, type SortKey } from '../catalog/search.ts'
import { SearchQueryError, solrSearch } from './solr-query.ts'
import { showDataset, showResource } from '../catalog/service.ts'
import { findDataset } from '../publishing/dataset.ts'
import { findResource } from '../publishing/resource.ts'
import { can } from '../../../platform/auth/policies.ts'
import { listLicences, listThemes } from '../catalog/vocabularies.ts'
import { countDemand } from '../demand/service.ts'
import type { UploadedFile } from '../../../platform/files/uploads.ts'
import { ckanGroup, ckanOrganization, ckanPackage, ckanResource, ckanTag, type CkanContext } from './format.ts'
import { PUBLIC_DATASET } from '../catalog/visibility.ts'
import type { AgencyKind } from '../../agencies/schemas.ts'
import {
  EmptyParams, ListParams, OrganizationShowParams, PackageListParams, PackageSearchParams, ShowParams, TagListParams,
} from './params.ts'

/** What an action works with: the database, who asks, in which language, from which address. */
export interface ActionContext extends CkanContext {
  db: Db
  files: FileStore
  user: User | null
  actor: Actor
  /** A file sent with the request (multipart "upload"), already in the file store. */
  upload?: UploadedFile
  /** Whether datastore_search_sql answers on this site. */
  datastoreSql: boolean
  /** The client's address (demand is counted once an hour per address). */
  address: string
}

/** One action of the CKAN-compatible API: its parameters' schema and what it does. */
export interface CkanAction<S extends TSchema = TSchema> {
  name: string
  summary: string
  params: S
  /** Writes need a signed request (an API token); reads are open to anyone. */
  write?: boolean
  /**
   * Keys the schema does not name: most CKAN actions ignore them (the default), a few refuse them
   * (datastore_search), and package_search is given them to judge itself.
   */
  unknownKeys?: 'ignore' | 'refuse' | 'pass'
  run(ctx: ActionContext, params: Static<S>): Promise<unknown>
}

export function defineAction<S extends TSchema>(action: CkanAction<S>): CkanAction {
  return action as unknown as CkanAction
}

// CKAN's (Solr's) field names for what the catalog facets on.
export const CKAN_FACETS: Record<string, Facet> = {
  organization: 'publisher', groups: 'theme', res_format: 'format', license_id: 'licence', tags: 'keyword', region: 'region', frequency: 'frequency',
}
const FACET_TO_CKAN = Object.fromEntries(Object.entries(CKAN_FACETS).map(([ckan, facet]) => [facet, ckan])) as Record<Facet, string>
/** The bodies whose private datasets a person may see: those they edit or head; 'all' for an administrator. */
function privateOf(user: User | null): number[] | 'all' | undefined {
  if (!user) return undefined
  if (hasRole(user, 'admin')) return 'all'
  return user.roles.flatMap((g) => ((g.role === 'agency-editor' || g.role === 'agency-head') && g.agencyId !== null ? [g.agencyId] : []))
}

// CKAN's sort fields (ckan/lib/search/index.py indexes them) and the catalog's columns.
const SORT_FIELDS: Record<string, SortColumn> = {
  score: 'score', rank: 'score', metadata_modified: 'modified', metadata_created: 'created', name: 'name', title_string: 'title',
  views_total: 'views', views_recent: 'views', num_resources: 'resources', num_tags: 'tags', id: 'id',
  organization: 'publisher', owner_org: 'publisher', license_id: 'licence', groups: 'theme', region: 'region', frequency: 'frequency',
}
// ckan.search.default_package_sort
const DEFAULT_SORT = 'score desc, metadata_modified desc'

/** "name asc, metadata_modified desc" as sort keys; what Solr could not sort by is CKAN's Search Query Error. */
export function parseSort(sort: string | undefined): SortKey[] {
  return (sort?.trim() || DEFAULT_SORT).split(',').map((part) => {
    const [field = '', direction = 'asc', ...more] = part.trim().split(/\s+/)
    const column = SORT_FIELDS[field]
    const dir = direction.toLowerCase()
    if (!column || more.length > 0 || (dir !== 'asc' && dir !== 'desc')) throw new SearchQueryError('data.ckan.search.sort', { allowed: Object.keys(SORT_FIELDS).join(', ') })
    return { column, descending: dir === 'desc' }
  })
}

// ckan.search.rows_max: more rows are lowered to it (limit_to_configured_maximum).
export const ROWS_MAX = 1000
// package_search's keys besides the Solr ones (ckan/lib/search/query.py VALID_SOLR_PARAMETERS).
const SEARCH_KEYS = new Set(Object.keys(PackageSearchParams.properties))

// facet.field arrives as a JSON list in a query string ('["organization","tags"]'), or as a list.
function facetFields(values: string[] | undefined): Facet[] {
  const names = (values ?? []).flatMap((value) => {
    if (!value.trim().startsWith('[')) return [value]
    try {
      const parsed: unknown = JSON.parse(value)
      if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string')) return parsed as string[]
    } catch { /* reported below */ }
    throw new ValidationError([{ field: 'facet.field', messageKey: 'data.ckan.facetList' }])
  })
  return names.map((name) => {
    const facet = CKAN_FACETS[name]
    if (!facet) throw new ValidationError([{ field: 'facet.field', messageKey: 'data.ckan.unknownField', values: { field: name, allowed: Object.keys(CKAN_FACETS).join(', ') } }])
    return facet
  })
}


/** Each format (upper-cased, as the catalog counts it) as the active resources spell it most often ("GeoJSON"). */
async function formatSpellings(db: Db): Promise<Map<string, string>> {
  const rows = await db.query<{ upper: string; format: string }>(
    `select distinct on (upper(format)) upper(format) as upper, format from data_resources
     where state = 'active' and format <> '' group by format order by upper(format), count(*) desc, format`,
  )
  return new Map(rows.map((r) => [r.upper, r.format]))
}

async function organizations(db: Db, ctx: CkanContext) {
  const rows = await db.query<{ slug: string; name: MultilingualText; kind: AgencyKind; created_at: Date | string; package_count: number }>(
    `select a.slug, a.name, a.kind, a.created_at, count(d.id)::int as package_count
     from agencies a left join datasets d on d.agency_id = a.id and ${PUBLIC_DATASET}
     group by a.id order by a.slug`,
  )
  return rows.map((r) => ({ slug: r.slug, count: r.package_count, dict: ckanOrganization({ slug: r.slug, name: r.name, kind: r.kind, createdAt: new Date(r.created_at).toISOString() }, ctx, { package_count: r.package_count }) }))
}

/** One body as organization_show gives it, with the count of its public datasets. */
export async function organization(ctx: ActionContext, slug: string) {
  const found = (await organizations(ctx.db, ctx)).find((o) => o.slug === slug)
  if (!found) throw new NotFound('organization', slug)
  return found
}

function sortAndPage<T extends { slug: string; count: number; dict: { title: string } }>(items: T[], params: Static<typeof ListParams>) {
  const sort = params.sort ?? 'name'
  if (sort.startsWith('package_count')) items.sort((a, b) => b.count - a.count || a.slug.localeCompare(b.slug))
  else if (sort.startsWith('title')) items.sort((a, b) => a.dict.title.localeCompare(b.dict.title))
  else if (sort === 'name desc') items.reverse()
  const offset = params.offset ?? 0
  const page = items.slice(offset, params.limit === undefined ? undefined : offset + params.limit)
  return params.all_fields ? page.map((i) => i.dict) : page.map((i) => i.slug)
}

export const readActions: CkanAction[] = [
  defineAction({
    name: 'status_show',
    summary: 'The site and the CKAN version whose API it speaks',
    params: EmptyParams,
    async run(ctx) {
      return {
        ckan_version: '2.10.4',
        site_title: 'Ashyq',
        site_description: 'Open data of the state bodies of Kazakhstan',
        site_url: ctx.baseUrl,
        locale_default: ctx.lang,
        error_emails_to: null,
        extensions: ['ashyq', 'fluent', 'dcat'],
      }
    },
  }),
  defineAction({
    name: 'package_list',
    summary: 'The names of all published datasets',
    params: PackageListParams,
    async run(ctx, params) {
      const rows = await ctx.db.query<{ name: string }>(
        `select name from datasets where state = 'active' and not private order by name limit $1 offset $2`,
        [params.limit ?? null, params.offset ?? 0],
      )
      return rows.map((r) => r.name)
    },
  }),
  defineAction({
    name: 'package_show',
    summary: 'One dataset with its resources',
    params: ShowParams,
    async run(ctx, params) {
      // A withdrawn dataset is shown to its body's editors with state "deleted", as CKAN shows it
      // to those who may edit it (ckan/logic/auth/get.py, package_show); to others it is not there.
      // A private one likewise to them only (not even its existence to others).
      const found = await findDataset(ctx.db, params.id, { includeDeleted: true })
      const editor = can(ctx.user, 'dataset.update', { agencyId: found.agencyId })
      if (found.state === 'deleted' && !editor) throw new NotFound('dataset', params.id)
      const dataset = await showDataset(ctx.db, found.id, new Date(), { includeDeleted: true, includePrivate: editor })
      if (dataset.state === 'active') await countDemand(ctx.db, dataset.id, 'api_calls', { address: ctx.address })
      return ckanPackage(dataset, ctx)
    },
  }),
  defineAction({
    name: 'package_search',
    summary: 'Search datasets: q and fq in Solr syntax, facet.field, rows, start, sort, fl',
    params: PackageSearchParams,
    unknownKeys: 'pass',
    async run(ctx, params) {
      const unknown = Object.keys(params).filter((key) => !SEARCH_KEYS.has(key) && !key.startsWith('ext_'))
      if (unknown.length > 0) throw new SearchQueryError('data.ckan.search.params', { params: unknown.join(', ') })
      const now = new Date()
      const { words, condition, rankWords } = solrSearch(params, now)
      const facets = params.facet === 'false' ? [] : facetFields(params['facet.field'])
      const facetLimit = params['facet.limit'] === -1 ? 10_000 : (params['facet.limit'] ?? 50)
      const rows = Math.min(params.rows ?? 10, ROWS_MAX)
      const result = await searchCatalog(ctx.db, {
        q: words,
        condition,
        rankWords,
        order: parseSort(params.sort),
        lang: ctx.lang,
        // include_private: the private datasets of the bodies the asker edits (all, for an administrator).
        privateOf: params.include_private ? privateOf(ctx.user) : undefined,
        limit: rows,
        offset: params.start ?? 0,
        facets,
        facetLimit,
        // CKAN's tags facet counts every tag; a tag here is a keyword of any language.
        everyKeyword: true,
      }, now)
      const minCount = params['facet.mincount'] ?? 0
      // Formats are counted without case (CSV and csv are one); each is named as its resources spell it most.
      const spellings = facets.includes('format') ? await formatSpellings(ctx.db) : new Map<string, string>()
      const named = (facet: Facet, value: string) => (facet === 'format' ? spellings.get(value) ?? value : value)
      const facetEntries = facets.map((facet) => [FACET_TO_CKAN[facet], (result.facets[facet] ?? []).filter((v) => v.count >= minCount).map((v) => ({ ...v, value: named(facet, v.value) }))] as const)
      const fields = typeof params.fl === 'string' ? params.fl.split(/[\s,]+/).filter(Boolean) : params.fl
      return {
        count: result.total,
        sort: params.sort ?? DEFAULT_SORT,
        facets: Object.fromEntries(facetEntries.map(([name, values]) => [name, Object.fromEntries(values.map((v) => [v.value, v.count]))])),
        search_facets: Object.fromEntries(facetEntries.map(([name, values]) => [name, {
          title: name,
          items: values.map((v) => ({ name: v.value, display_name: localize(v.name, ctx.lang)?.text ?? v.value, count: v.count })),
        }])),
        results: result.datasets.map((d) => {
          const dict = ckanPackage(d, ctx)
          return fields && fields.length > 0 ? Object.fromEntries(fields.filter((f) => f in dict).map((f) => [f, dict[f as keyof typeof dict]])) : dict
        }),
      }
    },
  }),
  defineAction({
    name: 'resource_show',
    summary: 'One resource (file or link) of a dataset',
    params: ShowParams,
    async run(ctx, params) {
      const { datasetId } = await findResource(ctx.db, params.id)
      const { agencyId } = await findDataset(ctx.db, datasetId)
      const resource = await showResource(ctx.db, params.id, { includePrivate: can(ctx.user, 'dataset.update', { agencyId }) })
      await countDemand(ctx.db, resource.datasetId, 'api_calls', { address: ctx.address })
      return ckanResource(resource, resource.datasetName, ctx)
    },
  }),
  defineAction({
    name: 'organization_list',
    summary: 'The publishing state bodies (names, or whole records with all_fields)',
    params: ListParams,
    async run(ctx, params) {
      return sortAndPage(await organizations(ctx.db, ctx), params)
    },
  }),
  defineAction({
    name: 'organization_show',
    summary: 'One publishing state body, with its datasets if asked',
    params: OrganizationShowParams,
    async run(ctx, params) {
      const found = await organization(ctx, params.id)
      if (!params.include_datasets) return found.dict
      const result = await searchCatalog(ctx.db, { filters: { publisher: [found.slug] }, sort: 'name', limit: ROWS_MAX, facets: [] })
      return { ...found.dict, packages: result.datasets.map((d) => ckanPackage(d, ctx)) }
    },
  }),
  defineAction({
    name: 'group_list',
    summary: 'The themes datasets are grouped by (names, or whole records with all_fields)',
    params: ListParams,
    async run(ctx, params) {
      const counts = new Map((await ctx.db.query<{ theme_code: string; n: number }>(
        `select code as theme_code, count(*)::int as n from datasets d cross join unnest(array[d.theme_code] || d.extra_theme_codes) code
         where ${PUBLIC_DATASET} and code is not null group by code`,
      )).map((r) => [r.theme_code, r.n]))
      const themes = (await listThemes(ctx.db)).map((theme) => ({
        slug: theme.code, count: counts.get(theme.code) ?? 0, dict: ckanGroup(theme, ctx, { package_count: counts.get(theme.code) ?? 0 }),
      }))
      return sortAndPage(themes, params)
    },
  }),
  defineAction({
    name: 'group_show',
    summary: 'One theme',
    params: OrganizationShowParams,
    async run(ctx, params) {
      const theme = (await listThemes(ctx.db)).find((t) => t.code === params.id)
      if (!theme) throw new NotFound('group', params.id)
      const [row] = await ctx.db.query<{ n: number }>(`select count(*)::int as n from datasets where state = 'active' and not private and (theme_code = $1 or $1 = any(extra_theme_codes))`, [theme.code])
      const group = ckanGroup(theme, ctx, { package_count: row?.n ?? 0 })
      if (!params.include_datasets) return group
      // As CKAN's _group_or_org_show: the group's datasets, at most 1,000 (ckan.search.rows_max).
      const result = await searchCatalog(ctx.db, { filters: { theme: [theme.code] }, sort: 'name', limit: ROWS_MAX, facets: [] })
      return { ...group, packages: result.datasets.map((d) => ckanPackage(d, ctx)) }
    },
  }),
  defineAction({
    name: 'tag_list',
    summary: 'The keywords of published datasets; query finds those containing it',
    params: TagListParams,
    async run(ctx, params) {
      const rows = await ctx.db.query<{ keyword: string }>(
        `select distinct k as keyword from datasets d cross join unnest(d.keywords) k
         where ${PUBLIC_DATASET} and ($1::text is null or strpos(k, lower($1)) > 0) order by k`,
        [params.query?.trim() || null],
      )
      return params.all_fields ? rows.map((r) => ckanTag(r.keyword)) : rows.map((r) => r.keyword)
    },
  }),
  defineAction({
    name: 'license_list',
    summary: 'The licences a dataset may carry',
    params: EmptyParams,
    async run(ctx) {
      return (await listLicences(ctx.db)).map((l) => ({
        id: l.id,
        title: localize(l.title, ctx.lang)?.text ?? l.id,
        url: l.url ?? '',
        status: 'active',
        od_conformance: l.isOpen ? 'approved' : 'not reviewed',
        osd_conformance: 'not reviewed',
        is_okd_compliant: l.isOpen,
        is_generic: l.url === null,
      }))
    },
  }),
]
