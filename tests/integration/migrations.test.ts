/**
 * Every migration on a scratch database of the real PostGIS server: up one at a time, all the
 * way down (knex's rollback of everything, newest first), up again, and down one at a time.
 * Down leaves none of our objects behind, up again builds exactly the schema the first up
 * did, and each single `down` gives back exactly the schema from before its `up`.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Knex } from 'knex';
import { openDatabase, migrate, type Database } from '../../src/lib/server/platform/db.js';
import { migrationSource, migrations } from '../../db/migrations.js';
import { adminQuery, databaseUrl } from '../helpers/pg-admin.js';

const NAMES = Object.keys(migrations).sort();
/**
 * Extensions our migrations create and, on purpose, do not drop: other objects of the database
 * may use them (0100 and 0330 say so). plpgsql is PostgreSQL's own.
 */
const KEPT_EXTENSIONS = ['pg_trgm', 'plpgsql', 'postgis'];

let db: Database;
let adminUrl: string;
const name = `wz_test_migrations_${process.pid}_${Date.now().toString(36)}`;

beforeAll(async () => {
	adminUrl = inject('adminUrl');
	// A database no migration has touched (the `empty` template is migrated already).
	await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
	db = await openDatabase({ url: databaseUrl(adminUrl, name) });
});

afterAll(async () => {
	await db?.close();
	if (adminUrl) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

/** Objects an extension owns (PostGIS's spatial_ref_sys, geometry_dump, its functions): not ours. */
const EXTENSION_MEMBERS = `(SELECT objid FROM pg_depend WHERE deptype = 'e')`;
const notInExtension = (...oids: string[]) => oids.map((oid) => `${oid} NOT IN ${EXTENSION_MEMBERS}`).join(' AND ');
/** A relation of ours: in public, not an extension's, not knex's own bookkeeping (its tables and sequences). */
const ours = (relid: string) => `${relid} IN (
	SELECT r.oid FROM pg_class r WHERE r.relnamespace = 'public'::regnamespace
	AND r.relname NOT LIKE 'knex\\_migrations%' AND ${notInExtension('r.oid')})`;

/**
 * The schema our migrations build, as comparable rows: columns (with their full types, so a
 * geometry column's subtype and SRID count), indexes, constraints, triggers and functions.
 */
async function schema(knex: Knex) {
	const q = async (sql: string) => (await knex.raw(sql)).rows as Record<string, unknown>[];
	return {
		columns: await q(`
			SELECT c.relname AS table, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
				pg_get_expr(ad.adbin, ad.adrelid) AS "default", a.attgenerated
			FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
			WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm') AND ${ours('c.oid')}
			ORDER BY 1, 2`),
		sequences: await q(`SELECT relname FROM pg_class c WHERE c.relkind = 'S' AND ${ours('c.oid')} ORDER BY 1`),
		indexes: await q(`
			SELECT i.indrelid::regclass::text AS table, i.indexrelid::regclass::text AS index, pg_get_indexdef(i.indexrelid) AS definition
			FROM pg_index i WHERE ${ours('i.indrelid')} ORDER BY 1, 2`),
		constraints: await q(`
			SELECT conrelid::regclass::text AS table, conname, pg_get_constraintdef(oid) AS definition
			FROM pg_constraint WHERE ${ours('conrelid')} ORDER BY 1, 2`),
		triggers: await q(`
			SELECT tgrelid::regclass::text AS table, tgname, pg_get_triggerdef(oid) AS definition
			FROM pg_trigger WHERE NOT tgisinternal AND ${ours('tgrelid')} ORDER BY 1, 2`),
		functions: await q(`
			SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS arguments, pg_get_functiondef(p.oid) AS definition
			FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND ${notInExtension('p.oid')}
			ORDER BY 1, 2`)
	};
}
type Schema = Awaited<ReturnType<typeof schema>>;

/**
 * What of ours is left in public: relations of any kind (tables, views, sequences, indexes,
 * composite types), types and functions that no extension owns, besides knex's bookkeeping.
 */
async function leftovers(knex: Knex) {
	const names = async (sql: string) => ((await knex.raw(sql)).rows as { name: string }[]).map((r) => r.name);
	return {
		relations: await names(`
			SELECT r.relname AS name FROM pg_class r LEFT JOIN pg_index i ON i.indexrelid = r.oid
			WHERE r.relnamespace = 'public'::regnamespace AND r.relname NOT LIKE 'knex\\_migrations%'
			  AND ${notInExtension('r.oid', 'r.reltype', 'coalesce(i.indrelid, 0)')}
			ORDER BY 1`),
		types: await names(`
			SELECT t.typname AS name FROM pg_type t
			WHERE t.typnamespace = 'public'::regnamespace AND t.typrelid = 0 AND t.typelem = 0 AND ${notInExtension('t.oid')}
			ORDER BY 1`),
		functions: await names(`
			SELECT p.proname AS name FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND ${notInExtension('p.oid')} ORDER BY 1`)
	};
}

describe('migrations up, down and up again', () => {
	/** before[i]: the schema with the first i migrations applied */
	const before: Schema[] = [];

	it('go up one at a time on an untouched database', async () => {
		before.push(await schema(db.knex));
		for (const migration of NAMES) {
			const [, applied] = (await db.knex.migrate.up({ migrationSource })) as [number, string[]];
			expect(applied).toEqual([migration]);
			before.push(await schema(db.knex));
		}
		const all = before[NAMES.length];
		// A real schema, not an empty comparison.
		const tables = new Set(all.columns.map((c) => c.table));
		for (const table of ['county', 'streets', 'communities', 'grids', 'compounds', 'buildings', 'people', 'assignments', 'issues', 'users', 'boundary_versions']) {
			expect(tables.has(table), table).toBe(true);
		}
		expect(all.columns).toContainEqual(expect.objectContaining({ table: 'buildings', attname: 'anchor', type: 'geometry(Point,4326)' }));
		expect(all.triggers.map((t) => t.tgname)).toContain('buildings_derive_owner');
		expect(all.functions.map((f) => f.proname)).toContain('derive_building_owner');
		expect(all.indexes.map((i) => i.index)).toContain('people_name_trgm');
		expect(before[0]).toEqual({ columns: [], sequences: [], indexes: [], constraints: [], triggers: [], functions: [] });
	});

	it('go all the way down, newest first, leaving none of our objects behind', async () => {
		const [, undone] = (await db.knex.migrate.rollback({ migrationSource }, true)) as [number, string[]];
		expect(undone).toEqual([...NAMES].reverse());
		expect(await leftovers(db.knex)).toEqual({ relations: [], types: [], functions: [] });
		const { rows } = await db.knex.raw('SELECT extname FROM pg_extension ORDER BY extname');
		for (const { extname } of rows as { extname: string }[]) expect(KEPT_EXTENSIONS, extname).toContain(extname);
		expect(await db.knex('knex_migrations').count({ n: '*' })).toEqual([{ n: '0' }]);
	});

	it('come back up to exactly the schema of the first time', async () => {
		expect(await migrate(db.knex)).toEqual(NAMES);
		expect(await schema(db.knex)).toEqual(before[NAMES.length]);
	});

	it('undo one at a time, each down giving back the schema from before its up', async () => {
		for (let i = NAMES.length; i > 0; i--) {
			const [, undone] = (await db.knex.migrate.down({ migrationSource })) as [number, string[]];
			expect(undone).toEqual([NAMES[i - 1]]);
			expect(await schema(db.knex), `after undoing ${NAMES[i - 1]}`).toEqual(before[i - 1]);
		}
	});
});
