import { parameters } from '../../../platform/db/parameters.ts'
import type { Queryable, SqlValue } from '../../../platform/db/index.ts'
import { RefreshingCache } from '../../../platform/cache/index.ts'
import { fallbackOrder, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import type { Lang } from '../../../platform/i18n/index.ts'
import { normalizeSearch } from '../../agencies/service.ts'
import { catalogGeneration } from './generation.ts'
import { SELECT_DATASETS, resourcesOf, toDatasets, type Dataset, type DatasetRow, type Resource } from './service.ts'

export const FACETS = ['publisher', 'theme', 'format', 'licence', 'region', 'frequency', 'keyword'] as const
export type Facet = (typeof FACETS)[number]

export const SORTS = ['relevance', 'newest', 'oldest', 'views', 'name', 'created'] as const
export type CatalogSort = (typeof SORTS)[number]

/** A condition on the datasets row "d", written with values bound through `bind` ($1, $2…). */
export type SqlCondition = (bind: (value: SqlValue) => string) => string

/** A column to order by, as CKAN's sort names them (title in the reader's language). */
export const SORT_COLUMNS = ['score', 'name', 'title', 'modified', 'created', 'views', 'resources', 'tags', 'id', 'publisher', 'licence', 'theme', 'region', 'frequency'] as const
export type SortColumn = (typeof SORT_COLUMNS)[number]
export interface SortKey {
  column: SortColumn
  descending: boolean
}

export interface CatalogQuery {
  q?: string
  /** A further condition (the CKAN API's q and fq), and the tsqueries of its words to rank by. */
  condition?: SqlCondition
  rankWords?: readonly string[]
  /** Order by these columns (then by id), instead of `sort`. */
  order?: readonly SortKey[]
  /** The language whose titles `title` sorts by. */
  lang?: Lang
  /** Private datasets to include: those of these bodies (their editors asking), or all (an administrator). */
  privateOf?: readonly number[] | 'all'
  /** Values of each facet to keep; several values of one facet are alternatives (any of them). */
  filters?: Partial<Record<Facet, readonly string[]>>
  sort?: CatalogSort
  offset?: number
  limit?: number
  /** Which facets to count (all by default), and how many values of each to return. */
  facets?: readonly Facet[]
  facetLimit?: number
  /** Count every keyword, of whatever language (CKAN's tags facet), not only the reader's language's. */
  everyKeyword?: boolean
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

/**
 * Whether dataset `d` matches a tsquery (the bound parameter `t`) in any of its languages: Russian
 * and English stemmed, Kazakh as whole words (PostgreSQL has no Kazakh stemmer).
 */
export function matchesAnyLanguage(t: string): string {
  return `(d.search_ru @@ to_tsquery('russian', ${t}) or d.search_en @@ to_tsquery('english', ${t}) or d.search_kk @@ to_tsquery('simple', ${t}))`
}

/** How well dataset `d` matches a tsquery (the bound parameter `t`): its ranks in the three languages added. */
function rankInAllLanguages(t: string): string {
  return `(ts_rank(d.search_ru, to_tsquery('russian', ${t})) + ts_rank(d.search_en, to_tsquery('english', ${t})) + ts_rank(d.search_kk, to_tsquery('simple', ${t})))`
}

/** The words of a query as a prefix tsquery ("бюджет:* & 2024:*"), or null when it has none. */
export function prefixQuery(q: string): string | null {
  const words = normalizeSearch(q).match(/[\p{L}\p{N}]+/gu)?.slice(0, 10) ?? []
  return words.length > 0 ? words.map((w) => `${w}:*`).join(' & ') : null
}

// Each facet's condition on a dataset row "d", given the bound values: columns of datasets only, so
// that counting and paging never join the resources.
const FACET_CONDITIONS: Record<Facet, (param: string) => string> = {
  publisher: (p) => `d.agency_id in (select id from agencies where slug = any(${p}::text[]))`,
  theme: (p) => `(d.theme_code = any(${p}::text[]) or d.extra_theme_codes && ${p}::text[])`,
  licence: (p) => `d.licence_id = any(${p}::text[])`,
  region: (p) => `d.region_code = any(${p}::text[])`,
  frequency: (p) => `d.frequency = any(${p}::text[])`,
  keyword: (p) => `d.keywords && ${p}::text[]`,
  format: (p) => `d.formats && ${p}::text[]`,
}

// How each facet's values are counted over the matching datasets ("hits"): grouped by the code
// first, names joined to the few groups after.
const FACET_COUNTS: Record<Facet, string> = {
  publisher: `select 'publisher' as facet, a.slug as value, a.name as name, c.n as count
              from (select agency_id, count(*)::int as n from hits group by agency_id) c join agencies a on a.id = c.agency_id`,
  theme: `select 'theme', t.code, t.name, c.n from (select code, count(*)::int as n from hits cross join unnest(array[theme_code] || extra_theme_codes) code
                                                   where code is not null group by code) c
          join data_themes t on t.code = c.code`,
  licence: `select 'licence', l.id, l.title, c.n from (select licence_id, count(*)::int as n from hits group by licence_id) c join data_licences l on l.id = c.licence_id`,
  region: `select 'region', r.code, r.name, c.n from (select region_code, count(*)::int as n from hits where region_code is not null group by region_code) c
           join regions r on r.code = c.region_code`,
  frequency: `select 'frequency', frequency, null::jsonb, count(*)::int from hits group by frequency`,
  // Replaced by keywordCounts() when the reader's language is known.
  keyword: `select 'keyword', k, null::jsonb, count(*)::int from hits cross join unnest(keywords) k group by k`,
  format: `select 'format', f, null::jsonb, count(*)::int from hits cross join unnest(formats) f group by f`,
}

/**
 * The keywords a reader of lang sees counted: each dataset's keywords in that language, or in the
 * nearest language it has (as its page shows them). The languages are fixed codes, not input.
 */
function keywordCounts(lang: Lang): string {
  const languages = fallbackOrder(lang).map((l) => `'${l}'`).join(', ')
  return `select 'keyword', k, null::jsonb, count(*)::int from hits cross join ashyq_keywords_in(keywords_by_language, array[${languages}]) k group by k`
}

const ORDER: Record<Exclude<CatalogSort, 'relevance'>, string> = {
  newest: 'd.updated_at desc, d.id',
  oldest: 'd.updated_at asc, d.id',
  views: 'd.views_total desc, d.updated_at desc, d.id',
  name: 'd.name asc',
  created: 'd.created_at desc, d.id',
}

// Counting tens of thousands of matches costs tens of milliseconds, and a page's datasets with
// their resources several more; the catalog's first page and broad searches ask for the same again
// and again. So counts, facets and pages are kept under the catalog's generation (any committed
// change to what it lists moves it on, migration 0023), computed once however many readers ask at
// the same moment (RefreshingCache), and refreshed after half a minute for what changes with time
// alone (a dataset's freshness).
export interface CatalogCacheSettings {
  ttlMs: number
}
const CACHE_SETTINGS: CatalogCacheSettings = { ttlMs: 30_000 }
interface Counted {
  total: number
  facets: Partial<Record<Facet, FacetValue[]>>
}
/** A page of results as read from the database: the datasets' rows and their resources. */
interface CatalogPage {
  rows: DatasetRow[]
  resources: Map<string, Resource[]>
}
interface Caches {
  pages: RefreshingCache<CatalogPage>
  counts: RefreshingCache<Counted>
}
// One cache per database: tests and the benchmark run several databases in one process.
const cachesByDb = new WeakMap<Queryable, Caches>()

/** The catalog's caches for a database, made with the given settings (the defaults unless a test gives others first). */
export function catalogCaches(db: Queryable, settings: CatalogCacheSettings = CACHE_SETTINGS): Caches {
  let caches = cachesByDb.get(db)
  if (!caches) {
    caches = {
      pages: new RefreshingCache({ ttlMs: settings.ttlMs, maxEntries: 500 }),
      counts: new RefreshingCache({ ttlMs: settings.ttlMs, maxEntries: 500 }),
    }
    cachesByDb.set(db, caches)
  }
  return caches
}

interface Where {
  sql: string
  /** The values of the condition and of the score, in that order. */
  params: SqlValue[]
  /** The values the condition alone uses (the count and the facets do not rank). */
  conditionParams: SqlValue[]
  score: string
}

function whereClause(query: CatalogQuery, text: 'words' | 'similar' | 'none', tsqueryOverride?: string): Where {
  const { params, bind } = parameters()
  const conditions = [`d.state = 'active'`]
  if (query.privateOf !== 'all') {
    conditions.push(query.privateOf && query.privateOf.length > 0 ? `(not d.private or d.agency_id = any(${bind([...query.privateOf])}::bigint[]))` : 'not d.private')
  }
  let score = '0'
  const tsquery = tsqueryOverride ?? (query.q ? prefixQuery(query.q) : null)
  if (tsquery && text === 'words') {
    const t = bind(tsquery)
    conditions.push(matchesAnyLanguage(t))
    score = rankInAllLanguages(t)
  } else if (tsquery && text === 'similar') {
    const r = bind(normalizeSearch(query.q!))
    conditions.push(`${r} <% d.search_text`)
    score = `word_similarity(${r}, d.search_text)`
  }
  if (query.condition) conditions.push(query.condition(bind))
  for (const facet of FACETS) {
    const values = query.filters?.[facet]?.filter((v) => v !== '')
    if (!values || values.length === 0) continue
    conditions.push(FACET_CONDITIONS[facet](bind(facet === 'format' ? values.map((v) => v.toUpperCase()) : [...values])))
  }
  const conditionParams = [...params]
  if (score === '0' && query.rankWords && query.rankWords.length > 0) {
    const t = bind(query.rankWords.map((w) => `(${w})`).join(' | '))
    score = rankInAllLanguages(t)
  }
  return { sql: conditions.join(' and '), params, conditionParams, score }
}

/**
 * Searches the catalog: words in Kazakh, Russian (stemmed) or English, each also as a prefix, through
 * the full-text indexes; when no word matches, the whole query by trigram similarity, so that typos
 * still find titles. Filters by facet, counts every facet's values over what matched, sorts and pages.
 */
export async function searchCatalog(db: Queryable, query: CatalogQuery, now: Date = new Date()): Promise<CatalogResult> {
  const facetNames = query.facets ?? FACETS
  const facetLimit = query.facetLimit ?? 50
  const caches = catalogCaches(db)
  // Kept values are the catalog's as of this generation: a change anyone committed since is seen now.
  const generation = await catalogGeneration(db)
  // The total and every facet's counts of what a condition matches.
  const countsOf = (where: Where) => caches.counts.get(JSON.stringify([generation, where.sql, where.conditionParams, facetNames, facetLimit, query.lang]), async () => {
    const total = await count(db, where)
    return { total, facets: total > 0 ? await facetCounts(db, where, facetNames, facetLimit, query.everyKeyword ? undefined : query.lang) : emptyFacets(facetNames) }
  })
  let where = whereClause(query, query.q && prefixQuery(query.q) ? 'words' : 'none')
  let counted = await countsOf(where)
  if (counted.total === 0 && query.q && prefixQuery(query.q)) {
    // Nothing under the words as typed: try the catalog's own words nearest to them (typos), then
    // the whole query against titles by trigram similarity (Kazakh typed in Latin letters).
    const corrected = await correctedQuery(db, query.q)
    if (corrected) {
      where = whereClause(query, 'words', corrected)
      counted = await countsOf(where)
    }
    if (counted.total === 0) {
      where = whereClause(query, 'similar')
      counted = await countsOf(where)
    }
  }
  const { total, facets } = counted

  const sort = query.sort ?? 'relevance'
  const order = query.order && query.order.length > 0 ? orderBy(query.order, query.lang ?? 'ru')
    : sort === 'relevance' ? (where.score !== '0' ? 'score desc, d.updated_at desc, d.id' : ORDER.newest) : ORDER[sort]
  const page = [...where.params, query.limit ?? 20, query.offset ?? 0]
  // The page's datasets with their resources, in order.
  const pageOf = async (): Promise<CatalogPage> => {
    const ids = await db.query<{ id: string }>(
      `select d.id, ${where.score} as score from datasets d where ${where.sql} order by ${order} limit $${page.length - 1} offset $${page.length}`,
      page,
    )
    if (ids.length === 0) return { rows: [], resources: new Map() }
    const rows = await db.query<DatasetRow>(`${SELECT_DATASETS} where d.id = any($1::uuid[])`, [ids.map((r) => r.id)])
    const position = new Map(ids.map((r, i) => [r.id, i]))
    rows.sort((a, b) => position.get(a.id)! - position.get(b.id)!)
    return { rows, resources: await resourcesOf(db, rows.map((r) => r.id)) }
  }
  // Views move without moving the generation: a page sorted by them is read afresh.
  const found = total === 0 ? { rows: [], resources: new Map() } : !order.includes('views_total') ? await caches.pages.get(JSON.stringify([generation, where.sql, page, order]), pageOf) : await pageOf()
  return { total, datasets: await toDatasets(db, found.rows, now, found.resources), facets }
}

/** How many active resources dataset `d` has (sorted by, and searched as CKAN's num_resources). */
export const ACTIVE_RESOURCE_COUNT = `(select count(*) from data_resources r where r.dataset_id = d.id and r.state = 'active')`

const SORT_SQL: Record<SortColumn, (lang: Lang) => string> = {
  score: () => 'score',
  name: () => 'd.name',
  // A title missing in the reader's language sorts by the first language it has.
  title: (lang) => `lower(coalesce(d.title ->> '${lang}', d.title ->> 'kk', d.title ->> 'ru', d.title ->> 'en'))`,
  modified: () => 'd.updated_at',
  created: () => 'd.created_at',
  views: () => 'd.views_total',
  resources: () => ACTIVE_RESOURCE_COUNT,
  tags: () => 'cardinality(d.keywords)',
  id: () => 'd.id',
  publisher: () => '(select a.slug from agencies a where a.id = d.agency_id)',
  licence: () => 'd.licence_id',
  theme: () => 'd.theme_code',
  region: () => 'd.region_code',
  frequency: () => 'd.frequency',
}

function orderBy(keys: readonly SortKey[], lang: Lang): string {
  const sql = keys.map((k) => `${SORT_SQL[k.column](lang)} ${k.descending ? 'desc' : 'asc'}`)
  return keys.some((k) => k.column === 'id') ? sql.join(', ') : [...sql, 'd.id'].join(', ')
}

function emptyFacets(facetNames: readonly Facet[]): Partial<Record<Facet, FacetValue[]>> {
  return Object.fromEntries(facetNames.map((f) => [f, [] as FacetValue[]]))
}

/** Each facet's values over what the condition matches, the most frequent first, at most limit each. */
async function facetCounts(db: Queryable, where: Where, facetNames: readonly Facet[], limit: number, lang: Lang | undefined): Promise<Partial<Record<Facet, FacetValue[]>>> {
  const facets = emptyFacets(facetNames)
  if (facetNames.length === 0) return facets
  const values = await db.query<{ facet: Facet; value: string; name: MultilingualText | null; count: number }>(
    `with hits as (select d.id, d.agency_id, d.theme_code, d.extra_theme_codes, d.licence_id, d.region_code, d.frequency, d.keywords, d.keywords_by_language, d.formats
                   from datasets d where ${where.sql})
     -- Named here: a union takes its columns' names from its first part, whichever facet that is.
     select * from (${facetNames.map((f) => f === 'keyword' && lang ? keywordCounts(lang) : FACET_COUNTS[f]).join('\nunion all\n')}) as counted (facet, value, name, count)`,
    where.conditionParams,
  )
  for (const row of values) facets[row.facet]?.push({ value: row.value, name: row.name, count: row.count })
  for (const name of facetNames) {
    facets[name] = facets[name]!.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, limit)
  }
  return facets
}

async function count(db: Queryable, where: Where): Promise<number> {
  const [row] = await db.query<{ n: number }>(`select count(*)::int as n from datasets d where ${where.sql}`, where.conditionParams)
  return row?.n ?? 0
}

/** The query with each word replaced by the catalog's words most like it, or null when none is. */
async function correctedQuery(db: Queryable, q: string): Promise<string | null> {
  const words = normalizeSearch(q).match(/[\p{L}\p{N}]+/gu)?.slice(0, 5) ?? []
  const groups: string[] = []
  for (const word of words) {
    const similar = word.length < 3 ? [] : await db.query<{ word: string }>(
      'select word from data_search_words where word % $1 order by word <-> $1, word limit 3', [word],
    )
    const alternatives = [word, ...similar.map((r) => r.word)].filter((w) => /^[\p{L}\p{N}]+$/u.test(w))
    groups.push(`(${[...new Set(alternatives)].map((w) => `${w}:*`).join(' | ')})`)
  }
  return groups.length > 0 && groups.some((g) => g.includes('|')) ? groups.join(' & ') : null
}
