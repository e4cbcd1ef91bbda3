import os from 'node:os';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import SlowFirstSequencer from './tests/helpers/sequencer.js';
import { writeCql2Parser } from './scripts/lib/cql2-parser.js';

/** The CQL2 parser is built with the app: written again before a build (or dev server, or test run) when its grammar changed. */
const cql2Parser = (): Plugin => ({
	name: 'cql2-parser',
	async buildStart() {
		if (await writeCql2Parser()) this.info('CQL2 parser generated from cql2-grammar.ts');
	}
});

export default defineConfig({
	plugins: [cql2Parser(), sveltekit()],
	test: {
		// Vitest's default is one worker fewer than the CPUs: a single one on a two-core machine,
		// so every file waited for the one before. Most of a file's time is spent waiting on other
		// processes (PostGIS, the app server, Chromium) or on the app's build, which the first
		// end-to-end files wait for while it runs: three more workers than CPUs keep the CPUs busy.
		maxWorkers: os.availableParallelism() + 3,
		sequence: { sequencer: SlowFirstSequencer },
		projects: [
			{
				extends: true,
				// Time limits here guard against hangs, not speed: on two cores shared with PostGIS,
				// servers and Chromium, a test that takes 1 s alone can take 20 beside the others.
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node', testTimeout: 60_000 }
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					// Each statement the app's modules send is recorded for the check that they are
					// all on file (scripts/test.ts sets the directory; queries/ holds the files).
					env: process.env.SQL_RECORD_DIR ? { RECORD_SQL: process.env.SQL_RECORD_DIR } : {},
					// Builds the migrated template database once; each test file clones its own copy.
					globalSetup: ['tests/helpers/postgis-global-setup.ts'],
					testTimeout: 240_000,
					hookTimeout: 300_000
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/helpers/e2e-global-setup.ts'],
					// map.test.ts runs its pages concurrently: three at a time on a software renderer.
					maxConcurrency: 3,
					testTimeout: 360_000,
					hookTimeout: 600_000
				}
			},
			{
				extends: true,
				test: {
					name: 'embedded',
					globalSetup: ['tests/helpers/postgis-global-setup.ts'],
					include: ['tests/embedded/**/*.test.ts'],
					environment: 'node',
					// PGlite is WebAssembly on one core: its start and sample load take ~30 s alone and
					// several times that beside the rest of the suite.
					testTimeout: 300_000,
					hookTimeout: 480_000
				}
			}
		]
	}
});
