/**
 * CQL2 text to SQL (src/lib/server/cql2.ts): the parse is complete or refused — nothing of
 * a filter is ever dropped — operator precedence and BETWEEN's own AND come out right,
 * every literal is a bound parameter, and whatever is not a queryable or not supported is a
 * 400 that names it.
 */
import { describe, expect, it } from 'vitest';
import { cql2ToSql, parseCql2Text } from '../../src/lib/server/interfaces/cql2.js';
import { collectionOf } from '../../src/lib/server/interfaces/ogc-collections.js';
import { CRS84, crsOf } from '../../src/lib/geo/ogc-crs.js';
import { isApiError } from '../../src/lib/server/platform/errors.js';

const issues = collectionOf('issues')!;
const buildings = collectionOf('buildings')!;
const toSql = (text: string, c = issues, crs = crsOf(CRS84)!) => cql2ToSql(parseCql2Text(text), c, crs);

function refusal(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		expect(isApiError(error)).toBe(true);
		expect((error as { status: number }).status).toBe(400);
		return (error as Error).message;
	}
	throw new Error('expected a 400');
}

describe('parsing CQL2 text', () => {
	it('keeps every part of a conjunction, BETWEEN taking its own AND', () => {
		expect(parseCql2Text("a = 1 AND floors BETWEEN 4 AND 9 AND b = 'x'")).toEqual({
			op: 'and',
			args: [{ op: '=', args: [{ property: 'a' }, 1] }, { op: 'between', args: [{ property: 'floors' }, 4, 9] }, { op: '=', args: [{ property: 'b' }, 'x'] }]
		});
	});

	it('binds AND tighter than OR, NOT tightest, parentheses first', () => {
		expect(parseCql2Text('a = 1 OR b = 2 AND NOT c = 3')).toEqual({
			op: 'or',
			args: [{ op: '=', args: [{ property: 'a' }, 1] }, { op: 'and', args: [{ op: '=', args: [{ property: 'b' }, 2] }, { op: 'not', args: [{ op: '=', args: [{ property: 'c' }, 3] }] }] }]
		});
		expect(parseCql2Text('(a = 1 OR b = 2) AND c = 3')).toMatchObject({ op: 'and', args: [{ op: 'or' }, { op: '=' }] });
	});

	it('reads literals: signed numbers, escaped quotes, timestamps, dates, booleans, BBOX and WKT', () => {
		expect(parseCql2Text("a <> -3.5e2 AND s = 'it''s' AND t > TIMESTAMP('2026-01-01T00:00:00Z') AND d = DATE('2026-01-02') AND f = false")).toEqual({
			op: 'and',
			args: [
				{ op: '<>', args: [{ property: 'a' }, -350] },
				{ op: '=', args: [{ property: 's' }, "it's"] },
				{ op: '>', args: [{ property: 't' }, { timestamp: '2026-01-01T00:00:00Z' }] },
				{ op: '=', args: [{ property: 'd' }, { date: '2026-01-02' }] },
				{ op: '=', args: [{ property: 'f' }, false] }
			]
		});
		expect(parseCql2Text('S_INTERSECTS(geometry, POLYGON((1 2, 3 2, 3 4, 1 2)))')).toEqual({
			op: 's_intersects',
			args: [{ property: 'geometry' }, { type: 'Polygon', coordinates: [[[1, 2], [3, 2], [3, 4], [1, 2]]] }]
		});
		expect(parseCql2Text('s_intersects(geometry, bbox(1, 2, 3, 4))')).toEqual({ op: 's_intersects', args: [{ property: 'geometry' }, { bbox: [1, 2, 3, 4] }] });
	});

	it.each(["status = 'a' garbage", "status = 'a' )", 'a = 1 AND (b = 2', 'status =', "status = 'open", 'AND', ''])('refuses %j, saying where', (text) => {
		expect(refusal(() => parseCql2Text(text))).toMatch(/^filter is not valid CQL2 text at character \d+/);
	});
});

describe('CQL2 as SQL', () => {
	it('writes properties from the allow-list and binds every literal', () => {
		const { sql, bindings } = toSql("status IN ('reported', 'registered') AND title LIKE '%x''); DROP TABLE issues; --%'");
		expect(sql).toBe('(((t.status) IN (CAST(:f1 AS text), CAST(:f2 AS text))) AND ((t.title) LIKE CAST(:f3 AS text)))');
		expect(bindings).toEqual({ f1: 'reported', f2: 'registered', f3: "%x'); DROP TABLE issues; --%" });
	});

	it('turns a BBOX in a latitude-first CRS into west, south, east, north', () => {
		const { bindings } = toSql('S_INTERSECTS(geometry, BBOX(28.8, 105.8, 28.9, 105.9))', buildings, crsOf('http://www.opengis.net/def/crs/EPSG/0/4490')!);
		expect(Object.values(bindings)).toEqual([105.8, 28.8, 105.9, 28.9]);
	});

	it.each([
		["reporter_contact = 'x'", /'reporter_contact' is not a queryable of issues; queryables: code, title/],
		['status = 3', /status is text and cannot be compared with a number/],
		["reported_at > '2026-01-01'", /write TIMESTAMP/],
		["overdue > true", /overdue can only be compared with = or <>/],
		['S_WITHIN(geometry, POINT(105 28))', /S_WITHIN is not supported/],
		["CASEI(status) = 'a'", /CASEI is not supported/],
		['S_INTERSECTS(geometry, POINT(200 28))', /longitude 200 is out of range/],
		['S_INTERSECTS(geometry, POLYGON((1 2, 3 2, 1 2)))', /geometry literal is not valid/],
		['S_INTERSECTS(geometry, BBOX(3, 2, 1, 4))', /BBOX west 3 is greater than east 1/],
		['status = NULL', /not valid CQL2 text at character 10/],
		["TIMESTAMP('2026-13-01T00:00:00Z') < reported_at", /not an RFC 3339 date-time/],
		['status', /not valid CQL2 text at character 7/]
	])('%s is refused: %s', (text, message) => {
		expect(refusal(() => toSql(text))).toMatch(message);
	});
});

describe('the CQL2 parser is built from the grammar', () => {
	it('the committed parser is the one the grammar generates (npm run cql2:parser writes it)', async () => {
		const { CQL2_PARSER_FILE, generateCql2Parser } = await import('../../scripts/lib/cql2-parser.js');
		const fs = await import('node:fs');
		expect(fs.readFileSync(CQL2_PARSER_FILE, 'utf8')).toBe(await generateCql2Parser());
	});
});
