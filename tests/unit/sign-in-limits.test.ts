/**
 * The rules of sign-in limits that need no database: how long an attempt waits after so many
 * failures, how the device cookie is read, and which address a request is counted under
 * (adapter-node's ADDRESS_HEADER / XFF_DEPTH, with the warning for a proxy left unconfigured).
 * The counting itself runs against PostgreSQL: tests/e2e/sign-in-limits.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { waitOf, waitSeconds, WAIT_FROM } from '../../src/lib/server/accounts/sign-in-limits.js';
import { deviceCookie, deviceTokens } from '../../src/lib/server/http/sign-in-limits.js';
import { addressRule, clientAddress, resetProxyWarning } from '../../src/lib/server/http/client-address.js';
import { retryClock } from '../../src/lib/i18n.js';

describe('the wait after failed sign-ins', () => {
	it('costs nothing below the threshold, then doubles from 30 s up to 15 minutes', () => {
		expect([1, 2, 3, 4].map((n) => waitSeconds('account_address', n))).toEqual([0, 0, 0, 0]);
		expect([5, 6, 7, 8, 9, 10, 11, 50].map((n) => waitSeconds('account_address', n))).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
		expect(waitSeconds('account', 9)).toBe(0);
		expect(waitSeconds('account', 10)).toBe(30);
		expect(waitSeconds('address', 49)).toBe(0);
		expect(waitSeconds('address', 50)).toBe(30);
		expect(waitSeconds('device', WAIT_FROM.device)).toBe(30);
		expect(waitSeconds('device', 10_000)).toBe(900);
	});

	it('runs from the latest failure, is over once that time has passed, and names the keys that impose it', () => {
		const last = new Date('2026-12-07T06:00:00Z');
		const at = (seconds: number) => new Date(last.getTime() + seconds * 1000);
		const tallies = { account_address: { failures: 6, last }, address: { failures: 3, last } };
		expect(waitOf(tallies, at(10))).toEqual({ until: at(60), seconds: 50, keys: ['account_address'] });
		expect(waitOf(tallies, at(60))).toBeNull();
		expect(waitOf({ account: { failures: 0, last: null } }, last)).toBeNull();
		// The longest wait among the keys wins.
		expect(waitOf({ account_address: { failures: 5, last }, account: { failures: 12, last } }, last)).toEqual({ until: at(120), seconds: 120, keys: ['account_address', 'account'] });
	});

	it('tells the clock time in China time, rounded up to the minute', () => {
		expect(retryClock('2026-12-07T06:32:20Z')).toBe('14:33');
		expect(retryClock('2026-12-07T06:32:00Z')).toBe('14:32');
		expect(retryClock('2026-12-07T15:59:30Z')).toBe('00:00');
	});
});

describe('the device cookie', () => {
	const token = (c: string) => c.repeat(43);
	it('reads well-formed tokens only, at most five, and is sent to the sign-in endpoint alone', () => {
		expect(deviceTokens(`session=abc; device=${token('a')}.${token('b')}`)).toEqual([token('a'), token('b')]);
		expect(deviceTokens(`device=${token('a')}.short.${token('a')}.${token('!')}`)).toEqual([token('a')]);
		expect(deviceTokens(`device=${'abcdefg'.split('').map(token).join('.')}`)).toHaveLength(5);
		expect(deviceTokens('devices=x; session=y')).toEqual([]);
		expect(deviceTokens(null)).toEqual([]);
		const cookie = deviceCookie([token('a')], false);
		expect(cookie).toMatch(/^device=a{43}; Path=\/api\/session; Max-Age=31536000; HttpOnly; SameSite=Strict$/);
		expect(deviceCookie([token('a')], true)).toMatch(/; Secure$/);
	});
});

describe('the client address (one rule for both doors)', () => {
	const xff = addressRule({ ADDRESS_HEADER: 'X-Forwarded-For' });
	it('is the TCP peer without ADDRESS_HEADER, and the entry XFF_DEPTH from the right with it', () => {
		const none = addressRule({});
		expect(none).toEqual({ header: null, depth: 1 });
		expect(clientAddress(none, {}, '10.1.1.1', () => {})).toBe('10.1.1.1');
		expect(xff).toEqual({ header: 'x-forwarded-for', depth: 1 });
		// What the client wrote itself (the left entries) is never taken.
		expect(clientAddress(xff, { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' }, '10.0.0.2')).toBe('203.0.113.7');
		const two = addressRule({ ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '2' });
		expect(clientAddress(two, { 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.9' }, '10.0.0.2')).toBe('203.0.113.7');
		// A request that did not come through the configured proxies is counted by its peer.
		expect(clientAddress(two, { 'x-forwarded-for': '203.0.113.7' }, '10.0.0.2')).toBe('10.0.0.2');
		expect(clientAddress(xff, {}, '10.0.0.2')).toBe('10.0.0.2');
		const realIp = addressRule({ ADDRESS_HEADER: 'x-real-ip' });
		expect(clientAddress(realIp, { 'x-real-ip': ' 198.51.100.4 ' }, '10.0.0.2')).toBe('198.51.100.4');
	});

	it('refuses an XFF_DEPTH that is not a whole number from 1', () => {
		expect(() => addressRule({ XFF_DEPTH: '0' })).toThrow(/XFF_DEPTH must be a whole number from 1/);
		expect(() => addressRule({ XFF_DEPTH: 'two' })).toThrow(/got 'two'/);
	});

	it('warns once per process when a proxy header arrives and no ADDRESS_HEADER is set', () => {
		resetProxyWarning();
		const warnings: string[] = [];
		const none = addressRule({});
		expect(clientAddress(none, {}, '127.0.0.1', (m) => warnings.push(m))).toBe('127.0.0.1');
		expect(warnings).toEqual([]);
		expect(clientAddress(none, { 'x-forwarded-for': '203.0.113.7' }, '127.0.0.1', (m) => warnings.push(m))).toBe('127.0.0.1');
		expect(clientAddress(none, { forwarded: 'for=203.0.113.8' }, '127.0.0.1', (m) => warnings.push(m))).toBe('127.0.0.1');
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(/carry x-forwarded-for\) but ADDRESS_HEADER is not set, so every client is counted as the proxy's address 127\.0\.0\.1/);
		// With the header configured there is nothing to warn about.
		resetProxyWarning();
		clientAddress(xff, { 'x-forwarded-for': '203.0.113.7' }, '127.0.0.1', (m) => warnings.push(m));
		expect(warnings).toHaveLength(1);
	});
});
