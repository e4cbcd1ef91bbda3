/**
 * `npm test`: type-checks the whole project (svelte-check sees the Svelte components and
 * SvelteKit's route types, which plain tsc does not), provisions what the suites need — a
 * PostGIS server, and Debian's Chromium for the end-to-end tests — then runs every vitest
 * project. Arguments go on to vitest; with arguments (a chosen file or filter) the type
 * check is skipped, to keep a focused run quick.
 *
 * The type check runs alongside vitest's start: while svelte-check keeps one core busy, vitest
 * builds its template databases and starts building the app. No test starts before the check
 * has passed (the end-to-end set-up waits for its verdict), and a type error fails the run.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensurePostgis } from './lib/provision-postgis.js';
import { ensureChromium } from './lib/provision-chromium.js';
import { TYPE_CHECK_RESULT, type TypeCheckResult } from './lib/type-check.js';

/** Runs a command with its output held back, to print it whole once it is done. */
function quietly(command: string, args: string[]): Promise<{ status: number | null; output: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		child.on('error', reject).on('close', (status) => resolve({ status, output }));
	});
}

const focused = process.argv.length > 2;
const resultFile = path.join(os.tmpdir(), `wangge-type-check-${process.pid}.json`);
let checking: Promise<number | null> | null = null;
if (!focused) {
	console.log('[check] svelte-check, while the tests start');
	// Sync before vitest starts: both it (through vite build) and the check read .svelte-kit/.
	const sync = spawnSync('npx', ['svelte-kit', 'sync'], { stdio: 'inherit' });
	if (sync.status !== 0) process.exit(sync.status ?? 1);
	fs.rmSync(resultFile, { force: true });
	checking = quietly('npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--output', 'human']).then(({ status, output }) => {
		process.stdout.write(`[check] svelte-check:\n${output}`);
		const result: TypeCheckResult = { ok: status === 0 };
		fs.writeFileSync(`${resultFile}.part`, JSON.stringify(result));
		fs.renameSync(`${resultFile}.part`, resultFile);
		return status;
	});
}

const log = (m: string) => console.log(`[provision] ${m}`);
const url = await ensurePostgis(log);
log(`PostGIS for tests: ${url.replace(/:[^:@/]+@/, ':***@')}`);
log(`Chromium for end-to-end tests: ${await ensureChromium(log)}`);

const vitest = await new Promise<number | null>((resolve, reject) => {
	spawn('npx', ['vitest', 'run', ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: { ...process.env, TEST_DATABASE_URL: url, ...(focused ? {} : { [TYPE_CHECK_RESULT]: resultFile }) }
	})
		.on('error', reject)
		.on('close', resolve);
});
const check = await checking;
fs.rmSync(resultFile, { force: true });
if (check !== null && check !== 0) process.exit(check);
process.exit(vitest ?? 1);
