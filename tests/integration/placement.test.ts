/**
 * The territory check before a report (issue 21, point 2): where a point lies for a grid
 * worker — in their territory or not, the community and grid there, their nearest building —
 * against statements written out here; and a staff report outside the territory, refused
 * unless passed on to the community there (hand_over), which then handles it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, tableCounts, type TestDatabase } from '../helpers/database.js';
import * as cases from '../../src/lib/server/cases/cases.js';
import * as myBuildings from '../../src/lib/server/field/my-buildings.js';
import { scopeFor } from '../../src/lib/server/ownership/territory.js';
import { isApiError } from '../../src/lib/server/platform/errors.js';
import type { User } from '../../src/lib/server/accounts/accounts.js';

let t: TestDatabase;
let worker: User;
const TERRITORY = `(SELECT ST_Union(g.geom) FROM grids g JOIN assignments a ON a.grid_id = g.id AND a.role = 'grid_worker' AND a.valid_to IS NULL WHERE a.person_id = :person)`;

beforeAll(async () => {
	t = await createTestDatabase('sample');
	worker = await t.db.knex('users').where({ username: 'demo-grid' }).first('id', 'username', 'role', 'person_id', 'department_id');
});
afterAll(async () => {
	await t?.drop();
});

/** Points west of the territory every 200 m, with what PostGIS says of each. */
async function probes() {
	const { rows } = await t.db.knex.raw(
		`WITH t AS (SELECT ${TERRITORY} AS g), s AS (SELECT generate_series(-2, 8) AS k),
		      p AS (SELECT s.k, ST_SetSRID(ST_MakePoint(ST_XMin(t.g) - s.k * 200 / 97500.0, ST_Y(ST_Centroid(t.g))), 4326) AS g FROM t, s)
		 SELECT p.k, ST_X(p.g) AS lng, ST_Y(p.g) AS lat, ST_Covers(t.g, p.g) AS inside,
			(SELECT c.code FROM communities c WHERE ST_Covers(c.geom, p.g) ORDER BY c.code LIMIT 1) AS community,
			(SELECT b.code FROM buildings b WHERE ST_Covers(t.g, b.anchor)
			 ORDER BY ST_Distance(b.anchor::geography, p.g::geography), b.code LIMIT 1) AS nearest
		 FROM p, t ORDER BY p.k`,
		{ person: worker.person_id }
	);
	return rows.map((r: { k: number; lng: string; lat: string; inside: boolean; community: string | null; nearest: string }) => ({ ...r, lng: Number(r.lng), lat: Number(r.lat) }));
}

describe('placement', () => {
	it('answers in or out of the territory, the community there and the nearest own building, as PostGIS does', async () => {
		const scope = await scopeFor(t.db.knex, worker);
		const points = await probes();
		expect(points.filter((p: { inside: boolean }) => p.inside).length).toBeGreaterThan(0);
		expect(points.filter((p: { inside: boolean }) => !p.inside).length).toBeGreaterThan(0);
		for (const p of points) {
			const answer = await myBuildings.placement(t.db.knex, scope, p.lng, p.lat);
			expect([p.k, answer.in_territory, answer.community?.code ?? null, answer.nearest?.code]).toEqual([p.k, p.inside, p.community, p.nearest]);
		}
	});
});

describe('a report outside the territory', () => {
	const report = (at: { lng: number; lat: number }, over: Partial<cases.ReportInput> = {}): cases.ReportInput => ({
		category: 'environment',
		matter_type: 'practical',
		urgency: 'general',
		title: '路灯不亮',
		description: '路口路灯不亮',
		...at,
		photos: [],
		resolved_on_site: false,
		source: 'patrol',
		...over
	});

	it('is refused (403) without hand_over, and with resolved_on_site (400), writing nothing', async () => {
		const scope = await scopeFor(t.db.knex, worker);
		const out = (await probes()).find((p: { inside: boolean; community: string | null }) => !p.inside && p.community)!;
		const before = await tableCounts(t.db);
		for (const [over, status] of [[{}, 403], [{ hand_over: true, resolved_on_site: true }, 400]] as const) {
			const error = await cases.create(t.db.knex, { user: worker, name: worker.username }, scope, report(out, over)).catch((e) => e);
			expect(isApiError(error) && error.status).toBe(status);
		}
		expect(await tableCounts(t.db)).toEqual(before);
	});

	it('passed on (hand_over), lands with the community there as handler, and the creation event says so', async () => {
		const scope = await scopeFor(t.db.knex, worker);
		const out = (await probes()).find((p: { inside: boolean; community: string | null }) => !p.inside && p.community)!;
		const created = await cases.create(t.db.knex, { user: worker, name: worker.username }, scope, report(out, { hand_over: true }));
		const [row] = (
			await t.db.knex.raw(
				`SELECT i.handler_kind, c.code AS community, e.detail FROM issues i JOIN communities c ON c.id = i.handler_community_id
				 JOIN issue_events e ON e.issue_id = i.id AND e.kind = 'created' WHERE i.code = ?`,
				[created.code]
			)
		).rows;
		expect(row).toEqual({ handler_kind: 'community', community: out.community, detail: { handler: 'community', handed_over: true } });
		// Inside the territory the flag changes nothing: the category's rule dispatches it.
		const inside = (await probes()).find((p: { inside: boolean }) => p.inside)!;
		const own = await cases.create(t.db.knex, { user: worker, name: worker.username }, scope, report(inside, { hand_over: true }));
		const ownEvent = await t.db.knex('issue_events').join('issues', 'issues.id', 'issue_events.issue_id').where({ 'issues.code': own.code, 'issue_events.kind': 'created' }).first('issue_events.detail');
		expect(ownEvent.detail.handed_over).toBeUndefined();
	});
});
