import { describe, expect, it } from 'vitest';
import {
	area,
	bbox,
	booleanClockwise,
	booleanPointInPolygon,
	booleanValid,
	booleanWithin,
	feature,
	featureCollection,
	intersect,
	pointOnFeature
} from '@turf/turf';
import type { Geometry, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { RECORD_LAYERS, type RecordLayer, type LayerRecords } from '../../src/lib/domain/records.js';
import { createGenerator, type Generator } from '../../db/seeds/generator/index.js';

type Records = { [L in RecordLayer]: LayerRecords[L][] };
type BBox = [number, number, number, number];

function collect(gen: Generator): Records {
	const out = {} as Records;
	for (const layer of RECORD_LAYERS) (out as Record<string, unknown[]>)[layer] = [...gen.records(layer)];
	return out;
}

function ndjson(gen: Generator, layer: RecordLayer): string {
	let text = '';
	for (const r of gen.records(layer)) text += JSON.stringify(r) + '\n';
	return text;
}

const byCode = <T extends { code: string }>(rows: T[]) => new Map(rows.map((r) => [r.code, r]));
const boxOf = (g: Geometry) => bbox(g) as BBox;
const boxesMeet = (a: BBox, b: BBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
const inBox = (p: Position, b: BBox) => p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];

/** Area of overlap of two polygons, m² (0 when they only share edges). */
function overlapArea(a: Polygon | MultiPolygon, b: Polygon | MultiPolygon): number {
	const common = intersect(featureCollection([feature(a), feature(b)]));
	return common ? area(common) : 0;
}

/** Pairs of items whose bounding boxes meet: a sweep along x keeps the overlap checks cheap. */
function candidatePairs<T>(items: T[], box: (t: T) => BBox): [T, T][] {
	const sorted = items.map((t) => ({ t, b: box(t) })).sort((p, q) => p.b[0] - q.b[0]);
	const pairs: [T, T][] = [];
	for (let i = 0; i < sorted.length; i++) {
		for (let j = i + 1; j < sorted.length && sorted[j].b[0] <= sorted[i].b[2]; j++) {
			if (boxesMeet(sorted[i].b, sorted[j].b)) pairs.push([sorted[i].t, sorted[j].t]);
		}
	}
	return pairs;
}

/** Grids containing a point, with a bbox prefilter. */
function gridsAt(grids: { code: string; geometry: MultiPolygon; box: BBox }[], p: Position): string[] {
	return grids.filter((g) => inBox(p, g.box) && booleanPointInPolygon(p, g.geometry)).map((g) => g.code);
}

function polygonsOf(g: Geometry): Position[][][] {
	if (g.type === 'Polygon') return [g.coordinates];
	if (g.type === 'MultiPolygon') return g.coordinates;
	return [];
}

const SCALE1 = createGenerator({ scale: 1, seed: 'hejiang' });
const data = collect(SCALE1);
const grids = data.grids.map((g) => ({ ...g, box: boxOf(g.geometry) }));
const gridCommunity = new Map(data.grids.map((g) => [g.code, g.community_code]));

describe('generator determinism', () => {
	it('gives byte-identical NDJSON for the same seed and scale', () => {
		const again = createGenerator({ scale: 1, seed: 'hejiang' });
		for (const layer of RECORD_LAYERS) expect(ndjson(again, layer), layer).toBe(ndjson(SCALE1, layer));
	});

	it('gives different data for a different seed', () => {
		const other = createGenerator({ scale: 1, seed: 'luzhou' });
		for (const layer of ['streets', 'grids', 'buildings', 'people', 'issues', 'issue_events', 'flood'] as const) {
			expect(ndjson(other, layer), layer).not.toBe(ndjson(SCALE1, layer));
		}
	});

	it('streams the same records on a second iteration of the same iterable', () => {
		const iterable = SCALE1.records('compounds');
		expect(JSON.stringify([...iterable])).toBe(JSON.stringify([...iterable]));
	});

	it('writes keys in the order of the record types', () => {
		expect(Object.keys(data.buildings[0])).toEqual(['code', 'name', 'address', 'floors', 'households', 'geometry']);
		expect(Object.keys(data.issue_events[0])).toEqual(['issue_code', 'at', 'actor_code', 'from_status', 'to_status', 'note']);
		expect(Object.keys(data.flood[0])).toEqual(['code', 'name', 'cause', 'severity', 'status', 'issue_code', 'project_code', 'geometry']);
	});
});

describe('sizes at scale 1 (the seed)', () => {
	it('counts() is exactly what is streamed', () => {
		const counts = SCALE1.counts();
		for (const layer of RECORD_LAYERS) expect(data[layer].length, layer).toBe(counts[layer]);
	});

	it('has the seed’s hierarchy and departments', () => {
		expect(data.streets.map((s) => [s.code, s.name])).toEqual([
			['510522001000', '符阳街道'],
			['510522002000', '临港街道']
		]);
		expect(data.communities).toHaveLength(13);
		expect(data.communities.filter((c) => c.street_code === '510522001000').map((c) => c.code)).toEqual(
			Array.from({ length: 8 }, (_, i) => `51052210000${i + 1}`)
		);
		expect(data.communities.filter((c) => c.street_code === '510522002000').map((c) => `${c.code} ${c.name}`)).toEqual([
			'510522109001 兴隆社区',
			'510522109002 五里坡社区',
			'510522109003 联榕坝社区',
			'510522002001 临港社区',
			'510522002002 滨江社区'
		]);
		expect(data.grids.length).toBeGreaterThanOrEqual(85);
		expect(data.grids.length).toBeLessThanOrEqual(100);
		expect(data.departments).toHaveLength(78);
		expect(new Set(data.departments.map((d) => d.name)).size).toBe(78);
		expect(data.departments.map((d) => d.name)).toEqual(expect.arrayContaining(['县委组织部', '县住建局', '县应急管理局', '县水务局']));
	});

	it('gives every community 5–7 liaison departments with one lead, all 78 departments used once', () => {
		for (const c of data.communities) {
			const units = data.liaisons.filter((l) => l.community_code === c.code);
			expect(units.length).toBeGreaterThanOrEqual(5);
			expect(units.length).toBeLessThanOrEqual(7);
			expect(units.filter((l) => l.is_lead)).toHaveLength(1);
		}
		expect(new Set(data.liaisons.map((l) => l.department_code)).size).toBe(78);
		expect(data.liaisons).toHaveLength(78);
	});

	it('has the seed’s people: 428 building heads, 96 party group leaders, 1,946 registered members …', () => {
		const holders = (role: string, current = true) =>
			new Set(data.assignments.filter((a) => a.role === role && (!current || a.valid_to === null)).map((a) => a.person_code)).size;
		expect(holders('building_head')).toBe(428);
		expect(holders('party_group_leader')).toBe(96);
		expect(holders('registered_party_member')).toBe(1946);
		expect(holders('grid_worker')).toBe(data.grids.length);
		expect(holders('first_secretary')).toBe(13);
		expect(holders('community_secretary')).toBe(13);
		expect(holders('street_secretary')).toBe(2);
		expect(holders('compound_branch_secretary')).toBe(21);
		// Fewer heads than buildings, on purpose: the coverage report must have something to show.
		expect(new Set(data.assignments.filter((a) => a.role === 'building_head').map((a) => a.target_code)).size).toBe(428);
		// Every building has a party group leader.
		expect(new Set(data.assignments.filter((a) => a.role === 'party_group_leader').map((a) => a.target_code)).size).toBe(
			data.buildings.length
		);
		const people = byCode(data.people);
		for (const a of data.assignments.filter((x) => x.role === 'first_secretary')) {
			expect(people.get(a.person_code)!.department_code).toMatch(/^D\d{3}$/);
		}
	});

	it('has the seed’s compounds, buildings and issue numbers', () => {
		expect(data.buildings.length).toBeGreaterThanOrEqual(500);
		expect(data.buildings.length).toBeLessThanOrEqual(700);
		expect(data.compounds.length).toBeGreaterThanOrEqual(100);
		expect(data.compounds.length).toBeLessThanOrEqual(150);
		const old = data.compounds.filter((c) => c.is_old).length / data.compounds.length;
		expect(old).toBeGreaterThan(0.35);
		expect(old).toBeLessThan(0.45);
		expect(data.compounds.filter((c) => c.has_party_branch)).toHaveLength(21);
		expect(data.compounds.filter((c) => c.is_red_property)).toHaveLength(22);
		for (const c of data.compounds.filter((x) => x.is_red_property)) expect(c.property_company).not.toBeNull();
		expect(data.issues).toHaveLength(1200);
		const onSite = data.issues.filter((i) => i.resolved_on_site);
		expect(onSite).toHaveLength(360);
		for (const i of onSite) expect(['closed', 'verified']).toContain(i.status);
		for (const b of data.buildings) expect(b.households).toBe(b.households - (b.households % 2));
	});

	it('has 18 + 16 renovation areas, batch 2 worth ¥280M, with consistent money and dates', () => {
		const batch1 = data.renovation.filter((r) => r.batch === 1);
		const batch2 = data.renovation.filter((r) => r.batch === 2);
		expect(batch1).toHaveLength(18);
		expect(batch2).toHaveLength(16);
		expect(batch2.reduce((s, r) => s + r.budget_yuan, 0)).toBe(280_000_000);
		expect(data.renovation.filter((r) => r.is_demonstration)).toHaveLength(9);
		for (const r of data.renovation) {
			expect(r.spent_yuan).toBeLessThanOrEqual(r.funds_secured_yuan);
			expect(r.funds_secured_yuan).toBeLessThanOrEqual(r.budget_yuan);
			if (r.status === 'completed' || r.status === 'accepted') {
				expect(r.progress_pct).toBe(100);
				expect(r.end_date! > r.start_date!).toBe(true);
				expect(r.end_date! < '2026-11-01').toBe(true);
			}
			if (r.status === 'planned') expect(r.spent_yuan).toBe(0);
		}
	});

	it('dates every stage a renovation project has reached, in lifecycle order, and no other (issue 21)', () => {
		const order = ['planned', 'approved', 'under_construction', 'completed', 'accepted'] as const;
		for (const r of data.renovation) {
			const reached = order.slice(0, order.indexOf(r.status) + 1);
			expect(Object.keys(r.stages ?? {}), r.code).toEqual(reached);
			const days = reached.map((s) => r.stages![s]!);
			expect([...days].sort(), r.code).toEqual(days);
			expect(days.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && d <= '2026-11-01'), r.code).toBe(true);
			if (r.start_date && reached.includes('under_construction')) expect(r.stages!.under_construction).toBe(r.start_date);
			if (r.end_date && reached.includes('completed')) expect(r.stages!.completed).toBe(r.end_date);
		}
	});

	it('keeps grids near the 300–500 household norm', () => {
		const households = new Map<string, number>();
		for (const b of data.buildings) {
			const [grid] = gridsAt(grids, pointOnFeature(b.geometry).geometry.coordinates);
			households.set(grid, (households.get(grid) ?? 0) + b.households);
		}
		const values = [...households.values()];
		expect(values).toHaveLength(data.grids.length);
		const inNorm = values.filter((h) => h >= 300 && h <= 500).length;
		// Most grids meet the norm; a few do not, so the coverage report has something to flag.
		expect(inNorm / values.length).toBeGreaterThan(0.75);
		expect(inNorm).toBeLessThan(values.length);
	});
});

describe('geometry', () => {
	const geometries: [string, Geometry][] = [];
	for (const layer of ['streets', 'communities', 'grids', 'compounds', 'buildings', 'issues', 'renovation', 'flood'] as const) {
		for (const r of data[layer]) geometries.push([`${layer} ${'code' in r ? r.code : ''}`, r.geometry]);
	}

	it('is valid, closed, counter-clockwise, with at least 4 positions per ring', () => {
		for (const [label, g] of geometries) {
			expect(booleanValid(g), label).toBe(true);
			for (const polygon of polygonsOf(g)) {
				for (const [k, ring] of polygon.entries()) {
					expect(ring.length, label).toBeGreaterThanOrEqual(4);
					expect(ring[0], label).toEqual(ring[ring.length - 1]);
					if (k === 0) expect(booleanClockwise(ring), label).toBe(false);
				}
			}
		}
	});

	it('uses MultiPolygon where the types say so, at most 7 decimals', () => {
		for (const layer of ['streets', 'communities', 'grids', 'compounds', 'buildings', 'renovation'] as const) {
			for (const r of data[layer]) expect(r.geometry.type).toBe('MultiPolygon');
		}
		for (const r of data.issues) expect(r.geometry.type).toBe('Point');
		expect(new Set(data.flood.map((f) => f.geometry.type))).toEqual(new Set(['Point', 'Polygon']));
		const text = ndjson(SCALE1, 'grids') + ndjson(SCALE1, 'buildings');
		expect(text).not.toMatch(/\d\.\d{8,}/);
	});

	it('sits at the Hejiang county seat, 临港街道 east of 符阳街道', () => {
		const [fuyang, lingang] = data.streets.map((s) => boxOf(s.geometry));
		expect((fuyang[0] + fuyang[2]) / 2).toBeCloseTo(105.826, 2);
		expect((fuyang[1] + fuyang[3]) / 2).toBeCloseTo(28.812, 2);
		expect(lingang[0]).toBeGreaterThan(fuyang[0]);
		expect(lingang[0]).toBeLessThanOrEqual(fuyang[2]);
	});

	function expectTiling(parts: (MultiPolygon & { label?: string })[], whole: MultiPolygon, label: string) {
		const sum = parts.reduce((s, p) => s + area(p), 0);
		expect(Math.abs(sum - area(whole)) / area(whole), label).toBeLessThan(1e-4);
		for (const [a, b] of candidatePairs(parts, boxOf)) expect(overlapArea(a, b), label).toBeLessThan(1);
	}

	it('tiles every community with its grids, without gap or overlap', () => {
		for (const c of data.communities) {
			const parts = data.grids.filter((g) => g.community_code === c.code).map((g) => g.geometry);
			expect(parts.length).toBeGreaterThanOrEqual(4);
			expectTiling(parts, c.geometry, c.name);
		}
	});

	it('tiles every street with its communities, without gap or overlap', () => {
		for (const s of data.streets) {
			expectTiling(data.communities.filter((c) => c.street_code === s.code).map((c) => c.geometry), s.geometry, s.name);
		}
	});

	it('numbers grids west→east, then north→south inside their community', () => {
		for (const c of data.communities) {
			const own = data.grids.filter((g) => g.community_code === c.code);
			own.forEach((g, i) => {
				expect(g.code).toBe(c.code + String(i + 1).padStart(3, '0'));
				expect(g.name).toBe(`${c.name}第${i + 1}网格`);
			});
			const centres = own.map((g) => pointOnFeature(g.geometry).geometry.coordinates);
			for (let i = 1; i < centres.length; i++) {
				// Either further east on the same row or on a row further south.
				const sameRow = Math.abs(centres[i][1] - centres[i - 1][1]) < 0.002;
				expect(sameRow ? centres[i][0] > centres[i - 1][0] : centres[i][1] < centres[i - 1][1]).toBe(true);
			}
		}
	});

	it('puts every building in exactly one grid, without overlaps between buildings', () => {
		for (const b of data.buildings) {
			expect(gridsAt(grids, pointOnFeature(b.geometry).geometry.coordinates), b.code).toHaveLength(1);
		}
		const pairs = candidatePairs(data.buildings, (b) => boxOf(b.geometry));
		for (const [a, b] of pairs) expect(overlapArea(a.geometry, b.geometry), `${a.code} ${b.code}`).toBe(0);
	});

	it('keeps compounds inside one grid of their community, apart, and around their buildings', () => {
		for (const c of data.compounds) {
			const vertices = c.geometry.coordinates[0][0];
			const homes = new Set(vertices.map((p) => gridsAt(grids, p).join()));
			expect(homes.size, c.code).toBe(1);
			expect(gridCommunity.get([...homes][0]), c.code).toBe(c.community_code);
		}
		for (const [a, b] of candidatePairs(data.compounds, (c) => boxOf(c.geometry))) {
			expect(overlapArea(a.geometry, b.geometry)).toBe(0);
		}
		const members = new Map<string, number>();
		let loose = 0;
		for (const b of data.buildings) {
			const p = pointOnFeature(b.geometry).geometry.coordinates;
			const holders = data.compounds.filter((c) => booleanPointInPolygon(p, c.geometry));
			expect(holders.length).toBeLessThanOrEqual(1);
			if (holders.length === 0) loose++;
			else {
				expect(booleanWithin(b.geometry, holders[0].geometry), b.code).toBe(true);
				members.set(holders[0].code, (members.get(holders[0].code) ?? 0) + 1);
			}
		}
		for (const c of data.compounds) expect(members.get(c.code) ?? 0, c.code).toBeGreaterThanOrEqual(2);
		expect(loose).toBeGreaterThan(0);
	});

	it('puts issues in exactly one grid, and about half on a building', () => {
		const buildings = byCode(data.buildings);
		for (const i of data.issues) {
			expect(gridsAt(grids, i.geometry.coordinates), i.code).toHaveLength(1);
			if (i.building_code) {
				const b = buildings.get(i.building_code)!;
				// At the building's centre, or (flood reports) right beside it in the same grid.
				expect(gridsAt(grids, i.geometry.coordinates)).toEqual(gridsAt(grids, pointOnFeature(b.geometry).geometry.coordinates));
			}
		}
		const share = data.issues.filter((i) => i.building_code).length / data.issues.length;
		expect(share).toBeGreaterThan(0.4);
		expect(share).toBeLessThan(0.6);
	});

	it('covers old compounds with renovation areas that do not overlap', () => {
		for (const r of data.renovation) {
			const covered = data.compounds.filter((c) => booleanWithin(c.geometry, r.geometry));
			expect(covered.some((c) => c.is_old), r.code).toBe(true);
			expect(covered.every((c) => c.is_old), r.code).toBe(true);
		}
		for (const [a, b] of candidatePairs(data.renovation, (r) => boxOf(r.geometry))) {
			expect(overlapArea(a.geometry, b.geometry)).toBe(0);
		}
	});

	it('puts flood spots in exactly one grid', () => {
		for (const f of data.flood) {
			const points: Position[] = f.geometry.type === 'Point' ? [f.geometry.coordinates] : polygonsOf(f.geometry)[0][0];
			const homes = new Set(points.map((p) => gridsAt(grids, p).join()));
			expect(homes.size, f.code).toBe(1);
			expect([...homes][0]).not.toBe('');
		}
	});
});

describe('referential integrity', () => {
	it('has unique codes in every coded layer', () => {
		for (const layer of ['streets', 'communities', 'grids', 'compounds', 'buildings', 'departments', 'people', 'issues', 'renovation', 'flood'] as const) {
			const codes = (data[layer] as { code: string }[]).map((r) => r.code);
			expect(new Set(codes).size, layer).toBe(codes.length);
		}
		expect(new Set(data.people.map((p) => p.phone)).size).toBe(data.people.length);
	});

	it('references only codes that exist', () => {
		const has = (layer: keyof Records) => new Set((data[layer] as { code: string }[]).map((r) => r.code));
		const streets = has('streets');
		const communities = has('communities');
		const gridCodes = has('grids');
		const compounds = has('compounds');
		const buildings = has('buildings');
		const departments = has('departments');
		const people = has('people');
		const issues = has('issues');
		const renovation = has('renovation');
		const flood = has('flood');
		for (const c of data.communities) expect(streets.has(c.street_code)).toBe(true);
		for (const g of data.grids) expect(communities.has(g.community_code)).toBe(true);
		for (const c of data.compounds) expect(communities.has(c.community_code)).toBe(true);
		for (const l of data.liaisons) {
			expect(communities.has(l.community_code)).toBe(true);
			expect(departments.has(l.department_code)).toBe(true);
		}
		for (const p of data.people) if (p.department_code) expect(departments.has(p.department_code)).toBe(true);
		const targets = { street: streets, community: communities, grid: gridCodes, compound: compounds, building: buildings };
		for (const a of data.assignments) {
			expect(people.has(a.person_code)).toBe(true);
			expect(targets[a.level].has(a.target_code), `${a.role} ${a.target_code}`).toBe(true);
			expect(a.valid_from >= '2024-01-01' && a.valid_from < '2026-11-01').toBe(true);
			if (a.valid_to) expect(a.valid_to >= a.valid_from).toBe(true);
		}
		for (const i of data.issues) if (i.building_code) expect(buildings.has(i.building_code)).toBe(true);
		for (const e of data.issue_events) {
			expect(issues.has(e.issue_code)).toBe(true);
			if (e.actor_code) expect(people.has(e.actor_code)).toBe(true);
		}
		for (const f of data.flood) {
			if (f.issue_code) expect(issues.has(f.issue_code)).toBe(true);
			if (f.project_code) expect(renovation.has(f.project_code)).toBe(true);
		}
		for (const x of data.flood_incidents) expect(flood.has(x.flood_code)).toBe(true);
	});

	it('gives every person exactly one current role, and each role the right level', () => {
		const levels: Record<string, string> = {
			street_secretary: 'street',
			first_secretary: 'community',
			community_secretary: 'community',
			grid_worker: 'grid',
			compound_branch_secretary: 'compound',
			building_head: 'building',
			party_group_leader: 'building',
			registered_party_member: 'building'
		};
		const roles = new Map<string, Set<string>>();
		for (const a of data.assignments) {
			expect(a.level).toBe(levels[a.role]);
			roles.set(a.person_code, (roles.get(a.person_code) ?? new Set()).add(a.role));
		}
		expect(roles.size).toBe(data.people.length);
		for (const set of roles.values()) expect(set.size).toBe(1);
		const branchCompounds = new Set(data.assignments.filter((a) => a.role === 'compound_branch_secretary').map((a) => a.target_code));
		expect(branchCompounds).toEqual(new Set(data.compounds.filter((c) => c.has_party_branch).map((c) => c.code)));
	});

	it('gives each issue a consistent event history ending in its status', () => {
		const events = new Map<string, typeof data.issue_events>();
		for (const e of data.issue_events) {
			const list = events.get(e.issue_code) ?? [];
			list.push(e);
			events.set(e.issue_code, list);
		}
		const next: Record<string, string[]> = {
			reported: ['registered', 'rejected'],
			registered: ['dispatched', 'escalated'],
			escalated: ['dispatched'],
			dispatched: ['in_progress'],
			in_progress: ['resolved', 'backlog'],
			resolved: ['verified', 'returned'],
			returned: ['in_progress'],
			verified: ['closed']
		};
		for (const issue of data.issues) {
			const list = events.get(issue.code)!;
			expect(list[0].from_status).toBeNull();
			expect(list[0].to_status).toBe('reported');
			expect(list[0].at).toBe(issue.reported_at);
			for (let k = 1; k < list.length; k++) {
				expect(list[k].from_status).toBe(list[k - 1].to_status);
				expect(next[list[k - 1].to_status]).toContain(list[k].to_status);
				expect(list[k].at > list[k - 1].at).toBe(true);
			}
			const last = list[list.length - 1];
			expect(last.to_status).toBe(issue.status);
			expect(last.at < '2026-11-01T00:00:00.000Z').toBe(true);
			expect(issue.reported_at >= '2025-04-30').toBe(true);
			const resolver = list.find((e) => e.to_status === 'resolved')?.actor_code;
			const verifier = list.find((e) => e.to_status === 'verified')?.actor_code;
			if (resolver && verifier) expect(verifier).not.toBe(resolver);
		}
		const statuses = new Set(data.issues.map((i) => i.status));
		for (const s of ['closed', 'in_progress', 'escalated', 'backlog', 'rejected', 'verified']) expect(statuses).toContain(s);
	});
});

describe('named places of the seed', () => {
	const community = (name: string) => data.communities.find((c) => c.name === name)!.code;
	const compound = (name: string) => data.compounds.find((c) => c.name === name)!;

	it('has 酱园坪 (old, 义园街), 荔城华府 (new, 桂园林) and 江南小区 (old, 百花亭)', () => {
		expect(compound('酱园坪')).toMatchObject({ is_old: true, community_code: community('义园街社区') });
		expect(compound('荔城华府')).toMatchObject({ is_old: false, community_code: community('桂园林社区') });
		expect(compound('江南小区')).toMatchObject({ is_old: true, community_code: community('百花亭社区') });
		expect(data.renovation.find((r) => r.name === '酱园坪老旧小区改造')).toMatchObject({ is_demonstration: true, batch: 1 });
	});

	it('has 千藤街48号 in 义园街社区 with its backflow spot, the issue that reported it and the project that fixed it', () => {
		const building = data.buildings.find((b) => b.address.endsWith('千藤街48号'))!;
		expect(building.address).toBe('合江县符阳街道千藤街48号');
		const [grid] = gridsAt(grids, pointOnFeature(building.geometry).geometry.coordinates);
		expect(gridCommunity.get(grid)).toBe(community('义园街社区'));
		expect(booleanWithin(building.geometry, compound('酱园坪').geometry)).toBe(true);

		const issue = data.issues.find((i) => i.building_code === building.code && i.category === 'drainage')!;
		expect(issue).toMatchObject({ status: 'closed', title: '千藤街48号低洼地带雨水倒灌导致居民住宅进水' });
		const spot = data.flood.find((f) => f.issue_code === issue.code)!;
		expect(spot).toMatchObject({ cause: 'backflow', status: 'fixed' });
		const project = data.renovation.find((r) => r.code === spot.project_code)!;
		expect(project.name).toBe('酱园坪老旧小区改造');
		expect(booleanPointInPolygon((spot.geometry as Point).coordinates, project.geometry)).toBe(true);
	});

	it('has the 江南小区 parking issue on one of its buildings', () => {
		const issue = data.issues.find((i) => i.title.startsWith('江南小区停车难'))!;
		expect(issue).toMatchObject({ category: 'parking', status: 'closed' });
		const building = data.buildings.find((b) => b.code === issue.building_code)!;
		expect(booleanWithin(building.geometry, compound('江南小区').geometry)).toBe(true);
	});
});

describe('scale', () => {
	// Twenty times the sample in one pass: its time is the bench's to measure, not a test's.
	it('streams scale 20 with counts() exact', () => {
		const gen = createGenerator({ scale: 20, seed: 'hejiang' });
		const counts = gen.counts();
		expect(counts.buildings).toBe(12_000);
		expect(counts.issues).toBe(24_000);
		expect(counts.communities).toBe(Math.round(13 * Math.sqrt(20)));
		expect(counts.streets).toBe(Math.round(2 * Math.cbrt(20)));
		expect(Math.abs(counts.grids - 90 * 20 ** (2 / 3)) / counts.grids).toBeLessThan(0.05);
		for (const layer of RECORD_LAYERS) {
			let n = 0;
			for (const _ of gen.records(layer)) n++;
			expect(n, layer).toBe(counts[layer]);
		}
		const renovation = [...gen.records('renovation')];
		expect(renovation.filter((r) => r.batch === 2).reduce((s, r) => s + r.budget_yuan, 0)).toBe(20 * 280_000_000);
		const codes = [...gen.records('buildings')].map((b) => b.code);
		expect(new Set(codes).size).toBe(codes.length);
	}, 120_000);

	it('rejects a scale below 1', () => {
		expect(() => createGenerator({ scale: 0.5, seed: 'hejiang' })).toThrow(/scale/);
	});
});

