/**
 * `npm test`: type-checks the whole project (svelte-check sees the Svelte components and
 * SvelteKit's route types, which plain tsc does not), provisions what the suites need — a
 * PostGIS server, Debian's Chromium for the end-to-end tests and GDAL (gdal-bin) for the OGC API
 * tests — then runs every vitest
 * project. Arguments go on to vitest; with arguments (a chosen file or filter) the type
 * check is skipped, to keep a focused run quick.
 *
 * The type check runs alongside the tests, not before them: on two cores nothing else would
 * use the time the tests spend waiting on PostGIS, the app's build and Chromium. A type error
 * fails the run all the same, once both are done. So do the import rules (`npm run deps:check`,
 * dependency-cruiser with .dependency-cruiser.cjs: no import circles, the layers), checked after
 * the type check, beside the tests.
 */
import { spawn, spawnSync } from 'node:child_process';
import { ensurePostgis } from './lib/provision-postgis.js';
import { ensureChromium } from './lib/provision-chromium.js';
import { ensureGdal } from './lib/provision-gdal.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkStatements } from './lib/statements-on-file.js';

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
let checking: Promise<number | null> | null = null;
let importRules: Promise<number | null> | null = null;
if (!focused) {
	console.log('[check] svelte-check, while the tests start');
	// Sync before vitest starts: both it (through vite build) and the check read .svelte-kit/.
	const sync = spawnSync('npx', ['svelte-kit', 'sync'], { stdio: 'inherit' });
	if (sync.status !== 0) process.exit(sync.status ?? 1);
	// At the lowest priority: the tests (and the app's build they wait for) come first, the check
	// takes what CPU they leave while they wait on PostGIS and Chromium.
	checking = quietly('nice', ['-n', '19', 'npx', 'svelte-check', '--tsconfig', './tsconfig.json', '--output', 'human']).then(({ status, output }) => {
		process.stdout.write(`[check] svelte-check:\n${output}`);
		return status;
	});
	// After the type check rather than beside it: two checks at once would take CPU from the tests.
	importRules = checking.then(() =>
		quietly('nice', ['-n', '19', 'npx', 'depcruise', 'src', 'db', 'scripts', 'tests', '--config', '.dependency-cruiser.cjs']).then(({ status, output }) => {
			process.stdout.write(`[check] import rules (dependency-cruiser):\n${output}`);
			return status;
		})
	);
}

const log = (m: string) => console.log(`[provision] ${m}`);
const url = await ensurePostgis(log);
log(`PostGIS for tests: ${url.replace(/:[^:@/]+@/, ':***@')}`);
log(`Chromium for end-to-end tests: ${await ensureChromium(log)}`);
log(`GDAL for the OGC API tests: ${ensureGdal(log)}`);

// Where the integration tests' database connections note each statement they send
// (vite.config.ts hands it to that project as RECORD_SQL), for the check after the run.
const recordDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-sql-'));
const vitest = await new Promise<number | null>((resolve, reject) => {
	spawn('npx', ['vitest', 'run', ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: { ...process.env, TEST_DATABASE_URL: url, SQL_RECORD_DIR: recordDir }
	})
		.on('error', reject)
		.on('close', resolve);
});
// Every statement on file (queries/): only once the tests passed, as a failed test may have
// stopped before sending some of them.
let statements = 0;
if (vitest === 0) {
	// Only the integration project records, so a run of it alone sends every statement a full run does.
	const recordedAll = !focused || process.argv.slice(2).join(' ') === '--project integration';
	const { ok, report } = checkStatements(recordDir, { full: recordedAll, update: process.env.UPDATE_QUERIES === '1' });
	console.log(`[queries] ${report.replaceAll('\n', '\n[queries] ')}`);
	if (!ok) statements = 1;
}
fs.rmSync(recordDir, { recursive: true, force: true });
const check = await checking;
const rules = await importRules;
if (check !== null && check !== 0) {
	console.error('[check] the type check failed (svelte-check, above)');
	process.exit(check);
}
if (rules !== null && rules !== 0) {
	console.error('[check] an import rule is broken (dependency-cruiser, above; npm run deps:check)');
	process.exit(rules);
}
process.exit(vitest === 0 ? statements : (vitest ?? 1));
