/**
 * End-to-end set-up: the PostGIS templates (as for integration tests), a current build of
 * the app and its server compiled to one JavaScript file (server-bundle.ts). Both run in the
 * background, so the tests of the other projects start while they do; a test server waits
 * for them (startServer in server.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import postgisSetup from './postgis-global-setup.js';
import { ensureBuiltAsync } from '../../scripts/lib/build.js';
import { bundleServer, removeServerBundle } from './server-bundle.js';

declare module 'vitest' {
	export interface ProvidedContext {
		/** a file that appears when the app's build is done: `{ ok: true, server }` or `{ ok: false, message }` */
		appBuild: string;
	}
}

/** `server`: the compiled server to start with node */
export type BuildResult = { ok: true; server: string } | { ok: false; message: string };

export default async function setup(project: TestProject) {
	const runId = `${process.pid}-${Date.now().toString(36)}`;
	const marker = path.join(os.tmpdir(), `wangge-build-${runId}.json`);
	const server = bundleServer(runId);
	const done = Promise.all([ensureBuiltAsync((m) => console.log(m), { quiet: true }), server])
		.then(([, file]): BuildResult => ({ ok: true, server: file }))
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
		await server.then(removeServerBundle, () => {});
		await teardown();
	};
}
