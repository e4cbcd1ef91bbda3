/**
 * What the bench measures. A workload is a fixed list of fixtures, each once as an HTTP path
 * against our server and once as the raw SQL that does the same work. To add one (e.g. the
 * owner lookups of issue 4), push a definition onto WORKLOADS: `prepare` gets the database
 * and returns the two parallel lists.
 *
 * Fixtures are picked deterministically from the loaded data: K buildings spread evenly
 * over the id range (ids follow the generator's order, cell by cell, so they spread over the
 * whole city), the tiles holding their anchors at z12–z16, and K areas of each level spread
 * the same way over their tables.
 */
import type { Knex } from 'knex';
import type pg from 'pg';
import { AREA_LEVELS, type AreaLevel } from '../../src/lib/domain/glossary.js';
import { LEVEL_TABLE } from '../../src/lib/server/tables.js';
import * as areas from '../../src/lib/server/areas.js';
import { TILE_LAYERS, TILE_LAYER_NAMES, render, type TileLayerName } from '../../src/lib/server/tiles.js';
import type { Database } from '../../src/lib/server/db.js';
import type { RawRequest } from './runner.js';

export interface Prepared {
	http: string[];
	raw: RawRequest[];
	/** what the fixtures are, for the report */
	describe: string;
}

export interface BenchContext {
	/** a plain client on the bench database */
	client: pg.Client;
	/** a knex on the bench database whose statements can be captured (see captureStatements) */
	knex: Knex;
	/** fixtures per workload */
	k: number;
}

export interface Workload {
	name: string;
	group: 'tiles' | 'areas' | string;
	prepare(ctx: BenchContext): Promise<Prepared>;
}

export const ZOOMS = [12, 13, 14, 15, 16];

/** n ids spread evenly over 1…count (the middle of each of n equal slices). */
export function spreadIds(count: number, n: number): number[] {
	const ids = new Set<number>();
	for (let i = 0; i < n; i++) ids.add(Math.max(1, Math.min(count, Math.floor(((i + 0.5) * count) / n))));
	return [...ids];
}

/** The XYZ tile holding a WGS84 point at zoom z. */
export function tileOf(lng: number, lat: number, z: number): [number, number, number] {
	const n = 2 ** z;
	const x = Math.floor(((lng + 180) / 360) * n);
	const rad = (lat * Math.PI) / 180;
	const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
	return [z, Math.min(n - 1, Math.max(0, x)), Math.min(n - 1, Math.max(0, y))];
}

async function anchorTiles(ctx: BenchContext): Promise<[number, number, number][]> {
	const { rows: count } = await ctx.client.query('SELECT max(id) AS n FROM buildings');
	const ids = spreadIds(Number(count[0].n), ctx.k);
	const { rows } = await ctx.client.query<{ lng: number; lat: number }>(
		'SELECT ST_X(anchor) AS lng, ST_Y(anchor) AS lat FROM buildings WHERE id = ANY($1) ORDER BY id',
		[ids]
	);
	const tiles = new Map<string, [number, number, number]>();
	for (const z of ZOOMS) for (const r of rows) tiles.set(tileOf(r.lng, r.lat, z).join('/'), tileOf(r.lng, r.lat, z));
	return [...tiles.values()];
}

function tileWorkload(layer: TileLayerName): Workload {
	return {
		name: `tile ${layer}`,
		group: 'tiles',
		async prepare(ctx) {
			// Below its minzoom a layer answers 204 without touching the database: not a
			// rendering to compare, so those zooms are left out.
			const tiles = (await anchorTiles(ctx)).filter(([z]) => z >= TILE_LAYERS[layer].minzoom);
			// The statement tiles.ts sends, captured as sent (a planner reads every row: no territory).
			const db = { knex: ctx.knex, backend: 'postgis' } as Database;
			const raw: RawRequest[] = [];
			for (const [z, x, y] of tiles) raw.push(await captureStatements(ctx.knex, () => render(db, layer, z, x, y)));
			return {
				http: tiles.map(([z, x, y]) => `/tiles/${layer}/${z}/${x}/${y}.pbf`),
				raw,
				describe: `${tiles.length} tiles, z${Math.min(...tiles.map((t) => t[0]))}–z${Math.max(...tiles.map((t) => t[0]))}`
			};
		}
	};
}

async function areaCodes(ctx: BenchContext, level: AreaLevel): Promise<string[]> {
	const table = LEVEL_TABLE[level];
	const { rows: count } = await ctx.client.query(`SELECT max(id) AS n FROM ${table}`);
	const { rows } = await ctx.client.query<{ code: string }>(`SELECT code FROM ${table} WHERE id = ANY($1) ORDER BY id`, [
		spreadIds(Number(count[0].n), ctx.k)
	]);
	return rows.map((r) => r.code);
}

/**
 * The statements an areas.ts function sends for one call, in the order sent, with their
 * values: the raw side replays exactly them. Recorded at the pg connections knex's pool
 * hands out while the call runs — whether a statement goes through knex or straight to the
 * connection as a named prepared statement (prepared.ts) — so the bench follows areas.ts
 * as it changes. Calls are captured one at a time.
 */
export async function captureStatements(knex: Knex, call: () => Promise<unknown>): Promise<RawRequest> {
	type Connection = { query: (...args: unknown[]) => unknown };
	const pool = knex.client as { acquireConnection(): Promise<Connection>; releaseConnection(c: Connection): Promise<unknown> };
	const statements: RawRequest = [];
	const acquire = pool.acquireConnection;
	const release = pool.releaseConnection;
	pool.acquireConnection = async function (this: unknown) {
		const connection = await acquire.call(this);
		const original = connection.query;
		// An own property shadowing pg.Client's prototype method, removed on release.
		connection.query = function (this: unknown, ...args: unknown[]) {
			const [first, second] = args;
			if (typeof first === 'string') statements.push({ text: first, values: Array.isArray(second) ? second : [] });
			else if (first && typeof (first as { text?: unknown }).text === 'string') {
				const q = first as { text: string; values?: unknown[] };
				statements.push({ text: q.text, values: q.values ?? [] });
			}
			return original.apply(this, args);
		};
		return connection;
	};
	pool.releaseConnection = function (this: unknown, connection: Connection) {
		delete (connection as Partial<Connection>).query;
		return release.call(this, connection);
	};
	try {
		await call();
	} finally {
		pool.acquireConnection = acquire;
		pool.releaseConnection = release;
	}
	return statements;
}

function areaWorkload(level: AreaLevel, kind: 'summary' | 'issues'): Workload {
	const query = kind === 'issues' ? '/issues?page=1&limit=20' : '';
	return {
		name: `area ${level} ${kind}`,
		group: 'areas',
		async prepare(ctx) {
			const codes = await areaCodes(ctx, level);
			const raw: RawRequest[] = [];
			for (const code of codes) {
				raw.push(
					await captureStatements(ctx.knex, () =>
						kind === 'summary' ? areas.summary(ctx.knex, level, code) : areas.issues(ctx.knex, level, code, { page: 1, limit: 20 })
					)
				);
			}
			return {
				http: codes.map((code) => `/api/areas/${level}/${encodeURIComponent(code)}${query}`),
				raw,
				describe: `${codes.length} ${level} codes, ${raw[0]?.length ?? 0} statements each`
			};
		}
	};
}

/**
 * The raw point-in-polygon reference for owner(point): for each level the covering area
 * with the lowest code, one statement, as a person would write it by hand.
 */
const OWNER_REFERENCE = `
SELECT (SELECT code FROM buildings WHERE ST_Covers(geom, p) ORDER BY code LIMIT 1) AS building,
       (SELECT code FROM compounds WHERE ST_Covers(geom, p) ORDER BY code LIMIT 1) AS compound,
       (SELECT code FROM grids WHERE ST_Covers(geom, p) ORDER BY code LIMIT 1) AS grid,
       (SELECT code FROM communities WHERE ST_Covers(geom, p) ORDER BY code LIMIT 1) AS community,
       (SELECT code FROM streets WHERE ST_Covers(geom, p) ORDER BY code LIMIT 1) AS street
FROM (SELECT ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326) AS p) s`;

/** owner(point) at building anchors spread over the city, nudged off-centre (issue 4). */
const ownerWorkload: Workload = {
	name: 'owner at point',
	group: 'owners',
	async prepare(ctx) {
		const { rows: count } = await ctx.client.query('SELECT max(id) AS n FROM buildings');
		const { rows } = await ctx.client.query<{ lng: number; lat: number }>(
			'SELECT ST_X(anchor) + 0.00001 AS lng, ST_Y(anchor) AS lat FROM buildings WHERE id = ANY($1) ORDER BY id',
			[spreadIds(Number(count[0].n), ctx.k * 4)]
		);
		return {
			http: rows.map((r) => `/api/owner?lng=${r.lng}&lat=${r.lat}`),
			raw: rows.map((r) => [{ text: OWNER_REFERENCE, values: [r.lng, r.lat] }]),
			describe: `${rows.length} points at building anchors; ours also names the people (signed in)`
		};
	}
};

export const WORKLOADS: Workload[] = [
	...TILE_LAYER_NAMES.map(tileWorkload),
	...AREA_LEVELS.map((level) => areaWorkload(level, 'summary')),
	...AREA_LEVELS.map((level) => areaWorkload(level, 'issues')),
	ownerWorkload
];
