import { describe, expect, it } from 'vitest';
import type { GeometryKind, ReadResult } from '../../src/lib/geo/geojson-check.js';
import { countVertices, MAX_VERTICES, readGeoJson } from '../../src/lib/geo/geojson-check.js';

const POLYGONS: { allowed: GeometryKind[]; crs: 'wgs84' } = { allowed: ['Polygon', 'MultiPolygon'], crs: 'wgs84' };

/** A small closed square near the Hejiang county seat, as text so tests can splice bad tokens in. */
const SQUARE = '[[105.82,28.81],[105.83,28.81],[105.83,28.82],[105.82,28.82],[105.82,28.81]]';
const polygonFeature = (rings: string, props = '{"name":"a"}') =>
	`{"type":"Feature","properties":${props},"geometry":{"type":"Polygon","coordinates":[${rings}]}}`;
const collection = (...features: string[]) => `{"type":"FeatureCollection","features":[${features.join(',')}]}`;

function problemsOf(result: ReadResult) {
	if (!result.ok) throw new Error(`expected ok, got error: ${result.error}`);
	return result.problems;
}

/** Asserts exactly one problem, at the given feature index, whose reason contains all the fragments. */
function expectOneProblem(text: string, index: number, ...fragments: string[]) {
	const problems = problemsOf(readGeoJson(text, POLYGONS));
	expect(problems).toHaveLength(1);
	expect(problems[0].index).toBe(index);
	for (const f of fragments) expect(problems[0].reason).toContain(f);
}

describe('readGeoJson: good input', () => {
	it('accepts a FeatureCollection and keeps properties', () => {
		const result = readGeoJson(collection(polygonFeature(SQUARE), polygonFeature(SQUARE, 'null')), POLYGONS);
		expect(result).toMatchObject({ ok: true, problems: [] });
		if (!result.ok) return;
		expect(result.features.map((f) => f.index)).toEqual([0, 1]);
		expect(result.features[0].properties).toEqual({ name: 'a' });
		expect(result.features[1].properties).toEqual({});
		expect(result.features[0].geometry.type).toBe('Polygon');
	});

	it('accepts a single Feature as index 0', () => {
		const result = readGeoJson(polygonFeature(SQUARE, '{"code":"510522","n":1}'), POLYGONS);
		expect(result).toMatchObject({ ok: true, problems: [], features: [{ index: 0, properties: { code: '510522', n: 1 } }] });
	});

	it('accepts a bare geometry as index 0 with empty properties', () => {
		const result = readGeoJson(`{"type":"MultiPolygon","coordinates":[[${SQUARE}],[${SQUARE}]]}`, POLYGONS);
		expect(result).toMatchObject({ ok: true, problems: [], features: [{ index: 0, properties: {} }] });
	});

	it('accepts 3D positions, a polygon with a hole and a byte-order mark', () => {
		const outer = '[[105,28,1],[106,28,1],[106,29,1],[105,29,1],[105,28,1]]';
		const hole = '[[105.2,28.2],[105.2,28.4],[105.4,28.4],[105.2,28.2]]';
		const result = readGeoJson(`\uFEFF${polygonFeature(`${outer},${hole}`)}`, POLYGONS);
		expect(result).toMatchObject({ ok: true, problems: [] });
	});

	it('accepts points, lines and collections when the layer allows them', () => {
		const text = collection(
			'{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[105.8,28.8]}}',
			'{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[105.8,28.8],[105.9,28.9]]}}',
			'{"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}}'
		);
		const result = readGeoJson(text, { allowed: ['Point', 'LineString', 'GeometryCollection'], crs: 'wgs84' });
		expect(result).toMatchObject({ ok: true, problems: [] });
	});
});

describe('readGeoJson: one bad feature each', () => {
	it('unclosed ring', () => {
		const ring = '[[105.82,28.81],[105.83,28.81],[105.83,28.82],[105.82,28.82],[105.821,28.81]]';
		expectOneProblem(polygonFeature(ring), 0, 'ring 0 is not closed', 'first position [105.82, 28.81]', 'last [105.821, 28.81]');
	});

	it('ring of 3 positions', () => {
		expectOneProblem(polygonFeature('[[105.82,28.81],[105.83,28.81],[105.82,28.81]]'), 0, 'ring 0 has 3 positions; a linear ring needs at least 4');
	});

	it('names polygon and ring in a MultiPolygon', () => {
		const bad = '[[105.82,28.81],[105.83,28.81],[105.83,28.82],[105.82,28.81]]';
		const hole = '[[105.9,28.9],[105.91,28.9],[105.9,28.9]]';
		const text = `{"type":"MultiPolygon","coordinates":[[${SQUARE}],[${bad},${hole}]]}`;
		expectOneProblem(text, 0, 'polygon 1 ring 1 has 3 positions');
	});

	it('NaN (read through JSON5)', () => {
		const ring = SQUARE.replace('[105.83,28.82]', '[105.83,NaN]');
		expectOneProblem(collection(polygonFeature(SQUARE), polygonFeature(ring)), 1, 'coordinates[0][2][1] is NaN');
	});

	it('1e400 overflows to Infinity', () => {
		const ring = SQUARE.replace('[105.83,28.81]', '[1e400,28.81]');
		expectOneProblem(polygonFeature(ring), 0, 'coordinates[0][1][0] is not finite', '1e400');
	});

	it('Infinity token (read through JSON5)', () => {
		const ring = SQUARE.replace('[105.83,28.81]', '[-Infinity,28.81]');
		expectOneProblem(polygonFeature(ring), 0, 'coordinates[0][1][0] is not finite');
	});

	it('null ordinate', () => {
		const ring = SQUARE.replace('[105.83,28.82]', '[105.83,null]');
		expectOneProblem(polygonFeature(ring), 0, 'coordinates[0][2][1] is null, expected a number');
	});

	it('string ordinate', () => {
		const ring = SQUARE.replace('[105.83,28.82]', '["105.83",28.82]');
		expectOneProblem(polygonFeature(ring), 0, 'coordinates[0][2][0] is a string');
	});

	it('longitude 200', () => {
		const ring = SQUARE.replace('[105.83,28.81]', '[200,28.81]');
		expectOneProblem(polygonFeature(ring), 0, 'longitude 200 is out of range [-180, 180] at coordinates[0][1]');
	});

	it('latitude 95', () => {
		const ring = SQUARE.replace('[105.83,28.82]', '[105.83,95]');
		expectOneProblem(polygonFeature(ring), 0, 'latitude 95 is out of range [-90, 90] at coordinates[0][2]');
	});

	it('a Point where polygons belong', () => {
		const text = collection(polygonFeature(SQUARE), '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[105.8,28.8]}}');
		expectOneProblem(text, 1, 'Point where Polygon or MultiPolygon is expected');
	});

	it('an empty geometry', () => {
		expectOneProblem('{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[]}}', 0, 'geometry is empty');
		expectOneProblem('{"type":"MultiPolygon","coordinates":[]}', 0, 'geometry is empty');
		const emptyCollection = '{"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[]}}';
		const problems = problemsOf(readGeoJson(emptyCollection, { allowed: ['Polygon', 'GeometryCollection'], crs: 'wgs84' }));
		expect(problems).toEqual([{ index: 0, reason: 'geometry is empty' }]);
	});

	it('null geometry', () => {
		expectOneProblem('{"type":"Feature","properties":{},"geometry":null}', 0, 'geometry is null');
	});

	it('missing geometry member', () => {
		expectOneProblem('{"type":"Feature","properties":{}}', 0, 'no "geometry" member');
	});

	it('properties that are not an object', () => {
		expectOneProblem(polygonFeature(SQUARE, '[1,2]'), 0, 'properties is an array');
	});

	it('a member of features that is not a Feature', () => {
		expectOneProblem(collection(polygonFeature(SQUARE), `{"type":"Polygon","coordinates":[${SQUARE}]}`), 1, 'expected "Feature"');
	});

	it('wrong nesting depth', () => {
		expectOneProblem(`{"type":"Polygon","coordinates":${SQUARE}}`, 0, 'nested 2 levels deep; a Polygon needs 3');
		expectOneProblem(`{"type":"Polygon","coordinates":[[${SQUARE}]]}`, 0, 'nested 4 levels deep; a Polygon needs 3');
	});

	it('a position with the wrong number of ordinates', () => {
		const ring = SQUARE.replace('[105.83,28.82]', '[105.83]');
		expectOneProblem(polygonFeature(ring), 0, 'coordinates[0][2] has 1 number; a position needs 2 or 3');
	});
});

describe('readGeoJson: whole-file errors', () => {
	it('malformed JSON, with line and column', () => {
		const text = `{"type":"FeatureCollection",\n"features":[\n{"type":"Feature" "properties":{}}]}`;
		const result = readGeoJson(text, POLYGONS);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error).toMatch(/^malformed JSON: /);
		expect(result.error).toContain('line 3, column 19');
	});

	it('malformed JSON without a position from V8 still gets a line and column', () => {
		const result = readGeoJson('{"type":\n  xyz}', POLYGONS);
		expect(result).toEqual({ ok: false, error: expect.stringMatching(/^malformed JSON: .*line 2, column 3/) });
	});

	it('truncated and empty text', () => {
		expect(readGeoJson('{"type":"Feature","geometry":', POLYGONS)).toMatchObject({ ok: false, error: expect.stringMatching(/^malformed JSON/) });
		expect(readGeoJson('  \n', POLYGONS)).toEqual({ ok: false, error: 'malformed JSON: the text is empty' });
	});

	it.each([
		['{"foo":1}', 'no "type" member'],
		['[1,2]', 'top level is an array'],
		['42', 'top level is a number'],
		['null', 'top level is null'],
		['{"type":"Topology","objects":{}}', '"Topology"'],
		['{"type":"FeatureCollection","features":{}}', '"features" is an object, expected an array']
	])('not GeoJSON: %s', (text, fragment) => {
		const result = readGeoJson(text, POLYGONS);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error).toMatch(/^not GeoJSON: /);
		expect(result.error).toContain(fragment);
	});
});

describe('readGeoJson: several bad features', () => {
	it('reports exactly features 1 and 3 of five', () => {
		const unclosed = '[[105.82,28.81],[105.83,28.81],[105.83,28.82],[105.82,28.82],[105.9,28.9]]';
		const text = collection(
			polygonFeature(SQUARE),
			polygonFeature(unclosed),
			polygonFeature(SQUARE),
			polygonFeature(SQUARE.replace('[105.83,28.82]', '[105.83,NaN]')),
			polygonFeature(SQUARE)
		);
		const result = readGeoJson(text, POLYGONS);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.problems.map((p) => p.index)).toEqual([1, 3]);
		expect(result.problems[0].reason).toContain('ring 0 is not closed');
		expect(result.problems[1].reason).toContain('coordinates[0][2][1] is NaN');
		expect(result.features.map((f) => f.index)).toEqual([0, 2, 4]);
	});

	it('reports several problems of one feature, capped with a summary', () => {
		const ring = `[${Array.from({ length: 30 }, () => '[null,28.8]').join(',')}]`;
		const problems = problemsOf(readGeoJson(polygonFeature(ring), POLYGONS));
		expect(problems).toHaveLength(11);
		expect(problems.every((p) => p.index === 0)).toBe(true);
		expect(problems[10].reason).toBe('and 20 more problems in this feature');
	});

	it('a wrong type and a bad coordinate in one feature are both reported', () => {
		const text = '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[500,28.8]}}';
		const problems = problemsOf(readGeoJson(text, POLYGONS));
		expect(problems.map((p) => p.reason)).toEqual([
			'Point where Polygon or MultiPolygon is expected',
			'longitude 500 is out of range [-180, 180] at coordinates'
		]);
	});

	it('names the member of a GeometryCollection', () => {
		const text = `{"type":"GeometryCollection","geometries":[{"type":"Polygon","coordinates":[${SQUARE}]},{"type":"Polygon","coordinates":[[[1,2],[3,4],[1,2]]]}]}`;
		const problems = problemsOf(readGeoJson(text, { allowed: ['Polygon', 'GeometryCollection'], crs: 'wgs84' }));
		expect(problems).toEqual([{ index: 0, reason: 'geometries[1] ring 0 has 3 positions; a linear ring needs at least 4' }]);
	});
});

describe('readGeoJson: EPSG:3857 ranges', () => {
	const mercator = { allowed: ['Polygon', 'MultiPolygon'] as GeometryKind[], crs: 'epsg:3857' as const };
	const square = (x: number, y: number) => `[[${x},${y}],[${x + 100},${y}],[${x + 100},${y + 100}],[${x},${y + 100}],[${x},${y}]]`;

	it('accepts metres that would be out of range as degrees', () => {
		const result = readGeoJson(polygonFeature(square(11779206.9, 3349670.2)), mercator);
		expect(result).toMatchObject({ ok: true, problems: [] });
		expect(problemsOf(readGeoJson(polygonFeature(square(11779206.9, 3349670.2)), POLYGONS)).length).toBeGreaterThan(0);
	});

	it('rejects x and y beyond ±20037508.3428', () => {
		const problems = problemsOf(readGeoJson(polygonFeature(square(20037500, -20037700)), mercator));
		const reasons = problems.map((p) => p.reason);
		expect(reasons).toContain('x 20037600 is out of range [-20037508.3428, 20037508.3428] at coordinates[0][1]');
		expect(reasons).toContain('y -20037700 is out of range [-20037508.3428, 20037508.3428] at coordinates[0][0]');
	});
});

describe('readGeoJson: NUL characters, which PostgreSQL cannot store', () => {
	const POINTS = { allowed: ['Point'] as GeometryKind[], crs: 'wgs84' as const };
	const point = (props: string, geometryExtra = '') =>
		`{"type":"Feature","properties":${props},"geometry":{"type":"Point","coordinates":[105.8,28.8]${geometryExtra}}}`;
	const NUL_REASON = 'contains a NUL character (\\u0000), which the database cannot store';
	const problems = (text: string) => problemsOf(readGeoJson(text, POINTS));

	it('in a property value (escaped), naming feature and property', () => {
		expect(problems(collection(point('{"code":"a"}'), point('{"code":"b","title":"x\\u0000y"}')))).toEqual([
			{ index: 1, reason: `property 'title' ${NUL_REASON}` }
		]);
	});

	it('in a code, as a raw byte in the JSON text', () => {
		expect(problems(collection(point('{"code":"a"}'), point('{"code":"b\u0000"}')))).toEqual([{ index: 1, reason: `property 'code' ${NUL_REASON}` }]);
	});

	it('deep inside a property, naming the property', () => {
		expect(problems(point('{"tags":["a",{"b":"\\u0000"}]}'))).toEqual([{ index: 0, reason: `property 'tags' ${NUL_REASON}` }]);
	});

	it('in a property name, shown escaped', () => {
		expect(problems(point('{"na\\u0000me":"x"}'))).toEqual([{ index: 0, reason: `property name "na\\u0000me" ${NUL_REASON}` }]);
	});

	it('each property holding one is a problem of its own', () => {
		expect(problems(point('{"code":"\\u0000","name":"\\u0000","ok":"fine"}')).map((p) => p.reason)).toEqual([
			`property 'code' ${NUL_REASON}`,
			`property 'name' ${NUL_REASON}`
		]);
	});

	it('in a member of the geometry, also of a bare geometry', () => {
		expect(problems(point('{}', ',"note":"\\u0000"'))).toEqual([{ index: 0, reason: `geometry member 'note' ${NUL_REASON}` }]);
		const bare = '{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2],"crs":{"name":"\\u0000"}}]}';
		const result = readGeoJson(bare, { allowed: ['Point', 'GeometryCollection'], crs: 'wgs84' });
		expect(problemsOf(result)).toEqual([{ index: 0, reason: `geometry member 'geometries[0].crs.name' ${NUL_REASON}` }]);
	});

	it('as a raw byte between tokens, the file is malformed JSON at a line and column', () => {
		const result = readGeoJson(`{"type":"Feature",\u0000"properties":{}}`, POINTS);
		expect(result).toEqual({ ok: false, error: expect.stringMatching(/^malformed JSON: .*line 1, column 19$/) });
		if (!result.ok) expect(result.error).not.toContain('\u0000');
	});

	it('a NUL-free file of nested properties passes', () => {
		expect(problems(point('{"tags":["a",{"b":"c"}],"n":1,"x":null}'))).toEqual([]);
	});
});

describe('readGeoJson: vertex bound (issue 20, point 7)', () => {
	const ringOf = (n: number) => {
		const ring = Array.from({ length: n - 1 }, (_, i) => [105.82 + 0.001 * Math.cos((2 * Math.PI * i) / (n - 1)), 28.81 + 0.001 * Math.sin((2 * Math.PI * i) / (n - 1))]);
		return JSON.stringify([...ring, ring[0]]);
	};

	it('takes 20,000 vertices and refuses 20,001, naming both numbers, in the second feature only', () => {
		expect(problemsOf(readGeoJson(polygonFeature(ringOf(MAX_VERTICES)), POLYGONS))).toEqual([]);
		expectOneProblem(collection(polygonFeature(SQUARE), polygonFeature(ringOf(MAX_VERTICES + 1))), 1, 'the geometry has 20001 vertices', 'more than the 20000', 'Simplify');
	});

	it('counts every ring and every member of a MultiPolygon, closing positions included', () => {
		const multi = { type: 'MultiPolygon', coordinates: [JSON.parse(`[${SQUARE}]`), JSON.parse(`[${SQUARE},${SQUARE}]`)] } as const;
		expect(countVertices(multi as never)).toBe(15);
		expect(countVertices({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }, multi as never] })).toBe(16);
	});

	it('lets a caller set its own bound', () => {
		expect(problemsOf(readGeoJson(polygonFeature(SQUARE), { ...POLYGONS, maxVertices: 4 }))[0].reason).toMatch(/^the geometry has 5 vertices, more than the 4/);
	});
});
