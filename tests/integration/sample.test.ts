/**
 * The Hejiang sample as PostGIS sees it: the generator's topology rules hold in the database
 * too, buildings derive their grid and compound from geometry, and the county measures right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import { adminQuery, databaseUrl } from '../helpers/pg-admin.js';
import { nodeArgs } from '../helpers/cli.js';
import { openDatabase } from '../../src/lib/server/platform/db.js';
import { inject } from 'vitest';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase('sample');
});
afterAll(async () => {
	await t?.drop();
});

const one = async (sql: string, bindings: unknown[] = []) =>
	(await t.db.knex.raw(sql, bindings as never)).rows[0] as Record<string, unknown>;

describe('the sample in PostGIS', () => {
	it('has the seed’s sizes', async () => {
		const counts = await tableCounts(t.db);
		expect(counts).toMatchObject({ county: 1, streets: 2, communities: 13, departments: 78, renovation_projects: 34 });
		const roles = await t.db.knex('assignments').whereNull('valid_to').select('role').countDistinct({ people: 'person_id' }).groupBy('role');
		const byRole = Object.fromEntries((roles as { role: string; people: string | number }[]).map((r) => [r.role, Number(r.people)]));
		expect(byRole).toMatchObject({
			building_head: 428,
			party_group_leader: 96,
			registered_party_member: 1946,
			first_secretary: 13,
			community_secretary: 13,
			street_secretary: 2
		});
		expect(byRole.grid_worker).toBe(counts.grids);
	});

	it('county outline measures 2,400–2,430 km² in WGS84', async () => {
		const { km2 } = await one('SELECT ST_Area(geom::geography) / 1e6 AS km2 FROM county');
		expect(Number(km2)).toBeGreaterThan(2400);
		expect(Number(km2)).toBeLessThan(2430);
	});

	it('no two grids, communities or buildings share interior', async () => {
		for (const table of ['grids', 'communities', 'streets', 'buildings', 'compounds']) {
			const { n } = await one(
				`SELECT count(*)::int AS n FROM ?? a JOIN ?? b ON a.id < b.id AND a.geom && b.geom
				 AND ST_Relate(a.geom, b.geom, '2********')`,
				[table, table]
			);
			expect(n, table).toBe(0);
		}
	});

	it('grids tile their community and communities their street, without gaps', async () => {
		const { worst } = await one(`
			SELECT max(ST_Area(ST_SymDifference(c.geom, u.geom)::geography)) AS worst
			FROM communities c
			JOIN (SELECT community_id, ST_Union(geom) AS geom FROM grids GROUP BY community_id) u ON u.community_id = c.id`);
		expect(Number(worst)).toBeLessThan(1); // m²
		const { worst: streets } = await one(`
			SELECT max(ST_Area(ST_SymDifference(s.geom, u.geom)::geography)) AS worst
			FROM streets s
			JOIN (SELECT street_id, ST_Union(geom) AS geom FROM communities GROUP BY street_id) u ON u.street_id = s.id`);
		expect(Number(streets)).toBeLessThan(1);
	});

	it('every building lies in exactly one grid, the one it derived', async () => {
		const { bad } = await one(`
			SELECT count(*)::int AS bad FROM buildings b
			WHERE (SELECT count(*) FROM grids g WHERE ST_Covers(g.geom, b.anchor)) <> 1
			   OR b.grid_id IS DISTINCT FROM (SELECT g.id FROM grids g WHERE ST_Covers(g.geom, b.anchor))
			   OR NOT ST_Equals(b.anchor, ST_PointOnSurface(b.geom))`);
		expect(bad).toBe(0);
	});

	it('derives grid and compound from geometry even when someone types them', async () => {
		const b = await t.db.knex('buildings').whereNotNull('compound_id').first('id', 'grid_id', 'compound_id');
		const other = await t.db.knex('grids').whereNot('id', b.grid_id).first('id');
		await t.db.knex('buildings').where('id', b.id).update({ grid_id: other.id, compound_id: null });
		const after = await t.db.knex('buildings').where('id', b.id).first('grid_id', 'compound_id');
		expect(after).toEqual({ grid_id: b.grid_id, compound_id: b.compound_id });
	});

	it('compounds lie in their community and hold their buildings', async () => {
		const { bad } = await one(`
			SELECT count(*)::int AS bad FROM compounds k JOIN communities c ON c.id = k.community_id
			WHERE NOT ST_CoveredBy(k.geom, c.geom)`);
		expect(bad).toBe(0);
		const { mismatched } = await one(`
			SELECT count(*)::int AS mismatched FROM buildings b
			JOIN compounds k ON k.id = b.compound_id JOIN grids g ON g.id = b.grid_id
			WHERE k.community_id <> g.community_id OR NOT ST_CoveredBy(b.geom, k.geom)`);
		expect(mismatched).toBe(0);
	});

	it('has the seed’s named places', async () => {
		const names = (await t.db.knex('compounds').whereIn('name', ['酱园坪', '荔城华府', '江南小区']).pluck('name')).sort();
		expect(names).toEqual(['江南小区', '荔城华府', '酱园坪']);
		const spot = await one(`
			SELECT f.cause, i.category, r.name AS project FROM flood_spots f
			JOIN buildings b ON ST_DWithin(f.geom, b.geom, 0.0005) AND b.address LIKE '%千藤街48号%'
			LEFT JOIN issues i ON i.id = f.issue_id LEFT JOIN renovation_projects r ON r.id = f.project_id
			LIMIT 1`);
		expect(spot).toMatchObject({ cause: 'backflow', category: 'drainage' });
		expect(spot.project).toBeTruthy();
	});

	it('every issue has a history that ends in its status', async () => {
		const { bad } = await one(`
			SELECT count(*)::int AS bad FROM issues i
			WHERE i.status IS DISTINCT FROM (SELECT e.to_status FROM issue_events e WHERE e.issue_id = i.id ORDER BY e.at DESC, e.id DESC LIMIT 1)`);
		expect(bad).toBe(0);
	});
});

describe('npm run db:migrate', () => {
	it('migrates an empty database without loading the sample, and is idempotent', async () => {
		const adminUrl = inject('adminUrl');
		const name = `wz_test_migrate_${process.pid}`;
		await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}"`);
		await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
		const url = databaseUrl(adminUrl, name);
		const run = () =>
			spawnSync(process.execPath, nodeArgs('scripts/migrate.ts'), {
				env: { ...process.env, DATABASE_URL: url },
				encoding: 'utf8'
			});
		try {
			const first = run();
			expect(first.status, first.stderr).toBe(0);
			expect(first.stdout).toMatch(/applied \d+ migrations/);
			const second = run();
			expect(second.stdout).toMatch(/up to date/);
			const db = await openDatabase({ url });
			try {
				const counts = await tableCounts(db);
				expect(Object.values(counts).every((n) => n === 0)).toBe(true);
			} finally {
				await db.close();
			}
		} finally {
			await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
		}
	});
});
