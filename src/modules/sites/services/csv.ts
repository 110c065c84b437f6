import { stringify } from 'csv-stringify/sync'
import { ValidationError, type FieldError } from '../../../platform/http/errors.ts'
import { csvCells } from '../../../platform/files/csv-cells.ts'
import { LANGS, type Lang } from '../../../platform/i18n/index.ts'
import type { MultilingualList, MultilingualText } from '../../../platform/i18n/multilingual.ts'
import type { RowPass } from '../../data/datastore/sources.ts'
import type { PublicService, ServiceInput, Where } from './register.ts'

const TEXTS = ['name', 'description', 'fee_note', 'term', 'result', 'legal_basis'] as const
const perLang = (field: string) => LANGS.map((lang) => `${field}_${lang}`)

/**
 * The register's CSV, the same for its export and its import (a file exported, changed and sent
 * back is read as it was written): one row per service, a column per language of each text, the
 * documents one per line within their cell, recipients and channels separated by spaces.
 */
export const SERVICE_COLUMNS = [
  'code', 'agency', ...perLang('name'), ...perLang('description'), 'recipients', 'channels', 'fee_kzt', ...perLang('fee_note'),
  ...perLang('term'), ...perLang('documents'), ...perLang('result'), ...perLang('legal_basis'), 'egov_url',
] as const
// Written by the export for readers, not read back: a service is taken out of the register by its own request.
const READ_ONLY = ['excluded_on']
const REQUIRED = ['code', 'agency', 'name_kk', 'name_ru', 'recipients', 'channels']

/** The register's services as its CSV (UTF-8 with a BOM, so spreadsheet programs read the Cyrillic). */
export function servicesCsv(services: readonly PublicService[], slugOf: (agencyId: number) => string): string {
  const text = (value: MultilingualText, lang: Lang) => value[lang] ?? ''
  const list = (value: MultilingualList, lang: Lang) => (value[lang] ?? []).join('\n')
  const rows = services.map((s) => {
    const texts: Record<(typeof TEXTS)[number], MultilingualText> = { name: s.name, description: s.description, fee_note: s.feeNote, term: s.term, result: s.result, legal_basis: s.legalBasis }
    const cells = [
      s.code, slugOf(s.agencyId), ...LANGS.map((l) => text(s.name, l)), ...LANGS.map((l) => text(s.description, l)), s.recipients.join(' '), s.channels.join(' '),
      s.feeKzt ?? '', ...LANGS.map((l) => text(texts.fee_note, l)), ...LANGS.map((l) => text(s.term, l)), ...LANGS.map((l) => list(s.documents, l)),
      ...LANGS.map((l) => text(s.result, l)), ...LANGS.map((l) => text(s.legalBasis, l)), s.egovUrl ?? '', s.excluded?.on ?? '',
    ]
    return csvCells(cells, cells.map((_, i) => i !== 0 && i !== 8 && i !== cells.length - 1))
  })
  return `\ufeff${stringify([[...SERVICE_COLUMNS, ...READ_ONLY], ...rows])}`
}

/** A CSV's rows as services for the register, with where each came from; a file whose columns are wrong is refused whole. */
export async function servicesOfCsv(pass: RowPass): Promise<{ inputs: ServiceInput[]; at: (index: number, name: string) => Where }> {
  const inputs: ServiceInput[] = []
  const lines: number[] = []
  let keys: Map<string, string> | null = null
  for await (const row of pass.rows) {
    if (!keys) keys = columnsOf(pass.names)
    const cell = (column: string) => {
      const key = keys!.get(column)
      return (key ? row.values.get(key) : null)?.trim() ?? ''
    }
    const ml = (field: string): MultilingualText => Object.fromEntries(LANGS.map((lang) => [lang, cell(`${field}_${lang}`)]))
    const words = (column: string) => cell(column).split(/[\s;,]+/).filter(Boolean)
    inputs.push({
      code: cell('code'), agency: cell('agency'), name: ml('name'), description: ml('description'), recipients: words('recipients'), channels: words('channels'),
      feeKzt: cell('fee_kzt').replace(/[\s\u00a0\u202f]/g, '') || null, feeNote: ml('fee_note'), term: ml('term'),
      documents: Object.fromEntries(LANGS.map((lang) => [lang, cell(`documents_${lang}`).split(/\r?\n/)])),
      result: ml('result'), legalBasis: ml('legal_basis'), egovUrl: cell('egov_url') || null,
    })
    lines.push(row.row)
  }
  if (!keys) keys = columnsOf(pass.names)
  if (inputs.length === 0) throw new ValidationError([{ field: 'file', messageKey: 'sites.services.errors.noRows' }])
  return { inputs, at: (index, name) => ({ field: name, values: { row: lines[index] } }) }
}

/** The file's columns by name; unknown or missing ones refuse the file, naming them. */
function columnsOf(names: Map<string, string>): Map<string, string> {
  const byName = new Map<string, string>()
  const problems: FieldError[] = []
  for (const [key, raw] of names) {
    const name = raw.trim().toLowerCase()
    if (name === '' || READ_ONLY.includes(name)) continue
    if (!(SERVICE_COLUMNS as readonly string[]).includes(name)) problems.push({ field: 'file', messageKey: 'sites.services.errors.unknownColumn', values: { column: raw } })
    else byName.set(name, key)
  }
  for (const column of REQUIRED) if (!byName.has(column)) problems.push({ field: 'file', messageKey: 'sites.services.errors.missingColumn', values: { column } })
  if (problems.length > 0) throw new ValidationError(problems)
  return byName
}
