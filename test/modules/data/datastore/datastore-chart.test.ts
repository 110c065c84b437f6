import { test } from 'node:test'
import assert from 'node:assert/strict'
import { replaceResourceFile } from '../../../helpers/factories.ts'
import { runDatastoreLoads } from '../../../../src/modules/data/datastore/ingest.ts'
import { appWithTable } from '../../../helpers/datastore.ts'
import { formatMonth } from '../../../../src/platform/i18n/index.ts'
import { chartSvg, isHorizontal, labelInterval, legendRows, wrapLabel } from '../../../../src/platform/charts/draw.ts'
import { formatCompactNumber } from '../../../../src/platform/i18n/index.ts'
import { signedInBrowser } from '../../../helpers/users.ts'
import { findDatastoreTable } from '../../../../src/modules/data/datastore/query.ts'
import { updateDictionary } from '../../../../src/modules/data/datastore/dictionary.ts'
import { SYSTEM_ACTOR } from '../../../../src/platform/audit/index.ts'

const CSV = `region;year;population;schools
Астана;2022;1350228;120
Астана;2023;1354556;131
Алматы;2022;2161819;210
Алматы;2023;2228675;214
Шымкент;2023;1176520;150
Ақтөбе;2023;590000;
`

const setup = () => appWithTable({ agency: 'stat', dataset: 'population', fileName: 'population.csv', content: CSV })

/** The numbers of the chart's accessible table: [category, ...values] per row. */
function chartNumbers(html: string): string[][] {
  const details = html.slice(html.indexOf('The chart’s numbers as a table'))
  const body = details.slice(details.indexOf('<tbody'), details.indexOf('</tbody>'))
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1]!.trim()))
}

test('a table gets a suggested chart drawn on the server as SVG, with its numbers as a table', async (t) => {
  const { app, path, close } = await setup()
  t.after(close)
  const page = await app.inject({ url: path })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h2 class="govuk-heading-m" id="chart">Chart<\/h2>/)
  const ids = [...page.body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'every id once (the chart form\'s fields too)')
  assert.equal((page.body.match(/<svg class="ashyq-chart__svg"/g) ?? []).length, 2, 'one drawing for phones, one for wider screens')
  // The suggestion: the first text column along the bottom, the first measure (not the year) summed,
  // regions in alphabetical order (Kazakh letters included).
  assert.match(page.body, /<figcaption[^>]*><strong>population by region<\/strong><\/figcaption>/)
  assert.deepEqual(chartNumbers(page.body), [['Ақтөбе', '590,000'], ['Алматы', '4,390,494'], ['Астана', '2,704,784'], ['Шымкент', '1,176,520']])
})

test('the visitor configures the chart: kind, columns, aggregate, and the table\'s filters apply', async (t) => {
  const { app, path, close } = await setup()
  t.after(close)
  const query = new URLSearchParams([['chart', 'line'], ['x', 'region'], ['y', 'population'], ['y', 'schools'], ['agg', 'max'], ['f.year', '2023']])
  const page = await app.inject({ url: `${path}?${query}` })
  assert.equal(page.statusCode, 200, page.body.slice(0, 500))
  assert.match(page.body, /<figcaption[^>]*><strong>population, schools, largest by region<\/strong><\/figcaption>/)
  assert.deepEqual(chartNumbers(page.body), [
    ['Ақтөбе', '590,000', ''],
    ['Алматы', '2,228,675', '214'],
    ['Астана', '1,354,556', '131'],
    ['Шымкент', '1,176,520', '150'],
  ])
  // ECharts drew two lines: one path per series, each in its own colour and its own dash.
  assert.match(page.body, /stroke="#1d70b8"/)
  assert.match(page.body, /stroke="#b54d00"/)
  assert.match(page.body, /stroke-dasharray/, 'the second line is dashed, not told by colour alone')
  // The form keeps the filter, so the chart counts the rows the table shows.
  assert.match(page.body, /<input type="hidden" name="f.year" value="2023">/)

  const counted = await app.inject({ url: `${path}?chart=bar&x=year&agg=count` })
  assert.deepEqual(chartNumbers(counted.body), [['2022', '2'], ['2023', '4']])
  assert.match(counted.body, /Number of rows by year/)

  const wrong = await app.inject({ url: `${path}?chart=bar&x=region&y=region` })
  assert.equal(wrong.statusCode, 400)
  assert.match(wrong.body, /govuk-error-summary/)
  assert.match(wrong.body, /“region” is not a number column/)
  assert.match(wrong.body, /href="#y"/)
  assert.match(wrong.body, /<table class="govuk-table ashyq-data-table">/, 'the table still shows')
})

test('in the visually impaired version with dark contrast the chart is drawn in light colours on black, each series in its own hue as in the usual version', async (t) => {
  const { app, path, close } = await setup()
  t.after(close)
  const page = await app.inject({ url: `${path}?chart=bar&x=region&y=population`, cookies: { ashyq_a11y: 'on.larger.dark.show.normal' } })
  assert.match(page.body, /fill="#85c1ff"/, 'the first series light blue, as it is blue in the usual version')
  assert.doesNotMatch(page.body, /fill="#1d70b8"/)
  assert.match(page.body, /font-size="28px"|font-size="28"/, 'the chart\'s text as large as the page\'s largest type')
})

test('an editor saves a chart as the one shown first; a new file with other columns falls back to the suggestion', async (t) => {
  const { app, db, files, path, resourceId, close } = await setup()
  t.after(close)
  const editor = await signedInBrowser(app, db, 'agency-editor', 'stat')
  const page = await editor.get(`${path}?chart=line&x=year&y=schools&agg=sum`)
  assert.match(page.body, /Show this chart first to everyone/)
  const anonymous = await app.inject({ url: path })
  assert.doesNotMatch(anonymous.body, /Show this chart first/)

  const saved = await editor.post(`${path}/chart`, { chart: 'line', x: 'year', y: 'schools', agg: 'sum' }, { from: path })
  assert.equal(saved.statusCode, 303, saved.body)
  const shown = await app.inject({ url: path })
  assert.match(shown.body, /<figcaption[^>]*><strong>schools by year<\/strong><\/figcaption>/)
  const [audit] = await db.query<{ n: number }>("select count(*)::int as n from audit_log where action = 'datastore.chart'")
  assert.equal(audit?.n, 1)

  const refused = await editor.post(`${path}/chart`, { chart: 'line', x: 'nothing', y: 'schools' }, { from: path })
  assert.equal(refused.statusCode, 400)

  const visitor = await app.inject({ method: 'POST', url: `${path}/chart`, payload: { chart: 'bar', x: 'region', y: 'population' } })
  assert.ok([403, 401, 303].includes(visitor.statusCode))
  assert.match((await app.inject({ url: path })).body, /schools by year/, 'a visitor cannot change it')

  // The publisher replaces the file: no "schools" column any more.
  await replaceResourceFile(db, files, resourceId, 'p.csv', 'region,population\nАстана,1\n')
  await runDatastoreLoads({ db, files })
  assert.match((await app.inject({ url: path })).body, /<figcaption[^>]*><strong>population by region<\/strong><\/figcaption>/)

  const cleared = await editor.post(`${path}/chart`, { clear: '1' }, { from: path })
  assert.equal(cleared.statusCode, 303)
  const [row] = await db.query<{ chart: unknown }>('select default_chart as chart from data_datastore where resource_id = $1', [resourceId])
  assert.equal(row?.chart, null)
})

test('the dataset page previews its first table: the chart, the first rows, and a link to the whole table', async (t) => {
  const { app, path, close } = await setup()
  t.after(close)
  const page = await app.inject({ url: '/en/data/datasets/population' })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h2 class="govuk-heading-m" id="preview">Preview: population.csv<\/h2>/)
  assert.match(page.body, /<figcaption[^>]*><strong>population by region<\/strong><\/figcaption>/)
  assert.match(page.body, /The first 5 rows/)
  assert.match(page.body, /1,350,228/)
  const preview = /The first 5 rows[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? ''
  assert.doesNotMatch(preview, /590,000/, 'only the first rows')
  // Every number the chart draws is there as text too, as on the table's own page.
  assert.match(page.body, /The chart’s numbers as a table/)
  assert.ok(chartNumbers(page.body).some((row) => row.includes('590,000')), 'the chart\'s numbers include what the preview leaves out')
  assert.match(page.body, new RegExp(`href="${path}">Open the whole table \\(6 rows\\)`))
})

test('a chart\'s categories are the column\'s values as written; only timestamps lose ISO\'s T', async (t) => {
  const { app, path, close } = await appWithTable({ agency: 'eco', dataset: 'air', fileName: 'air.csv', content: 'station;measured_at;pm25\nTurksib;2024-05-01T10:00:00;114\nMedeu;2024-05-01T11:00:00;41\n' })
  t.after(close)
  const byStation = await app.inject({ url: `${path}?chart=bar&x=station&y=pm25` })
  assert.deepEqual(chartNumbers(byStation.body), [['Medeu', '41'], ['Turksib', '114']])
  const byTime = await app.inject({ url: `${path}?chart=line&x=measured_at&y=pm25` })
  assert.deepEqual(chartNumbers(byTime.body).map((row) => row[0]), ['2024-05-01 10:00:00', '2024-05-01 11:00:00'])
})

test('a chart adapts: many or long names lie as bars on their side, in full and wrapped at words; axis numbers are shortened in the reader\'s language; the policy blocks nothing of it', async () => {
  const regions = ['Абай облысы', 'Ақмола облысы', 'Ақтөбе облысы', 'Алматы қаласы', 'Алматы облысы', 'Астана қаласы', 'Атырау облысы', 'Батыс Қазақстан облысы', 'Жамбыл облысы']
  const spec = { type: 'bar' as const, x: 'region', y: ['population'], agg: 'sum' as const }
  const data = { categories: regions, series: [{ id: 'population', values: regions.map((_, i) => 500_000 + i * 250_000) }], more: false }
  const look = { width: 360, height: 320, contrast: 'normal' as const, fontSize: 14, seriesName: (id: string) => id, formatCompact: (v: number) => formatCompactNumber('ru', v) }
  assert.equal(isHorizontal(spec, data), true, 'nine regions')
  assert.equal(isHorizontal(spec, { ...data, categories: ['Астана', 'Алматы'], series: [{ id: 'population', values: [1, 2] }] }), false, 'two short names stand side by side')
  assert.equal(isHorizontal(spec, { ...data, categories: ['Батыс Қазақстан облысы', 'Астана'], series: [{ id: 'population', values: [1, 2] }] }), true, 'a long name')
  const districts = { ...data, categories: ['Medeu', 'Almaly', 'Bostandyk', 'Auezov', 'Turksib', 'Zhetysu'], series: [{ id: 'pm25', values: [1, 2, 3, 4, 5, 6] }] }
  assert.equal(isHorizontal(spec, districts, { width: 1000, fontSize: 16 }), false, 'six districts side by side on a wide screen')
  assert.equal(isHorizontal(spec, districts, { width: 330, fontSize: 24 }), true, 'on a phone in the largest type their names would run into each other')

  const svg = await chartSvg(spec, data, look)
  const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
  for (const region of regions) assert.ok(texts.some((text) => region.startsWith(text!)), `${region} is written out`)
  assert.ok(!texts.some((text) => text!.includes('…')), 'no name is cut short')
  assert.ok(texts.includes(formatCompactNumber('ru', 1_000_000)), `numbers shortened ("1 млн"): ${texts.join(' | ')}`)
  const height = Number(/viewBox="0 0 360 (\d+)"/.exec(svg)?.[1])
  assert.ok(height > 9 * 30, `the drawing grows down a row a region (${height}px)`)
  assert.doesNotMatch(svg, /\sstyle="|<style/, 'nothing for the Content-Security-Policy to block')
  assert.match(svg, /^<svg class="ashyq-chart__svg" focusable="false" aria-hidden="true"/, 'sized by its container, hidden from screen readers (the numbers are beside it)')

  assert.deepEqual(wrapLabel('Западно-Казахстанская область', 14), ['Западно-', 'Казахстанская', 'область'])
  assert.deepEqual(wrapLabel('город Астана', 14), ['город Астана'])
  assert.equal(formatCompactNumber('kk', 2_500_000), '2,5\u00a0млн')
  assert.equal(formatCompactNumber('en', 2_500_000), '2.5m')
})

test('a chart is drawn once for a table\'s version, language and look; any change to the table (here a column\'s title) draws it again', async (t) => {
  const { app, db, path, resourceId, close } = await setup()
  t.after(close)
  // Each aggregate the charts read from the table, counted.
  let aggregates = 0
  const readOnly = db.readOnly.bind(db)
  db.readOnly = (settings, fn) => readOnly(settings, (tx) => fn({
    ...tx,
    query: tx.query.bind(tx),
    queryText: (sql: string, params?: unknown[]) => {
      if (/group by/i.test(sql)) aggregates++
      return tx.queryText(sql, params as never)
    },
  } as typeof tx))
  const first = (await app.inject({ url: path })).body
  assert.equal(aggregates, 1)
  assert.equal((await app.inject({ url: path })).body.match(/<svg[\s\S]*?<\/svg>/)?.[0], first.match(/<svg[\s\S]*?<\/svg>/)?.[0])
  assert.equal(aggregates, 1, 'the same page again: drawn from what was kept')
  await app.inject({ url: path.replace('/en/', '/ru/') })
  assert.equal(aggregates, 2, 'another language: drawn for it')

  const table = await findDatastoreTable(db, resourceId)
  await updateDictionary(db, SYSTEM_ACTOR, resourceId, table.fields.map((f) => ({ type: f.type, title: f.id === 'region' ? { en: 'Oblast' } : f.title, description: f.description })))
  const retitled = (await app.inject({ url: path })).body
  assert.match(retitled, /population by Oblast/, 'the new title at once')
  assert.equal(aggregates, 3)
  await updateDictionary(db, SYSTEM_ACTOR, resourceId, table.fields.map((f) => ({ type: f.type, title: f.title, description: f.description })))
  const again = (await app.inject({ url: path })).body
  assert.match(again, /population by region/)
  assert.deepEqual(chartNumbers(again), chartNumbers(first))
})

test('a legend that does not fit the width takes rows of its own, which the drawing leaves room for', async () => {
  const names = ['Поступило', 'Отвечено', 'Вовремя']
  assert.equal(legendRows(names, { width: 760, fontSize: 14 }), 1)
  assert.equal(legendRows(names, { width: 360, fontSize: 22 }), 3, 'a phone in the largest type: one a row')
  assert.equal(legendRows(['received', 'answered', 'on time'], { width: 360, fontSize: 14 }), 1, 'Latin letters are narrower')
  const data = { categories: ['Астана', 'Алматы'], series: names.map((id, i) => ({ id, values: [i + 1, i + 2] })) }
  const look = { width: 360, height: 320, contrast: 'dark' as const, fontSize: 22, seriesName: (id: string) => id, formatCompact: (v: number) => String(v) }
  const svg = await chartSvg({ type: 'bar' }, data, look)
  // The plot starts below the legend's last row: the highest number of the axis lies below the last name of the legend.
  const yOf = (anchor: string) => [...svg.matchAll(new RegExp(`<text[^>]*text-anchor="${anchor}"[^>]*translate\\([\\d.]+ ([\\d.]+)\\)`, 'g'))].map((m) => Number(m[1]))
  const legendBottom = Math.max(...yOf('start')) + 22
  const plotTop = Math.min(...yOf('end'))
  assert.equal(yOf('start').length, 3, 'three names in the legend')
  assert.ok(plotTop > legendBottom, `the plot begins at ${plotTop}, the legend ends at ${legendBottom}`)
})

test('twelve months on a phone in the largest type: every second or third month is named, so that no two names touch; bars keep every name', async () => {
  const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'].map((m) => formatMonth('ru', m))
  const data = { categories: months, series: [{ id: 'a', values: months.map((_, i) => i) }, { id: 'b', values: months.map((_, i) => 12 - i) }] }
  const named = (svg: string) => months.filter((m) => svg.includes(`>${m.split(' ')[0]}<`) || svg.includes(`>${m}<`)).length
  const phone = await chartSvg({ type: 'line' }, data, { width: 290, height: 320, contrast: 'light', fontSize: 24, seriesName: (id) => id, formatCompact: String })
  assert.ok(named(phone) >= 2 && named(phone) <= 6, `${named(phone)} months named on a phone`)
  assert.ok(labelInterval(months.map((m) => wrapLabel(m, 7)), { fontSize: 24 }, 200) >= 3)
  assert.equal(labelInterval(months.map((m) => [m]), { fontSize: 14 }, 2000), 0, 'all named when there is room')
  const desk = await chartSvg({ type: 'line' }, data, { width: 760, height: 420, contrast: 'normal', fontSize: 19, seriesName: (id) => id, formatCompact: String })
  assert.ok(named(desk) > named(phone))
  assert.match(desk, /stroke-dasharray/, 'the second series dashed')
})
