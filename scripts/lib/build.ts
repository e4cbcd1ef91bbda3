/** Builds the SvelteKit app when build/ is missing or older than its sources. */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

const SOURCES = ['src', 'db', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newestMtime(p: string): number {
	if (!fs.existsSync(p)) return 0;
	const stat = fs.statSync(p);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return fs.readdirSync(p).reduce((newest, entry) => Math.max(newest, newestMtime(path.join(p, entry))), stat.mtimeMs);
}

const VITE_BUILD = ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'];

function isBuilt(): boolean {
	const handler = path.resolve(process.env.BUILD_DIR ?? 'build', 'handler.js');
	const built = fs.existsSync(handler) ? fs.statSync(handler).mtimeMs : 0;
	return built >= Math.max(...SOURCES.map(newestMtime));
}

export function ensureBuilt(log: (m: string) => void = console.log): void {
	if (isBuilt()) return;
	// vite at log level warn prints nothing for the minute or two it takes: say so first.
	log('building the app (vite build; a minute or two on the first start, then only after a change)…');
	const started = Date.now();
	const result = spawnSync(process.execPath, VITE_BUILD, { stdio: 'inherit' });
	if (result.status !== 0) throw new Error(`vite build failed with exit code ${result.status}`);
	log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * ensureBuilt without blocking, so the caller can do other work meanwhile. `quiet` holds
 * vite's output back and puts it in the error only when the build fails.
 */
export async function ensureBuiltAsync(log: (m: string) => void = console.log, { quiet = false } = {}): Promise<void> {
	if (isBuilt()) return;
	log('building the app (vite build)…');
	let output = '';
	const status = await new Promise<number | null>((resolve, reject) => {
		const child = spawn(process.execPath, VITE_BUILD, { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
		child.stdout?.on('data', (d) => (output += d));
		child.stderr?.on('data', (d) => (output += d));
		child.on('error', reject).on('close', resolve);
	});
	if (status !== 0) throw new Error(`vite build failed with exit code ${status}${output ? `:\n${output}` : ''}`);
}
