/**
 * The area panel's renovation and flood figures (issue 11 item 5) against an independent turf
 * computation on the sample, for every community: projects reaching into it, their funds,
 * the households of its buildings a project covers, and its flood spots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanIntersects, booleanPointInPolygon } from '@turf/turf';
import type { Geometry, MultiPolygon, Point } from 'geojson';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import * as overlays from '../../src/lib/server/areas/area-overlays.js';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase('sample');
});
afterAll(async () => {
	await t?.drop();
});

type Row = { g: string; code: string; status: string; budget: number; spent: number; households: number };
const parse = <T>(rows: Row[]) => rows.map((r) => ({ ...r, g: JSON.parse(r.g) as T }));

describe('an area’s overlays', () => {
	it('count the projects, funds, covered households and flood spots of every community as turf does', async () => {
		const q = (sql: string) => t.db.knex.raw(sql).then((r) => r.rows);
		const communities = parse<MultiPolygon>(await q('SELECT code, ST_AsGeoJSON(geom) AS g FROM communities ORDER BY code'));
		const projects = parse<MultiPolygon>(await q('SELECT code, status, budget_yuan::float8 AS budget, spent_yuan::float8 AS spent, ST_AsGeoJSON(geom) AS g FROM renovation_projects'));
		const spots = parse<Geometry>(await q('SELECT code, status, ST_AsGeoJSON(geom) AS g FROM flood_spots'));
		const buildings = parse<Point>(await q('SELECT households, ST_AsGeoJSON(anchor) AS g FROM buildings'));
		const covered = buildings.filter((b) => projects.some((p) => booleanPointInPolygon(b.g, p.g)));
		let withProjects = 0;
		for (const c of communities) {
			const got = (await overlays.overlays(t.db.knex, 'community', c.code, { kind: 'all' }))!;
			const mine = projects.filter((p) => booleanIntersects(p.g, c.g));
			const wet = spots.filter((s) => booleanIntersects(s.g, c.g));
			expect(
				{
					projects: got.renovation.projects,
					budget: got.renovation.budget_yuan,
					spent: got.renovation.spent_yuan,
					households: got.renovation.households_covered,
					spots: got.flood.spots
				},
				c.code
			).toEqual({
				projects: mine.length,
				budget: mine.reduce((s, p) => s + p.budget, 0),
				spent: mine.reduce((s, p) => s + p.spent, 0),
				households: covered.filter((b) => booleanPointInPolygon(b.g, c.g)).reduce((s, b) => s + b.households, 0),
				spots: wet.length
			});
			expect(Object.values(got.renovation.by_status).reduce((a, b) => a + b, 0)).toBe(mine.length);
			if (mine.length) withProjects++;
		}
		expect(withProjects).toBeGreaterThan(3);
	});

	it('is null for an area that does not exist, or that the caller may not see', async () => {
		expect(await overlays.overlays(t.db.knex, 'grid', 'nope', { kind: 'all' })).toBeNull();
		const community = (await t.db.knex('communities').orderBy('code').first('code')).code;
		expect(await overlays.overlays(t.db.knex, 'community', community, { kind: 'territory', geojson: null, label: 'x' })).toBeNull();
	});
});
