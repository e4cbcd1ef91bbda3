/** The app on a fresh test database, and Debian's Chromium to drive it, for one e2e test file. */
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
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

/**
 * What every test page shares: Chinese first, and reduced motion. MapLibre then jumps where it
 * would fly (fitBounds, flyTo), so no test waits out an animation and the software renderer
 * draws no frames in between; where each move ends is the same.
 */
export const PAGE_DEFAULTS = { locale: 'zh-CN', reducedMotion: 'reduce' } as const;

/**
 * Resolves once SvelteKit has hydrated the page: its router sets history.scrollRestoration
 * to 'manual' when it starts, right after hydration (a fresh page starts at 'auto').
 */
export async function hydrated(page: Page): Promise<void> {
	await page.waitForFunction(() => history.scrollRestoration === 'manual');
}

/**
 * Signs in on the login page the browser was sent to. The form posts with fetch once
 * hydrated; before that a click submits it natively, as a GET of the login page (the
 * password in its URL), and no sign-in happens. On a busy machine hydration can trail the
 * load event, so wait for it.
 */
export async function signInThroughForm(page: Page, username: string, password = 'demo'): Promise<void> {
	await page.waitForURL(/\/login\?next=/);
	await hydrated(page);
	await page.fill('input[name="username"]', username);
	await page.fill('input[name="password"]', password);
	await page.click('button[type="submit"]');
}

export interface BrowserApp {
	t: TestDatabase;
	server: RunningServer;
	browser: Browser;
	close(): Promise<void>;
}

/**
 * Starts from a clone of the sample template (the sample and its demo accounts, loaded once per
 * run by the global set-up), so the server has nothing to load; the browser launches meanwhile.
 * That a server on an empty database loads the sample by itself is server.test.ts's to prove.
 */
export async function startBrowserApp(env: Record<string, string> = {}): Promise<BrowserApp> {
	const executablePath = await ensureChromium((m) => console.log(`[chromium] ${m}`));
	const launching = chromium.launch({ executablePath, args: CHROMIUM_ARGS });
	let t: TestDatabase | undefined;
	let server: RunningServer | undefined;
	let browser: Browser;
	try {
		t = await createTestDatabase('sample');
		server = await startServer({ DATABASE_URL: t.url, ...env });
		browser = await launching;
	} catch (error) {
		// Leave nothing running behind a failed start.
		await launching.then((b) => b.close()).catch(() => {});
		await server?.stop();
		await t?.drop();
		throw error;
	}
	return startedApp(t, server, browser);
}

/** Playwright's waits (30 s by default) guard against hangs; a busy two-core machine needs more. */
const BROWSER_WAIT_MS = 120_000;

function startedApp(t: TestDatabase, server: RunningServer, browser: Browser): BrowserApp {
	const newContext = browser.newContext.bind(browser);
	browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
		const context = await newContext(...args);
		context.setDefaultTimeout(BROWSER_WAIT_MS);
		return context;
	};
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
