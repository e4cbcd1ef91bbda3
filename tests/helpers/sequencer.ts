/**
 * The order test files start in: the few slow ones first, whatever their project, then
 * vitest's own order (the longest first when it has timed them, else the largest). With a
 * few workers a slow file started last would leave the others idle at the end; on a clean
 * clone vitest has no timings yet and would start them by project name and file size.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest files, slowest first: a browser on every map page; two servers loading the
 * sample (and the embedded one started again after a kill); PGlite loading it; three servers and vite's dev server;
 * thousands of fuzzed requests; a PostgreSQL of its own. Then the slowest of the unit and
 * integration files, which lead `npm run test:quick`: the import CLI run seventeen times and
 * 70,000 points; owner(point) on 10,000 points against turf; every migration up and down
 * one at a time; every transition by every role; the bench loader twice.
 */
const SLOW_FIRST = [
	'tests/e2e/map.test.ts',
	'tests/e2e/server.test.ts',
	'tests/embedded/agreement.test.ts',
	'tests/e2e/request-path.test.ts',
	'tests/e2e/fuzz.test.ts',
	'tests/e2e/faults.test.ts',
	'tests/integration/imports.test.ts',
	'tests/integration/ownership.test.ts',
	'tests/integration/migrations.test.ts',
	'tests/integration/cases.test.ts',
	'tests/integration/bench-load.test.ts'
];

export default class SlowFirstSequencer extends BaseSequencer {
	async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const rank = (spec: TestSpecification) => {
			const i = SLOW_FIRST.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
			return i === -1 ? SLOW_FIRST.length : i;
		};
		// Array.prototype.sort is stable: the rest keep vitest's order.
		return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
	}
}
