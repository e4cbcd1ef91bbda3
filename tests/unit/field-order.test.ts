/** The field worker's list order and the door-plate lookup (issue 13). */
import { describe, expect, it } from 'vitest';
import { buildingState, findBuilding, rankBuildings, type FieldBuilding } from '../../src/lib/client/field-order';

const row = (code: string, lng: number, lat: number, extra: Partial<FieldBuilding> = {}): FieldBuilding => ({
	code,
	address: `合江县 ${code} 号楼`,
	grid_code: 'G1',
	grid_name: '一网格',
	floors: 6,
	households: 24,
	heads: [{ role: 'building_head', name: '张三', phone: '13800000000' }],
	open_issues: 0,
	lng,
	lat,
	distance_m: null,
	...extra
});

const HERE: [number, number] = [105.826, 28.812];

describe('rankBuildings', () => {
	it('puts those not visited this month first, each group nearest first', () => {
		const buildings = [
			row('B1', HERE[0] + 0.0001, HERE[1], { visited_this_month: true }), // ~10 m, visited
			row('B2', HERE[0] + 0.003, HERE[1]), // ~290 m
			row('B3', HERE[0], HERE[1] + 0.001), // ~111 m
			row('B4', HERE[0] + 0.0002, HERE[1], { visited_this_month: true }) // ~20 m, visited
		];
		const ranked = rankBuildings(buildings, HERE);
		expect(ranked.map((b) => b.code)).toEqual(['B3', 'B2', 'B1', 'B4']);
		expect(Math.round(ranked[0].metres!)).toBe(111);
		expect(ranked[0].compass).toBe('n');
		expect(ranked[1].compass).toBe('e');
	});

	it('without a position: not visited first, then by code', () => {
		const ranked = rankBuildings([row('B2', 0, 0), row('B1', 0, 0, { visited_this_month: true }), row('B0', 0, 0)], null);
		expect(ranked.map((b) => [b.code, b.metres, b.compass])).toEqual([
			['B0', null, null],
			['B2', null, null],
			['B1', null, null]
		]);
	});
});

describe('buildingState', () => {
	it('reads the new fields, and heads missing from an empty heads list on older rows', () => {
		expect(buildingState(row('B1', 0, 0, { heads: [], open_issues: 2 }))).toEqual({ headsMissing: true, openCases: true, rainCheckDue: false, visited: false });
		expect(buildingState(row('B1', 0, 0, { heads_missing: false, heads: [], rain_check_due: true, visited_this_month: true }))).toEqual({
			headsMissing: false,
			openCases: false,
			rainCheckDue: true,
			visited: true
		});
	});
});

describe('findBuilding', () => {
	const list = [row('B00000241', 0, 0, { address: '合江县人民路 12 号' }), row('B00000242', 0, 0, { address: '合江县人民路 14 号' })];
	it('finds a code as a scanner or a thumb gives it', () => {
		expect(findBuilding(list, ' b0000 0241 ')?.code).toBe('B00000241');
	});
	it('finds the one address that contains the text, and none when several do', () => {
		expect(findBuilding(list, '人民路 14')?.code).toBe('B00000242');
		expect(findBuilding(list, '人民路')).toBeNull();
		expect(findBuilding(list, 'B9')).toBeNull();
	});
});
