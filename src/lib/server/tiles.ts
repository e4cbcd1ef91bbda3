/**
 * Mapbox Vector Tiles for every layer. On PostGIS one statement per layer does the work
 * (ST_AsMVT over ST_AsMVTGeom, after the pg_tileserv pattern: a bounds CTE from
 * ST_TileEnvelope, the envelope transformed to the table's SRID so the GiST index filters,
 * only the properties the style needs). The embedded PostGIS has no ST_AsMVT/ST_AsMVTGeom,
 * so there the same filter, clip, simplification and tile-space transform run in SQL and
 * @maplibre/vt-pbf encodes; a test proves both paths give the same features.
 */
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Database } from './db.js';
import { overdueSql } from '../domain/issues.js';
import type { Scope } from './territory.js';
import { runNative } from './prepared.js';

/** Tile extent and clip buffer in tile units, as MapLibre expects by default. */
export const EXTENT = 4096;
export const BUFFER = 64;
export const MAX_ZOOM = 22;

type Kind = 'polygon' | 'point' | 'mixed';
interface TileLayer {
	table: string;
	kind: Kind;
	/** below this zoom the layer would be too dense: those tiles are empty (204) */
	minzoom: number;
	/** simplify polygons to half a tile unit before encoding (not worth it for small footprints) */
	simplify: boolean;
	/** property name → SQL expression over `t`, from code only */
	properties: Record<string, string>;
	/**
	 * Data layers are filtered by the caller's territory (this predicate, $4 = territory);
	 * outline layers (streets … compounds) are reference geography everyone sees.
	 */
	territory?: string;
}

/** $4: the caller's territory as GeoJSON, parsed once per statement. */
const TERRITORY = '(SELECT ST_SetSRID(ST_GeomFromGeoJSON($4::text), 4326))';

export const TILE_LAYERS = {
	streets: { table: 'streets', kind: 'polygon', minzoom: 8, simplify: true, properties: { code: 't.code', name: 't.name' } },
	communities: {
		table: 'communities',
		kind: 'polygon',
		minzoom: 10,
		simplify: true,
		properties: { code: 't.code', name: 't.name', street_code: '(SELECT s.code FROM streets s WHERE s.id = t.street_id)' }
	},
	grids: {
		table: 'grids',
		kind: 'polygon',
		minzoom: 12,
		simplify: true,
		properties: { code: 't.code', name: 't.name', community_code: '(SELECT c.code FROM communities c WHERE c.id = t.community_id)' }
	},
	compounds: {
		table: 'compounds',
		kind: 'polygon',
		minzoom: 13,
		simplify: true,
		properties: { code: 't.code', name: 't.name', is_old: 't.is_old' }
	},
	buildings: {
		table: 'buildings',
		kind: 'polygon',
		minzoom: 14,
		simplify: false,
		properties: { code: 't.code', floors: 't.floors', households: 't.households', address: 't.address' },
		// A building belongs where its anchor lies, as for ownership.
		territory: `ST_Covers(${TERRITORY}, t.anchor)`
	},
	issues: {
		table: 'issues',
		kind: 'point',
		minzoom: 10,
		simplify: false,
		properties: {
			code: 't.code',
			status: 't.status',
			category: 't.category',
			matter_type: 't.matter_type',
			urgency: 't.urgency',
			overdue: overdueSql('t')
		},
		territory: `ST_Covers(${TERRITORY}, t.geom)`
	},
	renovation: {
		table: 'renovation_projects',
		kind: 'polygon',
		minzoom: 11,
		simplify: true,
		properties: { code: 't.code', name: 't.name', status: 't.status', is_demonstration: 't.is_demonstration' },
		territory: `ST_Intersects(${TERRITORY}, t.geom)`
	},
	flood: {
		table: 'flood_spots',
		kind: 'mixed',
		minzoom: 11,
		simplify: false,
		properties: { code: 't.code', name: 't.name', severity: 't.severity', status: 't.status' },
		territory: `ST_Intersects(${TERRITORY}, t.geom)`
	}
} satisfies Record<string, TileLayer>;
export type TileLayerName = keyof typeof TILE_LAYERS;
export const TILE_LAYER_NAMES = Object.keys(TILE_LAYERS) as TileLayerName[];

export function isTileLayer(name: string): name is TileLayerName {
	return Object.hasOwn(TILE_LAYERS, name);
}

/** Whether z/x/y name a tile: integers, z ≤ MAX_ZOOM, x and y within 0 … 2^z − 1. */
export function checkTile(z: number, x: number, y: number): string | null {
	if (![z, x, y].every(Number.isSafeInteger)) return 'z, x and y must be whole numbers';
	if (z < 0 || z > MAX_ZOOM) return `zoom ${z} is out of range 0–${MAX_ZOOM}`;
	const n = 2 ** z;
	if (x < 0 || x >= n) return `x ${x} is out of range 0–${n - 1} at zoom ${z}`;
	if (y < 0 || y >= n) return `y ${y} is out of range 0–${n - 1} at zoom ${z}`;
	return null;
}

function columns(layer: TileLayer): string {
	return Object.entries(layer.properties)
		.map(([name, sql]) => `${sql} AS "${name}"`)
		.join(', ');
}

/**
 * Rows that intersect the tile itself (not its buffer): the features a tile carries. The
 * envelope is transformed to 4326 — lines of constant latitude and longitude stay straight
 * under Web Mercator, so this rectangle is exact — and the table's GiST index does the rest.
 */
const BOUNDS = `bounds AS (
		SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
		       ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int), 4326) AS env4326
	)`;

/** Half a tile unit in metres at the tile's zoom: what simplification may remove unseen. */
const TOLERANCE = `(ST_XMax(bounds.env) - ST_XMin(bounds.env)) / ${EXTENT} / 2`;

function projected(layer: TileLayer): string {
	const g = 'ST_Transform(t.geom, 3857)';
	return layer.simplify ? `ST_Simplify(${g}, ${TOLERANCE}, true)` : g;
}

function restriction(layer: TileLayer, restricted: boolean): string {
	return restricted && layer.territory ? ` AND ${layer.territory}` : '';
}

/**
 * The PostGIS statement for one layer: $1, $2, $3 = z, x, y (and $4 = territory when
 * restricted); one bytea column `mvt`.
 */
export function tileSql(name: TileLayerName, restricted = false): string {
	const layer: TileLayer = TILE_LAYERS[name];
	return `WITH ${BOUNDS},
	mvtgeom AS (
		SELECT t.id, ${columns(layer)},
		       ST_AsMVTGeom(${projected(layer)}, bounds.env, ${EXTENT}, ${BUFFER}, true) AS geom
		FROM ${layer.table} t, bounds
		WHERE t.geom && bounds.env4326 AND ST_Intersects(t.geom, bounds.env4326)${restriction(layer, restricted)}
	)
	SELECT ST_AsMVT(mvtgeom.*, '${name}', ${EXTENT}, 'geom', 'id') AS mvt FROM mvtgeom`;
}

/**
 * The embedded statement: the same rows, their geometry clipped to the buffered tile,
 * simplified, moved into tile units (y down), snapped to whole units, with exterior rings
 * wound as MVT wants (positive area in tile units), as GeoJSON for the encoder.
 */
export function tileFeaturesSql(name: TileLayerName, restricted = false): string {
	const layer: TileLayer = TILE_LAYERS[name];
	const scale = `${EXTENT} / (ST_XMax(bounds.env) - ST_XMin(bounds.env))`;
	const clipped =
		layer.kind === 'point'
			? projected(layer)
			: `ST_ClipByBox2D(${projected(layer)}, ST_Expand(bounds.env, (ST_XMax(bounds.env) - ST_XMin(bounds.env)) * ${BUFFER} / ${EXTENT}))`;
	return `WITH ${BOUNDS},
	features AS (
		SELECT t.id, ${columns(layer)},
		       ST_ForcePolygonCCW(ST_SnapToGrid(ST_Affine(${clipped},
		           ${scale}, 0, 0, -${scale},
		           -ST_XMin(bounds.env) * ${scale}, ST_YMax(bounds.env) * ${scale}), 1)) AS geom
		FROM ${layer.table} t, bounds
		WHERE t.geom && bounds.env4326 AND ST_Intersects(t.geom, bounds.env4326)${restriction(layer, restricted)}
	)
	SELECT id, ${Object.keys(layer.properties).map((p) => `"${p}"`).join(', ')}, ST_AsGeoJSON(geom, 0) AS geojson
	FROM features WHERE NOT ST_IsEmpty(geom) ORDER BY id`;
}

type Position = [number, number];
type TileGeometry =
	| { type: 'Point'; coordinates: Position }
	| { type: 'MultiPoint'; coordinates: Position[] }
	| { type: 'LineString'; coordinates: Position[] }
	| { type: 'MultiLineString'; coordinates: Position[][] }
	| { type: 'Polygon'; coordinates: Position[][] }
	| { type: 'MultiPolygon'; coordinates: Position[][][] }
	| { type: 'GeometryCollection'; geometries: TileGeometry[] };

/** A tile-space GeoJSON geometry as the encoder's (geojson-vt shaped) feature geometry. */
function vtGeometry(g: TileGeometry): { type: 1 | 2 | 3; geometry: Position[] | Position[][] } | null {
	switch (g.type) {
		case 'Point':
			return { type: 1, geometry: [g.coordinates] };
		case 'MultiPoint':
			return { type: 1, geometry: g.coordinates };
		case 'LineString':
			return { type: 2, geometry: [g.coordinates] };
		case 'MultiLineString':
			return { type: 2, geometry: g.coordinates };
		case 'Polygon':
			return { type: 3, geometry: g.coordinates };
		case 'MultiPolygon':
			return { type: 3, geometry: g.coordinates.flat() };
		case 'GeometryCollection': {
			// Clipping can leave a polygon plus slivers; keep the polygonal part, as ST_AsMVTGeom does.
			const polygons = g.geometries.filter((p) => p.type === 'Polygon' || p.type === 'MultiPolygon');
			if (!polygons.length) return null;
			const rings = polygons.flatMap((p) => (p.type === 'Polygon' ? p.coordinates : (p as { coordinates: Position[][][] }).coordinates.flat()));
			return { type: 3, geometry: rings };
		}
	}
}

async function query<T>(db: Database, name: string, text: string, values: unknown[]): Promise<T[]> {
	return runNative<T>(db.knex, name, text, values);
}

const SQL_CACHE = new Map<string, string>();
function cached(key: string, make: () => string): string {
	let sql = SQL_CACHE.get(key);
	if (!sql) SQL_CACHE.set(key, (sql = make()));
	return sql;
}

/** How a tile is made: ST_AsMVT in the database, or features from SQL encoded here. */
export type TilePath = 'mvt' | 'features';

/**
 * The encoded tile, empty (length 0) when no feature intersects it or the zoom is below the
 * layer's minimum. The embedded database can only take the 'features' path; PostgreSQL can
 * take both, which is how tests compare them on the same data.
 */
export async function render(
	db: Database,
	name: TileLayerName,
	z: number,
	x: number,
	y: number,
	path: TilePath = db.backend === 'postgis' ? 'mvt' : 'features',
	scope: Scope = { kind: 'all' }
): Promise<Uint8Array> {
	const layer: TileLayer = TILE_LAYERS[name];
	if (z < layer.minzoom) return new Uint8Array(0);
	// Outline layers are for everyone; data layers follow the caller's scope.
	const restricted = Boolean(layer.territory) && scope.kind !== 'all';
	if (restricted && (scope.kind === 'outlines' || scope.geojson === null)) return new Uint8Array(0);
	const params = restricted ? [z, x, y, (scope as { geojson: string }).geojson] : [z, x, y];
	const variant = restricted ? 'r' : 'a';
	if (path === 'mvt') {
		const rows = await query<{ mvt: Buffer | null }>(db, `tile_${name}_${variant}`, cached(`mvt:${name}:${variant}`, () => tileSql(name, restricted)), params);
		return rows[0]?.mvt ? new Uint8Array(rows[0].mvt) : new Uint8Array(0);
	}
	const rows = await query<Record<string, unknown> & { id: number; geojson: string }>(
		db,
		`tile_features_${name}_${variant}`,
		cached(`features:${name}:${variant}`, () => tileFeaturesSql(name, restricted)),
		params
	);
	const features = [];
	for (const row of rows) {
		const geometry = vtGeometry(JSON.parse(row.geojson));
		if (!geometry) continue;
		const tags: Record<string, unknown> = {};
		for (const key of Object.keys(layer.properties)) if (row[key] !== null) tags[key] = row[key];
		features.push({ id: Number(row.id), tags, ...geometry });
	}
	if (!features.length) return new Uint8Array(0);
	return fromGeojsonVt({ [name]: { features } } as never, { version: 2, extent: EXTENT });
}

/** TileJSON 3.0 for one layer; `origin` makes the tile URL absolute, as MapLibre needs. */
export function tileJson(name: TileLayerName, origin: string) {
	const layer: TileLayer = TILE_LAYERS[name];
	return {
		tilejson: '3.0.0',
		name,
		scheme: 'xyz',
		tiles: [`${origin}/tiles/${name}/{z}/{x}/{y}.pbf`],
		minzoom: layer.minzoom,
		// Beyond this MapLibre over-zooms: z16 tiles already carry every vertex that matters.
		maxzoom: 16,
		vector_layers: [
			{ id: name, fields: Object.fromEntries(Object.keys(layer.properties).map((p) => [p, p === 'code' ? 'String' : 'String|Number|Boolean'])), minzoom: layer.minzoom, maxzoom: 16 }
		]
	};
}
