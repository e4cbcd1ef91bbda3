/** Builds the SvelteKit app when build/ is missing or older than its sources. */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const SOURCES = ['src', 'db', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newestMtime(p: string): number {
	if (!fs.existsSync(p)) return 0;
	const stat = fs.statSync(p);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return fs.readdirSync(p).reduce((newest, entry) => Math.max(newest, newestMtime(path.join(p, entry))), stat.mtimeMs);
}

export function ensureBuilt(log: (m: string) => void = console.log): void {
	const handler = path.resolve(process.env.BUILD_DIR ?? 'build', 'handler.js');
	const built = fs.existsSync(handler) ? fs.statSync(handler).mtimeMs : 0;
	if (built >= Math.max(...SOURCES.map(newestMtime))) return;
	log('building the app (vite build)…');
	const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
		stdio: 'inherit'
	});
	if (result.status !== 0) throw new Error(`vite build failed with exit code ${result.status}`);
}
