import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../platform/db/index.ts'
import type { FileStore } from '../../platform/files/index.ts'
import { acceptUploads } from '../../platform/files/uploads.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import { kazakhstanDay } from '../../platform/calendar/days.ts'
import { csvRows, openRows, type RowPass } from '../data/datastore/sources.ts'
import { LoadError } from '../data/datastore/detect.ts'
import { importLines, LINE_COLUMNS } from './import.ts'
import { fiscalPackageRows } from './fiscal-package.ts'
import { keepPassports, passportOf, type Passport } from './passports.ts'
import { Nullable, MultilingualSchema as Text } from '../../platform/http/validation.ts'
import {
  BUDGET_LEVELS, DIMENSIONS, budgetChildren, budgetNode, createBudget, findBudget, keepPriceIndex, listBudgets, nameCodes, priceIndex, type Budget, type BudgetNode, type Dimension,
} from './service.ts'

const TAGS = ['Open budgets']
const TOKEN = [{ bearerAuth: [] }]
const Amount = Nullable(Type.String({ pattern: '^-?[0-9]+\\.[0-9]{2}$', description: 'tenge, exact, as a decimal string' }))

export const BudgetKey = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*-[0-9]{4}$', maxLength: 120, description: 'republican-2026, a region\'s code and the year (almaty-city-2026), or a district\'s KATO code and the year' })

const BudgetSchema = Type.Object({
  key: Type.String(), level: Type.Enum([...BUDGET_LEVELS]), regionCode: Nullable(Type.String()), districtCode: Nullable(Type.String()), year: Type.Integer(),
  agency: Type.Object({ slug: Type.String(), name: Text }), title: Text,
  approvedOn: Nullable(Type.String({ format: 'date', description: 'the day its approved budget was first published here' })),
  executedThrough: Nullable(Type.String({ description: 'the last month (M01-M12) or quarter (Q1-Q4) its execution covers' })),
})
const NodeSchema = Type.Object({
  code: Type.String({ description: 'space-separated parts of the single budget classification; "" is the whole budget' }),
  name: Nullable(Text), agency: Nullable(Type.String({ description: 'the body behind an administrator\'s code' })),
  approved: Amount, adjusted: Amount, executed: Amount,
})

const Indicator = Type.Object({
  name: Text, unit: Text, better: Type.Enum(['higher', 'lower']),
  planned: Type.String({ description: 'exact, as a decimal string' }), achieved: Nullable(Type.String({ description: 'null until reported' })),
})
const PassportSchema = Type.Object({ code: Type.String({ description: 'administrator and programme: 225 099' }), goal: Text, indicators: Type.Array(Indicator) })
const passportJson = (p: Passport) => ({
  code: p.code, goal: p.goal as Record<string, string>,
  indicators: p.indicators.map((i) => ({ name: i.name as Record<string, string>, unit: i.unit as Record<string, string>, better: i.better, planned: i.planned, achieved: i.achieved })),
})

/** The passport of the programme a node is (an administrator's programme, or a functional node four codes deep), if kept. */
export async function programmePassport(db: Db, budget: Budget, dimension: Dimension, code: string) {
  const parts = code.split(' ')
  const programme = dimension === 'administrative' && parts.length === 2 ? code : dimension === 'functional' && parts.length === 4 ? parts.slice(2).join(' ') : null
  const passport = programme ? await passportOf(db, budget, programme) : null
  return passport && passportJson(passport)
}

const budgetJson = (b: Budget) => ({
  key: b.key, level: b.level, regionCode: b.regionCode, districtCode: b.districtCode, year: b.year,
  agency: { slug: b.agency.slug, name: b.agency.name as Record<string, string> }, title: b.title as Record<string, string>, approvedOn: b.approvedOn, executedThrough: b.executedThrough,
})
const nodeJson = (n: BudgetNode) => ({ code: n.code, name: n.name as Record<string, string> | null, agency: n.agencySlug, approved: n.approved, adjusted: n.adjusted, executed: n.executed })

/**
 * Reads the file an import brought as rows, by its name's ending (CSV, TSV, XLSX, JSON, or a Fiscal
 * Data Package's ZIP), and gives them to use; a ZIP or an XLSX is read from a copy on this machine
 * for as long as use runs.
 */
export async function withRowsOfUpload<T>(files: FileStore, upload: { key: string; fileName: string } | undefined, use: (rows: RowPass) => Promise<T>): Promise<T> {
  if (!upload) throw new ValidationError([{ field: 'file', messageKey: 'budgets.import.errors.noFile' }])
  const ending = /\.([a-z]+)$/i.exec(upload.fileName)?.[1]?.toUpperCase()
  const limits = { maxRowBytes: 1024 * 1024, maxUnpackedBytes: 512 * 1024 * 1024, maxSharedStringsBytes: 64 * 1024 * 1024 }
  if (ending === 'CSV' || ending === 'TSV' || ending === 'TXT') return use(await csvRows(files, upload.key, ending === 'TSV' ? 'TSV' : 'CSV', limits))
  if (ending === 'XLSX') return files.withLocalFile(upload.key, async (localPath) => use(await openRows(files, upload.key, 'XLSX', { localPath }, limits, () => {})))
  // The finance ministry's export as JSON: an array of lines, or an object's "records" (README: "Import").
  if (ending === 'JSON') return use(await openRows(files, upload.key, 'JSON', {}, limits, () => {}))
  // A Fiscal Data Package: datapackage.json and its CSV files in a ZIP (fiscal-package.ts).
  if (ending === 'ZIP') return files.withLocalFile(upload.key, (localPath) => use(fiscalPackageRows(localPath, limits)))
  throw new ValidationError([{ field: 'file', messageKey: 'budgets.import.errors.format' }])
}

/** Open Budgets' API: budgets and their totals for anyone; budgets opened and their lines imported with a token. */
export async function budgetRoutes(app: FastifyInstance, db: Db, files: FileStore): Promise<void> {
  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>()
    await acceptUploads(scope, files, { field: 'file', mayUpload: (request) => request.user !== null })

    api.get('/api/budgets', {
      schema: { tags: TAGS, summary: 'Every budget: the republican one, regions\' and districts\', by year', response: { 200: Type.Object({ budgets: Type.Array(BudgetSchema) }) } },
    }, async () => ({ budgets: (await listBudgets(db)).map(budgetJson) }))

    api.get('/api/budgets/:key', {
      schema: {
        tags: TAGS, summary: 'A budget, with a node of one way of reading it and that node\'s parts, each in the three phases',
        description: 'dimension: functional (group → subgroup → administrator → programme → subprogramme), administrative (administrator → programme → subprogramme), '
          + 'economic (category → specific) or revenue (category → class → subclass → specific); code: the node ("" for the whole budget).',
        params: Type.Object({ key: BudgetKey }),
        querystring: Type.Object({ dimension: Type.Optional(Type.Enum([...DIMENSIONS])), code: Type.Optional(Type.String({ maxLength: 40, pattern: '^([0-9]+( [0-9]+)*)?$' })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ budget: BudgetSchema, dimension: Type.String(), node: NodeSchema, path: Type.Array(NodeSchema), parts: Type.Array(NodeSchema), passport: Nullable(PassportSchema) }) },
      },
    }, async (request) => {
      const budget = await findBudget(db, request.params.key)
      const dimension = (request.query.dimension ?? 'functional') as Dimension
      const code = request.query.code ?? ''
      const found = await budgetNode(db, budget, dimension, code)
      const empty = { code: '', name: null, agencySlug: null, approved: null, adjusted: null, executed: null, hasParts: false }
      if (!found && code !== '') throw new ValidationError([{ field: 'code', messageKey: 'budgets.errors.noSuchCode' }])
      return {
        budget: budgetJson(budget), dimension, node: nodeJson(found?.node ?? empty), path: (found?.path ?? []).map(nodeJson),
        parts: (await budgetChildren(db, budget, dimension, code)).map(nodeJson),
        passport: await programmePassport(db, budget, dimension, code),
      }
    })

    api.post('/api/budgets', {
      schema: {
        tags: TAGS, security: TOKEN, summary: 'Open a budget for a year and a territory, kept by a body (administrators)',
        body: Type.Object({
          level: Type.Enum([...BUDGET_LEVELS]), regionCode: Type.Optional(Type.String({ maxLength: 60 })), districtCode: Type.Optional(Type.String({ maxLength: 9 })),
          year: Type.Integer(), agency: Type.String({ maxLength: 100, description: 'the keeping body\'s slug, whose staff import its lines' }),
          title: Type.Optional(Type.Object({ kk: Type.Optional(Type.String({ maxLength: 300 })), ru: Type.Optional(Type.String({ maxLength: 300 })), en: Type.Optional(Type.String({ maxLength: 300 })) }, { additionalProperties: false })),
        }, { additionalProperties: false }),
        response: { 201: BudgetSchema },
      },
    }, async (request, reply) => {
      const b = request.body
      const budget = await createBudget(db, request.user, { level: b.level, regionCode: b.regionCode, districtCode: b.districtCode, year: b.year, agencySlug: b.agency, title: b.title })
      return reply.code(201).send(budgetJson(budget))
    })

    api.put('/api/budgets/:key/lines', {
      schema: {
        tags: TAGS, security: TOKEN, consumes: ['multipart/form-data'],
        summary: 'Import a budget\'s lines from a CSV, TSV, XLSX or JSON file, or a Fiscal Data Package (ZIP), as the keeping body\'s staff: all rows or none',
        description: `The file's columns: ${LINE_COLUMNS.join(', ')} (the last three optional); a JSON file is an array of objects with these keys, or an object whose "records" is one `
          + '(the finance ministry\'s export; amounts as strings to keep every digit). A ZIP is a Fiscal Data Package 0.3: datapackage.json whose model maps its CSV files\' columns '
          + '(measures in KZT with direction and phase; functional, economic or revenue classifications; a datetime dimension for the period). A file replaces the phases and periods it brings and leaves the rest; '
          + 'a wrong row refuses the whole file with a 400 listing each wrong row (field: the column; values.row: its line).',
        params: Type.Object({ key: BudgetKey }),
        response: { 200: Type.Object({ rows: Type.Integer(), replaced: Type.Array(Type.Object({ phase: Type.String(), period: Type.String() })), dataset: Nullable(Type.String({ description: 'the budget\'s dataset in the open data catalog, refreshed with the import' })) }) },
      },
    }, async (request) => {
      const budget = await findBudget(db, request.params.key)
      try {
        return await withRowsOfUpload(files, request.upload, (rows) => importLines(db, request.user, budget, rows, kazakhstanDay(new Date()), files))
      } catch (error) {
        if (error instanceof LoadError) throw new ValidationError([{ field: 'file', messageKey: error.key, values: error.values }])
        throw error
      } finally {
        if (request.upload) await files.remove(request.upload.key)
      }
    })

    const IndexYear = Type.Object({ year: Type.Integer(), index: Type.Number({ description: 'the year\'s average prices against the year before\'s, per cent (108.7: 8.7 % higher)' }) }, { additionalProperties: false })
    const Source = Type.Object({ name: Text, url: Nullable(Type.String({ maxLength: 500 })) })
    api.get('/api/budgets/price-index', {
      schema: { tags: TAGS, summary: 'The consumer price index by year, which budgets of several years are read in one year\'s prices by', response: { 200: Type.Object({ years: Type.Array(Type.Object({ year: Type.Integer(), index: Type.Number(), source: Source })) }) } },
    }, async () => ({ years: (await priceIndex(db)).map((y) => ({ year: y.year, index: y.index, source: { name: y.source.name as Record<string, string>, url: y.source.url } })) }))

    api.put('/api/budgets/price-index', {
      schema: {
        tags: TAGS, security: TOKEN, summary: 'Keep years of the consumer price index from a named source (administrators); a year sent again is replaced',
        body: Type.Object({
          source: Type.Object({
            name: Type.Object({ kk: Type.Optional(Type.String({ maxLength: 300 })), ru: Type.Optional(Type.String({ maxLength: 300 })), en: Type.Optional(Type.String({ maxLength: 300 })) }, { additionalProperties: false }),
            url: Type.Optional(Type.String({ maxLength: 500 })),
          }, { additionalProperties: false }),
          years: Type.Array(IndexYear, { minItems: 1, maxItems: 200 }),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ kept: Type.Integer() }) },
      },
    }, async (request) => ({ kept: await keepPriceIndex(db, request.user, request.body) }))

    const MlInput = Type.Object({ kk: Type.Optional(Type.String({ maxLength: 1000 })), ru: Type.Optional(Type.String({ maxLength: 1000 })), en: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false })
    api.put('/api/budgets/:key/passports', {
      schema: {
        tags: TAGS, security: TOKEN, summary: 'Keep budget programmes\' passports: goals and target indicators, planned and achieved (the keeping body\'s staff); each programme sent replaces its passport',
        params: Type.Object({ key: BudgetKey }),
        body: Type.Object({
          passports: Type.Array(Type.Object({
            programme: Type.String({ maxLength: 7, description: 'administrator and programme: 225 099' }),
            goal: Type.Optional(MlInput),
            indicators: Type.Array(Type.Object({
              name: MlInput, unit: Type.Optional(MlInput), better: Type.Enum(['higher', 'lower']),
              planned: Type.Number(), achieved: Type.Optional(Nullable(Type.Number())),
            }, { additionalProperties: false }), { maxItems: 50 }),
          }, { additionalProperties: false }), { maxItems: 5000 }),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ kept: Type.Integer() }) },
      },
    }, async (request) => ({ kept: await keepPassports(db, request.user, await findBudget(db, request.params.key), request.body.passports) }))

    api.put('/api/budgets/names', {
      schema: {
        tags: TAGS, security: TOKEN, summary: 'Name codes of the single budget classification in kk, ru and en (administrators; a budget\'s keeper with ?budget= for its administrators and programmes)',
        querystring: Type.Object({ budget: Type.Optional(BudgetKey) }, { additionalProperties: false }),
        body: Type.Object({
          names: Type.Array(Type.Object({
            dimension: Type.Enum([...DIMENSIONS]), code: Type.String({ maxLength: 40 }),
            name: Type.Object({ kk: Type.Optional(Type.String({ maxLength: 500 })), ru: Type.Optional(Type.String({ maxLength: 500 })), en: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
            agency: Type.Optional(Type.String({ maxLength: 100, description: 'an administrator\'s body, by its slug' })),
          }, { additionalProperties: false }), { maxItems: 20_000 }),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ named: Type.Integer() }) },
      },
    }, async (request) => {
      const budget = request.query.budget ? await findBudget(db, request.query.budget) : null
      return { named: await nameCodes(db, request.user, budget, request.body.names.map((n) => ({ dimension: n.dimension, code: n.code, name: n.name, agencySlug: n.agency ?? null }))) }
    })
  })
}
