/**
 * `npm test`: provisions what the suites need (a PostGIS server; Chromium once end-to-end
 * tests exist), then runs every vitest project. Arguments go on to vitest.
 */
import { spawnSync } from 'node:child_process';
import { ensurePostgis } from './lib/provision-postgis.js';

const url = await ensurePostgis((m) => console.log(`[provision] ${m}`));
console.log(`[provision] PostGIS for tests: ${url.replace(/:[^:@/]+@/, ':***@')}`);

const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
	stdio: 'inherit',
	env: { ...process.env, TEST_DATABASE_URL: url }
});
process.exit(result.status ?? 1);
