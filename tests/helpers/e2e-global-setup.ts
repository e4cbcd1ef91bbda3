/**
 * End-to-end set-up: the PostGIS templates (as for integration tests) and a current build of
 * the app. The build runs in the background, so the tests of the other projects start while
 * it does; a test server waits for it (startServer in server.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import postgisSetup from './postgis-global-setup.js';
import { ensureBuiltAsync } from '../../scripts/lib/build.js';

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
	return async () => {
		await done; // leave no build running behind
		fs.rmSync(marker, { force: true });
		await teardown();
	};
}
