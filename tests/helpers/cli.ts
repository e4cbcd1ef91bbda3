/**
 * The project's command-line scripts (scripts/import.ts, scripts/tiles-export.ts, …) as tests
 * run them: compiled once per test worker into one JavaScript file, then started with plain
 * node. Started with `node --import tsx` instead, every run spent about 1.4 s of CPU (and an
 * esbuild process) transforming the same TypeScript again; imports.test.ts alone runs the
 * import CLI seventeen times. Same code, same arguments, same exit codes and output: the
 * packages stay outside the file and load from node_modules, so the file sits in the project.
 */
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { buildSync } from 'esbuild';

const dir = path.resolve('node_modules/.cache/wangge-test-cli', `${process.pid}-${threadId}`);
const compiled = new Map<string, string>();

/** The arguments for `spawn(process.execPath, [...nodeArgs(script), ...its own])`. */
export function nodeArgs(script: string): string[] {
	let file = compiled.get(script);
	if (!file) {
		if (compiled.size === 0) process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
		file = path.join(dir, `${path.basename(script, '.ts')}.mjs`);
		buildSync({ entryPoints: [script], outfile: file, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
		compiled.set(script, file);
	}
	return [file];
}
