import type { Queryable, SqlValue } from '../../platform/db/index.ts'
import type { MultilingualText } from '../../platform/i18n/multilingual.ts'
import { normalizeSearch } from '../agencies/service.ts'
import { SELECT_DATASETS, toDatasets, type Dataset, type DatasetRow } from './service.ts'

export const FACETS = ['publisher', 'theme', 'format', 'licence', 'region', 'frequency', 'keyword'] as const
export type Facet = (typeof FACETS)[number]

export const SORTS = ['relevance', 'newest', 'oldest', 'views', 'name', 'created'] as const
export type CatalogSort = (typeof SORTS)[number]

export interface CatalogQuery {
  q?: string
  /** Values of each facet to keep; several values of one facet are alternatives (any of them). */
  filters?: Partial<Record<Facet, readonly string[]>>
  sort?: CatalogSort
  offset?: number
  limit?: number
  /** Which facets to count (all by default), and how many values of each to return. */
  facets?: readonly Facet[]
  facetLimit?: number
}

export interface FacetValue {
  value: string
  /** The value's name in kk/ru/en where it has one (bodies, themes, licences, regions). */
  name: MultilingualText | null
  count: number
}

export interface CatalogResult {
  total: number
  datasets: Dataset[]
  facets: Partial<Record<Facet, FacetValue[]>>
}

/** The words of a query as a prefix tsquery ("бюджет:* & 2024:*"), or null when it has none. */
export function prefixQuery(q: string): string | null {
  const words = normalizeSearch(q).match(/[\p{L}\p{N}]+/gu)?.slice(0, 10) ?? []
  return words.length > 0 ? words.map((w) => `${w}:*`).join(' & ') : null
}

// Each facet's condition on a dataset row "d" (joined with its body "a"), given the bound values.
const FACET_CONDITIONS: Record<Facet, (param: string) => string> = {
  publisher: (p) => `a.slug = any(${p}::text[])`,
  theme: (p) => `d.theme_code = any(${p}::text[])`,
  licence: (p) => `d.licence_id = any(${p}::text[])`,
  region: (p) => `d.region_code = any(${p}::text[])`,
  frequency: (p) => `d.frequency = any(${p}::text[])`,
  keyword: (p) => `d.keywords && ${p}::text[]`,
  format: (p) => `exists (select 1 from data_resources fr where fr.dataset_id = d.id and fr.state = 'active' and upper(fr.format) = any(${p}::text[]))`,
}

// How each facet's values are counted over the matching datasets ("hits").
const FACET_COUNTS: Record<Facet, string> = {
  publisher: `select 'publisher' as facet, a.slug as value, a.name as name, count(*)::int as count from hits h join agencies a on a.id = h.agency_id group by a.slug, a.name`,
  theme: `select 'theme', t.code, t.name, count(*)::int from hits h join data_themes t on t.code = h.theme_code group by t.code, t.name`,
  licence: `select 'licence', l.id, l.title, count(*)::int from hits h join data_licences l on l.id = h.licence_id group by l.id, l.title`,
  region: `select 'region', r.code, r.name, count(*)::int from hits h join regions r on r.code = h.region_code group by r.code, r.name`,
  frequency: `select 'frequency', h.frequency, null::jsonb, count(*)::int from hits h group by h.frequency`,
  keyword: `select 'keyword', k, null::jsonb, count(*)::int from hits h cross join unnest(h.keywords) k group by k`,
  format: `select 'format', upper(r.format), null::jsonb, count(distinct h.id)::int from hits h join data_resources r on r.dataset_id = h.id
           where r.state = 'active' and r.format <> '' group by upper(r.format)`,
}

const ORDER: Record<Exclude<CatalogSort, 'relevance'>, string> = {
  newest: 'd.updated_at desc, d.id',
  oldest: 'd.updated_at asc, d.id',
  views: 'd.views_total desc, d.updated_at desc, d.id',
  name: 'd.name asc',
  created: 'd.created_at desc, d.id',
}

/**
 * Searches the catalog: words in Kazakh, Russian (stemmed) or English, each also as a prefix, and
 * the whole query by trigram similarity so that typos still find titles; filters by facet; counts
 * every facet's values over what matched; sorts and pages.
 */
export async function searchCatalog(db: Queryable, query: CatalogQuery, now: Date = new Date()): Promise<CatalogResult> {
  const params: SqlValue[] = []
  const bind = (value: SqlValue) => {
    params.push(value)
    return `$${params.length}`
  }
  const conditions = [`d.state = 'active'`]
  let score = '0'
  const raw = query.q ? normalizeSearch(query.q) : ''
  const tsquery = query.q ? prefixQuery(query.q) : null
  if (tsquery) {
    const t = bind(tsquery)
    const r = bind(raw)
    conditions.push(`(d.search_ru @@ to_tsquery('russian', ${t}) or d.search_en @@ to_tsquery('english', ${t})
      or d.search_kk @@ to_tsquery('simple', ${t}) or ${r} <% d.search_text)`)
    score = `(ts_rank(d.search_ru, to_tsquery('russian', ${t})) + ts_rank(d.search_en, to_tsquery('english', ${t}))
      + ts_rank(d.search_kk, to_tsquery('simple', ${t})) + word_similarity(${r}, d.search_text))`
  }
  for (const facet of FACETS) {
    const values = query.filters?.[facet]?.filter((v) => v !== '')
    if (!values || values.length === 0) continue
    conditions.push(FACET_CONDITIONS[facet](bind(facet === 'format' ? values.map((v) => v.toUpperCase()) : [...values])))
  }
  const where = conditions.join(' and ')
  const sort = query.sort ?? 'relevance'
  const order = sort === 'relevance' ? (tsquery ? 'score desc, d.updated_at desc, d.id' : ORDER.newest) : ORDER[sort]
  const limit = bind(query.limit ?? 20)
  const offset = bind(query.offset ?? 0)
  const rows = await db.query<DatasetRow & { score: number; total_count: number }>(
    `select * from (${SELECT_DATASETS.replace('select d.id,', `select ${score} as score, count(*) over ()::int as total_count, d.id,`)}
       where ${where}) d order by ${order} limit ${limit} offset ${offset}`,
    params,
  )
  let total = rows[0]?.total_count ?? 0
  if (rows.length === 0 && (query.offset ?? 0) > 0) {
    // Past the last page the window has no row to tell the total: count it on its own.
    const [counted] = await db.query<{ n: number }>(
      `select count(*)::int as n from datasets d join agencies a on a.id = d.agency_id where ${where}`,
      params.slice(0, -2),
    )
    total = counted?.n ?? 0
  }
  const facetNames = query.facets ?? FACETS
  const facets: Partial<Record<Facet, FacetValue[]>> = Object.fromEntries(facetNames.map((f) => [f, []]))
  if (facetNames.length > 0) {
    const counted = await db.query<{ facet: Facet; value: string; name: MultilingualText | null; count: number }>(
      `with hits as (select d.id, d.agency_id, d.theme_code, d.licence_id, d.region_code, d.frequency, d.keywords
                     from datasets d join agencies a on a.id = d.agency_id where ${where})
       ${facetNames.map((f) => FACET_COUNTS[f]).join('\nunion all\n')}`,
      params.slice(0, -2),
    )
    for (const row of counted) facets[row.facet]?.push({ value: row.value, name: row.name, count: row.count })
    const facetLimit = query.facetLimit ?? 50
    for (const name of facetNames) {
      facets[name] = facets[name]!.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, facetLimit)
    }
  }
  return { total, datasets: await toDatasets(db, rows, now), facets }
}
