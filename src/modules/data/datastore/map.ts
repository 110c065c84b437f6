import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as echarts from 'echarts'
import { drawSvg } from './chart.ts'
import { feature } from 'topojson-client'
import type { Topology, GeometryCollection } from 'topojson-specification'
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import type { Db } from '../../../platform/db/index.ts'
import type { AccessibilitySettings } from '../../../platform/html/accessibility.ts'
import { isNumericType } from './detect.ts'
import { queryDatastore, type DatastoreQuery, type DatastoreTable } from './query.ts'

/**
 * Maps of a datastore table: the places in it (latitude and longitude columns, or GeoJSON
 * geometries) over Kazakhstan's outline, drawn on the server by Apache ECharts as SVG. No tile
 * server is asked for anything: the outline is Natural Earth's (public domain, via world-atlas).
 */

/** Where a table keeps its places. */
export type MapSource =
  | { kind: 'points'; lat: string; lon: string; label: string | null }
  | { kind: 'geometry'; column: string; label: string | null }

const LATITUDE = /(^|[_\s])(lat|latitude|широта|ендік)$/i
const LONGITUDE = /(^|[_\s])(lon|lng|long|longitude|долгота|бойлық)$/i
const GEOMETRY = /^(geometry|geom|geojson|геометрия)$/i

/** Places drawn at most; the table (and its exports) has them all. */
export const MAX_PLACES = 5_000

// What the map shows: Kazakhstan, with a margin.
const BOUNDS: [[number, number], [number, number]] = [[45.5, 56], [88.5, 40]]
const KAZAKHSTAN = '398'
// Neighbours, drawn paler so that the outline reads as a country among others.
const NEIGHBOURS = new Set(['643', '156', '417', '860', '795'])

/** The columns a table's places are in, or null when it has none. */
export function mapSourceOf(table: DatastoreTable): MapSource | null {
  const numbers = table.fields.filter((f) => isNumericType(f.type))
  const lat = numbers.find((f) => LATITUDE.test(f.id))
  const lon = numbers.find((f) => LONGITUDE.test(f.id))
  const label = table.fields.find((f) => f.type === 'text' && !GEOMETRY.test(f.id))?.id ?? null
  if (lat && lon) return { kind: 'points', lat: lat.id, lon: lon.id, label }
  const geometry = table.fields.find((f) => f.type === 'text' && GEOMETRY.test(f.id))
  if (geometry) return { kind: 'geometry', column: geometry.id, label }
  return null
}

let baseMap: FeatureCollection | null = null

/** Kazakhstan (50 m detail) and its neighbours (110 m), from Natural Earth via world-atlas. */
function base(): FeatureCollection {
  if (baseMap) return baseMap
  const require = createRequire(import.meta.url)
  const read = (file: string) => JSON.parse(readFileSync(require.resolve(`world-atlas/${file}`), 'utf8')) as Topology<{ countries: GeometryCollection }>
  const pick = (topology: Topology<{ countries: GeometryCollection }>, keep: (id: string) => boolean, name: (id: string) => string): Feature[] =>
    (feature(topology, topology.objects.countries) as FeatureCollection).features
      .filter((f) => keep(String(f.id)))
      .map((f) => ({ ...f, properties: { name: name(String(f.id)) } }))
  baseMap = {
    type: 'FeatureCollection',
    features: [
      ...pick(read('countries-110m.json'), (id) => NEIGHBOURS.has(id), (id) => `neighbour-${id}`),
      ...pick(read('countries-50m.json'), (id) => id === KAZAKHSTAN, () => 'kazakhstan'),
    ],
  }
  return baseMap
}

export interface MapData {
  points: Array<{ lon: number; lat: number; label: string }>
  shapes: Array<{ geometry: Geometry; label: string }>
  /** Rows with a place outside the map, or none, or one that is not GeoJSON. */
  skipped: number
  /** More places than MAX_PLACES: the first are drawn. */
  more: boolean
}

const inBounds = (lon: number, lat: number) => lon >= BOUNDS[0][0] && lon <= BOUNDS[1][0] && lat >= BOUNDS[1][1] && lat <= BOUNDS[0][1]

/** The places of the rows the table's filters leave. */
export async function mapData(db: Db, table: DatastoreTable, source: MapSource, rows: Pick<DatastoreQuery, 'filters' | 'q'>): Promise<MapData> {
  const columns = source.kind === 'points' ? [source.lat, source.lon] : [source.column]
  const fields = source.label ? [...columns, source.label] : columns
  const result = await queryDatastore(db, table, { ...rows, fields, limit: MAX_PLACES + 1, includeTotal: false })
  const data: MapData = { points: [], shapes: [], skipped: 0, more: result.rows.length > MAX_PLACES }
  for (const [i, row] of result.rows.slice(0, MAX_PLACES).entries()) {
    const label = source.label ? String(row[fields.length - 1] ?? '') : String(i + 1)
    if (source.kind === 'points') {
      const [lat, lon] = [Number(row[0]), Number(row[1])]
      if (row[0] === null || row[1] === null || !inBounds(lon, lat)) data.skipped += 1
      else data.points.push({ lon, lat, label })
      continue
    }
    const geometry = parseGeometry(row[0])
    if (!geometry) {
      data.skipped += 1
    } else if (geometry.type === 'Point') {
      const [lon, lat] = geometry.coordinates as [number, number]
      if (inBounds(lon, lat)) data.points.push({ lon, lat, label })
      else data.skipped += 1
    } else if (geometry.type === 'MultiPoint') {
      for (const [lon, lat] of geometry.coordinates as Array<[number, number]>) if (inBounds(lon, lat)) data.points.push({ lon, lat, label })
    } else {
      data.shapes.push({ geometry, label })
    }
  }
  return data
}

const SHAPES = new Set(['Polygon', 'MultiPolygon', 'LineString', 'MultiLineString', 'Point', 'MultiPoint'])

function parseGeometry(value: unknown): Geometry | null {
  if (typeof value !== 'string') return null
  try {
    const geometry = JSON.parse(value) as Geometry
    return geometry && SHAPES.has(geometry.type) && 'coordinates' in geometry && Array.isArray(geometry.coordinates) ? geometry : null
  } catch {
    return null
  }
}

const PALETTES: Record<AccessibilitySettings['contrast'], { land: string; border: string; neighbour: string; place: string; placeBorder: string; shape: string }> = {
  normal: { land: '#f3f2f1', border: '#505a5f', neighbour: '#ffffff', place: '#d4351c', placeBorder: '#ffffff', shape: '#1d70b8' },
  light: { land: '#ffffff', border: '#0b0c0c', neighbour: '#ffffff', place: '#0b0c0c', placeBorder: '#ffffff', shape: '#0b0c0c' },
  dark: { land: '#0b0c0c', border: '#ffffff', neighbour: '#0b0c0c', place: '#ffdd00', placeBorder: '#0b0c0c', shape: '#ffdd00' },
}

/** The map as SVG documents of the given sizes, each fitting its container's width. */
export function mapSvgs<K extends string>(mapName: string, data: MapData, contrast: AccessibilitySettings['contrast'], sizes: Record<K, { width: number; height: number }>): Record<K, string> {
  const palette = PALETTES[contrast]
  const shapes: Feature[] = data.shapes.map((s, i) => ({ type: 'Feature', properties: { name: `place-${i}` }, geometry: s.geometry }))
  const collection: FeatureCollection = { type: 'FeatureCollection', features: [...base().features, ...shapes] }
  // Registered under the table's own name, each time: the drawings below are synchronous, so no
  // other request's registration comes between.
  echarts.registerMap(mapName, collection as unknown as Parameters<typeof echarts.registerMap>[1])
  const option = {
    animation: false,
    geo: {
      map: mapName,
      roam: false,
      boundingCoords: BOUNDS,
      silent: true,
      label: { show: false },
      itemStyle: { areaColor: palette.neighbour, borderColor: palette.border, borderWidth: 0.5, opacity: 0.5 },
      regions: [
        { name: 'kazakhstan', itemStyle: { areaColor: palette.land, borderColor: palette.border, borderWidth: 1.5, opacity: 1 } },
        ...shapes.map((s) => ({ name: String(s.properties!.name), itemStyle: { areaColor: palette.shape, borderColor: palette.shape, borderWidth: 1.5, opacity: 0.6 } })),
      ],
    },
    series: [{
      type: 'scatter', coordinateSystem: 'geo', symbolSize: data.points.length > 500 ? 5 : 9,
      itemStyle: { color: palette.place, borderColor: palette.placeBorder, borderWidth: 1 },
      data: data.points.map((p) => ({ name: p.label, value: [p.lon, p.lat] })),
    }],
  }
  return Object.fromEntries(Object.entries<{ width: number; height: number }>(sizes).map(([key, size]) => [key, drawSvg(size, option)])) as Record<K, string>
}
