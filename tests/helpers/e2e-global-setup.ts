/** End-to-end set-up: the PostGIS templates (as for integration tests) and a current build. */
import type { TestProject } from 'vitest/node';
import postgisSetup from './postgis-global-setup.js';
import { ensureBuilt } from '../../scripts/lib/build.js';

export default async function setup(project: TestProject) {
	ensureBuilt((m) => console.log(m));
	return postgisSetup(project);
}
