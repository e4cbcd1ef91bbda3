/** Decoding tiles for tests, and the tiles over the sample worth checking. */
import { VectorTile, classifyRings } from '@mapbox/vector-tile';
import { PbfReader as Pbf } from 'pbf';
import type { Database } from '../../src/lib/server/platform/db.js';

export interface DecodedFeature {
	id: number;
	type: number;
	properties: Record<string, unknown>;
	bbox: number[];
	/** exterior rings with positive area in tile units, as the MVT spec wants */
	polygons: number;
}

export function decode(bytes: Uint8Array, layer: string): DecodedFeature[] {
	if (bytes.length === 0) return [];
	const tile = new VectorTile(new Pbf(bytes));
	const l = tile.layers[layer];
	if (!l) return [];
	const features: DecodedFeature[] = [];
	for (let i = 0; i < l.length; i++) {
		const f = l.feature(i);
		features.push({
			id: Number(f.id),
			type: f.type,
			properties: f.properties,
			bbox: f.bbox(),
			polygons: f.type === 3 ? classifyRings(f.loadGeometry()).length : 0
		});
	}
	return features.sort((a, b) => a.id - b.id);
}

/** [west, south, east, north] of a tile, from the slippy-map formulas (independent of PostGIS). */
export function tileBbox(z: number, x: number, y: number): [number, number, number, number] {
	const n = 2 ** z;
	const lng = (i: number) => (i / n) * 360 - 180;
	const lat = (j: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * j) / n))) * 180) / Math.PI;
	return [lng(x), lat(y + 1), lng(x + 1), lat(y)];
}

export function tileAt(lng: number, lat: number, z: number): [number, number, number] {
	const n = 2 ** z;
	const r = (lat * Math.PI) / 180;
	return [z, Math.floor(((lng + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

/**
 * Tiles over the sample at z12–z16: around a few fixed buildings and an issue, plus the
 * neighbours of one of them, so tile edges cut through features.
 */
export async function sampleTiles(db: Database): Promise<[number, number, number][]> {
	const { rows } = await db.knex.raw(
		`SELECT ST_X(p) AS lng, ST_Y(p) AS lat FROM (
			(SELECT anchor AS p FROM buildings ORDER BY code LIMIT 1)
			UNION ALL (SELECT anchor FROM buildings ORDER BY code DESC LIMIT 1)
			UNION ALL (SELECT geom FROM issues ORDER BY code LIMIT 1)
		) s`
	);
	const tiles = new Map<string, [number, number, number]>();
	for (const { lng, lat } of rows as { lng: number; lat: number }[]) {
		for (const z of [12, 13, 14, 15, 16]) {
			const [tz, tx, ty] = tileAt(lng, lat, z);
			for (const [dx, dy] of z === 15 ? [[0, 0], [1, 0], [0, 1], [-1, -1]] : [[0, 0]]) {
				tiles.set(`${tz}/${tx + dx}/${ty + dy}`, [tz, tx + dx, ty + dy]);
			}
		}
	}
	return [...tiles.values()];
}
