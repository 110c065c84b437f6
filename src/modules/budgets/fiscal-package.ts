import type yauzl from 'yauzl'
import { text } from 'node:stream/consumers'
import { ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { csvRowsOf, openEntry, openZip, zipEntries, type RowPass, type SourceLimits, type SourceRow } from '../data/datastore/sources.ts'
import { LINE_COLUMNS } from './import.ts'

/**
 * A Frictionless Fiscal Data Package (0.3: https://specs.frictionlessdata.io/fiscal-data-package/)
 * in a ZIP, read as the lines of the documented layout (README: "Import"), so that it is checked and
 * kept as any other file is. The package's `datapackage.json` names its CSV files (`resources`) and
 * maps their columns to a model:
 *
 * - each measure is a column of amounts, with its `currency` (KZT: the budgets are in tenge),
 *   `direction` (expenditure or revenue), `phase` (approved, adjusted or executed) and an optional
 *   `factor` (1000 when the amounts are in thousands; multiplied exactly);
 * - an expenditure's code is the `functional` classification dimension's (group, subgroup,
 *   administrator, programme, subprogramme), its economic specific the `economic` one's; a revenue's
 *   code is the `revenue` classification's, else the `economic` one's (category, class, subclass,
 *   specific). A classification's code is its `code` attribute, or its attributes joined from the top
 *   down by their `parent`s; parts are separated by points (`04.2.225.001.015`) or spaces;
 * - an attribute that is `labelfor` the code names it in the language its `language` says, or its
 *   key's ending (`name_kk`, `name_ru`, `name_en`);
 * - the `datetime` dimension gives the period: a year (2026), a quarter (2026-Q1), a month (2026-03)
 *   or a day of it (2026-03-31); without one, amounts are the year's.
 *
 * A row of a CSV file gives a line for each of its measures with an amount (an empty cell gives
 * none). A wrong row is reported by its line in its file and the file's column that holds it.
 * Nothing is unpacked to disk; the CSV files are read as the datastore reads CSV (encodings,
 * delimiters) straight out of the ZIP.
 */

interface Attribute { source?: unknown; constant?: unknown; resource?: unknown; labelfor?: unknown; parent?: unknown; language?: unknown }
interface Dimension { attributes?: Record<string, Attribute>; dimensionType?: unknown; classificationType?: unknown }
interface Measure { source?: unknown; currency?: unknown; factor?: unknown; resource?: unknown; direction?: unknown; phase?: unknown }
interface Resource { name?: unknown; path?: unknown; schema?: { fields?: Array<{ name?: unknown; decimalChar?: unknown; groupChar?: unknown }> } }
interface Descriptor { resources?: Resource[]; model?: { measures?: Record<string, Measure>; dimensions?: Record<string, Dimension> } }

/** Where a value comes from: a column of the row, or one value for every row. */
type Source = { column: string } | { constant: string }

interface Classification { dimension: string; code: Source[]; labels: Array<{ lang: 'kk' | 'ru' | 'en'; source: Source }> }

interface MeasureRead {
  name: string; column: string; direction: 'expense' | 'revenue'; phase: string; factor: string | null
  decimalChar: string; groupChar: string | null
  code: Classification; economic: Classification | null; period: Source | null
}

const DESCRIPTOR = 'datapackage.json'
const MAX_DESCRIPTOR_BYTES = 1024 * 1024
const KEPT_PHASES = ['approved', 'adjusted', 'executed']
const LANGUAGES = ['kk', 'ru', 'en'] as const

const refuse = (field: string, key: string, values: Record<string, string | number> = {}) =>
  new ValidationError([{ field, messageKey: `budgets.import.package.${key}`, values }])
const notZip = () => refuse('file', 'notZip')

/** A package's rows as lines; the ZIP is opened when they are first read and closed when they end. */
export function fiscalPackageRows(path: string, limits: SourceLimits): RowPass {
  // The lines' columns are the layout's own, named as it names them.
  const names = new Map<string, string>(LINE_COLUMNS.map((c) => [c, c]))
  async function* rows(): AsyncGenerator<SourceRow> {
    const zip = await openZip(path, notZip)
    try {
      const entries = await zipEntries(zip, notZip)
      let unpacked = 0
      for (const entry of entries.values()) unpacked += entry.uncompressedSize
      if (unpacked > limits.maxUnpackedBytes) throw refuse('file', 'tooBig', { limitMb: Math.round(limits.maxUnpackedBytes / 1048576) })
      const descriptor = await readDescriptor(zip, entries)
      const resources = descriptor.resources ?? []
      const measures = readModel(descriptor, resources)
      // Each resource a measure reads is read once, giving every measure of it for each row.
      const byResource = new Map<string, MeasureRead[]>()
      for (const m of measures) byResource.set(m.resource, [...byResource.get(m.resource) ?? [], m])
      const several = byResource.size > 1
      for (const [resourceName, read] of byResource) {
        const resource = resources.find((r) => r.name === resourceName)!
        const entry = entries.get(String(resource.path).replace(/^\.\//, ''))
        if (!entry || entry.fileName.endsWith('/')) throw refuse(`resources.${resourceName}.path`, 'resourceFile', { resource: resourceName, path: String(resource.path) })
        const pass = await csvRowsOf(() => openEntry(zip, entry, notZip), 'CSV', limits)
        let columns: Map<string, string> | undefined
        for await (const source of pass.rows) {
          columns ??= columnsOf(pass.names, resourceName, read)
          const value = (from: Source) => ('constant' in from ? from.constant : source.values.get(columns!.get(from.column)!) ?? '').trim()
          const field = (from: Source | null, fallback: string) => (several ? `${resourceName}: ` : '') + (from && 'column' in from ? from.column : fallback)
          for (const m of read) {
            const raw = value({ column: m.column })
            if (raw === '') continue
            const values = new Map<string, string | null>([
              ['direction', m.direction], ['phase', m.phase], ['amount', amountOf(raw, m)],
              ['code', codeOf(m.code, value)], ['period', m.period ? value(m.period) : 'Y'],
            ])
            if (m.economic) values.set('economic', codeOf(m.economic, value).split(' ').at(-1)!)
            for (const label of m.code.labels) values.set(`name_${label.lang}`, value(label.source))
            const fields = new Map<string, string>([
              ['amount', field({ column: m.column }, m.column)], ['code', field(m.code.code.at(-1)!, m.code.dimension)],
              ['period', field(m.period, 'period')], ['direction', field(null, `model.measures.${m.name}.direction`)],
              ['phase', field(null, `model.measures.${m.name}.phase`)],
              ...(m.economic ? [['economic', field(m.economic.code.at(-1)!, m.economic.dimension)] as [string, string]] : []),
              ...m.code.labels.map((l): [string, string] => [`name_${l.lang}`, field(l.source, `name_${l.lang}`)]),
            ])
            yield { row: source.row, values, fields }
          }
        }
        if (!columns) columnsOf(pass.names, resourceName, read)
      }
    } finally {
      zip.close()
    }
  }
  return { names, rows: rows() }
}

async function readDescriptor(zip: yauzl.ZipFile, entries: Map<string, yauzl.Entry>): Promise<Descriptor> {
  const entry = entries.get(DESCRIPTOR)
  if (!entry) throw refuse('file', 'noDescriptor')
  if (entry.uncompressedSize > MAX_DESCRIPTOR_BYTES) throw refuse(DESCRIPTOR, 'descriptorSize', { limitKb: MAX_DESCRIPTOR_BYTES / 1024 })
  const json = await text(await openEntry(zip, entry, notZip))
  let descriptor: unknown
  try {
    descriptor = JSON.parse(json)
  } catch (error) {
    throw refuse(DESCRIPTOR, 'descriptorJson', { reason: (error as Error).message })
  }
  if (typeof descriptor !== 'object' || descriptor === null || Array.isArray(descriptor)) throw refuse(DESCRIPTOR, 'descriptorJson', { reason: 'not an object' })
  return descriptor as Descriptor
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The model's measures as this portal keeps them, each with the dimensions its rows are read by; a model it cannot keep is refused, naming what. */
function readModel(descriptor: Descriptor, resources: Resource[]): Array<MeasureRead & { resource: string }> {
  const problems: FieldError[] = []
  const problem = (field: string, key: string, values: Record<string, string | number> = {}) => problems.push({ field, messageKey: `budgets.import.package.${key}`, values })
  if (!Array.isArray(resources) || resources.length === 0 || !resources.every((r) => isRecord(r) && typeof r.name === 'string' && typeof r.path === 'string')) {
    throw refuse('resources', 'resources')
  }
  const first = String(resources[0]!.name)
  const model = descriptor.model
  const measures = isRecord(model) && isRecord(model.measures) ? Object.entries(model.measures) : []
  if (measures.length === 0) throw refuse('model.measures', 'noMeasures')
  const dimensions = isRecord(model) && isRecord(model!.dimensions) ? Object.entries(model!.dimensions as Record<string, Dimension>) : []
  const resourceOf = (named: unknown) => (typeof named === 'string' ? named : first)
  const classifications = (type: string) => dimensions.filter(([, d]) => isRecord(d) && d.dimensionType !== 'datetime' && d.classificationType === type)

  const read: Array<MeasureRead & { resource: string }> = []
  for (const [name, m] of measures) {
    const at = `model.measures.${name}`
    if (!isRecord(m)) {
      problem(at, 'measure', { measure: name })
      continue
    }
    const resource = resourceOf(m.resource)
    const spec = resources.find((r) => r.name === resource)
    if (!spec) problem(`${at}.resource`, 'noResource', { measure: name, resource })
    if (typeof m.source !== 'string' || !m.source) problem(`${at}.source`, 'source', { measure: name })
    if (m.currency !== 'KZT') problem(`${at}.currency`, 'currency', { measure: name, currency: String(m.currency ?? '') })
    if (m.direction !== 'expenditure' && m.direction !== 'revenue') problem(`${at}.direction`, 'direction', { measure: name })
    if (typeof m.phase !== 'string' || !KEPT_PHASES.includes(m.phase)) problem(`${at}.phase`, 'phase', { measure: name, phase: String(m.phase ?? '') })
    const factor = m.factor === undefined ? null : String(m.factor)
    if (factor !== null && (typeof m.factor !== 'number' || !/^[0-9]+(\.[0-9]+)?$/.test(factor) || Number(factor) === 0)) problem(`${at}.factor`, 'factor', { measure: name })
    const direction = m.direction === 'revenue' ? 'revenue' : 'expense'
    const codeType = direction === 'expense' ? 'functional' : classifications('revenue').length > 0 ? 'revenue' : 'economic'
    const code = classificationOf(classifications(codeType), codeType, resource, first, at, problem)
    const economic = direction === 'expense' && classifications('economic').length > 0
      ? classificationOf(classifications('economic'), 'economic', resource, first, at, problem) : null
    const datetime = dimensions.filter(([, d]) => isRecord(d) && d.dimensionType === 'datetime')
    const period = datetime.length > 0 ? classificationOf(datetime, 'datetime', resource, first, at, problem)?.code.at(-1) ?? null : null
    const field = spec?.schema?.fields?.find((f) => f.name === m.source)
    if (problems.length > 0 || !code) continue
    read.push({
      name, resource, column: String(m.source), direction, phase: String(m.phase), factor: factor === '1' ? null : factor,
      decimalChar: typeof field?.decimalChar === 'string' ? field.decimalChar : '.', groupChar: typeof field?.groupChar === 'string' ? field.groupChar : null,
      code, economic, period,
    })
  }
  if (problems.length > 0) throw new ValidationError(problems)
  return read
}

/**
 * The one dimension of a kind a measure reads (its attributes in the measure's resource), as the
 * sources of its code from the top down and of its labels; a missing or doubled one is a problem.
 */
function classificationOf(
  found: Array<[string, Dimension]>, type: string, resource: string, first: string, at: string,
  problem: (field: string, key: string, values: Record<string, string | number>) => void,
): Classification | null {
  if (found.length !== 1) {
    problem(`model.dimensions`, found.length === 0 ? 'noClassification' : 'twoClassifications', { measure: at.split('.').at(-1)!, type })
    return null
  }
  const [dimension, spec] = found[0]!
  const attributes = isRecord(spec.attributes) ? Object.entries(spec.attributes).filter(([, a]) => isRecord(a)) : []
  const sourceOf = (key: string, a: Attribute): Source | null => {
    if (typeof a.source === 'string' && a.source) {
      if ((typeof a.resource === 'string' ? a.resource : first) !== resource) {
        problem(`model.dimensions.${dimension}.attributes.${key}.resource`, 'elsewhere', { dimension, resource })
        return null
      }
      return { column: a.source }
    }
    if (typeof a.constant === 'string' || typeof a.constant === 'number') return { constant: String(a.constant) }
    problem(`model.dimensions.${dimension}.attributes.${key}`, 'attribute', { dimension, attribute: key })
    return null
  }
  const codes = attributes.filter(([, a]) => a.labelfor === undefined)
  // The code: its `code` attribute, else the attributes from the one without a parent down.
  let chain: Array<[string, Attribute]> = codes.filter(([key]) => key === 'code')
  if (chain.length === 0) {
    let parent: string | undefined
    for (;;) {
      const next = codes.find(([key, a]) => (parent === undefined ? a.parent === undefined : a.parent === parent) && !chain.some(([k]) => k === key))
      if (!next) break
      chain.push(next)
      parent = next[0]
    }
    if (chain.length !== codes.length || chain.length === 0) {
      problem(`model.dimensions.${dimension}.attributes`, 'hierarchy', { dimension })
      return null
    }
  }
  const code = chain.map(([key, a]) => sourceOf(key, a))
  const leaf = chain.at(-1)![0]
  const labels: Classification['labels'] = []
  for (const [key, a] of attributes.filter(([, a]) => a.labelfor === leaf)) {
    const lang = LANGUAGES.find((l) => a.language === l || key.toLowerCase().endsWith(`_${l}`))
    if (!lang) {
      problem(`model.dimensions.${dimension}.attributes.${key}`, 'language', { attribute: key })
      continue
    }
    const source = sourceOf(key, a)
    if (source) labels.push({ lang, source })
  }
  if (code.some((c) => c === null)) return null
  return { dimension, code: code as Source[], labels }
}

/** The resource's columns by name, each column a measure or its dimensions read being there. */
function columnsOf(names: Map<string, string>, resource: string, measures: MeasureRead[]): Map<string, string> {
  const columns = new Map<string, string>()
  for (const [key, name] of names) if (name && !columns.has(name)) columns.set(name, key)
  const wanted = new Set<string>()
  for (const m of measures) {
    wanted.add(m.column)
    for (const from of [...m.code.code, ...m.code.labels.map((l) => l.source), ...(m.economic?.code ?? []), ...(m.economic?.labels.map((l) => l.source) ?? []), m.period]) {
      if (from && 'column' in from) wanted.add(from.column)
    }
  }
  const missing = [...wanted].filter((c) => !columns.has(c))
  if (missing.length > 0) throw new ValidationError(missing.map((column) => ({ field: `resources.${resource}`, messageKey: 'budgets.import.package.column', values: { resource, column } })))
  return columns
}

/** A classification's code from its parts, points or spaces between them: `04.2.225.001.015` → `04 2 225 001 015`. */
function codeOf(c: Classification, value: (from: Source) => string): string {
  return c.code.map(value).join(' ').replace(/\./g, ' ').replace(/\s+/g, ' ').trim()
}

/**
 * An amount as the layout writes it: the field's decimal and group marks (its table schema's
 * `decimalChar`, `groupChar`) made plain, times the measure's factor, exactly. What cannot be read
 * is passed on as it is, for the row's check to report.
 */
function amountOf(raw: string, m: MeasureRead): string {
  let plain = raw.replace(/[\s\u00a0\u202f]/g, '')
  if (m.groupChar) plain = plain.split(m.groupChar).join('')
  if (m.decimalChar !== '.') plain = plain.replace(m.decimalChar, '.')
  if (!m.factor || !/^-?[0-9]+(\.[0-9]+)?$/.test(plain)) return plain
  const [int, frac = ''] = plain.replace('-', '').split('.')
  const [fInt, fFrac = ''] = m.factor.split('.')
  const scale = frac.length + fFrac.length
  const product = BigInt(int! + frac) * BigInt(fInt! + fFrac)
  const digits = product.toString().padStart(scale + 1, '0')
  let whole = digits.slice(0, digits.length - scale)
  let fraction = digits.slice(digits.length - scale).replace(/0+$/, '')
  if (fraction.length < 2 && scale > 0) fraction = fraction.padEnd(Math.min(2, scale), '0')
  whole = whole.replace(/^0+(?=[0-9])/, '')
  return `${plain.startsWith('-') && product !== 0n ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}
