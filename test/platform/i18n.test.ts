import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { I18n, findLocaleDirs, loadCatalogs, missingKeys, negotiateLang, formatNumber } from '../../src/platform/i18n/index.ts'
import { completeness, localize } from '../../src/platform/i18n/multilingual.ts'

test('every message key exists in Kazakh, Russian and English', () => {
  const dirs = findLocaleDirs()
  assert.ok(dirs.some((d) => d.endsWith(path.join('platform', 'locales'))), 'the platform catalog is found')
  assert.ok(dirs.some((d) => d.endsWith(path.join('agencies', 'locales'))), 'module catalogs are found')
  assert.deepEqual(missingKeys(loadCatalogs(dirs)), [])
})

test('a key missing in one language is reported', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ashyq-i18n-'))
  const locales = path.join(dir, 'locales')
  mkdirSync(locales)
  writeFileSync(path.join(locales, 'kk.json'), JSON.stringify({ m: { a: 'А', b: 'Б' } }))
  writeFileSync(path.join(locales, 'ru.json'), JSON.stringify({ m: { a: 'А' } }))
  writeFileSync(path.join(locales, 'en.json'), JSON.stringify({ m: { a: 'A', b: 'B' } }))
  assert.deepEqual(missingKeys(loadCatalogs(findLocaleDirs(dir))), [{ lang: 'ru', key: 'm.b' }])
})

test('Accept-Language picks kk, ru or en, and Kazakh when nothing matches', () => {
  assert.equal(negotiateLang(undefined), 'kk')
  assert.equal(negotiateLang('ru-RU,ru;q=0.9'), 'ru')
  assert.equal(negotiateLang('en-GB,en;q=0.8'), 'en')
  assert.equal(negotiateLang('fr-FR, de;q=0.9'), 'kk')
  assert.equal(negotiateLang('fr, en;q=0.5, ru;q=0.7'), 'ru')
})

test('plurals follow each language', () => {
  const i18n = new I18n()
  assert.equal(i18n.t('ru', 'agencies.list.found', { count: 1 }), 'Найден 1 государственный орган')
  assert.equal(i18n.t('ru', 'agencies.list.found', { count: 3 }), 'Найдено 3 государственных органа')
  assert.equal(i18n.t('ru', 'agencies.list.found', { count: 25 }), 'Найдено 25 государственных органов')
  assert.equal(i18n.t('en', 'agencies.list.found', { count: 1 }), '1 state body found')
  assert.equal(i18n.t('kk', 'agencies.list.found', { count: 5 }), '5 мемлекеттік орган табылды')
})

test('numbers are formatted per language', () => {
  assert.equal(formatNumber('en', 1234567.5), '1,234,567.5')
  assert.equal(formatNumber('ru', 1234567.5), '1\u00a0234\u00a0567,5')
})

test('a multilingual value falls back to another language and says so', () => {
  assert.deepEqual(localize({ kk: 'Қаржы', ru: 'Финансы' }, 'ru'), { text: 'Финансы', lang: 'ru', fallback: false })
  assert.deepEqual(localize({ kk: 'Қаржы', ru: 'Финансы' }, 'en'), { text: 'Финансы', lang: 'ru', fallback: true })
  assert.deepEqual(localize({ en: 'Finance', ru: ' ' }, 'ru'), { text: 'Finance', lang: 'en', fallback: true })
  assert.equal(localize({}, 'kk'), undefined)
})

test('completeness is measured per language', () => {
  const result = completeness([{ kk: 'а', ru: 'б', en: 'c' }, { kk: 'а', ru: '' }, { ru: 'б' }, null])
  assert.deepEqual(result, { kk: 0.5, ru: 0.5, en: 0.25 })
})

test('every message formats in every language (ICU syntax, angle brackets taken as text)', () => {
  const i18n = new I18n()
  for (const lang of ['kk', 'ru', 'en'] as const) {
    for (const key of Object.keys(i18n.catalogs[lang])) {
      const text = i18n.t(lang, key, { count: 2, limit: 10, page: 1, pages: 2, date: '1 Jan', name: 'X', q: 'query', type: 'integer', allowed: 'a, b', format: 'email', keyword: 'k', days: 3, views: 1, downloads: 2, apiCalls: 3, field: 'f', entity: 'e', key: 'k', action: 'a', title: 'T', reason: 'r', columns: 'c', line: 2, column: 'c', created: 1, updated: 2, unchanged: 3, withdrawn: 4, failed: 5, hours: 6, kind: 'ZIP', row: 7, limitMb: 16, percent: 40, rows: '1 000', from: 1, to: 50, total: 120, value: 'v', max: 100, method: 'update', seconds: 10, detail: 'd', position: 3, table: 't', sheet: 's', sheets: 'a, b', measured: 'm', by: 'b', lat: 'lat', lon: 'lon', cost: 5, param: 'q', params: 'colour', keyLimit: 100, valueLimit: 10000, bytes: 20000, email: 'a@b.kz', role: 'r', facet: 'f', year: 2026, link: 'http://x', pending: 1, sent: 2, text: 'x', note: 'n', for: 1, against: 2, id: 4, start: 's', end: 'e', num: '3', number: 2, previous: 1, latest: 3, earliest: 'x', accepted: 1, partly: 2, rejected: 3, due: 'd', changed: 1, added: 2, removed: 3, proposals: 4, answersDue: 'd', adoptedOn: 'd', unit: 'para_1', version: 1, decision: 'y', agency: 'a', published: 3, answered: 1, megabytes: 20, n: 1, forward: 'f', after: 'a', answer: 'x', time: '15:00', found: 'EXE', question: 'q', site: 'https://x' })
      assert.notEqual(text, key, `${lang} ${key}`)
    }
  }
  assert.match(i18n.t('en', 'platform.auth.tokens.lead'), /Bearer <token>/)
})
