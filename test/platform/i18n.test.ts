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

test('a number the English message counts is a number in Kazakh and Russian too, grouped as their readers write it ("2 400", not "2400")', () => {
  const { catalogs } = new I18n()
  const plain: string[] = []
  for (const lang of ['kk', 'ru'] as const) {
    for (const [key, source] of Object.entries(catalogs.en)) {
      const text = catalogs[lang][key]
      if (!text) continue
      for (const [, name] of source.matchAll(/\{(\w+), (?:plural|number|selectordinal)/g)) {
        if (text.includes(`{${name}}`)) plain.push(`${lang} ${key}: {${name}}`)
      }
    }
  }
  assert.deepEqual(plain, [])
  assert.match(new I18n().t('kk', 'dialogue.petitions.progress', { count: 2400, needed: '2 210' }), /^Қажетті 2 210 қолдың 2\s400 қолы жиналды$/)
})

test('every message formats in every language (ICU syntax, angle brackets taken as text)', () => {
  const i18n = new I18n()
  for (const lang of ['kk', 'ru', 'en'] as const) {
    for (const key of Object.keys(i18n.catalogs[lang])) {
      const text = i18n.t(lang, key, { count: 2, limit: 10, page: 1, pages: 2, date: '1 Jan', name: 'X', q: 'query', type: 'integer', allowed: 'a, b', format: 'email', keyword: 'k', days: 3, views: 1, downloads: 2, apiCalls: 3, field: 'f', entity: 'e', key: 'k', action: 'a', title: 'T', reason: 'r', columns: 'c', line: 2, column: 'c', created: 1, updated: 2, unchanged: 3, withdrawn: 4, failed: 5, hours: 6, kind: 'ZIP', row: 7, limitMb: 16, percent: 40, rows: '1 000', from: 1, to: 50, total: 120, value: 'v', max: 100, method: 'update', seconds: 10, detail: 'd', position: 3, table: 't', sheet: 's', sheets: 'a, b', measured: 'm', by: 'b', lat: 'lat', lon: 'lon', cost: 5, param: 'q', params: 'colour', keyLimit: 100, valueLimit: 10000, bytes: 20000, email: 'a@b.kz', role: 'r', facet: 'f', year: 2026, link: 'http://x', pending: 1, sent: 2, text: 'x', note: 'n', for: 1, against: 2, id: 4, start: 's', end: 'e', num: '3', number: 2, previous: 1, latest: 3, accepted: 1, partly: 2, rejected: 3, due: 'd', changed: 1, added: 2, removed: 3, proposals: 4, answersDue: 'd', adoptedOn: 'd', unit: 'para_1', version: 1, decision: 'y', agency: 'a', published: 3, answered: 1, megabytes: 20, n: 1, forward: 'f', after: 'a', answer: 'x', time: '15:00', found: 'EXE', question: 'q', site: 'https://x', minutes: 60, state: 's', ballots: 3, options: 'a; b', region: 'Алматы қаласы', today: '2026-12-04', needed: '50 000', until: 'u', first: 'f', last: 'l', share: '5 %', hour: 'h', median: 2, joined: 1, code: '04', budget: 'b', node: 'n', plan: '1,0', executed: '0,5', period: 'p', elapsed: '50 %', territory: 't', met: 1, population: '1 000', source: 's', comments: 2, earliest: 'x', body: 'b', limitKb: 1024, measure: 'm', currency: 'USD', phase: 'proposed', dimension: 'd', attribute: 'a', resource: 'r', path: 'p', language: 'in Kazakh', languages: 'in Kazakh', size: '1 MB', amount: '1 150', replaced: 3, problem: 'p', situation: '00101', sphere: '001', slug: 's', indicator: 'i', points: 5, numerator: 1, denominator: 2, theme: 't', before: 1, outcome: 'o', closes: 'c', score: 5, average: 1, change: '+1', months: 2, onTime: '5 %', overdue: 1, forwarded: 1, meetings: 1, hearings: 2, recommendations: 3, open: 1, received: 1 })
      assert.notEqual(text, key, `${lang} ${key}`)
    }
  }
  assert.match(i18n.t('en', 'platform.auth.tokens.lead'), /Bearer <token>/)
})

// What a Kazakh or Russian text writes in Latin letters on purpose: products and formats by their
// names (Excel, Word, Solr, Turtle, Natural Earth, Akoma Ntoso), and what a person types or reads
// literally: parameters, values, headers, examples of addresses.
const NAMES_AND_CODE = new Set([
  'Word', 'Excel', 'Python', 'Windows', 'Unix', 'Solr', 'Turtle', 'Action', 'Feature', 'Natural', 'Earth', 'Akoma', 'Ntoso', 'Atom', 'Bearer', 'Authorization',
  'Accept', 'Language', 'application', 'json', 'https', 'http', 'adilet', 'zan', 'kz', 'kk', 'ru', 'en', 'ckanapi', 'cookie', 'ics', 'xlsx', 'q', 'count',
  'sort', 'asc', 'desc', 'distinct', 'true', 'false', 'year', 'organization', 'dataset', 'ministry', 'of', 'finance', 'population', 'by', 'region',
  'expense', 'revenue', 'approved', 'adjusted', 'executed',
  // A Fiscal Data Package's descriptor, by its keys and values as the specification writes them.
  'Fiscal', 'Data', 'Package', 'zip', 'datapackage', 'resources', 'name', 'path', 'model', 'measures', 'source', 'direction', 'expenditure',
  'factor', 'constant', 'code', 'parent', 'language',
  // The register's CSV values, typed as they are (egov.kz is the e-government portal's name).
  'egov', 'individual', 'business', 'service_centre', 'body',
  // The text format the site's forms take.
  'Markdown',
])

test('Kazakh and Russian messages read as those languages: no English word, no doubled full stop, a date in the case its postposition needs', async () => {
  const { formatDate } = await import('../../src/platform/i18n/index.ts')
  const i18n = new I18n()
  const MONTHS_KK = 'қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан'
  const nominativeBefore = new RegExp(`(${MONTHS_KK})\\s+(дейін|бастап|кейін|кешіктірмей)`)
  const dated = ['date', 'due', 'end', 'start', 'to', 'from', 'after', 'earliest', 'answersDue', 'adoptedOn', 'forward', 'limit', 'previous', 'latest']
  const problems: string[] = []
  for (const lang of ['kk', 'ru'] as const) {
    const words = { kk: 'мәтін', ru: 'текст' }[lang]
    const sample = (name: string) => (dated.includes(name) ? formatDate(lang, '2026-12-04') : ['count', 'number', 'id', 'days', 'n', 'total', 'page', 'pages', 'max', 'min'].includes(name) ? 2 : words)
    for (const [key, message] of Object.entries(i18n.catalogs[lang])) {
      const values = Object.fromEntries([...String(message).matchAll(/\{(\w+)/g)].map(([, name]) => [name, sample(name!)]))
      const text = i18n.t(lang, key, values).replace(/https?:\/\/\S+|\S+@\S+\.\S+|\/[\w./{}-]+/g, '')
      const latin = text.match(/\b[A-Za-z]?[a-z]+\b/g)?.filter((word) => !NAMES_AND_CODE.has(word))
      if (latin?.length) problems.push(`${lang} ${key}: English ${latin.join(', ')}: ${text}`)
      if (/(?<!\.)\.\.(?!\.)/.test(text)) problems.push(`${lang} ${key}: a doubled full stop: ${text}`)
      if (lang === 'kk' && nominativeBefore.test(text)) problems.push(`${lang} ${key}: a month in the nominative before a postposition: ${text}`)
    }
  }
  assert.deepEqual(problems, [])
})

test('a Kazakh date or name takes the case its sentence needs, by vowel harmony and its last sound', async () => {
  const { kazakhCase } = await import('../../src/platform/i18n/kazakh.ts')
  const { formatDate } = await import('../../src/platform/i18n/index.ts')
  // Each row: the phrase, then its dative, ablative, locative and attributive.
  const TABLE: Array<[string, string, string, string, string]> = [
    ['4 желтоқсан', '4 желтоқсанға', '4 желтоқсаннан', '4 желтоқсанда', '4 желтоқсандағы'],
    ['1 қаңтар', '1 қаңтарға', '1 қаңтардан', '1 қаңтарда', '1 қаңтардағы'],
    ['9 сәуір', '9 сәуірге', '9 сәуірден', '9 сәуірде', '9 сәуірдегі'],
    ['2 маусым', '2 маусымға', '2 маусымнан', '2 маусымда', '2 маусымдағы'],
    ['6 шілде', '6 шілдеге', '6 шілдеден', '6 шілдеде', '6 шілдедегі'],
    ['1 қыркүйек', '1 қыркүйекке', '1 қыркүйектен', '1 қыркүйекте', '1 қыркүйектегі'],
    ['30 қараша', '30 қарашаға', '30 қарашадан', '30 қарашада', '30 қарашадағы'],
    ['Денсаулық сақтау министрлігі', 'Денсаулық сақтау министрлігіне', 'Денсаулық сақтау министрлігінен', 'Денсаулық сақтау министрлігінде', 'Денсаулық сақтау министрлігіндегі'],
    ['Алматы қаласының әкімдігі', 'Алматы қаласының әкімдігіне', 'Алматы қаласының әкімдігінен', 'Алматы қаласының әкімдігінде', 'Алматы қаласының әкімдігіндегі'],
  ]
  for (const [phrase, dative, ablative, locative, attributive] of TABLE) {
    assert.deepEqual(['dative', 'ablative', 'locative', 'attributive'].map((c) => kazakhCase(phrase, c as never)), [dative, ablative, locative, attributive], phrase)
  }
  assert.equal(formatDate('kk', '2026-12-04'), '2026 жылғы 4 желтоқсан')
  assert.equal(formatDate('ru', '2026-12-04'), '4 декабря 2026 года')
  const i18n = new I18n()
  assert.equal(i18n.t('kk', 'dialogue.queue.answerBy', { date: formatDate('kk', '2026-12-04') }), 'жауап 2026 жылғы 4 желтоқсанға дейін')
  assert.match(i18n.t('kk', 'dialogue.mail.received.body', { number: 16, agency: 'Денсаулық сақтау министрлігі', due: formatDate('kk', '2026-12-24'), link: 'x' }), /^Денсаулық сақтау министрлігіне № 16 сұрағыңыз қабылданды\.\nЖауап — 2026 жылғы 24 желтоқсаннан кешіктірмей\./)
})
