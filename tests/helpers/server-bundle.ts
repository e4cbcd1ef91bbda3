/**
 * The app's server (src/server/index.ts and the modules it imports) compiled into one
 * JavaScript file, once per run, for the test servers to start from. Started under tsx
 * instead, each of the suite's ~50 servers spent about 1.4 s of CPU transforming and
 * resolving the same TypeScript again (2.4 s of CPU a start against 1.0 s, measured on a
 * two-core machine). Same code, same entry point: the packages stay outside the file and are
 * loaded from node_modules as the server loads them, so the file must sit inside the project.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** Compiles the server into a folder of this run's own under node_modules/.cache; returns the file to start. */
export async function bundleServer(runId: string): Promise<string> {
	const dir = path.resolve('node_modules/.cache/wangge-test-server', runId);
	fs.mkdirSync(dir, { recursive: true });
	const outfile = path.join(dir, 'index.mjs');
	await build({
		entryPoints: ['src/server/index.ts'],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		packages: 'external',
		// Stack traces in a failing server's output name the TypeScript source.
		sourcemap: 'linked',
		logLevel: 'warning'
	});
	// The real path: node runs its main file from there (symlinks resolved), and the server
	// starts only when that equals process.argv[1] (src/server/index.ts) — under a symlinked
	// node_modules the two differed and the server exited at once, without a word.
	return fs.realpathSync(outfile);
}

/** Removes the run's folder. */
export function removeServerBundle(file: string): void {
	fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
