/**
 * Vector tiles on PostGIS: every tile decodes, and carries exactly the rows that intersect
 * it, as counted independently with turf; the ST_AsMVT path and the encoder path (the one
 * the embedded database takes) give the same features on the same data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanIntersects, bboxPolygon } from '@turf/turf';
import type { Feature, Geometry } from 'geojson';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { decode, sampleTiles, tileBbox } from '../helpers/tiles.js';
import * as tiles from '../../src/lib/server/tiles/tiles.js';

let t: TestDatabase;
let tileList: [number, number, number][];
const rowsByLayer = new Map<string, Feature<Geometry, { id: number }>[]>();

beforeAll(async () => {
	t = await createTestDatabase('sample');
	tileList = await sampleTiles(t.db);
	for (const name of tiles.TILE_LAYER_NAMES) {
		const { rows } = await t.db.knex.raw('SELECT id, ST_AsGeoJSON(geom) AS g FROM ??', [tiles.TILE_LAYERS[name].table]);
		rowsByLayer.set(
			name,
			rows.map((r: { id: number; g: string }) => ({ type: 'Feature', properties: { id: r.id }, geometry: JSON.parse(r.g) }))
		);
	}
});
afterAll(async () => {
	await t?.drop();
});

function expectedIds(name: tiles.TileLayerName, z: number, x: number, y: number): number[] {
	if (z < tiles.TILE_LAYERS[name].minzoom) return [];
	const box = bboxPolygon(tileBbox(z, x, y));
	return rowsByLayer
		.get(name)!
		.filter((f) => booleanIntersects(f, box))
		.map((f) => f.properties.id)
		.sort((a, b) => a - b);
}

describe.each(tiles.TILE_LAYER_NAMES)('layer %s', (name) => {
	it('carries exactly the rows intersecting each tile, on both paths', async () => {
		let nonEmpty = 0;
		for (const [z, x, y] of tileList) {
			const expected = expectedIds(name, z, x, y);
			const mvt = decode(await tiles.render(t.db, name, z, x, y, 'mvt'), name);
			const encoded = decode(await tiles.render(t.db, name, z, x, y, 'features'), name);
			expect(mvt.map((f) => f.id), `${name} ${z}/${x}/${y} mvt`).toEqual(expected);
			expect(encoded.map((f) => f.id), `${name} ${z}/${x}/${y} encoder`).toEqual(expected);
			expect(encoded.map((f) => f.properties)).toEqual(mvt.map((f) => f.properties));
			expect(encoded.map((f) => f.type)).toEqual(mvt.map((f) => f.type));
			for (let i = 0; i < mvt.length; i++) {
				// Same place in the tile, to within the snapping of a unit or two.
				mvt[i].bbox.forEach((v, k) => expect(Math.abs(v - encoded[i].bbox[k])).toBeLessThanOrEqual(2));
				if (mvt[i].type === 3) expect(encoded[i].polygons).toBe(mvt[i].polygons);
			}
			if (expected.length) nonEmpty++;
		}
		expect(nonEmpty).toBeGreaterThan(0);
	});
});

describe('tile rules', () => {
	it('is empty below a layer’s minimum zoom', async () => {
		const [, x, y] = tileList.find(([z]) => z === 12)!;
		expect((await tiles.render(t.db, 'buildings', 12, x, y)).length).toBe(0);
	});

	it('rejects bad z/x/y', () => {
		expect(tiles.checkTile(14, 13008, 6821)).toBeNull();
		expect(tiles.checkTile(23, 0, 0)).toMatch(/zoom 23/);
		expect(tiles.checkTile(2, 4, 0)).toMatch(/x 4 is out of range 0–3/);
		expect(tiles.checkTile(2, 0, -1)).toMatch(/y -1/);
		expect(tiles.checkTile(1.5, 0, 0)).toMatch(/whole numbers/);
	});

	it('issue features say whether they are overdue, as the domain rule does', async () => {
		const { rows } = await t.db.knex.raw(`SELECT ST_X(geom) lng, ST_Y(geom) lat FROM issues ORDER BY code LIMIT 1`);
		const { tileAt } = await import('../helpers/tiles.js');
		const [z, x, y] = tileAt(rows[0].lng, rows[0].lat, 14);
		const features = decode(await tiles.render(t.db, 'issues', z, x, y), 'issues');
		const { isOverdue } = await import('../../src/lib/domain/issues.js');
		const codes = features.map((f) => f.properties.code as string);
		const issues = await t.db.knex('issues').whereIn('code', codes).select('code', 'status', 'due_at');
		const expected = Object.fromEntries(issues.map((i) => [i.code, isOverdue(i.status, i.due_at)]));
		for (const f of features) expect(f.properties.overdue, String(f.properties.code)).toBe(expected[f.properties.code as string]);
		expect(features.length).toBeGreaterThan(0);
	});
});
