/**
 * End-to-end set-up: the PostGIS templates (as for integration tests) and a current build of
 * the app. The build runs in the background, so the tests of the other projects start while
 * it does; a test server waits for it (startServer in server.ts). Under `npm test`, it also
 * holds every test back until the type check that runs alongside has passed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import postgisSetup from './postgis-global-setup.js';
import { ensureBuiltAsync } from '../../scripts/lib/build.js';
import { TYPE_CHECK_RESULT, type TypeCheckResult } from '../../scripts/lib/type-check.js';

declare module 'vitest' {
	export interface ProvidedContext {
		/** a file that appears when the app's build is done: `{ ok: true }` or `{ ok: false, message }` */
		appBuild: string;
	}
}

export type BuildResult = { ok: true } | { ok: false; message: string };

export default async function setup(project: TestProject) {
	const marker = path.join(os.tmpdir(), `wangge-build-${process.pid}-${Date.now().toString(36)}.json`);
	const done = ensureBuiltAsync((m) => console.log(m), { quiet: true })
		.then((): BuildResult => ({ ok: true }))
		.catch((error: unknown): BuildResult => ({ ok: false, message: error instanceof Error ? error.message : String(error) }))
		.then((result) => {
			// Written whole, then renamed: a reader never sees half of it.
			fs.writeFileSync(`${marker}.part`, JSON.stringify(result));
			fs.renameSync(`${marker}.part`, marker);
		});
	project.provide('appBuild', marker);
	const teardown = await postgisSetup(project);
	const cleanUp = async () => {
		await done; // leave no build running behind
		fs.rmSync(marker, { force: true });
		await teardown();
	};
	try {
		await typeCheckPassed();
	} catch (error) {
		await cleanUp();
		throw error;
	}
	return cleanUp;
}

/** Waits for the verdict of the type check `npm test` runs alongside, if it runs one. */
async function typeCheckPassed(): Promise<void> {
	const file = process.env[TYPE_CHECK_RESULT];
	if (!file) return;
	while (!fs.existsSync(file)) await new Promise((r) => setTimeout(r, 200));
	const result = JSON.parse(fs.readFileSync(file, 'utf8')) as TypeCheckResult;
	if (!result.ok) throw new Error('the type check failed (svelte-check, above): no test runs');
}
