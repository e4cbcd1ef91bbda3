/** Distance and bearing on known points near the county seat; distances beside PostGIS's geography figures. */
import { describe, expect, it } from 'vitest';
import { bearingDegrees, compassPoint, distanceMetres } from '../../../src/lib/geo/bearing';

const SEAT: [number, number] = [105.826, 28.812];

describe('distanceMetres', () => {
	it('is 0 to itself and symmetric', () => {
		expect(distanceMetres(SEAT, SEAT)).toBe(0);
		const b: [number, number] = [105.8275, 28.8131];
		expect(distanceMetres(SEAT, b)).toBeCloseTo(distanceMetres(b, SEAT), 9);
	});

	it('gives 0.001° of latitude as 111 m and 0.001° of longitude at 28.8° N as 97.5 m', () => {
		// PostGIS (ST_Distance on geography, the WGS84 spheroid): 110.83 m and 97.61 m; the sphere is within 0.5%.
		expect(distanceMetres(SEAT, [SEAT[0], SEAT[1] + 0.001])).toBeCloseTo(111.2, 0);
		expect(distanceMetres(SEAT, [SEAT[0] + 0.001, SEAT[1]])).toBeCloseTo(97.5, 0);
	});
});

describe('bearingDegrees and compassPoint', () => {
	const cases: [string, [number, number], number, string][] = [
		['north', [SEAT[0], SEAT[1] + 0.001], 0, 'n'],
		['east', [SEAT[0] + 0.001, SEAT[1]], 90, 'e'],
		['south', [SEAT[0], SEAT[1] - 0.001], 180, 's'],
		['west', [SEAT[0] - 0.001, SEAT[1]], 270, 'w'],
		// Equal metres east and north: 45°.
		['north-east', [SEAT[0] + 0.001 * (111.2 / 97.5), SEAT[1] + 0.001], 45, 'ne']
	];
	for (const [name, to, bearing, point] of cases) {
		it(`points ${name}`, () => {
			expect(bearingDegrees(SEAT, to)).toBeCloseTo(bearing, 0);
			expect(compassPoint(bearingDegrees(SEAT, to))).toBe(point);
		});
	}

	it('splits the compass at 22.5° either side of each point', () => {
		expect(compassPoint(22.4)).toBe('n');
		expect(compassPoint(22.6)).toBe('ne');
		expect(compassPoint(337.6)).toBe('n');
		expect(compassPoint(359.9)).toBe('n');
		expect(compassPoint(-90)).toBe('w');
	});
});
