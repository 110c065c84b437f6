import type { Db } from '../../../platform/db/index.ts'
import { inBounds, type MapPlaces } from '../../../platform/maps/kazakhstan.ts'
import type { Geometry } from 'geojson'
import { isNumericType } from './detect.ts'
import { queryDatastore, type DatastoreQuery, type DatastoreTable } from './query.ts'

/**
 * Maps of a datastore table: the places in it (latitude and longitude columns, or GeoJSON
 * geometries), drawn over Kazakhstan's regions by the platform's maps (platform/maps).
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

export interface MapData extends MapPlaces {
  /** Rows with a place outside the map, or none, or one that is not GeoJSON. */
  skipped: number
  /** More places than MAX_PLACES: the first are drawn. */
  more: boolean
}

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

