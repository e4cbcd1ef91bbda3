import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					// Builds the migrated template database once; each test file clones its own copy.
					globalSetup: ['tests/helpers/postgis-global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/helpers/e2e-global-setup.ts'],
					testTimeout: 120_000,
					hookTimeout: 300_000
				}
			},
			{
				extends: true,
				test: {
					name: 'embedded',
					globalSetup: ['tests/helpers/postgis-global-setup.ts'],
					include: ['tests/embedded/**/*.test.ts'],
					environment: 'node',
					testTimeout: 120_000,
					hookTimeout: 180_000
				}
			}
		]
	}
});
