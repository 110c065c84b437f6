import type { Db } from '../../../platform/db/index.ts'
import { quoteIdentifier } from '../../../platform/db/index.ts'
import { recordChange, type Actor } from '../../../platform/audit/index.ts'
import { ValidationError, type FieldError } from '../../../platform/http/index.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { COLUMN_TYPES, SQL_TYPES, type ColumnType } from './detect.ts'
import { liveTable, type DatastoreField } from './ingest.ts'
import { findDatastoreTable } from './query.ts'

/** What a publisher says about one column: its type, and its title and description in kk/ru/en. */
export interface ColumnChange {
  type: ColumnType
  title: MultilingualText
  description: MultilingualText
}

const TITLE_MAX = 200
const DESCRIPTION_MAX = 2000

/**
 * Changes a table's data dictionary: titles and descriptions, and column types (the values are
 * converted; when one does not fit the new type, nothing changes and the form says which value).
 * Changes is indexed like the table's columns.
 */
export async function updateDictionary(db: Db, actor: Actor, resourceId: string, changes: readonly ColumnChange[]): Promise<void> {
  const table = await findDatastoreTable(db, resourceId)
  const problems: FieldError[] = []
  changes.forEach((change, i) => {
    if (!COLUMN_TYPES.includes(change.type)) problems.push({ field: `c${i}.type`, messageKey: 'data.datastore.dictionary.type' })
    for (const [lang, text] of Object.entries(change.title)) if ((text?.length ?? 0) > TITLE_MAX) problems.push({ field: `c${i}.title.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: TITLE_MAX } })
    for (const [lang, text] of Object.entries(change.description)) if ((text?.length ?? 0) > DESCRIPTION_MAX) problems.push({ field: `c${i}.description.${lang}`, messageKey: 'platform.validation.maxLength', values: { limit: DESCRIPTION_MAX } })
  })
  if (changes.length !== table.fields.length) problems.push({ field: 'columns', messageKey: 'data.datastore.dictionary.stale' })
  if (problems.length > 0) throw new ValidationError(problems)

  await db.transaction(async (tx) => {
    const [locked] = await tx.query<{ fields: DatastoreField[] }>('select fields from data_datastore where resource_id = $1 and active for update', [resourceId])
    // The table was loaded again since the form was shown: its columns may be others.
    if (!locked || JSON.stringify(locked.fields.map((f) => f.id)) !== JSON.stringify(table.fields.map((f) => f.id))) {
      throw new ValidationError([{ field: 'columns', messageKey: 'data.datastore.dictionary.stale' }])
    }
    await tx.query(`select set_config('datestyle', 'ISO, DMY', true)`)
    const after: DatastoreField[] = []
    for (const [i, field] of locked.fields.entries()) {
      const change = changes[i]!
      if (change.type !== field.type) {
        const column = quoteIdentifier(field.id)
        try {
          await tx.query(`alter table ${liveTable(resourceId)} alter column ${column} type ${SQL_TYPES[change.type]}
            using nullif(btrim(${column}::text), '')::${SQL_TYPES[change.type]}`)
        } catch (error) {
          const value = /: "(.*)"$/s.exec((error as Error).message)?.[1] ?? ''
          throw new ValidationError([{ field: `c${i}.type`, messageKey: `data.datastore.query.notA.${change.type}`, values: { value } }])
        }
      }
      // What a CKAN client keeps in the column's info beyond label and notes stays.
      after.push({ id: field.id, type: change.type, title: cleanMultilingual(change.title), description: cleanMultilingual(change.description), ...(field.info ? { info: field.info } : {}) })
    }
    // jsonb hands keys back in its own order: compare like with like.
    const before = locked.fields.map((f) => ({ id: f.id, type: f.type, title: cleanMultilingual(f.title), description: cleanMultilingual(f.description), ...(f.info ? { info: f.info } : {}) }))
    if (JSON.stringify(after) === JSON.stringify(before)) return
    await tx.query('update data_datastore set fields = $2 where resource_id = $1', [resourceId, JSON.stringify(after)])
    await recordChange(tx, actor, { action: 'datastore.dictionary', entity: 'dataset', entityId: table.datasetId, before: { resourceId, fields: before }, after: { resourceId, fields: after } })
  })
}

/** Column titles in Kazakh, Russian and English, by the column's name in the table. */
export type ColumnTitles = Readonly<Record<string, readonly [kk: string, ru: string, en: string]>>

/**
 * Gives a loaded table's columns the titles named for them, keeping their types and descriptions;
 * a column not named keeps its own. Unless `always`, only a table with a column still untitled in
 * some language (its first load: a reload keeps the titles). Returns whether it changed the table.
 */
export async function titleColumns(db: Db, actor: Actor, resourceId: string, titles: ColumnTitles, { always = false } = {}): Promise<boolean> {
  const table = await findDatastoreTable(db, resourceId).catch(() => undefined)
  if (!table || !table.fields.some((f) => titles[f.id])) return false
  if (!always && table.fields.every((f) => (['kk', 'ru', 'en'] as const).every((lang) => f.title[lang]))) return false
  await updateDictionary(db, actor, resourceId, table.fields.map((f) => {
    const named = titles[f.id]
    return { type: f.type, title: named ? { kk: named[0], ru: named[1], en: named[2] } : f.title, description: f.description }
  }))
  return true
}
