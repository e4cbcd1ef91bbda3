/**
 * `npm start`: builds the app when the build is missing or older than its sources, then
 * serves it. A fresh clone needs nothing but `npm install` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const BUILD = path.resolve(process.env.BUILD_DIR ?? 'build', 'handler.js');
const SOURCES = ['src', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newestMtime(p: string): number {
	if (!fs.existsSync(p)) return 0;
	const stat = fs.statSync(p);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return fs
		.readdirSync(p)
		.reduce((newest, entry) => Math.max(newest, newestMtime(path.join(p, entry))), stat.mtimeMs);
}

const built = fs.existsSync(BUILD) ? fs.statSync(BUILD).mtimeMs : 0;
if (built < Math.max(...SOURCES.map(newestMtime))) {
	console.log('building the app (vite build)…');
	const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
		stdio: 'inherit'
	});
	if (result.status !== 0) process.exit(result.status ?? 1);
}

const { main } = await import('../src/server/index.js');
await main();
