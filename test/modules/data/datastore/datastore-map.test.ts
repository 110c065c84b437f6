import { test } from 'node:test'
import assert from 'node:assert/strict'
import { appWithTable } from '../../../helpers/datastore.ts'
import { mapSvgs, scaleLength, viewOf } from '../../../../src/platform/maps/kazakhstan.ts'
import { suggestedChart } from '../../../../src/modules/data/datastore/chart.ts'
import type { DatastoreTable } from '../../../../src/modules/data/datastore/query.ts'

const setup = (fileName: string, content: string) => appWithTable({ agency: 'eco', dataset: 'places', fileName, content })

/** The wide drawing of the map section. */
function wideMap(html: string): string {
  const section = html.slice(html.indexOf('id="map"'))
  const wide = section.slice(section.indexOf('ashyq-chart__drawing--wide'))
  return wide.slice(0, wide.indexOf('</svg>'))
}

// The scatter's points are drawn in the place colour (GOV.UK red), nothing else is.
const placesDrawn = (svg: string) => (svg.match(/fill="#d4351c"/g) ?? []).length

test('a table with latitude and longitude gets a map of its places over Kazakhstan\'s outline, drawn on the server', async (t) => {
  const csv = `station;lat;lon;pm25
Медеу;43.2;76.95;40
Алмалы;43.25;76.93;55
Астана;51.13;71.43;12
Париж;48.85;2.35;20
Без места;;;30
`
  const { app, path, close } = await setup('stations.csv', csv)
  t.after(close)
  const page = await app.inject({ url: path })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h2 class="govuk-heading-m" id="map">Map<\/h2>/)
  assert.match(page.body, /<strong>3 places from the table<\/strong> \(columns lat and lon;/)
  assert.match(page.body, /2 rows have no place on this map/)
  assert.match(page.body, /Natural Earth/)
  const svg = wideMap(page.body)
  assert.equal(placesDrawn(svg), 3)
  assert.ok(svg.length > 5_000, 'the outline is drawn')
  // Kazakhstan's regions (Natural Earth admin-1: 14 regions, Almaty and Astana) have borders of their own.
  assert.ok((svg.match(/stroke="#b1b4b6"/g) ?? []).length >= 16, 'the regions are drawn')
  // Places are numbered on both drawings and listed by their numbers beside the map (the map in words).
  const section = page.body.slice(page.body.indexOf('id="map"'))
  const narrow = section.slice(section.indexOf('ashyq-chart__drawing--narrow'))
  for (const drawing of [svg, narrow.slice(0, narrow.indexOf('</svg>'))]) {
    for (const n of ['1', '2', '3']) assert.match(drawing, new RegExp(`>${n}</text>`), `place ${n} is numbered`)
    // A scale bar, and the country's largest cities for context.
    assert.match(drawing, />\d+ km<\/text>/)
    assert.match(drawing, />Almaty<\/text>/)
  }
  const list = /<ol class="govuk-list govuk-list--number ashyq-map__places">([\s\S]*?)<\/ol>/.exec(section)?.[1] ?? ''
  assert.deepEqual([...list.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]), ['Медеу', 'Алмалы', 'Астана'])
  assert.doesNotMatch(page.body, /https?:\/\/[^"]*tile/i, 'no tile server')

  // The table's filters narrow the map too.
  const filtered = await app.inject({ url: `${path}?${new URLSearchParams({ 'f.station': 'Медеу' })}` })
  assert.match(filtered.body, /<strong>1 place from the table<\/strong>/)
  assert.equal(placesDrawn(wideMap(filtered.body)), 1)

  // In the visually impaired version with dark contrast, places are yellow.
  const dark = await app.inject({ url: path, cookies: { ashyq_a11y: 'on.large.dark.show.normal' } })
  assert.equal((wideMap(dark.body).match(/fill="#ffdd00"/g) ?? []).length >= 3, true)
})

test('GeoJSON features are mapped: points as places, polygons and lines as shapes', async (t) => {
  const collection = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { name: 'Бурабай' }, geometry: { type: 'Point', coordinates: [70.3, 53.08] } },
      { type: 'Feature', properties: { name: 'Участок' }, geometry: { type: 'Polygon', coordinates: [[[60, 48], [65, 48], [65, 45], [60, 45], [60, 48]]] } },
      { type: 'Feature', properties: { name: 'Дорога' }, geometry: { type: 'LineString', coordinates: [[71.43, 51.13], [76.95, 43.24]] } },
      { type: 'Feature', properties: { name: 'Нигде' }, geometry: null },
    ],
  }
  const { app, path, close } = await setup('parks.geojson', JSON.stringify(collection))
  t.after(close)
  const page = await app.inject({ url: path })
  assert.match(page.body, /<strong>3 places from the table<\/strong> \(GeoJSON in column geometry;/)
  assert.match(page.body, /1 row has no place on this map/)
  const svg = wideMap(page.body)
  assert.equal(placesDrawn(svg), 1)
  assert.ok((svg.match(/fill="#1d70b8"/g) ?? []).length >= 1, 'the polygon is drawn in the shape colour')
})

test('a table without places has no map', async (t) => {
  const { app, path, close } = await setup('budget.csv', 'month,amount\n2024-01,10\n2024-02,12\n')
  t.after(close)
  const page = await app.inject({ url: path })
  assert.equal(page.statusCode, 200)
  assert.doesNotMatch(page.body, /id="map"/)
})

test('places close together are shown with their surroundings, places across the country with all of it', () => {
  const almaty = viewOf({ points: [{ lon: 76.95, lat: 43.2, label: 'Медеу' }, { lon: 76.93, lat: 43.25, label: 'Алмалы' }], shapes: [] })
  const [[west, north], [east, south]] = almaty
  assert.ok(west < 76.93 && east > 76.95 && south < 43.2 && north > 43.25, 'the places are inside')
  assert.ok(east - west > 0.49 && east - west < 2 && north - south > 0.34 && north - south < 2, 'about a city\'s size')
  const country = viewOf({ points: [{ lon: 76.95, lat: 43.2, label: 'Алматы' }, { lon: 71.43, lat: 51.13, label: 'Астана' }], shapes: [] })
  assert.deepEqual(country, [[45.5, 56], [88.5, 40]])
  // A polygon's corners count as places.
  const shape = viewOf({ points: [], shapes: [{ label: 'участок', geometry: { type: 'Polygon', coordinates: [[[60, 48], [60.5, 48], [60.5, 47.5], [60, 48]]] } }] })
  assert.ok(shape[0][0] < 60 && shape[1][0] > 60.5)
  assert.deepEqual(viewOf({ points: [], shapes: [] }), [[45.5, 56], [88.5, 40]])
})

test('a shape of 400,000 points, or nested past any GeoJSON, still gives a view (no call with 400,000 arguments, no endless descent)', () => {
  const ring = Array.from({ length: 400_000 }, (_, i) => [70 + (i % 1000) / 1000, 45 + Math.floor(i / 1000) / 1000])
  const [[west, north], [east, south]] = viewOf({ points: [], shapes: [{ label: 'большой', geometry: { type: 'Polygon', coordinates: [ring] } }] })
  assert.ok(west < 70 && east > 70.999 && south < 45 && north > 45.399)
  let deep: unknown = [71, 51]
  for (let i = 0; i < 100_000; i += 1) deep = [deep]
  assert.deepEqual(viewOf({ points: [], shapes: [{ label: 'глубоко', geometry: { type: 'Polygon', coordinates: deep } as never }] }), [[45.5, 56], [88.5, 40]])
})

test('a table\'s suggested chart does not sum coordinates or founding years', () => {
  const table = (fields: Array<[string, string]>) => ({ fields: fields.map(([id, type]) => ({ id, type })) }) as unknown as DatastoreTable
  assert.deepEqual(suggestedChart(table([['station', 'text'], ['lat', 'decimal'], ['lon', 'decimal'], ['pm25', 'integer']]), 'ru'), { type: 'bar', x: 'station', y: ['pm25'], agg: 'sum' })
  assert.equal(suggestedChart(table([['name_kk', 'text'], ['founded', 'integer'], ['latitude', 'decimal']]), 'kk'), null)
})

test('a map of a city\'s places names the city, shows its boundary and a scale, and numbers the places', async () => {
  const data = { points: [{ lon: 76.95, lat: 43.2, label: 'Медеу' }, { lon: 76.93, lat: 43.25, label: 'Алмалы' }], shapes: [], skipped: 0, more: false }
  const { narrow } = await mapSvgs('test-city', data, { contrast: 'normal', fontSize: 14, lang: 'ru', km: 'км' }, { narrow: { width: 360, height: 240 } })
  assert.match(narrow, />Алматы<\/text>/, 'the city, in the reader\'s language')
  const scale = /(\d+) км<\/text>/.exec(narrow)
  assert.ok(scale && Number(scale[1]) >= 5 && Number(scale[1]) <= 20, `a city-sized scale bar: ${scale?.[1]} km`)
  assert.match(narrow, />1<\/text>/)
  assert.match(narrow, />2<\/text>/)
  assert.doesNotMatch(narrow, /\sstyle="|<style/)
  // The country's borders far outside the city are cut away, not drawn out of sight.
  assert.ok(narrow.length < 40_000, `a city's map is ${narrow.length} characters`)
  const whole = (await mapSvgs('test-country', { ...data, points: [...data.points, { lon: 71.43, lat: 51.13, label: 'Астана' }] }, { contrast: 'normal', fontSize: 14, lang: 'ru', km: 'км' }, { narrow: { width: 360, height: 240 } })).narrow
  assert.ok(whole.length > narrow.length, 'a map of the country has all of it')
  assert.equal(scaleLength(0.1, 360), 10, 'a fifth of 360 px at 100 m a pixel is 7.2 km: 10 is nearer than 5')
  assert.equal(scaleLength(5, 760), 1000)
})
