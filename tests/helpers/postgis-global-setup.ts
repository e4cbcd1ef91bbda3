/**
 * Integration suite set-up: two template databases on the real PostGIS server, built once
 * per run — `empty` (migrated) and `sample` (migrated + Hejiang sample). Every test file
 * clones its own database from one of them, so files never share state.
 */
import type { TestProject } from 'vitest/node';
import { ensurePostgis } from '../../scripts/lib/provision-postgis.js';
import { openDatabase, migrate } from '../../src/lib/server/db.js';
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
	for (const [kind, name] of Object.entries(templates)) {
		await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}"`);
		await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
		const db = await openDatabase({ url: databaseUrl(adminUrl, name) });
		try {
			await migrate(db.knex);
			if (kind === 'sample') await loadSample(db, SAMPLE_DEFAULTS);
		} finally {
			await db.close();
		}
	}
	return { adminUrl, templates, users: 0 };
}
