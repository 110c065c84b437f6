import { Readable } from 'node:stream'
import { stringify } from 'csv-stringify/sync'
import type { Db, Queryable } from '../../platform/db/index.ts'
import { SYSTEM_ACTOR, type Actor } from '../../platform/audit/index.ts'
import type { FileStore } from '../../platform/files/index.ts'
import { NotFound } from '../../platform/http/errors.ts'
import { LANGS } from '../../platform/i18n/index.ts'
import type { MultilingualText } from '../../platform/i18n/multilingual.ts'
import { translate } from '../../platform/notifications/messages.ts'
import { agencyNames } from '../agencies/service.ts'
import { changeDataset, findDataset, insertDataset, type DatasetFields } from '../data/publishing/dataset.ts'
import { changeResource, insertResource } from '../data/publishing/resource.ts'
import { resourcesOf, showDataset } from '../data/catalog/service.ts'
import { titleColumns, type ColumnTitles } from '../data/datastore/dictionary.ts'
import { methodologies, snapshotScores, type Snapshot } from './service.ts'

/**
 * The index's open results: every month's snapshot (the first of each month, which the review window
 * corrects) as CSV and JSON, several years at a time, and each year as a dataset of the open data
 * catalog with the methodology beside it.
 */

/** The first snapshot of every month in the years asked (the month's reviewed result), oldest first. */
export async function monthlySnapshots(db: Queryable, from: number, to: number): Promise<Snapshot[]> {
  return (await db.query<{ id: string; day: string; period_from: string; period_to: string; methodology_version: number }>(
    `select distinct on (date_trunc('month', day)) id, day::text as day, period_from::text as period_from, period_to::text as period_to, methodology_version
     from openness_snapshots where extract(year from day) between $1 and $2 order by date_trunc('month', day), day, methodology_version desc`, [from, to],
  )).map((r) => ({ id: Number(r.id), day: r.day, from: r.period_from, to: r.period_to, version: r.methodology_version }))
}

/** The columns of the results' CSV: one row per body, snapshot and indicator. */
export const RESULT_COLUMNS = ['snapshot_day', 'methodology', 'agency', 'score', 'indicator', 'value', 'numerator', 'denominator', 'weight', 'points', 'corrected_by_dispute'] as const

/** The results of the monthly snapshots of some years, as rows of RESULT_COLUMNS (a body's score repeated on each of its indicators). */
export async function resultRows(db: Queryable, from: number, to: number): Promise<Array<Array<string | number | null>>> {
  const slugs = new Map((await agencyNames(db, 'ru')).map((a) => [a.id, a.slug]))
  const rows: Array<Array<string | number | null>> = [[...RESULT_COLUMNS]]
  for (const snapshot of await monthlySnapshots(db, from, to)) {
    for (const score of await snapshotScores(db, snapshot.id)) {
      for (const i of score.indicators) {
        rows.push([snapshot.day, snapshot.version, slugs.get(score.agencyId) ?? '', score.score, i.code, i.value, i.numerator, i.denominator, i.weight, i.points, i.correction?.dispute ?? null])
      }
    }
  }
  return rows
}

/** The name of a year's results in the catalog. */
export const resultsDatasetName = (year: number) => `openness-index-${year}`

const texts = (key: string, values: Record<string, string | number> = {}) => Object.fromEntries(LANGS.map((lang) => [lang, translate(lang, key, values)])) as MultilingualText

/**
 * Publishes or refreshes a year's results as a dataset of the catalog, by the body that publishes
 * them (the Commission's working body, ASHYQ_OPENNESS_PUBLISHER): the year's monthly results as CSV
 * and the methodology's versions as JSON. Returns the dataset's name, or null when that body is not
 * in the register.
 */
export async function keepResultsDataset(db: Db, files: FileStore, actor: Actor, publisher: string, year: number): Promise<string | null> {
  if (!(await agencyNames(db, 'ru')).some((a) => a.slug === publisher)) return null
  const csv = await files.save(Readable.from([`\ufeff${stringify(await resultRows(db, year, year))}`]))
  const methodology = await files.save(Readable.from([JSON.stringify({ versions: await methodologies(db) }, null, 2)]))
  const fields: DatasetFields = {
    name: resultsDatasetName(year), agencySlug: publisher,
    title: texts('openness.dataset.title', { year }), description: texts('openness.dataset.description', { year }),
    themeCode: 'gove', keywords: Object.fromEntries(LANGS.map((lang) => [lang, translate(lang, 'openness.dataset.keywords').split(',').map((k) => k.trim())])),
    licenceId: 'cc-by', frequency: 'monthly', temporalStart: `${year}-01-01`, temporalEnd: `${year}-12-31`, extras: { openness: String(year) },
  }
  const resources = [
    { fields: { name: texts('openness.dataset.results'), description: texts('openness.dataset.resultsDescription'), format: 'CSV', extras: { openness: 'results' } }, file: { ...csv, fileName: `${fields.name}.csv`, mediaType: 'text/csv' } },
    { fields: { name: texts('openness.dataset.methodology'), description: texts('openness.dataset.methodologyDescription'), format: 'JSON', extras: { openness: 'methodology' } }, file: { ...methodology, fileName: 'openness-methodology.json', mediaType: 'application/json' } },
  ]
  await db.transaction(async (tx) => {
    const existing = await findDataset(tx, fields.name).catch((error: unknown) => {
      if (error instanceof NotFound) return undefined
      throw error
    })
    const id = existing ? existing.id : await insertDataset(tx, actor, fields)
    if (existing) await changeDataset(tx, actor, existing.id, fields)
    const kept = existing ? (await resourcesOf(tx, [existing.id])).get(existing.id) ?? [] : []
    for (const { fields: resource, file } of resources) {
      const found = kept.find((r) => r.extras.openness === resource.extras.openness)
      if (found) await changeResource(tx, actor, found.id, resource, file)
      else await insertResource(tx, actor, id, resource, file)
    }
  })
  return fields.name
}

/** The results table's columns as the index's readers call them, in kk, ru and en. */
const COLUMN_TITLES: Record<(typeof RESULT_COLUMNS)[number], ColumnTitles[string]> = {
  snapshot_day: ['Кесінді күні', 'Дата среза', 'Snapshot day'],
  methodology: ['Әдістеме нұсқасы', 'Версия методики', 'Methodology version'],
  agency: ['Орган', 'Орган', 'Body'],
  score: ['Баға', 'Оценка', 'Score'],
  indicator: ['Көрсеткіш', 'Показатель', 'Indicator'],
  value: ['Мәні', 'Значение', 'Value'],
  numerator: ['Орындалғаны', 'Выполнено', 'Met'],
  denominator: ['Мерзімі келгені', 'Наступило', 'Fell due'],
  weight: ['Салмағы', 'Вес', 'Weight'],
  points: ['Ұпайы', 'Баллы', 'Points'],
  corrected_by_dispute: ['Түзеткен дау', 'Исправлено по возражению', 'Corrected by dispute'],
}

/** Titles the columns of the results' tables the datastore has loaded with a column untitled (a table's first load). Returns how many tables it titled. */
export async function titleResultsTables(db: Db): Promise<number> {
  let titled = 0
  const years = await db.query<{ year: number }>('select distinct extract(year from day)::int as year from openness_snapshots')
  for (const { year } of years) {
    const results = (await showDataset(db, resultsDatasetName(year)).catch(() => undefined))?.resources.find((r) => r.extras.openness === 'results')
    if (results && await titleColumns(db, SYSTEM_ACTOR, results.id, COLUMN_TITLES)) titled += 1
  }
  return titled
}
