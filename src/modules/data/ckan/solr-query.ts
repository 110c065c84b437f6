import lucene, { type AST, type Node, type NodeRangedTerm, type NodeTerm } from 'lucene'
import { AppError } from '../../../platform/http/index.ts'
import { normalizeSearch } from '../../agencies/service.ts'
import { ACTIVE_RESOURCE_COUNT, matchesAnyLanguage, type SqlCondition } from '../catalog/search.ts'
import { solrDate } from './solr-dates.ts'

// CKAN hands q and fq to Solr, whose standard query parser takes Lucene's syntax. Here the same
// syntax is parsed by the `lucene` package into a tree, and the tree is turned into a condition on
// the datasets table ("d") over the catalog's own columns and full-text indexes.

/** CKAN's "Search Query Error" (400): a q, fq or sort that cannot be understood. */
export class SearchQueryError extends AppError {
  readonly status = 400
  readonly code = 'search-query'
  constructor(readonly messageKey: string, readonly values: Record<string, string | number> = {}) {
    super(messageKey)
  }
}

type Occur = 'must' | 'should' | 'mustNot'

interface Clause {
  occur: Occur
  node: AST | Node
  /** The field a parenthesised group gives its terms ("tags:(a b)"), else null. */
  field: string | null
}

interface Term {
  /** The value with Lucene's escapes removed. */
  text: string
  /** The value as a LIKE pattern, when it has unescaped * or ? (else null). */
  like: string | null
  quoted: boolean
}

type Bind = Parameters<SqlCondition>[0]

const isRange = (node: AST | Node): node is NodeRangedTerm => 'term_min' in node
const isTerm = (node: AST | Node): node is NodeTerm => 'term' in node
const isGroup = (node: AST | Node): node is AST => 'left' in node

/** Splits a field written with a prefix ("-organization", "+state") into the prefix and the name. */
function splitField(field: string | undefined): { modifier: string | null; name: string | null } {
  if (!field || field === '<implicit>') return { modifier: null, name: null }
  const first = field[0]!
  return first === '+' || first === '-' || first === '!' ? { modifier: first, name: field.slice(1) } : { modifier: null, name: field }
}

/**
 * The clauses of one level of the tree, with the occurrence Lucene's classic parser gives them under
 * CKAN's default operator AND (q.op=AND): a clause joined by OR (or next to one) may match, one
 * joined by AND or by nothing must, one after NOT or with "-" must not.
 */
function clausesOf(ast: AST, groupField: string | null): Clause[] {
  const clauses: Clause[] = []
  const add = (node: AST | Node, conj: string | null) => {
    let modifier: string | null = null
    if (isTerm(node) && node.prefix) modifier = node.prefix
    const fieldModifier = splitField((node as { field?: string }).field).modifier
    if (fieldModifier) modifier = fieldModifier
    const not = modifier === '-' || modifier === '!' || conj === 'NOT' || conj === 'AND NOT' || conj === 'OR NOT'
    const and = conj === 'AND' || conj === 'AND NOT' || conj === '&&'
    const or = conj === 'OR' || conj === 'OR NOT' || conj === '||'
    const previous = clauses.at(-1)
    if (previous && previous.occur !== 'mustNot') {
      if (and) previous.occur = 'must'
      else if (or) previous.occur = 'should'
    }
    const occur: Occur = not ? 'mustNot' : modifier === '+' || !or ? 'must' : 'should'
    clauses.push({ occur, node, field: groupField })
  }
  let node: AST | Node | undefined = ast
  let conj: string | null = 'start' in ast && ast.start ? ast.start : null
  while (node) {
    if (isGroup(node) && (node === ast || (!node.parenthesized && !('field' in node && node.field)))) {
      add(node.left, conj)
      if ('operator' in node && node.right) {
        conj = node.operator
        node = node.right
      } else node = undefined
    } else {
      add(node, conj)
      node = undefined
    }
  }
  return clauses
}

/** Lucene's escapes removed, and the value as a LIKE pattern when it has wildcards. */
function termValue(raw: string, quoted: boolean): Term {
  let text = ''
  let like = ''
  let wildcard = false
  for (let i = 0; i < raw.length; i++) {
    let ch = raw[i]!
    if (ch === '\\' && i + 1 < raw.length) {
      ch = raw[++i]!
      text += ch
      like += ch === '%' || ch === '_' || ch === '\\' ? `\\${ch}` : ch
    } else if (!quoted && (ch === '*' || ch === '?')) {
      wildcard = true
      like += ch === '*' ? '%' : '_'
    } else {
      text += ch
      like += ch === '%' || ch === '_' || ch === '\\' ? `\\${ch}` : ch
    }
  }
  return { text, like: wildcard ? like : null, quoted }
}

const wordsOf = (text: string) => normalizeSearch(text).match(/[\p{L}\p{N}]+/gu)?.slice(0, 20) ?? []

/** A tsquery of the words: a phrase in order, or each word as a prefix; with a weight (title A, notes C). */
function wordsQuery(term: Term, weight: string): string | null {
  const words = wordsOf(term.text)
  if (words.length === 0) return null
  return term.quoted ? words.map((w) => `${w}:${weight || ''}`.replace(/:$/, '')).join(' <-> ') : words.map((w) => `${w}:*${weight}`).join(' & ')
}

// Fields that hold one value per dataset, compared exactly (or by a wildcard pattern, or a range).
const SCALAR: Record<string, string> = {
  name: 'd.name',
  id: 'd.id::text',
  license_id: 'd.licence_id',
  region: 'd.region_code',
  frequency: 'd.frequency',
  version: 'd.version',
  url: 'd.source_url',
}
// A dataset's active resources, for the res_* fields.
const resources = (value: string) => `(select array_agg(${value}) from data_resources r where r.dataset_id = d.id and r.state = 'active')`
// Fields that hold a list per dataset: a dataset matches when any of its values does.
const LISTS: Record<string, { column: string; upper?: boolean; exists?: string }> = {
  tags: { column: 'd.keywords' },
  groups: { column: `(array[d.theme_code] || d.extra_theme_codes)`, exists: 'd.theme_code is not null' },
  res_format: { column: 'd.formats', upper: true },
  // CKAN's "string" fields: compared whole. title_string is the title in any language.
  title_string: { column: `array(select value from jsonb_each_text(d.title))` },
  res_url: { column: resources('r.url'), exists: `exists (select 1 from data_resources r where r.dataset_id = d.id and r.state = 'active' and r.url is not null)` },
  res_type: { column: resources(`r.extras ->> 'resource_type'`) },
}
// CKAN's "textgen" fields: a term matches a word of them, in any case. extras_<key> is an extra's value.
const WORDS: Record<string, string> = {
  author: `coalesce(d.author, '')`,
  maintainer: `coalesce((select string_agg(value, ' ') from jsonb_each_text(coalesce(d.contact_name, '{}'))), '')`,
  res_name: `coalesce((select string_agg(n.value, ' ') from data_resources r cross join jsonb_each_text(r.name) n where r.dataset_id = d.id and r.state = 'active'), '')`,
  res_description: `coalesce((select string_agg(n.value, ' ') from data_resources r cross join jsonb_each_text(r.description) n where r.dataset_id = d.id and r.state = 'active'), '')`,
}
const EXTRA_FIELD = /^extras_([A-Za-z0-9_.-]{1,100})$/
const AGENCY_FIELDS = new Set(['organization', 'owner_org'])
const DATES: Record<string, string> = { metadata_modified: 'd.updated_at', metadata_created: 'd.created_at' }
const NUMBERS: Record<string, string> = {
  num_resources: ACTIVE_RESOURCE_COUNT,
  num_tags: 'cardinality(d.keywords)',
  views_total: 'd.views_total',
}
// Free-text fields and the weight of their part of the search vectors (0004_data_catalog.sql).
const TEXT_WEIGHTS: Record<string, string> = { text: '', title: 'A', notes: 'C' }
// Fields every dataset here has the same value of.
const CONSTANT: Record<string, string> = { dataset_type: 'dataset', type: 'dataset', state: 'active', capacity: 'public', entity_type: 'package' }

/** Every field a query may name. */
export const SOLR_FIELDS = [
  ...Object.keys(TEXT_WEIGHTS), ...Object.keys(SCALAR), ...Object.keys(LISTS), ...Object.keys(WORDS), 'extras_*', ...AGENCY_FIELDS, ...Object.keys(DATES),
  ...Object.keys(NUMBERS), ...Object.keys(CONSTANT),
]

class Translator {
  readonly rankWords: string[] = []
  constructor(private readonly bind: Bind, private readonly param: string, private readonly now: Date) {}

  group(ast: AST, field: string | null, negated: boolean): string {
    const clauses = clausesOf(ast, field)
    const must: string[] = []
    const should: string[] = []
    const mustNot: string[] = []
    for (const clause of clauses) {
      const negatedHere = negated !== (clause.occur === 'mustNot')
      const sql = this.node(clause.node, clause.field, negatedHere)
      ;(clause.occur === 'must' ? must : clause.occur === 'should' ? should : mustNot).push(sql)
    }
    // Where Lucene lets optional clauses beside required ones match nothing, one of them must match
    // here: "organization:a OR organization:b metadata_modified:[… TO *]" is what a harvester sends
    // and means (a or b) and modified since.
    const parts = [...must]
    if (should.length > 0) parts.push(should.length === 1 ? should[0]! : `(${should.join(' or ')})`)
    // A dataset without the field (no theme, say) is not one with the value: it stays in under NOT.
    for (const sql of mustNot) parts.push(`not coalesce(${sql}, false)`)
    if (parts.length === 0) return 'true'
    return parts.length === 1 ? parts[0]! : `(${parts.join(' and ')})`
  }

  node(node: AST | Node, groupField: string | null, negated: boolean): string {
    const own = splitField((node as { field?: string }).field).name
    const field = own ?? groupField
    if (isGroup(node)) return this.group(node, field, negated)
    if (isRange(node)) return this.range(node, field ?? 'text')
    if (node.regex) throw new SearchQueryError('data.ckan.search.regex', { param: this.param })
    return this.term(termValue(node.term, node.quoted), field ?? 'text', negated)
  }

  term(term: Term, field: string, negated: boolean): string {
    const bind = this.bind
    if (field === '*') {
      if (term.like === '%') return 'true'
      throw new SearchQueryError('data.ckan.search.field', { param: this.param, field, allowed: SOLR_FIELDS.join(', ') })
    }
    if (field in TEXT_WEIGHTS) {
      if (term.like === '%') return 'true'
      const query = wordsQuery(term, TEXT_WEIGHTS[field]!)
      if (!query) return 'true'
      if (!negated && field === 'text') this.rankWords.push(query)
      return matchesAnyLanguage(bind(query))
    }
    if (field in CONSTANT) return term.like === '%' || term.text === CONSTANT[field] ? 'true' : 'false'
    const exists = term.like === '%'
    const extra = EXTRA_FIELD.exec(field)?.[1]
    const words = WORDS[field] ?? (extra ? `coalesce(d.extras ->> ${bind(extra)}, '')` : undefined)
    if (words) {
      if (exists) return `${words} <> ''`
      const query = wordsQuery(term, '')
      return query ? `to_tsvector('simple', ${words}) @@ to_tsquery('simple', ${bind(query)})` : 'true'
    }
    if (field in SCALAR) {
      const column = SCALAR[field]!
      if (exists) return `${column} is not null`
      return term.like ? `${column} like ${bind(term.like)}` : `${column} = ${bind(term.text)}`
    }
    if (AGENCY_FIELDS.has(field)) {
      if (exists) return 'true'
      return `d.agency_id in (select id from agencies where slug ${term.like ? `like ${bind(term.like)}` : `= ${bind(term.text)}`})`
    }
    if (field in LISTS) {
      const { column, upper } = LISTS[field]!
      if (exists) return LISTS[field]!.exists ?? `cardinality(${column}) > 0`
      const value = upper ? term.text.toUpperCase() : term.text
      if (!term.like) return `${column} @> ${bind([value])}::text[]`
      return `exists (select 1 from unnest(${column}) v where v like ${bind(upper ? term.like.toUpperCase() : term.like)})`
    }
    if (field in DATES) {
      if (exists) return 'true'
      return `${DATES[field]} = ${bind(this.date(term.text, field))}::timestamptz`
    }
    if (field in NUMBERS) {
      if (exists) return 'true'
      return `${NUMBERS[field]} = ${bind(this.number(term.text, field))}`
    }
    throw new SearchQueryError('data.ckan.search.field', { param: this.param, field, allowed: SOLR_FIELDS.join(', ') })
  }

  range(node: NodeRangedTerm, field: string): string {
    const bounds = (value: (raw: string) => string | number, column: string, cast: string) => {
      const conditions: string[] = []
      const lowIncluded = node.inclusive === 'both' || node.inclusive === 'left'
      const highIncluded = node.inclusive === 'both' || node.inclusive === 'right'
      if (node.term_min !== '*') conditions.push(`${column} ${lowIncluded ? '>=' : '>'} ${this.bind(value(node.term_min))}${cast}`)
      if (node.term_max !== '*') conditions.push(`${column} ${highIncluded ? '<=' : '<'} ${this.bind(value(node.term_max))}${cast}`)
      return conditions.length === 0 ? null : conditions.join(' and ')
    }
    const plain = (raw: string) => termValue(raw, false).text
    if (field in DATES) return bounds((raw) => this.date(raw, field), DATES[field]!, '::timestamptz') ?? 'true'
    if (field in NUMBERS) return bounds((raw) => this.number(raw, field), NUMBERS[field]!, '') ?? 'true'
    if (field in SCALAR) return bounds(plain, SCALAR[field]!, '') ?? `${SCALAR[field]} is not null`
    if (AGENCY_FIELDS.has(field)) {
      const within = bounds(plain, 'slug', '')
      return within ? `d.agency_id in (select id from agencies where ${within})` : 'true'
    }
    if (field in LISTS) {
      const { column } = LISTS[field]!
      const within = bounds(plain, 'v', '')
      return within ? `exists (select 1 from unnest(${column}) v where ${within})` : (LISTS[field]!.exists ?? `cardinality(${column}) > 0`)
    }
    throw new SearchQueryError('data.ckan.search.range', { param: this.param, field })
  }

  date(raw: string, field: string): string {
    const date = solrDate(termValue(raw, false).text, this.now)
    if (!date) throw new SearchQueryError('data.ckan.search.date', { param: this.param, field, value: raw })
    return date.toISOString()
  }

  number(raw: string, field: string): number {
    const text = termValue(raw, false).text
    if (!/^\d{1,9}$/.test(text)) throw new SearchQueryError('data.ckan.search.number', { param: this.param, field, value: raw })
    return Number(text)
  }
}

/** A parsed query: null when it is empty or asks for everything ("*:*"). */
export interface SolrQuery {
  ast: AST
  /** Only words, no fields, operators, phrases or wildcards: the catalog's own word search (with typo correction) serves it. */
  plainWords: boolean
}

// Solr's date math rounds with "/" (NOW/DAY-7DAYS), which CKAN's users write unescaped and Solr
// reads so; Lucene's grammar would take the "/" for a regular expression's start.
const DATE_ROUNDING = /(?<=[A-Z0-9])(?<!\\)\/(?=(?:YEAR|MONTH|DAY|DATE|HOUR|MINUTE|SECOND|MILLI(?:SECOND)?)S?\b)/g
function unescapedDateMath(text: string): string {
  return text.replace(DATE_ROUNDING, '\\/')
}

/** Parses q or fq as Solr would, or throws CKAN's Search Query Error naming the parameter. */
export function parseSolrQuery(text: string, param: string): SolrQuery | null {
  const trimmed = text.trim()
  if (trimmed === '' || trimmed === '*:*' || trimmed === '""' || trimmed === "''") return null
  let ast: AST
  try {
    ast = lucene.parse(unescapedDateMath(trimmed))
  } catch (error) {
    const offset = (error as { location?: { start?: { offset?: number } } }).location?.start?.offset
    throw new SearchQueryError('data.ckan.search.syntax', { param, position: (offset ?? trimmed.length) + 1 })
  }
  if (!('left' in ast) || !ast.left) return null
  const plainWords = !('start' in ast && ast.start) && clausesOf(ast, null).every(({ node, occur }) =>
    occur === 'must' && isTerm(node) && node.field === '<implicit>' && !node.quoted && !node.regex && !node.prefix && !/[*?\\]/.test(node.term))
  return { ast, plainWords }
}

/**
 * The query as a condition on datasets "d", and the tsqueries of its free words for relevance. The
 * query is translated once here, so that what is wrong in it is reported before anything runs.
 */
export function solrCondition(query: SolrQuery, param: string, now: Date): { condition: SqlCondition; rankWords: string[] } {
  const dryRun = new Translator((value) => `'${String(value)}'`, param, now)
  dryRun.group(query.ast, null, false)
  return {
    condition: (bind) => new Translator(bind, param, now).group(query.ast, null, false),
    rankWords: dryRun.rankWords,
  }
}

/** CKAN's q, fq and fq_list as the catalog's search: q's plain words go to its word search, the rest become one condition. */
export interface SolrSearch {
  words?: string
  condition?: SqlCondition
  rankWords: string[]
}

/** Translates package_search's q, fq and fq_list (ckanext-dcat's catalog endpoint passes its q and fq the same way). */
export function solrSearch(params: { q?: string; fq?: string; fq_list?: string[] }, now: Date): SolrSearch {
  const conditions: SqlCondition[] = []
  const rankWords: string[] = []
  let words: string | undefined
  const queries: [string, string | undefined][] = [['q', params.q], ['fq', params.fq], ...(params.fq_list ?? []).map((fq) => ['fq_list', fq] as [string, string])]
  for (const [param, text] of queries) {
    const parsed = parseSolrQuery(text ?? '', param)
    if (!parsed) continue
    if (param === 'q' && parsed.plainWords) {
      words = text
      continue
    }
    const translated = solrCondition(parsed, param, now)
    conditions.push(translated.condition)
    if (param === 'q') rankWords.push(...translated.rankWords)
  }
  return {
    words,
    condition: conditions.length === 0 ? undefined : (bind) => conditions.map((c) => c(bind)).join(' and '),
    rankWords,
  }
}
