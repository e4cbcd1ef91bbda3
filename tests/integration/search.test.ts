/**
 * Search on the sample in PostGIS: areas by name or code, buildings by address, people by
 * name with the bbox of their current assignments; exact codes first; LIKE wildcards in the
 * text match literally; bad input is refused before any SQL runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import * as search from '../../src/lib/server/areas/search.js';
import { searchQuery } from '../../src/lib/server/http/areas.js';
import type { Scope } from '../../src/lib/server/ownership/territory.js';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase('sample');
});
afterAll(async () => {
	await t?.drop();
});

const find = (q: string, limit = 10) => search.search(t.db.knex, { q, limit });

async function extentOf(sql: string, bindings: Record<string, unknown>): Promise<number[]> {
	const { rows } = await t.db.knex.raw<{ rows: Record<string, number>[] }>(
		`SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (${sql}) AS x(e)`,
		bindings
	);
	return [rows[0].w, rows[0].s, rows[0].e, rows[0].n].map(Number);
}

function expectBbox(actual: number[], expected: number[]) {
	expect(actual).toHaveLength(4);
	actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
}

describe('search', () => {
	it('finds a community by part of its name, with its street and bbox', async () => {
		const results = await find('桂园林');
		expect(results[0]).toMatchObject({ kind: 'community', code: '510522100006', name: '桂园林社区', subtitle: '符阳街道' });
		const bbox = await extentOf("SELECT ST_Extent(geom)::geometry FROM communities WHERE code = :code", { code: '510522100006' });
		expectBbox(results[0].bbox, bbox);
		// Its grids come after it, with the community as subtitle.
		expect(results.filter((r) => r.kind === 'grid').every((r) => r.subtitle === '桂园林社区')).toBe(true);
		expect(results[1]).toMatchObject({ kind: 'grid', subtitle: '桂园林社区' });
	});

	it('matches a two-character query at the start of names only', async () => {
		expect((await find('桂园'))[0]).toMatchObject({ kind: 'community', name: '桂园林社区' });
		// '园林' is inside 桂园林 but starts no name: too short to search inside names.
		expect((await find('园林')).some((r) => r.name === '桂园林社区')).toBe(false);
		expect((await find('园林社')).some((r) => r.name === '桂园林社区')).toBe(true);
	});

	it('puts an exact code first, ahead of the codes that merely contain it', async () => {
		const results = await find('510522100006');
		expect(results[0]).toMatchObject({ kind: 'community', code: '510522100006' });
		expect(results.length).toBeGreaterThan(1);
		const grid = await t.db.knex('grids').orderBy('code', 'desc').first('code', 'name');
		const byGridCode = await find(grid.code);
		expect(byGridCode[0]).toMatchObject({ kind: 'grid', code: grid.code, name: grid.name });
	});

	it('finds a building by its address, case-insensitively by code', async () => {
		const results = await find('千藤街48号');
		expect(results.length).toBeGreaterThan(0);
		expect(results.every((r) => r.kind === 'building' && r.subtitle!.includes('千藤街48号'))).toBe(true);
		const building = await t.db.knex('buildings').first('code');
		const byCode = await find(building.code.toLowerCase());
		expect(byCode[0]).toMatchObject({ kind: 'building', code: building.code });
	});

	it('finds a person by name, with roles and the bbox of their current assignments only', async () => {
		// A grid worker, given an extra assignment that has ended, far away in another street.
		const { rows } = await t.db.knex.raw(`
			SELECT p.id, p.code, p.name, g.code AS grid_code FROM people p
			JOIN assignments a ON a.person_id = p.id AND a.role = 'grid_worker' AND a.valid_to IS NULL
			JOIN grids g ON g.id = a.grid_id
			WHERE (SELECT count(*) FROM people q WHERE q.name = p.name) = 1
			ORDER BY p.code LIMIT 1`);
		const person = rows[0];
		const farStreet = await t.db.knex.raw(
			`SELECT s.id FROM streets s WHERE NOT EXISTS (
				SELECT 1 FROM grids g JOIN communities c ON c.id = g.community_id WHERE g.code = :grid AND c.street_id = s.id)
			 LIMIT 1`,
			{ grid: person.grid_code }
		);
		await t.db.knex('assignments').insert({
			person_id: person.id,
			role: 'street_secretary',
			street_id: farStreet.rows[0].id,
			valid_from: '2020-01-01',
			valid_to: '2021-01-01'
		});

		const results = await find(person.name);
		const hit = results.find((r) => r.code === person.code)!;
		expect(hit).toMatchObject({ kind: 'person', name: person.name });
		expect(hit.subtitle).toContain('网格员');
		expect(hit.subtitle).not.toContain('街道党工委书记');
		expect(hit.assignments).toEqual([
			expect.objectContaining({ role: 'grid_worker', level: 'grid', code: person.grid_code })
		]);
		const bbox = await extentOf('SELECT ST_Extent(geom)::geometry FROM grids WHERE code = :code', { code: person.grid_code });
		expectBbox(hit.bbox, bbox);
	});

	it('spans every current assignment of a person who holds several', async () => {
		const { rows } = await t.db.knex.raw(`
			SELECT p.code, p.name FROM people p JOIN assignments a ON a.person_id = p.id AND a.valid_to IS NULL
			WHERE (SELECT count(*) FROM people q WHERE q.name = p.name) = 1
			GROUP BY p.id HAVING count(*) > 2 ORDER BY p.code LIMIT 1`);
		const { code, name } = rows[0];
		const hit = (await find(name)).find((r) => r.code === code)!;
		const bbox = await extentOf(
			`SELECT ST_Extent(coalesce(s.geom, c.geom, g.geom, k.geom, b.geom))::geometry
			 FROM assignments a JOIN people p ON p.id = a.person_id
			 LEFT JOIN streets s ON s.id = a.street_id LEFT JOIN communities c ON c.id = a.community_id
			 LEFT JOIN grids g ON g.id = a.grid_id LEFT JOIN compounds k ON k.id = a.compound_id
			 LEFT JOIN buildings b ON b.id = a.building_id
			 WHERE p.code = :code AND a.valid_from <= current_date AND (a.valid_to IS NULL OR a.valid_to > current_date)`,
			{ code }
		);
		expectBbox(hit.bbox, bbox);
		expect(hit.assignments!.length).toBeGreaterThan(2);
	});

	it('matches % and _ literally, and takes quotes as text', async () => {
		// Unescaped, '5_05' would match every code containing '5105'.
		expect(await find('5_05')).toEqual([]);
		expect(await find('%%')).toEqual([]);
		expect(await find("'; DROP TABLE streets; --")).toEqual([]);
		expect(await t.db.knex('streets').count({ n: '*' })).toEqual([{ n: '2' }]);
		await t.db.knex('compounds').where('name', '酱园坪').update({ name: '酱园坪_100%' });
		expect((await find('坪_100%')).map((r) => r.name)).toEqual(['酱园坪_100%']);
	});

	it('honours the limit', async () => {
		// Every grid is named "…社区第N网格".
		expect(await find('社区第', 3)).toHaveLength(3);
		expect((await find('社区第', 50)).length).toBe(50);
	});
});

describe('search within a scope', () => {
	const GUIYUANLIN = '510522100006';
	async function communityScope(code: string): Promise<Scope> {
		const { rows } = await t.db.knex.raw('SELECT ST_AsGeoJSON(geom) AS g FROM communities WHERE code = :code', { code });
		return { kind: 'territory', geojson: rows[0].g, label: 'community_admin' };
	}

	it('finds outlines only for a caller who is not signed in', async () => {
		const outlines: Scope = { kind: 'outlines' };
		const areas = await search.search(t.db.knex, { q: '桂园林', limit: 10 }, outlines);
		expect(areas[0]).toMatchObject({ kind: 'community', code: GUIYUANLIN });
		expect(await search.search(t.db.knex, { q: '千藤街48号', limit: 10 }, outlines)).toEqual([]);
		const person = await t.db.knex('people').first('name');
		const people = await search.search(t.db.knex, { q: person.name, limit: 50 }, outlines);
		expect(people.filter((r) => r.kind === 'person' || r.kind === 'building')).toEqual([]);
	});

	it('finds within a territory only what reaches into it', async () => {
		const scope = await communityScope(GUIYUANLIN);
		// Areas: the community and the ones that touch it, never one apart from it.
		const { rows: apart } = await t.db.knex.raw(
			`SELECT c.name FROM communities c, communities g WHERE g.code = :code AND NOT ST_Intersects(c.geom, g.geom) ORDER BY c.code LIMIT 1`,
			{ code: GUIYUANLIN }
		);
		expect(await search.search(t.db.knex, { q: apart[0].name, limit: 10 }, scope)).toEqual([]);
		expect((await search.search(t.db.knex, { q: '桂园林社区', limit: 50 }, scope)).length).toBeGreaterThan(1);
		// Buildings: by their anchor inside the territory.
		const { rows: b } = await t.db.knex.raw(
			`SELECT b.code, ST_Covers(c.geom, b.anchor) AS inside FROM buildings b, communities c
			 WHERE c.code = :code ORDER BY ST_Covers(c.geom, b.anchor) DESC, b.code LIMIT 1`,
			{ code: GUIYUANLIN }
		);
		expect(b[0].inside).toBe(true);
		expect((await search.search(t.db.knex, { q: b[0].code, limit: 10 }, scope))[0]).toMatchObject({ kind: 'building', code: b[0].code });
		const { rows: out } = await t.db.knex.raw(
			`SELECT b.code FROM buildings b, communities c WHERE c.code = :code AND NOT ST_Covers(c.geom, b.anchor) ORDER BY b.code LIMIT 1`,
			{ code: GUIYUANLIN }
		);
		expect(await search.search(t.db.knex, { q: out[0].code, limit: 10 }, scope)).toEqual([]);
		// People: only through assignments that reach into it.
		const { rows: far } = await t.db.knex.raw(
			`SELECT p.name FROM people p JOIN assignments a ON a.person_id = p.id AND a.valid_to IS NULL
			 JOIN grids g ON g.id = a.grid_id, communities c
			 WHERE c.code = :code AND NOT ST_Intersects(c.geom, g.geom)
			   AND (SELECT count(*) FROM people q WHERE q.name = p.name) = 1 LIMIT 1`,
			{ code: GUIYUANLIN }
		);
		expect((await search.search(t.db.knex, { q: far[0].name, limit: 10 }, scope)).filter((r) => r.kind === 'person')).toEqual([]);
	});
});

describe('search input', () => {
	const parse = (qs: string) => searchQuery(new URLSearchParams(qs));

	it('needs at least two characters', () => {
		expect(() => parse('')).toThrow(/at least 2/);
		expect(() => parse('q=%20桂%20')).toThrow(/at least 2/);
		expect(parse('q=桂园')).toEqual({ q: '桂园', limit: 10 });
	});

	it('takes a limit from 1 to 50', () => {
		expect(parse('q=ab&limit=50').limit).toBe(50);
		for (const bad of ['0', '51', '-1', 'x', '2.5']) {
			expect(() => parse(`q=ab&limit=${bad}`)).toThrow(/limit must be/);
		}
	});
});
