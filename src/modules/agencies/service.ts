import type { Db, Queryable } from '../../platform/db/index.ts'
import { escapeLike } from '../../platform/db/parameters.ts'
import { NotFound } from '../../platform/http/index.ts'
import { collatorFor, type Lang } from '../../platform/i18n/index.ts'
import { localize, type MultilingualText } from '../../platform/i18n/multilingual.ts'
import type { Agency, AgencyKind, AgencyPage, AgencySummary, Region } from './schemas.ts'
import { currentHeads } from './heads.ts'

interface AgencyRow {
  id: number
  slug: string
  kind: AgencyKind
  name: MultilingualText
  short_name: MultilingualText
  address: MultilingualText
  phone: string | null
  email: string | null
  website: string | null
  region_code: string | null
  region_kind: 'region' | 'city' | null
  region_name: MultilingualText | null
  parent_slug: string | null
  parent_kind: AgencyKind | null
  parent_name: MultilingualText | null
  updated_at: Date | string
  score: number
}

function selectAgencies(score = '0'): string {
  return `
  select a.*, ${score} as score, r.kind as region_kind, r.name as region_name,
         p.slug as parent_slug, p.kind as parent_kind, p.name as parent_name
  from agencies a
  left join regions r on r.code = a.region_code
  left join agencies p on p.id = a.parent_id`
}

function toSummary(row: AgencyRow): AgencySummary {
  return {
    id: row.id,
    slug: row.slug,
    kind: row.kind,
    name: row.name,
    shortName: row.short_name,
    region: row.region_code && row.region_kind && row.region_name
      ? { code: row.region_code, kind: row.region_kind, name: row.region_name }
      : null,
    parent: row.parent_slug && row.parent_kind && row.parent_name
      ? { slug: row.parent_slug, kind: row.parent_kind, name: row.parent_name }
      : null,
    updatedAt: new Date(row.updated_at).toISOString(),
  }
}

export interface AgencyFilter {
  q?: string
  kind?: AgencyKind
  region?: string
  page?: number
  perPage?: number
}

// Letters of the Kazakh Latin alphabet (2021) and their plain spelling, as ashyq_latin() writes names.
const LATIN_FOLD: Record<string, string> = { ä: 'a', ç: 'ch', ğ: 'g', ı: 'i', ñ: 'n', ö: 'o', ş: 'sh', ū: 'u', ü: 'u' }

/** A search as the index holds names: lower-cased, Kazakh Latin letters in their plain spelling. */
export function normalizeSearch(text: string): string {
  return text.trim().toLocaleLowerCase().replace(/[äçğıñöşūü]/g, (c) => LATIN_FOLD[c] ?? c)
}


/** Sorts by name as a reader of lang expects (PGlite's C collation cannot sort Cyrillic). */
export function nameCollator(lang: Lang): (a: { name: MultilingualText }, b: { name: MultilingualText }) => number {
  const collator = collatorFor(lang)
  return (a, b) => collator.compare(localize(a.name, lang)?.text ?? '', localize(b.name, lang)?.text ?? '')
}

/**
 * Lists state bodies by kind and region, searched by name in any language (typos tolerated by
 * trigram word similarity). The registry holds hundreds of bodies, not millions, so matches are
 * sorted in the application, where the reader's language decides the order.
 */
export async function listAgencies(db: Queryable, filter: AgencyFilter, lang: Lang): Promise<AgencyPage> {
  const q = (filter.q && normalizeSearch(filter.q)) || null
  const page = filter.page ?? 1
  const perPage = filter.perPage ?? 20
  const rows = await db.query<AgencyRow>(
    `${selectAgencies('coalesce(word_similarity($1, a.search_text), 0)')}
     where ($2::text is null or a.kind = $2)
       and ($3::text is null or a.region_code = $3)
       and ($1::text is null or a.search_text like '%' || $4 || '%' or $1 <% a.search_text)`,
    [q, filter.kind ?? null, filter.region ?? null, q === null ? null : escapeLike(q)],
  )
  const byName = nameCollator(lang)
  rows.sort((a, b) => (q ? b.score - a.score : 0) || byName(a, b))
  const total = rows.length
  const items = rows.slice((page - 1) * perPage, page * perPage).map(toSummary)
  return { items, total, page, perPage, pages: Math.max(1, Math.ceil(total / perPage)) }
}

/** One state body with its head, contacts, parent and subordinate bodies. */
export async function showAgency(db: Queryable, slug: string, lang: Lang = 'kk'): Promise<Agency> {
  const [row] = await db.query<AgencyRow>(`${selectAgencies()} where a.slug = $1`, [slug])
  if (!row) throw new NotFound('agency', slug)
  const children = await db.query<{ slug: string; kind: AgencyKind; name: MultilingualText }>(
    'select slug, kind, name from agencies where parent_id = $1',
    [row.id],
  )
  children.sort(nameCollator(lang))
  const head = (await currentHeads(db, [row.id])).get(row.id)
  return {
    ...toSummary(row),
    head: { name: head?.name ?? {}, title: head?.title ?? {}, since: head?.since ?? null },
    address: row.address,
    phone: row.phone,
    email: row.email,
    website: row.website,
    children,
  }
}

/** The regions and cities of republican significance, in the reader's alphabetical order. */
export async function listRegions(db: Queryable, lang: Lang): Promise<Region[]> {
  const rows = await db.query<Region>('select code, kind, name from regions')
  return rows.sort(nameCollator(lang))
}

/** How many people live in a region (its code), or in the country (null: every region's, unless one is not known); null when not known. */
export async function populationOf(db: Queryable, regionCode: string | null): Promise<number | null> {
  const [row] = await db.query<{ population: string | null }>(
    `select case when $1::text is null then (case when count(*) = count(population) and count(*) > 0 then sum(population) end)
       else max(population) filter (where code = $1) end::text as population from regions`, [regionCode])
  return row?.population ? Number(row.population) : null
}

/** Each region's name and where its centre lies, for maps of counts by region; a region whose centre is not kept has none. */
export async function regionCentres(db: Queryable): Promise<Array<{ code: string; name: MultilingualText; lon: number | null; lat: number | null }>> {
  return db.query('select code, name, centre_lon as lon, centre_lat as lat from regions order by code')
}

/** Adds a region or a city of republican significance. */
export async function createRegion(db: Queryable, region: Region & { centre?: MultilingualText }): Promise<void> {
  await db.query('insert into regions (code, kind, name, centre) values ($1, $2, $3, $4)', [
    region.code, region.kind, region.name, region.centre ?? null,
  ])
}

export async function countAgencies(db: Db | Queryable): Promise<number> {
  const [row] = await db.query<{ count: number }>('select count(*)::int as count from agencies')
  return row?.count ?? 0
}

/** A body's id by its slug, or undefined when there is none. */
export async function agencyIdBySlug(db: Queryable, slug: string): Promise<number | undefined> {
  const [row] = await db.query<{ id: number }>('select id from agencies where slug = $1', [slug])
  return row?.id
}

/** A body's slug by its id, or undefined. */
export async function agencySlugById(db: Queryable, id: number): Promise<string | undefined> {
  const [row] = await db.query<{ slug: string }>('select slug from agencies where id = $1', [id])
  return row?.slug
}

/** A body with its region and how many people live there (shares of a region's people are counted from it), or undefined. */
export async function agencyWithRegion(db: Queryable, slug: string): Promise<{ id: number; slug: string; name: MultilingualText; kind: AgencyKind; regionCode: string | null; population: number | null } | undefined> {
  const [row] = await db.query<{ id: string; slug: string; name: MultilingualText; kind: AgencyKind; regionCode: string | null; population: number | null }>(
    'select a.id, a.slug, a.name, a.kind, a.region_code as "regionCode", r.population from agencies a left join regions r on r.code = a.region_code where a.slug = $1', [slug],
  )
  return row && { ...row, id: Number(row.id) }
}

/** Whether a region or city of republican significance has this code. */
export async function regionExists(db: Queryable, code: string): Promise<boolean> {
  return (await db.query('select 1 from regions where code = $1', [code])).length > 0
}

/** Every body's id, slug and name, in the reader's alphabetical order: for choosing one in a form. */
export async function agencyNames(db: Queryable, lang: Lang): Promise<{ id: number; slug: string; name: MultilingualText }[]> {
  const rows = await db.query<{ id: number; slug: string; name: MultilingualText }>('select id, slug, name from agencies')
  return rows.sort(nameCollator(lang))
}
