/**
 * The access matrix: every role × (list, record, bbox query, tile, count, export) × (inside,
 * outside its territory), over HTTP against the real server. Nothing outside leaks: a record
 * outside is a 404, and lists, tiles, counts and exports leave it out. A personal access token
 * of each role's account (issue 12) sees exactly what the account's cookie sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { decode, tileAt } from '../helpers/tiles.js';
import { USER_ROLES, type UserRole } from '../../src/lib/server/accounts/accounts.js';
import { DEMO_USERNAMES } from '../../db/seeds/demo-accounts.js';
import { TERRITORY_SQL } from '../helpers/territories.js';
import { exportArchive } from '../../src/lib/server/interfaces/tile-export.js';

const ROLES = USER_ROLES;
const USERNAMES = DEMO_USERNAMES;
const READ_ALL = new Set(['admin', 'planner', 'housing']);

let t: TestDatabase;
let server: RunningServer;
/** where the server finds offline tile archives (PMTILES_DIR) */
const pmtilesDir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'wangge-access-pmtiles-'));
const cookies: Record<string, string> = {};
/** A personal access token of each role's account, issued by the admin. */
const tokens: Record<string, string> = {};


interface Case {
	inside: { code: string; lng: number; lat: number; grid: string } | null;
	outside: { code: string; lng: number; lat: number; grid: string } | null;
	countInside: number;
}
const cases: Record<string, Case> = {};

beforeAll(async () => {
	t = await createTestDatabase('sample');
	server = await startServer({ DATABASE_URL: t.url, PMTILES_DIR: pmtilesDir });
	for (const role of ROLES) {
		const res = await fetch(`${server.url}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ username: USERNAMES[role], password: 'demo' })
		});
		expect(res.status, role).toBe(200);
		cookies[role] = res.headers.get('set-cookie')!.split(';')[0];
	}
	for (const role of ROLES) {
		const res = await fetch(`${server.url}/api/access-tokens`, {
			method: 'POST',
			headers: { cookie: cookies.admin, 'content-type': 'application/json' },
			body: JSON.stringify({ username: USERNAMES[role], label: `access matrix ${role}` })
		});
		expect(res.status, role).toBe(201);
		tokens[role] = (await res.json()).token;
	}
	const pick = (where: string, bindings: Record<string, unknown>) =>
		t.db.knex
			.raw(
				`SELECT i.code, ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat, (SELECT g.code FROM grids g WHERE ST_Covers(g.geom, i.geom) ORDER BY g.code LIMIT 1) AS grid
				 FROM issues i WHERE ${where} ORDER BY i.code LIMIT 1`,
				bindings
			)
			.then((r) => r.rows[0] ?? null);
	for (const role of ROLES) {
		if (READ_ALL.has(role)) {
			const [{ n }] = (await t.db.knex.raw('SELECT count(*)::int AS n FROM issues')).rows;
			cases[role] = { inside: await pick('true', {}), outside: null, countInside: n };
			continue;
		}
		const territory = `(${TERRITORY_SQL[role]})`;
		const u = USERNAMES[role];
		const [{ n }] = (await t.db.knex.raw(`SELECT count(*)::int AS n FROM issues i WHERE ST_Covers(${territory}, i.geom)`, { u })).rows;
		// Outside: well away from the territory, so no tile or bbox edge case blurs the answer.
		cases[role] = {
			inside: await pick(`ST_Covers(${territory}, i.geom)`, { u }),
			outside: await pick(`NOT ST_DWithin(${territory}, i.geom, 0.01)`, { u }),
			countInside: n
		};
	}
}, 300_000);

afterAll(async () => {
	await server?.stop();
	await t?.drop();
	fs.rmSync(pmtilesDir, { recursive: true, force: true });
});

type Via = 'cookie' | 'token';
const get = (role: string, path: string, via: Via = 'cookie') =>
	fetch(`${server.url}${path}`, { headers: via === 'cookie' ? { cookie: cookies[role] } : { authorization: `Bearer ${tokens[role]}` } });
const box = (p: { lng: number; lat: number }) => `${p.lng - 0.0002},${p.lat - 0.0002},${p.lng + 0.0002},${p.lat + 0.0002}`;

async function sees(role: string, issue: { code: string; lng: number; lat: number; grid: string }, via: Via = 'cookie') {
	const record = await get(role, `/api/issues/${issue.code}`, via);
	const caseRecord = await get(role, `/api/cases/${issue.code}`, via);
	const bbox = await (await get(role, `/api/issues?bbox=${box(issue)}`, via)).json();
	const csv = await (await get(role, `/api/issues.csv?bbox=${box(issue)}`, via)).text();
	const caseCsv = await (await get(role, `/api/cases.csv?bbox=${box(issue)}`, via)).text();
	const caseGeojson = await (await get(role, `/api/cases.geojson?bbox=${box(issue)}`, via)).json();
	const [z, x, y] = tileAt(issue.lng, issue.lat, 16);
	const tile = await get(role, `/tiles/issues/${z}/${x}/${y}.pbf`, via);
	const tileCodes = tile.status === 200 ? decode(new Uint8Array(await tile.arrayBuffer()), 'issues').map((f) => f.properties.code) : [];
	const ogcRecord = await get(role, `/ogc/collections/issues/items/${issue.code}`, via);
	const ogcItems = await (await get(role, `/ogc/collections/issues/items?bbox=${box(issue)}`, via)).json();
	const list = await get(role, `/api/areas/grid/${issue.grid}/issues?limit=100`, via);
	const listCodes = list.status === 200 ? (await list.json()).items.map((i: { code: string }) => i.code) : [];
	// The grid may hold more than 100 issues: page by status to be sure where it matters.
	return {
		record: record.status,
		caseRecord: caseRecord.status,
		bbox: bbox.items.some((i: { code: string }) => i.code === issue.code),
		export: csv.includes(issue.code),
		caseExport: caseCsv.includes(issue.code) && caseGeojson.features.some((f: { id: string }) => f.id === issue.code),
		tile: tileCodes.includes(issue.code),
		ogc: ogcRecord.status === 200 && ogcItems.features.some((f: { id: string }) => f.id === issue.code),
		ogcRecord: ogcRecord.status,
		list: listCodes.includes(issue.code),
		listStatus: list.status
	};
}

describe.each(ROLES)('%s', (role) => {
	it('sees what is inside its territory: record, list, bbox, tile, export', async () => {
		const { inside } = cases[role];
		expect(inside, `${role} has an issue in its territory`).not.toBeNull();
		const seen = await sees(role, inside!);
		expect(seen).toMatchObject({ record: 200, caseRecord: 200, bbox: true, export: true, caseExport: true, tile: true, ogc: true, list: true });
	});

	it('sees nothing outside it: 404 for the record, absent from list, bbox, tile and export', async () => {
		const { outside } = cases[role];
		if (READ_ALL.has(role)) {
			expect(outside).toBeNull(); // nothing is outside a county-wide role
			return;
		}
		expect(outside).not.toBeNull();
		const seen = await sees(role, outside!);
		expect(seen).toMatchObject({ record: 404, caseRecord: 404, bbox: false, export: false, caseExport: false, tile: false, ogc: false, ogcRecord: 404, list: false });
		expect(seen.listStatus).toBe(404); // the outside grid does not exist for this role
	});

	it('sees through its personal access token exactly what its cookie sees, inside and outside', async () => {
		for (const issue of [cases[role].inside, cases[role].outside]) {
			if (!issue) continue;
			expect(await sees(role, issue, 'token'), issue.code).toEqual(await sees(role, issue, 'cookie'));
		}
		const stats = await (await get(role, '/api/stats', 'token')).json();
		expect(stats.issues).toBe(cases[role].countInside);
	});

	it('counts only its territory', async () => {
		const stats = await (await get(role, '/api/stats')).json();
		expect(stats.issues).toBe(cases[role].countInside);
		if (!READ_ALL.has(role)) {
			// Outside, an area is its public outline and nothing more: what an anonymous caller gets (issue 20, point 9).
			const grid = cases[role].outside!.grid;
			const outside = await get(role, `/api/areas/grid/${grid}`);
			expect(outside.status).toBe(200);
			const seen = await outside.json();
			expect(seen).toMatchObject({ code: grid, households: null, buildings: null, counts: null, people: [] });
			expect(seen).toEqual(await (await fetch(`${server.url}/api/areas/grid/${grid}`)).json());
			expect((await get(role, `/api/areas/grid/${grid}/overlays`)).status).toBe(404);
			expect((await get(role, `/api/areas/grid/${grid}/issues`)).status).toBe(404);
		}
	});
});

describe('anonymous', () => {
	it('sees outlines but no issue, building or person', async () => {
		const issue = cases.planner.inside!;
		expect((await fetch(`${server.url}/api/issues/${issue.code}`)).status).toBe(404);
		expect((await (await fetch(`${server.url}/api/issues?bbox=${box(issue)}`)).json()).items).toEqual([]);
		const [z, x, y] = tileAt(issue.lng, issue.lat, 16);
		expect((await fetch(`${server.url}/tiles/issues/${z}/${x}/${y}.pbf`)).status).toBe(204);
		expect((await fetch(`${server.url}/tiles/buildings/${z}/${x}/${y}.pbf`)).status).toBe(204);
		expect((await fetch(`${server.url}/tiles/grids/${z}/${x}/${y}.pbf`)).status).toBe(200);
		expect((await fetch(`${server.url}/ogc/collections/issues/items/${issue.code}`)).status).toBe(404);
		expect((await (await fetch(`${server.url}/ogc/collections/issues/items?bbox=${box(issue)}`)).json()).features).toEqual([]);
		expect((await (await fetch(`${server.url}/ogc/collections/grids/items/${issue.grid}`)).json()).id).toBe(issue.grid);
		const area = await (await fetch(`${server.url}/api/areas/grid/${issue.grid}`)).json();
		expect(area).toMatchObject({ code: issue.grid, counts: null, people: [] });
		// A community's outline, not its liaison departments (issue 20, point 9).
		const [{ code: community }] = (await t.db.knex.raw(`SELECT c.code FROM communities c WHERE EXISTS (SELECT 1 FROM community_liaisons l WHERE l.community_id = c.id) ORDER BY c.code LIMIT 1`)).rows;
		const outline = await (await fetch(`${server.url}/api/areas/community/${community}`)).json();
		expect(Object.keys(outline).sort()).toEqual(['bbox', 'buildings', 'code', 'counts', 'departments', 'households', 'level', 'name', 'parents', 'partial', 'people']);
		expect(outline).toMatchObject({ code: community, households: null, buildings: null, counts: null, people: [], departments: [] });
		expect((await (await get('planner', `/api/areas/community/${community}`)).json()).departments.length).toBeGreaterThan(0);
		expect((await fetch(`${server.url}/api/areas/grid/${issue.grid}/issues`)).status).toBe(401);
	});
});

describe('boundary changes by a community admin (issue 8, points 1 and 2)', () => {
	const post = (path: string, body: unknown) =>
		fetch(`${server.url}${path}`, {
			method: 'POST',
			headers: { cookie: cookies.community_admin, 'content-type': 'application/json', origin: server.url },
			body: JSON.stringify(body)
		});

	it('cannot take over the county with a county-sized outline, by apply or preview, and sees no data', async () => {
		const { rows } = await t.db.knex.raw(
			`SELECT c.code AS community, (SELECT g.code FROM grids g WHERE g.community_id = c.id ORDER BY g.code LIMIT 1) AS grid,
				(SELECT ST_AsGeoJSON(geom) FROM county) AS county
			 FROM users u JOIN assignments a ON a.person_id = u.person_id AND a.role = 'community_secretary' AND a.valid_to IS NULL
			 JOIN communities c ON c.id = a.community_id WHERE u.username = 'demo-community'`
		);
		const { community, grid, county } = rows[0];
		const versions = async () => Number((await t.db.knex('boundary_versions').count({ n: '*' }))[0].n);
		const before = await versions();
		for (const [level, code] of [['community', community], ['grid', grid]]) {
			const body = { level, code, geometry: JSON.parse(county), effective_date: '2026-11-01', reason: 'take over' };
			for (const path of ['/api/boundaries/preview', '/api/boundaries/apply']) {
				const res = await post(path, body);
				expect(res.status, `${path} ${level}`).toBe(403);
				const answer = await res.json();
				expect(Object.keys(answer), `${path} ${level}`).toEqual(['message', 'code', 'params']);
			}
		}
		expect(await versions()).toBe(before);
		// Still confined to their community afterwards: an outline outside it, no data.
		expect((await get('community_admin', `/api/areas/grid/${cases.community_admin.outside!.grid}/issues`)).status).toBe(404);
		expect(await (await get('community_admin', `/api/areas/grid/${cases.community_admin.outside!.grid}`)).json()).toMatchObject({ counts: null, people: [] });
	});
});

/**
 * Touching is not inside (issue 8, point 4): for each restricted role, an area of its
 * territory's level that only shares an edge with the territory is as closed to it as one
 * far away — summary, roster, issue list, its issues, its people, search and choropleth —
 * while the role's own area is open. Computed here from DE-9IM relations, not the app's.
 */
describe('touching is not inside', () => {
	const TOUCHING: Record<string, { level: 'grid' | 'community'; own: string; touching: string }> = {
		grid_worker: {
			level: 'grid',
			own: `SELECT g.id, g.code, g.name, g.geom FROM grids g JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND a.valid_to IS NULL JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-grid'`,
			// a grid of another community that shares an edge
			touching: `SELECT o.id, o.code, o.name, o.geom FROM grids o, own WHERE o.id <> own.id AND ST_Touches(o.geom, own.geom)
				AND o.community_id <> (SELECT community_id FROM grids WHERE id = own.id)`
		},
		community_admin: {
			level: 'community',
			own: `SELECT c.id, c.code, c.name, c.geom FROM communities c JOIN assignments a ON a.community_id = c.id AND a.role = 'community_secretary' AND a.valid_to IS NULL JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-community'`,
			touching: `SELECT o.id, o.code, o.name, o.geom FROM communities o, own WHERE o.id <> own.id AND ST_Touches(o.geom, own.geom)`
		},
		department: {
			level: 'community',
			own: `SELECT c.id, c.code, c.name, c.geom FROM communities c JOIN community_liaisons l ON l.community_id = c.id JOIN users u ON u.department_id = l.department_id WHERE u.username = 'demo-department'`,
			touching: `SELECT o.id, o.code, o.name, o.geom FROM communities o WHERE NOT EXISTS (SELECT 1 FROM own WHERE own.id = o.id)
				AND ST_Touches(o.geom, (SELECT ST_Union(geom) FROM own))`
		}
	};

	describe.each(Object.keys(TOUCHING))('%s', (role) => {
		it('sees its own area and nothing of a neighbour that only touches it', async () => {
			const spec = TOUCHING[role];
			const pick = async (which: 'own' | 'touching') => {
				const { rows } = await t.db.knex.raw(
					`WITH own AS (${spec.own}), area AS (${which === 'own' ? 'SELECT * FROM own' : spec.touching} ORDER BY code LIMIT 1)
					 SELECT area.code, area.name,
						(SELECT i.code FROM issues i WHERE ST_Covers(area.geom, i.geom) AND NOT ST_DWithin(i.geom::geography, ST_Boundary(area.geom)::geography, 5) ORDER BY i.code LIMIT 1) AS issue,
						(SELECT p.code FROM assignments a JOIN people p ON p.id = a.person_id
						 WHERE a.valid_to IS NULL AND (a.${spec.level}_id = area.id OR a.grid_id IN (SELECT id FROM grids WHERE ST_Covers(area.geom, ST_PointOnSurface(geom))))
						 AND NOT EXISTS (SELECT 1 FROM assignments b WHERE b.person_id = a.person_id AND b.valid_to IS NULL AND b.id <> a.id)
						 ORDER BY p.code LIMIT 1) AS person
					 FROM area`
				);
				expect(rows[0], `${role} has a ${which} ${spec.level}`).toBeTruthy();
				return rows[0] as { code: string; name: string; issue: string; person: string };
			};
			const own = await pick('own');
			const touching = await pick('touching');
			expect(touching.issue && touching.person, `the touching ${spec.level} ${touching.code} has an issue and a person`).toBeTruthy();

			const status = async (path: string) => (await get(role, path)).status;
			const expectations: [string, string, number, number][] = [
				['roster', `/api/areas/${spec.level}/{}/roster`, 200, 404],
				['issue list', `/api/areas/${spec.level}/{}/issues`, 200, 404],
				['renovation and flood', `/api/areas/${spec.level}/{}/overlays`, 200, 404]
			];
			for (const [what, template, inside, beside] of expectations) {
				const path = (code: string) => (template.includes('{}') ? template.replace('{}', code) : `${template}${code}`);
				expect(await status(path(own.code)), `${role} ${what} of its own ${own.code}`).toBe(inside);
				expect(await status(path(touching.code)), `${role} ${what} of the touching ${touching.code}`).toBe(beside);
			}
			// The touching area's summary is its public outline, as for anyone outside (issue 20, point 9).
			expect(await (await get(role, `/api/areas/${spec.level}/${own.code}`)).json()).toMatchObject({ code: own.code, counts: { total: expect.any(Number) } });
			expect(await (await get(role, `/api/areas/${spec.level}/${touching.code}`)).json()).toMatchObject({ code: touching.code, counts: null, people: [], households: null });
			expect(await status(`/api/issues/${own.issue}`), 'its own issue').toBe(200);
			expect(await status(`/api/issues/${touching.issue}`), 'an issue of the touching area').toBe(404);
			expect(await status(`/api/cases/${own.issue}`), 'its own case').toBe(200);
			expect(await status(`/api/cases/${touching.issue}`), 'a case of the touching area').toBe(404);
			expect(await status(`/api/people/${touching.person}`), 'a person of the touching area').toBe(404);
			const search = await (await get(role, `/api/search?q=${encodeURIComponent(touching.code)}&limit=50`)).json();
			expect(search.results.map((r: { code: string }) => r.code)).not.toContain(touching.code);
			const choropleth = await (await get(role, `/api/choropleth?level=${spec.level}&metric=overdue`)).json();
			const codes = choropleth.values.map((v: { code: string }) => v.code);
			expect(codes).not.toContain(touching.code);
			if (spec.level === 'grid') expect(codes).toContain(own.code);
		});
	});
});

describe('boundary preview and apply by role', () => {
	it('lets an admin and the community admin of the grid preview, and refuses everyone else and every other grid', async () => {
		const { rows } = await t.db.knex.raw(`
			WITH own AS (SELECT c.id FROM communities c JOIN assignments a ON a.community_id = c.id AND a.role = 'community_secretary' AND a.valid_to IS NULL
				JOIN users u ON u.person_id = a.person_id WHERE u.username = 'demo-community')
			SELECT (SELECT g.code FROM grids g WHERE g.community_id = (SELECT id FROM own) ORDER BY g.code LIMIT 1) AS inside,
				(SELECT ST_AsGeoJSON(g.geom) FROM grids g WHERE g.community_id = (SELECT id FROM own) ORDER BY g.code LIMIT 1) AS inside_geom,
				(SELECT g.code FROM grids g WHERE g.community_id <> (SELECT id FROM own) AND ST_Touches(g.geom, (SELECT geom FROM communities WHERE id = (SELECT id FROM own))) ORDER BY g.code LIMIT 1) AS touching,
				(SELECT ST_AsGeoJSON(g.geom) FROM grids g WHERE g.community_id <> (SELECT id FROM own) AND ST_Touches(g.geom, (SELECT geom FROM communities WHERE id = (SELECT id FROM own))) ORDER BY g.code LIMIT 1) AS touching_geom`);
		const r = rows[0];
		const preview = (role: string, code: string, geometry: string) =>
			fetch(`${server.url}/api/boundaries/preview`, {
				method: 'POST',
				headers: { cookie: cookies[role], 'content-type': 'application/json' },
				body: JSON.stringify({ level: 'grid', code, geometry: JSON.parse(geometry) })
			}).then((res) => res.status);
		const expected: Record<string, [number, number]> = {
			admin: [200, 200],
			community_admin: [200, 403],
			planner: [403, 403],
			housing: [403, 403],
			department: [403, 403],
			grid_worker: [403, 403],
			building_head: [403, 403]
		};
		for (const role of ROLES) {
			expect([await preview(role, r.inside, r.inside_geom), await preview(role, r.touching, r.touching_geom)], role).toEqual(expected[role]);
		}
		const versions = Number((await t.db.knex('boundary_versions').count({ n: '*' }))[0].n);
		// Apply is refused to the same roles before anything is written.
		for (const role of ['planner', 'grid_worker', 'department']) {
			const res = await fetch(`${server.url}/api/boundaries/apply`, {
				method: 'POST',
				headers: { cookie: cookies[role], 'content-type': 'application/json' },
				body: JSON.stringify({ level: 'grid', code: r.inside, geometry: JSON.parse(r.inside_geom), effective_date: '2026-11-01', reason: 'r' })
			});
			expect(res.status, role).toBe(403);
		}
		expect(Number((await t.db.knex('boundary_versions').count({ n: '*' }))[0].n)).toBe(versions);
	});
});

/**
 * Offline tile archives (issue 12): one exported for each restricted role, and one of the full
 * view. A role reads an archive when it reads everything, or when its territory is the one the
 * archive was made for (equal geometries, by SQL here); anyone else gets a 404, and signed out
 * a 401.
 */
describe('offline tile archives by role', () => {
	const owners = ROLES.filter((r) => !READ_ALL.has(r));

	beforeAll(async () => {
		for (const owner of [...owners, null]) {
			const { archive } = await exportArchive(t.db, { layers: ['issues', 'grids'], minzoom: 14, maxzoom: 14, username: owner ? USERNAMES[owner] : null });
			fs.writeFileSync(nodePath.join(pmtilesDir, `${owner ?? 'full'}.pmtiles`), archive);
		}
	}, 300_000);

	it('goes to the read-all roles and to the territory it was made for, no one else', async () => {
		const sameTerritory = async (a: UserRole, b: UserRole) => {
			const { rows } = await t.db.knex.raw(`SELECT ST_Equals((${TERRITORY_SQL[a].replace(/:u/g, ':a')}), (${TERRITORY_SQL[b].replace(/:u/g, ':b')})) AS same`, {
				a: USERNAMES[a],
				b: USERNAMES[b]
			});
			return rows[0].same === true;
		};
		const status = async (role: string | null, file: string) =>
			(await fetch(`${server.url}/offline/${file}.pmtiles`, { headers: { range: 'bytes=0-126', ...(role ? { cookie: cookies[role] } : {}) } })).status;
		for (const file of [...owners, 'full']) {
			expect(await status(null, file), `anonymous → ${file}`).toBe(401);
			for (const role of ROLES) {
				const readable = READ_ALL.has(role) || (file !== 'full' && (role === file || (!READ_ALL.has(role) && (await sameTerritory(role, file as UserRole)))));
				expect(await status(role, file), `${role} → ${file}`).toBe(readable ? 206 : 404);
			}
		}
	});
});

/**
 * The field worker's endpoints (issue 13) by role: the offline pack for the field roles only;
 * a building card, a building's visits and a visit recorded inside the territory, a 404 (or,
 * for a visit, a 403) outside it.
 */
describe('visits, building cards and the offline pack by role', () => {
	const FIELD = new Set(['grid_worker', 'building_head', 'community_admin']);
	const VISITORS = new Set(['admin', 'grid_worker', 'building_head', 'community_admin']);
	const building = async (role: UserRole, inside: boolean): Promise<string | null> => {
		if (READ_ALL.has(role)) return inside ? (await t.db.knex('buildings').orderBy('code').first('code')).code : null;
		const { rows } = await t.db.knex.raw(
			`SELECT b.code FROM buildings b WHERE ${inside ? `ST_Covers((${TERRITORY_SQL[role]}), b.anchor)` : `NOT ST_DWithin((${TERRITORY_SQL[role]}), b.anchor, 0.01)`} ORDER BY b.code LIMIT 1`,
			{ u: USERNAMES[role] }
		);
		return rows[0]?.code ?? null;
	};
	const postVisit = (role: string, code: string) =>
		fetch(`${server.url}/api/visits`, {
			method: 'POST',
			headers: { cookie: cookies[role], 'content-type': 'application/json' },
			body: JSON.stringify({ building_code: code, visited_at: new Date().toISOString(), situation: 'normal', idempotency_key: `access-${role}-${code}` })
		});

	it.each(ROLES)('%s', async (role) => {
		expect((await get(role, '/api/me/offline')).status).toBe(FIELD.has(role) ? 200 : 403);
		const inside = await building(role, true);
		const outside = await building(role, false);
		if (inside) {
			expect((await get(role, `/api/me/buildings/${inside}`)).status, inside).toBe(200);
			expect((await get(role, `/api/visits?building=${inside}`)).status, inside).toBe(200);
			expect((await postVisit(role, inside)).status, inside).toBe(VISITORS.has(role) ? 201 : 403);
		}
		if (outside) {
			expect((await get(role, `/api/me/buildings/${outside}`)).status, outside).toBe(404);
			expect((await get(role, `/api/visits?building=${outside}`)).status, outside).toBe(404);
			expect((await postVisit(role, outside)).status, outside).toBe(403);
		}
		expect((await get(role, '/api/visits/coverage')).status).toBe(200);
	});

	it('answers no visit, card or pack signed out', async () => {
		expect((await fetch(`${server.url}/api/me/offline`)).status).toBe(401);
		expect((await fetch(`${server.url}/api/visits`)).status).toBe(401);
		expect((await fetch(`${server.url}/api/visits/coverage`)).status).toBe(401);
		expect((await fetch(`${server.url}/api/me/buildings/B00000001`)).status).toBe(401);
	});
});

/**
 * Department pages (issue 14, part 1) by role: the county-wide roles read any department's
 * page; the department account its own, with exactly the communities it liaises with (by SQL
 * here), and another department's is a 404 as if it did not exist; the area-bound roles are
 * refused (403) and the signed-out asked to sign in (401).
 */
describe('department pages by role', () => {
	it('opens its own page to a department with only its communities, and no other department', async () => {
		const { rows } = await t.db.knex.raw(
			`SELECT d.code, (SELECT o.code FROM departments o WHERE o.id <> d.id ORDER BY o.code LIMIT 1) AS other,
				(SELECT array_agg(c.code ORDER BY c.code) FROM community_liaisons l JOIN communities c ON c.id = l.community_id WHERE l.department_id = d.id) AS communities
			 FROM departments d JOIN users u ON u.department_id = d.id WHERE u.username = :u`,
			{ u: USERNAMES.department }
		);
		const { code, other, communities } = rows[0];
		const expected: Record<string, [own: number, other: number, list: number]> = {
			admin: [200, 200, 200],
			planner: [200, 200, 200],
			housing: [200, 200, 200],
			department: [200, 404, 200],
			community_admin: [403, 403, 403],
			grid_worker: [403, 403, 403],
			building_head: [403, 403, 403]
		};
		for (const role of ROLES) {
			for (const via of ['cookie', 'token'] as Via[]) {
				const statuses = [(await get(role, `/api/departments/${code}`, via)).status, (await get(role, `/api/departments/${other}`, via)).status, (await get(role, '/api/departments', via)).status];
				expect(statuses, `${role} by ${via}`).toEqual(expected[role]);
			}
		}
		const page = await (await get('department', `/api/departments/${code}`)).json();
		expect(page.communities.map((c: { code: string }) => c.code).sort()).toEqual(communities);
		expect(page.map.features.map((f: { properties: { code: string } }) => f.properties.code).sort()).toEqual(communities);
		const list = await (await get('department', '/api/departments')).json();
		expect(list.map((d: { code: string }) => d.code)).toEqual([code]);
		expect((await fetch(`${server.url}/api/departments/${code}`)).status).toBe(401);
		expect((await fetch(`${server.url}/api/departments`)).status).toBe(401);
	});
});

/**
 * 三个一 and joint meetings (issue 14) by role: the county table lists exactly the communities
 * of the caller's territory (all for the read-all roles); a meeting of another community is a
 * 404; recording is for admins and the community's admins inside the territory, a 403 outside.
 */
describe('三个一 and joint meetings by role', () => {
	const RECORDERS = new Set(['admin', 'community_admin']);
	const mine = async (role: UserRole): Promise<string[]> => {
		if (READ_ALL.has(role)) return (await t.db.knex('communities').orderBy('code').pluck('code')) as string[];
		const { rows } = await t.db.knex.raw(
			`SELECT c.code FROM communities c, (${TERRITORY_SQL[role]}) AS t(g)
			 WHERE t.g IS NOT NULL AND ST_Intersects(t.g, c.geom) AND NOT ST_Touches(t.g, c.geom) ORDER BY c.code`,
			{ u: USERNAMES[role] }
		);
		return rows.map((r: { code: string }) => r.code);
	};
	const record = (role: string, community: string) =>
		fetch(`${server.url}/api/three-ones`, {
			method: 'POST',
			headers: { cookie: cookies[role], 'content-type': 'application/json' },
			body: JSON.stringify({ kind: 'report', community_code: community, held_on: '2026-11-02' })
		});

	it.each(ROLES)('%s', async (role) => {
		const communities = await mine(role);
		const table = await get(role, '/api/three-ones?year=2026');
		expect(table.status).toBe(200);
		expect(((await table.json()).communities as { code: string }[]).map((c) => c.code)).toEqual(communities);
		const meetings = (await t.db.knex.raw(`SELECT a.id, c.code FROM first_secretary_activities a JOIN communities c ON c.id = a.community_id WHERE a.kind = 'meeting' ORDER BY a.id`)).rows;
		expect(meetings.length).toBeGreaterThan(0);
		for (const m of meetings) expect((await get(role, `/api/meetings/${m.id}`)).status, m.code).toBe(communities.includes(m.code) ? 200 : 404);
		const outside = (await t.db.knex('communities').whereNotIn('code', communities).orderBy('code').first('code'))?.code;
		if (outside) expect((await record(role, outside)).status, outside).toBe(403);
		if (communities.length) expect((await record(role, communities[0])).status, communities[0]).toBe(RECORDERS.has(role) ? 201 : 403);
	});

	it('answers nothing signed out', async () => {
		expect((await fetch(`${server.url}/api/three-ones`)).status).toBe(401);
		expect((await fetch(`${server.url}/api/meetings/1`)).status).toBe(401);
	});
});

/**
 * 三张清单 (issue 14, part 3) by role: the demand list holds exactly the demands at points in
 * the caller's territory, the project list the projects of communities sharing more than a
 * boundary with it (a department account: its liaison communities' and no others); a demand
 * at a point outside the territory is refused with a 403, and a department account records
 * none anywhere.
 */
describe('三张清单 by role', () => {
	const inTerritory = async (role: UserRole, sql: (territory: string) => string): Promise<number[]> => {
		const territory = READ_ALL.has(role) ? null : `(${TERRITORY_SQL[role]})`;
		const { rows } = await t.db.knex.raw(sql(territory ?? 'NULL'), { u: USERNAMES[role] });
		return rows.map((r: { id: number }) => r.id);
	};
	const demandIds = (role: UserRole) =>
		READ_ALL.has(role)
			? inTerritory(role, () => 'SELECT id FROM demands ORDER BY id')
			: inTerritory(role, (g) => `SELECT d.id FROM demands d WHERE ST_Covers(${g}, d.geom) ORDER BY d.id`);
	const projectIds = (role: UserRole) =>
		READ_ALL.has(role)
			? inTerritory(role, () => 'SELECT id FROM service_projects ORDER BY id')
			: inTerritory(role, (g) => `SELECT p.id FROM service_projects p JOIN communities c ON c.id = p.community_id WHERE ST_Intersects(${g}, c.geom) AND NOT ST_Touches(${g}, c.geom) ORDER BY p.id`);
	const sorted = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);

	it.each(ROLES)('%s', async (role) => {
		const demands = await get(role, '/api/demands');
		expect(demands.status).toBe(200);
		expect(sorted((await demands.json()).demands)).toEqual(await demandIds(role));
		const projects = await get(role, '/api/service-projects');
		expect(projects.status).toBe(200);
		expect(sorted((await projects.json()).projects)).toEqual(await projectIds(role));
		if (!READ_ALL.has(role)) {
			// Well away from the territory.
			const { rows } = await t.db.knex.raw(
				`SELECT ST_X(p) AS lng, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(c.geom) AS p FROM communities c
				 WHERE NOT ST_DWithin(c.geom, COALESCE((${TERRITORY_SQL[role]}), ST_GeomFromText('POINT(0 0)', 4326)), 0.001) ORDER BY c.code LIMIT 1) x`,
				{ u: USERNAMES[role] }
			);
			const res = await fetch(`${server.url}/api/demands`, {
				method: 'POST',
				headers: { cookie: cookies[role], 'content-type': 'application/json' },
				body: JSON.stringify({ category: 'health', title: '越界需求', lng: Number(rows[0].lng), lat: Number(rows[0].lat) })
			});
			expect(res.status).toBe(403);
		}
	});

	it("a department account sees its liaison communities' demands and projects and no others", async () => {
		const { rows } = await t.db.knex.raw(
			`SELECT d.id FROM demands d WHERE d.community_id IN (SELECT l.community_id FROM community_liaisons l JOIN users u ON u.department_id = l.department_id WHERE u.username = :u) ORDER BY d.id`,
			{ u: USERNAMES.department }
		);
		expect(rows.length).toBeGreaterThan(0);
		expect(sorted((await (await get('department', '/api/demands')).json()).demands)).toEqual(rows.map((r: { id: number }) => r.id));
	});

	it('answers nothing signed out', async () => {
		expect((await fetch(`${server.url}/api/demands`)).status).toBe(401);
		expect((await fetch(`${server.url}/api/service-projects`)).status).toBe(401);
		expect((await fetch(`${server.url}/api/demands/1/matches`)).status).toBe(401);
	});
});

/**
 * The county dashboard (issue 14, part 6) by role: the joint meetings it counts and lists are
 * those of communities sharing more than a boundary with the caller's territory (a department
 * account: its liaison communities', no others); signed out, nothing.
 */
describe('dashboard by role', () => {
	const period = 'from=2026-01-01&to=2026-12-31';
	const meetingIds = async (role: UserRole): Promise<number[]> => {
		const territory = READ_ALL.has(role) ? 'true' : `ST_Intersects((${TERRITORY_SQL[role]}), c.geom) AND NOT ST_Touches((${TERRITORY_SQL[role]}), c.geom)`;
		const { rows } = await t.db.knex.raw(
			`SELECT a.id FROM first_secretary_activities a JOIN communities c ON c.id = a.community_id
			 WHERE a.kind = 'meeting' AND a.held_on BETWEEN '2026-01-01' AND '2026-12-31' AND COALESCE(${territory}, false) ORDER BY a.id`,
			{ u: USERNAMES[role] }
		);
		return rows.map((r: { id: number }) => r.id);
	};

	it.each(ROLES)('%s', async (role) => {
		const want = await meetingIds(role);
		const figures = await get(role, `/api/dashboard?${period}`);
		expect(figures.status).toBe(200);
		expect((await figures.json()).figures.find((f: { figure: string }) => f.figure === 'meetings').value).toBe(want.length);
		const listed = await get(role, `/api/dashboard/records?figure=meetings&${period}`);
		expect(listed.status).toBe(200);
		expect((await listed.json()).records.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b)).toEqual(want);
	});

	it("a department account counts its liaison communities' meetings and no others", async () => {
		const { rows } = await t.db.knex.raw(
			`SELECT a.id FROM first_secretary_activities a WHERE a.kind = 'meeting' AND a.held_on BETWEEN '2026-01-01' AND '2026-12-31'
			 AND a.community_id IN (SELECT l.community_id FROM community_liaisons l JOIN users u ON u.department_id = l.department_id WHERE u.username = :u) ORDER BY a.id`,
			{ u: USERNAMES.department }
		);
		expect(rows.length).toBeGreaterThan(0);
		const listed = await (await get('department', `/api/dashboard/records?figure=meetings&${period}`)).json();
		expect(listed.records.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b)).toEqual(rows.map((r: { id: number }) => r.id));
		const total = Number((await t.db.knex('first_secretary_activities').where({ kind: 'meeting' }).count({ n: '*' }))[0].n);
		expect(listed.records.length).toBeLessThan(total);
	});

	it('answers nothing signed out', async () => {
		expect((await fetch(`${server.url}/api/dashboard`)).status).toBe(401);
		expect((await fetch(`${server.url}/api/dashboard/records?figure=meetings`)).status).toBe(401);
	});
});

/**
 * 考核评价 (issue 14, part 5) by role: the evaluation holds exactly the communities sharing
 * more than a boundary with the caller's territory (a department account: its liaison
 * communities and no others), department rows for the county-wide roles and a department
 * account's own only; the export holds the same communities; a self-report for a community
 * outside the territory, or for another department, is refused; grid workers and building
 * heads, whose territory is part of a community, read none (403).
 */
describe('考核评价 by role', () => {
	const communityCodes = async (role: UserRole): Promise<string[]> => {
		if (READ_ALL.has(role)) return (await t.db.knex('communities').orderBy('code').pluck('code')) as string[];
		const { rows } = await t.db.knex.raw(
			`SELECT c.code FROM communities c, (${TERRITORY_SQL[role]}) AS g(geom) WHERE ST_Intersects(g.geom, c.geom) AND NOT ST_Touches(g.geom, c.geom) ORDER BY c.code`,
			{ u: USERNAMES[role] }
		);
		return rows.map((r: { code: string }) => r.code);
	};
	const departmentCodes = async (role: UserRole): Promise<string[]> => {
		if (READ_ALL.has(role)) return (await t.db.knex('departments').orderBy('code').pluck('code')) as string[];
		if (role !== 'department') return [];
		return (await t.db.knex('departments').join('users', 'users.department_id', 'departments.id').where('users.username', USERNAMES.department).pluck('departments.code')) as string[];
	};
	const codes = (rows: { code: string }[]) => rows.map((r) => r.code);

	it.each(ROLES)('%s', async (role) => {
		const res = await get(role, '/api/evaluation?year=2026');
		if (role === 'grid_worker' || role === 'building_head') {
			// a community's row is the whole community's: not for an account that reads part of one
			expect(res.status).toBe(403);
			expect((await get(role, '/api/evaluation/export?year=2026&format=csv')).status).toBe(403);
			return;
		}
		expect(res.status).toBe(200);
		const body = await res.json();
		expect(codes(body.communities)).toEqual(await communityCodes(role));
		expect(codes(body.departments)).toEqual(await departmentCodes(role));
		const csv = await get(role, '/api/evaluation/export?year=2026&format=csv');
		expect(csv.status).toBe(200);
		const lines = (await csv.text()).trim().split('\r\n').slice(1);
		expect(lines.map((l) => l.split(',')[0])).toEqual(await communityCodes(role));
		if (role !== 'admin') {
			const outside = (await t.db.knex('communities').orderBy('code').pluck('code')).find((c) => !READ_ALL.has(role) && !codes(body.communities).includes(c)) ?? (await t.db.knex('communities').orderBy('code').first('code')).code;
			const put = await fetch(`${server.url}/api/evaluation/communities/${outside}`, {
				method: 'PUT',
				headers: { cookie: cookies[role], 'content-type': 'application/json' },
				body: JSON.stringify({ year: 2026, self_report: '越权' })
			});
			expect([403, 404]).toContain(put.status);
		}
	});

	it("a department account sees its own communities' rows and its own department's, and no others", async () => {
		const { rows } = await t.db.knex.raw(
			`SELECT c.code FROM communities c JOIN community_liaisons l ON l.community_id = c.id JOIN users u ON u.department_id = l.department_id WHERE u.username = :u ORDER BY c.code`,
			{ u: USERNAMES.department }
		);
		expect(rows.length).toBeGreaterThan(0);
		const body = await (await get('department', '/api/evaluation')).json();
		expect(codes(body.communities)).toEqual(rows.map((r: { code: string }) => r.code));
		expect(codes(body.departments)).toEqual(await departmentCodes('department'));
		const other = await t.db.knex('departments').whereNotIn('code', codes(body.departments)).orderBy('code').first('code');
		const put = await fetch(`${server.url}/api/evaluation/departments/${other.code}`, {
			method: 'PUT',
			headers: { cookie: cookies.department, 'content-type': 'application/json' },
			body: JSON.stringify({ year: 2026, self_report: '别的部门' })
		});
		expect(put.status).toBe(404);
	});

	it('answers nothing signed out', async () => {
		expect((await fetch(`${server.url}/api/evaluation`)).status).toBe(401);
		expect((await fetch(`${server.url}/api/evaluation/export?format=csv`)).status).toBe(401);
		const put = await fetch(`${server.url}/api/evaluation/communities/510522100006`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ year: 2026, self_report: 'x' }) });
		expect(put.status).toBe(401);
	});
});

/**
 * 双报到 (issue 14, part 4) by role: the member list holds exactly the members whose home
 * community shares more than a boundary with the caller's territory (a department account also
 * its own department's members, wherever they live); the item list the items of such
 * communities (a department account also the items its own members claimed), each with the
 * claims the caller may read; registering a member in a community outside the territory is a
 * 403 for every role but a department account (its own members may live anywhere).
 */
describe('双报到 by role', () => {
	const own = async (role: UserRole) =>
		role === 'department' ? Number((await t.db.knex('users').where({ username: USERNAMES.department }).first('department_id')).department_id) : -1;
	/** area: reaches into the territory; covered: lies wholly in it; home: a member (alias) lives in it — their building's anchor, else their whole community (issue 20, point 10). */
	type Rules = { area: (col: string) => string; covered: (col: string) => string; home: (m: string) => string };
	const ids = async (role: UserRole, sql: (rules: Rules) => string): Promise<number[]> => {
		const territory = `(${TERRITORY_SQL[role]})`;
		const all = READ_ALL.has(role);
		const area = (col: string) => (all ? 'true' : `(ST_Intersects(${territory}, ${col}) AND NOT ST_Touches(${territory}, ${col}))`);
		const covered = (col: string) => (all ? 'true' : `COALESCE(ST_Covers(${territory}, ${col}), false)`);
		const home = (m: string) =>
			all
				? 'true'
				: `(CASE WHEN ${m}.building_id IS NOT NULL THEN ${covered(`(SELECT hb.anchor FROM buildings hb WHERE hb.id = ${m}.building_id)`)}
					ELSE ${covered(`(SELECT hc.geom FROM communities hc WHERE hc.id = ${m}.community_id)`)} END)`;
		const { rows } = await t.db.knex.raw(sql({ area, covered, home }), { u: USERNAMES[role], own: await own(role) });
		return rows.map((r: { id: number }) => r.id);
	};
	const memberIds = (role: UserRole) => ids(role, ({ home }) => `SELECT m.id FROM party_members m WHERE ${home('m')} OR m.department_id = :own ORDER BY m.id`);
	const itemIds = (role: UserRole) =>
		ids(
			role,
			({ area }) => `SELECT i.id FROM service_items i JOIN communities c ON c.id = i.community_id WHERE ${area('c.geom')}
				OR EXISTS (SELECT 1 FROM service_claims sc JOIN party_members m ON m.id = sc.member_id WHERE sc.item_id = i.id AND m.department_id = :own) ORDER BY i.id`
		);
	const claimIds = (role: UserRole) =>
		ids(
			role,
			({ covered, home }) => `SELECT sc.id FROM service_claims sc JOIN service_items i ON i.id = sc.item_id JOIN communities c ON c.id = i.community_id JOIN party_members m ON m.id = sc.member_id
				WHERE ${covered('c.geom')} OR ${home('m')} OR m.department_id = :own ORDER BY sc.id`
		);
	const sorted = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);

	it.each(ROLES)('%s', async (role) => {
		const members = await get(role, '/api/party-members');
		expect(members.status).toBe(200);
		expect(members.headers.get('cache-control')).toBe('private, no-cache');
		expect(sorted((await members.json()).members)).toEqual(await memberIds(role));
		const items = await get(role, '/api/service-items');
		expect(items.status).toBe(200);
		const itemRows = (await items.json()).items as { id: number; claims: { id: number }[] }[];
		expect(sorted(itemRows)).toEqual(await itemIds(role));
		expect(sorted(itemRows.flatMap((i) => i.claims))).toEqual(await claimIds(role));
		const summary = await get(role, '/api/dual-reporting');
		expect(summary.status).toBe(200);
		expect(sorted((await summary.json()).members)).toEqual(await memberIds(role));
		if (!READ_ALL.has(role)) {
			const { rows } = await t.db.knex.raw(
				`SELECT c.code FROM communities c WHERE NOT ST_DWithin(c.geom, COALESCE((${TERRITORY_SQL[role]}), ST_GeomFromText('POINT(0 0)', 4326)), 0.001) ORDER BY c.code LIMIT 1`,
				{ u: USERNAMES[role] }
			);
			const before = Number((await t.db.knex('party_members').count({ n: '*' }))[0].n);
			const res = await fetch(`${server.url}/api/party-members`, {
				method: 'POST',
				headers: { cookie: cookies[role], 'content-type': 'application/json' },
				body: JSON.stringify({ name: '越界党员', community_code: rows[0].code, unit_name: '某单位' })
			});
			if (role === 'department') {
				expect(res.status).toBe(201);
				const id = (await res.json()).id;
				expect(sorted((await (await get(role, '/api/party-members')).json()).members)).toContain(id);
				await t.db.knex('party_members').where({ id }).delete();
			} else {
				expect(res.status).toBe(403);
				expect(Number((await t.db.knex('party_members').count({ n: '*' }))[0].n)).toBe(before);
			}
		}
	});

	it.each(ROLES.filter((r) => !READ_ALL.has(r)))('%s changes no member or claim it may not read', async (role) => {
		const readableMembers = await memberIds(role);
		const readableClaims = await claimIds(role);
		const member = await t.db.knex('party_members').whereNotIn('id', readableMembers).orderBy('id').first('id', 'left_on');
		const claim = await t.db.knex('service_claims').whereNotIn('id', readableClaims).orderBy('id').first('id', 'hours', 'done_on');
		expect(member).toBeDefined();
		expect(claim).toBeDefined();
		const patch = (path: string, body: unknown) =>
			fetch(`${server.url}${path}`, { method: 'PATCH', headers: { cookie: cookies[role], 'content-type': 'application/json' }, body: JSON.stringify(body) });
		expect([403, 404]).toContain((await patch(`/api/party-members/${member.id}`, { left_on: '2026-11-01' })).status);
		expect([403, 404]).toContain((await patch(`/api/service-claims/${claim.id}`, { hours: 1, done_on: '2026-11-01' })).status);
		expect(await t.db.knex('party_members').where({ id: member.id }).first('id', 'left_on')).toEqual(member);
		expect(await t.db.knex('service_claims').where({ id: claim.id }).first('id', 'hours', 'done_on')).toEqual(claim);
	});

	it("a department account sees its own communities' items and claims and its own members, and not another community's", async () => {
		const dep = await own('department');
		const liaison = `SELECT l.community_id FROM community_liaisons l WHERE l.department_id = :dep`;
		const items = sorted((await (await get('department', '/api/service-items')).json()).items);
		const mine = (await t.db.knex.raw(`SELECT i.id FROM service_items i WHERE i.community_id IN (${liaison}) ORDER BY i.id`, { dep })).rows.map((r: { id: number }) => r.id);
		expect(mine.length).toBeGreaterThan(0);
		for (const id of mine) expect(items).toContain(id);
		const others = (await t.db.knex.raw(
			`SELECT i.id FROM service_items i WHERE i.community_id NOT IN (${liaison})
				AND NOT EXISTS (SELECT 1 FROM service_claims sc JOIN party_members m ON m.id = sc.member_id WHERE sc.item_id = i.id AND m.department_id = :dep) ORDER BY i.id`,
			{ dep }
		)).rows.map((r: { id: number }) => r.id);
		expect(others.length).toBeGreaterThan(0);
		for (const id of others) expect(items).not.toContain(id);
		const members = sorted((await (await get('department', '/api/party-members')).json()).members);
		const away = (await t.db.knex.raw(`SELECT m.id FROM party_members m WHERE m.department_id = :dep AND m.community_id NOT IN (${liaison})`, { dep })).rows.map((r: { id: number }) => r.id);
		expect(away.length).toBeGreaterThan(0);
		for (const id of away) expect(members).toContain(id);
		const strangers = (await t.db.knex.raw(`SELECT m.id FROM party_members m WHERE m.department_id IS DISTINCT FROM :dep AND m.community_id NOT IN (${liaison})`, { dep })).rows.map((r: { id: number }) => r.id);
		expect(strangers.length).toBeGreaterThan(0);
		for (const id of strangers) expect(members).not.toContain(id);
		// Another community's item, where the member does not live either, is not even found.
		const elsewhere = (await t.db.knex.raw(
			`SELECT i.id FROM service_items i WHERE i.id = ANY(:others) AND i.community_id <> (SELECT community_id FROM party_members WHERE id = :m) ORDER BY i.id LIMIT 1`,
			{ others, m: away[0] }
		)).rows[0].id;
		const res = await fetch(`${server.url}/api/service-items/${elsewhere}/claims`, {
			method: 'POST',
			headers: { cookie: cookies.department, 'content-type': 'application/json' },
			body: JSON.stringify({ member_id: away[0] })
		});
		expect(res.status).toBe(404);
	});

	it('answers nothing signed out', async () => {
		for (const path of ['/api/party-members', '/api/service-items', '/api/dual-reporting']) expect((await fetch(`${server.url}${path}`)).status).toBe(401);
		expect((await fetch(`${server.url}/api/service-items/1/claims`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"member_id":1}' })).status).toBe(401);
	});
});

/**
 * The public doors (issue 20, points 1, 2 and 10), for an anonymous caller, every role by its
 * cookie and by its token: what each gets, field by field, against independent SQL.
 */
describe('public doors by role (issue 20)', () => {
	const CALLERS: { name: string; role: UserRole | null; via: Via }[] = [
		{ name: 'anonymous', role: null, via: 'cookie' },
		...ROLES.flatMap((role) => (['cookie', 'token'] as Via[]).map((via) => ({ name: `${role} (${via})`, role, via })))
	];
	const ask = (caller: (typeof CALLERS)[number], path: string) => (caller.role ? get(caller.role, path, caller.via) : fetch(`${server.url}${path}`));
	/** three open cases beside one point of demo-grid's grid, one per publication the sample uses */
	const made: Record<string, string> = {};
	let point: { lng: number; lat: number };
	const NOTE = '反映人李四 13912345678 与邻居争执';

	beforeAll(async () => {
		point = cases.grid_worker.inside!;
		for (const [category, dx] of [['environment', 0.00005], ['noise', 0.0001], ['dispute', 0.00015]] as const) {
			const res = await fetch(`${server.url}/api/cases`, {
				method: 'POST',
				headers: { cookie: cookies.admin, 'content-type': 'application/json' },
				body: JSON.stringify({ category, description: `${category} 张三家`, title: `${category} 张三家`, lng: point.lng + dx, lat: point.lat })
			});
			expect(res.status, category).toBe(201);
			const created = await res.json();
			made[category] = created.code;
			// A registration with an internal note naming the reporter, and one public reply.
			const moved = await fetch(`${server.url}/api/cases/${created.code}/transitions`, {
				method: 'POST',
				headers: { cookie: cookies.admin, 'content-type': 'application/json', 'if-match': `"v${created.version}"` },
				body: JSON.stringify({ to: 'registered', note: NOTE, public_reply: '已受理，将尽快处理' })
			});
			expect(moved.status, category).toBe(200);
		}
	});

	it('Open311 gives every caller the same public view: the public reply, never a note; the point as its category allows', async () => {
		const rows = (await t.db.knex.raw(
			`SELECT i.code, i.category, ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat FROM issues i WHERE i.code = ANY(:codes)`,
			{ codes: Object.values(made) }
		)).rows as { code: string; category: string; lng: number; lat: number }[];
		const byCategory = Object.fromEntries(rows.map((r) => [r.category, r]));
		const expected = (category: string) => {
			const r = byCategory[category];
			const base = { service_request_id: made[category], status: 'open', status_notes: '已立案：已受理，将尽快处理', service_code: category, zipcode: null };
			if (category === 'environment') return { ...base, description: 'environment 张三家', lat: Number(r.lat), long: Number(r.lng) };
			if (category === 'noise') return { ...base, description: null, address: null, address_id: null, media_url: null, lat: Number(Number(r.lat).toFixed(3)), long: Number(Number(r.lng).toFixed(3)) };
			return { ...base, description: null, address: null, address_id: null, media_url: null, lat: null, long: null };
		};
		let reference: unknown = null;
		for (const caller of CALLERS) {
			const answers = [];
			for (const category of Object.keys(made)) {
				const res = await ask(caller, `/open311/v2/requests/${made[category]}.json`);
				expect(res.status, `${caller.name} ${category}`).toBe(200);
				const text = await res.text();
				expect(text, caller.name).not.toContain('13912345678');
				expect(text, caller.name).not.toContain('李四');
				const [request] = JSON.parse(text);
				expect(Object.keys(request).sort(), caller.name).toEqual(
					['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url'].sort()
				);
				expect(request, `${caller.name} ${category}`).toMatchObject(expected(category));
				answers.push(request);
			}
			reference ??= answers;
			expect(answers, caller.name).toEqual(reference);
		}
	});

	// The point comes along since issue 21 (the public form marks nearby reports on its map): for
	// the public only of cases whose exact point Open311 publishes anyway.
	it('the duplicate hint shows staff their territory and everyone else only what Open311 publishes', async () => {
		const expected = async (role: UserRole | null) => {
			const inTerritory = role === null ? 'false' : READ_ALL.has(role) ? 'true' : `COALESCE(ST_Covers((${TERRITORY_SQL[role]}), i.geom), false)`;
			const { rows } = await t.db.knex.raw(
				`SELECT i.code, CASE WHEN ${inTerritory} THEN i.title END AS title, i.category, i.status,
					round(ST_Distance(i.geom::geography, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)::geography)::numeric, 1)::float AS distance_m,
					ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat
				 FROM issues i JOIN case_categories cc ON cc.code = i.category
				 WHERE i.status NOT IN ('resolved', 'verified', 'closed', 'rejected')
					AND ST_DWithin(i.geom::geography, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)::geography, 50)
					AND (${inTerritory} OR cc.publication = 'exact')
				 ORDER BY distance_m, i.code`,
				{ lng: point.lng, lat: point.lat, u: role ? USERNAMES[role] : null }
			);
			return rows;
		};
		const seen: Record<string, string[]> = {};
		for (const caller of CALLERS) {
			const res = await ask(caller, `/api/cases/nearby?lng=${point.lng}&lat=${point.lat}`);
			expect(res.status, caller.name).toBe(200);
			const body = await res.json();
			expect(Object.keys(body).sort()).toEqual(['items', 'metres']);
			for (const item of body.items) expect(Object.keys(item).sort(), caller.name).toEqual(['category', 'code', 'distance_m', 'lat', 'lng', 'status', 'title']);
			expect(body.items, caller.name).toEqual(await expected(caller.role));
			seen[caller.name] = body.items.map((i: { code: string }) => i.code);
		}
		// The case of a withheld category reaches its own territory's staff and no one else.
		expect(seen.anonymous).toContain(made.environment);
		expect(seen.anonymous).not.toContain(made.noise);
		expect(seen.anonymous).not.toContain(made.dispute);
		expect(seen['grid_worker (cookie)']).toContain(made.dispute);
		expect(seen['grid_worker (token)']).toEqual(seen['grid_worker (cookie)']);
		expect(seen['building_head (cookie)']).not.toContain(made.dispute);
	});

	it('party members are read where they live in the reader’s territory, with the same fields for every role', async () => {
		const FIELDS = [
			'id', 'name', 'department_code', 'department_name', 'unit_name', 'community_code', 'community_name', 'building_id', 'building_code', 'building_name',
			'registered_on', 'left_on', 'items_claimed', 'items_done', 'hours', 'people_served'
		].sort();
		for (const caller of CALLERS) {
			const res = await ask(caller, '/api/party-members');
			if (caller.role === null) {
				expect(res.status).toBe(401);
				expect(Object.keys(await res.json())).toEqual(['message', 'code', 'params']);
				continue;
			}
			expect(res.status, caller.name).toBe(200);
			const members = (await res.json()).members as { id: number; building_id: number | null }[];
			for (const m of members) expect(Object.keys(m).sort(), caller.name).toEqual(FIELDS);
			const role = caller.role;
			if (role === 'grid_worker' || role === 'building_head') {
				// Every member read lives in the reader's grids or buildings: no one of the rest of the community.
				const { rows } = await t.db.knex.raw(
					`SELECT m.id FROM party_members m JOIN buildings b ON b.id = m.building_id WHERE m.id = ANY(:ids) AND NOT ST_Covers((${TERRITORY_SQL[role]}), b.anchor)`,
					{ ids: members.map((m) => m.id), u: USERNAMES[role] }
				);
				expect(rows, caller.name).toEqual([]);
				expect(members.every((m) => m.building_id !== null), caller.name).toBe(true);
			}
		}
	});
});
