/**
 * How long a resident on a phone waits before the public report form can be used (issue 21):
 * from navigation start until a tap on 使用当前位置 puts the position into the form — the
 * first moment the page answers a tap, which needs its script loaded and hydrated. A script
 * to run by hand against a started server, not a timed test:
 *
 *   npx tsx scripts/form-ready.ts http://127.0.0.1:3000[,http://127.0.0.1:3001] [path=/report] [runs=5]
 *
 * Several servers (say, before and after a change), comma-separated, are measured in turns, run
 * by run, so a machine busy with other work weighs on each alike.
 * Each run is a fresh browser context (empty cache) on a 360 × 740 phone viewport, with the
 * CPU slowed 4× and the network shaped as DevTools' "Fast 4G" preset (9 Mbit/s down, 1.5 up,
 * 60 ms), through the DevTools protocol. Prints each run and the median, in milliseconds.
 */
import { chromium } from 'playwright-core';

const [bases, path = '/report', runsText = '5'] = process.argv.slice(2);
if (!bases) {
	console.error('usage: npx tsx scripts/form-ready.ts <server url> [path] [runs]');
	process.exit(2);
}
const runs = Number(runsText);
const CPU_SLOWDOWN = 4;
const NETWORK = { offline: false, latency: 60, downloadThroughput: (9e6 / 8) | 0, uploadThroughput: (1.5e6 / 8) | 0 };

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const servers = bases.split(',');
const times = new Map<string, number[]>(servers.map((s) => [s, []]));
try {
	for (let i = 0; i < runs; i++) for (const base of servers) {
		const context = await browser.newContext({
			viewport: { width: 360, height: 740 },
			isMobile: true,
			hasTouch: true,
			locale: 'zh-CN',
			geolocation: { longitude: 105.826, latitude: 28.812 },
			permissions: ['geolocation']
		});
		// Taps 使用当前位置 every 20 ms from the first script on, until the form shows a position.
		await context.addInitScript(() => {
			const w = window as unknown as { __formReady?: number };
			const timer = setInterval(() => {
				if (document.querySelector('[data-testid="report-position"]')) {
					w.__formReady = performance.now();
					clearInterval(timer);
					return;
				}
				const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === '使用当前位置');
				button?.click();
			}, 20);
		});
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.emulateNetworkConditions', NETWORK);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
		await page.goto(new URL(path, base).href, { waitUntil: 'commit' });
		await page.waitForFunction(() => (window as unknown as { __formReady?: number }).__formReady !== undefined, null, { timeout: 120_000, polling: 50 });
		const ms = await page.evaluate(() => Math.round((window as unknown as { __formReady: number }).__formReady));
		times.get(base)!.push(ms);
		console.log(`${base} run ${i + 1}: ${ms} ms`);
		await context.close();
	}
} finally {
	await browser.close();
}
for (const [base, ms] of times) {
	const sorted = [...ms].sort((a, b) => a - b);
	console.log(`${base}: median of ${runs} ${sorted[Math.floor(sorted.length / 2)]} ms [${ms.join(', ')}] (${path}, 360 px, CPU ${CPU_SLOWDOWN}× slower, ${(NETWORK.downloadThroughput * 8) / 1e6} Mbit/s, ${NETWORK.latency} ms)`);
}
