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
import { LEVEL_TABLE } from '../../src/lib/server/platform/tables.js';
import * as areas from '../../src/lib/server/areas/areas.js';
import { TILE_LAYERS, TILE_LAYER_NAMES, render, type TileLayerName } from '../../src/lib/server/tiles/tiles.js';
import type { Database } from '../../src/lib/server/platform/db.js';
import { MAX_LIMIT, itemsSql } from '../../src/lib/server/interfaces/ogc.js';
import { readItemsQuery } from '../../src/lib/server/http/ogc.js';
import { collectionOf } from '../../src/lib/server/interfaces/ogc-collections.js';
import { run } from '../../src/lib/server/platform/prepared.js';
import type { RawRequest } from './runner.js';

export interface Prepared {
	http: string[];
	raw: RawRequest[];
	/** what the fixtures are, for the report */
	describe: string;
	/**
	 * OGC items: each fixture's page size. The raw side and the bare server then join the first
	 * that many feature texts of the last statement into the page's FeatureCollection, as the
	 * endpoint does (its statement reads one row more, to know whether a next page exists).
	 */
	features?: number[];
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

// ---------------------------------------------------------------- OGC API – Features items

/**
 * OGC items pages (issue 12): the HTTP path, and as raw SQL the statement getItems runs for
 * the same query string — read by ogc.ts's own readItemsQuery and itemsSql with a planner's
 * scope (every row, as the session the bench signs in with), run as getItems runs it
 * (prepared through prepared.ts, or a CQL2 filter's as a plain knex query) and captured as
 * sent, so the raw side follows ogc.ts as it changes.
 */
async function ogcItems(ctx: BenchContext, collectionId: string, queries: string[], what: string): Promise<Prepared> {
	const c = collectionOf(collectionId);
	if (!c) throw new Error(`no OGC collection ${collectionId}`);
	const raw: RawRequest[] = [];
	const features: number[] = [];
	const returned: number[] = [];
	for (const query of queries) {
		const q = readItemsQuery({ query: new URLSearchParams(query), scope: { kind: 'all' } }, c);
		const sql = itemsSql(q);
		const bindings = Object.fromEntries(Object.entries(q.bindings).filter(([, v]) => v !== undefined));
		let rows: unknown[] = [];
		raw.push(
			await captureStatements(ctx.knex, async () => {
				rows = q.adHoc ? (await ctx.knex.raw(sql, bindings as never)).rows : await run(ctx.knex, sql, bindings);
			})
		);
		features.push(q.limit);
		returned.push(Math.min(rows.length, q.limit));
	}
	const range = Math.min(...returned) === Math.max(...returned) ? `${returned[0]}` : `${Math.min(...returned)}–${Math.max(...returned)}`;
	return {
		http: queries.map((query) => `/ogc/collections/${collectionId}/items?${query}`),
		raw,
		features,
		describe: `${queries.length} ${what}, ${range} features each`
	};
}

async function maxId(ctx: BenchContext, table: string): Promise<number> {
	const { rows } = await ctx.client.query(`SELECT max(id) AS n FROM ${table}`);
	return Number(rows[0].n);
}

/**
 * K bboxes, each the extent of the n points of a table nearest to one of K rows spread over
 * the id range (a few hundred buildings, or issues, around a building anchor), in CRS84.
 */
async function bboxesAround(ctx: BenchContext, table: 'buildings' | 'issues', point: string, n: number): Promise<string[]> {
	const { rows } = await ctx.client.query<{ w: number; s: number; e: number; n: number }>(
		`SELECT ST_XMin(x.box) AS w, ST_YMin(x.box) AS s, ST_XMax(x.box) AS e, ST_YMax(x.box) AS n
		 FROM buildings b,
		 LATERAL (SELECT ST_Extent(${point}) AS box FROM (SELECT t.${point} FROM ${table} t ORDER BY t.${point} <-> b.anchor LIMIT $2) near) x
		 WHERE b.id = ANY($1) ORDER BY b.id`,
		[spreadIds(await maxId(ctx, 'buildings'), ctx.k), n]
	);
	return rows.map((r) => [r.w, r.s, r.e, r.n].map((v) => Number(v).toFixed(6)).join(','));
}

const ogcWorkloads: Workload[] = [
	{
		name: 'ogc items buildings',
		group: 'ogc',
		prepare: (ctx) => ogcItems(ctx, 'buildings', ['limit=100&f=json'], 'first page, limit=100')
	},
	{
		name: 'ogc items buildings deep',
		group: 'ogc',
		// Keyset paging: a page after an id deep into the layer costs what the first does.
		prepare: async (ctx) =>
			ogcItems(
				ctx,
				'buildings',
				spreadIds(await maxId(ctx, 'buildings'), ctx.k).map((id) => `limit=100&after=${id}&f=json`),
				'pages after ids spread over the layer, limit=100'
			)
	},
	{
		name: 'ogc items buildings bbox',
		group: 'ogc',
		prepare: async (ctx) =>
			ogcItems(
				ctx,
				'buildings',
				(await bboxesAround(ctx, 'buildings', 'anchor', 300)).map((bbox) => `limit=1000&bbox=${bbox}&f=json`),
				'bboxes around 300 building anchors, limit=1000'
			)
	},
	{
		name: 'ogc items issues filter',
		group: 'ogc',
		prepare: async (ctx) =>
			ogcItems(
				ctx,
				'issues',
				(await bboxesAround(ctx, 'issues', 'geom', 10_000)).map(
					(bbox) => `limit=1000&filter=${encodeURIComponent(`status = 'reported' AND S_INTERSECTS(geometry, BBOX(${bbox}))`)}&f=json`
				),
				"CQL2 filters status = 'reported' AND S_INTERSECTS(geometry, BBOX(around 10,000 issues)), limit=1000"
			)
	},
	{
		name: 'ogc items issues 10000',
		group: 'ogc',
		prepare: async (ctx) =>
			ogcItems(
				ctx,
				'issues',
				spreadIds(Math.max(1, (await maxId(ctx, 'issues')) - MAX_LIMIT), ctx.k).map((id) => `limit=${MAX_LIMIT}&after=${id}&f=json`),
				`pages of ${MAX_LIMIT} (the largest) after ids spread over the layer`
			)
	}
];

export const WORKLOADS: Workload[] = [
	...TILE_LAYER_NAMES.map(tileWorkload),
	...AREA_LEVELS.map((level) => areaWorkload(level, 'summary')),
	...AREA_LEVELS.map((level) => areaWorkload(level, 'issues')),
	ownerWorkload,
	...ogcWorkloads
];
