/**
 * Integration suite set-up: two template databases on the real PostGIS server, built once
 * per run — `empty` (migrated) and `sample` (migrated + Hejiang sample). Every test file
 * clones its own database from one of them, so files never share state.
 */
import type { TestProject } from 'vitest/node';
import { ensurePostgis } from '../../scripts/lib/provision-postgis.js';
import { openDatabase, migrate, type Database } from '../../src/lib/server/platform/db.js';
import { loadSample, SAMPLE_DEFAULTS } from '../../db/seeds/sample.js';
import { adminQuery, databaseUrl } from './pg-admin.js';

declare module 'vitest' {
	export interface ProvidedContext {
		adminUrl: string;
		templates: { empty: string; sample: string };
	}
}

type Shared = { adminUrl: string; templates: { empty: string; sample: string }; users: number };
/** Several projects name this set-up; they run in one process, so the first builds and the last drops. */
const SHARED = Symbol.for('wangge.test.templates');
const holder = globalThis as { [SHARED]?: Promise<Shared> };

export default async function setup(project: TestProject) {
	holder[SHARED] ??= build();
	const shared = await holder[SHARED];
	shared.users++;
	project.provide('adminUrl', shared.adminUrl);
	project.provide('templates', shared.templates);
	return async () => {
		if (--shared.users > 0) return;
		for (const name of Object.values(shared.templates)) {
			await adminQuery(shared.adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
		}
	};
}

async function build(): Promise<Shared> {
	const adminUrl = process.env.TEST_DATABASE_URL ?? (await ensurePostgis());
	const templates = { empty: `wz_tpl_empty_${process.pid}`, sample: `wz_tpl_sample_${process.pid}` };
	// `empty` is migrated once; `sample` is a copy of it with the sample loaded.
	const template = async (name: string, from: string | null, work: (db: Database) => Promise<unknown>) => {
		await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}"`);
		await adminQuery(adminUrl, from ? `CREATE DATABASE "${name}" TEMPLATE "${from}"` : `CREATE DATABASE "${name}"`);
		const db = await openDatabase({ url: databaseUrl(adminUrl, name) });
		try {
			await work(db);
		} finally {
			await db.close();
		}
	};
	await template(templates.empty, null, (db) => migrate(db.knex));
	await template(templates.sample, templates.empty, (db) => loadSample(db, SAMPLE_DEFAULTS));
	return { adminUrl, templates, users: 0 };
}
