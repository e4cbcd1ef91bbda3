/** "您在网格外 1.7 公里，东北方向": how far outside an outline a point lies, and which way the outline is. */
import { describe, expect, it } from 'vitest';
import type { MultiPolygon, Polygon } from 'geojson';
import { holds, outside } from '../../../src/lib/geo/outside';
import { distanceMetres } from '../../../src/lib/geo/bearing';

// A 0.01° square grid north-east of the county seat, with a hole (a compound not in the grid).
const GRID: Polygon = {
	type: 'Polygon',
	coordinates: [
		[[105.83, 28.82], [105.84, 28.82], [105.84, 28.83], [105.83, 28.83], [105.83, 28.82]],
		[[105.834, 28.824], [105.836, 28.824], [105.836, 28.826], [105.834, 28.826], [105.834, 28.824]]
	]
};

describe('holds', () => {
	it('holds a point inside, not one in the hole nor one outside', () => {
		expect(holds(GRID, [105.832, 28.822])).toBe(true);
		expect(holds(GRID, [105.835, 28.825])).toBe(false);
		expect(holds(GRID, [105.82, 28.81])).toBe(false);
	});
	it('reads a MultiPolygon as any of its parts', () => {
		const two: MultiPolygon = { type: 'MultiPolygon', coordinates: [GRID.coordinates, [[[105.85, 28.85], [105.86, 28.85], [105.86, 28.86], [105.85, 28.85]]]] };
		expect(holds(two, [105.858, 28.852])).toBe(true);
	});
});

describe('outside', () => {
	it('is null inside the outline', () => {
		expect(outside(GRID, [105.832, 28.822])).toBeNull();
	});
	it('from south-west of the corner: the corner itself, to the north-east', () => {
		const from: [number, number] = [105.82, 28.81];
		const answer = outside(GRID, from)!;
		expect(answer.nearest[0]).toBeCloseTo(105.83, 9);
		expect(answer.nearest[1]).toBeCloseTo(28.82, 9);
		expect(answer.metres).toBeCloseTo(distanceMetres(from, [105.83, 28.82]), 6);
		expect(answer.metres).toBeGreaterThan(1400);
		expect(answer.metres).toBeLessThan(1500);
		expect(answer.bearing).toBeGreaterThan(35);
		expect(answer.bearing).toBeLessThan(55);
	});
	it('due south of an edge: straight north, by the latitude difference', () => {
		const answer = outside(GRID, [105.835, 28.81])!;
		expect(answer.nearest[0]).toBeCloseTo(105.835, 9);
		expect(answer.nearest[1]).toBeCloseTo(28.82, 9);
		expect(answer.bearing).toBeCloseTo(0, 6);
		expect(answer.metres).toBeCloseTo(1112, 0);
	});
	it('in the hole: the hole’s edge is the way out', () => {
		const answer = outside(GRID, [105.835, 28.8255])!;
		expect(answer.metres).toBeCloseTo(distanceMetres([105.835, 28.8255], [105.835, 28.826]), 3);
	});
});
