/**
 * The renovation ledger (issue 11) on the sample: what each project covers against an
 * independent turf computation, the totals against the rows under many filters, writes with
 * their history rows, and bad input refused with a message naming it while nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Point } from 'geojson';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import * as renovation from '../../src/lib/server/renovation/renovation.js';
import * as renovationHttp from '../../src/lib/server/http/renovation.js';
import { RENOVATION_STATUSES } from '../../src/lib/domain/glossary.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';
import { isApiError } from '../../src/lib/server/platform/errors.js';
import { importGeoJson } from '../../src/lib/server/areas/imports.js';
import { scopeFor } from '../../src/lib/server/ownership/territory.js';

let t: TestDatabase;
let housing: User;
const ALL = { kind: 'all' } as const;

beforeAll(async () => {
	t = await createTestDatabase('sample');
	housing = await t.db.knex('users').where({ username: 'demo-housing' }).first();
}, 300_000);

afterAll(async () => {
	await t?.drop();
});

/** The ApiError a call throws, as [status, message]. */
async function refusal(work: () => Promise<unknown>): Promise<[number, string]> {
	try {
		await work();
	} catch (e) {
		if (isApiError(e)) return [e.status, e.message];
		throw e;
	}
	throw new Error('expected a refusal');
}

/** A square of `half` degrees around a point. */
const square = (lng: number, lat: number, half: number) => ({
	type: 'Polygon',
	coordinates: [[[lng - half, lat - half], [lng + half, lat - half], [lng + half, lat + half], [lng - half, lat + half], [lng - half, lat - half]]]
});

describe('coverage', () => {
	it('counts the compounds, buildings and households of every sample project as turf does', async () => {
		const { projects } = await renovation.ledger(t.db.knex, ALL, {});
		expect(projects.length).toBeGreaterThanOrEqual(30);
		const areas = new Map<string, MultiPolygon>(
			(await t.db.knex.raw(`SELECT code, ST_AsGeoJSON(geom)::json AS g FROM renovation_projects`)).rows.map((r: { code: string; g: MultiPolygon }) => [r.code, r.g])
		);
		const compounds = (await t.db.knex.raw(`SELECT ST_AsGeoJSON(ST_PointOnSurface(geom))::json AS p FROM compounds`)).rows as { p: Point }[];
		const buildings = (await t.db.knex.raw(`SELECT ST_AsGeoJSON(anchor)::json AS p, households FROM buildings`)).rows as { p: Point; households: number }[];
		let coveredSomething = 0;
		for (const project of projects) {
			const area = areas.get(project.code)!;
			const inside = (p: Point) => booleanPointInPolygon(p.coordinates, area);
			const hits = buildings.filter((b) => inside(b.p));
			const expected = {
				compounds: compounds.filter((k) => inside(k.p)).length,
				buildings: hits.length,
				households: hits.reduce((a, b) => a + b.households, 0)
			};
			expect({ code: project.code, compounds: project.compounds, buildings: project.buildings, households: project.households }).toEqual({ code: project.code, ...expected });
			if (expected.compounds > 0 && expected.buildings > 0) coveredSomething++;
		}
		expect(coveredSomething).toBe(projects.length);
	});
});

describe('totals', () => {
	it('equal the sum of the rows under every filter combination tried', async () => {
		const { projects: all } = await renovation.ledger(t.db.knex, ALL, {});
		const community = all.find((p) => p.community_code)!.community_code!;
		const street = all.find((p) => p.street_code)!.street_code!;
		const years = [...new Set(all.map((p) => p.start_date?.slice(0, 4)).filter(Boolean))].map(Number);
		const filters: renovation.LedgerFilter[] = [];
		for (const status of [undefined, ...RENOVATION_STATUSES.map((s) => [s]), ['planned', 'approved'] as const]) {
			for (const demonstration of [undefined, true, false]) {
				for (const place of [{}, { community }, { street }]) {
					filters.push({ statuses: status as renovation.LedgerFilter['statuses'], demonstration, ...place });
				}
			}
		}
		for (const batch of [1, 2]) for (const year of years) filters.push({ batch, year });
		let nonEmpty = 0;
		for (const filter of filters) {
			const { projects, totals } = await renovation.ledger(t.db.knex, ALL, filter);
			const sum = (k: keyof renovation.LedgerTotals & keyof renovation.LedgerRow) => projects.reduce((a, p) => a + Number(p[k]), 0);
			expect(totals, JSON.stringify(filter)).toEqual({
				projects: projects.length,
				compounds: sum('compounds'),
				buildings: sum('buildings'),
				households: sum('households'),
				budget_yuan: sum('budget_yuan'),
				funds_secured_yuan: sum('funds_secured_yuan'),
				spent_yuan: sum('spent_yuan')
			});
			// the rows really pass the filter
			for (const p of projects) {
				if (filter.statuses) expect(filter.statuses).toContain(p.status);
				if (filter.demonstration !== undefined) expect(p.is_demonstration).toBe(filter.demonstration);
				if (filter.community) expect(p.community_code).toBe(filter.community);
				if (filter.street) expect(p.street_code).toBe(filter.street);
				if (filter.batch) expect(p.batch).toBe(filter.batch);
				if (filter.year) expect(p.start_date!.slice(0, 4)).toBe(String(filter.year));
			}
			if (projects.length) nonEmpty++;
		}
		expect(nonEmpty).toBeGreaterThan(filters.length / 3);
		// the exports hold the same set
		const fc = await renovation.features(t.db.knex, ALL, { statuses: ['under_construction'] });
		const { projects } = await renovation.ledger(t.db.knex, ALL, { statuses: ['under_construction'] });
		expect((fc.features as { id: string }[]).map((f) => f.id)).toEqual(projects.map((p) => p.code));
	});
});

describe('territory', () => {
	it('gives a community admin the projects sharing more than a boundary with their community, and no other', async () => {
		const user = await t.db.knex('users').where({ username: 'demo-community' }).first();
		const scope = await scopeFor(t.db.knex, user);
		expect(scope.kind).toBe('territory');
		const { projects, totals } = await renovation.ledger(t.db.knex, scope, {});
		const { rows } = await t.db.knex.raw(
			`SELECT p.code FROM renovation_projects p, (SELECT ST_SetSRID(ST_GeomFromGeoJSON(CAST(:t AS text)), 4326) AS g) t
			 WHERE ST_Intersects(t.g, p.geom) AND NOT ST_Touches(t.g, p.geom) ORDER BY p.code`,
			{ t: (scope as { geojson: string }).geojson }
		);
		expect(projects.map((p) => p.code)).toEqual(rows.map((r: { code: string }) => r.code));
		expect(rows.length).toBeGreaterThan(0);
		expect(totals.projects).toBe(rows.length);
		const { projects: every } = await renovation.ledger(t.db.knex, ALL, {});
		const outside = every.find((p) => !projects.some((q) => q.code === p.code))!;
		expect(await renovation.read(t.db.knex, scope, outside.code)).toBeNull();
		expect((await renovation.gaps(t.db.knex, scope)).length).toBeLessThan((await renovation.gaps(t.db.knex, ALL)).length);
	});
});

describe('writes', () => {
	let center: [number, number];
	beforeAll(async () => {
		// An old compound no project covers: a fresh project there covers exactly it.
		const [gap] = await renovation.gaps(t.db.knex, ALL, 1);
		const { rows } = await t.db.knex.raw(`SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM compounds WHERE code = ?`, [gap.code]);
		center = [Number(rows[0].x), Number(rows[0].y)];
	});

	it('creates a project with money by source, steps its status forward and keeps history and totals', async () => {
		const input = renovationHttp.projectInput({
			code: 'RT001',
			name: '测试改造',
			geometry: square(center[0], center[1], 0.0001),
			funds: { central: { planned: 3_000_000, secured: 1_000_000 }, county: { planned: 500_000 } },
			progress_pct: 0,
			contractor: '合江建工'
		});
		await renovation.create(t.db.knex, housing, input);
		let record = (await renovation.read(t.db.knex, ALL, 'RT001'))!;
		expect([record.status, record.budget_yuan, record.funds_secured_yuan, record.spent_yuan, record.contractor]).toEqual(['planned', 3_500_000, 1_000_000, 0, '合江建工']);
		expect(record.funds).toEqual([
			{ source: 'central', planned: 3_000_000, secured: 1_000_000, spent: 0 },
			{ source: 'county', planned: 500_000, secured: 0, spent: 0 }
		]);
		expect(record.compounds).toBe(1);

		await renovation.update(t.db.knex, housing, 'RT001', renovationHttp.projectInput({ status: 'approved', status_on: '2026-11-01' }));
		await renovation.update(t.db.knex, housing, 'RT001', renovationHttp.projectInput({ progress_pct: 40, funds: { residents: { spent: 20_000 } } }));
		record = (await renovation.read(t.db.knex, ALL, 'RT001'))!;
		expect([record.status, record.stages.approved, record.progress_pct, record.spent_yuan]).toEqual(['approved', '2026-11-01', 40, 20_000]);
		expect(record.history.map((h) => h.kind)).toEqual(['created', 'status', 'progress', 'money']);
		expect(record.history[1].changes.status).toEqual(['planned', 'approved']);
		expect(record.history[3].changes).toEqual({ 'funds.residents.spent': [null, 20_000], spent_yuan: [0, 20_000] });
		expect(record.history.every((h) => h.actor)).toBe(true);
	});

	it('refuses bad input with a message naming it and writes nothing', async () => {
		const before = await tableCounts(t.db);
		const good = { name: '坏输入', geometry: square(center[0], center[1], 0.0001) };
		const create = (body: Record<string, unknown>) => () => renovation.create(t.db.knex, housing, renovationHttp.projectInput({ ...good, ...body }));
		expect(await refusal(create({ geometry: square(116.4, 39.9, 0.001) }))).toEqual([400, 'geometry lies outside Hejiang County: a renovation area must be inside the county']);
		expect(await refusal(create({ funds: { central: { spent: -5 } } }))).toEqual([400, 'funds.central.spent must be a whole number of yuan from 0 to 100000000000, got -5']);
		expect(await refusal(create({ progress_pct: 120 }))).toEqual([400, 'progress_pct must be a whole number from 0 to 100, got 120']);
		expect((await refusal(create({ budget_yuan: -1 })))[1]).toMatch(/^budget_yuan must not be negative/);
		const bow = { type: 'Polygon', coordinates: [[[center[0], center[1]], [center[0] + 0.001, center[1] + 0.001], [center[0] + 0.001, center[1]], [center[0], center[1] + 0.001], [center[0], center[1]]]] };
		expect((await refusal(create({ geometry: bow })))[1]).toMatch(/^geometry.*(Self-intersection|self-intersect)/i);
		const unclosed = { type: 'Polygon', coordinates: [[[center[0], center[1]], [center[0] + 0.001, center[1]], [center[0] + 0.001, center[1] + 0.001]]] };
		expect((await refusal(create({ geometry: unclosed })))[1]).toMatch(/^geometry: .*ring 0/);
		// a jump the lifecycle forbids, and a mixed edit whose jump must undo its other changes
		const jump = () => renovation.update(t.db.knex, housing, 'RT001', renovationHttp.projectInput({ status: 'accepted' }));
		expect(await refusal(jump)).toEqual([409, 'a project that is approved cannot become accepted; the next status is under_construction']);
		const mixed = () => renovation.update(t.db.knex, housing, 'RT001', renovationHttp.projectInput({ progress_pct: 90, status: 'completed' }));
		expect((await refusal(mixed))[0]).toBe(409);
		const moved = () => renovation.update(t.db.knex, housing, 'RT001', renovationHttp.projectInput({ progress_pct: 50, geometry: square(116.4, 39.9, 0.001) }));
		expect((await refusal(moved))[1]).toMatch(/outside Hejiang County/);
		expect(await tableCounts(t.db)).toEqual(before);
		expect((await renovation.read(t.db.knex, ALL, 'RT001'))!.progress_pct).toBe(40);
	});
});

describe('photos', () => {
	it('keeps before and after photos re-encoded, each with its history row; refuses what is not an image and writes nothing', async () => {
		const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#a0522d' } }).jpeg().toBuffer();
		const { id } = await renovation.addPhoto(t.db.knex, housing, 'RT001', 'before', new Uint8Array(jpeg));
		const record = (await renovation.read(t.db.knex, ALL, 'RT001'))!;
		expect(record.photos).toEqual([{ id, phase: 'before', width: 64, height: 48 }]);
		expect(record.history.at(-1)!.changes).toEqual({ 'photo.before': [null, id] });
		const before = await tableCounts(t.db);
		const [status] = await refusal(() => renovation.addPhoto(t.db.knex, housing, 'RT001', 'after', new TextEncoder().encode('not an image')));
		expect(status).toBe(415);
		expect(await refusal(() => renovation.addPhoto(t.db.knex, housing, 'NOPE', 'after', new Uint8Array(jpeg)))).toEqual([404, "no renovation project with code 'NOPE'"]);
		expect(await tableCounts(t.db)).toEqual(before);
	});
});

describe('import', () => {
	it('refuses a file with an area outside the county, naming the feature, and writes nothing; a good file keeps totals equal to funds by source', async () => {
		const [gap] = await renovation.gaps(t.db.knex, ALL, 1);
		const { rows } = await t.db.knex.raw(`SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM compounds WHERE code = ?`, [gap.code]);
		const inside = square(Number(rows[0].x), Number(rows[0].y), 0.00005);
		const feature = (code: string, geometry: object) => ({ type: 'Feature', properties: { code, name: code, budget_yuan: 900 }, geometry });
		const before = await tableCounts(t.db);
		const bad = await importGeoJson(t.db, JSON.stringify({ type: 'FeatureCollection', features: [feature('RI1', inside), feature('RI2', square(116.4, 39.9, 0.001))] }), { layer: 'renovation', crs: 'wgs84' });
		expect(bad.ok).toBe(false);
		expect(!bad.ok && bad.problems).toEqual([{ index: 1, reason: 'the area lies outside Hejiang County: a renovation area must be inside the county' }]);
		expect(await tableCounts(t.db)).toEqual(before);
		// RT001 has planned money by source (3,500,000): an import of its totals cannot make them disagree
		const rt = await t.db.knex.raw(`SELECT ST_AsGeoJSON(geom)::json AS g FROM renovation_projects WHERE code = 'RT001'`);
		const good = await importGeoJson(t.db, JSON.stringify({ type: 'FeatureCollection', features: [feature('RT001', rt.rows[0].g)] }), { layer: 'renovation', crs: 'wgs84' });
		expect(good.ok).toBe(true);
		expect((await renovation.read(t.db.knex, ALL, 'RT001'))!.budget_yuan).toBe(3_500_000);
	});
});

describe('a project page', () => {
	it('counts issues inside the area per month, 12 before and 12 after completion, as a plain count does', async () => {
		const { projects } = await renovation.ledger(t.db.knex, ALL, { statuses: ['completed', 'accepted'] });
		const project = projects.find((p) => p.end_date)!;
		const record = (await renovation.read(t.db.knex, ALL, project.code))!;
		expect(record.issues_by_month).toHaveLength(24);
		expect(record.issues_by_month!.map((m) => m.offset)).toEqual([...Array(24).keys()].map((i) => i - 12));
		const from = record.issues_by_month![0].month + '-01';
		const { rows } = await t.db.knex.raw(
			`SELECT count(*)::int AS n FROM issues i, renovation_projects p WHERE p.code = :code AND ST_Covers(p.geom, i.geom)
			 AND (i.reported_at AT TIME ZONE 'Asia/Shanghai') >= CAST(:from AS date)
			 AND (i.reported_at AT TIME ZONE 'Asia/Shanghai') < CAST(:from AS date) + interval '24 months'`,
			{ code: project.code, from }
		);
		expect(record.issues_by_month!.reduce((a, m) => a + m.count, 0)).toBe(rows[0].n);
	});

	it('lists old compounds no project covers, ranked by open issues', async () => {
		const list = await renovation.gaps(t.db.knex, ALL);
		expect(list.length).toBeGreaterThan(0);
		for (let i = 1; i < list.length; i++) expect(list[i - 1].open_issues).toBeGreaterThanOrEqual(list[i].open_issues);
		const covered = (await t.db.knex.raw(`SELECT k.code FROM compounds k JOIN renovation_projects p ON ST_Covers(p.geom, ST_PointOnSurface(k.geom))`)).rows.map((r: { code: string }) => r.code);
		for (const g of list) expect(covered).not.toContain(g.code);
	});
});
