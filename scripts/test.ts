/**
 * `npm test`: type-checks the whole project (svelte-check sees the Svelte components and
 * SvelteKit's route types, which plain tsc does not), provisions what the suites need — a
 * PostGIS server, and Debian's Chromium for the end-to-end tests — then runs every vitest
 * project. Arguments go on to vitest; with arguments (a chosen file or filter) the type
 * check is skipped, to keep a focused run quick.
 */
import { spawnSync } from 'node:child_process';
import { ensurePostgis } from './lib/provision-postgis.js';
import { ensureChromium } from './lib/provision-chromium.js';

if (process.argv.length <= 2) {
	console.log('[check] svelte-check');
	const check = spawnSync('npm', ['run', '--silent', 'check', '--', '--output', 'human'], { stdio: 'inherit' });
	if (check.status !== 0) process.exit(check.status ?? 1);
}

const log = (m: string) => console.log(`[provision] ${m}`);
const url = await ensurePostgis(log);
log(`PostGIS for tests: ${url.replace(/:[^:@/]+@/, ':***@')}`);
log(`Chromium for end-to-end tests: ${await ensureChromium(log)}`);

const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
	stdio: 'inherit',
	env: { ...process.env, TEST_DATABASE_URL: url }
});
process.exit(result.status ?? 1);
