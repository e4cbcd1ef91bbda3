/**
 * Area answers on PostGIS, checked against an independent count made with turf on the same
 * data: issue counts per area, the issue list and paging, the area under a point.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanPointInPolygon, pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Point } from 'geojson';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import * as areas from '../../src/lib/server/areas/areas.js';
import { parseJson } from '../../src/lib/server/platform/json-text.js';
import { LEVEL_TABLE } from '../../src/lib/server/platform/tables.js';
import type { AreaLevel } from '../../src/lib/domain/glossary.js';

let t: TestDatabase;
let issuePoints: Feature<Point, { code: string; status: string; category: string }>[];

async function polygons(level: AreaLevel) {
	const { rows } = await t.db.knex.raw('SELECT code, ST_AsGeoJSON(geom) AS g FROM ?? ORDER BY code', [LEVEL_TABLE[level]]);
	return rows.map((r: { code: string; g: string }) => ({
		type: 'Feature',
		properties: { code: r.code },
		geometry: JSON.parse(r.g)
	})) as Feature<MultiPolygon, { code: string }>[];
}

beforeAll(async () => {
	t = await createTestDatabase('sample');
	const { rows } = await t.db.knex.raw('SELECT code, status, category, ST_AsGeoJSON(geom) AS g FROM issues');
	issuePoints = rows.map((r: { code: string; status: string; category: string; g: string }) => ({
		type: 'Feature',
		properties: { code: r.code, status: r.status, category: r.category },
		geometry: JSON.parse(r.g)
	}));
});
afterAll(async () => {
	await t?.drop();
});

function turfCount(area: Feature<MultiPolygon>, filter: (p: Feature<Point, { status: string; category: string }>) => boolean = () => true) {
	return issuePoints.filter((p) => filter(p) && booleanPointInPolygon(p, area)).length;
}

describe('issue counts per area equal a turf point-in-polygon count', () => {
	it.each(['street', 'community', 'grid'] as AreaLevel[])('every %s', async (level) => {
		let withIssues = 0;
		for (const area of await polygons(level)) {
			const s = parseJson(await areas.summary(t.db.knex, level, area.properties.code));
			const expected = turfCount(area);
			expect(s!.counts!.total, `${level} ${area.properties.code}`).toBe(expected);
			const closed = turfCount(area, (p) => p.properties.status === 'closed');
			expect(s!.counts!.by_status.closed ?? 0).toBe(closed);
			if (expected) withIssues++;
		}
		expect(withIssues).toBeGreaterThan(0);
	});

	it('compounds and buildings too (a sample of each)', async () => {
		for (const level of ['compound', 'building'] as AreaLevel[]) {
			const all = await polygons(level);
			for (const area of all.filter((_, i) => i % 10 === 0)) {
				const s = parseJson(await areas.summary(t.db.knex, level, area.properties.code));
				expect(s!.counts!.total, `${level} ${area.properties.code}`).toBe(turfCount(area));
			}
		}
	});

	it('the issue list pages through exactly those issues, newest first, filtered', async () => {
		const [community] = await polygons('community');
		const code = community.properties.code;
		const seen: string[] = [];
		let last = Infinity;
		for (let page = 1; ; page++) {
			const p = parseJson(await areas.issues(t.db.knex, 'community', code, { page, limit: 25 }));
			expect(p!.total).toBe(turfCount(community));
			for (const item of p!.items) {
				const time = Date.parse(item.reported_at);
				expect(time).toBeLessThanOrEqual(last);
				last = time;
				seen.push(item.code);
			}
			if (p!.items.length < 25) break;
		}
		expect(new Set(seen).size).toBe(turfCount(community));
		const category = issuePoints.find((p) => booleanPointInPolygon(p, community))!.properties.category;
		const filtered = parseJson(await areas.issues(t.db.knex, 'community', code, { category: category as never, page: 1, limit: 100 }));
		expect(filtered!.total).toBe(turfCount(community, (p) => p.properties.category === category));
		expect(filtered!.items.every((i) => i.category === category)).toBe(true);
	});

	it('gives each listed issue its time in UTC ISO form and its position, as stored', async () => {
		const [community] = await polygons('community');
		const page = parseJson(await areas.issues(t.db.knex, 'community', community.properties.code, { page: 1, limit: 5 }));
		const item = page!.items[0];
		const { rows } = await t.db.knex.raw('SELECT reported_at, due_at, ST_X(geom) AS lng, ST_Y(geom) AS lat FROM issues WHERE code = ?', [item.code]);
		expect(item.reported_at).toBe(new Date(rows[0].reported_at).toISOString());
		expect(item.due_at).toBe(rows[0].due_at === null ? null : new Date(rows[0].due_at).toISOString());
		expect([item.lng, item.lat]).toEqual([Number(rows[0].lng), Number(rows[0].lat)]);
		expect(page).toMatchObject({ page: 1, limit: 5 });
	});
});

describe('area details', () => {
	it('names the parent chain, households from derived buildings, and the people responsible', async () => {
		const b = await t.db.knex('buildings as b')
			.join('grids as g', 'g.id', 'b.grid_id')
			.join('communities as c', 'c.id', 'g.community_id')
			.join('streets as s', 's.id', 'c.street_id')
			.whereNotNull('b.compound_id')
			.first('b.code', 'g.code as grid', 'c.code as community', 's.code as street');
		const s = parseJson(await areas.summary(t.db.knex, 'building', b.code));
		expect(s!.parents.map((p) => p.level)).toEqual(['street', 'community', 'grid', 'compound']);
		expect(s!.parents.slice(0, 3).map((p) => p.code)).toEqual([b.street, b.community, b.grid]);
		// The grid worker answers for the building through its grid.
		expect(s!.people.some((p) => p.role === 'grid_worker' && p.via === 'grid')).toBe(true);

		const grid = parseJson(await areas.summary(t.db.knex, 'grid', b.grid));
		const { rows } = await t.db.knex.raw('SELECT sum(households)::int AS h, count(*)::int AS n FROM buildings WHERE grid_id = (SELECT id FROM grids WHERE code = ?)', [b.grid]);
		expect(grid!.households).toBe(rows[0].h);
		expect(grid!.buildings).toBe(rows[0].n);
		expect(grid!.people.filter((p) => p.role === 'grid_worker')).toHaveLength(1);

		const community = parseJson(await areas.summary(t.db.knex, 'community', b.community));
		expect(community!.people.map((p) => p.role)).toEqual(expect.arrayContaining(['first_secretary', 'community_secretary']));
		expect(community!.departments!.filter((d) => d.is_lead)).toHaveLength(1);
	});

	it('finds the area under a point, most specific first, or of a given level', async () => {
		const grids = await polygons('grid');
		const grid = grids[Math.floor(grids.length / 2)];
		const [lng, lat] = pointOnFeature(grid).geometry.coordinates;
		const g = parseJson(await areas.at(t.db.knex, lng, lat, 'grid'));
		expect(g!.code).toBe(grid.properties.code);
		const c = parseJson(await areas.at(t.db.knex, lng, lat, 'community'));
		expect(g!.parents.find((p) => p.level === 'community')!.code).toBe(c!.code);
		expect(parseJson(await areas.at(t.db.knex, 0, 0))).toBeNull();
	});

	it('answers null for an unknown code', async () => {
		expect(parseJson(await areas.summary(t.db.knex, 'grid', 'nope'))).toBeNull();
		expect(parseJson(await areas.issues(t.db.knex, 'grid', 'nope', { page: 1, limit: 10 }))).toBeNull();
	});
});
