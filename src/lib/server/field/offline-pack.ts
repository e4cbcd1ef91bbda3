/**
 * The phone's offline pack (issue 13): everything a field worker keeps on the phone to work
 * without a signal — their territory and grids, their buildings with the building cards, the
 * open cases, the case categories a report needs, the current rain alert, and the list of map
 * tiles covering the territory for the service worker to fetch while online. Only the signed-in
 * field user's own territory: every data record is filtered by it on the server (territory.ts),
 * so the phone keeps nothing of another territory. Outline tiles carry the neighbouring
 * outlines too: those are the reference geography everyone, signed in or not, sees.
 */
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { openSql } from '../../domain/issues.js';
import { categories } from '../cases/case-settings.js';
import { TILE_LAYERS, TILE_LAYER_NAMES } from '../tiles/tiles.js';
import * as myBuildings from './my-buildings.js';

/** Below z13 a territory of a few streets is a handful of pixels: the phone shows the county from the online map only. */
export const PACK_MINZOOM = 13;
/**
 * The deepest zoom /tiles serves (its TileJSON's maxzoom): the map over-zooms its z16 tiles
 * for z17–z18, so those zooms need no tiles of their own.
 */
export const PACK_MAXZOOM = 16;

/**
 * Every z/x/y from :minzoom to :maxzoom whose tile intersects the territory. The tile ranges
 * come from the territory's bounding box (the slippy-map formulas), then each candidate's
 * envelope (ST_TileEnvelope, Web Mercator, transformed to WGS84 — exact, as its edges are
 * lines of constant longitude and latitude) is tested against the territory itself.
 */
export const TILES_SQL = `WITH t AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(CAST(:territory AS text)), 4326) AS g),
	r AS (
		SELECT z,
			floor((ST_XMin(t.g) + 180) / 360 * 2 ^ z)::int AS x0,
			LEAST(floor((ST_XMax(t.g) + 180) / 360 * 2 ^ z)::int, (2 ^ z)::int - 1) AS x1,
			floor((1 - ln(tan(radians(ST_YMax(t.g))) + 1 / cos(radians(ST_YMax(t.g)))) / pi()) / 2 * 2 ^ z)::int AS y0,
			LEAST(floor((1 - ln(tan(radians(ST_YMin(t.g))) + 1 / cos(radians(ST_YMin(t.g)))) / pi()) / 2 * 2 ^ z)::int, (2 ^ z)::int - 1) AS y1
		FROM t, generate_series(CAST(:minzoom AS int), CAST(:maxzoom AS int)) z
	)
SELECT r.z, x, y
FROM r CROSS JOIN LATERAL generate_series(r.x0, r.x1) x CROSS JOIN LATERAL generate_series(r.y0, r.y1) y, t
WHERE ST_Intersects(t.g, ST_Transform(ST_TileEnvelope(r.z, x, y), 4326))
ORDER BY r.z, x, y`;

/** The tiles covering a territory (GeoJSON text) from minzoom to maxzoom. */
export async function tilesCovering(knex: Knex, territory: string, minzoom: number, maxzoom: number): Promise<[number, number, number][]> {
	const { rows } = await knex.raw(TILES_SQL, { territory, minzoom, maxzoom });
	return rows.map((r: { z: number; x: number; y: number }) => [Number(r.z), Number(r.x), Number(r.y)]);
}

/** The URL paths of every layer's tiles over the territory, from max(PACK_MINZOOM, the layer's minzoom) to PACK_MAXZOOM. */
export async function tilePaths(knex: Knex, territory: string): Promise<string[]> {
	const tiles = await tilesCovering(knex, territory, PACK_MINZOOM, PACK_MAXZOOM);
	return TILE_LAYER_NAMES.flatMap((layer) => {
		const from = Math.max(PACK_MINZOOM, TILE_LAYERS[layer].minzoom);
		return tiles.filter(([z]) => z >= from).map(([z, x, y]) => `/tiles/${layer}/${z}/${x}/${y}.pbf`);
	});
}

export interface OpenCase {
	code: string;
	title: string | null;
	status: string;
	category: string;
	lng: number;
	lat: number;
	due_at: string | null;
	building_code: string | null;
}

async function openCases(knex: Knex, scope: Scope): Promise<OpenCase[]> {
	const inScope = scopeFilter(scope, 'i.geom', 'point');
	const { rows } = await knex.raw(
		`SELECT i.code, i.title, i.status, i.category, ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat, i.due_at, b.code AS building_code
		 FROM issues i LEFT JOIN buildings b ON b.id = i.building_id
		 WHERE ${openSql('i')} AND ${inScope.sql}
		 ORDER BY i.due_at NULLS LAST, i.code`,
		inScope.bindings
	);
	return rows.map((r: OpenCase) => ({ ...r, lng: Number(r.lng), lat: Number(r.lat), due_at: r.due_at == null ? null : new Date(r.due_at).toISOString() }));
}

async function gridsOf(knex: Knex, scope: Scope): Promise<{ code: string; name: string; geometry: unknown }[]> {
	const inScope = scopeFilter(scope, 'g.geom', 'area');
	const { rows } = await knex.raw(`SELECT g.code, g.name, ST_AsGeoJSON(g.geom, 7)::json AS geometry FROM grids g WHERE ${inScope.sql} ORDER BY g.code`, inScope.bindings);
	return rows;
}

/**
 * The offline pack of a field user (a holder of `offline-pack.take`, checked by the caller):
 * their territory, grids, buildings and cards, open cases, categories, tiles and the rain
 * alert on now, every record inside their scope.
 */
export async function pack(knex: Knex, user: User, scope: Scope) {
	const territory = scope.kind === 'territory' ? scope.geojson : null;
	const [grids, buildings, cardList, cases, categoryList, tiles, alert] = await Promise.all([
		gridsOf(knex, scope),
		// Every building of the territory, not the nearest 200: the phone sorts by its own position.
		myBuildings.list(knex, scope, null, 100_000),
		myBuildings.cards(knex, scope, null),
		openCases(knex, scope),
		categories(knex),
		territory ? tilePaths(knex, territory) : Promise.resolve([]),
		knex('rain_alerts').whereNull('ended_at').orderBy('id', 'desc').first('id')
	]);
	return {
		generated_at: new Date().toISOString(),
		user: { username: user.username, role: user.role },
		territory: territory ? JSON.parse(territory) : null,
		grids,
		buildings: buildings.map(({ distance_m: _d, bearing_deg: _b, ...rest }) => rest),
		cards: Object.fromEntries(cardList.map((c) => [c.code, c])),
		open_cases: cases,
		categories: categoryList.filter((c) => c.active),
		tiles,
		rain_alert: alert ? Number(alert.id) : null
	};
}
