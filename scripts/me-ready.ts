/**
 * How long a grid worker on a phone waits before /me can be used (issue 21): from navigation
 * start until the building list is shown and the page is hydrated (answers a tap). A script to
 * run by hand against started servers with the sample, not a timed test:
 *
 *   npx tsx scripts/me-ready.ts http://127.0.0.1:3000[,http://127.0.0.1:3001] [runs=7]
 *
 * Servers are measured in turns, run by run, as scripts/form-ready.ts does, on a 360 × 740
 * phone viewport, CPU 4× slower, "Fast 4G" network, service worker off (a first visit), signed
 * in as demo-grid. Prints each run and the median, in milliseconds.
 */
import { chromium } from 'playwright-core';
const [bases, runsText = '5'] = process.argv.slice(2);
const servers = bases.split(',');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const times = new Map<string, number[]>(servers.map((s) => [s, []]));
for (let i = 0; i < Number(runsText); i++) for (const base of servers) {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN', serviceWorkers: 'block', geolocation: { longitude: 105.826, latitude: 28.812 }, permissions: ['geolocation'] });
	await context.request.post(`${base}/api/session`, { data: { username: 'demo-grid', password: 'demo' } });
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 60, downloadThroughput: (9e6 / 8) | 0, uploadThroughput: (1.5e6 / 8) | 0 });
	await page.goto(`${base}/me`, { waitUntil: 'commit' });
	await page.waitForSelector('[data-testid="my-building"]', { timeout: 60000 });
	await page.waitForFunction(() => history.scrollRestoration === 'manual', undefined, { polling: 20 });
	const ms = await page.evaluate(() => performance.now());
	times.get(base)!.push(Math.round(ms));
	await context.close();
}
await browser.close();
for (const [base, t] of times) { const s = [...t].sort((a, b) => a - b); console.log(base, t.join(' '), 'median', s[Math.floor(s.length / 2)]); }
