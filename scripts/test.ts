/**
 * `npm test`: type-checks the whole project (svelte-check sees the Svelte components and
 * SvelteKit's route types, which plain tsc does not), provisions what the suites need — a
 * PostGIS server, and Debian's Chromium for the end-to-end tests — then runs every vitest
 * project. Arguments go on to vitest; with arguments (a chosen file or filter) the type
 * check is skipped, to keep a focused run quick.
 *
 * The type check runs while the app is built for the end-to-end tests and the machine is
 * provisioned: svelte-check keeps one core busy, vite build mostly the other. A type error
 * still stops the run before any test.
 */
import { spawn, spawnSync } from 'node:child_process';
import { ensurePostgis } from './lib/provision-postgis.js';
import { ensureChromium } from './lib/provision-chromium.js';
import { ensureBuiltAsync } from './lib/build.js';

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

const log = (m: string) => console.log(`[provision] ${m}`);
let checking: Promise<{ status: number | null; output: string }> | null = null;
let building: Promise<void> | null = null;
if (process.argv.length <= 2) {
	console.log('[check] svelte-check, while the app builds');
	// Sync once, before the two start: both read what it generates in .svelte-kit/.
	const sync = spawnSync('npx', ['svelte-kit', 'sync'], { stdio: 'inherit' });
	if (sync.status !== 0) process.exit(sync.status ?? 1);
	checking = quietly('npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--output', 'human']);
	building = ensureBuiltAsync((m) => console.log(`[build] ${m}`));
	// Settled here so that a failure waits for the check's verdict below.
	building.catch(() => {});
}

const url = await ensurePostgis(log);
log(`PostGIS for tests: ${url.replace(/:[^:@/]+@/, ':***@')}`);
log(`Chromium for end-to-end tests: ${await ensureChromium(log)}`);

if (checking) {
	const check = await checking;
	process.stdout.write(check.output);
	if (check.status !== 0) {
		await building?.catch(() => {}); // leave no build running behind
		process.exit(check.status ?? 1);
	}
}
await building;

const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
	stdio: 'inherit',
	env: { ...process.env, TEST_DATABASE_URL: url }
});
process.exit(result.status ?? 1);
