/**
 * `npm test`: provisions what the suites need — a PostGIS server, and Debian's Chromium for
 * the end-to-end tests — then runs every vitest project. Arguments go on to vitest.
 */
import { spawnSync } from 'node:child_process';
import { ensurePostgis } from './lib/provision-postgis.js';
import { ensureChromium } from './lib/provision-chromium.js';

const log = (m: string) => console.log(`[provision] ${m}`);
const url = await ensurePostgis(log);
log(`PostGIS for tests: ${url.replace(/:[^:@/]+@/, ':***@')}`);
log(`Chromium for end-to-end tests: ${await ensureChromium(log)}`);

const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
	stdio: 'inherit',
	env: { ...process.env, TEST_DATABASE_URL: url }
});
process.exit(result.status ?? 1);
