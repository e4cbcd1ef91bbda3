/** The app on a fresh test database, and Debian's Chromium to drive it, for one e2e test file. */
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startServer, type RunningServer } from './server.js';
import { ensureChromium } from '../../scripts/lib/provision-chromium.js';

/** A host name that is not localhost, for pages served over plain HTTP on an intranet. */
export const INTRANET_HOST = 'wangge.intranet';

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	// The intranet host name resolves to this machine's loopback, where the test server listens.
	`--host-resolver-rules=MAP ${INTRANET_HOST} 127.0.0.1`
];

export interface BrowserApp {
	t: TestDatabase;
	server: RunningServer;
	browser: Browser;
	close(): Promise<void>;
}

/** Starts from an empty database, so the server loads the sample (and its demo accounts) itself. */
export async function startBrowserApp(env: Record<string, string> = {}): Promise<BrowserApp> {
	const executablePath = await ensureChromium((m) => console.log(`[chromium] ${m}`));
	const t = await createTestDatabase('empty');
	const server = await startServer({ DATABASE_URL: t.url, ...env });
	const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
	return {
		t,
		server,
		browser,
		async close() {
			await browser.close();
			await server.stop();
			await t.drop();
		}
	};
}

/** Registers the set-up and tear-down for the calling test file; the fields fill in before its tests run. */
export function useBrowserApp(env: Record<string, string> = {}): BrowserApp {
	const app = {} as BrowserApp;
	beforeAll(async () => {
		Object.assign(app, await startBrowserApp(env));
	}, 300_000);
	afterAll(async () => {
		await app.close?.();
	});
	return app;
}
