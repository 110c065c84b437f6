import { PassThrough, Readable } from 'node:stream'
import { once } from 'node:events'
import type ExcelJS from 'exceljs'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { stringify } from 'csv-stringify/sync'
import { csvCells } from '../../../platform/files/csv-cells.ts'
import type { Db } from '../../../platform/db/index.ts'
import { RefreshingCache } from '../../../platform/cache/index.ts'
import { attachmentDisposition } from '../../../platform/files/download.ts'
import { registerPages } from '../../../platform/html/pages.ts'
import { paginationFor, queryHref } from '../../../platform/html/pagination.ts'
import { choiceOf, LoosePage, pageAsked, pageWithin, QueryNotes } from '../../../platform/html/forgiving.ts'
import { NotFound, ValidationError, siteOrigin, type FieldError } from '../../../platform/http/index.ts'
import { localize, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { formatNumber } from '../../../platform/i18n/index.ts'
import { CHART_FONT_SIZES, CHART_TYPES, chartForScreens, chartLookFor } from '../../../platform/charts/draw.ts'
import { authorize, can } from '../../../platform/auth/policies.ts'
import { actorOf } from '../../../platform/auth/index.ts'
import { handleForm } from '../../../platform/auth/forms.ts'
import { fromFormFields, toFormFields } from '../../../platform/i18n/multilingual.ts'
import { COLUMN_TYPES, isNumericType, type ColumnType } from './detect.ts'
import {
  CHART_AGGREGATES, MAX_POINTS, chartColumns, chartData, chartSpecOf, saveDefaultChart, suggestedChart, validChart, type ChartSpec,
} from './chart.ts'
import { MAX_PLACES, mapData, mapSourceOf } from './map.ts'
import { NUMBERED_PLACES, mapSvgs } from '../../../platform/maps/kazakhstan.ts'
import { settingsOf } from '../../../platform/html/accessibility.ts'
import { updateDictionary } from './dictionary.ts'
import { countDemand } from '../demand/service.ts'
import { showDataset, showResource } from '../catalog/service.ts'
import { ROW_ID, apiValue, findDatastoreTable, queryDatastore, type DatastoreQuery, type DatastoreTable, type FilterValue } from './query.ts'
import type { DatastoreField } from './ingest.ts'

// Filters travel in the address as f.<column>=value, so a filtered view can be linked and bookmarked.
const FILTER_PREFIX = 'f.'

export const TableViewQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    // An unknown column or order and a page past the last are corrected on the page, with a note.
    sort: Type.Optional(Type.String({ maxLength: 200 })),
    dir: Type.Optional(Type.String({ maxLength: 40 })),
    page: LoosePage,
    chart: Type.Optional(Type.String({ maxLength: 10 })),
    x: Type.Optional(Type.String({ maxLength: 200 })),
    y: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 })])),
    agg: Type.Optional(Type.String({ maxLength: 10 })),
  },
  { additionalProperties: Type.String({ maxLength: 200 }) },
)
type TableViewQuery = Static<typeof TableViewQuery> & Record<string, string | string[] | number | undefined>

const PER_PAGE = 50
const EXPORT_BATCH = 5_000

/**
 * What a table view asks of the datastore: words in any column, per-column filters (words in text
 * columns, equal values in others), and one column to sort by.
 */
export function viewQuery(table: DatastoreTable, query: TableViewQuery): DatastoreQuery {
  const filters: Record<string, FilterValue> = {}
  const words: Record<string, string> = {}
  const problems: FieldError[] = []
  for (const [key, value] of Object.entries(query)) {
    if (!key.startsWith(FILTER_PREFIX) || typeof value !== 'string' || value.trim() === '') continue
    const id = key.slice(FILTER_PREFIX.length)
    const field = table.fields.find((f) => f.id === id)
    if (!field) problems.push({ field: key, messageKey: 'data.datastore.query.unknownColumn', values: { column: id } })
    else if (field.type === 'text') words[id] = value.trim()
    else filters[id] = value.trim()
  }
  if (problems.length > 0) throw new ValidationError(problems)
  if (query.q?.trim()) words[''] = query.q.trim()
  const sortField = query.sort ? sortableColumns(table).find((f) => f.id === query.sort) : undefined
  return {
    filters,
    q: words,
    sort: sortField ? `"${sortField.id.replaceAll('"', '""')}" ${query.dir === 'desc' ? 'desc' : 'asc'}` : undefined,
  }
}

/** The columns a table view sorts by: the row number, then the table's own. */
function sortableColumns(table: DatastoreTable): Array<{ id: string }> {
  return [ROW_ID, ...table.fields]
}

/**
 * The sort and order a table view can do, the others left out with a note: an unknown column or an
 * order other than asc/desc (links shared from an older version of the table, or typed by hand).
 */
export function correctedSort(request: FastifyRequest, table: DatastoreTable, query: TableViewQuery, notes: QueryNotes): TableViewQuery {
  const sort = choiceOf(query.sort, sortableColumns(table).map((f) => f.id), notes, (id) => {
    const field = table.fields.find((f) => f.id === id)
    return field ? columnTitle(field, request) : id
  }, request.t('data.datastore.view.sortColumn'))
  const dir = sort ? choiceOf(query.dir, ['asc', 'desc'] as const, notes, (d) => request.t(`data.datastore.view.dir.${d}`), request.t('data.datastore.view.sortOrder')) : undefined
  return { ...query, sort, dir }
}

function columnTitle(field: DatastoreField, request: FastifyRequest): string {
  return localize(field.title, request.lang)?.text ?? field.id
}

async function* exportRows(db: Db, table: DatastoreTable, query: DatastoreQuery): AsyncGenerator<Array<string | number | boolean | null>[]> {
  for (let offset = 0; ; offset += EXPORT_BATCH) {
    const { rows } = await queryDatastore(db, table, { ...query, limit: EXPORT_BATCH, offset, includeTotal: false })
    if (rows.length > 0) yield rows
    if (rows.length < EXPORT_BATCH) return
  }
}

async function* csvExport(db: Db, table: DatastoreTable, query: DatastoreQuery): AsyncGenerator<string> {
  // A byte order mark, so that Excel opens Cyrillic UTF-8 as such.
  yield `\uFEFF${stringify([table.fields.map((f) => f.id)])}`
  const text = table.fields.map((f) => f.type === 'text')
  for await (const rows of exportRows(db, table, query)) {
    yield stringify(rows.map((row) => csvCells(row.slice(1), text)))
  }
}

async function* jsonExport(db: Db, table: DatastoreTable, query: DatastoreQuery): AsyncGenerator<string> {
  const ids = table.fields.map((f) => f.id)
  let first = true
  yield '['
  for await (const rows of exportRows(db, table, query)) {
    const parts = rows.map((row) => JSON.stringify(Object.fromEntries(ids.map((id, i) => [id, apiValue(table.fields[i]!.type, row[i + 1]!)]))))
    yield `${first ? '' : ','}\n${parts.join(',\n')}`
    first = false
  }
  yield '\n]\n'
}

// Excel opens at most 1,048,576 rows, the heading included.
export const XLSX_MAX_ROWS = 1_048_575

/**
 * A value of the datastore as a spreadsheet cell: dates as dates (Excel's own), the rest as they
 * are. Text is written as a text cell, which a spreadsheet never reads as a formula ("=…" included).
 */
function cellValue(type: ColumnType, value: string | number | boolean | null): ExcelJS.CellValue {
  if (value === null) return null
  if (type === 'date' && typeof value === 'string') return new Date(`${value}T00:00:00Z`)
  if (type === 'timestamp' && typeof value === 'string') return new Date(`${value}Z`)
  return value
}

/**
 * The rows as an XLSX spreadsheet, written as they come (exceljs's streaming writer), waiting for
 * the reader when it is slower than the database.
 */
function xlsxExport(db: Db, table: DatastoreTable, query: DatastoreQuery): Readable {
  const out = new PassThrough()
  void (async () => {
    // exceljs (some 20 MB in memory) is loaded the first time a spreadsheet is asked for.
    const { default: Excel } = await import('exceljs')
    const book = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
    const sheet = book.addWorksheet('data')
    sheet.columns = table.fields.map((f) => ({
      header: f.id, key: f.id, width: Math.min(40, Math.max(10, f.id.length + 2)),
      ...(f.type === 'date' ? { style: { numFmt: 'yyyy-mm-dd' } } : f.type === 'timestamp' ? { style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } } : {}),
    }))
    let written = 0
    for await (const rows of exportRows(db, table, query)) {
      for (const row of rows) {
        if (written >= XLSX_MAX_ROWS) break
        sheet.addRow(row.slice(1).map((v, i) => cellValue(table.fields[i]!.type, v))).commit()
        written += 1
      }
      if (written >= XLSX_MAX_ROWS) break
      if (out.writableNeedDrain) await once(out, 'drain')
    }
    sheet.commit()
    await book.commit()
  })().catch((error: unknown) => out.destroy(error as Error))
  return out
}

function sendExport(reply: FastifyReply, fileName: string, type: string, body: AsyncGenerator<string> | Readable): FastifyReply {
  return reply
    .type(type)
    .header('content-disposition', attachmentDisposition(fileName))
    .send(body instanceof Readable ? body : Readable.from(body))
}

/** The table view of each resource loaded into the datastore, and its exports. */
export async function datastorePages(app: FastifyInstance, db: Db): Promise<void> {
  // Exports have one address in every language; they take the same filters as the table view.
  app.withTypeProvider<TypeBoxTypeProvider>().get('/data/resources/:id/export.:format', {
    schema: {
      hide: true,
      params: Type.Object({ id: Type.String({ maxLength: 36 }), format: Type.Union([Type.Literal('csv'), Type.Literal('json'), Type.Literal('xlsx')]) }),
      querystring: TableViewQuery,
    },
  }, async (request, reply) => {
    const table = await findDatastoreTable(db, request.params.id)
    // A file is made once and kept: a sort it cannot do is refused rather than left out unsaid.
    const asked = request.query as TableViewQuery
    if (asked.sort && !sortableColumns(table).some((f) => f.id === asked.sort)) throw new ValidationError([{ field: 'sort', messageKey: 'data.datastore.query.unknownColumn', values: { column: asked.sort } }])
    if (asked.dir && asked.dir !== 'asc' && asked.dir !== 'desc') throw new ValidationError([{ field: 'dir', messageKey: 'data.datastore.view.dirInvalid' }])
    const query = { ...viewQuery(table, asked), fields: [ROW_ID.id, ...table.fields.map((f) => f.id)] }
    // Checked before the answer starts, so that a wrong filter is a 400 and not a cut-off file.
    await queryDatastore(db, table, { ...query, limit: 0, includeTotal: false })
    await countDemand(db, table.datasetId, 'downloads', { address: request.ip })
    const base = request.params.id
    switch (request.params.format) {
      case 'csv': return sendExport(reply, `${base}.csv`, 'text/csv; charset=utf-8', csvExport(db, table, query))
      case 'json': return sendExport(reply, `${base}.json`, 'application/json; charset=utf-8', jsonExport(db, table, query))
      default: return sendExport(reply, `${base}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', xlsxExport(db, table, query))
    }
  })

  // CKAN's address of a table's dump (a datastore-only resource's url): the same exports.
  app.withTypeProvider<TypeBoxTypeProvider>().get('/datastore/dump/:id', {
    schema: {
      hide: true,
      params: Type.Object({ id: Type.String({ maxLength: 36 }) }),
      querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json'), Type.Literal('xlsx')])) }),
    },
  }, async (request, reply) => reply.redirect(`/data/resources/${encodeURIComponent(request.params.id)}/export.${request.query.format ?? 'csv'}`, 302))

  await registerPages(app, async (pages) => {
    pages.withTypeProvider<TypeBoxTypeProvider>().get('/data/datasets/:name/resources/:id', {
      schema: {
        hide: true,
        params: Type.Object({ name: Type.String({ pattern: '^[a-z0-9_-]{2,100}$' }), id: Type.String({ maxLength: 36 }) }),
        querystring: TableViewQuery,
      },
    }, async (request, reply) => {
      const { lang, t } = request
      const resource = await showResource(db, request.params.id)
      if (resource.datasetName !== request.params.name) throw new NotFound('resource', request.params.id)
      const dataset = await showDataset(db, resource.datasetId)
      const notes = new QueryNotes(request)
      let query = request.query as TableViewQuery
      const path = `/${lang}/data/datasets/${dataset.name}/resources/${resource.id}`
      let page = pageAsked(query.page as string | undefined, notes)
      let view: Record<string, unknown> | null = null
      let chart: Record<string, unknown> | null = null
      let map: Record<string, unknown> | null = null
      let errors: FieldError[] = []
      if (resource.datastore?.active) {
        const table = await findDatastoreTable(db, resource.id)
        try {
          query = correctedSort(request, table, query, notes)
          const rowsQuery = viewQuery(table, query)
          let result = await queryDatastore(db, table, { ...rowsQuery, limit: PER_PAGE, offset: (page - 1) * PER_PAGE })
          const lastPage = Math.max(1, Math.ceil((result.total ?? 0) / PER_PAGE))
          if (page > lastPage) {
            page = pageWithin(page, lastPage, notes)
            result = await queryDatastore(db, table, { ...rowsQuery, limit: PER_PAGE, offset: (page - 1) * PER_PAGE })
          }
          chart = await chartView(request, db, table, query, rowsQuery, path)
          map = await mapView(request, db, table, rowsQuery)
          if ((chart.errors as FieldError[]).length > 0) {
            errors = chart.errors as FieldError[]
            reply.code(400)
          }
          const total = result.total ?? 0
          const pageCount = Math.max(1, Math.ceil(total / PER_PAGE))
          const exportQuery = Object.fromEntries(Object.entries(query).filter(([key]) => key !== 'page'))
          view = {
            table,
            total,
            from: total === 0 ? 0 : (page - 1) * PER_PAGE + 1,
            to: Math.min(total, page * PER_PAGE),
            head: table.fields.map((f) => {
              const sorted = query.sort === f.id
              const dir = sorted && query.dir !== 'desc' ? 'desc' : 'asc'
              return {
                id: f.id,
                title: columnTitle(f, request),
                numeric: isNumericType(f.type),
                sorted: sorted ? (query.dir ?? 'asc') : null,
                href: queryHref(path, { ...query, sort: f.id, dir, page: undefined }),
              }
            }),
            rows: result.rows.map((row) => row.slice(1).map((value, i) => cellText(request, table.fields[i]!, value))),
            filters: table.fields.map((f) => ({
              name: `${FILTER_PREFIX}${f.id}`, label: columnTitle(f, request), value: query[`${FILTER_PREFIX}${f.id}`] ?? '',
              hint: t(`data.datastore.view.filterHint.${f.type}`),
            })),
            pagination: paginationFor(request, path, query, page, pageCount),
            exports: {
              csv: queryHref(`/data/resources/${resource.id}/export.csv`, exportQuery),
              json: queryHref(`/data/resources/${resource.id}/export.json`, exportQuery),
              xlsx: queryHref(`/data/resources/${resource.id}/export.xlsx`, exportQuery),
            },
            api: `curl "${siteOrigin(request)}/api/3/action/datastore_search?resource_id=${resource.id}&limit=5"`,
          }
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          errors = error.fields
          reply.code(400)
        }
      }
      return reply.render('data/datastore/views/resource.njk', {
        title: localize(resource.name, lang)?.text ?? resource.id,
        breadcrumbs: [
          { text: t('platform.home'), href: `/${lang}/` },
          { text: t('data.catalog.title'), href: `/${lang}/data` },
          { text: localize(dataset.title, lang)?.text ?? dataset.name, href: `/${lang}/data/datasets/${dataset.name}` },
        ],
        dataset,
        resource,
        view,
        chart,
        map,
        query,
        notes: notes.items,
        path,
        errors: errors.map((e) => {
          // The datastore names a filter filters.<column> or q.<column>; the form names it f.<column>.
          const input = e.field.replace(/^(filters|q)\./, FILTER_PREFIX)
          return { text: `${input.startsWith(FILTER_PREFIX) ? input.slice(FILTER_PREFIX.length) : input}: ${t(e.messageKey, e.values)}`, href: `#${input}` }
        }),
        mayEdit: can(request.user, 'dataset.update', { agencyId: dataset.agency.id }),
      })
    })
  })
}


// Drawing a chart or a map costs milliseconds of the server's time on every page that shows it;
// what it draws depends only on the table's version (any load, write or dictionary change moves
// it on), what is drawn and for whom (language, colours, type size). So each drawing is made once
// and kept, per database (tests run several whose tables share ids).
const DRAWINGS_KEPT = 300
const drawingsByDb = new WeakMap<Db, RefreshingCache<unknown>>()

/** The drawing for key, made by draw the first time and kept while the table stays at its version. */
function drawnOnce<T>(db: Db, table: DatastoreTable, key: unknown[], draw: () => Promise<T>): Promise<T> {
  let drawings = drawingsByDb.get(db)
  // Kept an hour at most: the key already names everything the drawing depends on.
  if (!drawings) drawingsByDb.set(db, (drawings = new RefreshingCache({ ttlMs: 3_600_000, maxEntries: DRAWINGS_KEPT })))
  return drawings.get(JSON.stringify([table.resourceId, table.version, ...key]), draw) as Promise<T>
}

/** The chart section of a table view: the chart asked for (or saved, or suggested), drawn twice (phones, wider screens), its numbers and its form. */
async function chartView(request: FastifyRequest, db: Db, table: DatastoreTable, query: TableViewQuery, rows: DatastoreQuery, path: string): Promise<Record<string, unknown>> {
  const { lang, t } = request
  const asked = query.chart !== undefined || query.x !== undefined
  const saved = validChart(table, table.defaultChart)
  let spec: ChartSpec | null = null
  let errors: FieldError[] = []
  try {
    spec = asked ? chartSpecOf(table, query) : (saved ?? suggestedChart(table, lang))
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error
    errors = error.fields
  }
  const columns = chartColumns(table.fields)
  const titleOf = (id: string) => {
    const field = table.fields.find((f) => f.id === id)
    return field ? columnTitle(field, request) : id
  }
  // What the form carries along: the table's filters and words, so the chart counts the same rows.
  const carried = Object.entries(query).filter(([key, value]) => (key === 'q' || key.startsWith(FILTER_PREFIX)) && typeof value === 'string' && value !== '')
  const form = {
    carried: carried.map(([name, value]) => ({ name, value })),
    types: CHART_TYPES.map((type) => ({ value: type, text: t(`data.datastore.chart.types.${type}`), checked: (spec?.type ?? 'bar') === type })),
    x: columns.x.map((f) => ({ value: f.id, text: titleOf(f.id), selected: spec?.x === f.id })),
    y: columns.y.map((f) => ({ value: f.id, text: titleOf(f.id), checked: spec?.y.includes(f.id) ?? false })),
    agg: CHART_AGGREGATES.map((agg) => ({ value: agg, text: t(`data.datastore.chart.aggregates.${agg}`), selected: (spec?.agg ?? 'sum') === agg })),
  }
  const messageFor = (field: string) => errors.filter((e) => e.field === field).map((e) => t(e.messageKey, e.values)).join('. ') || null
  const errorsOf = { errors, xError: messageFor('x'), yError: messageFor('y') }
  if (!spec) return { form, spec: null, possible: columns.y.length > 0, ...errorsOf }
  const settings = settingsOf(request)
  const seriesName = (id: string) => (spec.agg === 'count' ? t('data.datastore.chart.rows') : titleOf(id))
  const look = chartLookFor(settings, lang, seriesName)
  const { data, narrow, wide } = await drawnOnce(db, table, ['chart', spec, rows.filters ?? null, rows.q ?? null, lang, settings.contrast, settings.size], async () => {
    const data = await chartData(db, table, spec, rows, lang)
    return { data, ...(await chartForScreens(spec, data, look)) }
  })
  const measured = spec.agg === 'count' ? t('data.datastore.chart.rows') : spec.y.map(titleOf).join(', ')
  return {
    form,
    spec,
    saved: saved !== null && JSON.stringify(saved) === JSON.stringify(spec),
    hasDefault: table.defaultChart !== null,
    caption: t(`data.datastore.chart.caption.${spec.agg}`, { measured, by: titleOf(spec.x) }),
    narrow,
    wide,
    more: data.more ? t('data.datastore.chart.more', { max: MAX_POINTS }) : null,
    table: {
      head: [{ text: titleOf(spec.x) }, ...data.series.map((s) => ({ text: seriesName(s.id), format: 'numeric' }))],
      rows: data.categories.map((category, i) => [{ text: category }, ...data.series.map((s) => ({ text: s.values[i] === null ? '' : formatNumber(lang, s.values[i]!), format: 'numeric' }))]),
    },
    saveAction: `${path}/chart`,
    ...errorsOf,
  }
}

const PREVIEW_ROWS = 5

/**
 * The dataset page's preview of its first table: the chart (saved or suggested), the map when it
 * has places, and its first rows, with a link to the whole table. Null when no table is loaded.
 */
export async function datastorePreview(request: FastifyRequest, db: Db, dataset: { name: string; resources: Array<{ id: string; name: MultilingualText; datastore: { active: boolean } | null }> }) {
  const resource = dataset.resources.find((r) => r.datastore?.active)
  if (!resource) return null
  const table = await findDatastoreTable(db, resource.id)
  const path = `/${request.lang}/data/datasets/${dataset.name}/resources/${resource.id}`
  // The first rows change only with the table's version, as its drawings do.
  const result = await drawnOnce(db, table, ['preview'], () => queryDatastore(db, table, { limit: PREVIEW_ROWS, includeTotal: false }))
  const chart = await chartView(request, db, table, {}, {}, path)
  return {
    resource,
    path,
    total: table.rowCount,
    chart: chart.spec ? chart : null,
    map: await mapView(request, db, table, {}),
    head: table.fields.map((f) => ({ text: columnTitle(f, request), format: isNumericType(f.type) ? 'numeric' : undefined })),
    rows: result.rows.map((row) => row.slice(1).map((value, i) => ({ text: cellText(request, table.fields[i]!, value), format: isNumericType(table.fields[i]!.type) ? 'numeric' : undefined }))),
  }
}

/** A value as the table view shows it: numbers in the reader's format, yes/no, dates and times. */
function cellText(request: FastifyRequest, field: DatastoreField, value: string | number | boolean | null): string {
  if (value === null) return ''
  if (typeof value === 'number') return formatNumber(request.lang, value)
  if (typeof value === 'boolean') return request.t(value ? 'data.datastore.view.yes' : 'data.datastore.view.no')
  return field.type === 'timestamp' ? String(value).replace('T', ' ') : String(value)
}

/** The map section of a table view, for tables with places (latitude and longitude, or GeoJSON). */
async function mapView(request: FastifyRequest, db: Db, table: DatastoreTable, rows: DatastoreQuery): Promise<Record<string, unknown> | null> {
  const source = mapSourceOf(table)
  if (!source) return null
  const { t } = request
  const settings = settingsOf(request)
  const name = `datastore-${table.resourceId}`
  const { data, drawings } = await drawnOnce(db, table, ['map', rows.filters ?? null, rows.q ?? null, request.lang, settings.contrast, settings.size], async () => {
    const data = await mapData(db, table, source, rows)
    const look = { contrast: settings.contrast, fontSize: CHART_FONT_SIZES[settings.size], lang: request.lang, km: t('platform.maps.km') }
    return { data, drawings: await mapSvgs(name, data, look, { narrow: { width: 360, height: 240 }, wide: { width: 760, height: 380 } }) }
  })
  const places = data.points.length + data.shapes.length
  return {
    caption: t('data.datastore.map.caption', { count: places }),
    ...drawings,
    // The numbers on the map, with what each place is: the map in words.
    places: data.points.length <= NUMBERED_PLACES ? data.points.map((p) => p.label) : null,
    skipped: data.skipped > 0 ? t('data.datastore.map.skipped', { count: data.skipped }) : null,
    more: data.more ? t('data.datastore.map.more', { max: MAX_PLACES }) : null,
    source: source.kind === 'points' ? t('data.datastore.map.fromColumns', { lat: source.lat, lon: source.lon }) : t('data.datastore.map.fromGeometry', { column: source.column }),
  }
}

const ChartBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  chart: Type.Optional(Type.String({ maxLength: 10 })),
  x: Type.Optional(Type.String({ maxLength: 200 })),
  y: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 })])),
  agg: Type.Optional(Type.String({ maxLength: 10 })),
  clear: Type.Optional(Type.String({ maxLength: 10 })),
}, { additionalProperties: false })

const DictionaryBody = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 2_000 }), { maxProperties: 12_000 })

/** The publisher's form for a table's data dictionary: column titles, descriptions and types. */
export async function dictionaryPages(app: FastifyInstance, db: Db): Promise<void> {
  const view = 'data/datastore/views/dictionary.njk'
  await registerPages(app, async (pages) => {
    const typed = pages.withTypeProvider<TypeBoxTypeProvider>()
    const Params = Type.Object({ name: Type.String({ pattern: '^[a-z0-9_-]{2,100}$' }), id: Type.String({ maxLength: 36 }) })

    const load = async (request: FastifyRequest, name: string, id: string) => {
      const resource = await showResource(db, id)
      if (resource.datasetName !== name) throw new NotFound('resource', id)
      const dataset = await showDataset(db, resource.datasetId)
      authorize(request.user, 'dataset.update', { agencyId: dataset.agency.id })
      const table = await findDatastoreTable(db, id)
      return { resource, dataset, table }
    }
    const tablePathOf = (request: FastifyRequest, { dataset, resource }: Awaited<ReturnType<typeof load>>) =>
      `/${request.lang}/data/datasets/${dataset.name}/resources/${resource.id}`
    const context = (request: FastifyRequest, loaded: Awaited<ReturnType<typeof load>>, values: Record<string, string>) => {
      const { lang, t } = request
      const { resource, dataset, table } = loaded
      const tablePath = tablePathOf(request, loaded)
      return {
        title: t('data.datastore.dictionary.title'),
        caption: localize(resource.name, lang)?.text ?? resource.id,
        breadcrumbs: [
          { text: t('platform.home'), href: `/${lang}/` },
          { text: localize(dataset.title, lang)?.text ?? dataset.name, href: `/${lang}/data/datasets/${dataset.name}` },
          { text: localize(resource.name, lang)?.text ?? resource.id, href: tablePath },
        ],
        action: `${tablePath}/dictionary`,
        tablePath,
        columns: table.fields.map((f, i) => ({
          id: f.id,
          prefix: `c${i}`,
          types: COLUMN_TYPES.map((type) => ({ value: type, text: t(`data.datastore.types.${type}`), selected: (values[`c${i}.type`] ?? f.type) === type })),
        })),
        values,
      }
    }
    const valuesOf = (fields: readonly DatastoreField[]) => Object.fromEntries(fields.flatMap((f, i) => [
      [`c${i}.type`, f.type],
      ...Object.entries(toFormFields(`c${i}.title`, f.title)),
      ...Object.entries(toFormFields(`c${i}.description`, f.description)),
    ]))

    typed.get('/data/datasets/:name/resources/:id/dictionary', { schema: { hide: true, params: Params } }, async (request, reply) => {
      const loaded = await load(request, request.params.name, request.params.id)
      return reply.render(view, context(request, loaded, valuesOf(loaded.table.fields)))
    })

    typed.post('/data/datasets/:name/resources/:id/dictionary', { schema: { hide: true, params: Params, body: DictionaryBody } }, async (request, reply) => {
      const loaded = await load(request, request.params.name, request.params.id)
      const body = request.body as Record<string, string>
      return handleForm(reply, view, context(request, loaded, body), async () => {
        const changes = loaded.table.fields.map((f, i) => ({
          type: (body[`c${i}.type`] ?? f.type) as ColumnType,
          title: fromFormFields(body, `c${i}.title`),
          description: fromFormFields(body, `c${i}.description`),
        }))
        await updateDictionary(db, actorOf(request), loaded.resource.id, changes)
        return reply.redirect(tablePathOf(request, loaded), 303)
      })
    })

    // The chart a publisher saves is shown first to everyone; "clear" goes back to the suggested one.
    typed.post('/data/datasets/:name/resources/:id/chart', { schema: { hide: true, params: Params, body: ChartBody } }, async (request, reply) => {
      const loaded = await load(request, request.params.name, request.params.id)
      const body = request.body
      const spec = body.clear ? null : chartSpecOf(loaded.table, body)
      await saveDefaultChart(db, actorOf(request), loaded.table, spec)
      return reply.redirect(`${tablePathOf(request, loaded)}#chart`, 303)
    })
  })
}
