import { createHash } from 'node:crypto'
import { isEmail, isIsoDate, webUrl } from '../../../platform/http/validation.ts'
import { OutboundFetch } from '../../../platform/http/outbound.ts'
import type { Quad } from '@rdfjs/types'
import type { Db, Queryable } from '../../../platform/db/index.ts'
import { SYSTEM_ACTOR } from '../../../platform/audit/index.ts'
import { ValidationError } from '../../../platform/http/index.ts'
import { LANGS, isLang, type Lang } from '../../../platform/i18n/index.ts'
import type { MultilingualList, MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { changeDataset, deleteDataset, insertDataset, DATASET_NAME, KEYWORD, LIMITS, type DatasetFields } from '../publishing/dataset.ts'
import { changeResource, insertResource, removeResource, type ResourceFields } from '../publishing/resource.ts'
import { FREQUENCIES, type Frequency } from '../catalog/vocabularies.ts'
import { PREFIXES, parseRdf } from '../dcat/service.ts'
import { agencyIdBySlug } from '../../agencies/service.ts'

/** Harvest sources whose run is due (for the site's metrics). */
export async function dueSourceCount(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>('select count(*)::int as n from data_harvest_sources where next_run_at <= now()')
  return row?.n ?? 0
}

/** Where datasets are harvested from, and how the last run went. */
export interface HarvestSource {
  id: number
  name: string
  url: string
  kind: 'ckan' | 'dcat'
  agencyId: number
  agencySlug: string
  lang: Lang
  intervalHours: number
  nextRunAt: string
  lastRunAt: string | null
  lastStatus: 'ok' | 'error' | null
  lastMessage: string | null
}

/** What a CKAN source keeps beside (its author, version, source page, further groups and extras), as a dataset here keeps it. */
type CkanKept = Pick<DatasetFields, 'author' | 'authorEmail' | 'version' | 'sourceUrl' | 'extraThemeCodes' | 'extras'>

/** A dataset as read from a source, before it is published here. */
export interface HarvestedDataset extends CkanKept {
  key: string
  name: string
  title: MultilingualText
  description: MultilingualText
  keywords: MultilingualList
  themeCode: string | null
  licenceId: string | null
  licenceUrl: string | null
  isOpen: boolean
  frequency: Frequency
  temporalStart: string | null
  temporalEnd: string | null
  regionCode: string | null
  contactName: MultilingualText | null
  contactEmail: string | null
  resources: (ResourceFields & { key: string; url: string })[]
}

const text = (value: unknown, max: number) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : null)

/** A CKAN package's extras that fit here (text values; the first 50). */
function ckanExtras(extras: unknown): Record<string, string> {
  if (!Array.isArray(extras)) return {}
  const pairs = extras.flatMap((e: { key?: unknown; value?: unknown }) =>
    typeof e?.key === 'string' && e.key.trim() && e.key.length <= 100 && typeof e.value === 'string' && e.value.length <= 10_000 ? [[e.key.trim(), e.value] as const] : [])
  return Object.fromEntries(pairs.slice(0, 50))
}

export interface HarvestReport {
  created: number
  updated: number
  unchanged: number
  withdrawn: number
  failed: { key: string; reason: string }[]
}

const MAX_BYTES = 50 * 1024 * 1024
const TIMEOUT_MS = 60_000

/** Fetches a document from a source, refusing what is too large or too slow, or not at a public address. */
export async function fetchText(outbound: OutboundFetch, url: string, accept: string): Promise<{ text: string; contentType: string }> {
  const response = await outbound.get(url, { headers: { accept, 'user-agent': 'Ashyq harvester' }, signal: AbortSignal.timeout(TIMEOUT_MS) })
  if (!response.ok) throw new Error(`${url} answered ${response.status}`)
  const declared = Number(response.headers.get('content-length') ?? 0)
  if (declared > MAX_BYTES) throw new Error(`${url} is larger than ${MAX_BYTES} bytes`)
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of response.body ?? []) {
    size += chunk.length
    if (size > MAX_BYTES) throw new Error(`${url} is larger than ${MAX_BYTES} bytes`)
    chunks.push(chunk)
  }
  return { text: Buffer.concat(chunks).toString('utf8'), contentType: response.headers.get('content-type') ?? '' }
}

const plainText = (value: unknown, lang: Lang): MultilingualText => (typeof value === 'string' && value.trim() ? { [lang]: value } : {})

/** The keywords of one language this catalog accepts, in lower case: the first 30. */
function keywordList(words: unknown[]): string[] {
  return words.map((k) => String(k ?? '').toLowerCase()).filter((k) => KEYWORD.test(k)).slice(0, LIMITS.keywords)
}

/** A CKAN package's keywords: by language (ckanext-fluent's "keywords"), or its tags as in the source's language. */
function ckanKeywords(pkg: Record<string, any>, lang: Lang): MultilingualList {
  const result: MultilingualList = {}
  if (pkg.keywords && typeof pkg.keywords === 'object' && !Array.isArray(pkg.keywords)) {
    for (const language of LANGS) if (Array.isArray(pkg.keywords[language])) result[language] = keywordList(pkg.keywords[language])
  } else {
    result[lang] = keywordList((Array.isArray(pkg.tags) ? pkg.tags : []).map((t: { name?: unknown }) => t?.name))
  }
  return result
}

/** A contact's name in each language it is given in, each cut to what is kept; null when none is. */
function contactName(value: MultilingualText | null): MultilingualText | null {
  const entries = Object.entries(value ?? {}).map(([lang, name]) => [lang, name.trim().slice(0, LIMITS.contact)] as const).filter(([, name]) => name)
  return entries.length > 0 ? Object.fromEntries(entries) : null
}

function translated(value: unknown): MultilingualText | null {
  if (!value || typeof value !== 'object') return null
  const result: MultilingualText = {}
  for (const lang of LANGS) {
    const text = (value as Record<string, unknown>)[lang]
    if (typeof text === 'string' && text.trim()) result[lang] = text
  }
  return Object.keys(result).length > 0 ? result : null
}

const dateOrNull = (value: unknown) => (typeof value === 'string' && isIsoDate(value.slice(0, 10)) ? value.slice(0, 10) : null)
const format = (value: unknown) => (typeof value === 'string' ? value.replace(/^.*[/#]/, '').replace(/[^A-Za-z0-9.+-]/g, '').slice(0, 20) : '')

/** A name this catalog accepts, from the source's name or address. */
function localName(candidate: string, key: string): string {
  const cleaned = candidate.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 90)
  return DATASET_NAME.test(cleaned) ? cleaned : `dataset-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`
}

/** Reads a CKAN package (as package_search gives it) in this catalog's terms. */
export function fromCkan(pkg: Record<string, any>, lang: Lang): HarvestedDataset {
  const naive = (value: unknown) => (typeof value === 'string' && value ? (/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`) : null)
  return {
    key: String(pkg.id),
    name: localName(String(pkg.name ?? ''), String(pkg.id)),
    title: translated(pkg.title_translated) ?? plainText(pkg.title, lang),
    description: translated(pkg.notes_translated) ?? plainText(pkg.notes, lang),
    keywords: ckanKeywords(pkg, lang),
    themeCode: typeof pkg.groups?.[0]?.name === 'string' ? pkg.groups[0].name : null,
    licenceId: typeof pkg.license_id === 'string' ? pkg.license_id : null,
    licenceUrl: webUrl(pkg.license_url),
    isOpen: pkg.isopen === true,
    frequency: FREQUENCIES.includes(pkg.frequency) ? pkg.frequency : 'irregular',
    temporalStart: dateOrNull(pkg.temporal_start),
    temporalEnd: dateOrNull(pkg.temporal_end),
    regionCode: typeof pkg.region === 'string' ? pkg.region : null,
    contactName: contactName(translated(pkg.maintainer_translated) ?? plainText(pkg.maintainer, lang)),
    contactEmail: typeof pkg.maintainer_email === 'string' && isEmail(pkg.maintainer_email) ? pkg.maintainer_email : null,
    author: text(pkg.author, 200),
    authorEmail: typeof pkg.author_email === 'string' && isEmail(pkg.author_email) ? pkg.author_email : null,
    version: text(pkg.version, 100),
    sourceUrl: webUrl(pkg.url),
    extraThemeCodes: (Array.isArray(pkg.groups) ? pkg.groups.slice(1) : []).flatMap((g: { name?: unknown }) => (typeof g?.name === 'string' ? [g.name] : [])),
    extras: ckanExtras(pkg.extras),
    resources: (Array.isArray(pkg.resources) ? pkg.resources : []).flatMap((r: Record<string, any>) => {
      const url = webUrl(r.url)
      if (!url) return []
      return [{
        key: String(r.id ?? url), url,
        name: translated(r.name_translated) ?? plainText(r.name || url, lang),
        description: translated(r.description_translated) ?? plainText(r.description, lang),
        format: format(r.format), lastModified: naive(r.last_modified) ?? naive(r.metadata_modified),
      }]
    }),
  }
}

/** Every package of a CKAN portal, through package_search a hundred at a time. */
export async function fetchCkan(outbound: OutboundFetch, url: string, lang: Lang): Promise<HarvestedDataset[]> {
  const base = url.replace(/\/+$/, '').replace(/\/api\/3\/action.*$/, '')
  const found: HarvestedDataset[] = []
  for (let start = 0; start < 1_000_000; start += 100) {
    const { text } = await fetchText(outbound, `${base}/api/3/action/package_search?rows=100&start=${start}&sort=name%20asc`, 'application/json')
    const body = JSON.parse(text) as { success?: boolean; result?: { count: number; results: Record<string, unknown>[] } }
    if (!body.success || !body.result) throw new Error(`${base} did not answer package_search as CKAN does`)
    found.push(...body.result.results.map((pkg) => fromCkan(pkg, lang)))
    if (body.result.results.length === 0 || start + 100 >= body.result.count) break
  }
  return found
}

const { dcat, dct, rdf, vcard, hydra } = PREFIXES
const FREQUENCY_BY_URI: Record<string, Frequency> = {
  DAILY: 'daily', WEEKLY: 'weekly', MONTHLY: 'monthly', QUARTERLY: 'quarterly', ANNUAL_2: 'semiannual', BIANNUAL: 'semiannual', ANNUAL: 'annual', IRREG: 'irregular',
}

/** Reads the dcat:Datasets of a graph in this catalog's terms. */
export function fromDcat(quads: Quad[], lang: Lang): HarvestedDataset[] {
  const bySubject = new Map<string, Quad[]>()
  for (const q of quads) bySubject.set(q.subject.value, [...(bySubject.get(q.subject.value) ?? []), q])
  const values = (subject: string, predicate: string) => (bySubject.get(subject) ?? []).filter((q) => q.predicate.value === predicate).map((q) => q.object)
  const first = (subject: string, predicate: string) => values(subject, predicate)[0]?.value ?? null
  const texts = (subject: string, predicate: string): MultilingualText => {
    const result: MultilingualText = {}
    for (const term of values(subject, predicate)) {
      const language = term.termType === 'Literal' ? (term.language || lang) : null
      if (language && isLang(language)) result[language] ??= term.value
    }
    return result
  }
  const datasets = quads.filter((q) => q.predicate.value === `${rdf}type` && q.object.value === `${dcat}Dataset`).map((q) => q.subject.value)
  return [...new Set(datasets)].map((subject) => {
    const distributions = values(subject, `${dcat}distribution`).map((d) => d.value)
    const licenceUrl = distributions.map((d) => first(d, `${dct}license`)).find(Boolean) ?? first(subject, `${dct}license`)
    const period = first(subject, `${dct}temporal`)
    const contact = first(subject, `${dcat}contactPoint`)
    const email = contact ? first(contact, `${vcard}hasEmail`)?.replace(/^mailto:/, '') ?? null : null
    const frequencyCode = first(subject, `${dct}accrualPeriodicity`)?.replace(/^.*\//, '') ?? ''
    return {
      key: subject,
      name: localName(subject.replace(/\/+$/, '').replace(/^.*\//, ''), subject),
      title: texts(subject, `${dct}title`),
      description: texts(subject, `${dct}description`),
      keywords: Object.fromEntries(LANGS.map((language) => [language, keywordList(values(subject, `${dcat}keyword`)
        .filter((k) => k.termType === 'Literal' && (k.language || lang) === language).map((k) => k.value))])),
      themeCode: first(subject, `${dcat}theme`)?.replace(/^.*\//, '').toLowerCase() ?? null,
      licenceId: null,
      licenceUrl,
      isOpen: Boolean(licenceUrl),
      frequency: FREQUENCY_BY_URI[frequencyCode] ?? 'irregular',
      temporalStart: period ? dateOrNull(first(period, `${dcat}startDate`)) : null,
      temporalEnd: period ? dateOrNull(first(period, `${dcat}endDate`)) : null,
      regionCode: null,
      contactName: contact ? contactName(texts(contact, `${vcard}fn`)) : null,
      contactEmail: email && isEmail(email) ? email : null,
      resources: distributions.flatMap((d) => {
        const url = webUrl(first(d, `${dcat}downloadURL`)) ?? webUrl(first(d, `${dcat}accessURL`))
        if (!url) return []
        const name = texts(d, `${dct}title`)
        return [{
          key: d.startsWith('_:') || d.startsWith('n3-') ? url : d, url,
          name: Object.keys(name).length > 0 ? name : { [lang]: url },
          description: texts(d, `${dct}description`),
          format: format(first(d, `${dct}format`) ?? first(d, `${dcat}mediaType`)),
          lastModified: first(d, `${dct}modified`),
        }]
      }),
    }
  })
}

/** Every dataset of a DCAT catalog (Turtle or JSON-LD), following hydra paging. */
export async function fetchDcat(outbound: OutboundFetch, url: string, lang: Lang): Promise<HarvestedDataset[]> {
  const found: HarvestedDataset[] = []
  const seen = new Set<string>()
  let next: string | null = url
  while (next && !seen.has(next) && seen.size < 10_000) {
    seen.add(next)
    const { text, contentType } = await fetchText(outbound, next, 'text/turtle, application/ld+json;q=0.9')
    const quads = await parseRdf(text, /json/.test(contentType) || /^\s*[[{]/.test(text) ? 'application/ld+json' : 'text/turtle', next)
    found.push(...fromDcat(quads, lang))
    next = quads.find((q) => q.predicate.value === `${hydra}nextPage` || q.predicate.value === `${hydra}next`)?.object.value ?? null
  }
  return found
}

/** The themes, licences and regions this catalog knows: a harvested value outside them is left out. */
interface Vocabularies {
  themes: string[]
  licences: { id: string; url: string | null }[]
  regions: string[]
}

async function loadVocabularies(db: Queryable): Promise<Vocabularies> {
  const [known] = await db.query<Vocabularies>(
    `select coalesce((select array_agg(code) from data_themes), '{}') as themes,
            (select json_agg(json_build_object('id', id, 'url', url)) from data_licences) as licences,
            coalesce((select array_agg(code) from regions), '{}') as regions`,
  )
  return known!
}

/** The harvested dataset's fields as this catalog keeps them; vocabularies not known here are left out. */
function toFields(known: Vocabularies, source: HarvestSource, remote: HarvestedDataset, name: string) {
  const licence = known.licences.find((l) => l.id === remote.licenceId)
    ?? known.licences.find((l) => l.url && remote.licenceUrl && l.url.replace(/\/$/, '') === remote.licenceUrl.replace(/\/$/, ''))
  return {
    name,
    agencySlug: source.agencySlug,
    title: remote.title,
    description: remote.description,
    keywords: remote.keywords,
    themeCode: remote.themeCode && known.themes.includes(remote.themeCode) ? remote.themeCode : null,
    licenceId: licence?.id ?? (remote.isOpen ? 'other-open' : 'notspecified'),
    frequency: remote.frequency,
    temporalStart: remote.temporalStart,
    temporalEnd: remote.temporalEnd && remote.temporalStart && remote.temporalEnd < remote.temporalStart ? null : remote.temporalEnd,
    regionCode: remote.regionCode && known.regions.includes(remote.regionCode) ? remote.regionCode : null,
    contactName: remote.contactName,
    contactEmail: remote.contactEmail,
    author: remote.author ?? null,
    authorEmail: remote.authorEmail ?? null,
    version: remote.version ?? null,
    sourceUrl: remote.sourceUrl ?? null,
    extraThemeCodes: (remote.extraThemeCodes ?? []).filter((code) => known.themes.includes(code)),
    extras: remote.extras ?? {},
  }
}

/** Brings the dataset's harvested resources in line with the source's; says whether anything changed. */
async function syncResources(tx: Queryable, datasetId: string, remote: HarvestedDataset): Promise<boolean> {
  const local = await tx.query<{ id: string; harvest_key: string }>(
    `select id, harvest_key from data_resources where dataset_id = $1 and state = 'active' and harvest_key is not null`, [datasetId],
  )
  const byKey = new Map(local.map((r) => [r.harvest_key, r.id]))
  let changed = false
  for (const resource of remote.resources) {
    const { key, ...fields } = resource
    const existing = byKey.get(key)
    if (existing) {
      changed = (await changeResource(tx, SYSTEM_ACTOR, existing, fields)) || changed
      byKey.delete(key)
    } else {
      const id = await insertResource(tx, SYSTEM_ACTOR, datasetId, fields)
      await tx.query('update data_resources set harvest_key = $2 where id = $1', [id, key])
      changed = true
    }
  }
  for (const id of byKey.values()) await removeResource(tx, SYSTEM_ACTOR, id)
  return changed || byKey.size > 0
}

/**
 * Publishes what a source holds: new datasets are added under the source's body, changed ones
 * updated (the audit log shows what changed), those gone from the source withdrawn. Each dataset is
 * its own transaction: one the catalog cannot take is reported and the rest go on.
 */
export async function applyHarvest(db: Db, source: HarvestSource, remote: HarvestedDataset[]): Promise<HarvestReport> {
  const report: HarvestReport = { created: 0, updated: 0, unchanged: 0, withdrawn: 0, failed: [] }
  const known = await loadVocabularies(db)
  const keys = new Set<string>()
  for (const dataset of remote) {
    if (keys.has(dataset.key)) continue
    keys.add(dataset.key)
    try {
      const outcome = await db.transaction(async (tx) => {
        const [existing] = await tx.query<{ id: string; name: string; state: string }>(
          `select id, name, state from datasets where harvest_source_id = $1 and harvest_key = $2 for update`,
          [source.id, dataset.key],
        )
        if (existing) {
          if (existing.state === 'deleted') await tx.query(`update datasets set state = 'active' where id = $1`, [existing.id])
          const fieldsChanged = await changeDataset(tx, SYSTEM_ACTOR, existing.id, toFields(known, source, dataset, existing.name))
          const resourcesChanged = await syncResources(tx, existing.id, dataset)
          return fieldsChanged || resourcesChanged || existing.state === 'deleted' ? 'updated' : 'unchanged'
        }
        const taken = (await tx.query('select 1 from datasets where name = $1', [dataset.name])).length > 0
        const name = taken ? `${dataset.name.slice(0, 90)}-h${source.id}` : dataset.name
        const id = await insertDataset(tx, SYSTEM_ACTOR, toFields(known, source, dataset, name))
        await tx.query('update datasets set harvest_source_id = $2, harvest_key = $3 where id = $1', [id, source.id, dataset.key])
        await syncResources(tx, id, dataset)
        return 'created'
      })
      report[outcome] += 1
    } catch (error) {
      const reason = error instanceof ValidationError ? error.fields.map((f) => f.field).join(', ') : (error as Error).message
      report.failed.push({ key: dataset.key, reason })
    }
  }
  const gone = await db.query<{ id: string }>(
    `select id from datasets where harvest_source_id = $1 and state = 'active' and not (harvest_key = any($2::text[]))`, [source.id, [...keys]],
  )
  for (const { id } of gone) {
    await deleteDataset(db, SYSTEM_ACTOR, id)
    report.withdrawn += 1
  }
  return report
}

interface SourceRow {
  id: number; name: string; url: string; kind: 'ckan' | 'dcat'; agency_id: number; agency_slug: string; lang: Lang; interval_hours: number
  next_run_at: Date | string; last_run_at: Date | string | null; last_status: 'ok' | 'error' | null; last_message: string | null
}

const SELECT_SOURCES = `select s.*, a.slug as agency_slug from data_harvest_sources s join agencies a on a.id = s.agency_id`

function toSource(row: SourceRow): HarvestSource {
  return {
    id: row.id, name: row.name, url: row.url, kind: row.kind, agencyId: row.agency_id, agencySlug: row.agency_slug, lang: row.lang,
    intervalHours: row.interval_hours, nextRunAt: new Date(row.next_run_at).toISOString(),
    lastRunAt: row.last_run_at ? new Date(row.last_run_at).toISOString() : null, lastStatus: row.last_status, lastMessage: row.last_message,
  }
}

export async function listSources(db: Queryable): Promise<HarvestSource[]> {
  return (await db.query<SourceRow>(`${SELECT_SOURCES} order by s.name`)).map(toSource)
}

export async function showSource(db: Queryable, id: number): Promise<HarvestSource | undefined> {
  const [row] = await db.query<SourceRow>(`${SELECT_SOURCES} where s.id = $1`, [id])
  return row ? toSource(row) : undefined
}

export interface NewSource {
  name: string
  url: string
  kind: string
  agencySlug: string
  lang: string
  intervalHours: number
}

/** Adds a source; its first run is due at once. */
export async function createSource(db: Db, source: NewSource): Promise<number> {
  const problems = []
  if (!source.name.trim() || source.name.length > 200) problems.push({ field: 'name', messageKey: 'data.harvest.errors.name' })
  if (!/^https?:\/\/[^\s/]+\S*$/.test(source.url) || source.url.length > 2000) problems.push({ field: 'url', messageKey: 'data.errors.url' })
  if (!['ckan', 'dcat'].includes(source.kind)) problems.push({ field: 'kind', messageKey: 'platform.validation.enum', values: { allowed: 'ckan, dcat' } })
  if (!isLang(source.lang)) problems.push({ field: 'lang', messageKey: 'platform.validation.enum', values: { allowed: LANGS.join(', ') } })
  if (!Number.isInteger(source.intervalHours) || source.intervalHours < 1 || source.intervalHours > 720) problems.push({ field: 'intervalHours', messageKey: 'data.harvest.errors.interval' })
  const agencyId = await agencyIdBySlug(db, source.agencySlug)
  if (agencyId === undefined) problems.push({ field: 'agencySlug', messageKey: 'data.edit.choosePublisher' })
  if (problems.length > 0) throw new ValidationError(problems)
  const [row] = await db.query<{ id: number }>(
    `insert into data_harvest_sources (name, url, kind, agency_id, lang, interval_hours) values ($1, $2, $3, $4, $5, $6) returning id`,
    [source.name.trim(), source.url, source.kind, agencyId!, source.lang, source.intervalHours],
  )
  return row!.id
}

/** How harvests reach other sites. */
export interface HarvestOptions {
  /** Private networks (CIDR) an administrator allows sources in; everything else must be public. */
  privateNetworks?: readonly string[]
  now?: () => Date
}

/** Runs one source now: fetches, publishes, and records how it went and when it runs next. */
export async function runSource(db: Db, source: HarvestSource, options: HarvestOptions = {}): Promise<HarvestReport | Error> {
  const now = options.now ?? (() => new Date())
  let outcome: HarvestReport | Error
  const outbound = new OutboundFetch(options.privateNetworks)
  try {
    const remote = source.kind === 'ckan' ? await fetchCkan(outbound, source.url, source.lang) : await fetchDcat(outbound, source.url, source.lang)
    outcome = await applyHarvest(db, source, remote)
  } catch (error) {
    outcome = error instanceof Error ? error : new Error(String(error))
  } finally {
    await outbound.close()
  }
  const message = outcome instanceof Error
    ? outcome.message.slice(0, 1000)
    : JSON.stringify({ created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged, withdrawn: outcome.withdrawn, failed: outcome.failed.slice(0, 20) })
  await db.query(
    `update data_harvest_sources set last_run_at = $2, last_status = $3, last_message = $4, next_run_at = $2::timestamptz + make_interval(hours => interval_hours) where id = $1`,
    [source.id, now(), outcome instanceof Error ? 'error' : 'ok', message],
  )
  return outcome
}

/**
 * Claims the sources that are due (each by one process, even with several behind a load balancer:
 * the claim moves its next run on before the work starts) and runs them one after another.
 */
export async function runDueSources(db: Db, options: HarvestOptions = {}): Promise<number> {
  const now = options.now?.() ?? new Date()
  let ran = 0
  for (;;) {
    const [claimed] = await db.query<{ id: number }>(
      `update data_harvest_sources set next_run_at = $1::timestamptz + make_interval(hours => interval_hours)
       where id = (select id from data_harvest_sources where next_run_at <= $1 order by next_run_at limit 1 for update skip locked)
       returning id`,
      [now],
    )
    if (!claimed) return ran
    const source = await showSource(db, claimed.id)
    if (source) await runSource(db, source, options)
    ran += 1
  }
}
